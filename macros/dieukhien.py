# -*- coding: utf-8 -*-
"""The buttons of dvcq's control workbook in LibreOffice Calc (dvcq-dieu-khien.ods), stored in the document
as Scripts/python/dieukhien.py by `dvcq build` (dvcq.calc.ods).

A button reads the named cells, runs the installed dvcq program (the cell «Chương trình dvcq», written at
build time) with --json, and shows what dvcq answered: its status line in «Trạng thái», the file it wrote
in its cell, its table on the sheet «Kết quả». No logic beyond calling and showing, and no words of its own:
what the official reads comes from dvcq, at the click (the JSON, or dvcq's own error line) or when the
workbook was built (DVCQ below: the control workbook's messages, dvcq.forms.control and dvcq.calc.ods).

It runs in LibreOffice's own Python (Windows: bundled with LibreOffice, Python 3.8 in LibreOffice 7;
Debian: the package libreoffice-script-provider-python): standard library only, Python 3.8 syntax. The
functions above the entry points take plain values (cell texts, the document's URL, os.name) and are
tested without LibreOffice, Windows paths included.
"""
import datetime
import json
import ntpath
import nturl2path
import os
import posixpath
import re
import shutil
import subprocess
import urllib.parse

DVCQ = {}  # written by `dvcq build` (dvcq.calc.ods.macro_settings): texts, button captions, the results area

PROGRAM = "ChuongTrinh"  # the named cells the buttons read and write (dvcq.forms.control, dvcq.calc.ods)
STATUS = "TrangThai"
LAST_RUN = "LanBamCuoi"
RESULTS = "KetQua"  # the results table's first cell, on its own sheet
RESULTS_STATUS = "KetQuaTrangThai"  # above the table: the status line of the run it shows
INPUTS = ("ThuMucNop", "KyBaoCao", "DonViCapTren", "ThuMucKetQua", "NguoiKy", "SoVanBan", "TepKeHoach")
WRITES = {"TongHop": "TepTongHop", "XuatBaoCao": "TepBaoCao", "XuatKeHoach": "TepVanBanKeHoach"}
CHECK = "TepDoiChieu"  # the report's check sheet (dvcq report --json: check_path)
TIMEOUT = 3600  # seconds; a national consolidation takes about a minute
CREATE_NO_WINDOW = 0x08000000  # Windows: the console program opens no window
# around a path pasted with Explorer's «Copy as path» and the like: dvcq.paths.QUOTES and SPACES (tested equal)
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
SPACES = " \t\r\n\u00a0\u200b\ufeff"
CHAR_WIDTH, NARROWEST, WIDEST = 220, 1500, 12000  # column widths in 1/100 mm (Times New Roman 12 pt)
# variables of the program's environment that would make dvcq's Python load LibreOffice's own library
# (LibreOffice sets some of them for its bundled Python)
FOREIGN = ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONEXECUTABLE", "PYTHONUSERBASE", "VIRTUAL_ENV",
           "__PYVENV_LAUNCHER__")


class Problem(Exception):
    """What the status cell says instead of a result."""


def text(key, **values):
    return DVCQ["texts"][key].format(**values)


def own_problem(key, **values):
    """A message of the control workbook itself, with "Lỗi: " before it as before dvcq's own errors."""
    return Problem(text("error", message=text(key, **values)))


def pasted(value):
    """A path as typed or pasted into a cell, without the quotes and spaces around it."""
    return value.strip(SPACES + QUOTES)


def path_module(nt):
    return ntpath if nt else posixpath


def expand(value, env, nt):
    """Environment variables in a path: %LOCALAPPDATA% on Windows (names in any case), $HOME elsewhere;
    an unknown variable is left as written."""
    if nt:
        upper = {k.upper(): v for k, v in env.items()}
        return re.sub(r"%([^%]+)%", lambda m: upper.get(m.group(1).upper(), m.group(0)), value)
    return re.sub(r"\$(\w+)|\$\{([^}]*)\}", lambda m: env.get(m.group(1) or m.group(2), m.group(0)), value)


def document_folder(url, nt):
    """The folder of the document at ``url`` ("file:///C:/Users/C%C3%A1n%20b%E1%BB%99/..."), '' when it
    is no local file (not saved yet, or opened from a web address)."""
    if not url.startswith("file:"):
        return ""
    if nt:
        path = nturl2path.url2pathname(url[len("file:"):])
    else:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    return path_module(nt).dirname(path)


