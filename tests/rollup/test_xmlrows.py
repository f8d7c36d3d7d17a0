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
               "ctrl\x01char", "_x0041_", "Xã Hải Lĩnh",  # a repeated string: the same shared index
               "<r>không phải chuỗi định dạng</r>", "không\ufffeký tự", "_x00zz_ không thoát", "a\nb ", "\n"]
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


def _plain(wb, seal) -> None:
    """Three sheets of plain cells, each finished before the next (``seal`` after each): formats first used by a
    later sheet's columns, rows and cells; a chart on the third reading the first's column B and its own."""
    wb.set_properties({"created": datetime(2025, 7, 1, 8, 0)})
    bold, pct, italic, grey = (wb.add_format(f) for f in ({"bold": True}, {"num_format": "0.0%"}, {"italic": True},
                                                          {"bg_color": "#F2F2F2"}))
    first = wb.add_worksheet("Đơn vị")
    for r in range(40):
        first.write_string(r, 1, f"Xã {r}", bold if r == 0 else None)
        first.write_number(r, 2, r / 40, pct)
        first.write_number(r, 30, r)  # a column no chart reads
    seal()
    second = wb.add_worksheet("Khác")
    second.set_column(0, 1, 20, italic)  # numbered before the row format and the cells' formats of this sheet
    second.set_row(2, 30, grey)
    second.write_string(2, 0, "theo dòng")
    second.write_blank(3, 1, None, bold)
    second.write_datetime(4, 1, datetime(2025, 6, 30), wb.add_format({"num_format": "dd/mm/yyyy"}))
    second.merge_range(6, 0, 7, 1, "Ô gộp", bold)
    seal()
    third = wb.add_worksheet("Biểu đồ")
    third.write_string(20, 1, "Đúng hạn")
    third.write_number(20, 2, 5)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"categories": "='Đơn vị'!$B$1:$B$40", "values": "='Đơn vị'!$C$1:$C$40"})
    third.insert_chart("A1", chart)
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"categories": ["Biểu đồ", 20, 1, 20, 1], "values": ["Biểu đồ", 20, 2, 20, 2]})
    third.insert_chart("A10", pie)
    seal()
    wb.add_worksheet("Trống")


KEEP = {"Đơn vị": {1, 2}, "Biểu đồ": {1, 2}}


@pytest.mark.parametrize("options", [BOOK_OPTIONS, {}])
def test_sealed_sheets_write_xlsxwriters_bytes(tmp_path, options):
    """Rows written when each sheet is finished, the cells dropped: the same parts as XlsxWriter writes at close,
    the formats numbered in the same order, the charts' data read from the columns kept."""
    theirs, ours = tmp_path / "xlsxwriter.xlsx", tmp_path / "sealed.xlsx"
    wb = xlsxwriter.Workbook(str(theirs), dict(options))
    _plain(wb, lambda: None)
    wb.close()
    book = RowBook(str(ours), dict(options))
    _plain(book, lambda: book.seal(KEEP))
    sheets = book.worksheets()
    assert [ws.done for ws in sheets] == [True, True, True, False]
    assert {c for row in sheets[0].table.values() for c in row} == {1, 2}  # column 30's cells dropped
    assert not sheets[1].table
    book.close()
    want, got = _parts(theirs), _parts(ours)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name


def test_a_chart_reading_a_column_not_kept_is_refused(tmp_path):
    book = RowBook(str(tmp_path / "x.xlsx"), dict(BOOK_OPTIONS))
    _plain(book, lambda: book.seal({"Biểu đồ": {1, 2}}))
    with pytest.raises(ValueError, match="Đơn vị"):
        book.close()


def test_sealing_stops_at_a_sheet_it_cannot_seal(tmp_path):
    """A sheet with comments is written at close, and so is every sheet after it (the formats' order)."""
    book = RowBook(str(tmp_path / "x.xlsx"), dict(BOOK_OPTIONS))
    first = book.add_worksheet("A")
    first.write_number(0, 0, 1)
    book.seal()
    commented = book.add_worksheet("B")
    commented.write_comment(0, 0, "ghi chú")
    book.seal()
    book.add_worksheet("C").write_number(0, 0, 2)
    book.seal()
    assert [ws.done for ws in book.worksheets()] == [True, False, False]
    book.close()


