"""The benchmark script works end to end on a small national sample (timings are not asserted)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psutil  # noqa: F401  (a test requirement in setup.cfg: bench/national.py measures memory with it)

from dvcq.intake.parallel import SERIAL_BELOW

ROOT = Path(__file__).resolve().parents[1]
COMMUNES = 2  # 4 files: not below dvcq.intake.parallel.SERIAL_BELOW, so the jobs run with their workers


def test_bench_smoke(tmp_path):
    """bench/national.py end to end on the smallest sample that still reads with workers (each job once):
    every job run and recorded, the ratios printed those of the recorded times; bench/profiling.py on the
    same files names every phase. Nothing is timed."""
    assert 2 * COMMUNES >= SERIAL_BELOW
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "national.py"), "--communes", str(COMMUNES),
                        "--repeat", "1", "--cache", str(tmp_path / "cache"), "--json", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(out.read_text())
    assert res["files"] == 2 * COMMUNES
    assert res["help"]["runs"] == res["validate_one"]["runs"] == 1  # --repeat 1: the short jobs once too
    for job in ("floor", "floor_province", "validate_all", "consolidate_all", "consolidate_province",
                "naive_baseline"):
        assert res[job]["wall"] > 0 and res[job]["rss_mb"] > 0, job
    # the ratios printed are those of the recorded wall times
    w = {job: res[job]["wall"] for job in res if isinstance(res[job], dict) and "wall" in res[job]}
    assert res["ratios"]["consolidate / floor"] == w["consolidate_all"] / w["floor"]
    assert res["ratios"]["baseline / consolidate"] == w["naive_baseline"] / w["consolidate_all"]
    assert res["ratios"]["province consolidate / its floor"] == \
        w["consolidate_province"] / w["floor_province"]
    assert "baseline / consolidate" in r.stdout and "consolidate / floor" in r.stdout
    # the profiler runs on the same files: every phase named, the roll-up's among them
    folder = next((tmp_path / "cache").glob(f"2025-Y-{COMMUNES}-38first-*"))
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "profiling.py"), str(folder), "--province", "38",
                        "--top", "5"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert f"validate_file, serial: {2 * COMMUNES} files" in p.stdout
    assert "check_tables (all)" in p.stdout and "stage_rollup (roll-up workbook)" in p.stdout
    assert "store.record, seal, complete (history)" in p.stdout
