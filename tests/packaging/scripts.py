"""The packaging scripts, which are not modules of dvcq, loaded from their files: packaging/wheelhouse.py,
packaging/release.py and the installer packaging/windows/cai-dat.py."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from tests.support.paths import ROOT

WINDOWS_DIR = ROOT / "packaging" / "windows"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wheelhouse = _load("wheelhouse", ROOT / "packaging" / "wheelhouse.py")
release = _load("release", ROOT / "packaging" / "release.py")
cai_dat = _load("cai_dat", WINDOWS_DIR / "cai-dat.py")
