"""An XlsxWriter worksheet that writes its rows' XML a row at a time: the same bytes, a third of the work.

XlsxWriter writes each cell of a sheet at ``close()`` through a chain of calls (the cell's reference, a list of
attributes, each attribute escaped, one file write per cell): about 60% of the roll-up's write. ``RowSheet``
overrides the worksheet's row writer for the cells a roll-up holds (numbers, dates, shared strings, blanks) and
writes each row's cells in one string; any other cell (formulas, booleans, rich strings...), a sheet with
comments or in constant-memory mode, or an XlsxWriter whose internals differ, goes through XlsxWriter's own code. The bytes are XlsxWriter's:
tests/rollup/test_xmlrows.py compares both on every kind of cell, and the golden roll-up part by part.

A finished sheet can be ``seal``ed: its rows are written then, into one string, and its cells dropped (a national
roll-up holds 850,000 cells, about 150 MB as XlsxWriter's objects against 30 MB as XML); ``close()`` writes the
string. Formats are numbered in the order they are first written, so sheets are sealed in order, the columns'
formats before the rows', as ``close()`` would; the cells charts read are kept (``keep``). A book opened
``in_memory`` whose sealed rows exceed ``IN_MEMORY_MAX`` characters writes its parts to temporary files at
``close()`` all the same: in memory the parts' XML (53 MB for the national roll-up) is held at once, with a copy
of each as it is compressed.
"""
from __future__ import annotations

import os
import re
import time
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from zipfile import ZIP_DEFLATED, LargeZipFile, ZipFile, ZipInfo

from xlsxwriter import __version__ as _xlsxwriter_version
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter import worksheet as _worksheet
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, Worksheet

# the worksheet internals the rows are written from (rows' and columns' information as RowInfo and ColumnInfo,
# XlsxWriter 3.3, the version tests/rollup/test_xmlrows.py compares with); with any other version (3.2 kept lists;
# a later one may change what it writes) every sheet takes XlsxWriter's own code
KNOWN_INTERNALS = (_xlsxwriter_version.split(".")[:2] == ["3", "3"] and hasattr(_worksheet, "RowInfo")
                   and hasattr(_worksheet, "ColumnInfo"))

# the cells written here, by the names of XlsxWriter's cell tuples (as its own _write_cell tells them apart)
_NUMBER, _STRING, _BLANK = ("Number", "Datetime"), "String", "Blank"
_PLAIN = {*_NUMBER, _STRING, _BLANK}
ZIP_THREADS = 2  # parts compressed at once at ``close()`` (zlib lets go of the GIL: the other core works)
IN_MEMORY_MAX = 8_000_000  # characters of sealed rows above which the parts go to temporary files (a province's
#                            roll-up about 2.5 million, the country's 32 million)


