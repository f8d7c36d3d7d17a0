"""LibreOffice headless: conversions in a private profile, with formulas recomputed when asked.

The ``soffice`` fixture (tests/conftest.py) is an :class:`Office`: the executable's path (a ``str``, for a
test that runs it itself) that also keeps one LibreOffice listening on a pipe for the test session (per
xdist worker), started at the first conversion (again if it dies) and driven through UNO by the system Python
(python3-uno, tests/support/unoconvert.py). A conversion then costs a fraction of a second instead of the
~2.5 s of CPU of starting soffice; a conversion the listener fails is done by its own soffice (``soffice
--convert-to``) and the listener started again for the next; without python3-uno, or after RESTARTS listeners
have died or failed, each conversion starts its own soffice.
"""
from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
UNO_PYTHON = "/usr/bin/python3"  # the Python that Debian's python3-uno serves
CLIENT = Path(__file__).with_name("unoconvert.py")
RESTARTS = 3
WRITER = {".docx", ".doc", ".odt", ".rtf"}
FILTERS = {("pdf", False): "calc_pdf_Export", ("pdf", True): "writer_pdf_Export", ("ods", False): "calc8",
           ("xlsx", False): "Calc Office Open XML", ("odt", True): "writer8"}


def _die_with_parent() -> None:
    """In the listener before exec: on Linux, end it when the test process ends, even killed (no orphan)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Office(str):
    """The soffice executable, with a LibreOffice listener for the session (see the module's docstring)."""

    def __new__(cls, exe: str, workdir: Path):
        office = super().__new__(cls, exe)
        office.workdir, office.proc, office.failed = Path(workdir), None, False
        office.deaths: list[int] = []  # exit status of each listener that died on its own or was ended
        office.errors: list[str] = []  # the conversions the listener failed, and why
        office.runs = 0  # listeners started; each has its own pipe name
        office.pipe = f"dvcq-test-{os.getpid()}-{secrets.token_hex(4)}"
        return office

    def usable(self) -> bool:
        """Whether the listener can take a conversion: started at the first call, started again (at most
        RESTARTS times a session) when it has died on its own, as LibreOffice now and then does after
        closing a document on a loaded machine."""
        if self.failed:
            return False
        if self.proc is None:
            if not (os.path.exists(UNO_PYTHON) and subprocess.run([UNO_PYTHON, "-c", "import uno"],
                                                                 capture_output=True).returncode == 0):
                self.failed = True
                return False
        elif self.proc.poll() is not None:
            self.deaths.append(self.proc.returncode)
            if len(self.deaths) > RESTARTS:
                self.failed = True
                return False
        else:
            return True
        self._start()
        return True

    def _start(self) -> None:
        """soffice.bin itself (not the soffice script and its oosplash, which may exit while soffice.bin goes
        on), in a new profile: it writes the profile and exits 81 to be started again, as oosplash does."""
        self.runs += 1
        real = Path(os.path.realpath(self))
        exe = real.with_name("soffice.bin") if real.with_name("soffice.bin").exists() else real
        args = [str(exe), "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                f"-env:UserInstallation={(self.workdir / f'profile-{self.runs}').as_uri()}",
                f"--accept=pipe,name={self.pipe}-{self.runs};urp;"]

        def launch():
            return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)

        self.proc = launch()
        try:
            restart = self.proc.wait(timeout=30) == 81
        except subprocess.TimeoutExpired:
            return  # listening without a restart
        if restart:
            self.proc = launch()

    def convert(self, src: Path, fmt: str, outdir: Path, recalc: bool) -> bool:
        """Convert through the listener; False when it cannot (the caller then starts its own soffice)."""
        name = FILTERS.get((fmt, src.suffix.lower() in WRITER))
        if name is None or not self.usable():
            return False
        out = outdir / f"{src.stem}.{fmt}"
        try:
            r = subprocess.run([UNO_PYTHON, str(CLIENT), f"{self.pipe}-{self.runs}", str(src.resolve()),
                                str(out.resolve()), name, "1" if recalc else "0", str(self.proc.pid)],
                               capture_output=True, timeout=180)
        except subprocess.TimeoutExpired:
            r = None
        if r is None or r.returncode != 0 or not out.exists():
            # why, for the session's record (test_office prints it): a timeout, or the client's last words
            self.errors.append(f"{src.name}: " + ("timed out" if r is None else
                                                  r.stderr.decode("utf-8", "replace").strip()[-300:] or
                                                  f"exit {r.returncode}, no {out.name}"))
            if self.proc.poll() is None:  # it runs and cannot convert: ended, and started again at the next
                self.close()              # conversion (counted among the deaths, at most RESTARTS a session)
            return False  # the caller converts this one with its own soffice
        return True

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def convert(soffice: str, src: Path, fmt: str, outdir: Path, recalc: bool = False) -> Path:
    """Convert with LibreOffice headless in a private profile; ``recalc`` recomputes every formula."""
    outdir.mkdir(parents=True, exist_ok=True)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    if Path(src).resolve().parent != outdir.resolve():
        # LibreOffice writes a lock file (.~lock.NAME#) beside the file it opens: a file shared by the session's
        # tests (the Như Thanh roll-up) is converted from a private copy, never from where other tests read it
        private = outdir / f".src-{os.getpid()}"
        private.mkdir(exist_ok=True)
        src = Path(shutil.copy2(src, private / Path(src).name))
    if isinstance(soffice, Office) and soffice.convert(Path(src), fmt, outdir, recalc):
        return out
    profile = outdir / f".lo-profile-{os.getpid()}-{src.stem}"
    if recalc:
        user = profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    assert out.exists(), f"LibreOffice did not write {out}"
    return out
