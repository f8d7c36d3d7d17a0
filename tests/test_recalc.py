"""A spreadsheet engine (LibreOffice) recomputes the in-sheet formulas; they must agree with dvcq."""
from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from dvcq import spec
from dvcq.validate import validate_file

from . import corpus
from .conftest import convert

REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")


def _cells(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _at(grid, ref):
    row, col = spec.split_cell(ref)
    return grid[row - 1][col - 1]


def test_log_summary_formulas_compute_what_dvcq_computes(tmp_path, soffice):
    rows = corpus.log_rows() * 1
    rows.append(dict(rows[1], stt=4, ho_ten="Đỗ Thị Lan", so_giay_to="038199000444", so_nguoi=12))
    src = corpus.write_log(tmp_path / "in", rows)
    out = convert(soffice, src, "xlsx", tmp_path / "out", recalc=True)
    summary = [s for s in LOG.sheets if s.kind == "summary"][0]
    grid = _cells(out, summary.name)
    expected = validate_file(src).summary["measures"]
    for i, m in enumerate(LOG.measures):
        got = grid[summary.first_row - 1 + i][4]
        want = expected[m.code]
        if want is None:
            assert got in ("", None), m.code
        else:
            assert got == pytest.approx(want), m.code


def test_report_ratios_and_check_cells_compute_in_the_sheet(tmp_path, soffice):
    values = corpus.report_values()
    values["TD08"] = values["TD08"] + 1  # breaks "TD08 + TD09 + TD10 == TD07"
    src = corpus.write_report(tmp_path / "in", values)
    out = convert(soffice, src, "xlsx", tmp_path / "out", recalc=True)
    main = REPORT.main
    grid = _cells(out, main.name)
    check_col = main.column_of("check")
    for ind in REPORT.indicators:
        if ind.kind == "ratio":
            num = sum(values[c] for c in ind.numerator)
            den = sum(values[c] for c in ind.denominator)
            got = _at(grid, main.indicator_cell(ind.code))
            assert got == (pytest.approx(num / den) if den else ""), ind.code
    failing = {r.target for r in main.rules if r.expr.evaluate(values.get) is False}
    assert failing == {"TD07"}
    for rule in main.rules:
        got = grid[main.indicator(rule.target).row - 1][check_col - 1]
        assert got == ("Sai" if rule.target in failing else "Đúng"), rule.id
