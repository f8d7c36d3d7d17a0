"""Build the control workbook `dvcq-dieu-khien.xlsm` from files, without Excel.

XlsxWriter writes the sheets, named input cells and three form-control buttons around the
VBA project that xlwings ships in its Excel-saved `quickstart_standalone.xlsm` (it holds the
`RunPython` module and document modules for two sheets, so the workbook has exactly two
sheets). pyOpenVBA then swaps the sample module for `macros/DieuKhien.bas`. The sheet's layout (cells,
buttons, words) is dvcq.forms.control's, shared with the LibreOffice workbook (dvcq.calc.ods).

The ``xlwings.conf`` sheet pins every setting the pinned xlwings reads (`conf_rows`), so nothing comes
from files on the PC; the interpreter is written for any account (dvcq.excel.winpaths). Below the block
xlwings reads: the versions that built the workbook and the templates the buttons resolve at each
click (``MauPython``, ``MauThuMucTam``) into paths VBA's ANSI file functions can open.
"""
from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import xlwings

from dvcq import __version__
from dvcq.codes import cell_text
from dvcq.forms.build import print_setup
from dvcq.forms.control import (BUTTONS, CONTROL, FIRST_INPUT_ROW, INPUTS, INTRO, OUTPUTS, RESULTS_ROW, RESULTS_TITLE,
                                TITLE, output_cells)
from dvcq.outputs import write_atomic
from dvcq.resources import macros_dir

from .winpaths import interpreter_setting

CONF = "xlwings.conf"
BUNDLE_PYTHON = r"%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe"  # where cai-dat.bat installs
VERSION_NAME = "PhienBanXlwings"  # defined name of the cell holding the xlwings version that built the workbook
PYTHON_TEMPLATE = "MauPython"  # defined names of the templates the buttons resolve at each click
TEMP_TEMPLATE = "MauThuMucTam"
TEMP_DIR = "%TEMP%"
MODULE = "DieuKhien"


def macro_source() -> str:
    return (macros_dir() / f"{MODULE}.bas").read_text(encoding="ascii")


def xlwings_version() -> str:
    return xlwings.__version__


def default_python() -> str:
    """The interpreter the buttons run: pythonw.exe beside the Python running dvcq on Windows (no
    console window); built elsewhere, the environment that cai-dat.bat creates on the office PC."""
    if os.name == "nt":
        exe = Path(sys.executable)
        windowless = exe.with_name("pythonw.exe")
        return str(windowless if windowless.exists() else exe)
    return BUNDLE_PYTHON


def conf_rows(python: str) -> list[tuple[str, str]]:
    """The block of the xlwings.conf sheet: every key the pinned xlwings' VBA reads (``GetConfig``), so
    none is taken from a directory or user xlwings.conf on the PC. Errors of Python go to a sheet the
    buttons read and turn into a Vietnamese message (SHOW_ERROR_POPUPS False), the workbook's folder
    stays off Python's path (a workbook opened from OneDrive or SharePoint would make xlwings look for
    it), and the OneDrive and SharePoint roots are empty. ``TEMP DIR`` (where xlwings has Python's
    errors written) and ``Interpreter_Win`` are resolved again by the buttons at each click."""
    return [("Interpreter_Win", python), ("Interpreter_Mac", ""), ("Interpreter", ""), ("PYTHONPATH", ""),
            ("ADD_WORKBOOK_TO_PYTHONPATH", "False"), ("ONEDRIVE_CONSUMER_WIN", ""), ("ONEDRIVE_COMMERCIAL_WIN", ""),
            ("SHAREPOINT_WIN", ""), ("ONEDRIVE_CONSUMER_MAC", ""), ("ONEDRIVE_COMMERCIAL_MAC", ""),
            ("SHAREPOINT_MAC", ""), ("Conda Path", ""), ("Conda Env", ""), ("UDF Modules", ""),
            ("Debug UDFs", "False"), ("Use UDF Server", "False"), ("Show Console", "False"),
            ("SHOW_ERROR_POPUPS", "False"), ("TEMP DIR", TEMP_DIR), ("LICENSE_KEY", "")]


def shipped_vba_project() -> bytes:
    """xl/vbaProject.bin of xlwings' standalone quickstart workbook (Excel-saved, holds RunPython)."""
    path = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def build_control_workbook(out: Path, python: str | None = None, inputs: Mapping[str, str] | None = None) -> Path:
    """Write the control workbook atomically; its buttons run ``python`` (default: default_python()),
    written for any account (dvcq.excel.winpaths.interpreter_setting); ``inputs``: values of input cells
    by defined name (an earlier workbook's, carried over)."""
    setting = interpreter_setting(python or default_python())
    return write_atomic(Path(out), lambda tmp: _write(tmp, setting, inputs or {}))


def control_inputs(path: Path) -> dict[str, str]:
    """The input cells of a control workbook as an officer saved it, by defined name ({} when it cannot be
    read)."""
    from openpyxl import load_workbook  # lazy: only when a changed control workbook is kept

    try:
        wb = load_workbook(path, keep_vba=False)
    except Exception:  # a damaged workbook: it is kept as it is, the new one starts empty
        return {}
    values = {}
    for name, _, _ in INPUTS:
        defined = wb.defined_names.get(name)
        if defined is None:
            continue
        for sheet, ref in defined.destinations:
            if sheet in wb.sheetnames:
                text = cell_text(wb[sheet][ref.replace("$", "")].value)
                if text:
                    values[name] = text
    return values


