"""Sums that mean something (issue 22, §5): a catalogue of procedures is each unit's own; a roll-up and the report
give it per unit and as a range (smallest to largest unit), never as a sum. Expected values from the raw cells."""
from __future__ import annotations

import pytest
from dvcq.fmt import number, percent
from dvcq.forms import spec
from dvcq.intake.readback import load_rollup
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.rollup.layout import load_layout
from dvcq.units.registry import load

from tests.support import corpus
from tests.support.reporttext import report_text

REPORT = spec.load_form("bao-cao-dinh-ky")
RS = REPORT.main
COMMUNES = load("legacy").children("403")[:3]
CATALOGUES = [i.code for i in REPORT.indicators if not i.additive]
# the unit's catalogue: online procedures (fully, partly), those listed publicly, decentralised
SIZES = [dict(CC12=120, CC07=80, CC13=50, CC14=30, CC10=100, CC17=3),
         dict(CC12=300, CC07=200, CC13=150, CC14=40, CC10=260, CC17=12),
         dict(CC12=210, CC07=150, CC13=70, CC14=70, CC10=180, CC17=0)]


@pytest.fixture(scope="module")
def rollup(tmp_path_factory):
    base = tmp_path_factory.mktemp("catalogues")
    folder = base / "nop"
    for u, sizes in zip(COMMUNES, SIZES):
        corpus.write_report(folder, dict(corpus.report_values(), **sizes), unit=(u.code, u.name))
    result = consolidate_folder(folder, parent="403", period="2024-H1", db=base / "h.sqlite", workers=1)
    return folder, result


def _raw(folder):
    out = []
    for u in COMMUNES:
        grid = corpus.raw_grid(next(folder.glob(f"{u.code}-bao-cao-dinh-ky.xlsx")), RS.name)
        out.append({c: corpus.raw_cell(grid, RS.indicator_cell(c)) for c in ("CC07", "CC10", "CC12", "CC13", "CC14",
                                                                            "CC17", "TD02")})
    return out


def test_the_specification_declares_the_catalogues_and_their_rates():
    assert {"CC07", "CC10", "CC12", "CC13", "CC14", "CC17"} <= set(CATALOGUES)
    assert {"CC15", "CC16"} <= set(CATALOGUES)  # rates of catalogues: derived from their terms
    assert not {"CC01", "CC02", "TD04", "TD07", "CC06", "CC09"} & set(CATALOGUES)


def test_the_total_row_gives_the_smallest_and_largest_unit_never_the_sum(rollup):
    folder, result = rollup
    raws = _raw(folder)
    sheet = load_layout().units_sheet(spec.REPORT)
    grid = corpus.raw_grid(result.out_path, sheet.name)
    codes = grid[4]
    total = next(r for r in grid if str(r[2]).startswith("Tổng cộng"))
    for code in ("CC07", "CC10", "CC12", "CC13", "CC14", "CC17"):
        values = [r[code] for r in raws]
        assert total[codes.index(code)] == f"{number(min(values))} – {number(max(values))}", code
        assert result.totals.get(code) is None
    rates = [r["CC13"] / r["CC12"] for r in raws]
    assert total[codes.index("CC15")] == f"{percent(min(rates))} – {percent(max(rates))}"
    assert total[codes.index("CC01")] == result.totals["CC01"]  # an additive count stays a sum
    assert load_rollup(result.out_path).totals.spreads == result.rollup.totals.spreads


def test_the_report_gives_a_range_and_no_sum(rollup, tmp_path):
    folder, result = rollup
    raws = _raw(folder)
    md = tmp_path / "r.md"
    report_text([result.out_path], md, db=tmp_path / "none.sqlite")
    text = md.read_text(encoding="utf-8")
    cc12 = [r["CC12"] for r in raws]
    assert f"số thủ tục thuộc thẩm quyền từ {number(min(cc12))} đến {number(max(cc12))} thủ tục mỗi đơn vị" in text
    for code in ("CC07", "CC12", "CC13", "CC14", "CC10"):
        assert f" {number(sum(r[code] for r in raws))} thủ tục" not in text, code
