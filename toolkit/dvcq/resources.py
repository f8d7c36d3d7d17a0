"""Where dvcq finds the files it reads at run time: form specifications, report templates,
deadlines (templates/) and the VBA sources of the control workbook (macros/); and its per-user folder
(``home``: the history database, what `dvcq build` wrote, the cache; dvcq.outputs says what goes there).

Order: ``$DVCQ_TEMPLATES`` (templates only), then a source checkout (``templates/`` beside
``toolkit/``), then the copy that the wheel carries in ``dvcq/_share/`` (setup.py puts it there).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parents[1]  # toolkit/dvcq -> the repository, when running from a checkout
SHARED = PACKAGE / "_share"
DATA = PACKAGE / "data"  # the unit registry and its companions, inside the package


@lru_cache(maxsize=None)  # asked for every file validated (the deadlines' calendars): one stat a process
def _first(name: str, probe: str) -> Path:
    for base in (CHECKOUT, SHARED):
        if (base / name / probe).exists():
            return base / name
    raise FileNotFoundError(f"dvcq: {name}/ not found in {CHECKOUT} or {SHARED}; reinstall dvcq")


def templates_dir() -> Path:
    """The templates folder: $DVCQ_TEMPLATES, else the checkout's templates/, else the packaged copy."""
    env = os.environ.get("DVCQ_TEMPLATES")
    if env:
        return Path(env)
    return _first("templates", "forms")


def home() -> Path:
    """The per-user folder of dvcq's own data (the history database)."""
    env = os.environ.get("DVCQ_HOME")
    if env:
        return Path(env)
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "dvcq"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "dvcq"


def macros_dir() -> Path:
    """The folder of VBA modules (.bas) put into the control workbook."""
    return _first("macros", "DieuKhien.bas")
