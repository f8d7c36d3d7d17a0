"""The control workbook: VBA module as in macros/, buttons bound to existing Subs, round trips."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from dvcq.excel.xlsm import BUTTONS, CONTROL, INPUTS, OUTPUTS, build_control_workbook, macro_source

from tests.support.office import convert
from tests.support.paths import ROOT
from tests.support.winenv import account, expand_environment_strings


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory):
    return build_control_workbook(tmp_path_factory.mktemp("xlsm") / "dvcq-dieu-khien.xlsm")


def _subs(source: str) -> set[str]:
    return set(re.findall(r"^Sub (\w+)\(", source, flags=re.M))


def test_vba_module_equals_the_macros_folder(xlsm):
    from oletools.olevba import VBA_Parser

    modules = {Path(stream).name: code for _, stream, _, code in VBA_Parser(str(xlsm)).extract_macros()}
    norm = lambda s: [l for l in s.replace("\r\n", "\n").split("\n") if l.strip() and not l.startswith("Attribute")]
    assert norm(modules["DieuKhien"]) == norm(macro_source())
    assert "Function RunPython" in modules["xlwings"] or "Sub RunPython" in modules["xlwings"]
    assert macro_source().isascii()
    assert (ROOT / "macros" / "DieuKhien.bas").read_text(encoding="ascii") == macro_source()


def test_every_button_names_an_existing_sub(xlsm):
    with zipfile.ZipFile(xlsm) as z:
        vml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/vmlDrawing"))
    macros = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert sorted(macros) == sorted(m for m, _ in BUTTONS)
    assert set(macros) <= _subs(macro_source())
    assert "<x:PrintObject>False" not in vml
    for _, caption in BUTTONS:
        assert caption in vml


def test_python_strings_have_no_quotes_and_fixed_entry_points():
    calls = re.findall(r'RunButton "([^"]*)"', macro_source())
    assert len(calls) == len(BUTTONS)
    import dvcq.excel.xl as xl

    for call in calls:
        fn = re.search(r"dvcq\.excel\.xl\.(\w+)\(\)", call).group(1)
        assert callable(getattr(xl, fn))


def test_defined_names_and_config_sheet(xlsm):
    from openpyxl import load_workbook

    wb = load_workbook(xlsm, keep_vba=True)
    assert wb.sheetnames == [CONTROL, "xlwings.conf"]
    names = set(wb.defined_names.keys())
    assert {n for n, _, _ in INPUTS} | {n for n, _ in OUTPUTS} | {"KetQua"} <= names
    conf = {r[0].value: r[1].value for r in wb["xlwings.conf"].iter_rows(min_col=1, max_col=2)}
    assert conf["Interpreter_Win"].endswith("pythonw.exe")


def _conf_block(path) -> dict:
    """The rows xlwings' GetConfigFromSheet reads: A1 down to the first blank cell, values in B."""
    from openpyxl import load_workbook

    ws = load_workbook(path, keep_vba=True)["xlwings.conf"]
    block = {}
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if not row[0]:
            break
        block[row[0]] = row[1] or ""
    return block


