"""Where dvcq's time goes: cProfile of validation and of a province's consolidation, in one process.

    python bench/profiling.py bench/.cache/2025-Y-300-38first-v2-v3 --province 38

Profiles, serially and in this process (workers=1, so that cProfile sees every call):
  1. ``validate_file`` over every ``--every``-th file of the folder: milliseconds per file by phase;
  2. ``consolidate_folder`` of one province (its sub-folder): validation and the roll-up, by phase.
Prints the phases' shares and the functions with the most own time. Absolute times depend on the load
of the machine (printed); the shares are what compares between runs. ``--save DIR`` keeps the raw
``.prof`` files (snakeviz, ``python -m pstats``). ``--by-form N`` first times ``validate_file`` without the
profiler: CPU milliseconds per file by form, the least of N passes over the files (what a worker spends on a
file once everything is loaded; each pass a fresh interpreter).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

# phases: (label, module path fragment, function name); cumulative time of each, in the order shown
PHASES = [
    ("sniff (zip directory, hash)", "intake/sniff.py", "sniff"),
    ("open_book (calamine, formula/error scan)", "intake/read.py", "open_book"),
    ("identify", "intake/read.py", "identify"),
    ("extract (cells into tables)", "intake/read.py", "extract"),
    ("check_structure", "intake/checks.py", "check_structure"),
    ("check_header", "intake/checks.py", "check_header"),
    ("check_tables (all)", "intake/checks.py", "check_tables"),
    ("  clean_cells (cell checks)", "intake/checks.py", "clean_cells"),
    ("    _already_clean (column-wise)", "intake/checks.py", "_already_clean"),
    ("  check_row_rules", "intake/checks.py", "check_row_rules"),
    ("  check_period_dates", "intake/checks.py", "check_period_dates"),
    ("  check_duplicates", "intake/checks.py", "check_duplicates"),
    ("check_indicators", "intake/checks.py", "check_indicators"),
    ("summary (measures, progress)", "intake/validate.py", "_summary"),
    ("  measures.compute", "intake/measures.py", "compute"),
    ("FileResult.finish", "intake/issues.py", "finish"),
    ("validate_paths (whole validation)", "intake/validate.py", "validate_paths"),
    ("stage_rollup (roll-up workbook)", "rollup/writer.py", "stage_rollup"),
    ("store.record, seal, complete (history)", "rollup/store.py", "record"),
    ("", "rollup/store.py", "seal"),
    ("", "rollup/store.py", "complete"),
]


def _with(label: str) -> list[tuple[str, str]]:
    """The unlabelled phases right after ``label`` in PHASES, added to it."""
    i = next(k for k, (lab, _, _) in enumerate(PHASES) if lab == label)
    out = []
    for lab, frag, fn in PHASES[i + 1:]:
        if lab:
            break
        out.append((frag, fn))
    return out


def _cumulative(stats: pstats.Stats) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for _label, frag, fn in PHASES:
            if name == fn and file.replace(os.sep, "/").endswith(frag):
                out[(frag, fn)] = out.get((frag, fn), 0.0) + ct
    return out


def report(title: str, prof: cProfile.Profile, wall: float, files: int, top: int) -> str:
    stats = pstats.Stats(prof)
    total = stats.total_tt
    cum = _cumulative(stats)
    lines = [f"== {title}: {files} files, {wall:.2f} s wall under the profiler ({total:.2f} s profiled, "
             f"{1000 * total / max(files, 1):.2f} ms per file)"]
    for label, frag, fn in PHASES:
        ct = cum.get((frag, fn))
        if not label:  # counted with the phase above it
            continue
        ct = (ct or 0.0) + sum(cum.get(k, 0.0) for k in _with(label))
        if ct:
            lines.append(f"  {label:44} {ct:8.2f} s {100 * ct / total:5.1f}%  {1000 * ct / files:7.2f} ms/file")
    lines.append(f"  -- own time, top {top}:")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (file, line, name), (_cc, nc, tt, ct, _callers) in rows:
        where = file.split("/dvcq/")[-1] if "/dvcq/" in file else Path(file).name
        lines.append(f"  {tt:7.2f} s {100 * tt / total:5.1f}%  {nc:9d} calls  {where}:{line} {name}")
    return "\n".join(lines)


def _one_pass(files: list[Path]) -> list[tuple[str, float]]:
    """(form, CPU seconds) of each file, validated in order in this process (the first file once before)."""
    from dvcq.intake.validate import validate_file

    validate_file(files[0])  # the caches a worker's first file fills (forms, registries, calendars)
    out = []
    for f in files:
        t = time.process_time()
        r = validate_file(f)
        out.append((r.form_id or r.status, time.process_time() - t))
    return out


def by_form(files: list[Path], passes: int) -> str:
    """CPU ms per file by form, without the profiler: each pass a fresh interpreter over the files in order (as
    a worker sees them: nothing remembered from an earlier pass), each file's least over the passes."""
    import json
    import subprocess

    best: list[float] = []
    forms: list[str] = []
    for _ in range(passes):
        r = subprocess.run([sys.executable, __file__, "--one-pass", *map(str, files)], capture_output=True, text=True,
                           check=True)
        got = json.loads(r.stdout)
        forms = [f for f, _ in got]
        best = [s for _, s in got] if not best else [min(a, s) for a, (_, s) in zip(best, got)]
    lines = [f"== validate_file without the profiler, CPU ms per file, each file's least of {passes} fresh passes"]
    for fid in sorted(set(forms)):
        ms = [1000 * s for s, f in zip(best, forms) if f == fid]
        lines.append(f"  {fid:24} {len(ms):5d} files {sum(ms) / len(ms):7.2f} ms/file  {sum(ms) / 1000:6.2f} s")
    total = sum(best)
    lines.append(f"  {'all':24} {len(files):5d} files {1000 * total / len(files):7.2f} ms/file  {total:6.2f} s")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--one-pass"]:
        import json

        print(json.dumps(_one_pass([Path(a) for a in argv[1:]])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a folder of submissions (bench/national.py's cache)")
    ap.add_argument("--province", default="38", help="the sub-folder consolidated as one province")
    ap.add_argument("--every", type=int, default=1, help="validate every n-th file only")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--save", type=Path, help="keep the .prof files here")
    ap.add_argument("--skip-validate", action="store_true")
    ap.add_argument("--by-form", type=int, default=0, metavar="N",
                    help="first time every file without the profiler, N passes: CPU ms per file by form")
    ap.add_argument("--skip-province", action="store_true")
    args = ap.parse_args(argv)

    from dvcq.forms.spec import load_forms
    from dvcq.intake.validate import validate_file
    from dvcq.rollup.consolidate import consolidate_folder

    load_forms()  # loaded once per process in any run: not charged to the first file
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", file=sys.stderr)
    out = []
    if args.by_form:
        files = sorted(args.folder.rglob("*.xlsx"))[::args.every]
        out.append(by_form(files, args.by_form))
    if not args.skip_validate:
        files = sorted(args.folder.rglob("*.xlsx"))[::args.every]
        validate_file(files[0])  # warm the caches (registry, forms, calendars) as a worker's first file does
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for f in files:
            validate_file(f)
        prof.disable()
        out.append(report("validate_file, serial", prof, time.perf_counter() - t0, len(files), args.top))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            prof.dump_stats(str(args.save / "validate.prof"))
    if not args.skip_province:
        province = args.folder / args.province
        n = sum(1 for _ in province.rglob("*.xlsx"))
        with tempfile.TemporaryDirectory() as tmp:
            prof = cProfile.Profile()
            t0 = time.perf_counter()
            prof.enable()
            consolidate_folder(province, out=Path(tmp) / "tinh.xlsx", db=Path(tmp) / "db.sqlite", workers=1)
            prof.disable()
        out.append(report(f"consolidate_folder {province.name}, workers=1", prof, time.perf_counter() - t0, n,
                          args.top))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            prof.dump_stats(str(args.save / "province.prof"))
    print(f"load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)
    print("\n\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
