"""The issuer's own plan in its report (issue 24 §3): cited in the opening by number, date and title from its plan
workbook (carried from intake through the roll-up's hidden data); without it the neutral wording, never a number
made up. Expected values are read here from the plan workbook's raw cells (python-calamine), not through dvcq."""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from dvcq.documents.claims import Basis
from dvcq.documents.ownplan import plan_tasks
from dvcq.forms.spec import PLAN as PLAN_ID
from dvcq.intake.readback import load_rollup
from dvcq.rollup.consolidate import consolidate_folder

from tests.support.paths import SAMPLE
from tests.support.rawfigures import PLAN, cell, grid
from tests.support.reporttext import report_text

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
    """The district's report of the shared roll-up dated 05/07/2024 (its Markdown text: the tests read its
    sentences), with a copy of its history: (roll-up, text)."""
    base = tmp_path_factory.mktemp("ownplan")
    db = shutil.copy(nhu_thanh_rollup.db_path, base / "lich-su.sqlite")
    text = report_text(nhu_thanh_rollup.out_path, base / "bc.md", db=db, date="05/07/2024")
    return nhu_thanh_rollup, text


def test_the_opening_cites_the_issuers_own_plan_by_number_date_and_title(written):
    _, text = written
    raw = raw_header(OWN_PLAN)
    assert raw["number"] and raw["signed"] and raw["title"]  # the sample's district plan has them
    title = raw["title"][0].lower() + raw["title"][1:]
    assert opening(text).startswith(
        f"Thực hiện Kế hoạch số {raw['number']} ngày {raw['signed']:%d/%m/%Y} của {raw['issuer']} về {title}, "
        "Ủy ban nhân dân huyện Như Thanh báo cáo kết quả thực hiện 6 tháng đầu năm 2024")


def test_the_plan_travels_through_the_rollups_hidden_data(written):
    result, _ = written
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
    text = report_text(result.out_path, tmp_path / "bc.md", db=tmp_path / "db.sqlite")
    assert opening(text).startswith("Thực hiện kế hoạch công tác dân vận chính quyền năm 2024, Ủy ban nhân dân "
                                    "huyện Như Thanh báo cáo")
    assert "Kế hoạch số" not in text and raw_header(OWN_PLAN)["number"] not in text


def test_a_communes_own_report_cites_its_own_plan(tmp_path):
    files = sorted(SAMPLE.glob("16231-*.xlsx"))
    plan = next(p for p in files if "-ke-hoach-" in p.name)
    text = report_text(files, tmp_path / "bc.md")
    raw = raw_header(plan)
    assert opening(text).startswith(f"Thực hiện Kế hoạch số {raw['number']} ngày {raw['signed']:%d/%m/%Y} của "
                                    f"{raw['issuer']}")


# --- the plan's tasks in "Lãnh đạo, chỉ đạo" and "Phương hướng, nhiệm vụ" ------------------------------------------

WINDOW = (date(2023, 12, 15), date(2024, 6, 14))  # 2024-H1 (Nghị định 09/2019/NĐ-CP, Điều 12)
AHEAD = (date(2024, 6, 15), date(2024, 12, 14))  # 2024-H2, the period "Phương hướng, nhiệm vụ" is for
CLOSED = ("Đã hoàn thành", "Tạm dừng")


def raw_tasks(path: Path) -> list[dict]:
    from tests.support.rawfigures import table

    return [dict(t, thoi_han=_day(t["thoi_han"]) or t["thoi_han"], ngay_hoan_thanh=_day(t["ngay_hoan_thanh"]))
            for t in table(path, PLAN.sheet("Nhiệm vụ"))]


def expected_lines(path: Path, as_of: date) -> dict:
    """What the report must say of the plan, from its raw rows: the counts and the tasks named, in order."""
    tasks = raw_tasks(path)
    dated = [t for t in tasks if isinstance(t["thoi_han"], date)]
    due = [t for t in dated if WINDOW[0] <= t["thoi_han"] <= WINDOW[1]]
    done = sorted((t for t in tasks if t["trang_thai"] == "Đã hoàn thành" and t["ngay_hoan_thanh"]
                   and WINDOW[0] <= t["ngay_hoan_thanh"] <= WINDOW[1]), key=lambda t: t["ngay_hoan_thanh"])
    ahead = sorted((t for t in dated if AHEAD[0] <= t["thoi_han"] <= AHEAD[1] and t["trang_thai"] not in CLOSED),
                   key=lambda t: t["thoi_han"])
    late = sorted((t for t in dated if t["thoi_han"] < as_of and t["trang_thai"] not in CLOSED),
                  key=lambda t: t["thoi_han"])
    return {"due": len(due), "due_done": sum(t["trang_thai"] == "Đã hoàn thành" for t in due), "done": done,
            "ahead": ahead, "late": late}


