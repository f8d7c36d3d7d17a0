"""Unit groups in a consolidation (issues 15 §4, 16 §5): territorial children, a province's declared
bodies (templates/co-quan.yaml), the issuer's own row; their ledger sections, coverage, subtotals and
hidden data; bodies in the registry; rollout codes of the level; the narrative per group.

Expected values are read from the raw cells of the sample files (openpyxl), never from dvcq's output."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from dvcq.calendar.periods import parse
from dvcq.errors import UserError
from dvcq.fmt import number
from dvcq.forms import spec
from dvcq.intake.readback import load_rollup, rollup_from_rows, rollup_rows
from dvcq.intake.validate import validate_file, validate_paths
from dvcq.model import UnitGroup
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.rollup.layout import load_layout
from dvcq.rollup.writer import CODE_ROW, FIRST_UNIT_ROW
from dvcq.samples.sample import write_samples
from dvcq.units.bodies import parse_bodies
from dvcq.units.registry import load
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.support import corpus
from tests.support.cli import dvcq as run
from tests.support.reporttext import report_text
from tests.support.sheetcells import SheetCells

REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")
PLAN = spec.load_form("ke-hoach")
TASKS = next(s for s in PLAN.sheets if s.name == "Nhiệm vụ")
ROAD = next(s for s in PLAN.sheets if s.name == "Lộ trình")
LEGACY = load("legacy")
Y2024 = parse("2024-Y")
# the sample list of templates/co-quan.yaml, counted by hand: 11 bodies, 4 of them merged on 1/3/2025 and
# 1 created that day, so 10 exist at the end of 2024 and 7 at the end of 2025
BODIES_2024 = ["38-SNV", "38-STP", "38-STC", "38-SKHDT", "38-SLDTBXH", "38-SYT", "38-SGDDT", "38-STNMT",
               "38-SNNPTNT", "38-TTT"]
BODIES_2025 = ["38-SNV", "38-STP", "38-STC", "38-SYT", "38-SGDDT", "38-SNNMT", "38-TTT"]
COUNTS = [i.code for i in REPORT.indicators if i.kind == "count"]
ADDED = {i.code for i in REPORT.indicators if i.kind == "count" and i.additive}


def header_code(path: Path) -> str:
    """The unit code written in a file's header cell."""
    form = spec.load_form(next(f for f in spec.FORM_IDS if f in path.name))
    return load_workbook(path, read_only=True)[form.main.name][form.header_cell("unit_code")].value


def raw_report(path: Path) -> dict:
    ws = SheetCells(path, REPORT.main.name)
    return {c: ws[REPORT.main.indicator_cell(c)] for c in COUNTS}


def raw_rows(path: Path, sheet, field: str) -> int:
    """Rows of a table sheet with ``field`` filled, counted from the cells."""
    ws = load_workbook(path, read_only=True)[sheet.name]
    col = sheet.col(field)
    return sum(1 for row in ws.iter_rows(min_row=sheet.first_row, min_col=col, max_col=col, values_only=True)
               if row[0] not in (None, ""))


def raw_sums(paths) -> dict:
    """Counts of the reports, log visits and plan tasks of some files, from their cells."""
    out = {c: 0 for c in COUNTS} | {"luot_tiep": 0, "nv_tong": 0}
    for p in paths:
        if "bao-cao-dinh-ky" in p.name:
            for c, v in raw_report(p).items():
                out[c] += v or 0
        elif "so-tiep-cong-dan" in p.name:
            out["luot_tiep"] += raw_rows(p, LOG.main, "ngay_tiep")
        elif "ke-hoach" in p.name:
            out["nv_tong"] += raw_rows(p, TASKS, "noi_dung")
    return out


def table(path: Path, sheet: str) -> tuple[list[str], list[tuple]]:
    """A units sheet of a roll-up: its column codes and its rows under the titles."""
    ws = load_workbook(path, read_only=True)[sheet]  # values only
    codes = [c.value for c in ws[CODE_ROW]]
    return codes, [r for r in ws.iter_rows(min_row=FIRST_UNIT_ROW, values_only=True) if any(r)]


# --- the registry and the bodies' file -----------------------------------------------------------

