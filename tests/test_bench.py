"""The benchmark script works end to end on a small national sample (timings are not asserted)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psutil  # noqa: F401  (a test requirement in setup.cfg: bench/national.py measures memory with it)

from dvcq.intake.parallel import SERIAL_BELOW

ROOT = Path(__file__).resolve().parents[1]
COMMUNES = 10  # 20 files: still above dvcq.intake.parallel.SERIAL_BELOW, so the jobs run with their workers


def test_bench_smoke(tmp_path):
    assert 2 * COMMUNES >= SERIAL_BELOW
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "national.py"), "--communes", str(COMMUNES),
                        "--repeat", "1", "--cache", str(tmp_path / "cache"), "--json", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(out.read_text())
    assert res["files"] == 2 * COMMUNES
    for job in ("floor", "validate_all", "consolidate_all", "consolidate_province", "naive_baseline"):
        assert res[job]["wall"] > 0 and res[job]["rss_mb"] > 0, job
    assert "baseline / dvcq consolidate" in r.stdout
