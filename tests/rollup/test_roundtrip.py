"""A roll-up read back from its hidden data equals the consolidation it was written from, and nothing
is read from its visible sheets (issue 13, deliverable 2)."""
from __future__ import annotations

import pytest
from dvcq.forms.spec import REPORT, load_form
from dvcq.intake.readback import load_rollup, rollup_from_rows, rollup_rows
from dvcq.model import SPREAD_HI, SPREAD_LO, OverdueCase, Rollup, Score, UnitText, Values
from dvcq.rollup.aggregate import add_into, derive
from dvcq.rollup.layout import load_layout
from dvcq.rollup.writer import CODE_ROW, FIRST_UNIT_ROW
from openpyxl import load_workbook


@pytest.fixture(scope="module")
def nhu_thanh(nhu_thanh_rollup):
    """The Như Thanh 2024-H1 sample consolidated (tests/conftest.py), and its roll-up read back."""
    return nhu_thanh_rollup, load_rollup(nhu_thanh_rollup.out_path)


def same_values(got: dict, want: dict) -> None:
    """The same keys, numbers equal up to float rounding, anything else equal."""
    assert set(got) == set(want)
    for k, v in want.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            assert got[k] == pytest.approx(v), k
        else:
            assert got[k] == v, k


def test_the_model_read_back_equals_the_model_written(nhu_thanh):
    result, back = nhu_thanh
    assert isinstance(back, Rollup)
    assert back == result.rollup  # every field: totals, units' values, ledger, cases, tasks, texts, bodies, targets


def test_identity_and_totals_round_trip(nhu_thanh):
    result, back = nhu_thanh
    assert (back.unit_code, back.unit_name, back.period) == (result.parent.code, result.parent.name,
                                                             result.period.code)
    same_values(derive(back.totals), result.totals)
    assert back.totals.scores and back.totals.crosstab  # scores and crosstab cells are carried too


def test_every_unit_round_trips_with_all_its_derived_values(nhu_thanh):
    result, back = nhu_thanh
    assert len(result.units) == 14 + 1  # the communes and the district's own plan
    assert [(u.code, u.name) for u in back.units] == [(u.code, u.name) for u, _ in result.units]
    for u, (unit, derived) in zip(back.units, result.units):
        same_values(derive(u.values), derived)  # every key: indicators, log and plan measures
    assert any("luot_tiep" in u.values.counts and "nv_tong" in u.values.counts for u in back.units)


def test_totals_are_the_sum_of_the_units_read_back(nhu_thanh):
    """Independent of the aggregation code: add the units' flat values by hand."""
    _, back = nhu_thanh
    want: dict[str, float] = {}
    lows: dict[str, float] = {}
    highs: dict[str, float] = {}
    for u in back.units:
        for k, v in u.values.flat().items():
            want[k] = want.get(k, 0) + v
            lows[k], highs[k] = min(lows.get(k, v), v), max(highs.get(k, v), v)
    catalogues = {i.code for i in load_form(REPORT).indicators if not i.additive}
    for code in catalogues:  # a catalogue's size is never summed: a unit's count, over units the spread's ends
        want.pop(code, None)
        want[code + SPREAD_LO], want[code + SPREAD_HI] = lows[code + SPREAD_LO], highs[code + SPREAD_HI]
    same_values(back.totals.flat(), want)


def test_lists_are_typed_and_exercised(nhu_thanh):
    result, back = nhu_thanh
    assert [r.entry() for r in result.ledger] == back.ledger
    assert all(isinstance(c, OverdueCase) for c in back.overdue_cases) and back.overdue_cases
    assert all(isinstance(t, UnitText) for t in back.texts) and back.texts
    assert back.overdue_tasks == result.overdue_tasks


def test_an_edited_visible_cell_changes_nothing_read_back(nhu_thanh, tmp_path):
    result, back = nhu_thanh
    wb = load_workbook(result.out_path)
    ws = wb[load_layout().units_sheet(REPORT).name]
    codes = [c.value for c in ws[CODE_ROW]]
    cell = ws.cell(FIRST_UNIT_ROW, codes.index("TT01") + 1)
    assert ws.cell(FIRST_UNIT_ROW, 2).value == back.units[0].code
    cell.value = (cell.value or 0) + 1000
    edited = tmp_path / "sua.xlsx"
    wb.save(edited)
    again = load_rollup(edited)
    assert again.units[0].values.counts["TT01"] == back.units[0].values.counts["TT01"] != cell.value
    assert again == back


def test_sums_of_fractions_keep_what_a_cell_stores(tmp_path):
    """Score sums and fractional counts are added to the 15 significant digits a cell keeps, so a roll-up
    of them reads back equal (a raw float sum of 0.1 and 0.2 is 0.30000000000000004, which a cell does not
    keep, and the read-back model would differ from the one written)."""
    total = Values()
    for score, amount in ((0.1, 1.1), (0.2, 2.2), (1745.8, 0.7)):
        add_into(total, Values(counts={"KP01": amount}, scores={"CC11": Score(score, 1)}))
    assert total.scores["CC11"] == Score(1746.1, 3) and total.counts["KP01"] == 4.0
    model = Rollup("403", "Huyện Như Thanh", "2024-H1", totals=total)
    cells = [tuple(float(f"{v:.15g}") if isinstance(v, float) else v for v in row) for row in rollup_rows(model)]
    assert rollup_from_rows(cells, "403", "Huyện Như Thanh", "2024-H1") == model
