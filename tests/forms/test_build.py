"""The built forms: deterministic, with dropdowns, protection, formulas, metadata and print setup."""
from __future__ import annotations

import re

import pytest
from dvcq.forms import spec
from dvcq.forms.build import LISTS_SHEET, build_all, prefilled_forms
from openpyxl import load_workbook

from tests.support.cli import dvcq as run
from tests.support.paths import WORKBOOKS


def committed_build_year() -> int:
    """The year the committed blank forms were built for: their period list starts with quarter I of the year
    ``period_years_back`` (chung.yaml) years before it."""
    first = load_workbook(WORKBOOKS / "bao-cao-dinh-ky.xlsx")[LISTS_SHEET]["A2"].value
    match = re.fullmatch(r"Quý I năm (\d{4})", first)
    assert match, first
    return int(match.group(1)) + spec.load_form("bao-cao-dinh-ky").settings["period_years_back"]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    build_all(out, committed_build_year())
    return out


_GENERATOR = re.compile(r"^dvcq \S+$")  # the metadata's "dvcq <version>": every release changes it


def _cells(ws):
    return {(c.coordinate): ("dvcq {version}" if isinstance(c.value, str) and _GENERATOR.match(c.value) else c.value,
                             c.data_type, c.protection.locked, c.number_format)
            for row in ws.iter_rows() for c in row if c.value is not None}


def _validations(ws):
    return sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.operator, dv.prompt, dv.error)
                  for dv in ws.data_validations.dataValidation)


@pytest.mark.parametrize("form_id", spec.FORM_IDS)
def test_rebuild_equals_committed_workbook(rebuilt, form_id):
    new = load_workbook(rebuilt / f"{form_id}.xlsx")
    old = load_workbook(WORKBOOKS / f"{form_id}.xlsx")
    assert new.sheetnames == old.sheetnames
    for name in new.sheetnames:
        assert _cells(new[name]) == _cells(old[name]), name
        assert _validations(new[name]) == _validations(old[name]), name
        assert str(new[name].merged_cells) == str(old[name].merged_cells), name


def _list_values(wb, formula):
    sheet, rng = formula.split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[rng.replace("$", "")] for c in row]


@pytest.mark.parametrize("form_id", spec.FORM_IDS)
def test_every_enumerated_column_has_its_dropdown(rebuilt, form_id):
    form = spec.load_form(form_id)
    wb = load_workbook(rebuilt / f"{form_id}.xlsx")
    for sheet in form.table_sheets():
        if sheet.optional:  # written only with rows (a plan's "Chưa xếp được")
            continue
        ws = wb[sheet.name]
        dvs = ws.data_validations.dataValidation
        for f in sheet.fields:
            col = spec.col_letter(sheet.col(f.name))
            first = f"{col}{sheet.first_row}"
            covering = [dv for dv in dvs if first in dv.sqref]
            if f.enum:
                assert covering and covering[0].type == "list", f.name
                assert _list_values(wb, covering[0].formula1) == f.enum
                assert covering[0].showErrorMessage and covering[0].error
            elif f.type in ("date", "integer"):
                assert covering and covering[0].type in ("date", "whole"), f.name
                assert covering[0].prompt


def test_report_form_protection_formulas_and_checks(rebuilt):
    form = spec.load_form("bao-cao-dinh-ky")
    wb = load_workbook(rebuilt / "bao-cao-dinh-ky.xlsx")
    ws = wb[form.main.name]
    assert ws.protection.sheet
    for ind in form.indicators:
        cell = ws[form.main.indicator_cell(ind.code)]
        if ind.kind == "ratio":
            assert cell.data_type == "f" and cell.protection.locked
            for code in ind.numerator + ind.denominator:
                assert form.main.indicator_cell(code) in cell.value
        else:
            assert cell.protection.locked is False, ind.code
    check_col = spec.col_letter(form.main.column_of("check"))
    for rule in form.main.checks:  # the rules and the totals' breakdowns (parts)
        cell = ws[f"{check_col}{form.main.indicator(rule.target).row}"]
        assert cell.data_type == "f" and '"Sai"' in cell.value
        # the rule's text with each code replaced by its cell, written out here rather than with Expr.excel
        condition = re.sub(r"\b[A-Z]{2}\d{2}\b", lambda m: form.main.indicator_cell(m.group()),
                           rule.expr.text).replace(" ", "").replace("==", "=")
        assert condition in cell.value, (rule.id, cell.value)
    assert ws[form.header_cell("unit_name")].protection.locked is False
    assert ws.freeze_panes == f"A{form.main.first_row}"


