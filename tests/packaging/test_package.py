"""The wheel is the product: built, installed into a fresh environment outside the checkout, and
used from a folder whose path has spaces and Vietnamese letters, as an official's PC would."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.support.paths import NOFORK, ROOT

# the commands run for a district of the smallest size (the run is the same for 3 communes as for 14)
DISTRICT, COMMUNES = "207", 3  # Huyện Cô Tô, Quảng Ninh: thị trấn Cô Tô, xã Đồng Tiến, xã Thanh Lân


def test_wheel_carries_everything_read_at_run_time(dvcq_wheel):
    """The wheel (built from a clean copy of the sources) ships templates/, macros/ and the unit registry;
    pandas is no run-time requirement."""
    wheel = dvcq_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"dvcq/_share/{p.relative_to(ROOT).as_posix()}" for d in ("templates", "macros")
               for p in (ROOT / d).rglob("*") if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts}
    assert shipped and shipped <= names
    units = {f"dvcq/data/units/{p.name}" for p in (ROOT / "toolkit" / "dvcq" / "data" / "units").iterdir()}
    assert units <= names
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    assert not [r for r in requires if "pandas" in r and "extra ==" not in r]  # pandas only for the benchmark


def test_installed_wheel_runs_every_command_outside_the_checkout(dvcq_wheel, dependency_wheels, ram_path):
    """The wheel and its dependencies (wheels, no index) installed into a new venv that does not see the
    checkout: templates and macros found inside the venv, and each command run by the venv's `dvcq` from a
    folder with spaces and Vietnamese letters, with the output each should write. All of it in memory
    (``ram_path``): the install writes 150 MB."""
    tmp_path = ram_path
    venv = tmp_path / "môi trường"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DVCQ_TEMPLATES", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPATH"] = str(NOFORK)  # no checkout on the path; still no fork, as on Windows
    # a venv without its own pip (ensurepip costs 4 s of CPU): this environment's pip installs into it
    # (``pip --python``): the wheel and its dependencies, each module compiled when first imported and its
    # bytecode kept in the venv, as on an office PC (without PYTHONDONTWRITEBYTECODE, which a developer's
    # machine may set: each of the nine processes below compiled dvcq and its libraries again, 1.3 s of CPU)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    # with the clean environment: a checkout on PYTHONPATH (its dvcq.egg-info) made pip think dvcq was installed
    # offline: no pip setting of this machine (an index, find-links) takes part
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-compile", "--no-index",
                    "--find-links", str(dependency_wheels), str(dvcq_wheel)],
                   check=True, capture_output=True,
                   env={**{k: v for k, v in env.items() if not k.startswith("PIP_")}, "PIP_CONFIG_FILE": os.devnull})
    work = tmp_path / "Báo cáo 6 tháng"
    work.mkdir()
    env["DVCQ_HOME"] = str(work / "dữ liệu dvcq")

    def run(*args, ok=(0,)):
        r = subprocess.run([str(bindir / "dvcq"), *args], cwd=work, env=env, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode in ok, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "Lỗi nội bộ" not in r.stderr
        return r

    where = subprocess.run([str(py), "-c", "import dvcq.resources as r; print(r.templates_dir()); print(r.macros_dir())"],
                           cwd=work, env=env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    where = where.stdout.split("\n")
    assert all(Path(p).is_relative_to(venv) for p in where[:2]), where
    run("build", "--out", "biểu trắng")
    assert {p.name for p in (work / "biểu trắng").iterdir()} >= {"ke-hoach.xlsx", "so-tiep-cong-dan.xlsx",
                                                               "bao-cao-dinh-ky.xlsx", "dvcq-dieu-khien.xlsm",
                                                               "dvcq-dieu-khien.ods"}
    with zipfile.ZipFile(work / "biểu trắng" / "dvcq-dieu-khien.ods") as z:  # the macro comes from the wheel
        macro = z.read("Scripts/python/dieukhien.py").decode("utf-8")
        content = z.read("content.xml").decode("utf-8")
    assert "def kiem_tra(" in macro and "DVCQ = {'texts': {" in macro
    assert str(bindir / "dvcq") in content  # the buttons run the installed environment's dvcq
    # one form is enough here (build above made all three from the wheel's templates)
    run("forms", "--parent", DISTRICT, "--period", "2024-H1", "--form", "bao-cao-dinh-ky", "--out", "biểu điền sẵn")
    prefilled = [p.name for p in (work / "biểu điền sẵn").iterdir()]
    assert len(prefilled) == COMMUNES + 1  # the communes and the district's own
    assert all(name.endswith("-bao-cao-dinh-ky-2024-H1.xlsx") for name in prefilled), prefilled
    run("sample", "--parent", DISTRICT, "--period", "2024-H1", "--out", "nộp")
    run("validate", "nộp", ok=(0, 1))
    run("consolidate", "nộp")
    (rollup,) = (work / "ket-qua").glob(f"tong-hop-{DISTRICT}-*-2024-H1.xlsx")
    run("report", str(rollup.relative_to(work)), "--signer", "Nguyễn Văn A")
    assert (work / "ket-qua" / f"bao-cao-{rollup.stem}.docx").stat().st_size > 10_000
    version = subprocess.run([str(py), "-m", "dvcq", "--version"], cwd=work, env=env, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("dvcq ")
