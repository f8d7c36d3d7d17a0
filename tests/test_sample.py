"""Sample submissions: deterministic, inside the period, reports agree with logs, rules hold."""
from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

from dvcq import spec
from dvcq.periods import parse
from dvcq.registry import load
from dvcq.sample import write_samples

from .conftest import SAMPLE

LOG = spec.load_form("so-tiep-cong-dan").main
REPORT = spec.load_form("bao-cao-dinh-ky")
RS = REPORT.main
KIDS = [u.code for u in load("legacy").children("403")][:2]


def grid(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def log_rows(path):
    g = grid(path, LOG.name)
    rows = [r for r in g[LOG.first_row - 1:] if r and r[LOG.col("ngay_tiep") - 1] != ""]
    return [{f.name: r[i] for i, f in enumerate(LOG.fields)} for r in rows]


def indicators(path):
    g = grid(path, RS.name)
    out = {}
    for ind in REPORT.indicators:
        row, col = spec.split_cell(RS.indicator_cell(ind.code))
        out[ind.code] = g[row - 1][col - 1]
    return out


def test_same_seed_same_cells_other_seed_other_cells(tmp_path):
    a = write_samples("403", "2024-H1", tmp_path / "a", seed=5, children=KIDS)
    b = write_samples("403", "2024-H1", tmp_path / "b", seed=5, children=KIDS)
    c = write_samples("403", "2024-H1", tmp_path / "c", seed=6, children=KIDS)
    logs = [p for p in a if "so-tiep" in p.name]
    for p in logs:
        assert log_rows(p) == log_rows(tmp_path / "b" / p.name)
        assert log_rows(p) != log_rows(tmp_path / "c" / p.name)
    assert [p.name for p in a] == [p.name for p in b] == [p.name for p in c]


def test_committed_sample_is_consistent():
    period = parse("2024-H1")
    files = sorted(SAMPLE.glob("*.xlsx"))
    units = load("legacy").children("403")
    assert len(files) == 3 * len(units)
    for u in units:
        log = next(p for p in files if p.name.startswith(u.code) and "so-tiep" in p.name)
        rep = next(p for p in files if p.name.startswith(u.code) and "bao-cao" in p.name)
        rows = log_rows(log)
        assert 20 <= len(rows) <= 500
        assert all(period.start <= r["ngay_tiep"] <= period.end for r in rows)
        assert all(str(r["so_giay_to"]).startswith("038") and len(str(r["so_giay_to"])) == 12 for r in rows)
        v = indicators(rep)
        assert v["TD04"] == len(rows)
        assert v["TD05"] == sum(r["so_nguoi"] for r in rows)
        assert v["TD06"] == sum(1 for r in rows if r["so_nguoi"] >= 5)
        for rule in RS.rules:
            assert rule.expr.evaluate(v.get) is True, (u.code, rule.id)


def test_injected_errors_file_lists_real_cells(tmp_path):
    import json

    write_samples("403", "2024-H1", tmp_path, seed=2, errors=True, children=[u.code for u in load("legacy").children("403")][:7])
    injected = json.loads((tmp_path / "_loi-co-y.json").read_text(encoding="utf-8"))
    assert {e["code"] for e in injected} == {"enum", "required", "type", "range", "rule", "period"}
    for e in injected:
        assert Path(e["file"]).exists()