def absolute(value, folder, nt, what=""):
    """The path in the cell labelled ``what``: quotes and spaces around it dropped; a relative one taken in
    the workbook's folder (LibreOffice's working folder is anywhere), refused with dvcq's message
    (dvcq.paths) when that folder is unknown (a document opened from a web address); '' for an empty cell."""
    p = path_module(nt)
    clean = pasted(value)
    if not clean or p.isabs(clean):
        return clean
    if not folder:
        raise own_problem("not_full", what=what, path=clean)
    return p.normpath(p.join(folder, clean))


def program_path(value, env, nt):
    """The program named in the cell «Chương trình dvcq»: quotes dropped, environment variables expanded
    (a workbook built for every account names %LOCALAPPDATA%)."""
    return expand(pasted(value), env, nt)


def command(button, cells, folder, nt, isdir=os.path.isdir, isfile=os.path.isfile):
    """The arguments of dvcq for a button, from the cells' text (the same calls as the Excel buttons,
    dvcq.excel.xl); a Problem when a cell the button needs names nothing."""
    p = path_module(nt)

    def path(name):
        return absolute(cells.get(name, ""), folder, nt, DVCQ["labels"][name])

    def option(flag, name):
        value = cells.get(name, "").strip()
        return [flag, value] if value else []

    results = path("ThuMucKetQua")
    if button in ("KiemTra", "TongHop"):
        submissions = path("ThuMucNop")
        if not submissions or not isdir(submissions):
            raise own_problem("no_folder", path=submissions)
        if button == "KiemTra":
            annotated = p.join(results, DVCQ["annotated"]) if results else ""  # "": dvcq's default place
            return ["validate", submissions, "--json", "--annotate=" + annotated] + option("--period", "KyBaoCao")
        return (["consolidate", submissions, "--json"] + option("--period", "KyBaoCao")
                + option("--parent", "DonViCapTren") + (["--out", results] if results else []))
    if button == "XuatBaoCao":
        rollup = path("TepTongHop")
        if not rollup or not isfile(rollup):
            raise own_problem("no_rollup")
        return ["report", rollup, "--json"] + option("--signer", "NguoiKy") + option("--number", "SoVanBan")
    if button == "XuatKeHoach":
        plan = path("TepKeHoach")
        if not plan or not isfile(plan):
            raise own_problem("no_plan", path=plan)
        out = ["--out", p.join(results, p.splitext(p.basename(plan))[0] + ".docx")] if results else []
        return ["plan", plan, "--json"] + out  # number, date and signer: the plan workbook's own
    raise ValueError(button)


