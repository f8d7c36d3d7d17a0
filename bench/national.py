"""National-scale benchmark: every commune of the 2025 registry, dvcq against the naive baseline.

    python bench/national.py --communes 3321 --repeat 3
    python bench/national.py --quick      # 300 communes (Thanh Hóa's 166 first), about a minute

Generates (once, cached in bench/.cache) one periodic report and one reception log per commune
with `dvcq sample`, then times in the same run, reporting the median of the repetitions:
  1. the naive baseline: pandas.read_excel(engine="openpyxl") on every sheet, concat, groupby-sum;
  2. `dvcq validate` on the whole folder;
  3. `dvcq consolidate` on the whole folder (all provinces, --parent 00) and on one province;
  4. the floor: unzip and parse every sheet with python-calamine, no validation;
plus `dvcq --help` and validating one commune workbook (what a button press costs).
Wall time, CPU time and peak RSS of the whole process tree are measured from outside.
The machine is shared and its speed varies from run to run: compare the same-run ratios printed at the
end (dvcq against the floor and the naive script timed in the same run), not absolute seconds.
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
QUICK_COMMUNES = 300
# the targets for the same-run ratios (issue 27), printed beside them
TARGETS = {"consolidate / floor": "<= 2.5x", "baseline / consolidate": ">= 20x",
           "province consolidate / its floor": "<= 2.5x", "one file": "<= 0.25 s", "--help": "<= 0.1 s",
           "consolidate peak": "<= 400 MB"}


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
    """One report and one log per commune of the 2025 registry, cached: the first n communes, Thanh Hóa's
    first (so that a sample of a few hundred communes has the same province job as the national run)."""
    from dvcq.forms.spec import load_form
    from dvcq.samples.sample import write_samples
    from dvcq.units.registry import load

    # the layout versions are in the key: a cache of an earlier layout would time the legacy reader
    versions = "-".join(f"v{load_form(f).version}" for f in ("so-tiep-cong-dan", "bao-cao-dinh-ky"))
    reg = load("2025")
    provinces = reg.children("00")
    total = sum(len(reg.children(p.code)) for p in provinces)
    # below the whole country, the selection starts with the benchmark's province (its name says so)
    first = "" if n >= total else f"-{PROVINCE}first"
    folder = cache / f"{PERIOD}-{n}{first}-{versions}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    left = n
    for province in sorted(provinces, key=lambda p: p.code != PROVINCE):
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


def ratios_of(results: dict) -> dict[str, float]:
    """The same-run ratios the issue's targets are stated in (wall times of one run)."""
    w = {name: r["wall"] for name, r in results.items() if isinstance(r, dict) and "wall" in r}
    out = {"consolidate / floor": w["consolidate_all"] / w["floor"]}
    if "naive_baseline" in w:
        out["baseline / consolidate"] = w["naive_baseline"] / w["consolidate_all"]
    out["validate / floor"] = w["validate_all"] / w["floor"]
    out["province consolidate / its floor"] = w["consolidate_province"] / w["floor_province"]
    out["one file"] = w["validate_one"]
    out["--help"] = w["help"]
    out["consolidate peak"] = results["consolidate_all"]["rss_mb"]
    return out


def cpu_ratios_of(results: dict) -> dict[str, float]:
    """The ratios of CPU seconds (whole process trees): less disturbed by other work on the machine than wall
    times, though they leave out what parallelism gains."""
    c = {name: r["cpu"] for name, r in results.items() if isinstance(r, dict) and "cpu" in r}
    out = {"consolidate / floor": c["consolidate_all"] / c["floor"]}
    if "naive_baseline" in c:
        out["baseline / consolidate"] = c["naive_baseline"] / c["consolidate_all"]
    out["province consolidate / its floor"] = c["consolidate_province"] / c["floor_province"]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--communes", type=int, default=None, help="default 3321, or 300 with --quick")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each job, the median reported; --help and one file 5 times (once with --repeat 1)")
    ap.add_argument("--quick", action="store_true",
                    help=f"{QUICK_COMMUNES} communes (Thanh Hóa's first), naive baseline once: about a minute")
    ap.add_argument("--skip-baseline", action="store_true", help="skip the slow naive baseline")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    ap.add_argument("--cache", type=Path, default=None, help="where generated submissions are kept")
    args = ap.parse_args(argv)
    cache = args.cache or CACHE
    if args.communes is None:
        args.communes = QUICK_COMMUNES if args.quick else 3321

    load0 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
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
    short = 5 if args.repeat > 1 else 1  # a few tenths of a second each: more runs for a steady median
    jobs = {
        "help": (DVCQ + ["--help"], short),
        "validate_one": (DVCQ + ["validate", str(one)], short),
        "floor": ([PY, "-c", FLOOR, str(folder)], args.repeat),
        "floor_province": ([PY, "-c", FLOOR, str(province)], args.repeat),
        "validate_all": (DVCQ + ["validate", str(folder), "--json"], args.repeat),
        "consolidate_all": (DVCQ + ["consolidate", str(folder), "--parent", "00", "--period", PERIOD,
                                    "--out", str(out / "ca-nuoc.xlsx"), "--db", str(out / "db.sqlite")], args.repeat),
        "consolidate_province": (DVCQ + ["consolidate", str(province), "--out", str(out / "tinh.xlsx"),
                                         "--db", str(out / "db.sqlite")], args.repeat),
    }
    if not args.skip_baseline:
        once = args.communes > 500 or args.quick
        jobs["naive_baseline"] = ([PY, "-c", NAIVE, str(folder)], 1 if once else args.repeat)
    # as installed: a wheel's modules are compiled at install time, so every job runs with bytecode
    # (PYTHONDONTWRITEBYTECODE in the caller's shell would recompile dvcq in every process and worker)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(dvcq_file()).parent)], check=True, env=env)
    for name, (cmd, repeat) in jobs.items():
        print(f"timing {name} ...", file=sys.stderr)
        results[name] = median_of(cmd, repeat, env)
    n = len(files)
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"{args.communes} communes, {n} files, {size / 2**20:.1f} MB (generated in {gen:.0f} s, cached); "
             f"province job: {province.name} ({sum(1 for _ in province.rglob('*.xlsx'))} files); "
             f"load average {load0:.2f} at the start, {load1:.2f} at the end, on {os.cpu_count()} CPUs",
             f"{'job':24} {'wall s':>8} {'files/s':>9} {'CPU s':>8} {'peak MB':>8}"]
    for name in jobs:
        r = results[name]
        per = n / r["wall"] if name in ("floor", "validate_all", "consolidate_all", "naive_baseline") else float("nan")
        lines.append(f"{name:24} {r['wall']:8.2f} {per:9.0f} {r['cpu']:8.2f} {r['rss_mb']:8.0f}")
    lines.append("same-run ratios (compare these, not seconds, between runs):")
    ratios = ratios_of(results)
    results["ratios"] = ratios
    for label, value in ratios.items():
        unit = " s" if label in ("one file", "--help") else " MB" if label.endswith("peak") else "x"
        lines.append(f"  {label:34} {value:8.2f}{unit}   target {TARGETS.get(label, '')}")
    cpu = cpu_ratios_of(results)
    results["cpu_ratios"] = cpu
    lines.append("the same in CPU seconds of the process trees (steadier than wall time when the machine is loaded):")
    lines.append("  " + "; ".join(f"{label} {value:.2f}x" for label, value in cpu.items()))
    results["load_average"] = [load0, load1]
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
