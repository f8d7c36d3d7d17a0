"""The history reshaped by a worker beside the roll-up's write (dvcq.rollup.beside): the same records as those
completed from packed rows, and the roll-up and its history still agree when the run is killed or fails at any
step."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
from dvcq.intake import parallel
from dvcq.intake.readback import load_rollup
from dvcq.rollup import beside, consolidate, store
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import load

from tests.support import corpus

LEGACY = load("legacy")
TABLES = {  # each table of the history in its key's order, without the time a run was recorded
    "runs": "SELECT id, period, parent_code, folder, out_path, submitted, expected, part, expected_units FROM runs "
            "ORDER BY id",
    "submissions": "SELECT * FROM submissions ORDER BY period, part, rollup_code, unit_code, form_id",
    "unit_values": "SELECT * FROM unit_values ORDER BY period, part, rollup_code, unit_code, role, key",
    "unit_targets": "SELECT * FROM unit_targets ORDER BY period, part, rollup_code, unit_code, role, code",
    "rollup_values": "SELECT * FROM rollup_values ORDER BY period, part, parent_code, key",
    "rollup_targets": "SELECT * FROM rollup_targets ORDER BY period, part, parent_code, code",
}
two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a worker records only beside a second core")


def _rows(db) -> dict[str, list]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(q).fetchall() for t, q in TABLES.items()}


def _pending(db) -> list[int]:
    with sqlite3.connect(db) as con:
        return [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in store.PENDING]


KIDS = [u.code for u in LEGACY.children("403")[:3]]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Như Thanh's samples for three of its communes, written once for the module (the generator is deterministic:
    the same bytes each time; 0.4 s of CPU a write, for each of eight tests)."""
    folder = tmp_path_factory.mktemp("beside") / "mẫu"
    write_samples("403", "2024-H1", folder, seed=6, children=KIDS)
    return folder


@pytest.fixture
def folder(written, tmp_path):
    """A copy of ``written`` of the test's own (tests replace a report in it)."""
    return shutil.copytree(written, tmp_path / "nộp báo cáo"), KIDS


def _replace_a_report(folder, kid) -> None:
    """A unit's report replaced by a different one: the next run's records differ."""
    (old,) = folder.glob(f"{kid}-*bao-cao-dinh-ky*.xlsx")
    corpus.write_report(folder, corpus.report_values(), unit=(kid, LEGACY.get(kid).name), name=old.name)


@two_cores
def test_the_history_reshaped_by_a_worker_is_the_one_recorded_here(folder, tmp_path, monkeypatch):
    folder, kids = folder
    here, apart = tmp_path / "here.sqlite", tmp_path / "apart.sqlite"
    for n in range(2):  # a first run, then one that replaces a unit's records
        if n:
            _replace_a_report(folder, kids[0])
        monkeypatch.setattr(beside, "BESIDE_FROM", 10 ** 9)
        consolidate_folder(folder, parent="403", period="2024-H1", db=here, out=tmp_path / "here.xlsx", workers=1)
        monkeypatch.setattr(beside, "BESIDE_FROM", 1)
        cpu = beside.helper_cpu()
        consolidate_folder(folder, parent="403", period="2024-H1", db=apart, out=tmp_path / "here.xlsx", workers=1)
        assert beside.helper_cpu() > cpu  # reshaped by the worker
        expected = _rows(here)
        assert _rows(apart) == expected and len(expected["unit_values"]) > 100 and expected["unit_targets"]
        assert _pending(apart) == [0] * len(store.PENDING)
    # the second run replaced the first one's records: every unit's values carry the second run's id
    assert {r[-1] for r in expected["unit_values"]} == {2}