def check_plan_sentences(text: str, who: str, cited: str, want: dict, as_of: date) -> None:
    assert (f"Tính đến ngày {as_of:%d/%m/%Y}, {who} đã hoàn thành {want['due_done']}/{want['due']} nhiệm vụ của "
            f"{cited} đến hạn trong kỳ.") in text
    assert want["done"] and f"Trong kỳ đã hoàn thành {len(want['done'])} nhiệm vụ:" in text
    for t in want["done"][:3]:
        assert f"+ {t['noi_dung'].rstrip('.')} (hoàn thành ngày {t['ngay_hoan_thanh']:%d/%m/%Y})" in text
    ph = text[text.index("PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024"):]
    if want["ahead"]:
        assert f"Thực hiện {len(want['ahead'])} nhiệm vụ của {cited} đến hạn trong 6 tháng cuối năm 2024:" in ph
    for t in want["ahead"]:
        assert f"+ {t['noi_dung'].rstrip('.')} (hạn {t['thoi_han']:%d/%m/%Y})" in ph
    if want["late"]:
        assert (f"Tính đến ngày {as_of:%d/%m/%Y}, còn {len(want['late'])} nhiệm vụ của {cited} quá hạn chưa hoàn "
                "thành, cần khẩn trương hoàn thành:") in ph
        for t in want["late"]:
            assert f"+ {t['noi_dung'].rstrip('.')} (hạn {t['thoi_han']:%d/%m/%Y})" in ph
    else:
        assert f"Tính đến ngày {as_of:%d/%m/%Y}, {cited} không còn nhiệm vụ quá hạn." in ph


def test_the_districts_plan_tasks_done_and_due_next_are_named(written):
    _, text = written
    as_of = WINDOW[1]  # the district's own plan: no route up, its figures run to the window's end
    want = expected_lines(OWN_PLAN, as_of)
    assert want["due"] and want["ahead"]  # the sample has tasks due in both periods
    check_plan_sentences(text, "Ủy ban nhân dân huyện Như Thanh", f"Kế hoạch số {raw_header(OWN_PLAN)['number']}",
                         want, as_of)
    ld = text[text.index("Công tác lãnh đạo, chỉ đạo"):text.index("Công tác tuyên truyền")]
    assert "đến hạn trong kỳ" in ld  # in "Lãnh đạo, chỉ đạo", before the units' line
    assert ld.index("đến hạn trong kỳ") < ld.index("Ở các đơn vị")


def test_a_communes_plan_with_overdue_tasks_says_them_in_its_direction(tmp_path):
    files = sorted(SAMPLE.glob("16231-*.xlsx"))
    plan = next(p for p in files if "-ke-hoach-" in p.name)
    g = grid(plan, PLAN.main.name)
    prepared = _day(cell(g, PLAN.header_cell("prepared_on")))
    as_of = min(WINDOW[1], prepared) if prepared and prepared >= WINDOW[0] else WINDOW[1]  # its "Ngày lập"
    text = report_text(files, tmp_path / "bc.md")
    want = expected_lines(plan, as_of)
    assert want["late"] and want["due_done"] < want["due"]  # this commune's plan has overdue tasks
    check_plan_sentences(text, "Ủy ban nhân dân xã Cán Khê", f"Kế hoạch số {raw_header(plan)['number']}", want, as_of)


def test_the_upper_levels_numbered_plan_is_cited_before_the_issuers_own(tmp_path):
    """A basis of kind Kế hoạch of another body, with its number (the sample's has none), is cited first."""
    from tests.support.corpus import type_over as put

    folder = tmp_path / "nộp"
    folder.mkdir()
    for p in SAMPLE.glob("16231-*.xlsx"):
        shutil.copy(p, folder / p.name)
    plan = next(folder.glob("*-ke-hoach-*"))
    sheet = PLAN.sheet("Kế hoạch")
    rows = [r for r in grid(plan, sheet.name)[sheet.first_row - 1:] if len(r) > 1 and r[1] == "Kế hoạch"]
    assert rows and rows[0][2] in ("", None)  # the sample's upper plan has no number: it is not cited
    row = sheet.first_row + grid(plan, sheet.name)[sheet.first_row - 1:].index(rows[0])
    col = lambda name: "ABCDEFGHIJ"[sheet.col(name) - 1]  # noqa: E731
    put(plan, sheet.name, f"{col('so_hieu')}{row}", "95/KH-UBND", as_text=True)
    put(plan, sheet.name, f"{col('ngay')}{row}", datetime(2024, 1, 10))
    text = report_text(sorted(folder.glob("*.xlsx")), tmp_path / "bc.md")
    raw, body, title = raw_header(plan), rows[0][4], rows[0][5]
    assert opening(text).startswith(f"Thực hiện Kế hoạch số 95/KH-UBND ngày 10/01/2024 của {body} về {title}; "
                                    f"Kế hoạch số {raw['number']} ngày {raw['signed']:%d/%m/%Y} của {raw['issuer']}")


