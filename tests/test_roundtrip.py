"""A roll-up read back from its hidden data equals the consolidation it was written from, and nothing
is read from its visible sheets (issue 13, deliverable 2)."""
from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook

from dvcq.consolidate import consolidate_folder
from dvcq.readback import load_rollup
from dvcq.rollup import CODE_ROW, FIRST_UNIT_ROW, SUMMARY

from .conftest import SAMPLE

NOW = datetime(2024, 7, 15, 8, 30, 0)


@pytest.fixture(scope="module")
def nhu_thanh(tmp_path_factory):
    """The Như Thanh 2024-H1 sample consolidated, and its roll-up read back."""
    base = tmp_path_factory.mktemp("roundtrip")
    result = consolidate_folder(SAMPLE, out=base / "tong-hop.xlsx", db=base / "lich-su.sqlite", workers=1, now=NOW)
    return result, load_rollup(result.out_path)


def same_values(got: dict, want: dict) -> None:
    """The same keys, numbers equal up to float rounding, anything else equal."""
    assert set(got) == set(want)
    for k, v in want.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            assert got[k] == pytest.approx(v), k
        else:
            assert got[k] == v, k


def test_identity_and_totals_round_trip(nhu_thanh):
    result, back = nhu_thanh
    assert (back["unit_code"], back["unit_name"], back["period"]) == (result.parent.code, result.parent.name,
                                                                      result.period.code)
    same_values(back["totals"], result.totals)
    same_values(back["additive"], result.additive_totals)
    same_values(back["extra"], result.extra)


def test_every_unit_round_trips_with_all_its_derived_values(nhu_thanh):
    result, back = nhu_thanh
    assert len(result.units) == 14
    assert [(u["code"], u["name"]) for u in back["units"]] == [(u.code, u.name) for u, _ in result.units]
    for u, (unit, derived) in zip(back["units"], result.units):
        same_values(u["i"], derived)  # every key: indicators, log and plan measures, crosstab cells
        same_values(u["additive"], result.unit_additive[unit.code])
    assert any("luot_tiep" in u["i"] and "nv_tong" in u["i"] for u in back["units"])  # log and plan too


def test_ledger_cases_tasks_and_texts_round_trip(nhu_thanh):
    result, back = nhu_thanh
    want = [{"unit_code": r.unit_code, "unit_name": r.unit_name, "submitted": r.submitted, "on_time": r.on_time,
             "status": r.status, "forms": r.forms, "covers": r.covers} for r in result.ledger]
    assert back["ledger"] == want
    assert back["overdue_cases"] == result.overdue_cases
    assert back["overdue_tasks"] == result.overdue_tasks
    assert back["texts"] == result.texts
    assert result.overdue_cases and result.texts  # the sample exercises the lists


def test_an_edited_visible_cell_changes_nothing_read_back(nhu_thanh, tmp_path):
    result, back = nhu_thanh
    wb = load_workbook(result.out_path)
    ws = wb[SUMMARY]
    codes = [c.value for c in ws[CODE_ROW]]
    cell = ws.cell(FIRST_UNIT_ROW, codes.index("TT01") + 1)
    assert ws.cell(FIRST_UNIT_ROW, 2).value == back["units"][0]["code"]
    cell.value = (cell.value or 0) + 1000
    edited = tmp_path / "sua.xlsx"
    wb.save(edited)
    again = load_rollup(edited)
    assert again["units"][0]["i"]["TT01"] == back["units"][0]["i"]["TT01"] != cell.value
    assert again == back