def test_bodies_are_units_of_their_province_found_by_code_and_name():
    assert [u.code for u in LEGACY.bodies("38", Y2024)] == BODIES_2024
    assert [u.code for u in load("2025").bodies("38", parse("2025-Y"))] == BODIES_2025
    snv = LEGACY.get("38-SNV")
    assert (snv.name, snv.level, snv.parent_code, snv.kind) == ("Sở Nội vụ", "department", "38", "sở")
    assert LEGACY.lookup("Sở Nội vụ").unit == snv and LEGACY.lookup("so noi vu").unit == snv
    assert LEGACY.parent(snv).code == "38" and LEGACY.province(snv).code == "38"
    assert not [u for u in LEGACY.children("38") if u.level == "department"]  # never a territorial child
    assert LEGACY.widths == (2, 3, 5)  # a body's code widens nothing that puts back Excel's zeros
    r = run("unit", "38-SNV", "--period", "2024-Y")
    assert r.returncode == 0 and "Sở Nội vụ" in r.stdout and "Tỉnh Thanh Hóa" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("body, message", [
    ("{code: 38-SNV, name: Sở Nội vụ, kind: sở, ten: x}", "khóa «ten»"),
    ("{code: 38-SNV, name: Sở Nội vụ, kind: bộ}", "khóa «kind»"),
    ("{code: '3801', name: Sở Nội vụ, kind: sở}", "38-CHỮ"),
    ("{code: 40-SNV, name: Sở Nội vụ, kind: sở}", "38-CHỮ"),
    ("{code: 38-snv, name: Sở Nội vụ, kind: sở}", "38-CHỮ"),
    ("{code: 38-SNV, name: Sở Nội vụ, kind: sở, to: 31/02/2025}", "khóa «to»"),
    ("{code: 38-SNV, name: Sở Nội vụ, kind: sở, from: 01/03/2025, to: 28/02/2025}", "trước ngày bắt đầu"),
    ("{code: 38-SNV, kind: sở}", "khóa «name»"),
])
def test_the_bodies_file_is_strict_and_names_file_line_and_key(tmp_path, body, message):
    path = tmp_path / "co quan Thanh Hóa.yaml"
    path.write_text(f'parents:\n  "38":\n    name: Tỉnh Thanh Hóa\n    bodies:\n      - {body}\n', encoding="utf-8")
    with pytest.raises(UserError) as exc:
        parse_bodies(path)
    assert str(path) in exc.value.message and message in exc.value.message and "dòng 5" in exc.value.message


def test_a_district_may_declare_its_own_bodies(tmp_path):
    from dvcq.units.registry import Registry

    path = tmp_path / "co-quan.yaml"
    path.write_text('parents:\n  "403":\n    name: Huyện Như Thanh\n    bodies:\n'
                    '      - {code: 403-PNV, name: Phòng Nội vụ, kind: phòng, eras: [legacy]}\n', encoding="utf-8")
    bodies = parse_bodies(path)
    nso = lambda reg: [u for u in reg.units.values() if u.code != "00" and u.level != "department"]  # noqa: E731
    legacy = Registry("legacy", nso(LEGACY), bodies)
    assert [u.code for u in legacy.bodies("403", Y2024)] == ["403-PNV"]
    assert legacy.get("403-PNV").parent_code == "403"
    two_tier = Registry("2025", nso(load("2025")), bodies)
    assert two_tier.get("403-PNV") is None  # no district, no district's bodies after 1/7/2025


def test_a_repeated_body_code_names_both_lines(tmp_path):
    path = tmp_path / "co-quan.yaml"
    path.write_text('parents:\n  "38":\n    name: Tỉnh Thanh Hóa\n    bodies:\n'
                    '      - {code: 38-SNV, name: Sở Nội vụ, kind: sở}\n'
                    '      - {code: 38-SNV, name: Sở Tư pháp, kind: sở}\n', encoding="utf-8")
    with pytest.raises(UserError) as exc:
        parse_bodies(path)
    assert "dòng 6" in exc.value.message and "đã khai ở dòng 5" in exc.value.message


def test_a_body_that_no_longer_exists_is_told_so_when_its_file_arrives(tmp_path):
    q1 = parse("2025-Q1")  # data to 14/3/2025: Sở Tài nguyên và Môi trường was merged on 1/3/2025
    folder = tmp_path / "nộp"
    corpus.write_report(folder, unit=("38-SNV", "Sở Nội vụ"), period=q1)
    corpus.write_report(folder, unit=("38-STNMT", "Sở Tài nguyên và Môi trường"), period=q1)
    result = consolidate_folder(folder, parent="38", db=tmp_path / "db.sqlite", out=tmp_path / "th.xlsx", workers=1)
    (stale,) = [f for f in result.files if f.path.name.startswith("38-STNMT")]
    assert stale.status == "invalid"
    assert [i.message for i in stale.errors] == [
        "Cơ quan 38-STNMT Sở Tài nguyên và Môi trường không có trong danh sách cơ quan báo cáo của Tỉnh Thanh Hóa "
        "vào cuối kỳ Quý I năm 2025 (đến 28/02/2025, tệp co-quan.yaml)."]
    assert "38-SNNMT" in {r.unit_code for r in result.ledger}  # its successor is expected instead
    assert "38-STNMT" not in {r.unit_code for r in result.ledger}


