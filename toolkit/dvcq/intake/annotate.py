"""Annotated copies: every problem cell highlighted with a comment, and a first sheet listing them.

The original file is never touched: openpyxl reads it, the copy goes to another folder.
Macros and buttons of .xlsm files survive (keep_vba).
"""
from __future__ import annotations

from pathlib import Path

from dvcq.forms.build import PAGE_FOOTER, row_height
from dvcq.outputs import write_atomic

from .issues import CODES, FileResult

SHEET = "Lỗi cần sửa"
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}
WIDTHS = (5, 9, 14, 7, 70, 20)  # STT, severity, sheet, cell, message, kind of problem


def annotated_name(path: Path) -> str:
    return f"{path.stem}-can-sua{path.suffix}"


def kind_label(code: str) -> str:
    """What kind of problem an issue is, in words (its stable code stays in the JSON output)."""
    label = CODES.get(code, "khác")
    return label[0].upper() + label[1:]


def _print_setup(ws, last_row: int) -> None:
    """A4 landscape, one page wide, column titles repeated, page numbers."""
    from openpyxl.worksheet.properties import PageSetupProperties  # lazy: openpyxl 0.15 s

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom = 0.4, 0.3, 0.6, 0.6
    ws.print_title_rows = "4:4"
    ws.print_area = f"A1:F{last_row}"
    ws.oddFooter.center.text = PAGE_FOOTER.removeprefix("&C")


def annotate(result: FileResult, out_dir: Path) -> Path:
    """Write an annotated copy of a validated file into out_dir and return its path: beside the usual name
    when last time's copy is open in Excel (dvcq.outputs.beside_names)."""
    from openpyxl import load_workbook  # lazy: openpyxl 0.15 s
    from openpyxl.comments import Comment  # lazy: openpyxl 0.15 s
    from openpyxl.styles import Alignment, Font, PatternFill  # lazy: openpyxl 0.15 s

    src = Path(result.path)
    keep_vba = src.suffix.lower() == ".xlsm"
    wb = load_workbook(src, keep_vba=keep_vba)
    red = PatternFill("solid", fgColor="FFC7CE")
    yellow = PatternFill("solid", fgColor="FFEB9C")
    notes: dict[tuple[str, str], list[str]] = {}
    for issue in result.issues:
        if issue.sheet in wb.sheetnames and issue.cell:
            notes.setdefault((issue.sheet, issue.cell), []).append(f"{SEVERITY[issue.severity]}: {issue.message}")
    for (sheet, ref), texts in notes.items():
        cell = wb[sheet][ref]
        is_error = any(t.startswith(SEVERITY["error"]) for t in texts)
        cell.fill = red if is_error else yellow
        comment = Comment("\n".join(texts), "dvcq")
        comment.width, comment.height = 320, 40 + 30 * len(texts)
        cell.comment = comment

    ws = wb.create_sheet(SHEET, 0)
    ws.sheet_properties.tabColor = "C00000"
    ws["A1"] = f"Các lỗi cần sửa trong tệp {src.name}"
    ws["A1"].font = Font(bold=True, size=14, name="Times New Roman")
    ws["A2"] = "Bấm vào địa chỉ ô để đến ô cần sửa. Ô tô đỏ là lỗi, ô tô vàng là cảnh báo."
    headers = ["STT", "Mức độ", "Trang", "Ô", "Nội dung cần sửa", "Loại lỗi"]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=c, value=h)
        cell.font = Font(bold=True, name="Times New Roman")
    for n, issue in enumerate(result.issues, start=1):
        r = 4 + n
        values = [n, SEVERITY[issue.severity], issue.sheet or "", issue.cell or "", issue.message, kind_label(issue.code)]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # text stays text even when it starts with "="
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name="Times New Roman", size=11)
        height = row_height([(values[4], WIDTHS[4]), (values[5], WIDTHS[5]), (values[2], WIDTHS[2])])
        if height:  # neither Excel nor LibreOffice sizes a row to its wrapped text on opening
            ws.row_dimensions[r].height = height
        if issue.sheet in wb.sheetnames and issue.cell:
            link = ws.cell(row=r, column=4)
            link.hyperlink = f"#'{issue.sheet}'!{issue.cell}"
            link.font = Font(color="0563C1", underline="single")
    for col, width in zip("ABCDEF", WIDTHS):
        ws.column_dimensions[col].width = width
    _print_setup(ws, 4 + len(result.issues))
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    out = Path(out_dir) / annotated_name(src)
    return write_atomic(out, lambda tmp: wb.save(tmp), beside=True)