def test_a_large_sealed_book_writes_its_parts_to_files(tmp_path, monkeypatch):
    """Past IN_MEMORY_MAX characters of sealed rows the parts go through temporary files: the same parts (only
    the zip members' dates differ, 31/1/1980 against 1/1/1980)."""
    paths = {}
    for limit in (10**9, 0):
        monkeypatch.setattr(xmlrows, "IN_MEMORY_MAX", limit)
        paths[limit] = tmp_path / f"{limit}.xlsx"
        book = RowBook(str(paths[limit]), dict(BOOK_OPTIONS))
        _plain(book, lambda: book.seal(KEEP))
        book.close()
        with zipfile.ZipFile(paths[limit]) as z:
            assert {i.date_time[:3] for i in z.infolist()} == {(1980, 1, 1) if limit else (1980, 1, 31)}
    assert _parts(paths[0]) == _parts(paths[10**9])


def test_a_rows_numbers_put_at_once_are_the_cells_put_one_by_one(tmp_path):
    """put_numbers stores what put_number and put_blank store (blanks without a format are no cell, the sheet's
    dimension from the cells stored), and leaves NaN to XlsxWriter, which refuses it."""
    pct = {}
    paths = []
    for at_once in (False, True):
        paths.append(tmp_path / f"{at_once}.xlsx")
        book = RowBook(str(paths[-1]), dict(BOOK_OPTIONS))
        book.set_properties({"created": datetime(2025, 7, 1, 8, 0)})
        pct[at_once] = book.add_format({"num_format": "0.0%"})
        ws = book.add_worksheet("A")
        rows = [[(0, None, None), (2, 0.25, pct[at_once]), (3, 7, None), (5, None, pct[at_once]), (9, None, None)],
                [(1, 1e20, None), (4, -0.0, pct[at_once])]]
        for r, cells in enumerate(rows, start=3):
            if at_once:
                ws.put_numbers(r, cells)
            else:
                for c, v, f in cells:
                    if v is None:
                        ws.put_blank(r, c, None, f)
                    else:
                        ws.put_number(r, c, v, f)
        assert (ws.dim_colmin, ws.dim_colmax) == (1, 5)
        with pytest.raises(TypeError):
            ws.put_numbers(9, [(0, 1.0, None), (1, float("nan"), None)])
        book.close()
    assert _parts(paths[0]) == _parts(paths[1])


@pytest.mark.parametrize("late", [lambda ws: ws.write_number(50, 0, 1), lambda ws: ws.set_row(3, 40),
                                  lambda ws: ws.write_string(0, 1, "thêm")])
def test_writing_to_a_sealed_sheet_is_an_error_not_a_lost_cell(tmp_path, late):
    book = RowBook(str(tmp_path / "x.xlsx"), dict(BOOK_OPTIONS))
    ws = book.add_worksheet("A")
    ws.write_number(0, 0, 1)
    ws.set_row(3, 20)
    book.seal()
    late(ws)
    with pytest.raises(RuntimeError, match="sealed"):
        book.close()


@pytest.mark.parametrize("in_memory", [True, False])
def test_parts_compressed_on_threads_make_xlsxwriters_own_zip(tmp_path, monkeypatch, in_memory):
    """The parts deflated on threads and written with their compressed bytes made already: byte for byte the file
    XlsxWriter's own _store_workbook writes (parts in memory or in temporary files), every member's header, CRC and
    data; a part larger than ZipFile's 8 KB copy chunks among them."""
    monkeypatch.setattr(xmlrows, "IN_MEMORY_MAX", 10**9 if in_memory else 0)
    paths = []
    for own in (False, True):
        if own:
            monkeypatch.setattr(RowBook, "_store_workbook", xlsxwriter.Workbook._store_workbook)
        paths.append(tmp_path / f"{own}.xlsx")
        book = RowBook(str(paths[-1]), dict(BOOK_OPTIONS))
        book.set_properties({"created": datetime(2025, 7, 1, 8, 0)})
        _plain(book, lambda: book.seal(KEEP))
        large = book.add_worksheet("Nhiều dòng")
        for r in range(3000):
            large.write_number(r, 0, r * 1.5)
            large.write_string(r, 1, f"Đơn vị {r}")
        book.close()
    with zipfile.ZipFile(paths[0]) as z:
        assert max(i.file_size for i in z.infolist()) > 10 * 8192 and len(z.infolist()) > 5
        assert {i.date_time[:3] for i in z.infolist()} == {(1980, 1, 1) if in_memory else (1980, 1, 31)}
    assert paths[0].read_bytes() == paths[1].read_bytes()
