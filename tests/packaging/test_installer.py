"""The offline installer's logic (packaging/windows/cai-dat.py, which cai-dat.bat runs with the Python it
finds), run here for real: a bundle of this platform's wheels and the dvcq wheel, a venv under a path with
spaces and Vietnamese letters, then the reinstalls an office PC sees (a working venv, a broken one, a form
an officer filled, starting over). cai-dat.bat itself cannot run here: it is read as text.

One full install, the first, which starts over (cai-lai-tu-dau.bat) from an old venv; the repair runs with a
bundle without its wheels: it makes the venv again and stops at the install step, whose code is the first
install's. Each venv the installer makes costs about 4 s of CPU (ensurepip): two in all. Venvs and bundles are
written in memory (``ram_path``, tests/support/ramdisk.py)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.packaging.scripts import WINDOWS_DIR, cai_dat, wheelhouse
from tests.packaging.wheels import link_or_copy
from tests.support.ramdisk import ram_folder


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "DVCQ_HOME": str(home)}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, dvcq_wheel, dependency_wheels) -> Path:
    """The installer's folder as for Windows (the dvcq wheel, cai-dat.py, the texts), with this platform's
    wheels of the dependencies (the test environment's, repacked: no download) in place of win_amd64 ones."""
    with ram_folder("dvcq-windows", tmp_path_factory.mktemp("dvcq-windows")) as out:
        for wheel in (dvcq_wheel, *dependency_wheels.glob("*.whl")):
            link_or_copy(wheel, out / wheel.name)
        wheelhouse.copy_texts(out)
        yield out


@pytest.fixture(scope="module")
def no_wheels(tmp_path_factory) -> Path:
    """The installer's folder without its wheels (a bundle unpacked in part): the install step fails."""
    out = tmp_path_factory.mktemp("dvcq-windows-no-wheels")
    wheelhouse.copy_texts(out)
    return out


def install(bundle: Path, where: Path, *args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, str(bundle / "cai-dat.py"), "--venv", str(where / ".venv"), "--out",
                        str(where / "Tài liệu" / "dvcq"), *args], capture_output=True, text=True,
                       env=clean_env(where / "home"), timeout=900)
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    return r


def test_start_over_install_reinstall_and_repair(bundle, no_wheels, ram_path):
    """cai-lai-tu-dau.bat on a PC with an old venv (--lam-lai): the venv goes, the history stays, a new venv is
    made, dvcq and its dependencies installed from the bundle without an index, the forms written, `dvcq` of the
    wheel's version; a second install keeps the working venv and a filled form; a venv without pip is not
    usable; a venv whose Python is gone is deleted and made again, the filled form kept (then the bundle without
    wheels stops the install: the steps after a new venv are the first install's)."""
    where = ram_path / "Cán bộ" / "AppData Local"
    venv, out = where / ".venv", where / "Tài liệu" / "dvcq"
    # the old venv is only deleted: made without pip (ensurepip would cost 4 s of CPU for nothing); the
    # installer's own venv made after it is the one a first install on a new PC makes (the same code)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (venv / "cu.txt").write_text("old", encoding="utf-8")
    (where / "home").mkdir()
    (where / "home" / "lich-su.sqlite").write_bytes(b"history")

    first = install(bundle, where, "--lam-lai")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Cài lại từ đầu" in first.stdout and not (venv / "cu.txt").exists()
    assert (where / "home" / "lich-su.sqlite").read_bytes() == b"history"
    assert f"Đã tạo bằng {cai_dat.label()}." in first.stdout and "CÀI ĐẶT XONG." in first.stdout
    assert {p.name for p in out.iterdir()} == {"ke-hoach.xlsx", "so-tiep-cong-dan.xlsx", "bao-cao-dinh-ky.xlsx",
                                               "dvcq-dieu-khien.xlsm", "dvcq-dieu-khien.ods"}
    assert f'Máy dùng LibreOffice: mở "{out / "dvcq-dieu-khien.ods"}"' in first.stdout
    version = subprocess.run([str(cai_dat.exe(venv, "dvcq")), "--version"], capture_output=True, text=True).stdout
    wheel_version = next(bundle.glob("dvcq-*.whl")).name.split("-")[1]
    assert version.strip() == f"dvcq {wheel_version}"

    # an officer fills the plan form; the next install keeps it and says so
    wb = load_workbook(out / "ke-hoach.xlsx")
    wb.worksheets[0]["Z99"] = "đã điền"
    wb.save(out / "ke-hoach.xlsx")
    again = install(bundle, where)
    assert again.returncode == 0, again.stdout + again.stderr
    base = f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
    assert f"Đã có, do Python {base} (" in again.stdout and "còn dùng được" in again.stdout
    assert "Cài lại từ đầu" not in again.stdout and "Đã tạo bằng" not in again.stdout
    assert "Giữ nguyên ke-hoach.xlsx" in again.stdout and "ke-hoach-moi.xlsx" in again.stdout
    assert load_workbook(out / "ke-hoach.xlsx").worksheets[0]["Z99"].value == "đã điền"

    # a venv without pip (a first install killed half-way) is not reused
    pip_dir = next((venv / "lib").glob("python*/site-packages/pip"))
    shutil.move(str(pip_dir), str(ram_path / "pip"))
    assert cai_dat.usable(venv) == (False, "thiếu pip")
    shutil.move(str(ram_path / "pip"), str(pip_dir))
    assert cai_dat.usable(venv)[0]

    # the Python that made the venv is gone (uninstalled, upgraded): the venv no longer starts, and is rebuilt
    python = cai_dat.exe(venv, "python")
    python.unlink()
    python.symlink_to(ram_path / "python-da-go" / "python3")
    assert cai_dat.usable(venv)[0] is False
    repaired = install(no_wheels, where)
    assert "không dùng được" in repaired.stdout and "Xóa và tạo lại." in repaired.stdout
    assert "Đã tạo bằng" in repaired.stdout and python.resolve().exists() and cai_dat.usable(venv)[0]
    assert not cai_dat.exe(venv, "dvcq").exists()  # the old venv's files went with it
    assert repaired.returncode == 1 and "[LỖI] Cài dvcq không thành công" in repaired.stdout
    assert load_workbook(out / "ke-hoach.xlsx").worksheets[0]["Z99"].value == "đã điền"
    assert (where / "home" / "lich-su.sqlite").read_bytes() == b"history"


