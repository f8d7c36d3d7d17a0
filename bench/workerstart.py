"""What a validation worker costs before its first file: CPU milliseconds of a spawned child, by step.

    python bench/workerstart.py FILE [--runs 8] [--imports]

Each run spawns one child the way dvcq.intake.parallel does (``spawn``, the only method Windows has) and times,
with ``time.process_time`` inside the child, its start (the interpreter and multiprocessing's bootstrap, up to
the first line of its target), importing the validation stages, the form specifications, the reporting bodies,
the two unit registries, the first file and the same file again. Prints the least and the median of each step
and the load average. ``--imports`` runs the parent with ``python -X importtime`` (a spawned child inherits the
flag) and lists the modules slowest to import in the child (least own time and with what they import).
This module imports nothing heavy at the top: the child imports it again as its ``__mp_main__``.
"""
from __future__ import annotations

import sys
import time


def child(conn, path: str) -> None:
    """The spawned child: each step's CPU seconds sent back in order."""
    pt = time.process_time
    out = {"start (interpreter, spawn bootstrap)": pt()}
    t = pt()
    import dvcq.intake.validate as v
    out["import dvcq.intake.validate"] = pt() - t
    from dvcq.forms import spec
    from dvcq.units import bodies, registry

    t = pt(); spec.load_forms(); out["form specifications"] = pt() - t  # noqa: E702
    t = pt(); bodies.bodies(); out["reporting bodies"] = pt() - t  # noqa: E702
    t = pt(); registry.load("legacy"); out["registry, three-tier"] = pt() - t  # noqa: E702
    t = pt(); registry.load("2025"); out["registry, 2025"] = pt() - t  # noqa: E702
    t = pt(); v.validate_file(path); out["first file"] = pt() - t  # noqa: E702
    t = pt(); v.validate_file(path); out["the file again"] = pt() - t  # noqa: E702
    conn.send(out)


def main(argv=None) -> int:
    import argparse
    import multiprocessing
    import os
    import re
    import statistics
    import subprocess
    from pathlib import Path

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--imports", action="store_true", help="the child's slowest imports (python -X importtime)")
    ap.add_argument("--once", action="store_true", help=argparse.SUPPRESS)  # one child, for --imports
    args = ap.parse_args(argv)
    ctx = multiprocessing.get_context("spawn")
    if args.once:
        print("--- child ---", file=sys.stderr, flush=True)
        a, b = ctx.Pipe()
        p = ctx.Process(target=child, args=(b, str(args.file)))
        p.start()
        a.recv()
        p.join()
        return 0
    load0 = os.getloadavg()[0]
    got: dict[str, list[float]] = {}
    for _ in range(args.runs):
        a, b = ctx.Pipe()
        p = ctx.Process(target=child, args=(b, str(args.file)))
        p.start()
        for k, s in a.recv().items():
            got.setdefault(k, []).append(1000 * s)
        p.join()
    print(f"{args.file.name}: a spawned worker, {args.runs} runs; load {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"  {'step':40s} {'least':>7s} {'median':>7s}  CPU ms")
    for k, v in got.items():
        print(f"  {k:40s} {min(v):7.1f} {statistics.median(v):7.1f}")
    total = sum(min(v) for k, v in got.items() if k != "the file again")
    print(f"  {'sum of the least (up to the first file)':40s} {total:7.1f}")
    if args.imports:
        best: dict[str, tuple[float, float]] = {}
        for _ in range(max(3, args.runs // 2)):
            r = subprocess.run([sys.executable, "-X", "importtime", __file__, str(args.file), "--once"],
                               capture_output=True, text=True)
            lines = r.stderr.split("--- child ---", 1)[-1].splitlines()
            for line in lines:
                m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
                if m:
                    own, cum = int(m[1]) / 1000, int(m[2]) / 1000
                    b0 = best.get(m[3], (own, cum))
                    best[m[3]] = (min(b0[0], own), min(b0[1], cum))
        print("  the child's slowest imports, least own ms / with its imports ms:")
        for name, (own, cum) in sorted(best.items(), key=lambda kv: -kv[1][0])[:30]:
            print(f"    {name:44s} {own:6.1f} {cum:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
