"""Shared fixtures: project paths, LibreOffice (skipped locally when missing, required in CI)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOFORK = Path(__file__).resolve().parent / "nofork"

# The whole suite runs as on Windows, without the fork start method, here and in every Python
# subprocess it starts (tests/nofork/sitecustomize.py); DVCQ_TEST_FORK=1 keeps fork.
if os.environ.get("DVCQ_TEST_FORK") != "1":
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(NOFORK), os.environ.get("PYTHONPATH")) if p)
    sys.path.insert(0, str(NOFORK))
    import dvcq_nofork  # noqa: F401

# dvcq's per-user home (the default history database) is a fresh folder for each test session
os.environ["DVCQ_HOME"] = tempfile.mkdtemp(prefix="dvcq-home-")
WORKBOOKS = ROOT / "workbooks"
SAMPLE = WORKBOOKS / "sample"

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="session")
def soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI (.ci/run installs it)")
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    return exe


def convert(soffice: str, src: Path, fmt: str, outdir: Path, recalc: bool = False) -> Path:
    """Convert with LibreOffice headless in a private profile; ``recalc`` recomputes every formula."""
    profile = outdir / f".lo-profile-{os.getpid()}-{src.stem}"
    if recalc:
        user = profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out
