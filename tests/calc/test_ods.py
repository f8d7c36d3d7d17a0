"""The LibreOffice control workbook as a file: an OpenDocument package LibreOffice loads, the Excel
workbook's cells and buttons, each button bound to a function of the macro stored inside, the macro
as macros/dieukhien.py with dvcq's words written in, and the program its buttons run."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from dvcq import outputs
from dvcq.calc import ods
from dvcq.forms import control
from dvcq.resources import macros_dir

from tests.support.office import convert
from tests.support.paths import ROOT

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
F = "{urn:oasis:names:tc:opendocument:xmlns:form:1.0}"
X = "{http://www.w3.org/1999/xlink}"
PROGRAM = r"C:\Users\Cán bộ\AppData\Local\dvcq\.venv\Scripts\dvcq.exe"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return ods.build_calc_workbook(tmp_path_factory.mktemp("ods") / "dvcq-dieu-khien.ods", PROGRAM)


def _content(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        return ET.fromstring(z.read("content.xml"))


def test_the_package_is_opendocument_with_every_entry_in_its_manifest(built):
    with zipfile.ZipFile(built) as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        manifest = ET.fromstring(z.read("META-INF/manifest.xml"))
        listed = {e.get("{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path") for e in manifest}
        assert set(z.namelist()) - {"mimetype", "META-INF/manifest.xml"} <= listed
        assert {"Scripts/", "Scripts/python/", "Scripts/python/dieukhien.py"} <= listed  # else LibreOffice loads nothing
        for name in z.namelist():
            if name.endswith(".xml"):
                ET.fromstring(z.read(name))  # well-formed


def test_the_named_cells_are_the_excel_workbooks_and_the_programs(built):
    ranges = {e.get(T + "name"): e.get(T + "cell-range-address") for e in _content(built).iter(T + "named-range")}
    excel = control.output_cells()
    assert set(excel) <= set(ranges)
    for name, cell in excel.items():
        if name != "KetQua":  # the results table has a sheet of its own, its columns fitted to what it shows
            assert ranges[name] == f"$'{control.CONTROL}'.${cell[0]}${cell[1:]}", name
    assert ranges["KetQua"] == "$'Kết quả'.$A$4" and ranges["KetQuaTrangThai"] == "$'Kết quả'.$A$2"
    assert set(ranges) - set(excel) == {"ChuongTrinh", "LanBamCuoi", "KetQuaTrangThai"}
    sheets = [t.get(T + "name") for t in _content(built).iter(T + "table")]
    assert sheets == [control.CONTROL, "Kết quả", "Hướng dẫn"]
    # the macro reads and writes only cells the workbook names
    module = ast.parse((macros_dir() / ods.MACRO).read_text(encoding="utf-8"))
    consts = {n.targets[0].id: ast.literal_eval(n.value) for n in module.body
              if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name) and n.targets[0].id.isupper()
              and isinstance(n.value, (ast.Constant, ast.Tuple, ast.Dict))}
    used = {consts["PROGRAM"], consts["STATUS"], consts["LAST_RUN"], consts["RESULTS"], consts["RESULTS_STATUS"],
            *consts["INPUTS"],
            *consts["WRITES"].values()}
    assert used <= set(ranges)
    assert set(consts["INPUTS"]) == {name for name, _, _ in control.INPUTS}


def test_the_program_cell_holds_the_path_as_written(built):
    rows = [["".join(p.itertext()) for p in cell.iter("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p")]
            for row in _content(built).iter(T + "table-row") for cell in row.findall(T + "table-cell")]
    assert [PROGRAM] in rows  # backslashes, spaces and Vietnamese letters intact


def test_every_button_runs_a_function_of_the_stored_macro(built):
    root = _content(built)
    buttons = {b.get(F + "label"): b for b in root.iter(F + "button")}
    assert list(buttons) == [b.caption for b in control.BUTTONS]  # the Excel buttons' captions, in order
    with zipfile.ZipFile(built) as z:
        stored = z.read("Scripts/python/dieukhien.py").decode("utf-8")
    functions = {n.name for n in ast.parse(stored).body if isinstance(n, ast.FunctionDef)}
    exported = re.search(r"^g_exportedScripts = \((.*)\)$", stored, re.M).group(1)
    for button in control.BUTTONS:
        (listener,) = buttons[button.caption].iter("{urn:oasis:names:tc:opendocument:xmlns:script:1.0}event-listener")
        url = listener.get(X + "href")
        assert url == f"vnd.sun.star.script:dieukhien.py${button.function}?language=Python&location=document"
        assert button.function in functions and button.function in exported
    assert root.find(f".//{{urn:oasis:names:tc:opendocument:xmlns:office:1.0}}forms").get(F + "apply-design-mode") == "false"


def test_the_stored_macro_is_the_macros_folders_with_dvcqs_words(built):
    with zipfile.ZipFile(built) as z:
        stored = z.read("Scripts/python/dieukhien.py").decode("utf-8")
    source = (macros_dir() / "dieukhien.py").read_text(encoding="utf-8")
    assert (ROOT / "macros" / "dieukhien.py").read_text(encoding="utf-8") == source
    assert stored == ods.macro_source()
    namespace = {}
    exec(compile(stored, "dieukhien.py", "exec"), namespace)
    settings = namespace["DVCQ"]
    assert settings["texts"]["no_folder"] == control.NO_FOLDER and settings["texts"]["error"] == control.ERROR
    assert settings["texts"]["no_rollup"] == control.NO_ROLLUP and settings["texts"]["no_plan"] == control.NO_PLAN
    assert settings["buttons"] == {"KiemTra": "Kiểm tra", "TongHop": "Tổng hợp", "XuatBaoCao": "Xuất báo cáo",
                                   "XuatKeHoach": "Xuất kế hoạch"}
    assert settings["annotated"] == outputs.ANNOTATED
    # besides the settings, the stored macro is the source line for line
    lines, original = stored.splitlines(), source.splitlines()
    (at,) = [i for i, line in enumerate(original) if line.startswith("DVCQ = {}")]
    assert lines[:at] + lines[at + 1:] == original[:at] + original[at + 1:]
    assert lines[at].startswith(f"DVCQ = {settings!r}") and lines[at].endswith(original[at][len("DVCQ = {}"):])


def test_the_macro_is_python_3_8_with_the_standard_library_only(built):
    """Windows LibreOffice 7 bundles Python 3.8, without any package dvcq installs."""
    with zipfile.ZipFile(built) as z:
        stored = z.read("Scripts/python/dieukhien.py").decode("utf-8")
    for text in (stored, (macros_dir() / "dieukhien.py").read_text(encoding="utf-8")):
        tree = ast.parse(text, feature_version=(3, 8))
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names
    # methods newer than 3.8 that ast.parse does not catch
    assert not re.search(r"\.removeprefix\(|\.removesuffix\(|\bzoneinfo\b|\bmatch \w+:", stored)


def test_the_program_beside_a_python_in_a_windows_environment():
    assert ods.program_beside(r"C:\Users\Cán bộ\AppData\Local\dvcq\.venv\Scripts\pythonw.exe") == \
        r"C:\Users\Cán bộ\AppData\Local\dvcq\.venv\Scripts\dvcq.exe"
    assert ods.program_beside(r"%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe") == \
        r"%LOCALAPPDATA%\dvcq\.venv\Scripts\dvcq.exe"  # expanded by the macro at each click, for any account
    assert ods.program_beside("/home/cán bộ/.venv/bin/python3") == "/home/cán bộ/.venv/bin/dvcq"


def test_a_program_in_the_users_local_app_data_is_written_for_any_account():
    env = {"LOCALAPPDATA": r"C:\Users\Cán bộ\AppData\Local"}
    assert ods.for_any_account(PROGRAM, env) == r"%LOCALAPPDATA%\dvcq\.venv\Scripts\dvcq.exe"
    assert ods.for_any_account(PROGRAM.upper(), env) == r"%LOCALAPPDATA%\DVCQ\.VENV\SCRIPTS\DVCQ.EXE"
    assert ods.for_any_account(r"D:\Python312\Scripts\dvcq.exe", env) == r"D:\Python312\Scripts\dvcq.exe"
    assert ods.for_any_account(PROGRAM, {}) == PROGRAM


def test_by_default_the_buttons_run_this_environments_dvcq():
    program = Path(ods.default_program())
    assert program.is_file() and program.name in ("dvcq", "dvcq.exe")
    assert program.parent == Path(sys.executable).parent


def test_a_copy_saved_by_libreoffice_keeps_its_buttons_and_prints_its_sheet(built, soffice, tmp_path):
    """An officer saves the workbook after a click: LibreOffice writes the package back with every binding,
    cell and the macro, and its own page styles, with which the page must keep its text (a page style
    without a header or footer said so came back printing blank)."""
    saved = convert(soffice, built, "ods", tmp_path / "saved")
    with zipfile.ZipFile(saved) as z:
        content = z.read("content.xml").decode("utf-8")
        assert z.read("Scripts/python/dieukhien.py").decode("utf-8") == ods.macro_source()
    for button in control.BUTTONS:
        assert ods.script_url(button.function).replace("&", "&amp;") in content
        assert f'form:label="{button.caption}"' in content
    assert PROGRAM in content and 'table:name="ChuongTrinh"' in content
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    pdf = convert(soffice, saved, "pdf", tmp_path / "pdf")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert control.TITLE in first and control.INPUTS[0][1] in first and ods.PROGRAM[1] in first


def test_the_workbook_says_how_to_allow_its_buttons(built):
    """Blocked macros show nothing when clicked: the sheet itself says what that means and where to read on."""
    text = {t.get(T + "name"): "\n".join("".join(p.itertext()) for p in
                                         t.iter("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"))
            for t in _content(built).iter(T + "table")}
    assert ods.BLOCKED in text[control.CONTROL] and "«Hướng dẫn»" in ods.BLOCKED
    assert "«Lần bấm gần nhất»" in ods.BLOCKED  # the cell every click writes, whatever happens
    help_text = text["Hướng dẫn"]
    for words in ("Công cụ > Tùy chọn", "Macro Security", "Trusted File Locations", "Add…", "Medium",
                  "Enable Macros", "libreoffice-script-provider-python", "Python-UNO"):
        assert words in help_text, words
