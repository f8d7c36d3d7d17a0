"""The wall-clock timeline of one `dvcq consolidate`: where the parent and each worker are, from launch to exit.

    python bench/timeline.py bench/.cache/2025-Y-3321-v2-v3 --parent 00 --period 2025-Y --out /tmp/27r/ca-nuoc.xlsx
    python bench/timeline.py bench/.cache/2025-Y-3321-v2-v3/38 --out /tmp/27r/tinh.xlsx

The arguments are `dvcq consolidate`'s (``--db`` defaults to a fresh history in /tmp/27r/). The command runs in a
child process as `python -m dvcq` would run it, with hooks installed by this script only (nothing in the product
times itself): an import hook wraps, as each module is loaded, ``early.begin``, the workers' per-file function (given
to them by name: this module's ``validate_one``, which times each file and calls the real one), the collection of the
results, the checks, the model, the write, the history and the printing; the workers write their files' times to
``$DVCQ_TIMELINE_DIR``. Times are seconds since the launch (``time.time()``, one clock for every process; a worker
starts when spawn's bootstrap loads this file as its ``__mp_main__``); the parent's CPU (``time.process_time()``, all
its threads) beside each of its events says whether it was working or waiting, and its garbage collections are
counted (each full one marked). The table is followed by the gaps: what each core did between two marks. Run it with
another checkout's interpreter (``/work/main/.venv/bin/python bench/timeline.py ...``) to time that code.
"""
from __future__ import annotations

import atexit
import os
import sys
import time

EVENTS = "DVCQ_TIMELINE_DIR"
_mine: list[str] = []  # a worker's lines: pid, start, end, size, name


_IMPORTED = time.time()  # in a worker, first as its ``__mp_main__`` during spawn's bootstrap: its start


def _booted() -> float:
    """When this worker's bootstrap loaded this file (``__mp_main__``, before its target ran)."""
    main = sys.modules.get("__mp_main__")
    return min(_IMPORTED, getattr(main, "_IMPORTED", _IMPORTED))


def _flush_worker() -> None:
    with open(os.path.join(os.environ[EVENTS], f"worker-{os.getpid()}.tsv"), "w", encoding="utf-8") as f:
        f.write(f"start\t{_booted()}\nexit\t{time.time()}\n")
        f.writelines(_mine)


def validate_one(path, *args):
    """The workers' per-file function (``dvcq.intake.validate._validate_one``), each file timed."""
    if not _mine:
        atexit.register(_flush_worker)
        _mine.append(f"loaded\t{time.time()}\n")
    start = time.time()
    from dvcq.intake.validate import _validate_one  # the real one: imported by the first file, as in the product

    result = _validate_one(path, *args)
    _mine.append(f"file\t{start}\t{time.time()}\t{os.path.getsize(path)}\t{os.path.basename(path)}\n")
    return result


# ------------------------------------------------------------------------------------------------ the child (parent)
_events: list[tuple[float, float, str]] = []
_starved = [0]  # results received from a worker that had no other file queued (it waited for the parent)


def mark(name: str) -> None:
    _events.append((time.time(), time.process_time(), name))


def _wrap(owner, attr: str, label: str) -> None:
    real = getattr(owner, attr)

    def wrapped(*a, **k):
        mark(f"{label} ▶")
        try:
            return real(*a, **k)
        finally:
            mark(f"{label} ■")

    setattr(owner, attr, wrapped)


def _patch(name: str, module) -> None:
    """Hooks for one module, right after it is loaded (before anything imports a name from it)."""
    if name == "dvcq.intake.early":
        module.VALIDATE_ONE = "timeline:validate_one"
        _wrap(module, "begin", "early.begin")
    elif name == "dvcq.intake.parallel":
        real = module.Batch._collect

        def _collect(self, on_crash, tick):
            if self.ref != "timeline:validate_one":  # another batch (the history's reshaping, dvcq.rollup.beside)
                return real(self, on_crash, tick)
            got = [0]

            def ticked():
                got[0] += 1
                if got[0] == 1:
                    mark("first result received")
                tick()

            mark("collect ▶ (parent waits for results)")
            try:
                return real(self, on_crash, ticked)
            finally:
                mark("last result received")

        module.Batch._collect = _collect
        top_up = module.Batch.top_up

        def counted(self, slot, ahead=module.AHEAD):
            if not slot.given and self.todo:  # a worker with nothing left to do while files wait: it was starved
                _starved[0] += 1
            top_up(self, slot, ahead)

        module.Batch.top_up = counted
        _wrap(module, "release", "parallel.release")
        _wrap(module, "shutdown", "parallel.shutdown")
    elif name == "dvcq.intake.validate":
        this = sys.modules["timeline"]
        this.validate_one.__module__, this.validate_one.__qualname__ = "timeline", "validate_one"
        module._validate_one = this.validate_one  # the batch's function and validate_paths's agree (Batch.takes)
        _wrap(module, "validate_paths", "validate_paths")
        _wrap(module, "check_cross_form", "check_cross_form")
    elif name == "dvcq.rollup.store":
        for attr in ("previous_submissions", "record", "seal", "complete", "previous_figures"):
            _wrap(module, attr, f"store.{attr}")
    elif name == "dvcq.rollup.beside":
        _wrap(module.Reshaping, "wait", "reshaping.wait")
    elif name == "dvcq.rollup.consolidate":
        for attr in ("consolidate_folder", "stage_rollup", "finish_rollup", "expected_groups", "choose"):
            _wrap(module, attr, attr)
    elif name == "dvcq.cli.console":
        _wrap(module, "print_consolidation", "print_consolidation")


