"""Worker processes: spawn only (as on Windows), and a worker that dies costs one file, never the run."""
from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import psutil
import pytest
from dvcq.intake import parallel
from dvcq.intake.validate import validate_paths
from dvcq.rollup.consolidate import consolidate_folder

from tests.support import workerjobs
from tests.support.paths import SAMPLE
from tests.support.workerjobs import pid_and_mark as _pid_and_mark
from tests.support.workerjobs import square_or_die as _square_or_die


def test_the_suite_runs_without_fork():
    with pytest.raises(ValueError, match="fork"):
        multiprocessing.get_context("fork")
    assert multiprocessing.get_all_start_methods() == ["spawn"]


def test_workers_are_fresh_processes_that_inherit_no_globals(monkeypatch):
    monkeypatch.setattr(workerjobs, "MARK", "changed in the parent")
    files = [Path(f"f-{i}") for i in range(8)]
    out = parallel.map_files(_pid_and_mark, files, workers=2)
    pids = {pid for pid, _ in out}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert {m for _, m in out} == {"as imported"}  # a forked worker would see the parent's value


@pytest.mark.parametrize("how", ["abort", "kill", "memory"])
def test_a_dying_worker_costs_only_its_file(how):
    files = [Path(f"f-{i}") for i in range(20)]
    files[3] = Path("chet-3")
    files[11] = Path("chet-11")
    crashed = []
    out = parallel.map_files(_square_or_die, files, how, workers=2,
                             on_crash=lambda p, code: crashed.append((p, code)) or f"crashed {p.name}")
    expected = [f"crashed {f.name}" if f.name.startswith("chet-") else int(f.name.split("-")[1]) ** 2 for f in files]
    assert out == expected
    assert sorted(p.name for p, _ in crashed) == ["chet-11", "chet-3"]
    assert all(code not in (0, None) for _, code in crashed)


def test_progress_counts_every_file_once():
    files = [Path(f"f-{i}") for i in range(10)] + [Path("chet-99")]
    seen = []
    parallel.map_files(_square_or_die, files, "kill", workers=2, on_crash=lambda p, c: None,
                       progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, len(files)) for i in range(1, len(files) + 1)]


def test_errors_of_the_function_are_raised_as_in_a_serial_run():
    with pytest.raises(ValueError):
        parallel.map_files(_square_or_die, [Path("f-1"), Path("f-x"), Path("f-2"), Path("f-3")], "abort", workers=2)


def _kill_workers() -> int:
    killed = 0
    for child in psutil.Process().children(recursive=True):
        try:
            if "spawn_main" in " ".join(child.cmdline()):  # a worker, not the resource tracker
                child.send_signal(signal.SIGKILL)
                killed += 1
        except psutil.Error:
            continue
    return killed


def test_a_worker_killed_during_consolidation_costs_at_most_its_file(tmp_path):
    """Workers are killed while the run goes on; a killed worker that had taken a file loses that
    file (reported 'reader-crashed'); one killed between files loses nothing. Either way the roll-up
    is written and every other file ends as in an undisturbed run."""
    before = {r.path.name: r.status for r in validate_paths([SAMPLE], workers=1).files}
    losses = []
    for attempt in range(6):
        killed = []

        def kill_once(done, total):
            if done == 5 and not killed:
                killed.append(_kill_workers())

        out = tmp_path / f"tong-hop-{attempt}.xlsx"
        result = consolidate_folder(SAMPLE, out=out, db=tmp_path / f"{attempt}.sqlite", workers=2, progress=kill_once)
        assert killed and killed[0] >= 1 and out.exists()
        lost = [r for r in result.files if r.status == "unreadable"]
        assert len(lost) <= killed[0]
        for r in lost:
            assert r.issues[0].code == "reader-crashed" and r.path.name in r.issues[0].message
        after = {r.path.name: r.status for r in result.files if r not in lost}
        assert after == {k: v for k, v in before.items() if k not in {r.path.name for r in lost}}
        losses.append(len(lost))
        if lost:
            break
    assert any(losses), f"no kill landed on a worker holding a file in {len(losses)} runs"


def test_workers_that_cannot_start_end_the_run_with_a_vietnamese_message():
    from dvcq.errors import UserError

    files = [Path(f"f-{i}") for i in range(6)]
    with pytest.raises(UserError) as e:
        parallel.map_files(_square_or_die, files, workerjobs.Poison(), workers=2, on_crash=lambda p, c: None)
    assert "Không khởi động được" in e.value.message


# --- a few files: those whose sniffing finds anything unusual still go to a worker (issue 26 §9) -------------