@pytest.mark.parametrize("facts,expected", [
    (dict(version=(3, 13, 1), bits=64), []),
    (dict(version=(3, 14, 0), bits=64), []),
    (dict(version=(3, 9, 13), bits=64), ["bộ cài có gói cho Python 3.10 đến 3.14"]),
    (dict(version=(3, 15, 0), bits=64), ["bộ cài có gói cho Python 3.10 đến 3.14"]),
    (dict(version=(3, 12, 4), bits=32), ["đây là bản 32-bit, bộ cài chỉ có gói cho Python 64-bit"]),
    (dict(version=(3, 12, 4), bits=64,
          base=r"C:\Program Files\WindowsApps\PythonSoftwareFoundation.Python.3.12_3.12.2032.0_x64__qbz5n2kfra8p0"),
     ["Python cài từ Microsoft Store ghi các tệp trong thư mục AppData vào thư mục riêng của nó, Excel không thấy được"]),
    (dict(version=(3, 12, 4), bits=64, windows=True, machine="ARM64"),
     ["đây là bản cho máy ARM64, bộ cài chỉ có gói cho Python 64-bit loại thường (AMD64)"]),
])
def test_which_pythons_the_installer_refuses_and_why(facts, expected):
    assert cai_dat.problems(**facts) == expected


def test_the_installer_and_the_bundle_agree_on_the_pythons():
    lo, hi = cai_dat.SUPPORTED
    assert wheelhouse.PYTHONS == tuple(f"3.{m}" for m in range(lo[1], hi[1] + 1))
    bat = (WINDOWS_DIR / "cai-dat.bat").read_text(encoding="utf-8")
    assert re.search(r"for %%V in \(3\.14 3\.13 3\.12 3\.11 3\.10\)", bat)
    assert "(python3.14 python3.13 python3.12 python3.11 python3.10 python)" in bat


def _code(name: str) -> list[str]:
    lines = (WINDOWS_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().lower().startswith("rem ")]


def test_the_bat_checks_64_bit_windows_and_each_python_before_anything_is_created():
    code = _code("cai-dat.bat")
    arch = next(i for i, line in enumerate(code) if "PROCESSOR_ARCHITECTURE" in line)
    probes = [i for i, line in enumerate(code) if "--kiem-tra" in line]
    run = next(i for i, line in enumerate(code) if line.startswith('%PY% "%BUNDLE%\\cai-dat.py"'))
    assert arch < min(probes) and max(probes) < run
    assert code[arch] == 'if /i "%PROCESSOR_ARCHITECTURE%"=="x86" if not defined PROCESSOR_ARCHITEW6432 ('
    assert "[LỖI] Máy này chạy Windows 32-bit." in code[arch + 1] and code[arch + 2] == "goto :fail"
    assert all("<nul 2>nul && set \"PY=" in code[i] for i in probes)
    assert code[run] == '%PY% "%BUNDLE%\\cai-dat.py" %* <nul' and code[run + 1] == "if errorlevel 1 goto :fail"
    # what Excel will run, checked from outside Python, where a Store Python's redirection would not reach
    assert code[run + 2] == 'if not exist "%VENV%\\Scripts\\pythonw.exe" ('


def test_start_over_runs_the_installer_with_lam_lai():
    code = _code("cai-lai-tu-dau.bat")
    assert code[:2] == ["@echo off", "chcp 65001 >nul"]
    assert code[-1] == 'call "%~dp0cai-dat.bat" --lam-lai'
    assert "--lam-lai" in (WINDOWS_DIR / "cai-dat.py").read_text(encoding="utf-8")
