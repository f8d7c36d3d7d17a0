"""``make release VERSION=X.Y.Z``: the one step that changes dvcq's version.

The version lives in ``toolkit/dvcq/__init__.py`` (setup.cfg: ``version = attr: dvcq.__version__``), so a
wheel built from any checkout carries it: a clean CI checkout, a copy without ``.git`` (the offline bundle
builds from one), an editable install. Each release must raise it, or ``pip install --upgrade`` (and the
installer, cai-dat.bat) would keep the code already installed. This script checks the new version is
higher and the tree clean, writes it, commits "Release X.Y.Z" and tags ``vX.Y.Z``; then build the bundle
with ``make wheelhouse``.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
INIT = Path("toolkit") / "dvcq" / "__init__.py"
_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.M)


class ReleaseError(RuntimeError):
    """The release cannot be made; the message says why."""


def current(root: Path) -> Version:
    m = _LINE.search((root / INIT).read_text(encoding="utf-8"))
    if not m:
        raise ReleaseError(f"no __version__ line in {INIT}")
    return Version(m.group(1))


def git(root: Path, *args: str) -> str:
    r = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if r.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def release(root: Path, version: str) -> Version:
    """Set the version to ``version``, commit and tag; return it."""
    try:
        new = Version(version)
    except InvalidVersion:
        raise ReleaseError(f"{version!r} is not a version (PEP 440), e.g. 0.2.0") from None
    old = current(root)
    if new <= old:
        raise ReleaseError(f"{new} is not higher than the current version {old}: pip would not upgrade to it")
    if git(root, "status", "--porcelain").strip():
        raise ReleaseError("the working tree has uncommitted changes: commit or stash them first")
    if f"v{new}" in git(root, "tag", "--list", f"v{new}").split():
        raise ReleaseError(f"tag v{new} exists already")
    path = root / INIT
    path.write_text(_LINE.sub(f'__version__ = "{new}"', path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    git(root, "commit", "-q", "-m", f"Release {new}", "--", str(INIT))
    git(root, "tag", "-a", f"v{new}", "-m", f"dvcq {new}")
    return new


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    try:
        new = release(args.root, args.version)
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 2
    print(f"dvcq {new}: committed and tagged v{new}; now `make wheelhouse` for the offline bundle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