def test_without_the_plans_day_its_overdue_tasks_are_not_counted_never_none(nhu_thanh_rollup):
    """A plan whose figures have no day they run to (no "Ngày lập", nothing dated): which tasks are overdue cannot be
    told, so the count has no value and the report says nothing of it, never "không còn nhiệm vụ quá hạn"."""
    plan = load_rollup(nhu_thanh_rollup.out_path).own_plan
    basis = Basis(PLAN_ID, (), *WINDOW, own=True)
    dated = plan_tasks(plan, None, basis, WINDOW, None, plan.unit_code, "huyện Như Thanh")
    undated = plan_tasks(replace(plan, as_of=""), None, basis, WINDOW, None, plan.unit_code, "huyện Như Thanh")
    assert dated.overdue.known and undated.as_of is None
    assert not undated.overdue.known and not undated.overdue.zero and not undated.late


def test_the_roll_up_and_the_report_count_the_same_overdue_tasks_by_one_rule(tmp_path):
    """The roll-up's overdue tasks (dvcq.intake.measures) and the report's (dvcq.documents.ownplan) ask one rule
    (measures.overdue_rule): on the samples' plans and on edge rows (due on the day the figures run to, due the day
    before, no deadline, a term, a date typed as text, done after its deadline, paused, a status typed in lower case)
    both name the same rows, and those are the rows the raw cells say are overdue."""
    from dvcq.forms.build import Content, build_form
    from dvcq.intake.validate import validate_paths

    from tests.support import corpus

    as_of = date(2024, 6, 10)  # the plan's "Ngày lập" (corpus.header), inside the window: its figures run to it
    edge = [("Đến hạn đúng ngày số liệu", as_of, "Đang triển khai", None),
            ("Quá hạn một ngày", date(2024, 6, 9), "Chưa triển khai", None),
            ("Không ghi thời hạn", None, "Đang triển khai", None),
            ("Thời hạn là một quý", "Quý I/2024", "Đang triển khai", None),
            ("Thời hạn gõ dạng chữ", "15/03/2024", "Đang triển khai", None),
            ("Hoàn thành sau thời hạn", date(2024, 3, 1), "Đã hoàn thành", date(2024, 4, 2)),
            ("Tạm dừng khi đã quá hạn", date(2024, 2, 1), "Tạm dừng", None),
            ("Trạng thái gõ chữ thường", date(2024, 5, 2), "đang triển khai", None)]
    tasks = [{"stt": i, "nhom": "Khác", "noi_dung": text, "chu_tri": "Văn phòng UBND", "thoi_han": due,
              "trang_thai": status, "ngay_hoan_thanh": done} for i, (text, due, status, done) in enumerate(edge, 1)]
    made = build_form(PLAN, tmp_path / "16231-ke-hoach.xlsx",
                      Content(header=corpus.header(), unit_level="commune", rows={"Nhiệm vụ": tasks},
                              saved_at=datetime(2024, 6, 12, 9)))
    plans = [made] + sorted(SAMPLE.glob("*-ke-hoach-*.xlsx"))
    for r in validate_paths(plans).files:
        assert r.summary is not None, (r.path.name, [i.message for i in r.errors])
        s = r.summary
        rolled = {int(t.ref.rsplit("-", 1)[1]) for t in s.overdue_tasks}
        basis = Basis(PLAN_ID, (), *WINDOW, own=True)
        said = plan_tasks(s.plan, None, basis, WINDOW, None, s.unit_code, s.unit_code)
        by_row = {t.row: t for t in s.plan.tasks}
        late = sorted((by_row[i] for i in rolled), key=lambda t: (t.due_day, t.row))  # as the report names them
        assert said.overdue.value == len(rolled), r.path.name
        assert [line.text for line in said.late] == [t.text.rstrip(" .;") for t in late][:len(said.late)]
        assert len(said.late) == min(len(rolled), 5), r.path.name  # ownplan.AHEAD named, the others counted
        first = PLAN.sheet("Nhiệm vụ").first_row
        raw = {first + i for i, t in enumerate(raw_tasks(r.path))
               if _raw_day(t["thoi_han"]) and _raw_day(t["thoi_han"]) < date.fromisoformat(s.plan.as_of)
               and str(t["trang_thai"]).strip().casefold() not in {c.casefold() for c in CLOSED}}
        assert rolled == raw, r.path.name
        if r.path == made:
            assert date.fromisoformat(s.plan.as_of) == as_of
            assert sorted(t["noi_dung"] for t in tasks if first + t["stt"] - 1 in rolled) == \
                ["Quá hạn một ngày", "Thời hạn gõ dạng chữ", "Trạng thái gõ chữ thường"]


def _raw_day(v) -> date | None:
    """A deadline cell as the raw file holds it: a date, or a date typed as dd/mm/yyyy text."""
    if _day(v):
        return _day(v)
    try:
        return datetime.strptime(str(v).strip(), "%d/%m/%Y").date()
    except ValueError:
        return None
