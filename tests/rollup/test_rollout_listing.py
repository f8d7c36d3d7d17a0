"""The rollout of the model counts units, not plan rows (issue 26 §3): a unit listed by its district's plan beside
its own plan (as seed 002's district plan lists its communes) counts once in "N/M đơn vị đã ra mắt"; the units
listed travel in the roll-up's hidden data, so the province counts them once too; two plans that disagree on a
unit are said, naming each plan."""
from __future__ import annotations

import json
import re

from datetime import date, datetime
from pathlib import Path

from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.intake.readback import load_rollup
from dvcq.model import RolloutListing, Rollup
from dvcq.rollup import progress
from dvcq.rollup.consolidate import consolidate_folder

from tests.support import corpus

PLAN = spec.load_form("ke-hoach")
ROLLOUT = PLAN.sheet("Lộ trình")
P = parse("2024-H1")
DISTRICT = ("403", "Huyện Như Thanh")
PROVINCE = ("38", "Tỉnh Thanh Hóa")
COMMUNES = [("16231", "Xã Cán Khê"), ("16234", "Xã Xuân Du"), ("16240", "Xã Phượng Nghi")]


def road(unit, year, launched, with_code=True) -> dict:
    return {"nam": year, "don_vi": unit[1], "ma_don_vi": unit[0] if with_code else None,
            "trang_thai": "Đã ra mắt" if launched else "Kế hoạch",
            "ngay_ra_mat": date(year, 9, 2) if launched else None}


def write_plan(folder: Path, unit, rows: list[dict]) -> Path:
    tasks = [{"stt": 1, "nhom": "Tuyên truyền, quán triệt", "noi_dung": "Tổ chức hội nghị quán triệt",
              "chu_tri": "Văn phòng", "thoi_han": "Thường xuyên", "trang_thai": "Đang triển khai"}]
    c = Content(header=corpus.header(unit, P), unit_level={DISTRICT: "district", PROVINCE: "province"}.get(unit, "commune"),
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


def _blank_eras(rollup: Path) -> int:
    """A roll-up as one written before listings carried their registry: 'era' taken out of its hidden listing rows
    (openpyxl on the written file). Returns how many listings it blanked."""
    from openpyxl import load_workbook

    wb = load_workbook(rollup)
    n = 0
    for row in wb["_dvcq_data"].iter_rows(min_row=2):
        if row[0].value == "listing" and row[4].value:
            items = json.loads(row[4].value)
            for d in items if isinstance(items, list) else [items]:
                n += d.pop("era", None) is not None
            row[4].value = json.dumps(items, ensure_ascii=False)
    wb.save(rollup)
    return n


def test_an_old_rollups_listings_are_read_in_its_own_registry(tmp_path):
    """A district's roll-up written before listings carried their registry reads each with an empty era; a province
    consolidating it beside a new raw file listing the same commune (its own plan) counted that commune twice: ':16231'
    and 'legacy:16231'. The era of an old roll-up's listings is now inferred from the roll-up itself (its period, its
    unit, the registry each plan's issuer belongs to): the province counts the units the raw plans list, once."""
    folder = tmp_path / "nop"
    folder.mkdir()
    district_plan = write_plan(folder, DISTRICT, [road(c, 2023 + i, i == 0) for i, c in enumerate(COMMUNES)])
    own = write_plan(folder, COMMUNES[0], [road(COMMUNES[0], 2023, True)])
    for unit in COMMUNES[:2]:
        corpus.write_report(folder, unit=unit, period=P)
    district = consolidate_folder(folder, period="2024-H1", parent="403", db=tmp_path / "h.sqlite", workers=1,
                                  out=tmp_path / "th.xlsx")
    up = tmp_path / "tinh"
    up.mkdir()
    old = up / "th-403.xlsx"
    old.write_bytes(district.out_path.read_bytes())
    assert _blank_eras(old) == 4  # the district's three listings and the commune's own
    assert {x.era for x in load_rollup(old).rollout} == {""}
    province_plan = write_plan(up, PROVINCE, [road(COMMUNES[0], 2023, True)])
    result = consolidate_folder(up, period="2024-H1", parent="38", db=tmp_path / "h.sqlite", workers=1,
                                out=tmp_path / "tinh.xlsx")

    listed = {k for p in (district_plan, own, province_plan) for k, _, _ in raw_rollout(p)}
    launched = {k for p in (district_plan, own, province_plan) for k, _, yes in raw_rollout(p) if yes}
    assert (len(launched), len(listed)) == (1, 3)
    assert progress.rollout_counts(result.rollup, result.totals) == (len(launched), len(listed))
    sheet = corpus.raw_grid(result.out_path, "Kế hoạch")
    assert any(str(c).startswith(f"{len(launched)}/{len(listed)} đơn vị có tên trong lộ trình") for r in sheet
               for c in r)


def test_a_code_of_both_registries_in_an_old_province_rollup_of_2025_is_kept_apart():
    """Thanh Hóa's roll-up of 2025-Y holds units of both registries; a listing of 14848 (Xã Tam Chung in both, the
    same name) in such a roll-up written before listings carried their registry cannot be told: it is kept apart
    ('?38'), never merged with either Tam Chung, and said; in a district's roll-up (three-tier only) it is the
    district's."""
    tam_chung = RolloutListing("14848", "Xã Tam Chung", 2024, True, "14848", "Xã Tam Chung")
    district = Rollup(unit_code="384", unit_name="Huyện Mường Lát", period="2025-Y", rollout=[tam_chung])
    province = Rollup(unit_code="38", unit_name="Tỉnh Thanh Hóa", period="2025-Y", rollout=[tam_chung])
    assert [x.era for x in progress.with_eras(district)] == ["legacy"]
    assert [x.era for x in progress.with_eras(province)] == ["?38"]
    # and said, naming the unit: the consolidation's notes carry it (consolidate._rollout_disagreements)
    note = progress.unsure_note(progress.with_eras(province))
    assert "Xã Tam Chung (14848)" in note and "không gộp" in note and progress.unsure_note(
        progress.with_eras(district)) == ""
    assert [x.era for x in progress.with_eras(Rollup(unit_code="38", unit_name="Tỉnh Thanh Hóa", period="2024-Y",
                                                     rollout=[tam_chung]))] == ["legacy"]
