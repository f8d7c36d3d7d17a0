"""The tests' LibreOffice (tests/support/office.py): one listener serves the session's conversions."""
from __future__ import annotations

import os
import re
import zipfile

import pytest
from openpyxl import load_workbook

from tests.support.office import UNO_PYTHON, Office, convert
from tests.support.paths import WORKBOOKS


def test_conversions_go_through_the_sessions_libreoffice(soffice, tmp_path):
    assert isinstance(soffice, Office)
    if not soffice.usable() and not soffice.proc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"python3-uno is required in CI (.ci/run installs it): {UNO_PYTHON} cannot import uno")
        pytest.skip("python3-uno is not installed: each conversion starts its own soffice")
    src = WORKBOOKS / "ke-hoach.xlsx"
    ods = convert(soffice, src, "ods", tmp_path / "ra")
    # converted by the listener, which still runs (restarted if it had died: their exit status in deaths)
    assert not soffice.failed and soffice.proc.poll() is None, (soffice.deaths, soffice.errors)
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode("utf-8")
    assert re.findall(r'<table:table table:name="([^"]+)"', content) == load_workbook(src, read_only=True).sheetnames
