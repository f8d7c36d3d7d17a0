"""Windows' refusal to replace a file that Excel or Word has open, on any platform.

On Windows ``os.replace(tmp, target)`` and ``os.rename(target, other)`` raise PermissionError
(WinError 32, "being used by another process", or 5, access denied) while the target is open in Excel
or Word; POSIX renames anyway. `open_in_office` makes both fail that way for the given files, and only
for them: the code under test runs unchanged.
"""
from __future__ import annotations

import os
from pathlib import Path


def open_in_office(monkeypatch, *paths: Path) -> None:
    """From now on in this test, replacing any of ``paths`` fails as it does on Windows while it is open."""
    locked = {os.path.abspath(p) for p in paths}

    def refusing(real):
        def move(src, dst, *args, **kwargs):
            if os.path.abspath(dst) in locked or os.path.abspath(src) in locked:
                raise PermissionError(13, "The process cannot access the file because it is being used by "
                                          "another process", os.fspath(src), 32, os.fspath(dst))
            return real(src, dst, *args, **kwargs)
        return move

    monkeypatch.setattr(os, "replace", refusing(os.replace))
    monkeypatch.setattr(os, "rename", refusing(os.rename))