def _write(path: Path, python: str, inputs: Mapping[str, str]) -> None:
    import xlsxwriter  # lazy: only when building the control workbook
    from pyopenvba import ExcelFile  # lazy: only when building the control workbook

    tmp_bin = path.with_suffix(".bin")
    tmp_bin.write_bytes(shipped_vba_project())
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "in_memory": True})
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(str(tmp_bin))
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    f = lambda **kw: wb.add_format({**base, **kw})
    title, label, hint = f(bold=True, font_size=16, font_color="#1F4E79"), f(bold=True), f(italic=True, font_color="#7F7F7F")
    box = f(border=1, bg_color="#FFF2CC", locked=False, num_format="@")  # Text: codes keep their zeros
    result = f(border=1, bg_color="#E2EFDA", text_wrap=True)

    ws = wb.add_worksheet(CONTROL)
    ws.set_vba_name("Sheet1")
    ws.set_column("A:A", 4)
    ws.set_column("B:B", 40)
    ws.set_column("C:C", 52)
    ws.set_column("D:D", 4)
    ws.set_column("E:E", 30)
    ws.set_column("F:M", 16)
    ws.write_string(0, 1, TITLE, title)
    for r, line in enumerate(INTRO, start=1):
        ws.write_string(r, 1, line, hint)
    cells = output_cells()
    for r in range(FIRST_INPUT_ROW - 1, FIRST_INPUT_ROW + len(INPUTS) + len(OUTPUTS) + 1):
        ws.set_row(r, 21)
    for i, (name, text, example) in enumerate(INPUTS):
        r = FIRST_INPUT_ROW - 1 + i
        ws.write_string(r, 1, text, label)
        if inputs.get(name):
            ws.write_string(r, 2, inputs[name], box)
        else:
            ws.write_blank(r, 2, None, box)
        if example:
            ws.write_comment(r, 2, f"Ví dụ: {example}")
        wb.define_name(name, f"='{CONTROL}'!${cells[name][0]}${cells[name][1:]}")
    for name, text in OUTPUTS:
        r = int(cells[name][1:]) - 1
        ws.write_string(r, 1, text, label)
        ws.write_blank(r, 2, None, result)
        wb.define_name(name, f"='{CONTROL}'!$C${r + 1}")
    ws.write_string(RESULTS_ROW - 2, 0, RESULTS_TITLE, label)
    wb.define_name("KetQua", f"='{CONTROL}'!$A${RESULTS_ROW}")
    for i, (macro, caption) in enumerate(BUTTONS):
        ws.insert_button(FIRST_INPUT_ROW - 1 + 2 * i, 4, {
            "macro": macro, "caption": caption, "width": 210, "height": 40, "x_offset": 4, "y_offset": 2})
    ws.activate()
    print_setup(ws, landscape=True)
    ws.print_area(0, 0, RESULTS_ROW + 15, 9)
    ws.hide_gridlines(2)

    conf = wb.add_worksheet(CONF)
    conf.set_vba_name("Sheet2")
    conf.set_column("A:A", 20)
    conf.set_column("B:B", 60)
    rows = conf_rows(python)
    for r, (k, v) in enumerate(rows):
        conf.write_string(r, 0, k)
        conf.write_string(r, 1, v)
    # after a blank row, outside the block xlwings reads: what built this workbook
    made = len(rows) + 1
    below = [(VERSION_NAME, "xlwings (bản tạo bảng điều khiển)", xlwings_version()),
             (None, "dvcq (bản tạo bảng điều khiển)", __version__),
             (PYTHON_TEMPLATE, "Python của các nút (mẫu cho mọi tài khoản)", python),
             (TEMP_TEMPLATE, "Thư mục tạm (mẫu)", TEMP_DIR)]
    for r, (name, k, v) in enumerate(below, start=made):
        conf.write_string(r, 0, k, label)
        conf.write_string(r, 1, v)
        if name:
            wb.define_name(name, f"='{CONF}'!$B${r + 1}")
    conf.hide()  # settings for xlwings, which reads a hidden sheet too; officials see only the control sheet
    wb.close()
    tmp_bin.unlink()
    _printable_buttons(path)

    book = ExcelFile(path)
    project = book.vba_project()
    project.delete_module("Module1")
    project.add_module(MODULE, macro_source().replace("\r\n", "\n"))
    book.save()
    problems = ExcelFile(path).validate()
    if problems:
        raise RuntimeError(f"VBA project did not validate: {problems}")


def _printable_buttons(path: Path) -> None:
    """XlsxWriter marks form buttons not printable; make them print so the sheet renders as seen."""
    data = {}
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        for i in infos:
            data[i.filename] = z.read(i.filename)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i in infos:
            body = data[i.filename]
            if i.filename.startswith("xl/drawings/vmlDrawing"):
                body = re.sub(rb"<x:PrintObject>False</x:PrintObject>", b"", body)
            z.writestr(i, body)
    path.write_bytes(buf.getvalue())
