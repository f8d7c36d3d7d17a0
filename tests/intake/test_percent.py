"""A percentage typed in Excel (issue 26 §2): a cell typed "100%" is stored as 1 with a percent number format, and
is read as the 100% it shows, wherever a rate or a target is typed (the plan's sheet "Chỉ tiêu" and its rollout
target, the report's scores in % and its column "Chỉ tiêu"); a bare value at or below 1 where a percentage is
expected is a warning naming the cell. The workbooks are saved by openpyxl with number_format '0%' as Excel
stores such a cell (the value 1, style numFmtId 9)."""
from __future__ import annotations

import zipfile

from dvcq.forms import spec
from dvcq.intake.read import load
from dvcq.intake.validate import validate_file
from openpyxl import load_workbook

from tests.support import corpus

PLAN = spec.load_form("ke-hoach")
REPORT = spec.load_form("bao-cao-dinh-ky")
TARGETS = PLAN.sheet("Chỉ tiêu")
ROLLOUT = PLAN.sheet("Lộ trình")


def _title(code: str) -> str:
    return REPORT.main.indicator(code).title


def type_cells(path, sheet: str, cells: dict) -> None:
    """Type values into cells as Excel keeps them: {ref: (value, number_format or None)}."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, (value, number_format) in cells.items():
        ws[ref].value = value
        if number_format:
            ws[ref].number_format = number_format
        else:
            ws[ref].number_format = "General"
    wb.save(path)


def excel_stores(path, sheet: str, ref: str) -> tuple[float, str]:
    """The stored value and number format of a cell, read with openpyxl (independently of dvcq)."""
    cell = load_workbook(path)[sheet][ref]
    return cell.value, cell.number_format


def plan_row(path, row: int, code: str, value, number_format) -> str:
    """One row of the plan's sheet "Chỉ tiêu": the indicator, its value as typed, the report's year."""
    c = {f: spec.col_letter(TARGETS.col(f)) for f in ("chi_tieu", "gia_tri", "nam")}
    r = TARGETS.first_row + row
    type_cells(path, TARGETS.name, {f"{c['chi_tieu']}{r}": (_title(code), None),
                                    f"{c['gia_tri']}{r}": (value, number_format),
                                    f"{c['nam']}{r}": (2024, "0")})
    return f"{c['gia_tri']}{r}"


def test_a_plan_target_typed_100_percent_is_100_percent(tmp_path):
    plan = corpus.write_plan(tmp_path)
    typed = plan_row(plan, 0, "CC15", 1, "0%")  # "100%" typed: Excel keeps 1 and the format 0%
    assert excel_stores(plan, TARGETS.name, typed) == (1, "0%")
    bare = plan_row(plan, 1, "HG03", 0.9, None)  # a bare 0.9 where the sheet asks for percent: 0.9%, with a warning
    count = plan_row(plan, 2, "BD01", 1, None)  # a count of 1 (a course) is no percentage: no warning
    r = validate_file(plan)
    assert r.status == "ok", [i.message for i in r.issues]
    t = r.summary.targets
    assert t["CC15"].value == 1.0  # 100% in the indicator's scale (a fraction), not 0.01
    assert abs(t["HG03"].value - 0.009) < 1e-12
    assert t["BD01"].value == 1
    warned = [i for i in r.issues if i.code == "percent-value"]
    assert [(i.sheet, i.cell) for i in warned] == [(TARGETS.name, bare)]
    assert "0,9%" in warned[0].message or "0.9" in warned[0].message
    assert count not in {i.cell for i in r.issues}


def test_a_rollout_target_typed_100_percent_is_100_percent(tmp_path):
    plan = corpus.write_plan(tmp_path)
    ref = ROLLOUT.extra_cell("muc_tieu_ty_le", PLAN.header_first_row, len(PLAN.header))
    type_cells(plan, ROLLOUT.name, {ref: (1, "0%")})
    r = validate_file(plan)
    assert r.status == "ok"
    assert r.summary.rollout_target.share == 100.0
    type_cells(plan, ROLLOUT.name, {ref: (1, None)})  # bare 1: 1%, said
    r = validate_file(plan)
    assert r.summary.rollout_target.share == 1.0
    assert [(i.code, i.cell) for i in r.issues if i.code == "percent-value"] == [("percent-value", ref)]


def test_a_score_in_percent_and_a_report_target_read_as_they_show(tmp_path):
    report = corpus.write_report(tmp_path)
    sipas = REPORT.main.indicator_cell("CC11")
    rate_target, score_target = REPORT.main.target_cell("CC15"), REPORT.main.target_cell("CC11")
    type_cells(report, REPORT.main.name, {sipas: (0.925, "0.0%"),  # "92,5%" typed over the value 92,5
                                          rate_target: (100, None),  # a rate's target typed as 100 in a General cell
                                          score_target: (0.9, "0%")})  # SIPAS's target typed "90%"
    stored = excel_stores(report, REPORT.main.name, sipas)
    assert stored == (0.925, "0.0%")
    r = validate_file(report)
    assert r.status == "ok", [i.message for i in r.issues]
    assert r.summary.indicators["CC11"] == stored[0] * 100
    assert r.summary.targets["CC15"].value == 1.0
    assert r.summary.targets["CC11"].value == 90.0
    assert not [i for i in r.issues if i.code == "percent-value"]


def test_the_cells_formatted_as_percent_are_found_from_the_styles_part(tmp_path):
    """The reader's own look at formats (calamine gives none): the styles part and each cell's s= attribute."""
    report = corpus.write_report(tmp_path)
    sipas = REPORT.main.indicator_cell("CC11")
    type_cells(report, REPORT.main.name, {sipas: (0.925, "0.0%")})
    with zipfile.ZipFile(report) as z:
        assert b"0.0%" in z.read("xl/styles.xml")
    book = load(report)
    cells = book.percent_cells(REPORT.main.name)
    assert sipas in cells
    assert REPORT.main.indicator_cell("TT01") not in cells


def test_a_cells_own_tag_tells_its_format_as_the_whole_sheets_scan_does(tmp_path):
    """``Book.is_percent`` (a cell's own tag, issue 27) against ``percent_cells`` (every cell of the sheet): the same
    answer for every cell of the indicator sheet, asked in sheet order and in reverse, on a report with a typed
    percentage and on a report written by openpyxl (other attribute layouts)."""
    report = corpus.write_report(tmp_path)
    sheet = REPORT.main.name
    type_cells(report, sheet, {REPORT.main.indicator_cell("CC11"): (0.925, "0.0%"),
                               REPORT.main.indicator_cell("TT01"): (3, "0")})
    resaved = tmp_path / "resaved.xlsx"
    load_workbook(report).save(resaved)
    refs = [spec.cell_ref(r, c) for r in range(1, 120) for c in range(1, 12)]
    for path in (report, resaved):
        whole = load(path).percent_cells(sheet)
        assert REPORT.main.indicator_cell("CC11") in whole
        for order in (refs, refs[::-1]):
            book = load(path)
            assert {ref for ref in order if book.is_percent(sheet, ref)} == whole & set(refs)
