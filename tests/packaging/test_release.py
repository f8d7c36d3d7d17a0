"""One source of the version, raised by `make release`: a wheel built from a copy without .git (as the
offline bundle and a clean CI checkout build it) carries the released version, higher than before, so
`pip install --upgrade` and the installer replace the code."""
from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import dvcq
import pytest
from packaging.version import Version

from tests.packaging.scripts import release
from tests.packaging.wheels import WHEEL_SOURCES
from tests.support.paths import ROOT


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture()
def checkout(tmp_path) -> Path:
    """A git checkout of what a wheel is built from and of packaging/ (without the developer's .git, build
    outputs, or the tests, documents and workbooks that the release does not read)."""
    root = tmp_path / "dvcq"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in (*WHEEL_SOURCES, "packaging", "README.md"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "source")
    git(root, "config", "user.name", "t")
    git(root, "config", "user.email", "t@t")
    return root


def test_the_running_code_the_metadata_and_the_source_agree():
    source = (ROOT / "toolkit" / "dvcq" / "__init__.py").read_text(encoding="utf-8")
    assert re.search(r'^__version__ = "([^"]+)"$', source, re.M).group(1) == dvcq.__version__
    assert importlib.metadata.version("dvcq") == dvcq.__version__  # the editable install of this checkout
    assert Version(dvcq.__version__) > Version("0.1.0")  # every install of the 0.1.0 era upgrades


def test_release_raises_the_version_commits_tags_and_the_wheel_carries_it(checkout, tmp_path):
    before = Version(dvcq.__version__)
    new = Version(f"{before.major}.{before.minor + 1}.0")
    r = subprocess.run([sys.executable, str(checkout / "packaging" / "release.py"), str(new), "--root", str(checkout)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f'__version__ = "{new}"' in (checkout / "toolkit" / "dvcq" / "__init__.py").read_text(encoding="utf-8")
    assert git(checkout, "tag", "--list").split() == [f"v{new}"]
    assert git(checkout, "log", "-1", "--format=%s").strip() == f"Release {new}"
    assert git(checkout, "status", "--porcelain") == ""
    # the bundle's way: a copy without .git
    copy = tmp_path / "copy"
    shutil.copytree(checkout, copy, ignore=shutil.ignore_patterns(".git"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(tmp_path / "wheels"), str(copy)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "wheels").glob("dvcq-*.whl")
    assert wheel.name.startswith(f"dvcq-{new}-")
    meta = zipfile.ZipFile(wheel).read(f"dvcq-{new}.dist-info/METADATA").decode()
    assert f"\nVersion: {new}\n" in meta and Version(str(new)) > before


@pytest.mark.parametrize("version,why", [("0.0.1", "not higher"), ("banana", "not a version")])
def test_release_refuses_a_version_pip_would_not_upgrade_to(checkout, version, why):
    with pytest.raises(release.ReleaseError, match=why):
        release.release(checkout, version)
    assert git(checkout, "tag", "--list") == ""


def test_release_refuses_uncommitted_changes(checkout):
    (checkout / "README.md").write_text("changed", encoding="utf-8")
    with pytest.raises(release.ReleaseError, match="uncommitted"):
        release.release(checkout, "9.0.0")