class RowSheet(Worksheet):
    """A worksheet whose rows of plain cells are written a row at a time (see the module docstring)."""

    # XlsxWriter's cell writers without the wrapper that accepts 'A1' references (rows and columns only): the
    # roll-up writes tens of thousands of cells
    put_blank = Worksheet._write_blank
    put_string = Worksheet._write_string
    put_number = Worksheet._write_number

    def put_numbers(self, row: int, cells: list[tuple[int, int | float | None, object]]) -> None:
        """A row's numbers, ``(column, number or None for a blank, format)``, stored as ``put_number`` and
        ``put_blank`` store them, the row's bounds checked once rather than for every cell (a unit table's row)."""
        stored = [c for c, v, f in cells if v is not None or f is not None]  # a blank without format: no cell
        if not stored:
            return
        lo, hi = min(stored), max(stored)
        if self.constant_memory or not KNOWN_INTERNALS or self._check_dimensions(row, lo) or \
                self._check_dimensions(row, hi):
            for c, v, f in cells:
                if v is None:
                    self.put_blank(row, c, None, f)
                else:
                    self.put_number(row, c, v, f)
            return
        line, new = self.table[row], tuple.__new__
        for c, v, f in cells:
            if v is None:
                if f is not None:
                    line[c] = new(CellBlankTuple, (f,))
            elif type(v) is int or (type(v) is float and v - v == 0):  # not NaN nor infinite
                line[c] = new(CellNumberTuple, (v, f))
            else:  # NaN, infinity, a Fraction, anything else: XlsxWriter's own handling
                self.put_number(row, c, v, f)

    sealed: str | None = None  # the rows' XML once sealed, until close() writes it
    done = False  # sealed (its rows written before close())
    kept: frozenset[int] = frozenset()  # the columns whose cells a sealed sheet keeps (charts read them)

    def can_seal(self) -> bool:
        """Whether the rows can be written before ``close()``: plain rows (no comments, links or constant memory)
        on the XlsxWriter internals RowSheet knows."""
        return KNOWN_INTERNALS and not (self.comments or self.hyperlinks or self.constant_memory)

    def seal(self, keep=()) -> None:
        """Write the rows now (the sheet is finished) and drop the cells but those of the columns ``keep``."""
        for col in sorted(self.col_info):  # the formats numbered as close() numbers them: the columns' first
            if self.col_info[col].column_format:
                self.col_info[col].column_format._get_xf_index()
        fh, self.fh = self.fh, StringIO()
        try:
            if self.dim_rowmin is not None:
                self._write_rows()
            self.sealed = self.fh.getvalue()
        finally:
            self.fh = fh
        self.kept, self.done = frozenset(keep), True
        if not self.kept:
            self.table.clear()
        for row_num in list(self.table):
            cells = {c: v for c, v in self.table[row_num].items() if c in self.kept}
            if cells:
                self.table[row_num] = cells
            else:
                del self.table[row_num]
        self._at_seal = (self._cells(), dict(self.row_info))

    def _cells(self) -> int:
        """How many cells the table holds (a sealed sheet: those of the columns kept)."""
        return sum(len(cells) for cells in self.table.values())

    def _check_unchanged(self) -> None:
        """A sealed sheet's rows were written: a cell or a row's height set since would be lost, so it is an error."""
        if (self._cells(), dict(self.row_info)) != self._at_seal:
            raise RuntimeError(f"the sheet {self.name!r} was written to after it was sealed")

    def _get_range_data(self, row_start, col_start, row_end, col_end):
        """A chart's data (XlsxWriter reads it at close()): of a sealed sheet, only from the columns kept."""
        if self.done and not set(range(col_start, col_end + 1)) <= self.kept:
            raise ValueError(f"a chart reads columns {col_start}-{col_end} of the sealed sheet {self.name!r}, "
                             f"which kept {sorted(self.kept)}")
        return super()._get_range_data(row_start, col_start, row_end, col_end)

    def _write_rows(self) -> None:
        if self.sealed is not None:
            self._check_unchanged()
            self.fh.write(self.sealed)
            self.sealed = None
            return
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


# what makes XlsxWriter's shared string more than <si><t>text</t></si> (its _write_si): an escape-like "_xHHHH_", a
# control character or a non-character (escaped), a leading or trailing space (preserved); a "<r>...</r>" is written
# as a rich string, tested apart
_SPECIAL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]|^\s|\s$")


class _Strings(SharedStrings):
    """XlsxWriter 3.3's shared strings, the plain ones (all but a few) escaped and written a few hundred at a time."""

    def _write_sst_strings(self) -> None:
        out: list[str] = []
        special, write_si = _SPECIAL.search, self._write_si
        for string in self.string_table.string_array:
            if special(string) or (string.startswith("<r>") and string.endswith("</r>")):
                if out:
                    self.fh.write("".join(out))
                    out = []
                write_si(string)  # XlsxWriter's own
                continue
            out.append(f'<si><t>{string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}</t></si>')
            if len(out) == 512:  # written a few hundred at a time: the texts are not held twice at the peak
                self.fh.write("".join(out))
                out = []
        self.fh.write("".join(out))


