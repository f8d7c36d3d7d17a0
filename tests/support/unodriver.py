#!/usr/bin/python3
"""Press the buttons of a LibreOffice control workbook as an official does, through LibreOffice itself.

Run by the tests as a subprocess with the system Python that has the UNO bridge (Debian's python3-uno:
/usr/bin/python3), never with a virtual environment's Python, which has no ``uno``:

    /usr/bin/python3 unodriver.py DOC --connect PIPE --press KiemTra [--press TongHop ...]
                                  [--set NAME=VALUE ...] [--out SAVED.ods] [--wait SECONDS]
    /usr/bin/python3 unodriver.py DOC --profile DIR [--trust URL ...] --press KiemTra ...   (its own soffice)

The document is loaded with MacroExecutionMode USE_CONFIG: LibreOffice applies the profile's macro
security, as for a double click. Cells are typed through UNO, then each button is pressed through its
accessibility action (the click LibreOffice's own event binding turns into the macro call, security
checks included); the click is posted, so the event loop is run to idle and the cell the macro always
writes last (LanBamCuoi) is polled. The document is stored (``--out``, ODF), and one JSON line printed:
each press (button, bound script, status, seconds) and every named cell's text.

Importable without ``uno`` (the tests use `write_profile`, `soffice_env` and `start_office` to run one
soffice per test session). Pitfalls this avoids: a virtual environment's python3 first on PATH crashes
soffice's Python script provider (so `soffice_env`); two soffice on one profile both fail (one profile
each); an unread stdout pipe blocks soffice (a log file); a killed soffice leaves a lock file beside the
document (the tests copy the workbook per test).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

try:  # absent under a virtual environment's Python: the helpers below do not need it
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError:
    uno = None

SENTINEL = "(chờ nút bấm)"
WATCHED = "LanBamCuoi"  # the cell every press writes last
SCRIPTING = "/org.openoffice.Office.Common/Security/Scripting"
XCU_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
FOREIGN = ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE")


def write_profile(profile: Path, trusted: list[str], level: int | None = None) -> None:
    """A fresh LibreOffice user profile: ``trusted`` folders (file URLs) as trusted locations, as an
    official adds them in Tools > Options > Security > Macro Security > Trusted Sources, and the macro
    security level when given (0 low, 1 medium, 2 high: the default, 3 very high)."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = []
    if level is not None:
        items.append(f'<item oor:path="{SCRIPTING}"><prop oor:name="MacroSecurityLevel" oor:op="fuse">'
                     f"<value>{level}</value></prop></item>")
    if trusted:
        urls = "".join(f"<it>{u}</it>" for u in trusted)
        items.append(f'<item oor:path="{SCRIPTING}"><prop oor:name="SecureURL" oor:op="fuse">'
                     f"<value>{urls}</value></prop></item>")
    (user / "registrymodifications.xcu").write_text(XCU_HEAD + "\n".join(items) + "\n</oor:items>\n",
                                                   encoding="utf-8")


def soffice_env(environ=None) -> dict:
    """soffice's environment: LibreOffice's Python (Debian: the system's libpython) finds its standard
    library from the first python3 on PATH, and a virtual environment's python3 there makes the Python
    script provider abort soffice (std::bad_alloc). So /usr/bin goes first and the variables that point
    Python elsewhere go."""
    env = {k: v for k, v in (os.environ if environ is None else environ).items() if k not in FOREIGN}
    env["PATH"] = os.pathsep.join(["/usr/bin", "/bin", env.get("PATH", "")])
    return env