def test_a_file_flagged_unusual_runs_in_a_worker_even_when_the_files_are_few():
    files = [Path("f-1"), Path("chet-2"), Path("f-3")]  # fewer than SERIAL_BELOW: read in-process
    assert len(files) < parallel.SERIAL_BELOW
    crashed = []
    out = parallel.map_files(_square_or_die, files, "abort", workers=2, isolate=lambda p: p.name.startswith("chet-"),
                             on_crash=lambda p, code: crashed.append(p.name) or f"crashed {p.name}")
    assert out == [1, "crashed chet-2", 9]
    assert crashed == ["chet-2"]
    seen = []  # workers=1 asked: still a worker for the flagged file, the others in-process
    parallel.map_files(_pid_and_mark, [Path("a"), Path("b")], workers=1, isolate=lambda p: p.name == "b",
                       progress=lambda done, total: seen.append((done, total)))
    pids = parallel.map_files(_pid_and_mark, [Path("a"), Path("b")], workers=1, isolate=lambda p: p.name == "b")
    assert pids[0][0] == os.getpid() and pids[1][0] != os.getpid()
    assert seen == [(1, 2), (2, 2)]


def test_sniffing_flags_a_file_that_aborts_the_reader_and_no_sample(tmp_path):
    from dvcq.intake.sniff import sniff

    from tests.support.badfiles import million_rows_xlsx

    bad = million_rows_xlsx(tmp_path, sorted(SAMPLE.glob("16231-*bao-cao*.xlsx"))[0])
    assert bad.stat().st_size < 100_000
    assert sniff(bad).status == "readable" and sniff(bad).unusual
    assert not [p for p in SAMPLE.glob("*.xlsx") if sniff(p).unusual]