class _Packager(Packager):
    """XlsxWriter's packager, its shared strings written by ``_Strings``."""

    def _write_shared_strings_file(self) -> None:
        sst = _Strings()
        sst.string_table = self.workbook.str_table
        if not self.workbook.str_table.count:
            return
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class RowBook(Workbook):
    """A workbook whose worksheets are ``RowSheet``s (and whose shared strings are written by ``_Strings``)."""
    worksheet_class = RowSheet
    sealing = True  # False from the first sheet that cannot be sealed

    def _get_packager(self):
        return _Packager() if KNOWN_INTERNALS else super()._get_packager()

    def seal(self, keep: dict[str, set[int]] | None = None) -> None:
        """Seal every sheet added so far and not sealed yet, in order (``keep``: the columns charts read, by
        sheet name); from the first sheet that cannot be sealed on, none is (the formats' order)."""
        for ws in self.worksheets():
            if ws.done:
                continue
            if not (self.sealing and ws.can_seal()):
                self.sealing = False
                return
            ws.seal((keep or {}).get(ws.name, ()))

    def close(self) -> None:
        if self.in_memory and sum(len(ws.sealed or "") for ws in self.worksheets()) > IN_MEMORY_MAX:
            self.in_memory = False  # a large book: its parts in temporary files, not all at once in memory
        super().close()

    def _store_workbook(self) -> None:
        """XlsxWriter 3.3's, but the parts compressed ``ZIP_THREADS`` at a time on threads, each while the one
        before is written (the same bytes: deflate's output does not depend on how its input is fed)."""
        if not KNOWN_INTERNALS:
            return super()._store_workbook()
        xlsx_file = ZipFile(self.filename, "w", compression=ZIP_DEFLATED, allowZip64=self.allow_zip64)
        packager = self._get_packager()
        if not self.worksheets():
            self.add_worksheet()
        if self.worksheet_meta.activesheet == 0:
            self.worksheets_objs[0].selected = 1
            self.worksheets_objs[0].hidden = 0
        for sheet in self.worksheets():
            if sheet.index == self.worksheet_meta.activesheet:
                sheet.active = 1
        if self.vba_project:
            for sheet in self.worksheets():
                if sheet.vba_codename is None:
                    sheet.set_vba_name()
        self._prepare_sst_string_data()
        self._prepare_vml()
        self._prepare_defined_names()
        self._prepare_drawings()
        self._add_chart_data()
        self._prepare_tables()
        self._prepare_metadata()
        packager._add_workbook(self)
        packager._set_tmpdir(self.tmpdir)
        packager._set_in_memory(self.in_memory)
        xml_files = packager._create_package()
        packager = None
        try:
            with ThreadPoolExecutor(ZIP_THREADS) as threads:
                ahead: deque = deque()
                parts = iter(xml_files)
                while True:
                    while len(ahead) < ZIP_THREADS and (part := next(parts, None)) is not None:
                        data = self._part_bytes(part)
                        ahead.append((part, data, threads.submit(_deflate, data)))
                    if not ahead:
                        break
                    part, data, deflated = ahead.popleft()
                    self._zip_part(xlsx_file, part, data, deflated.result())
        except LargeZipFile:
            if not self.in_memory:  # the temporary files not written yet
                for os_filename, _, _ in xml_files:
                    if os.path.exists(os_filename):
                        os.remove(os_filename)
            raise
        xlsx_file.close()

    def _part_bytes(self, part) -> bytes:
        os_filename, _xml_filename, is_binary = part
        if self.in_memory:
            return os_filename.getvalue() if is_binary else os_filename.getvalue().encode("utf-8")
        with open(os_filename, "rb") as f:
            return f.read()

    def _zip_part(self, xlsx_file: ZipFile, part, data: bytes, deflated: bytes) -> None:
        """One part into the zip as ZipFile.writestr (in memory) or ZipFile.write (a temporary file) puts it, its
        compressed bytes already made."""
        os_filename, xml_filename, _is_binary = part
        if self.in_memory:
            zinfo = ZipInfo(xml_filename, (1980, 1, 1, 0, 0, 0))  # Excel's timestamp, as XlsxWriter sets it
            zinfo.compress_type = xlsx_file.compression
        else:  # the temporary file's timestamp set to 31/1/1980 as XlsxWriter does, its mode kept as ZipFile.write
            stamp = time.mktime((1980, 1, 31, 0, 0, 0, 0, 0, -1))
            os.utime(os_filename, (stamp, stamp))
            zinfo = ZipInfo.from_file(os_filename, xml_filename,
                                      strict_timestamps=getattr(xlsx_file, "_strict_timestamps", True))
            zinfo.compress_type = xlsx_file.compression
            # the level as ZipFile.write sets it: `compress_level` from Python 3.13, `_compresslevel` before
            setattr(zinfo, "compress_level" if hasattr(ZipInfo, "compress_level") else "_compresslevel",
                    xlsx_file.compresslevel)
        zinfo.file_size = len(data)
        with xlsx_file.open(zinfo, mode="w") as dest:
            dest._compressor = _Deflated(deflated)
            dest.write(data)
        if not self.in_memory:
            os.remove(os_filename)


def _deflate(data: bytes) -> bytes:
    """``data`` deflated as ZipFile's default compressor does (level 6, raw stream)."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class _Deflated:
    """A zip entry's compressor whose output is made already: ZipFile counts the size and the CRC of what is
    written, and writes what ``flush`` gives."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, _data: bytes) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self.deflated
