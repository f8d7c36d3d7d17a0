"""What one `dvcq validate FILE` costs before the file is read: CPU milliseconds by start-up step.

    python bench/startup.py FILE [--runs 10] [--imports]

Each run is a fresh interpreter (with bytecode, as an installed wheel runs) that times with
``time.process_time`` the steps of one validation in order: importing the command line, importing the
validation stages, the form specifications, the reporting bodies, the two unit registries, validating the
file, and validating it a second time (the file's own cost, everything loaded). Prints the least and the
median of each step over the runs, and the load average: on a shared machine only the least means much.
``--imports`` adds the modules `python -X importtime` finds slowest to import (least of the runs, own time
and with what they import).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r'''
import json, sys, time
pt = time.process_time
out = {}
t = pt(); import dvcq.cli; out["import dvcq.cli (click)"] = pt() - t
t = pt(); import dvcq.intake.validate as v; out["import dvcq.intake.validate"] = pt() - t
from dvcq.forms import spec
t = pt(); spec.load_forms(); out["form specifications"] = pt() - t
from dvcq.units import bodies, registry
t = pt(); bodies.bodies(); out["reporting bodies (co-quan.yaml)"] = pt() - t
t = pt(); registry.load("legacy"); out["registry, three-tier"] = pt() - t
t = pt(); registry.load("2025"); out["registry, 2025"] = pt() - t
t = pt(); r = v.validate_file(sys.argv[1]); out["validate_file"] = pt() - t
t = pt(); v.validate_file(sys.argv[1]); out["validate_file, again"] = pt() - t
print(json.dumps({"steps": out, "status": r.status}))
'''


def _env() -> dict:
    """Bytecode on (an installed wheel has it), the checkout's toolkit/ importable."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    toolkit = str(Path(__file__).resolve().parents[1] / "toolkit")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (toolkit, env.get("PYTHONPATH")) if p)
    return env


def steps(path: Path, runs: int) -> tuple[str, dict[str, list[float]]]:
    out: dict[str, list[float]] = {}
    status = ""
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=_env(),
                           check=True)
        got = json.loads(r.stdout.strip().splitlines()[-1])
        status = got["status"]
        for k, v in got["steps"].items():
            out.setdefault(k, []).append(v * 1000)
    return status, out


def imports(path: Path, runs: int, top: int = 25) -> list[tuple[str, float, float]]:
    """(module, least own ms, least cumulative ms) of `python -X importtime -m dvcq validate FILE`."""
    best: dict[str, tuple[float, float]] = {}
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-X", "importtime", "-m", "dvcq", "validate", str(path)],
                           capture_output=True, text=True, env=_env())
        for line in r.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
            if m:
                own, cum = int(m[1]) / 1000, int(m[2]) / 1000
                b = best.get(m[3], (own, cum))
                best[m[3]] = (min(b[0], own), min(b[1], cum))
    return sorted(((k, o, c) for k, (o, c) in best.items()), key=lambda x: -x[1])[:top]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--imports", action="store_true", help="also the slowest imports (python -X importtime)")
    args = ap.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "toolkit")],
                   stdout=subprocess.DEVNULL, env=_env())
    load0 = os.getloadavg()[0]
    status, got = steps(args.file, args.runs)
    print(f"{args.file.name}: {status}; {args.runs} runs; load {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"  {'step':36s} {'least':>7s} {'median':>7s}  CPU ms")
    for k, v in got.items():
        print(f"  {k:36s} {min(v):7.1f} {statistics.median(v):7.1f}")
    total = sum(min(v) for k, v in got.items() if not k.endswith("again"))
    print(f"  {'sum of the least (without again)':36s} {total:7.1f}")
    if args.imports:
        print("  slowest imports, own time (least): module own ms / with its imports ms")
        for name, own, cum in imports(args.file, args.runs):
            print(f"    {name:40s} {own:6.1f} {cum:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
