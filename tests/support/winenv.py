"""How Windows expands environment variables in a setting, as xlwings has it done.

xlwings' VBA passes every value of the ``xlwings.conf`` sheet through
``WScript.Shell.ExpandEnvironmentStrings`` (Win32 ExpandEnvironmentStrings): each ``%NAME%`` of a
defined variable becomes its value, the name matched case-insensitively; an undefined ``%NAME%`` is
left as written.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

_VARIABLE = re.compile(r"%([^%]+)%")


def expand_environment_strings(value: str, environ: Mapping[str, str]) -> str:
    upper = {k.upper(): v for k, v in environ.items()}
    return _VARIABLE.sub(lambda m: upper.get(m.group(1).upper(), m.group(0)), value)


def account(user: str) -> dict[str, str]:
    """The variables of a Windows account named ``user``."""
    profile = f"C:\\Users\\{user}"
    return {"USERPROFILE": profile, "LOCALAPPDATA": f"{profile}\\AppData\\Local",
            "APPDATA": f"{profile}\\AppData\\Roaming", "TEMP": f"{profile}\\AppData\\Local\\Temp",
            "PUBLIC": "C:\\Users\\Public", "USERNAME": user}
