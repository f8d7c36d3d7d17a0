"""Temporary folders in memory (tmpfs, ``/dev/shm``) for tests whose cost is writing many files: the packaging
tests make venvs (about 150 MB each) and unpack 90 MB of wheels, which on a disk shared with other work wait for
its writeback (docs/testing.md, "Sixth pass"). Where there is no ``/dev/shm`` (Windows, macOS), less than
``NEEDED_BYTES`` free in it (a container's default 64 MB) or ``DVCQ_TEST_RAM=0``, the folder is made in the
given fallback folder instead. A folder is removed when its test ends, passed or failed: memory is not kept for a post-mortem (``DVCQ_TEST_RAM=0`` keeps pytest's own)."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

RAM = Path("/dev/shm")
# free room the packaging tests need there at once (two workers, a venv and the wheels each): a container's
# default /dev/shm of 64 MB is not enough, and a test must not fail for want of it
NEEDED_BYTES = 1 << 30


def ram_available() -> bool:
    if os.environ.get("DVCQ_TEST_RAM") == "0" or not RAM.is_dir() or not os.access(RAM, os.W_OK):
        return False
    st = os.statvfs(RAM)
    return st.f_bavail * st.f_frsize >= NEEDED_BYTES


@contextmanager
def ram_folder(prefix: str, fallback: Path) -> Iterator[Path]:
    """A new empty folder in memory (removed afterwards), else ``fallback`` itself (left to pytest)."""
    if not ram_available():
        yield fallback
        return
    folder = Path(tempfile.mkdtemp(prefix=f"dvcq-test-{prefix}-", dir=RAM))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
