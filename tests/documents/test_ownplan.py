"""The issuer's own plan in its report (issue 24 §3): cited in the opening by number, date and title from its plan
workbook (carried from intake through the roll-up's hidden data); without it the neutral wording, never a number
made up. Expected values are read here from the plan workbook's raw cells (python-calamine), not through dvcq."""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from dvcq.documents.narrative import write_report
from dvcq.intake.readback import load_rollup
from dvcq.rollup.consolidate import consolidate_folder

from tests.support.paths import SAMPLE
from tests.support.rawfigures import PLAN, cell, grid

OWN_PLAN = SAMPLE / "403-huyen-nhu-thanh-ke-hoach-2024-H1.xlsx"


def _day(v) -> date | None:
    return v.date() if isinstance(v, datetime) else v if isinstance(v, date) else None


def raw_header(path: Path) -> dict:
    """The plan's cells of its sheet "Kế hoạch" (number, date, title, issuing body), as written."""
    sheet = PLAN.sheet("Kế hoạch")
    g = grid(path, sheet.name)
    at = lambda name: cell(g, sheet.extra_cell(name, PLAN.header_first_row, len(PLAN.header)))  # noqa: E731
    return {"number": at("so_ky_hieu"), "signed": _day(at("ngay_ban_hanh")), "title": at("ten_ke_hoach"),
            "issuer": at("co_quan_ban_hanh")}


def opening(text: str) -> str:
    return next(p for p in text.split("\n\n") if p.startswith("Thực hiện "))


@pytest.fixture(scope="module")
def written(nhu_thanh_rollup, tmp_path_factory):
    base = tmp_path_factory.mktemp("ownplan")
    db = shutil.copy(nhu_thanh_rollup.db_path, base / "lich-su.sqlite")
    out = write_report(nhu_thanh_rollup.out_path, out=base / "bc.docx", md=base / "bc.md", db=db, date="05/07/2024")
    return nhu_thanh_rollup, out, (base / "bc.md").read_text(encoding="utf-8")


def test_the_opening_cites_the_issuers_own_plan_by_number_date_and_title(written):
    _, _, text = written
    raw = raw_header(OWN_PLAN)
    assert raw["number"] and raw["signed"] and raw["title"]  # the sample's district plan has them
    title = raw["title"][0].lower() + raw["title"][1:]
    assert opening(text).startswith(
        f"Thực hiện Kế hoạch số {raw['number']} ngày {raw['signed']:%d/%m/%Y} của {raw['issuer']} về {title}, "
        "Ủy ban nhân dân huyện Như Thanh báo cáo kết quả thực hiện 6 tháng đầu năm 2024")


def test_the_plan_travels_through_the_rollups_hidden_data(written):
    result, _, _ = written
    raw = raw_header(OWN_PLAN)
    plan = load_rollup(result.out_path).own_plan  # read back from the workbook, as the report reads it
    assert plan is not None and plan == result.rollup.own_plan
    assert (plan.number, plan.signed_day, plan.title, plan.issuer) == (raw["number"], raw["signed"], raw["title"],
                                                                       raw["issuer"])
    assert plan.file == OWN_PLAN.name and plan.unit_code == "403"
    rows = [r for r in grid(OWN_PLAN, "Nhiệm vụ") if len(r) > 7 and r[7] in
            ("Chưa triển khai", "Đang triển khai", "Đã hoàn thành", "Tạm dừng")]
    assert [t.text for t in plan.tasks] == [r[2] for r in rows]
    assert [t.status for t in plan.tasks] == [r[7] for r in rows]
    assert [t.due for t in plan.tasks] == [_day(r[5]).isoformat() if _day(r[5]) else r[5] for r in rows]


def test_without_the_issuers_plan_the_opening_stays_neutral(tmp_path):
    folder = tmp_path / "nộp"
    shutil.copytree(SAMPLE, folder)
    (folder / OWN_PLAN.name).unlink()
    result = consolidate_folder(folder, out=tmp_path / "th.xlsx", db=tmp_path / "db.sqlite", workers=1)
    assert result.rollup.own_plan is None and load_rollup(result.out_path).own_plan is None
    write_report(result.out_path, out=tmp_path / "bc.docx", md=tmp_path / "bc.md", db=tmp_path / "db.sqlite")
    text = (tmp_path / "bc.md").read_text(encoding="utf-8")
    assert opening(text).startswith("Thực hiện kế hoạch công tác dân vận chính quyền năm 2024, Ủy ban nhân dân "
                                    "huyện Như Thanh báo cáo")
    assert "Kế hoạch số" not in text and raw_header(OWN_PLAN)["number"] not in text


def test_a_communes_own_report_cites_its_own_plan(tmp_path):
    files = sorted(SAMPLE.glob("16231-*.xlsx"))
    plan = next(p for p in files if "-ke-hoach-" in p.name)
    write_report(files, out=tmp_path / "bc.docx", md=tmp_path / "bc.md")
    raw = raw_header(plan)
    text = (tmp_path / "bc.md").read_text(encoding="utf-8")
    assert opening(text).startswith(f"Thực hiện Kế hoạch số {raw['number']} ngày {raw['signed']:%d/%m/%Y} của "
                                    f"{raw['issuer']}")
