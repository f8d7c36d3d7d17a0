"""An XlsxWriter worksheet that writes its rows' XML a row at a time: the same bytes, a third of the work.

XlsxWriter writes each cell of a sheet at ``close()`` through a chain of calls (the cell's reference, a list of
attributes, each attribute escaped, one file write per cell): about 60% of the roll-up's write. ``RowSheet``
overrides the worksheet's row writer for the cells a roll-up holds (numbers, dates, shared strings, blanks) and
writes each row's cells in one string; any other cell (formulas, booleans, rich strings...), a sheet with
comments or in constant-memory mode, or an XlsxWriter whose internals differ, goes through XlsxWriter's own code. The bytes are XlsxWriter's:
tests/rollup/test_xmlrows.py compares both on every kind of cell, and the golden roll-up part by part.
"""
from __future__ import annotations

from xlsxwriter import __version__ as _xlsxwriter_version
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter import worksheet as _worksheet
from xlsxwriter.worksheet import Worksheet

# the worksheet internals the rows are written from (rows' and columns' information as RowInfo and ColumnInfo,
# XlsxWriter 3.3, the version tests/rollup/test_xmlrows.py compares with); with any other version (3.2 kept lists;
# a later one may change what it writes) every sheet takes XlsxWriter's own code
KNOWN_INTERNALS = (_xlsxwriter_version.split(".")[:2] == ["3", "3"] and hasattr(_worksheet, "RowInfo")
                   and hasattr(_worksheet, "ColumnInfo"))

# the cells written here, by the names of XlsxWriter's cell tuples (as its own _write_cell tells them apart)
_NUMBER, _STRING, _BLANK = ("Number", "Datetime"), "String", "Blank"
_PLAIN = {*_NUMBER, _STRING, _BLANK}


class RowSheet(Worksheet):
    """A worksheet whose rows of plain cells are written a row at a time (see the module docstring)."""

    # XlsxWriter's cell writers without the wrapper that accepts 'A1' references (rows and columns only): the
    # roll-up writes tens of thousands of cells
    put_blank = Worksheet._write_blank
    put_string = Worksheet._write_string
    put_number = Worksheet._write_number

    def _write_rows(self) -> None:
        if self.comments or self.constant_memory or not KNOWN_INTERNALS:
            super()._write_rows()
            return
        table, row_info, col_info = self.table, self.row_info, self.col_info
        spans = self._spans()
        write = self.fh.write
        letters: dict[int, str] = {}
        xf: dict = {}  # format -> ' s="n"' (formats hash by identity)

        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            info = row_info.get(row_num)
            if not cells:
                if info is not None:  # a row with attributes only
                    self._write_empty_row(row_num, spans.get(row_num // 16), info)
                continue
            if info is None:
                self._write_row(row_num, spans.get(row_num // 16))
            else:
                self._write_row(row_num, spans.get(row_num // 16), info)
            row_format = info.row_format if info is not None else None
            number = str(row_num + 1)
            out = []
            for col in sorted(cells):
                cell = cells[col]
                kind = type(cell).__name__
                if kind not in _PLAIN:
                    if out:  # any other cell: XlsxWriter's own writer, after what is pending
                        write("".join(out))
                        out = []
                    self._write_cell(row_num, col, cell)
                    continue
                name = letters.get(col)
                if name is None:
                    name = letters[col] = xl_col_to_name(col)
                fmt = cell.format
                if not fmt:
                    fmt = row_format or (col_info[col].column_format if col in col_info else None)
                if fmt is None:
                    s = ""
                else:
                    s = xf.get(fmt)
                    if s is None:
                        s = xf[fmt] = f' s="{fmt._get_xf_index()}"'
                if kind == _STRING:
                    out.append(f'<c r="{name}{number}"{s} t="s"><v>{cell.string}</v></c>')
                elif kind == _BLANK:
                    out.append(f'<c r="{name}{number}"{s}/>')
                else:
                    out.append(f'<c r="{name}{number}"{s}><v>{cell.number:.16G}</v></c>')
            out.append("</row>")
            write("".join(out))

    def _spans(self) -> dict[int, str]:
        """The "spans" of every block of 16 rows (the first and last column with a cell, 1-based), as
        XlsxWriter's ``_calculate_spans`` computes them."""
        lo_hi: dict[int, tuple[int, int]] = {}
        first, last = self.dim_rowmin, self.dim_rowmax
        for row_num, cells in self.table.items():
            if not cells or not first <= row_num <= last:
                continue
            block = row_num // 16
            lo, hi = min(cells), max(cells)
            have = lo_hi.get(block)
            lo_hi[block] = (lo, hi) if have is None else (min(have[0], lo), max(have[1], hi))
        self.row_spans = {block: f"{lo + 1}:{hi + 1}" for block, (lo, hi) in lo_hi.items()}
        return self.row_spans


class RowBook(Workbook):
    """A workbook whose worksheets are ``RowSheet``s."""
    worksheet_class = RowSheet