def start_office(soffice: str, profile: Path, pipe: str, log) -> subprocess.Popen:
    """soffice headless in its own process group (killed whole), listening on ``pipe``, logging to ``log``."""
    return subprocess.Popen([soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                             "--nolockcheck", f"-env:UserInstallation={profile.resolve().as_uri()}",
                             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            env=soffice_env(), start_new_session=True)


def stop_office(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _pv(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, proc: subprocess.Popen | None, timeout: float):
    ctx = uno.getComponentContext()
    resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"soffice exited with {proc.returncode} before accepting connections")
            if time.monotonic() > deadline:
                raise TimeoutError("soffice did not accept a connection in time")
            time.sleep(0.2)


def _button(doc, name: str):
    """(sheet, form, index, model) of the form control named ``name``."""
    for s in range(doc.Sheets.Count):
        sheet = doc.Sheets.getByIndex(s)
        forms = sheet.DrawPage.Forms
        for f in range(forms.Count):
            form = forms.getByIndex(f)
            for i in range(form.Count):
                if form.getByIndex(i).Name == name:
                    return sheet, form, i, form.getByIndex(i)
    raise LookupError(f"no control named {name}")


def _bound_script(form, index: int) -> str:
    for ev in form.getScriptEvents(index):
        if ev.ListenerType.endswith("XActionListener") and ev.EventMethod == "actionPerformed":
            return ev.ScriptCode
    return ""


def _named(doc, name: str):
    return doc.NamedRanges.getByName(name).getReferredCells().getCellByPosition(0, 0)


def press(rctx, doc_path: Path, buttons: list[str], values: dict[str, str], out: Path | None, wait: float) -> dict:
    desktop = rctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", rctx)
    toolkit = rctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", rctx)
    mode = uno.getConstantByName("com.sun.star.document.MacroExecMode.USE_CONFIG")
    t0 = time.monotonic()
    doc = desktop.loadComponentFromURL(doc_path.resolve().as_uri(), "_blank", 0, (_pv("MacroExecutionMode", mode),))
    if doc is None:  # a stale lock file, or a package entry missing from the manifest
        raise RuntimeError(f"LibreOffice could not load {doc_path}")
    result = {"load_seconds": round(time.monotonic() - t0, 2), "presses": []}
    try:
        for name, value in values.items():
            _named(doc, name).setString(value)
        watched = _named(doc, WATCHED)
        for button in buttons:
            t = time.monotonic()
            sheet, form, index, model = _button(doc, button)
            watched.setString(SENTINEL)
            controller = doc.CurrentController
            controller.setActiveSheet(sheet)
            controller.getControl(model).getAccessibleContext().doAccessibleAction(0)  # posts the click
            toolkit.processEventsToIdle()  # runs it, and the macro with it
            deadline = time.monotonic() + wait
            while watched.getString() == SENTINEL and time.monotonic() < deadline:
                time.sleep(0.1)
                toolkit.processEventsToIdle()
            result["presses"].append({"button": button, "script": _bound_script(form, index),
                                      "ran": watched.getString() != SENTINEL,
                                      "status": _named(doc, "TrangThai").getString(),
                                      "seconds": round(time.monotonic() - t, 2)})
        names = doc.NamedRanges.ElementNames
        result["cells"] = {n: _named(doc, n).getString() for n in names}
        if out:
            doc.storeToURL(out.resolve().as_uri(), (_pv("FilterName", "calc8"),))
    finally:
        doc.close(True)
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("doc", type=Path)
    ap.add_argument("--press", action="append", default=[], metavar="BUTTON")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--connect", metavar="PIPE", help="a running soffice listening on this pipe")
    ap.add_argument("--soffice", default=shutil.which("soffice") or "/usr/bin/soffice")
    ap.add_argument("--profile", type=Path, help="start an own soffice with this fresh profile")
    ap.add_argument("--trust", action="append", default=[], metavar="URL", help="a trusted location (own soffice)")
    ap.add_argument("--level", type=int, choices=[0, 1, 2, 3])
    ap.add_argument("--timeout", type=float, default=180, help="seconds for soffice to accept a connection")
    ap.add_argument("--wait", type=float, default=5, help="seconds a press may take after the event loop is idle")
    a = ap.parse_args()
    values = dict(item.partition("=")[::2] for item in a.set)
    if a.connect:
        result = press(connect(a.connect, None, a.timeout), a.doc, a.press, values, a.out, a.wait)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    profile = a.profile or Path(tempfile.mkdtemp(prefix="lo-own-")) / "profile"
    write_profile(profile, a.trust, a.level)
    pipe = f"dvcq-own-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with open(profile.parent / "soffice.log", "w+b") as log:
        proc = start_office(a.soffice, profile, pipe, log)
        try:
            rctx = connect(pipe, proc, a.timeout)
            result = press(rctx, a.doc, a.press, values, a.out, a.wait)
            try:
                rctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", rctx).terminate()
            except Exception:  # the bridge drops as soffice exits
                pass
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode("utf-8", "replace")[-4000:])
            raise
        finally:
            stop_office(proc)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
