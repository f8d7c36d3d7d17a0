"""The interpreter path the control workbook's buttons run, written so every account finds its own.

xlwings reads ``Interpreter_Win`` from the workbook's ``xlwings.conf`` sheet and expands environment
variables in it (VBA ``WScript.Shell.ExpandEnvironmentStrings``: ``%NAME%`` is the variable's value,
the name case-insensitive, an unknown name left as written), then checks the file with VBA's file
functions, which go through the ANSI code page: a path with letters outside it (``C:\\Users\\Cán bộ``
on a cp1252 PC) is not found. So the path is written

- with ``%LOCALAPPDATA%`` (or ``%USERPROFILE%``) when it lies under it, as the installer's environment
  does: a colleague's copy of the workbook finds the colleague's Python;
- else as it is when it fits the ANSI code page;
- else as its 8.3 short name (``C:\\Users\\CNB~1\\...``) when Windows keeps one.

The buttons (macros/DieuKhien.bas) do the same at each click for the path the variables expand to.
"""
from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Mapping
from pathlib import PureWindowsPath

PORTABLE_VARIABLES = ("LOCALAPPDATA", "USERPROFILE")  # most specific first


def ansi_codepage() -> str | None:
    """The ANSI code page VBA's file functions use on this PC ("cp1252"); None elsewhere than Windows."""
    if os.name != "nt":
        return None
    return f"cp{ctypes.windll.kernel32.GetACP()}"


def short_path(path: str) -> str | None:
    """The 8.3 short form of an existing path (Windows keeps one unless 8.3 names are off); None elsewhere."""
    if os.name != "nt":
        return None
    size = ctypes.windll.kernel32.GetShortPathNameW(path, None, 0)
    if not size:
        return None
    buffer = ctypes.create_unicode_buffer(size)
    return buffer.value if ctypes.windll.kernel32.GetShortPathNameW(path, buffer, size) else None


def fits(text: str, codepage: str) -> bool:
    """Whether ``text`` survives the round trip through ``codepage`` (what VBA's StrConv does)."""
    try:
        return text.encode(codepage).decode(codepage) == text
    except UnicodeError:
        return False


def portable(path: str, environ: Mapping[str, str]) -> str | None:
    """``path`` with the first of PORTABLE_VARIABLES it lies under written as ``%NAME%``; None if none."""
    parts = PureWindowsPath(path).parts
    for name in PORTABLE_VARIABLES:
        base = environ.get(name)
        if not base:
            continue
        head = PureWindowsPath(base).parts
        if len(parts) > len(head) and [p.casefold() for p in parts[:len(head)]] == [p.casefold() for p in head]:
            return str(PureWindowsPath(f"%{name}%", *parts[len(head):]))
    return None


def interpreter_setting(python: str, environ: Mapping[str, str] | None = None, codepage: str | None = None,
                        short: Callable[[str], str | None] = short_path) -> str:
    """The ``Interpreter_Win`` value for ``python`` (see the module's docstring). ``environ`` and
    ``codepage`` default to this PC's (no code page: not Windows, any path is kept)."""
    environ = os.environ if environ is None else environ
    codepage = ansi_codepage() if codepage is None else codepage
    if python.startswith("%"):
        return python  # already written with a variable
    with_variable = portable(python, environ)
    if with_variable is not None and with_variable.isascii():
        return with_variable
    if codepage is None or fits(python, codepage):
        return python
    shorter = short(python)
    return shorter if shorter and fits(shorter, codepage) else python
