"""RowSheet writes the same bytes as XlsxWriter's own worksheet, on every kind of cell a sheet can hold."""
from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
import xlsxwriter
from dvcq.rollup.writer import BOOK_OPTIONS
from dvcq.rollup import xmlrows
from dvcq.rollup.xmlrows import RowBook, RowSheet


def _fill(wb) -> None:
    """Two sheets with numbers, dates, strings, blanks, formulas, booleans, rich strings, links, merged cells,
    row and column formats, rows with attributes only, and cells far apart (the rows' spans)."""
    wb.set_properties({"created": datetime(2025, 7, 1, 8, 0)})  # docProps/core.xml: not the clock's second
    bold = wb.add_format({"bold": True, "border": 1})
    pct = wb.add_format({"num_format": "0.0%"})
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    row_fmt = wb.add_format({"bg_color": "#F2F2F2"})
    col_fmt = wb.add_format({"italic": True})
    ws = wb.add_worksheet("Số liệu")
    ws.set_column(2, 3, 14, col_fmt)
    ws.set_column(6, 6, 30)
    ws.set_row(1, 30, row_fmt)
    ws.set_row(5, 22)  # attributes only, no cell
    ws.set_row(40, None, None, {"hidden": True})
    for r, v in enumerate([0, 1, -7, 3.25, 1e-9, 12345678901234.5, 2 / 3, 1e20, -0.0]):
        ws.write_number(r, 0, v, pct if r % 2 else None)
        ws.write_number(r + 20, 40, v)  # another block of 16 rows, far to the right
    strings = ["Xã Hải Lĩnh", "a & b < c > \"d\"", " leading", "trailing ", "line\nbreak", "tab\there",
               "ctrl\x01char", "_x0041_", "Xã Hải Lĩnh"]  # a repeated string: the same shared index
    for r, s in enumerate(strings):
        ws.write_string(r, 1, s, bold if r % 3 == 0 else None)
        ws.write_string(r, 2, s)  # the column's format
    ws.write_string(1, 4, "row format")  # the row's format
    ws.write_blank(3, 5, None, bold)
    ws.write_blank(1, 5, None, row_fmt)
    ws.write_datetime(2, 6, datetime(2025, 6, 30, 14, 5), day)
    ws.write_datetime(3, 6, date(2024, 1, 31), day)
    ws.write_formula(4, 6, "=SUM(A1:A9)", bold, 12)
    ws.write_formula(5, 6, '="x"&"y"', None, "xy")
    ws.write_boolean(6, 6, True)
    ws.write_rich_string(7, 6, "đậm ", bold, "và", " thường")
    ws.write_url(8, 6, "https://example.org/a?b=1&c=2", string="liên kết")
    ws.merge_range(10, 0, 11, 3, "Ô gộp", bold)
    ws.write_array_formula(12, 0, 12, 0, "{=SUM(A1:A2*B1:B2)}")
    ws.write_number(1000, 3, 5)
    other = wb.add_worksheet("Khác")
    other.write_comment(0, 0, "ghi chú")  # a sheet with comments: XlsxWriter's own writer
    other.write_string(0, 0, "có ghi chú")
    other.write_number(3, 2, 7)
    wb.add_worksheet("Trống")


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("options", [BOOK_OPTIONS, {}, {"constant_memory": True}])
def test_rowsheet_writes_xlsxwriters_bytes(tmp_path, options):
    theirs, ours = tmp_path / "xlsxwriter.xlsx", tmp_path / "rowsheet.xlsx"
    for cls, path in ((xlsxwriter.Workbook, theirs), (RowBook, ours)):
        wb = cls(str(path), dict(options))
        _fill(wb)
        wb.close()
    want, got = _parts(theirs), _parts(ours)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name
    if not options.get("constant_memory"):  # (which writes only the rows written in order)
        assert b'<c r="AO21"><v>0</v></c>' in got["xl/worksheets/sheet1.xml"]


def test_rows_are_written_by_rowsheet_with_the_installed_xlsxwriter():
    """The comparison above is of RowSheet's own writer, not only of XlsxWriter's against itself: the installed
    XlsxWriter has the internals it reads (setup.cfg's version range may hold others, written by XlsxWriter)."""
    assert xmlrows.KNOWN_INTERNALS, f"XlsxWriter {xlsxwriter.__version__}: RowSheet falls back to XlsxWriter's code"


def test_rowbook_makes_rowsheets(tmp_path):
    wb = RowBook(str(tmp_path / "x.xlsx"), dict(BOOK_OPTIONS))
    assert isinstance(wb.add_worksheet("A"), RowSheet)
    wb.close()