def test_forms_of_a_body_carry_its_name_and_validate(tmp_path):
    r = run("forms", "--unit", "38-SNV", "--period", "2024-Y", "--out", tmp_path / "sở nội vụ")
    assert r.returncode == 0, r.stderr
    paths = sorted((tmp_path / "sở nội vụ").glob("*.xlsx"))
    assert [p.name for p in paths] == [f"38-SNV-so-noi-vu-{f}-2024-Y.xlsx" for f in sorted(spec.FORM_IDS)]
    for p in paths:
        form = spec.load_form(next(f for f in spec.FORM_IDS if f in p.name))
        ws = load_workbook(p)[form.main.name]
        assert (ws[form.header_cell("unit_code")].value, ws[form.header_cell("unit_name")].value) == \
               ("38-SNV", "Sở Nội vụ")
        assert validate_file(p).unit_code == "38-SNV"  # a blank form: its code is known, whatever else it lacks


def test_blank_forms_built_for_a_body_carry_its_code_and_name(tmp_path):
    from dvcq.forms.build import build_all

    paths = build_all(tmp_path, 2024, "Sở Tư pháp")
    assert sorted(p.name for p in paths) == [f"38-STP-so-tu-phap-{f}.xlsx" for f in sorted(spec.FORM_IDS)]
    for p in paths:
        form = spec.load_form(next(f for f in spec.FORM_IDS if f in p.name))
        ws = load_workbook(p)[form.main.name]
        assert (ws[form.header_cell("unit_code")].value, ws[form.header_cell("unit_name")].value) == \
               ("38-STP", "Sở Tư pháp")
        assert ws[form.header_cell("period")].value in (None, "")  # the period is chosen when filled


# --- a province's consolidation with its three groups -------------------------------------------

@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Two districts, three bodies and the province's own plan of the 2024 sample, consolidated at 38."""
    base = tmp_path_factory.mktemp("tinh")
    folder = base / "nộp báo cáo"
    write_samples("38", "2024-Y", folder, seed=7, children=["403", "404", "38-SNV", "38-STP", "38-TTT", "38"],
                  district_rollups=False)  # the districts' own forms (their roll-ups: tests/samples)
    result = consolidate_folder(folder, parent="38", db=base / "db.sqlite", out=base / "tổng hợp.xlsx", workers=1)
    return folder, result


def test_the_ledger_has_the_three_groups_in_order_with_their_deadlines(province):
    folder, result = province
    groups = [r.group for r in result.ledger]
    n_districts = len(LEGACY.children("38"))
    assert groups == [UnitGroup.TERRITORIAL] * n_districts + [UnitGroup.DEPARTMENT] * 10 + [UnitGroup.OWN]
    by_code = {r.unit_code: r for r in result.ledger}
    assert [r.unit_code for r in result.ledger if r.group == UnitGroup.DEPARTMENT] == BODIES_2024
    assert by_code["38-SNV"].deadline == date(2024, 11, 25)  # department->province, annual (deadlines.yaml)
    assert by_code["403"].deadline == date(2024, 11, 25)  # district->province
    assert by_code["38"].deadline is None and by_code["38"].forms == ["ke-hoach"]
    assert by_code["38-SNV"].forms == ["bao-cao-dinh-ky", "so-tiep-cong-dan"]
    ws = load_workbook(result.out_path, read_only=True)["Tiến độ nộp báo cáo"]
    heads = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].endswith("đã nộp)")]
    assert heads == [f"Huyện, thị xã, thành phố (2/{n_districts} đã nộp)", "Sở, ban, ngành (3/10 đã nộp)",
                     "Cấp tỉnh (1/1 đã nộp)"]