@pytest.mark.parametrize("form_id", spec.FORM_IDS)
def test_metadata_lists_and_print_setup(rebuilt, form_id):
    form = spec.load_form(form_id)
    wb = load_workbook(rebuilt / f"{form_id}.xlsx")
    meta = wb[form.meta_sheet]
    assert meta.sheet_state == "hidden" and meta.protection.sheet
    values = {r[0].value: r[1].value for r in meta.iter_rows(min_col=1, max_col=2)}
    assert values["form_id"] == form_id and values["spec_version"] == form.version
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb.sheetnames[0] == form.instructions_sheet
    for sheet in form.sheets:
        if sheet.optional and not sheet.write_empty:  # written only with rows (a plan's "Chưa xếp được")
            assert sheet.name not in wb.sheetnames
            continue
        ws = wb[sheet.name]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if sheet.landscape else "portrait")
        assert 40 <= (ws.page_setup.scale or 100) <= 100  # a scale fitting its columns to the width (tests/forms/test_print.py)
        # a summary sheet holds two tables: the measures' column titles must not print over the crosstab
        want = None if sheet.kind == "summary" else f"${sheet.header_row}:${sheet.header_row + 1}"
        assert ws.print_title_rows == want


def test_log_summary_sheet_has_one_formula_per_measure(rebuilt):
    """Visits and people are Excel formulas; what counts cases (by Mã vụ việc) says dvcq computes it."""
    form = spec.load_form("so-tiep-cong-dan")
    summary = [s for s in form.sheets if s.kind == "summary"][0]
    ws = load_workbook(rebuilt / "so-tiep-cong-dan.xlsx")[summary.name]
    by_case = 0
    for i, m in enumerate(form.measures):
        title, value = ws[f"B{summary.first_row + i}"].value, ws[f"E{summary.first_row + i}"].value
        assert title == m.title
        if m.distinct or "lan_tiep" in m.where or (m.kind == "ratio" and m.code == "ty_le_giai_quyet"):
            assert value == "Tính khi kiểm tra", m.code
            by_case += 1
        else:
            assert str(value).startswith("="), m.code
            if m.count:
                assert "COUNTIFS" in value
    assert 0 < by_case < len(form.measures)


def test_prefilled_forms_stamp_each_child_unit(tmp_path):
    from dvcq.units.registry import load

    paths = prefilled_forms("403", "2024-H1", tmp_path, ["bao-cao-dinh-ky"])
    children = load("legacy").children("403") + [load("legacy").get("403")]  # the district's own copy too
    assert [p.name for p in paths] == sorted(p.name for p in paths)
    assert len(paths) == len(children)
    form = spec.load_form("bao-cao-dinh-ky")
    for path, unit in zip(paths, sorted(children, key=lambda u: u.code)):
        wb = load_workbook(path)
        ws = wb[form.main.name]
        assert ws[form.header_cell("unit_code")].value == unit.code
        assert ws[form.header_cell("unit_name")].value == unit.name
        assert ws[form.header_cell("period")].value == "6 tháng đầu năm 2024"
        meta = {r[0].value: r[1].value for r in wb[form.meta_sheet].iter_rows(min_col=1, max_col=2)}
        assert (meta["unit_code"], meta["period"]) == (unit.code, "2024-H1")


def _dvcq(*args):
    return run(*args)  # in this process (tests/support/cli.py)


@pytest.mark.parametrize("args,needle", [
    (["forms", "--parent", "99999", "--period", "2024-H1", "--out", "{tmp}"], "99999"),
    (["forms", "--parent", "403", "--period", "2024-H7", "--out", "{tmp}"], "Kỳ báo cáo không hợp lệ"),
    (["forms", "--parent", "16240", "--period", "2024-H1", "--out", "{tmp}"], "không có đơn vị trực thuộc"),
    (["forms", "--parent", "403", "--period", "2024-H1", "--out", "{file}/x"], "Không ghi được"),
    (["sample", "--parent", "99999", "--period", "2024-H1", "--out", "{tmp}"], "99999"),
])
def test_bad_input_gives_one_vietnamese_line_and_status_2(tmp_path, args, needle):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    args = [a.format(tmp=tmp_path / "out", file=blocker) for a in args]
    r = _dvcq(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi:") and needle in lines[0]


def _grouped(n: int) -> str:
    """Vietnamese digit grouping written out here, not with dvcq.fmt: 10000000 -> '10.000.000'."""
    digits = str(int(n))
    groups = []
    while digits:
        digits, groups = digits[:-3], [digits[-3:]] + groups
    return ".".join(groups)


def test_typed_cells_prompt_and_alert_with_the_spec_bounds_in_vietnamese_notation(rebuilt):
    form = spec.load_form("bao-cao-dinh-ky")
    ws = load_workbook(rebuilt / "bao-cao-dinh-ky.xlsx")[form.main.name]
    by_cell = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for ind in form.indicators:
        if ind.kind == "ratio":
            continue
        dv = by_cell[form.main.indicator_cell(ind.code)]
        assert dv.error.startswith(f"{ind.title}: phải là"), dv.error
        assert f"từ {_grouped(ind.minimum)} đến {_grouped(ind.maximum)}" in dv.prompt
    road = spec.load_form("ke-hoach").sheet("Lộ trình")
    ws = load_workbook(rebuilt / "ke-hoach.xlsx")[road.name]
    col = spec.col_letter(road.col("nam"))
    dv = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{col}{road.first_row}")][0]
    year = road.field("nam")
    assert f"từ {year.minimum} đến {year.maximum}" in dv.prompt
