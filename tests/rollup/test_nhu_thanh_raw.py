"""The Như Thanh 2024-H1 figures, roll-up and report text, against sums of the sample's raw cells.

The expected values are read here straight from the committed commune files with python-calamine and
added up in the test, not taken from the roll-up read back, so a bug in consolidation, aggregation or the
roll-up reader cannot hide behind itself.
"""
from __future__ import annotations

import re
import shutil

import pytest
from dvcq.forms import spec

from tests.support import corpus
from tests.support.paths import SAMPLE
from tests.support.reporttext import report_text

REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")


@pytest.fixture(scope="module")
def raw():
    reports = sorted(SAMPLE.glob("*-bao-cao-dinh-ky-2024-H1.xlsx"))
    logs = sorted(SAMPLE.glob("*-so-tiep-cong-dan-2024-H1.xlsx"))
    assert len(reports) >= 10 and len(logs) >= 10
    sums = {}
    for path in reports:
        grid = corpus.raw_grid(path, REPORT.main.name)
        for ind in REPORT.indicators:
            if ind.kind == "count":
                v = corpus.raw_cell(grid, REPORT.main.indicator_cell(ind.code))
                v = int(v) if v not in ("", None) else 0
                if ind.additive:
                    sums[ind.code] = sums.get(ind.code, 0) + v
                else:  # a catalogue's size: the smallest and largest unit's, never a sum
                    lo, hi = sums.get(ind.code, (v, v))
                    sums[ind.code] = (min(lo, v), max(hi, v))
    rows = 0
    for path in logs:
        grid = corpus.raw_grid(path, LOG.main.name)
        name = LOG.main.col("ho_ten") - 1
        rows += sum(1 for r in grid[LOG.main.first_row - 1:] if len(r) > name and str(r[name]).strip())
    sums["luot_tiep"] = rows
    return sums


@pytest.fixture(scope="module")
def nhu_thanh(nhu_thanh_rollup, tmp_path_factory):
    base = tmp_path_factory.mktemp("raw")
    result = nhu_thanh_rollup  # tests/conftest.py; its history copied, as the report may write to it
    db = shutil.copy(result.db_path, base / "db.sqlite")
    return result, report_text(result.out_path, base / "bc.md", db=db, signer="Đặng Tiến Dũng", number="1")


def test_rollup_totals_are_the_sums_of_the_communes_cells(raw, nhu_thanh):
    result, _ = nhu_thanh
    # the communes, and the district's own row (its plan)
    assert len(result.units) == len(list(SAMPLE.glob("*-bao-cao-dinh-ky-2024-H1.xlsx"))) + 1
    for code, total in raw.items():
        if isinstance(total, tuple):
            got = result.rollup.totals.spreads[code]
            assert result.totals.get(code) is None and (got.lo, got.hi) == total, code
        else:
            assert result.totals[code] == total, code
    for ind in REPORT.indicators:
        if ind.kind == "ratio" and ind.additive:
            num = sum(raw[c] for c in ind.numerator)
            den = sum(raw[c] for c in ind.denominator)
            assert result.totals[ind.code] == pytest.approx(num / den if den else None), ind.code


def _vi(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_report_numbers_are_the_sums_of_the_communes_cells(raw, nhu_thanh):
    _, text = nhu_thanh
    for pattern, code in {r"tổ chức ([\d.]+) hội nghị": "TT01", r"Tiếp nhận ([\d.]+) hồ sơ": "CC01",
                          r"đã giải quyết ([\d.]+) hồ sơ": "CC02", r"Đã tiếp ([\d.]+) lượt công dân": "TD04",
                          r"Tiếp nhận ([\d.]+) đơn": "TD07", r"gồm ([\d.]+) đơn khiếu nại": "TD08",
                          r"đã ghi ([\d.]+) lượt tiếp": "luot_tiep"}.items():
        m = re.search(pattern, text)
        assert m, pattern
        assert m.group(1) == _vi(raw[code]), (pattern, m.group(1), raw[code])
    m = re.search(r"đã giải quyết ([\d.]+)/([\d.]+), đạt ([\d,]+)%", text)
    assert (m.group(1), m.group(2)) == (_vi(raw["TD12"]), _vi(raw["TD11"]))
    pct = 100 * raw["TD12"] / raw["TD11"]
    assert abs(float(m.group(3).replace(",", ".")) - pct) <= 0.05 + 1e-9
