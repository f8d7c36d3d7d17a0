"""dvcq.forms.formsheet: a form's formulas prepared as XlsxWriter prepares them, and the same bytes written."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from dvcq.forms import formsheet
from dvcq.forms.build import build_form
from dvcq.forms.spec import FORM_IDS, load_form
from tests.support.budget import examples

FRAGMENTS = [f"{name}(" for name in formsheet.DYNAMIC] + [
    "XINGLE(", "_xlfn.", "{", "}", "=", "SUM(", "IF(", "COUNTIFS(", "A1:B2", "'Sổ tiếp'!$C$12", ",", ")", " ", "\"x\"",
    "ACOT(", "CONCAT(", "_xlfn.SORT(", "sort(", "SORTBY(", "ISFORMULA(", "FILTERXML("]


def _both(formula: str, future: bool = False, expand: bool = False) -> tuple[str, str]:
    theirs, ours = Worksheet(), formsheet.FormSheet()
    theirs.use_future_functions = ours.use_future_functions = future
    return (Worksheet._prepare_formula(theirs, formula, expand),
            formsheet.FormSheet._prepare_formula(ours, formula, expand))


@pytest.mark.parametrize("formula", [
    "=SUM(C12:C20)", "{=SUM(A1:A3*B1:B3)}", "=FILTER(A1:A9,B1:B9>0)", "=_xlfn.SORT(A1:A3)", "=XINGLE(A1)",
    "=SINGLE(A1)", "=IF(COUNTIFS('Sổ tiếp'!C:C,\"x\")>0,1,0)", "=LAMBDA(x,x+1)(2)", "MAP(", "", "=", "{}"])
@pytest.mark.parametrize("future", [False, True])
def test_a_formula_is_prepared_as_xlsxwriter_prepares_it(formula, future):
    theirs, ours = _both(formula, future)
    assert ours == theirs
    theirs, ours = _both(formula, expand=True)
    assert ours == theirs


@settings(derandomize=True, max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join))
def test_any_formula_of_fragments_is_prepared_as_xlsxwriter_prepares_it(formula):
    assert _both(formula)[1] == _both(formula)[0]


def test_the_forms_formulas_are_prepared_as_xlsxwriter_prepares_them(tmp_path, monkeypatch):
    """Every formula of the blank forms goes through FormSheet, and the workbook written is the
    one XlsxWriter's own preparation writes, byte for byte."""
    seen = []
    fast = formsheet.FormSheet._prepare_formula

    def spy(self, formula, expand_future_functions=False):
        seen.append(formula)
        return fast(self, formula, expand_future_functions)

    monkeypatch.setattr(formsheet.FormSheet, "_prepare_formula", spy)
    for fid in FORM_IDS:
        build_form(load_form(fid), tmp_path / f"{fid}-fast.xlsx")
    monkeypatch.setattr(formsheet.FormSheet, "_prepare_formula", fast)
    assert len(seen) > 100
    assert all(_both(f)[1] == _both(f)[0] for f in seen)
    monkeypatch.setattr(formsheet.FormSheet, "_prepare_formula", Worksheet._prepare_formula)
    for fid in FORM_IDS:
        build_form(load_form(fid), tmp_path / f"{fid}-slow.xlsx")
        assert (tmp_path / f"{fid}-fast.xlsx").read_bytes() == (tmp_path / f"{fid}-slow.xlsx").read_bytes(), fid