def test_each_group_has_its_coverage(province):
    _, result = province
    n = len(LEGACY.children("38"))
    cov = {g: (c.covered, c.expected) for g, c in result.coverages("bao-cao-dinh-ky")}
    assert cov == {UnitGroup.TERRITORIAL: (2, n), UnitGroup.DEPARTMENT: (3, 10)}  # no own report expected
    cov = {g: (c.covered, c.expected) for g, c in result.coverages("ke-hoach")}
    assert cov == {UnitGroup.TERRITORIAL: (2, n), UnitGroup.OWN: (1, 1)}  # bodies send no plan in the sample
    assert result.covers_phrase("bao-cao-dinh-ky") == f"2/{n} huyện, thị xã, thành phố; 3/10 sở, ban, ngành"


def test_subtotals_per_group_and_the_grand_total_are_the_raw_cells_sums(province):
    folder, result = province
    reports = sorted(folder.glob("*bao-cao-dinh-ky*.xlsx"))
    territorial = [p for p in reports if header_code(p) in ("403", "404")]
    bodies = [p for p in reports if header_code(p).startswith("38-")]
    assert len(territorial) == 2 and len(bodies) == 3 and len(reports) == 5
    codes, rows = table(result.out_path, "Tổng hợp chỉ tiêu")
    n = len(LEGACY.children("38"))
    labelled = {r[2]: r for r in rows if isinstance(r[2], str) and r[0] == ""}
    assert list(labelled) == [f"Cộng huyện, thị xã, thành phố (2/{n})", "Cộng sở, ban, ngành (3/10)",
                              f"Tổng cộng (2/{n} huyện, thị xã, thành phố; 3/10 sở, ban, ngành)"]
    for label, files in zip(labelled, (territorial, bodies, reports)):
        want = raw_sums(files)
        raws = [raw_report(p) for p in files]
        for c in COUNTS:
            if c in ADDED:
                assert labelled[label][codes.index(c)] == want[c], (label, c)
            else:  # a catalogue's size is never summed: the group's smallest and largest unit
                lo, hi = min(r[c] for r in raws), max(r[c] for r in raws)
                assert labelled[label][codes.index(c)] == f"{number(lo)} – {number(hi)}", (label, c)
    # the own plan has its own subtotal on the plan sheet, and the grand total counts every plan's tasks
    _, rows = table(result.out_path, "Kế hoạch")
    codes = ["", "", ""] + [c.code for c in load_layout().units_sheet("ke-hoach").columns]
    plans = sorted(folder.glob("*ke-hoach*.xlsx"))
    own = [r for r in rows if r[2] == "Cộng cấp tỉnh (1/1)"][0]
    assert own[codes.index("nv_tong")] == raw_sums([p for p in plans if header_code(p) == "38"])["nv_tong"]
    total = [r for r in rows if str(r[2]).startswith("Tổng cộng")][0]
    assert total[codes.index("nv_tong")] == raw_sums(plans)["nv_tong"]
    # a ratio of a subtotal is its group's summed terms, not a mean of rates
    td13 = result.subtotal(UnitGroup.DEPARTMENT)["TD13"]
    raw = [raw_report(p) for p in bodies]
    ind = next(i for i in REPORT.indicators if i.code == "TD13")
    num = sum(sum(r[c] or 0 for c in ind.numerator) for r in raw)
    den = sum(sum(r[c] or 0 for c in ind.denominator) for r in raw)
    assert td13 == pytest.approx(num / den)


def test_the_standard_tables_have_the_groups_subtotals(province):
    folder, result = province
    ws = load_workbook(result.out_path, read_only=True)["Biểu 01-TCD"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if isinstance(r[0], str)}
    logs = sorted(folder.glob("*so-tiep-cong-dan*.xlsx"))
    bodies = [p for p in logs if header_code(p).startswith("38-")]
    # column 1 (Tổng số lượt tiếp, 1 = 4+13+22) of the bodies' subtotal: the visits of their logs
    assert rows["Cộng sở, ban, ngành"][1] == raw_sums(bodies)["luot_tiep"] > 0
    assert rows["Cộng huyện, thị xã, thành phố"][1] + rows["Cộng sở, ban, ngành"][1] == raw_sums(logs)["luot_tiep"]
    assert "Tỉnh Thanh Hóa" not in rows  # the province's own row sent its plan only


