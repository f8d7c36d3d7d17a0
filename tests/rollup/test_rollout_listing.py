"""The rollout of the model counts units, not plan rows (issue 26 §3): a unit listed by its district's plan beside
its own plan (as seed 002's district plan lists its communes) counts once in "N/M đơn vị đã ra mắt"; the units
listed travel in the roll-up's hidden data, so the province counts them once too; two plans that disagree on a
unit are said, naming each plan."""
from __future__ import annotations

import re

from datetime import date, datetime
from pathlib import Path

from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.intake.readback import load_rollup
from dvcq.rollup import progress
from dvcq.rollup.consolidate import consolidate_folder

from tests.support import corpus

PLAN = spec.load_form("ke-hoach")
ROLLOUT = PLAN.sheet("Lộ trình")
P = parse("2024-H1")
DISTRICT = ("403", "Huyện Như Thanh")
COMMUNES = [("16231", "Xã Cán Khê"), ("16234", "Xã Xuân Du"), ("16240", "Xã Phượng Nghi")]


def road(unit, year, launched, with_code=True) -> dict:
    return {"nam": year, "don_vi": unit[1], "ma_don_vi": unit[0] if with_code else None,
            "trang_thai": "Đã ra mắt" if launched else "Kế hoạch",
            "ngay_ra_mat": date(year, 9, 2) if launched else None}


def write_plan(folder: Path, unit, rows: list[dict]) -> Path:
    tasks = [{"stt": 1, "nhom": "Tuyên truyền, quán triệt", "noi_dung": "Tổ chức hội nghị quán triệt",
              "chu_tri": "Văn phòng", "thoi_han": "Thường xuyên", "trang_thai": "Đang triển khai"}]
    c = Content(header=corpus.header(unit, P), unit_level="district" if unit == DISTRICT else "commune",
                rows={"Nhiệm vụ": tasks, ROLLOUT.name: rows}, extra={ROLLOUT.name: {"muc_tieu_nam": 2025,
                                                                                   "muc_tieu_ty_le": 100}},
                saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(PLAN, Path(folder) / f"{unit[0]}-ke-hoach.xlsx", c)


def raw_rollout(path: Path) -> list[tuple[str, str, bool]]:
    """(code or name, name, launched) of each rollout row, read with python-calamine."""
    grid = corpus.raw_grid(path, ROLLOUT.name)
    c = {f: ROLLOUT.col(f) - 1 for f in ("don_vi", "ma_don_vi", "trang_thai")}
    out = []
    for row in grid[ROLLOUT.first_row - 1:]:
        if row and row[c["don_vi"]]:
            launched = row[c["trang_thai"]] == "Đã ra mắt"
            out.append((str(row[c["ma_don_vi"]]) or row[c["don_vi"]], row[c["don_vi"]], launched))
    return out


def test_a_unit_in_two_plans_counts_once_and_a_disagreement_is_said(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    # the district's plan lists its three communes (Xuân Du without its code); Xuân Du's own plan says it
    # launched in 2024 where the district's still plans it; Phượng Nghi has no plan of its own
    district_plan = write_plan(folder, DISTRICT, [road(COMMUNES[0], 2023, True), road(COMMUNES[1], 2024, False, False),
                                                  road(COMMUNES[2], 2025, False)])
    own = [write_plan(folder, COMMUNES[0], [road(COMMUNES[0], 2023, True)]),
           write_plan(folder, COMMUNES[1], [road(COMMUNES[1], 2024, True)])]
    for unit in COMMUNES[:2]:
        corpus.write_report(folder, unit=unit, period=P)
    result = consolidate_folder(folder, period="2024-H1", parent="403", db=tmp_path / "h.sqlite", workers=1,
                                out=tmp_path / "th.xlsx")

    rows = {p: raw_rollout(p) for p in [district_plan, *own]}
    names = {code: name for r in rows.values() for code, name, _ in r if code.isdigit()}
    by_name = {name: code for code, name in names.items()}
    listed = {by_name.get(k, k) for r in rows.values() for k, _, _ in r}
    owners = {p.name.split("-")[0]: p for p in own}
    launched = set()
    for code in listed:  # a unit's own plan says whether it launched, else the district's
        source = rows[owners[code]] if code in owners else rows[district_plan]
        launched |= {code for k, _, yes in source if by_name.get(k, k) == code and yes}
    assert len(listed) == 3 and len(launched) == 2
    assert sum(len(r) for r in rows.values()) == 5  # rows, which the count used to add up

    done, planned = progress.rollout_counts(result.rollup, result.totals)
    assert (done, planned) == (len(launched), len(listed))
    sheet = corpus.raw_grid(result.out_path, "Kế hoạch")
    assert any(re.match(rf"{len(launched)}/{len(listed)} đơn vị có tên trong lộ trình của các kế hoạch đã nộp \(.+\) "
                        "đã ra mắt", str(c)) for r in sheet for c in r)

    # the disagreement on Xuân Du: a note naming both plans, a warning on the district's plan at its row
    note = next(n for n in result.notes if "Lộ trình mô hình" in n)
    assert "Xã Xuân Du (16234)" in note and "kế hoạch của huyện Như Thanh ghi chưa ra mắt" in note
    assert "kế hoạch của xã Xuân Du ghi đã ra mắt" in note
    warned = [i for f in result.files if f.path == district_plan for i in f.issues if i.code == "rollout-conflict"]
    assert len(warned) == 1 and "Xã Xuân Du" in warned[0].message and warned[0].sheet == ROLLOUT.name
    assert warned[0].cell == f"{spec.col_letter(ROLLOUT.col('don_vi'))}{ROLLOUT.first_row + 1}"

    # the listings travel: read back, and a province consolidating the district's roll-up counts the same
    back = load_rollup(result.out_path)
    assert progress.rollout_counts(back, {}) == (len(launched), len(listed))
    up = tmp_path / "tinh"
    up.mkdir()
    (up / "th-403.xlsx").write_bytes(result.out_path.read_bytes())
    province = consolidate_folder(up, period="2024-H1", parent="38", db=tmp_path / "h.sqlite", workers=1,
                                  out=tmp_path / "tinh.xlsx")
    assert progress.rollout_counts(province.rollup, province.totals) == (len(launched), len(listed))
