"""Wall and CPU time of each phase of the packaging tests (tests/packaging), run outside pytest.

    python bench/packaging_phases.py [--tmp DIR] [--pypi]

Runs, in a fresh folder under ``--tmp`` (default: the system's temporary folder; ``/dev/shm`` for tmpfs), what
tests/packaging does step by step, each timed alone: the shared wheels (dvcq's, the dependencies repacked),
the installer's steps (a venv with ensurepip, its check, pip's install of the bundle with bytecode, the
reinstall, the forms), test_package's (a venv without pip, the install with ``--no-compile``, each command of
the installed wheel, with and without PYTHONDONTWRITEBYTECODE) and, with ``--pypi``, test_wheelhouse's (the
isolated wheel build, a ``pip download`` per Python, the dry runs). CPU is user + system of this process and
of its children waited for (resource.getrusage). Nothing here is asserted; docs/testing.md keeps the figures.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.packaging.scripts import wheelhouse  # noqa: E402
from tests.packaging.wheels import link_or_copy, repack, runtime_closure, wheel_requirements  # noqa: E402

DISTRICT = "207"  # test_package's district (3 communes)


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def phase(name: str, step):
    wall, spent = time.perf_counter(), cpu()
    result = step()
    print(f"{name:58s} wall {time.perf_counter() - wall:6.2f} s   CPU {cpu() - spent:6.2f} s", flush=True)
    return result


def run(cmd, env=None, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return r


def no_pip_settings(env: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in env.items() if not k.startswith("PIP_")}, "PIP_CONFIG_FILE": os.devnull}


def installer_steps(base: Path, bundle: Path) -> None:
    """The installer's steps as packaging/windows/cai-dat.py runs them for a first install and a reinstall."""
    env = {**no_pip_settings({k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}),
           "PYTHONUTF8": "1"}
    venv = base / "installer venv"
    py = venv / "bin" / "python"
    pip = [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-warn-script-location",
           "--no-index", "--find-links", bundle]
    phase("installer: python -m venv (ensurepip)", lambda: run([sys.executable, "-m", "venv", venv], env=env))
    phase("installer: the venv's check (--moi-truong)", lambda: run([py, bundle / "cai-dat.py", "--moi-truong"], env=env))
    phase("installer: pip install --upgrade dvcq (with bytecode)", lambda: run(pip + ["--upgrade", "dvcq"], env=env))
    phase("installer: pip install --force-reinstall --no-deps dvcq",
          lambda: run(pip + ["--force-reinstall", "--no-deps", "dvcq"], env=env))
    phase("installer: import dvcq.excel.xl, xlwings", lambda: run([py, "-c", "import dvcq.excel.xl, xlwings"], env=env))
    phase("installer: dvcq build (the forms)", lambda: run([venv / "bin" / "dvcq", "build", "--out", base / "forms"], env=env))
    phase("installer: reinstall: pip install --upgrade dvcq (satisfied)", lambda: run(pip + ["--upgrade", "dvcq"], env=env))
    phase("installer: the venv deleted", lambda: shutil.rmtree(venv))
    phase("python -m venv --without-pip", lambda: run([sys.executable, "-m", "venv", "--without-pip", venv], env=env))


def package_steps(base: Path, dvcq_wheel: Path, deps: Path, bytecode: bool) -> None:
    """test_package's install and commands; ``bytecode``: the venv's processes may write their bytecode."""
    tag = "bytecode written" if bytecode else "PYTHONDONTWRITEBYTECODE=1"
    env = {k: v for k, v in os.environ.items() if k not in ("DVCQ_TEMPLATES", "VIRTUAL_ENV", "PYTHONPATH")}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    venv = base / f"package venv {bytecode}"
    phase(f"package [{tag}]: venv --without-pip", lambda: run([sys.executable, "-m", "venv", "--without-pip", venv]))
    phase(f"package [{tag}]: pip --python install --no-compile",
          lambda: run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-compile",
                       "--no-index", "--find-links", deps, dvcq_wheel], env=no_pip_settings(env)))
    work = base / f"work {bytecode}"
    work.mkdir()
    env["DVCQ_HOME"] = str(work / "home")
    dvcq = venv / "bin" / "dvcq"
    for args in (["--help"], ["build", "--out", "b"],
                 ["forms", "--parent", DISTRICT, "--period", "2024-H1", "--form", "bao-cao-dinh-ky", "--out", "f"],
                 ["sample", "--parent", DISTRICT, "--period", "2024-H1", "--out", "n"], ["validate", "n"],
                 ["consolidate", "n"]):
        phase(f"package [{tag}]: dvcq {args[0]}", lambda: subprocess.run([dvcq, *args], cwd=work, env=env,
                                                                         capture_output=True))
    (rollup,) = (work / "ket-qua").glob("tong-hop-*.xlsx")
    phase(f"package [{tag}]: dvcq report", lambda: run([dvcq, "report", rollup, "--signer", "A"], cwd=work, env=env))


def wheelhouse_steps(base: Path) -> None:
    """test_wheelhouse's bundle: the isolated build, a pip download per Python, the dry runs (needs PyPI)."""
    out = base / "dvcq-windows"
    out.mkdir()
    wheel = phase("wheelhouse: build_wheel (isolated: setuptools downloaded)", lambda: wheelhouse.build_wheel(out))
    for python in wheelhouse.PYTHONS:
        phase(f"wheelhouse: pip download for Windows, Python {python}",
              lambda: wheelhouse.run(wheelhouse.pip_as_windows(python, "download", "--quiet", "--dest", str(out),
                                                               str(wheel)), "pip download"))
    env = no_pip_settings(dict(os.environ))

    def dry(python: str) -> subprocess.Popen:
        return subprocess.Popen(wheelhouse.pip_as_windows(
            python, "install", "--dry-run", "--ignore-installed", "--no-index", "--find-links", str(out), "--target",
            str(base / "target"), "--report", str(base / f"report-{python}.json"), "--quiet", "dvcq"), env=env)

    phase("wheelhouse: one dry run (3.12)", lambda: dry("3.12").wait())
    phase("wheelhouse: five dry runs at once", lambda: [p.wait() for p in [dry(p) for p in wheelhouse.PYTHONS]])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--pypi", action="store_true", help="also test_wheelhouse's steps (downloads)")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="dvcq bench packaging ", dir=args.tmp))
    try:
        wheels, deps, bundle = base / "wheel", base / "dependencies", base / "bundle"
        for folder in (wheels, deps, bundle):
            folder.mkdir()
        dvcq_wheel = phase("shared: dvcq's wheel (not isolated)", lambda: wheelhouse.build_wheel(wheels, isolated=False))
        phase("shared: the dependencies repacked",
              lambda: [repack(d, deps) for d in runtime_closure(wheel_requirements(dvcq_wheel))])
        for wheel in (dvcq_wheel, *deps.glob("*.whl")):
            link_or_copy(wheel, bundle / wheel.name)
        wheelhouse.copy_texts(bundle)
        installer_steps(base, bundle)
        for bytecode in (False, True):
            package_steps(base, dvcq_wheel, deps, bytecode)
        if args.pypi:
            wheelhouse_steps(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
