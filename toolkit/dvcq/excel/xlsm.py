"""Build the control workbook `dvcq-dieu-khien.xlsm` from files, without Excel.

XlsxWriter writes the sheets, named input cells and three form-control buttons around the
VBA project that xlwings ships in its Excel-saved `quickstart_standalone.xlsm` (it holds the
`RunPython` module and document modules for two sheets, so the workbook has exactly two
sheets). pyOpenVBA then swaps the sample module for `macros/DieuKhien.bas`.
"""
from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

import xlwings

from dvcq import __version__
from dvcq.forms.build import print_setup
from dvcq.outputs import write_atomic
from dvcq.resources import macros_dir

CONTROL = "Điều khiển"
CONF = "xlwings.conf"
BUNDLE_PYTHON = r"%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe"  # where cai-dat.bat installs
VERSION_NAME = "PhienBanXlwings"  # defined name of the cell holding the xlwings version that built the workbook
INPUTS = [  # (defined name, label, example / hint)
    ("ThuMucNop", "Thư mục chứa biểu các đơn vị nộp", r"D:\DVCQ\2024-H1\nop"),
    ("KyBaoCao", "Kỳ báo cáo (để trống: tự nhận từ biểu)", "2024-H1"),
    ("DonViCapTren", "Mã đơn vị tổng hợp (để trống: tự nhận)", "403"),
    ("ThuMucKetQua", "Thư mục ghi kết quả", r"D:\DVCQ\2024-H1\ket-qua"),
    ("NguoiKy", "Người ký báo cáo", "Nguyễn Văn A"),
    ("SoVanBan", "Số văn bản", ""),
    ("TepKeHoach", "Biểu kế hoạch (để xuất văn bản kế hoạch)", r"D:\DVCQ\ke-hoach-2025.xlsx"),
]
OUTPUTS = [("TrangThai", "Trạng thái"), ("TepTongHop", "Biểu tổng hợp"), ("TepBaoCao", "Báo cáo Word"),
           ("TepDoiChieu", "Bảng đối chiếu số liệu"), ("TepVanBanKeHoach", "Kế hoạch Word")]
BUTTONS = [("KiemTra", "Kiểm tra"), ("TongHop", "Tổng hợp"), ("XuatBaoCao", "Xuất báo cáo"),
           ("XuatKeHoach", "Xuất kế hoạch")]
FIRST_INPUT_ROW = 5  # 1-based
RESULTS_ROW = 20  # the named cell KetQua: results tables start here
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
    """The xlwings.conf sheet. Every setting xlwings would otherwise take from the user's own
    %USERPROFILE%\\.xlwings\\xlwings.conf is written, empty where unused, so none can leak in."""
    return [("Interpreter_Win", python), ("PYTHONPATH", ""), ("Conda Path", ""), ("Conda Env", ""),
            ("UDF Modules", ""), ("Use UDF Server", "False"), ("Show Console", "False")]


def shipped_vba_project() -> bytes:
    """xl/vbaProject.bin of xlwings' standalone quickstart workbook (Excel-saved, holds RunPython)."""
    path = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def output_cells() -> dict[str, str]:
    """Defined name -> 1-based cell address on the control sheet."""
    cells = {name: f"C{FIRST_INPUT_ROW + i}" for i, (name, _, _) in enumerate(INPUTS)}
    row = FIRST_INPUT_ROW + len(INPUTS) + 1
    for i, (name, _) in enumerate(OUTPUTS):
        cells[name] = f"C{row + i}"
    cells["KetQua"] = f"A{RESULTS_ROW}"
    return cells


def build_control_workbook(out: Path, python: str | None = None) -> Path:
    """Write the control workbook atomically; its buttons run ``python`` (default: default_python())."""
    return write_atomic(Path(out), lambda tmp: _write(tmp, python or default_python()))


def _write(path: Path, python: str) -> None:
    import xlsxwriter  # lazy: only when building the control workbook
    from pyopenvba import ExcelFile  # lazy: only when building the control workbook

    tmp_bin = path.with_suffix(".bin")
    tmp_bin.write_bytes(shipped_vba_project())
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
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
    ws.write_string(0, 1, "BẢNG ĐIỀU KHIỂN DVCQ", title)
    ws.write_string(1, 1, "Kiểm tra, tổng hợp biểu công tác dân vận chính quyền, xuất báo cáo và kế hoạch Word", hint)
    ws.write_string(2, 1, "Điền các ô màu vàng rồi bấm nút. Kết quả ghi vào các ô màu xanh và bảng phía dưới.", hint)
    cells = output_cells()
    for r in range(FIRST_INPUT_ROW - 1, FIRST_INPUT_ROW + len(INPUTS) + len(OUTPUTS) + 1):
        ws.set_row(r, 21)
    for i, (name, text, example) in enumerate(INPUTS):
        r = FIRST_INPUT_ROW - 1 + i
        ws.write_string(r, 1, text, label)
        ws.write_blank(r, 2, None, box)
        if example:
            ws.write_comment(r, 2, f"Ví dụ: {example}")
        wb.define_name(name, f"='{CONTROL}'!${cells[name][0]}${cells[name][1:]}")
    for name, text in OUTPUTS:
        r = int(cells[name][1:]) - 1
        ws.write_string(r, 1, text, label)
        ws.write_blank(r, 2, None, result)
        wb.define_name(name, f"='{CONTROL}'!$C${r + 1}")
    ws.write_string(RESULTS_ROW - 2, 0, "KẾT QUẢ", label)
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
    for r, (k, v) in enumerate([("xlwings (bản tạo bảng điều khiển)", xlwings_version()),
                                ("dvcq (bản tạo bảng điều khiển)", __version__)], start=made):
        conf.write_string(r, 0, k, label)
        conf.write_string(r, 1, v)
    wb.define_name(VERSION_NAME, f"='{CONF}'!$B${made + 1}")
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
