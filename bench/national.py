"""National-scale benchmark: every commune of the 2025 registry, dvcq against the naive baseline.

    python bench/national.py --communes 3321 --repeat 3

Generates (once, cached in bench/.cache) one periodic report and one reception log per commune
with `dvcq sample`, then times in the same run, reporting the median of the repetitions:
  1. the naive baseline: pandas.read_excel(engine="openpyxl") on every sheet, concat, groupby-sum;
  2. `dvcq validate` on the whole folder;
  3. `dvcq consolidate` on the whole folder (all provinces, --parent 00) and on one province;
  4. the floor: unzip and parse every sheet with python-calamine, no validation;
plus `dvcq --help` and validating one commune workbook (what a button press costs).
Wall time, CPU time and peak RSS of the whole process tree are measured from outside.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
PY = sys.executable
DVCQ = [PY, "-m", "dvcq"]
PERIOD = "2025-Y"
PROVINCE = "38"  # Thanh Hóa: 166 communes, the largest but one


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p] + p.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str], env=None) -> dict:
    """Run a command; wall seconds, CPU seconds of the tree, peak RSS of the tree (sampled)."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    t.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd} failed: {err.decode()[-2000:]}")
    return {"wall": wall, "cpu": cpu, "rss_mb": peak / 2**20}


def median_of(cmd, repeat, env=None) -> dict:
    runs = [measure(cmd, env) for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {"runs": len(runs)}


def dvcq_file() -> str:
    """The dvcq package's __init__ the jobs import (the checkout's or the installed one)."""
    import dvcq

    return dvcq.__file__


def generate(n: int, cache: Path) -> Path:
    """One report and one log per commune of the 2025 registry (the first n), cached."""
    from dvcq.forms.spec import load_form
    from dvcq.samples.sample import write_samples
    from dvcq.units.registry import load

    # the layout versions are in the key: a cache of an earlier layout would time the legacy reader
    versions = "-".join(f"v{load_form(f).version}" for f in ("so-tiep-cong-dan", "bao-cao-dinh-ky"))
    folder = cache / f"{PERIOD}-{n}-{versions}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    reg = load("2025")
    left = n
    for province in reg.children("00"):
        if left <= 0:
            break
        kids = [u.code for u in reg.children(province.code)][:left]
        left -= len(kids)
        write_samples(province.code, PERIOD, folder / province.code, seed=7, children=kids,
                      forms=("so-tiep-cong-dan", "bao-cao-dinh-ky"))
        print(f"  generated {province.name}: {len(kids)} communes", file=sys.stderr)
    done.write_text("ok")
    return folder


NAIVE = r"""
import sys, glob, pandas as pd
frames = []
for path in sorted(glob.glob(sys.argv[1] + "/**/*.xlsx", recursive=True)):
    for name, df in pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None).items():
        df = df.apply(pd.to_numeric, errors="coerce")
        frames.append(df.assign(_sheet=name))
all_ = pd.concat(frames, ignore_index=True)
print(all_.groupby("_sheet").sum(numeric_only=True).shape)
"""

FLOOR = r"""
import sys, glob
from python_calamine import CalamineWorkbook
from concurrent.futures import ProcessPoolExecutor
def read(path):
    wb = CalamineWorkbook.from_path(path)
    return sum(len(wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names)
files = sorted(glob.glob(sys.argv[1] + "/**/*.xlsx", recursive=True))
with ProcessPoolExecutor(2) as pool:
    print(sum(pool.map(read, files, chunksize=64)))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--communes", type=int, default=3321)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-baseline", action="store_true", help="skip the slow naive baseline")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    ap.add_argument("--cache", type=Path, default=None, help="where generated submissions are kept")
    args = ap.parse_args(argv)
    cache = args.cache or CACHE

    t0 = time.perf_counter()
    folder = generate(args.communes, cache)
    gen = time.perf_counter() - t0
    files = sorted(folder.rglob("*.xlsx"))
    size = sum(p.stat().st_size for p in files)
    out = cache / "out"
    out.mkdir(exist_ok=True)
    one = next(p for p in files if "bao-cao" in p.name)
    province = folder / PROVINCE if (folder / PROVINCE).is_dir() else next(p for p in folder.iterdir() if p.is_dir())
    results = {"communes": args.communes, "files": len(files), "bytes": size, "generate_s": gen}
    jobs = {
        "help": (DVCQ + ["--help"], 5),
        "validate_one": (DVCQ + ["validate", str(one)], 5),
        "floor": ([PY, "-c", FLOOR, str(folder)], args.repeat),
        "validate_all": (DVCQ + ["validate", str(folder), "--json"], args.repeat),
        "consolidate_all": (DVCQ + ["consolidate", str(folder), "--parent", "00", "--period", PERIOD,
                                    "--out", str(out / "ca-nuoc.xlsx"), "--db", str(out / "db.sqlite")], args.repeat),
        "consolidate_province": (DVCQ + ["consolidate", str(province), "--out", str(out / "tinh.xlsx"),
                                         "--db", str(out / "db.sqlite")], args.repeat),
    }
    if not args.skip_baseline:
        jobs["naive_baseline"] = ([PY, "-c", NAIVE, str(folder)], 1 if args.communes > 500 else args.repeat)
    # as installed: a wheel's modules are compiled at install time, so every job runs with bytecode
    # (PYTHONDONTWRITEBYTECODE in the caller's shell would recompile dvcq in every process and worker)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(dvcq_file()).parent)], check=True, env=env)
    for name, (cmd, repeat) in jobs.items():
        print(f"timing {name} ...", file=sys.stderr)
        results[name] = median_of(cmd, repeat, env)
    n = len(files)
    lines = [f"{args.communes} communes, {n} files, {size / 2**20:.1f} MB (generated in {gen:.0f} s, cached)",
             f"{'job':24} {'wall s':>8} {'files/s':>9} {'CPU s':>8} {'peak MB':>8}"]
    for name in jobs:
        r = results[name]
        per = n / r["wall"] if name not in ("help", "validate_one") and r["wall"] else float("nan")
        lines.append(f"{name:24} {r['wall']:8.2f} {per:9.0f} {r['cpu']:8.2f} {r['rss_mb']:8.0f}")
    c = results["consolidate_all"]["wall"]
    if "naive_baseline" in results:
        lines.append(f"baseline / dvcq consolidate: {results['naive_baseline']['wall'] / c:.1f}x")
    lines.append(f"dvcq consolidate / floor: {c / results['floor']['wall']:.1f}x")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
