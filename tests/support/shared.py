"""What several test files (and both xdist workers) build alike, built once per test session.

`built_once(root, name, key, build)` gives the folder ``root/name-<hash of key>``: the first process that asks
builds it in place (``build(folder)``) under a file lock, the others wait for it and then read it. ``root`` is
the session's temporary root (`session_root`: shared by the workers of one run, never by two runs), so
nothing outlives its run. The folder is read only: `unchanged(folder)` says whether it still holds what was
built (its digests are written beside it when the build ends)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Callable

import pytest
from filelock import FileLock

DONE = "built.json"  # beside the folder: written last, with the digests of what was built


def session_root(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary root all workers of this run share (under xdist each worker's basetemp is in it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def built_once(root: Path, name: str, key: object, build: Callable[[Path], None]) -> Path:
    """``root/name-<hash of repr(key)>`` as ``build`` writes it, built by the first process that asks for it.

    A build that failed half-way leaves no marker: the next process to ask starts again from an empty folder
    (and fails the same way, with its own traceback)."""
    folder = root / f"{name}-{hashlib.sha256(repr(key).encode()).hexdigest()[:12]}"
    marker = folder.with_name(folder.name + "." + DONE)
    with FileLock(str(folder) + ".lock"):
        if not marker.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(folder)
            marker.write_text(json.dumps(digests(folder)), encoding="utf-8")
    return folder


def unchanged(folder: Path) -> bool:
    """The folder holds what its build wrote (no test wrote into it)."""
    marker = folder.with_name(folder.name + "." + DONE)
    return digests(folder) == json.loads(marker.read_text(encoding="utf-8"))
