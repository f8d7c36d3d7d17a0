"""Where the tests find the project's files."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
NOFORK = TESTS / "nofork"
GOLDEN = TESTS / "golden"
WORKBOOKS = ROOT / "workbooks"
SAMPLE = WORKBOOKS / "sample"
TEMPLATES = ROOT / "templates"