def child_environment(environ):
    """dvcq's environment: LibreOffice's, without what points Python at LibreOffice's own, in UTF-8."""
    env = {k: v for k, v in environ.items() if k.upper() not in FOREIGN}
    env["PYTHONUTF8"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def answer(code, out, err):
    """What dvcq answered: its JSON document, else a Problem saying dvcq's last error line (already
    "Lỗi: ..." in Vietnamese) or that it said nothing readable."""
    try:
        data = json.loads(out.decode("utf-8")) if out.strip() else None
    except ValueError:
        data = None
    if isinstance(data, dict) and "status_line" in data:
        return data
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    if lines:
        raise Problem(lines[-1])
    raise own_problem("no_output", code=code)


def shown(button, data):
    """The cells a button writes (name -> text) and its table (rows, the header first; None: left as is)."""
    cells = {STATUS: data["status_line"]}
    if button in WRITES and data.get("out_path"):
        cells[WRITES[button]] = data["out_path"]
    if button == "XuatBaoCao" and data.get("check_path"):
        cells[CHECK] = data["check_path"]
    table = data.get("table")
    rows = None
    if table is not None:
        rows = [list(table["header"])] + [list(r) for r in table["rows"]][:DVCQ["table"]["rows"] - 1]
    return cells, rows


def grid(rows, width):
    """Rows as LibreOffice's setDataArray takes them: every row ``width`` long, None as ''."""
    return tuple(tuple("" if v is None else v for v in (list(r) + [""] * width)[:width]) for r in rows)


def widths(rows, columns):
    """The width of each results column (1/100 mm): its longest text, within NARROWEST and WIDEST."""
    longest = [0] * columns
    for row in rows:
        for i, value in enumerate(list(row)[:columns]):
            longest[i] = max(longest[i], len(str("" if value is None else value)))
    return [min(WIDEST, max(NARROWEST, n * CHAR_WIDTH)) for n in longest]


def run(program, args, nt, environ):
    """Run dvcq; (exit code, stdout, stderr) as bytes."""
    extra = {"creationflags": CREATE_NO_WINDOW} if nt else {}
    try:
        # every standard handle given: on Windows soffice is a GUI process without console handles
        proc = subprocess.run([program] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=child_environment(environ), timeout=TIMEOUT, **extra)
    except subprocess.TimeoutExpired:
        raise own_problem("timeout", minutes=TIMEOUT // 60)
    except OSError as exc:
        raise own_problem("cannot_start", path=program, error=exc.strerror or exc)
    return proc.returncode, proc.stdout, proc.stderr


def find_program(value, nt, environ):
    """The dvcq program to run, or a Problem naming what the cell says."""
    path = program_path(value, environ, nt)
    if path and os.path.isfile(path):
        return path
    if path and not any(sep in path for sep in ("/", "\\")):
        found = shutil.which(path)  # a bare name ("dvcq"): on the PATH
        if found:
            return found
    raise own_problem("no_program", path=path)


# --- LibreOffice ---------------------------------------------------------------------------------------

NT = os.name == "nt"


def _cell(doc, name):
    return doc.NamedRanges.getByName(name).getReferredCells().getCellByPosition(0, 0)


def _write_table(doc, rows, status):
    """The table on the results sheet, its columns fitted, the status line above it; then that sheet shown."""
    where = _cell(doc, RESULTS).getCellAddress()
    sheet = doc.Sheets.getByIndex(where.Sheet)
    columns = DVCQ["table"]["columns"]
    sheet.getCellRangeByPosition(where.Column, where.Row, where.Column + columns - 1,
                                 where.Row + DVCQ["table"]["rows"]).clearContents(1 | 2 | 4 | 16)  # values, dates, texts, formulas
    if rows:
        data = grid(rows, min(columns, max(len(r) for r in rows)))
        sheet.getCellRangeByPosition(where.Column, where.Row, where.Column + len(data[0]) - 1,
                                     where.Row + len(data) - 1).setDataArray(data)
    for i, width in enumerate(widths(rows, columns)):
        sheet.Columns.getByIndex(where.Column + i).Width = width
    _cell(doc, RESULTS_STATUS).setString(status)
    doc.CurrentController.setActiveSheet(sheet)


def _repaint():
    """Let LibreOffice draw the sheet before dvcq runs (the window does not redraw while a macro runs)."""
    try:
        ctx = XSCRIPTCONTEXT.getComponentContext()  # noqa: F821 (given by LibreOffice's script provider)
        ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", ctx).processEventsToIdle()
    except Exception:  # an older LibreOffice without processEventsToIdle: the status shows at the end
        pass


_RUNNING = []  # a click while dvcq runs (the window redraws once, so a second click can come in): ignored


def _press(button):
    if _RUNNING:
        return
    _RUNNING.append(button)
    try:
        _run_button(button)
    finally:
        _RUNNING.clear()


def _run_button(button):
    doc = XSCRIPTCONTEXT.getDocument()  # noqa: F821 (given by LibreOffice's script provider)
    caption = DVCQ["buttons"][button]
    table = None
    try:
        cells = {name: _cell(doc, name).getString() for name in INPUTS + tuple(WRITES.values())}
        args = command(button, cells, document_folder(doc.URL, NT), NT)
        program = find_program(_cell(doc, PROGRAM).getString(), NT, os.environ)
        _cell(doc, STATUS).setString(text("running", button=caption))
        _repaint()
        updates, table = shown(button, answer(*run(program, args, NT, os.environ)))
    except Problem as problem:
        updates = {STATUS: str(problem)}
    except Exception as exc:  # never a traceback dialog for the official
        updates = {STATUS: text("internal", kind=type(exc).__name__, error=exc)}
    try:
        for name, value in updates.items():
            _cell(doc, name).setString(value)
        if table is not None:
            _write_table(doc, table, updates[STATUS])
    except Exception as exc:
        _cell(doc, STATUS).setString(text("internal", kind=type(exc).__name__, error=exc))
    finally:  # always, so that an unchanged cell means the macro never ran
        _cell(doc, LAST_RUN).setString(text("last_run", button=caption,
                                            time=f"{datetime.datetime.now():%H:%M:%S %d/%m/%Y}"))


# The buttons' entry points, bound in content.xml as vnd.sun.star.script:dieukhien.py$kiem_tra?...
def kiem_tra(*_event):
    _press("KiemTra")


def tong_hop(*_event):
    _press("TongHop")


def xuat_bao_cao(*_event):
    _press("XuatBaoCao")


def xuat_ke_hoach(*_event):
    _press("XuatKeHoach")


g_exportedScripts = (kiem_tra, tong_hop, xuat_bao_cao, xuat_ke_hoach)
