"""Writes history-v1.sqlite: a history database as the release before issue 26 wrote it (schema v1:
values keyed by period and unit code only). Run it with that release's code, never with today's:

    git archive da371d5 | tar -x -C /tmp/dvcq-v1
    PYTHONPATH=/tmp/dvcq-v1/toolkit DVCQ_TEMPLATES=/tmp/dvcq-v1/templates \\
        python tests/rollup/data/make_history_v1.py tests/rollup/data/history-v1.sqlite

What it holds (the collisions issue 26 §1 is about):
- 2024-H1: the district 403 (three communes and its own plan), then the province 38 from 403's roll-up: the
  district's own row and its row in the province's run were both stored as unit 403;
- 2025-9M: the district 403's part before 1/7/2025 (16264 Xã Yên Thọ and 16267 of the three-tier registry),
  then the province 38 (16264 Xã Yên Thọ and 16234 of 2025, its body 38-SNV, 403's roll-up): 16264 was
  stored twice under one key and its second file taken for a replaced submission.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples


def main(out: Path) -> None:
    out = Path(out)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        now = datetime(2026, 1, 5, 9, 0)
        for period, district_children, province_children in (
                ("2024-H1", ["16231", "16234", "16264", "403"], []),
                ("2025-9M", ["16264", "16267", "403"], ["16264", "16234", "38-SNV"])):
            district = tmp / f"403-{period}"
            write_samples("403", period, district, seed=26, children=district_children)
            rollups = tmp / f"38-{period}"
            rollups.mkdir()
            consolidate_folder(district, period=period, parent="403", out=rollups / f"tong-hop-403-{period}.xlsx",
                               db=out, workers=1, now=now)
            if province_children:
                write_samples("38", period, rollups, seed=26, children=province_children)
            consolidate_folder(rollups, period=period, parent="38", out=tmp / f"tong-hop-38-{period}.xlsx", db=out,
                               workers=1, now=now)
    con = sqlite3.connect(out)
    con.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    con.execute("VACUUM")
    con.close()
    for extra in (out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        extra.unlink(missing_ok=True)
    print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
