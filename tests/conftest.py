"""Shared set-up: the run as on Windows (no fork), a fresh dvcq home, LibreOffice (skipped locally when
missing, required in CI). Paths and helpers are in tests/support/."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile

import pytest

from tests.support.paths import NOFORK

# The whole suite runs as on Windows, without the fork start method, here and in every Python
# subprocess it starts (tests/nofork/sitecustomize.py); DVCQ_TEST_FORK=1 keeps fork.
if os.environ.get("DVCQ_TEST_FORK") != "1":
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(NOFORK), os.environ.get("PYTHONPATH")) if p)
    sys.path.insert(0, str(NOFORK))
    import dvcq_nofork  # noqa: F401

# dvcq's per-user home (the default history database) is a fresh folder for each test session
os.environ["DVCQ_HOME"] = tempfile.mkdtemp(prefix="dvcq-home-")


@pytest.fixture(scope="session")
def soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI (.ci/run installs it)")
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    return exe
