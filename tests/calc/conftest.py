"""LibreOffice with its Python: one headless soffice per test session (per xdist worker: its own profile and
pipe) that the tests' documents are pressed in, through tests/support/unodriver.py run by the system Python
with the UNO bridge. Skipped locally when something is missing, a failure in CI (.ci/run installs it)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import unodriver
from tests.support.paths import TESTS

UNO_PYTHON = os.environ.get("DVCQ_UNO_PYTHON", "/usr/bin/python3")  # Debian's python3-uno is for this one
DRIVER = TESTS / "support" / "unodriver.py"


def missing(soffice: str) -> str:
    """What keeps the tests from running the workbook's macros here ('' when nothing)."""
    if not Path(UNO_PYTHON).exists():
        return f"{UNO_PYTHON} (the Python with LibreOffice's UNO bridge) is missing"
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, env=unodriver.soffice_env())
    if probe.returncode:
        return f"{UNO_PYTHON} cannot import uno: install python3-uno"
    if not (Path(os.path.realpath(soffice)).parent / "pythonscript.py").exists():
        return "LibreOffice runs no Python macros: install libreoffice-script-provider-python"
    return ""


@pytest.fixture(scope="session")
def uno_ready(soffice) -> str:
    """soffice, once LibreOffice's Python and the UNO bridge are known to be there."""
    why = missing(soffice)
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why} (required in CI: .ci/run installs it)")
        pytest.skip(why)
    return soffice


@dataclass
class Office:
    """A running soffice whose profile trusts the session's temporary folder (the documents' folders), at
    LibreOffice's default macro security level."""
    pipe: str
    soffice: str
    log: Path

    def press(self, doc: Path, *buttons: str, values: dict | None = None, out: Path | None = None,
              wait: float = 5, own: list[str] | None = None) -> dict:
        """Type ``values`` into the named cells of ``doc``, press ``buttons``, store the document as ``out``
        (default: beside it, "-da-bam.ods"); ``own``: in a soffice of its own with a fresh profile trusting
        only these URLs, instead of this one."""
        out = out or doc.with_name(f"{doc.stem}-da-bam.ods")
        args = [UNO_PYTHON, str(DRIVER), str(doc), "--out", str(out), "--wait", str(wait)]
        args += [a for b in buttons for a in ("--press", b)]
        args += [a for k, v in (values or {}).items() for a in ("--set", f"{k}={v}")]
        if own is None:
            args += ["--connect", self.pipe]
        else:
            args += ["--soffice", self.soffice, "--profile", str(doc.parent / f"lo-{uuid.uuid4().hex[:8]}" / "profile")]
            args += [a for u in own for a in ("--trust", u)]
        r = subprocess.run(args, capture_output=True, text=True, timeout=900, env=unodriver.soffice_env())
        assert r.returncode == 0, r.stderr[-3000:] + self.log.read_text(errors="replace")[-2000:]
        result = json.loads(r.stdout.strip().splitlines()[-1])
        result["saved"] = out
        return result


@pytest.fixture(scope="session")
def office(uno_ready, tmp_path_factory):
    base = tmp_path_factory.getbasetemp().resolve()
    home = tmp_path_factory.mktemp("office")
    unodriver.write_profile(home / "profile", [base.as_uri()])  # every test's tmp_path lies below
    pipe = f"dvcq-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    log = home / "soffice.log"
    with open(log, "wb") as out:
        proc = unodriver.start_office(shutil.which(uno_ready) or uno_ready, home / "profile", pipe, out)
        try:
            yield Office(pipe, uno_ready, log)
        finally:
            unodriver.stop_office(proc)
