"""The parent's work after reading, replayed without reading the files again: wall and CPU seconds of each step.

    python bench/afterread.py dump bench/.cache/2025-Y-3321-v2-v3 --parent 00 --period 2025-Y /tmp/27h/report.pkl
    python bench/afterread.py replay bench/.cache/2025-Y-3321-v2-v3 --parent 00 --period 2025-Y /tmp/27h/report.pkl

``dump`` runs ``validate_paths`` as ``consolidate_folder`` does (workers, the same arguments) once and pickles its
report (the national set's 6,642 results: about 17 MB). ``replay`` loads it and runs ``consolidate_folder`` with that
report in place of the reading, ``--rounds`` times into a fresh history (``--again``: into the history of the round
before, as a second run of the same roll-up records), each step timed from its start to its end: the checks and the
ledger with ``_include`` (what is left of the whole when the named steps are taken out), the roll-up's write
(``stage_rollup``), its SHA-256, ``store.stage`` or ``store.record``, handing the run to the worker that reshapes
it and waiting for it, ``store.seal``, putting it in place, ``store.complete``. Steps that run beside
another (the history recorded while the workbook is written) overlap: their wall times add up to more than the
whole. CPU is this process's (all its threads; the main thread's alone is about what a quiet two-core machine waits
for) plus what the history's worker reports (``dvcq.rollup.beside``
counts it); the peak is the largest summed RSS of this process and its children, sampled every 20 ms (the pickled
report loaded and unpickled is part of it: about 200 MB for the country). The pickle holds dvcq's own classes: replay it with the code that
dumped it, or with a branch whose intake classes are the same. ``--prof FILE`` keeps a cProfile of the last round.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pickle
import sys
import time
from pathlib import Path


def dump(args) -> None:
    from dvcq.intake.validate import validate_paths
    t = time.perf_counter()
    report = validate_paths([Path(args.folder)], period=args.period, parent=args.parent, workers=args.workers)
    wall = time.perf_counter() - t
    with open(args.pickle, "wb") as f:
        pickle.dump(report, f, protocol=5)
    print(f"validated {len(report.files)} files in {wall:.2f} s; {os.path.getsize(args.pickle) / 2**20:.1f} MB "
          f"pickled to {args.pickle}")


class Steps:
    """Wall and CPU seconds of named steps, wrapped around module functions."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def wrap(self, module, name: str, label: str | None = None) -> None:
        fn = getattr(module, name)
        label = label or name

        def timed(*a, **k):
            w, c = time.perf_counter(), time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - w
                self.cpu[label] = self.cpu.get(label, 0.0) + time.thread_time() - c
        setattr(module, name, timed)


class Peak:
    """The largest summed RSS of this process and its children (the history's worker), sampled every 20 ms."""

    def __init__(self):
        import threading
        import psutil
        self.me, self.peak, self.worker, self.stop = psutil.Process(), 0, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.stop.wait(0.02):
            try:
                kids = sum(c.memory_info().rss for c in self.me.children(recursive=True))
                self.peak = max(self.peak, self.me.memory_info().rss + kids)
                self.worker = max(self.worker, kids)
            except Exception:  # a child ended while sampled
                pass

    def end(self) -> tuple[float, float]:
        self.stop.set()
        self.thread.join()
        return self.peak / 2**20, self.worker / 2**20


def replay(args) -> None:
    from dvcq.rollup import consolidate, store
    try:
        from dvcq.rollup.beside import helper_cpu
    except ImportError:  # a version that records the history in this process only
        def helper_cpu():
            return 0.0

    with open(args.pickle, "rb") as f:
        report = pickle.load(f)
    consolidate.validate_paths = lambda *a, **k: report
    steps = Steps()
    for module, name, label in [
            (consolidate, "choose", "choose (duplicates)"),
            (consolidate, "_rollout_disagreements", None),
            (store, "previous_submissions", "store.previous_submissions"),
            (consolidate, "_include", "_include (the units' values)"),
            (store, "previous_figures", "store.previous_figures"),
            (consolidate, "last_year_run", None),
            (consolidate, "stage_rollup", "stage_rollup (the roll-up's write)"),
            (consolidate.outputs, "file_sha256", "the roll-up's SHA-256"),
            (store, "stage", "store.stage"),
            (store, "record", "store.record"),
            (getattr(consolidate, "beside", None) and consolidate.beside.Reshaping, "__init__",
             "the run handed to the worker"),
            (getattr(consolidate, "beside", None) and consolidate.beside.Reshaping, "wait",
             "waiting for the history's worker"),
            (store, "seal", "store.seal (the SHA-256 into the run)"),
            (consolidate, "finish_rollup", "put in place"),
            (store, "complete", "store.complete")]:
        if module is not None and hasattr(module, name):
            steps.wrap(module, name, label)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "afterread.sqlite"
    rounds = []
    for i in range(args.rounds):
        if not args.again or i == 0:
            for p in out.glob("afterread.sqlite*"):
                p.unlink()
        steps.wall.clear()
        steps.cpu.clear()
        prof = cProfile.Profile() if args.prof and i == args.rounds - 1 else None
        before = helper_cpu()
        peak = Peak()
        w, c, t = time.perf_counter(), time.process_time(), time.thread_time()
        if prof:
            prof.enable()
        consolidate.consolidate_folder(Path(args.folder), period=args.period, parent=args.parent,
                                       out=out / "afterread.xlsx", db=db, workers=args.workers)
        if prof:
            prof.disable()
            prof.dump_stats(args.prof)
        wall, cpu, main = time.perf_counter() - w, time.process_time() - c, time.thread_time() - t
        most, worker = peak.end()
        helper = helper_cpu() - before
        rounds.append((wall, cpu, helper))
        named_wall = sum(steps.wall.values())
        print(f"round {i + 1}: wall {wall:.2f} s, CPU {cpu:.2f} s here (of which {main:.2f} s on the main thread, what "
              f"a quiet machine waits for) + {helper:.2f} s in a worker; peak "
              f"{most:.0f} MB (the worker at most {worker:.0f} MB); history {db.stat().st_size / 2**20:.0f} MB; "
              f"load {os.getloadavg()[0]:.1f}")
        for label in steps.wall:
            print(f"  {label:38} wall {steps.wall[label]:6.2f}  CPU {steps.cpu[label]:6.2f}")
        print(f"  {'the rest (checks, ledger, model)':38} wall {wall - named_wall:6.2f}")
    print("wall " + ", ".join(f"{r[0]:.2f}" for r in rounds) + "; CPU " +
          ", ".join(f"{r[1] + r[2]:.2f}" for r in rounds))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("dump", "replay"))
    ap.add_argument("folder")
    ap.add_argument("pickle")
    ap.add_argument("--parent", default="00")
    ap.add_argument("--period", default="2025-Y")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--again", action="store_true", help="every round after the first into the same history")
    ap.add_argument("--out", default="/tmp/afterread", help="folder of the roll-up and the history written")
    ap.add_argument("--prof", help="cProfile of the last round to this file")
    args = ap.parse_args(argv)
    dump(args) if args.mode == "dump" else replay(args)


if __name__ == "__main__":
    sys.exit(main())
