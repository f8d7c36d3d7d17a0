"""Per-file functions for the worker-process tests (tests/intake/test_parallel.py), in a module of their own: a
spawned worker imports the module of the function it runs, and this one imports nothing heavy (the test module
would bring pytest and dvcq's roll-up into every worker: about 0.7 s of CPU a start)."""
from __future__ import annotations

import os
import signal
from pathlib import Path


def square_or_die(path: Path, how: str) -> int:
    """Dies on files named 'chet-*' (``how``: abort, kill or memory); squares the number in other names."""
    if path.name.startswith("chet-"):
        if how == "abort":  # what calamine's failed 512 GiB allocation does
            os.abort()
        if how == "kill":  # what the out-of-memory killer does
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "memory":
            raise MemoryError
    return int(path.stem.split("-")[-1]) ** 2


MARK = "as imported"


def pid_and_mark(path: Path) -> tuple[int, str]:
    return os.getpid(), MARK


def _explode():
    raise RuntimeError("cannot be rebuilt in the worker")


class Poison:
    """An argument the worker process cannot unpickle: every worker dies before taking a file."""

    def __reduce__(self):
        return (_explode, ())