@pytest.mark.parametrize("count", [2, 3])
def test_validating_two_or_three_files_survives_a_file_that_aborts_the_reader(tmp_path, count):
    """`dvcq validate` of fewer than four files reads them in-process: a file that aborts python-calamine ended
    the whole run (exit 134, no result for the other files). Run as a separate process, as a user would."""
    import json
    import subprocess
    import sys

    from tests.support.badfiles import million_rows_xlsx

    good = sorted(SAMPLE.glob("16231-*.xlsx"))[:count - 1]
    bad = million_rows_xlsx(tmp_path, sorted(SAMPLE.glob("16231-*bao-cao*.xlsx"))[0])
    r = subprocess.run([sys.executable, "-m", "dvcq", "validate", *map(str, good), str(bad), "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr[-500:]
    files = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    assert files[bad.name]["status"] == "unreadable"
    assert [i["code"] for i in files[bad.name]["issues"]] == ["reader-crashed"]
    assert all(files[p.name]["status"] == "ok" for p in good)


# --- workers started once and reused; a folder's files handed to them before the command's own imports (27p) ----

def _worker_pids() -> set[int]:
    return {c.pid for c in psutil.Process().children() if "spawn_main" in " ".join(c.cmdline())}


def test_the_workers_are_started_once_and_reused_by_the_next_batch():
    files = [Path(f"f-{i}") for i in range(8)]
    first = {pid for pid, _ in parallel.map_files(_pid_and_mark, files, workers=2)}
    assert parallel.map_files(_square_or_die, files, "kill", workers=2) == [i * i for i in range(8)]  # another job
    second = {pid for pid, _ in parallel.map_files(_pid_and_mark, files, workers=2)}
    assert first == second and first <= _worker_pids()



def test_released_workers_end_but_those_kept_serve_the_next_batch():
    files = [Path(f"f-{i}") for i in range(8)]
    used = {pid for pid, _ in parallel.map_files(_pid_and_mark, files, workers=2)}
    slots = list(parallel.pool(2).slots)
    parallel.release(keep=1)
    slots[1].proc.join(timeout=30)  # told to end
    assert slots[1].proc.exitcode == 0 and slots[0].proc.is_alive() and parallel.idle(1) and not parallel.idle(2)
    again = {pid for pid, _ in parallel.submit(_pid_and_mark, files[:4], workers=1).collect()}
    assert again == {slots[0].proc.pid} and again < used  # no worker started for it
    parallel.release()
    slots[0].proc.join(timeout=30)
    assert slots[0].proc.exitcode == 0 and not parallel.idle(1)

def test_a_changed_environment_starts_fresh_workers(monkeypatch):
    files = [Path(f"f-{i}") for i in range(8)]
    before = {pid for pid, _ in parallel.map_files(_pid_and_mark, files, workers=2)}
    monkeypatch.setenv("DVCQ_TEMPLATES", "/elsewhere")  # a spawned worker keeps the environment it started with
    after = {pid for pid, _ in parallel.map_files(_pid_and_mark, files, workers=2)}
    assert not before & after


def test_a_worker_killed_while_idle_is_replaced_before_the_next_batch():
    files = [Path(f"f-{i}") for i in range(8)]
    parallel.map_files(_pid_and_mark, files, workers=2)
    assert _kill_workers() >= 1
    out = parallel.map_files(_square_or_die, files, "kill", workers=2)
    assert out == [i * i for i in range(8)]


def test_a_batch_handed_early_is_collected_later_and_a_crash_still_costs_one_file():
    files = [Path(f"f-{i}") for i in range(12)]
    files[5] = Path("chet-5")
    batch = parallel.submit(parallel.Named("tests.support.workerjobs:square_or_die"), files, ("abort",), workers=2)
    assert sum(len(s.given) for s in batch.pool.slots) == len(files)  # all given before anything is asked
    crashed = []
    out = batch.collect(lambda p, code: crashed.append(p.name) or "crashed")
    assert out == ["crashed" if f.name == "chet-5" else int(f.name[2:]) ** 2 for f in files]
    assert crashed == ["chet-5"]


def test_validate_paths_collects_the_batch_begun_for_the_same_files_and_drops_another(tmp_path):
    from dvcq.intake.early import VALIDATE_ONE, begin

    assert parallel._resolve(VALIDATE_ONE) is __import__("dvcq.intake.validate").intake.validate._validate_one
    serial = [(r.path.name, r.status, [i.code for i in r.issues]) for r in validate_paths([SAMPLE], workers=1).files]
    batch = begin([SAMPLE], workers=2)
    assert batch is not None and batch.takes(parallel.Named(VALIDATE_ONE), batch.files, (None, None, None))
    got = validate_paths([SAMPLE], workers=2, early=batch)
    assert [(r.path.name, r.status, [i.code for i in r.issues]) for r in got.files] == serial
    assert batch.used  # its results, not a fresh pool's
    other = begin([SAMPLE], period="2024-H1", workers=2)  # asked for without the period: dropped, not used
    got = validate_paths([SAMPLE], workers=2, early=other)
    assert [(r.path.name, r.status, [i.code for i in r.issues]) for r in got.files] == serial
    assert other.collected and not other.used


def test_a_folder_of_a_few_files_starts_no_worker(tmp_path):
    from dvcq.intake.early import begin

    few = sorted(SAMPLE.glob("*.xlsx"))[:parallel.SERIAL_BELOW - 1]
    for f in few:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    assert begin([tmp_path], workers=2) is None
    assert begin([few[0]], workers=2) is None
    assert begin([SAMPLE], workers=1) is None


def test_a_folder_command_starts_its_workers_before_importing_the_validation(tmp_path):
    """In a fresh interpreter: once ``begin`` returns, the workers hold files while the parent has imported no
    validation stage, no specification and no registry."""
    import subprocess
    import sys

    probe = (
        "import sys, json\n"
        "from dvcq.intake.early import begin\n"
        f"batch = begin([{str(SAMPLE)!r}], workers=2)\n"
        "given = sum(len(s.given) for s in batch.pool.slots)\n"
        "mods = sorted(m for m in sys.modules if m.startswith('dvcq.') or m in ('yaml', 'python_calamine'))\n"
        "print(json.dumps([given, len(batch.files), mods]))\n"
        "batch.abandon()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    given, total, mods = __import__("json").loads(r.stdout.strip().splitlines()[-1])
    assert given == min(total, 2 * parallel.EARLY_AHEAD)
    assert set(mods) <= {"dvcq.intake.early", "dvcq.intake.parallel", "dvcq.intake.sniff", "dvcq.intake.messages",
                         "dvcq.errors", "dvcq.intake"}, mods


def test_a_batch_never_collected_does_not_mix_its_results_into_the_next():
    files = [Path(f"f-{i}") for i in range(10)]
    parallel.submit(parallel.Named("tests.support.workerjobs:square_or_die"), files, ("abort",), workers=2)
    out = parallel.map_files(_pid_and_mark, files, workers=2)  # the first batch's files are still in the workers
    assert [m for _, m in out] == ["as imported"] * len(files)


def test_a_batch_started_for_a_block_is_dropped_when_the_block_ends_before_collecting_it():
    """dvcq.intake.early.started (the Excel buttons): an error between the workers' start and the command's use
    of them (an output folder that cannot be written) stops the workers holding files; a collected batch is left
    alone."""
    from dvcq.intake.early import started

    with pytest.raises(RuntimeError):
        with started([SAMPLE], workers=2) as batch:
            assert batch is not None and sum(len(s.given) for s in batch.pool.slots) > 0
            raise RuntimeError("the output folder cannot be written")
    assert batch.collected and parallel._POOL is None  # the workers holding its files were stopped
    with started([SAMPLE], workers=2) as batch:
        got = validate_paths([SAMPLE], workers=2, early=batch)
    assert batch.collected and len(got.files) == len(batch.files)