def test_built_vba_carries_the_installed_xlwings_version(xlsm):
    import xlwings
    from oletools.olevba import VBA_Parser
    from openpyxl import load_workbook

    modules = {Path(stream).name: code for _, stream, _, code in VBA_Parser(str(xlsm)).extract_macros()}
    assert re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"]).group(1) == xlwings.__version__
    wb = load_workbook(xlsm, keep_vba=True)
    sheet, ref = next(iter(wb.defined_names["PhienBanXlwings"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == xlwings.__version__
    assert "PHIENBANXLWINGS" not in {k.upper() for k in _conf_block(xlsm)}  # outside what xlwings reads


def test_config_block_leaves_no_setting_to_the_users_own_xlwings_conf(tmp_path):
    path = build_control_workbook(tmp_path / "b.xlsm", python=r"D:\Phần mềm\Python 3.12\pythonw.exe")
    block = _conf_block(path)
    assert block["Interpreter_Win"] == r"D:\Phần mềm\Python 3.12\pythonw.exe"
    assert block["Conda Path"] == "" and block["Conda Env"] == ""
    assert block["Use UDF Server"] == "False"
    assert len({k.upper() for k in block}) == len(block)  # xlwings' dictionary refuses duplicate keys


def test_cli_build_python_option_names_the_interpreter(tmp_path):
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("dvcq")
    target = r"C:\Users\Cán bộ\AppData\Local\dvcq\.venv\Scripts\pythonw.exe"
    subprocess.run([str(exe), "build", "--out", str(tmp_path), "--python", target], check=True, capture_output=True)
    assert _conf_block(tmp_path / "dvcq-dieu-khien.xlsm")["Interpreter_Win"] == target


def test_openpyxl_round_trip_keeps_vba_and_buttons(xlsm, tmp_path):
    from openpyxl import load_workbook

    copy = tmp_path / "copy.xlsm"
    load_workbook(xlsm, keep_vba=True).save(copy)
    with zipfile.ZipFile(xlsm) as a, zipfile.ZipFile(copy) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        vml = [n for n in b.namelist() if n.startswith("xl/drawings/vmlDrawing")]
        assert vml and all(b"FmlaMacro" in b.read(n) for n in vml)


def test_libreoffice_sees_each_button_bound_to_its_macro(xlsm, soffice, tmp_path):
    ods = convert(soffice, xlsm, "ods", tmp_path)
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode()
    for macro, _ in BUTTONS:
        assert re.search(rf"vnd\.sun\.star\.script:VBAProject\.\w+\.{macro}\?", content), macro


def _getconfig_keys(path) -> set[str]:
    """Every key xlwings' VBA module (as built into the workbook) reads with GetConfig."""
    from oletools.olevba import VBA_Parser

    modules = {Path(stream).name: code for _, stream, _, code in VBA_Parser(str(path)).extract_macros()}
    return set(re.findall(r'GetConfig\("([^"]+)"', modules["xlwings"]))


def test_conf_block_pins_every_key_the_pinned_xlwings_reads(xlsm):
    block = {k.upper(): v for k, v in _conf_block(xlsm).items()}
    read = _getconfig_keys(xlsm)
    assert {"INTERPRETER_WIN", "TEMP DIR", "SHOW_ERROR_POPUPS", "ADD_WORKBOOK_TO_PYTHONPATH"} <= read
    assert read <= set(block), f"not pinned: {sorted(read - set(block))}"
    assert block["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"  # a OneDrive/SharePoint address never reaches xlwings
    assert block["SHOW_ERROR_POPUPS"] == "False"  # Python's errors go to a sheet the buttons turn into Vietnamese
    assert block["TEMP DIR"] == "%TEMP%" and block["SHOW CONSOLE"] == "False" and block["USE UDF SERVER"] == "False"
    for key in ("ONEDRIVE_CONSUMER_WIN", "ONEDRIVE_COMMERCIAL_WIN", "SHAREPOINT_WIN", "PYTHONPATH", "CONDA PATH",
                "CONDA ENV", "INTERPRETER"):
        assert block[key] == "", key


def _defined(path, name):
    from openpyxl import load_workbook

    wb = load_workbook(path, keep_vba=True)
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")].value


def test_interpreter_is_written_for_any_account_and_user_name(tmp_path, monkeypatch):
    """Built by «Cán bộ» (cai-dat.bat runs dvcq build as the officer), opened by a colleague: xlwings expands
    the setting with the colleague's variables and finds the colleague's own environment."""
    builder, colleague = account("Cán bộ"), account("Lê Thị Hoa")
    python = builder["LOCALAPPDATA"] + r"\dvcq\.venv\Scripts\pythonw.exe"
    monkeypatch.setenv("LOCALAPPDATA", builder["LOCALAPPDATA"])
    monkeypatch.setenv("USERPROFILE", builder["USERPROFILE"])
    path = build_control_workbook(tmp_path / "b.xlsm", python=python)
    setting = _conf_block(path)["Interpreter_Win"]
    assert setting == r"%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe" and setting.isascii()
    assert _defined(path, "MauPython") == setting and _defined(path, "MauThuMucTam") == "%TEMP%"
    assert expand_environment_strings(setting, builder) == python
    assert expand_environment_strings(setting, colleague) == r"C:\Users\Lê Thị Hoa\AppData\Local\dvcq\.venv\Scripts\pythonw.exe"
    assert expand_environment_strings(_defined(path, "MauThuMucTam"), colleague) == colleague["TEMP"]


def test_a_workbook_built_off_windows_runs_the_installers_environment_of_each_account(xlsm):
    setting = _conf_block(xlsm)["Interpreter_Win"]
    assert setting == r"%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe"
    assert expand_environment_strings(setting, account("Nguyễn Văn Ánh")).startswith(r"C:\Users\Nguyễn Văn Ánh\AppData")


def test_a_path_outside_the_ansi_code_page_is_written_as_its_short_name():
    from dvcq.excel.winpaths import fits, interpreter_setting

    python = r"D:\Phần mềm\Python312\pythonw.exe"
    shortened = {python: r"D:\PHNMM~1\PYTHON~1\pythonw.exe"}
    assert not fits(python, "cp1252") and not fits(python, "cp1258") and fits(r"D:\Tài chính", "cp1252")
    assert interpreter_setting(python, {}, "cp1252", shortened.get) == r"D:\PHNMM~1\PYTHON~1\pythonw.exe"
    assert interpreter_setting(python, {}, "cp1252", lambda p: None) == python  # 8.3 names off: the buttons say so
    assert interpreter_setting(r"D:\Tai lieu\pythonw.exe", {}, "cp1252", shortened.get) == r"D:\Tai lieu\pythonw.exe"
    home = account("Cán bộ")  # under LOCALAPPDATA the variable wins: any account, and ASCII
    assert interpreter_setting(home["LOCALAPPDATA"] + r"\dvcq\.venv\Scripts\pythonw.exe", home, "cp1252",
                               shortened.get) == r"%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe"
