"""A copy of templates/ with one file edited, put in force for a test (DVCQ_TEMPLATES)."""
from __future__ import annotations

import shutil
from pathlib import Path

from dvcq.forms import spec

from tests.support.paths import TEMPLATES


def edited_copy(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, Path, int]:
    """templates/ copied under ``tmp_path`` with ``old`` (found exactly once) replaced by ``new`` in ``name``;
    (the copy's root, the edited file, the 1-based line of the edit)."""
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root, path, text[: text.index(old)].count("\n") + 1


def edited_templates(tmp_path: Path, monkeypatch, name: str, old: str, new: str) -> Path:
    """edited_copy, used from now on by dvcq (DVCQ_TEMPLATES; the specifications' cache cleared); returns the
    edited file."""
    root, path, _ = edited_copy(tmp_path, name, old, new)
    monkeypatch.setenv("DVCQ_TEMPLATES", str(root))
    spec._load_yaml.cache_clear()
    return path