def test_groups_round_trip_and_old_rollups_read_as_territorial(province):
    _, result = province
    back = load_rollup(result.out_path)
    assert back == result.rollup
    assert {u.code: u.group for u in back.units}["38"] == UnitGroup.OWN
    assert {u.code: u.group for u in back.units}["38-SNV"] == UnitGroup.DEPARTMENT
    # a roll-up written before groups: no "group" key anywhere in its hidden data
    rows = []
    for section, key, code, value, blob in rollup_rows(result.rollup):
        if section in ("ledger", "unit") and blob:
            blob = json.dumps([{k: v for k, v in d.items() if k != "group"} for d in json.loads(blob)],
                              ensure_ascii=False)
        rows.append((section, key, code, value, blob))
    old = rollup_from_rows(rows, "38", "Tỉnh Thanh Hóa", "2024-Y")
    assert {e.group for e in old.ledger} == {u.group for u in old.units} == {UnitGroup.TERRITORIAL}
    assert old.totals == result.rollup.totals


def test_the_narrative_says_who_the_figures_cover_per_group(province, tmp_path):
    folder, result = province
    md = tmp_path / "tinh.md"
    report_text(result.out_path, md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    n = len(LEGACY.children("38"))
    assert (f"Số liệu tổng hợp từ báo cáo hợp lệ của 2/{n} huyện, thị xã, thành phố và 3/10 sở, ban, ngành; "
            "chưa có số liệu của") in text
    assert f"Có 2/{n} huyện, thị xã, thành phố và 3/10 sở, ban, ngành đã nộp ít nhất một biểu" in text
    own = raw_sums([p for p in folder.glob("*ke-hoach*.xlsx") if header_code(p) == "38"])["nv_tong"]
    assert re.search(rf"Riêng kế hoạch của Ủy ban nhân dân tỉnh Thanh Hóa( \(số liệu đến ngày [\d/]+\))? có {own} nhiệm vụ",
                     text)
    assert "toàn tỉnh" not in text
    assert "Thủ trưởng các sở, ban, ngành (3 đơn vị có số liệu) đã thực hiện" in text  # the bodies' heads apart


def test_a_bodys_own_report_goes_to_the_province_through_its_sở_nội_vụ(province, tmp_path):
    folder, _ = province
    md = tmp_path / "snv.md"
    report_text(sorted(folder.glob("38-SNV-*.xlsx")), md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    assert text.startswith("**UBND TỈNH THANH HÓA**  \n**SỞ NỘI VỤ**")
    assert "Sở Nội vụ báo cáo" in text and "Ủy ban nhân dân Sở" not in text
    assert "- UBND tỉnh Thanh Hóa (qua Sở Nội vụ);" in text and "- Ban Dân vận Tỉnh ủy;" in text
    assert "*Thanh Hóa, ngày" in text


# --- the level above: district roll-ups with their own rows ---------------------------------------

def test_district_rollups_with_own_rows_add_up_as_every_file_flat(tmp_path):
    """A province consolidating district roll-ups that hold the districts' own plan, log and report,
    with its bodies and its own plan: every total equals the sum of all the raw files' cells."""
    p = parse("2024-H1")
    raw_files: list[Path] = []
    rollups = tmp_path / "tỉnh"
    for d in ("403", "404"):
        unit = LEGACY.get(d)
        f = tmp_path / f"huyện {d}"
        kids = [u.code for u in LEGACY.children(d)[:2]]
        write_samples(d, "2024-H1", f, seed=3, children=kids + [d])  # the communes, the district's own plan
        corpus.write_report(f, corpus.report_values(), unit=(d, unit.name), period=p)  # and its own report, log
        corpus.write_log(f, unit=(d, unit.name), period=p)
        raw_files += sorted(f.glob("*.xlsx"))
        res = consolidate_folder(f, parent=d, db=tmp_path / "a.sqlite", out=rollups / f"tong-hop-{d}.xlsx",
                                 workers=1)
        own = [r for r in res.ledger if r.group == UnitGroup.OWN][0]
        assert own.forms == ["bao-cao-dinh-ky", "ke-hoach", "so-tiep-cong-dan"]
        assert res.coverage("bao-cao-dinh-ky").expected == len(LEGACY.children(d)) + 1  # its own report counted
    write_samples("38", "2024-H1", rollups, seed=3, children=["38-SNV", "38-STP", "38"])
    raw_files += sorted(rollups.glob("38*.xlsx"))
    # a district's own plan sent again beside its roll-up, which holds it already: not counted twice
    (again,) = (tmp_path / "huyện 403").glob("403-*ke-hoach*.xlsx")
    shutil.copy(again, rollups / again.name)
    via = consolidate_folder(rollups, parent="38", db=tmp_path / "b.sqlite", out=tmp_path / "via.xlsx", workers=1)
    (left,) = [f for f in via.files if f.path.name == again.name]
    assert [(i.code, i.severity) for i in left.issues] == [("duplicate-submission", "warning")]
    assert "tong-hop-403.xlsx" in left.issues[0].message
    want = raw_sums(raw_files)
    reports = [raw_report(p) for p in raw_files if "bao-cao-dinh-ky" in p.name]  # each report's cells, read once
    for k, v in want.items():
        if k in ADDED or k not in COUNTS:
            assert via.totals[k] == v, k
        else:  # a catalogue's size: never summed; the smallest and largest unit's
            raws = [r[k] for r in reports]
            got = via.rollup.totals.spreads[k]
            assert via.totals.get(k) is None and (got.lo, got.hi) == (min(raws), max(raws)), k
    assert {r.unit_code for r in via.ledger if r.submitted} == {"403", "404", "38-SNV", "38-STP", "38"}
    # the districts' roll-ups hold some of their communes only: partial, and said so
    cov = dict(via.coverages("bao-cao-dinh-ky"))[UnitGroup.TERRITORIAL]
    assert cov.partial_counts == {LEGACY.get(d).name: (3, len(LEGACY.children(d)) + 1) for d in ("403", "404")}


# --- rollout codes of the level (issue 16 §5) ------------------------------------------------------

def test_the_province_sample_validates_without_error(tmp_path):
    folder = tmp_path / "mẫu"
    districts = [u.code for u in LEGACY.children("38")[:3]]
    write_samples("38", "2024-Y", folder, seed=1, children=districts + ["38-SNV", "38"], district_rollups=False)
    report = validate_paths([folder], workers=1)
    assert len(report.files) == 3 * 3 + 2 + 1
    assert all(not f.errors for f in report.files), [(f.path.name, [i.message for i in f.errors]) for f in report.files]
    plans = [f for f in report.files if f.form_id == "ke-hoach" and f.unit_code in districts]
    assert plans and all(not f.warnings for f in plans)  # each district's own rollout row (3 digits)


def test_a_rollout_code_not_under_the_issuer_is_a_warning_at_its_cell(tmp_path):
    (path,) = write_samples("403", "2024-H1", tmp_path, seed=1, children=["403"])
    col = ROAD.col("ma_don_vi")
    ws = load_workbook(path)[ROAD.name]
    assert ws.cell(ROAD.first_row, col).value is None  # the issuer's own plan leaves the rollout to its communes
    elsewhere = LEGACY.children("404")[0].code  # a commune of Nông Cống, not of Như Thanh
    cells = {"403": "own", "16240": "valid", elsewhere: "elsewhere"}  # 16240 Phượng Nghi (Như Thanh)
    row = ROAD.first_row
    for code in cells:  # the first cell typed and saved by openpyxl, the others typed in the sheet's XML
        typed = corpus.put if row == ROAD.first_row else corpus.type_over
        typed(path, ROAD.name, f"{get_column_letter(col)}{row}", code, as_text=True)
        corpus.type_over(path, ROAD.name, f"{get_column_letter(ROAD.col('nam'))}{row}", 2024)
        corpus.type_over(path, ROAD.name, f"{get_column_letter(ROAD.col('don_vi'))}{row}", "Đơn vị " + code, True)
        corpus.type_over(path, ROAD.name, f"{get_column_letter(ROAD.col('trang_thai'))}{row}", "Kế hoạch", True)
        row += 1
    r = validate_file(path)
    found = [(i.code, i.severity, i.cell) for i in r.issues if i.sheet == ROAD.name]
    letter = get_column_letter(col)
    assert found == [("rollout-unit", "warning", f"{letter}{ROAD.first_row + 2}")], [i.message for i in r.issues]
    assert elsewhere in r.issues[0].message and "Huyện Như Thanh" in r.issues[0].message


def test_the_status_counts_the_own_files_that_have_no_deadline(nhu_thanh_rollup):
    """The Như Thanh sample holds the district's own plan: sent, expected, with no deadline; on time + late +
    without a deadline add up to what was sent (the console's status line prints these counts)."""
    result = nhu_thanh_rollup  # tests/conftest.py: the committed sample consolidated
    s = result.summary_dict()["units"]
    own = [e for e in result.rollup.ledger if e.group == UnitGroup.OWN and e.submitted]
    assert [e.unit_code for e in own] == ["403"] and own[0].on_time is None
    assert s["undated"] == len(own) and s["on_time"] + s["late"] + s["undated"] == s["submitted"]