@two_cores
def test_a_provinces_history_is_reshaped_by_a_worker_its_validation_kept(folder, tmp_path, monkeypatch):
    """A run too small for a worker started on purpose (``BESIDE_FROM``) is reshaped by one its validation kept
    (``KEPT_FROM``), with the records the run would have here; the pool is let go after."""
    folder, _ = folder
    here, apart = tmp_path / "here.sqlite", tmp_path / "apart.sqlite"
    monkeypatch.setattr(beside, "BESIDE_FROM", 10 ** 9)
    monkeypatch.setattr(beside, "KEPT_FROM", 10 ** 9)
    consolidate_folder(folder, parent="403", period="2024-H1", db=here, out=tmp_path / "here.xlsx", workers=2)
    cpu = beside.helper_cpu()
    assert beside.helper_cpu() == cpu and parallel._POOL is None  # nobody kept, nobody reshaped
    monkeypatch.setattr(beside, "KEPT_FROM", 1)
    kept = []
    monkeypatch.setattr(beside, "start", lambda files, start=beside.start: kept.append(parallel.idle(1)) or
                        start(files))
    consolidate_folder(folder, parent="403", period="2024-H1", db=apart, out=tmp_path / "here.xlsx", workers=2)
    assert kept == [True] and beside.helper_cpu() > cpu  # reshaped by the worker the validation kept
    expected = _rows(here)
    assert _rows(apart) == expected and len(expected["unit_values"]) > 100
    assert _pending(apart) == [0] * len(store.PENDING) and parallel._POOL is None

KILL = """
import os, signal, sys
from pathlib import Path
from dvcq.rollup import beside, consolidate, store
beside.BESIDE_FROM = 1
where = sys.argv[1]
handed = beside.Reshaping.__init__
def hand(self, *a, **k):
    handed(self, *a, **k)
    print(*(s.proc.pid for s in self.batch.pool.slots), flush=True)  # the worker, for the test to wait for its end
beside.Reshaping.__init__ = hand
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
if where == "writing":  # killed while the workbook is written, the history being recorded by the worker
    consolidate.stage_rollup = die
elif where == "before-seal":  # the history reshaped, the workbook written, its SHA-256 not in the run
    store.seal = die
elif where == "before-rollup":  # the run sealed, the roll-up not in place
    consolidate.finish_rollup = die
else:  # the roll-up in place, the run not completed
    store.complete = die
consolidate.consolidate_folder(Path(sys.argv[2]), parent="403", period="2024-H1", db=Path(sys.argv[3]),
                               out=Path(sys.argv[4]), workers=1)
"""


def _wait_gone(pid: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"the worker {pid} did not end")


@two_cores
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
@pytest.mark.parametrize("where", ["writing", "before-seal", "before-rollup", "before-history"])
def test_a_run_killed_while_a_worker_reshapes_its_history_leaves_them_agreeing(where, folder, tmp_path):
    folder, kids = folder
    db, out = tmp_path / "h.sqlite", tmp_path / "tong-hop.xlsx"
    first = consolidate_folder(folder, parent="403", period="2024-H1", db=db, out=out, workers=1)
    before = _rows(db)
    _replace_a_report(folder, kids[0])
    r = subprocess.run([sys.executable, "-c", KILL, where, str(folder), str(db), str(out)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == -9, r.stderr
    for pid in map(int, r.stdout.split()):  # the orphaned worker ends once it has recorded what it was given
        _wait_gone(pid)
    on_disk = load_rollup(out).totals
    recorded = store.rollup_totals(db, "2024-H1", "403")  # the history opened: the killed run settled
    assert recorded is not None and recorded.flat() == on_disk.flat()
    put_in_place = on_disk.flat() != first.rollup.totals.flat()
    assert put_in_place == (where == "before-history")  # the roll-up is new only once it was put in place
    if not put_in_place:  # the earlier run's history, whole
        assert _rows(db) == before
    assert _pending(db)[0] == 0


@two_cores
def test_a_write_that_fails_drops_the_run_its_worker_reshaped(folder, tmp_path, monkeypatch):
    folder, kids = folder
    db, out = tmp_path / "h.sqlite", tmp_path / "tong-hop.xlsx"
    consolidate_folder(folder, parent="403", period="2024-H1", db=db, out=out, workers=1)
    before, workbook = _rows(db), out.read_bytes()
    _replace_a_report(folder, kids[0])
    monkeypatch.setattr(beside, "BESIDE_FROM", 1)

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(consolidate, "stage_rollup", full)
    cpu = beside.helper_cpu()
    with pytest.raises(OSError):
        consolidate_folder(folder, parent="403", period="2024-H1", db=db, out=out, workers=1)
    assert beside.helper_cpu() > cpu  # the worker had reshaped the run
    assert _rows(db) == before and _pending(db) == [0] * len(store.PENDING)
    assert out.read_bytes() == workbook
