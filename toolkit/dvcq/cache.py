"""A per-user cache of what dvcq derives from its own data files, so that a command does not derive it again:
the checked contents of the YAML specifications (dvcq.schema) and the columns of the unit registries
(dvcq.units.registry). Deriving them was a quarter of one file's start-up (56 of 223 CPU ms, bench/startup.py);
from the cache they take 21 of 150.

An entry is one file per source (``<kind>-<hash of the source's path>.pickle``) holding the key it was made
under and the value. The key is a hash of everything the value was derived from (the source's bytes, the code
and versions that read it): an entry of another key is stale and never returned; an entry that is missing,
unreadable or not plain data counts as absent and is written again. An entry is written to a temporary file of
the writing process and renamed into place (atomic: a reader sees the old entry or the new one); a cache that
cannot be written (read-only home, an entry another process holds open) is simply not used.

Where: ``$DVCQ_CACHE`` (``off`` to use none), else ``<dvcq home>/cache`` when ``$DVCQ_HOME`` is set, else
``%LOCALAPPDATA%\\dvcq\\cache`` on Windows and ``$XDG_CACHE_HOME/dvcq`` (``~/.cache/dvcq``) elsewhere.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from dvcq.resources import home

OFF = "off"
SUFFIX = ".pickle"
FORMAT = b"dvcq-cache-1"  # raised when what an entry holds changes shape
# the only classes an entry may name: plain data and the dates a YAML file can hold
_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
            ("datetime", "timezone")}
MISSING = object()


def cache_dir() -> Path | None:
    """The cache folder, None when turned off."""
    env = os.environ.get("DVCQ_CACHE")
    if env is not None:
        return None if env.strip().lower() in (OFF, "") else Path(env)
    if os.environ.get("DVCQ_HOME") or os.name == "nt":
        return home() / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dvcq"


def key(*parts: bytes | str) -> str:
    """A key over ``parts`` (the source's bytes, versions...), with the Python version (pickle, float text)."""
    h = hashlib.sha256(FORMAT)
    h.update(sys.version.encode())
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def _entry(kind: str, source: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(os.path.normcase(str(Path(source).absolute())).encode("utf-8")).hexdigest()[:24]
    return folder / f"{kind}-{name}{SUFFIX}"


class _Plain(pickle.Unpickler):
    """Unpickles plain data only: an entry naming any other class is refused (and counts as absent)."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


def get(kind: str, source: Path, want: str) -> Any:
    """The value stored for ``source`` under key ``want``; MISSING when absent, stale or unreadable."""
    path = _entry(kind, source)
    if path is None:
        return MISSING
    try:
        data = path.read_bytes()
        stored, value = _Plain(io.BytesIO(data)).load()
    except Exception:  # absent, half a file, not ours: derived again
        return MISSING
    return value if stored == want else MISSING


def put(kind: str, source: Path, want: str, value: Any) -> None:
    """Store ``value`` for ``source`` under key ``want``; any failure leaves the cache as it was."""
    path = _entry(kind, source)
    if path is None:
        return
    try:
        data = pickle.dumps((want, value), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
    except Exception:  # a read-only cache: the next run derives it again
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # this process's own, renamed into place
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except Exception:  # a full disk, an entry another process holds open (Windows): left as it was
        try:
            tmp.unlink()
        except OSError:
            pass