class _Hook:
    """A meta-path finder that marks the first import of the heavy stages and patches the modules it watches."""

    WATCH = {"dvcq.intake.early", "dvcq.intake.parallel", "dvcq.intake.validate", "dvcq.rollup.store",
             "dvcq.rollup.beside", "dvcq.rollup.consolidate", "dvcq.cli.console", "dvcq.cli.commands"}

    def find_spec(self, name, path, target=None):
        if name not in self.WATCH:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None:
            return None
        real = spec.loader.exec_module

        def exec_module(module):
            mark(f"import {name} ▶")
            real(module)
            _patch(name, module)
            mark(f"import {name} ■")

        spec.loader.exec_module = exec_module
        return spec


_gc: dict[int, list[float]] = {}  # the parent's garbage collections by generation: count, seconds
_gc_start = [0.0]


def _on_gc(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_start[0] = time.perf_counter()
    else:
        got = _gc.setdefault(info["generation"], [0, 0.0])
        got[0] += 1
        got[1] += time.perf_counter() - _gc_start[0]
        if info["generation"] == 2:
            mark(f"full garbage collection, {time.perf_counter() - _gc_start[0]:.3f} s")


def child(events: str, argv: list[str]) -> None:
    mark("child main")
    import gc

    gc.callbacks.append(_on_gc)
    os.environ[EVENTS] = events  # before the workers are spawned: they inherit it
    sys.meta_path.insert(0, _Hook())
    import timeline  # this file by its module name: what the workers import for ``validate_one``

    assert timeline is not sys.modules["__main__"]

    def write() -> None:
        mark("exit (atexit)")
        mark(f"results received from a worker with no file queued: {_starved[0]}")
        for gen, (count, took) in sorted(_gc.items()):
            mark(f"garbage collections of generation {gen}: {count}, {took:.3f} s")
        with open(os.path.join(events, "parent.tsv"), "w", encoding="utf-8") as f:
            f.writelines(f"event\t{t}\t{c}\t{n}\n" for t, c, n in _events)

    atexit.register(write)  # registered first: runs last
    from dvcq.cli import main

    mark("CLI imported")
    main(["consolidate", *argv], prog_name="dvcq")


# ------------------------------------------------------------------------------------------------------- the launcher
def _read(events: str) -> tuple[list, dict]:
    parent, workers = [], {}
    for name in sorted(n for n in os.listdir(events) if n.endswith(".tsv")):
        rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(events, name), encoding="utf-8")]
        if name == "parent.tsv":
            parent = [(float(r[1]), float(r[2]), r[3]) for r in rows if r[0] == "event"]
        else:
            w = {"start": 0.0, "exit": 0.0, "loaded": 0.0, "files": []}
            for r in rows:
                if r[0] == "file":
                    w["files"].append((float(r[1]), float(r[2]), int(r[3]), r[4]))
                else:
                    w[r[0]] = float(r[1])
            workers[name[7:-4]] = w
    return parent, workers


def report(t0: float, t_end: float, parent: list, workers: dict) -> str:
    rows = [(t, f"{c:.2f}", "parent", n) for t, c, n in parent]
    for n, (pid, w) in enumerate(sorted(workers.items(), key=lambda kv: kv[1]["start"]), 1):
        files = sorted(w["files"])
        who = f"worker {n}"
        rows.append((w["start"], "", who, f"process booted (spawn's bootstrap ran this file; pid {pid})"))
        if files:
            busy = sum(e - s for s, e, _, _ in files)
            span = files[-1][1] - files[0][0]
            rows.append((files[0][0], "", who, f"first file ▶ ({files[0][3]})"))
            rows.append((files[-1][1], "", who, f"last file ■: {len(files)} files, busy {busy:.2f} s of "
                         f"{span:.2f} s (idle between files {span - busy:.2f} s); last file "
                         f"{files[-1][1] - files[-1][0]:.2f} s ({files[-1][3]}, {files[-1][2] // 1024} KB)"))
        rows.append((w["exit"], "", who, "exit (atexit)"))
    rows.append((t_end, "", "launcher", "process ended (wait returned)"))
    rows.sort(key=lambda r: r[0])
    out = ["| t s | parent CPU s | who | event |", "|---:|---:|---|---|", f"| 0.000 | | launcher | launch |"]
    out += [f"| {t - t0:.3f} | {c} | {who} | {n} |" for t, c, who, n in rows]
    out.append("")
    out.append(gaps(t0, t_end, parent, workers))
    return "\n".join(out)


def gaps(t0: float, t_end: float, parent: list, workers: dict) -> str:
    """The spans between marks, and how busy the two kinds of process were in each."""
    at = {}
    for t, c, n in parent:
        at.setdefault(n, (t, c))  # the first time of each mark

    def span(a: str, b: str, label: str) -> str:
        if a not in at or b not in at:
            return f"| {label} | – | – |"
        (ta, ca), (tb, cb) = at[a], at[b]
        return f"| {label} | {tb - ta:.3f} | {cb - ca:.3f} |"

    lines = ["| span | wall s | parent CPU s |", "|---|---:|---:|",
             f"| launch → child main (interpreter start) | {parent[0][0] - t0:.3f} | {parent[0][1]:.3f} |",
             span("child main", "CLI imported", "CLI imports"),
             span("early.begin ▶", "early.begin ■", "early.begin (workers spawned, first files handed)"),
             span("early.begin ■", "consolidate_folder ▶", "parent's imports after begin"),
             span("consolidate_folder ▶", "collect ▶ (parent waits for results)", "set-up before collecting"),
             span("collect ▶ (parent waits for results)", "last result received", "collecting the results"),
             span("last result received", "validate_paths ■", "after collecting: release, checks"),
             span("validate_paths ■", "store.record ▶", "the model (ledger, _include)"),
             span("stage_rollup ▶", "stage_rollup ■", "the write (stage_rollup)"),
             span("store.record ▶", "store.complete ■", "the history and the write, record to complete"),
             span("consolidate_folder ■", "print_consolidation ■", "printing"),
             span("print_consolidation ■", "exit (atexit)", "sys.exit to the last atexit hook"),
             f"| last atexit hook → process ended | {t_end - at['exit (atexit)'][0]:.3f} | |"
             if "exit (atexit)" in at else "| last atexit hook → process ended | – | |",
             f"| **whole run** | **{t_end - t0:.3f}** | {parent[-1][1]:.3f} |"]
    ends = []
    for pid, w in sorted(workers.items(), key=lambda kv: kv[1]["start"]):
        if w["files"]:
            ends.append(max(e for _, e, _, _ in w["files"]))
    if len(ends) > 1:
        lines.append(f"| straggler: one worker's last file end → the other's | {max(ends) - min(ends):.3f} | |")
    if ends and "last result received" in at:
        lines.append(f"| last worker file end → parent's last result received | "
                     f"{at['last result received'][0] - max(ends):.3f} | |")
    for n, (pid, w) in enumerate(sorted(workers.items(), key=lambda kv: kv[1]["start"]), 1):
        files = sorted(w["files"])
        if files:
            idle = sum(b[0] - a[1] for a, b in zip(files, files[1:]))
            lines.append(f"| worker {n}: process booted → first file's end (its imports, specifications, registries) "
                         f"| {files[0][1] - w['start']:.3f} | |")
            lines.append(f"| worker {n}: first file's end → last file's end; of which idle between files | "
                         f"{files[-1][1] - files[0][1]:.3f}; {idle:.3f} | |")
    begin = at.get("early.begin ■")
    for n, (pid, w) in enumerate(sorted(workers.items(), key=lambda kv: kv[1]["start"]), 1):
        if w["files"] and begin:
            lines.append(f"| worker {n}: begin → first file started; last file → exit | "
                         f"{min(s for s, _, _, _ in w['files']) - begin[0]:.3f}; "
                         f"{w['exit'] - max(e for _, e, _, _ in w['files']):.3f} | |")
    return "\n".join(lines)


def launch(argv: list[str]) -> None:
    import shutil
    import subprocess
    import tempfile

    os.makedirs("/tmp/27r", exist_ok=True)
    events = tempfile.mkdtemp(prefix="timeline-", dir="/tmp/27r")
    if "--db" not in argv:
        argv = [*argv, "--db", os.path.join(events, "history.sqlite")]
    here = os.path.dirname(os.path.abspath(__file__))
    t0 = time.time()
    code = subprocess.call([sys.executable, os.path.join(here, "timeline.py"), "--child", events, *argv],
                           stdout=subprocess.DEVNULL)
    t_end = time.time()
    parent, workers = _read(events)
    print(report(t0, t_end, parent, workers))
    print(f"\nexit code {code}; events in {events}")
    if os.path.exists(os.path.join(events, "history.sqlite")):
        os.unlink(os.path.join(events, "history.sqlite"))
    shutil.rmtree(events, ignore_errors=True) if os.environ.get("TIMELINE_CLEAN") else None


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3:])
    else:
        launch(sys.argv[1:])
