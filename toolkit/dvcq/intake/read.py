"""Read submissions fast: python-calamine for cell values, the raw sheet XML for formulas.

`load` is the one way a command opens a workbook: the sniffer's checks and size limits, then
`open_book`, which reads it from bytes once; `identify` tells which form and version it is;
`extract` lays the form's specification over the cells and returns values with their addresses.
Only the sheets and cells the specification names are read, and no sheet costs more than its
used cells: a cell far outside the area a form or roll-up can use (``MAX_ROWS`` x ``MAX_COLS``,
e.g. one at XFD1048576) is dropped from a copy of the sheet XML before calamine sees it.
"""
from __future__ import annotations

import io
import operator
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from itertools import compress, repeat
from pathlib import Path

from python_calamine import CalamineWorkbook

from dvcq.errors import BookError
from dvcq.forms.spec import FORM_IDS, Form, Sheet, cell_ref, load_form, split_cell
from dvcq.text import fold

from .messages import message
from .sniff import MAX_PART_BYTES, inflate, sniff

_SHEET_REL = re.compile(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
_REL = re.compile(rb'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"|<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?t="e"')
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
# number formats (xl/styles.xml) and a cell's style index (its s= attribute), for cells typed as a percentage
_NUM_FMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_XF_FMT = re.compile(rb'\bnumFmtId="(\d+)"')
_CELL_R = re.compile(rb'\br="([A-Za-z]+[0-9]+)"')
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")
_S_ATTR = re.compile(rb' s="([^"]*)"')  # a cell tag's style (after a space, as in _style_attr)
PERCENT_BUILTIN = frozenset({9, 10})  # Excel's built-in "0%" and "0.00%"

MAX_ROWS = 16384  # a log holds 5,000 rows, a plan 2,000: twice that and more is never a form's cell
MAX_COLS = 64  # column BL; the widest sheet (a roll-up's indicators) uses about 45
# A reference that may lie outside MAX_ROWS x MAX_COLS: two letters, or five digits (any case or
# attribute order, on a <c> or a <row>). Only sheets that match are looked at cell by cell.
_MAYBE_FAR = re.compile(rb' r="(?:[A-Za-z]{2}|[A-Za-z]?[0-9]{5})')
_REF = re.compile(rb'\br="([A-Za-z]*)([0-9]*)"')
_FAR_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_FAR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Za-z]+)([0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _far(xml: bytes) -> bool:
    """Whether any row or cell reference lies outside MAX_ROWS x MAX_COLS."""
    for m in _REF.finditer(xml):
        letters, digits = m.groups()
        if (digits and int(digits) > MAX_ROWS) or (letters and _col_number(letters) > MAX_COLS):
            return True
    return False


def clip_far_cells(xml: bytes) -> bytes:
    """The sheet XML without rows and cells outside MAX_ROWS x MAX_COLS (``xml`` itself when none)."""
    if not _MAYBE_FAR.search(xml) or not _far(xml):
        return xml
    xml = _FAR_ROW.sub(lambda m: b"" if int(m.group(1)) > MAX_ROWS else m.group(0), xml)
    return _FAR_CELL.sub(lambda m: b"" if int(m.group(2)) > MAX_ROWS or _col_number(m.group(1)) > MAX_COLS
                         else m.group(0), xml)


@dataclass
class Book:
    """An opened workbook: sheet names, metadata sheet, cell grids on demand."""

    path: Path
    data: bytes
    sheet_names: list[str]
    _wb: object = None
    _grids: dict = field(default_factory=dict)
    _xml: dict = field(default_factory=dict)
    _zip: zipfile.ZipFile | None = None
    _parts: dict = field(default_factory=dict)  # inflated parts (capped), by part name
    _clipped: dict = field(default_factory=dict)  # part name -> sheet XML without far cells
    _clipped_wb: object = None
    _percent: dict = field(default_factory=dict)  # sheet -> addresses of its percent-formatted cells
    _percent_at: dict = field(default_factory=dict)  # sheet -> where is_percent found the last cell it was asked

    def has_sheet(self, name: str) -> bool:
        return name in self.sheet_names

    def grid(self, name: str) -> list[list]:
        """All cells of a sheet from A1 (row 1 is index 0), values as calamine types them."""
        if name not in self._grids:
            wb = self._wb
            part = self._sheet_parts.get(name)
            if part:
                xml = self.sheet_xml(name)
                clipped = clip_far_cells(xml)
                if clipped is not xml:
                    wb = self._without_far_cells(name, part, clipped)
            try:
                sheet = wb.get_sheet_by_name(name)
                self._grids[name] = sheet.to_python(skip_empty_area=False)
            except Exception as exc:  # calamine raises its own types for broken XML
                raise BookError("corrupt", message("corrupt", "sheet-unreadable", sheet_name=name,
                                                   name=self.path.name)) from exc
        return self._grids[name]

    def _without_far_cells(self, name: str, part: str, clipped: bytes):
        """A calamine workbook over a copy of the file whose sheet ``part`` has no far cells."""
        if _far(clipped):  # references clipping could not remove (e.g. namespace prefixes)
            raise BookError("corrupt", message("corrupt", "far-cells", sheet_name=name, name=self.path.name,
                                               max_rows=MAX_ROWS, max_cols=MAX_COLS))
        self._clipped[part] = clipped
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
            for info in self.zip.infolist():
                if not info.is_dir():
                    out.writestr(info.filename, self._clipped.get(info.filename) or self.part(info.filename))
        self._clipped_wb = CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue()))
        return self._clipped_wb

    def column(self, sheet: str, col: int, first: int, last: int) -> list:
        """The cells of column ``col`` from row ``first`` (at least 1) to ``last``, inclusive, in one pass: what
        ``value`` gives for each of those rows ("" where the sheet has no cell), for reading an indicator sheet a
        column at a time."""
        c = col - 1
        out = [r[c] if c < len(r) else "" for r in self.grid(sheet)[first - 1:last]]
        out += [""] * (last - first + 1 - len(out))
        return out

    def value(self, sheet: str, row: int, col: int):
        g = self.grid(sheet)
        if row - 1 < len(g):
            r = g[row - 1]
            if col - 1 < len(r):
                return r[col - 1]
        return ""

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return self._zip or zipfile.ZipFile(io.BytesIO(self.data))

    def part(self, name: str) -> bytes:
        """One part of the zip, inflated once with the sniffer's hard cap; KeyError when absent."""
        if name not in self._parts:
            self._parts[name] = inflate(self.path.name, self.data, self.zip.getinfo(name), MAX_PART_BYTES)
        return self._parts[name]

    @cached_property
    def _sheet_parts(self) -> dict[str, str]:
        return sheet_parts(self.part("xl/workbook.xml"), self.part("xl/_rels/workbook.xml.rels"))

    def sheet_xml(self, sheet: str) -> bytes:
        """The raw XML of a sheet (decompressed once), b"" when the sheet has no part."""
        if sheet not in self._xml:
            part = self._sheet_parts.get(sheet)
            try:
                self._xml[sheet] = self.part(part) if part else b""
            except KeyError:
                raise BookError("corrupt", message("corrupt", "sheet-part-missing", name=self.path.name,
                                                   sheet_name=sheet)) from None
        return self._xml[sheet]

    def formula_cells(self, sheet: str) -> set[str]:
        """Addresses of cells holding a formula: each <f> tag, and the <c r="..."> it sits in."""
        xml = self.sheet_xml(sheet)
        # each "f" (a one-byte search, memchr: a cell's XML has none) that follows "<": 4-5 times faster than
        # searching for "<f", whose "<" is everywhere
        out, pos = set(), xml.find(b"f", 1)
        while pos >= 0:
            if xml[pos - 1] == 60 and xml[pos + 1:pos + 2] in (b">", b" ", b"/"):  # 60: "<"
                start = xml.rfind(b'<c r="', 0, pos) + 6
                out.add(xml[start:xml.index(b'"', start)].decode())
            pos = xml.find(b"f", pos + 1)
        return out

    def lacking_formula(self, sheet: str, refs: list[str]) -> list[str]:
        """The cells of ``refs`` that hold no formula, in the order given: a cell is found by its tag (``<c
        r="E12"``, as every writer puts it) and holds a formula when its first child is ``<f>`` (the order the
        format prescribes). Each tag is looked for from the previous one's place (refs in sheet order cost one
        pass), so a form's few formula cells cost a few searches for a long string, not a scan of every formula
        the sheet holds (a report's indicator sheet has 190, of which the check asks for 18)."""
        xml = self.sheet_xml(sheet)
        out, pos = [], 0
        for ref in refs:
            tag = b'<c r="' + ref.encode() + b'"'
            at = xml.find(tag, pos)
            if at < 0:
                at = xml.find(tag, 0, pos + len(tag))
            if at < 0:
                out.append(ref)
                continue
            pos = at
            end = xml.find(b">", at)
            if end < 0 or xml[end - 1] == 47:  # 47: "/", an empty cell <c r="E12" s="3"/>
                out.append(ref)
                continue
            child = xml[end + 1:end + 64].lstrip()
            if not (child[:2] == b"<f" and child[2:3] in (b">", b" ", b"/")):
                out.append(ref)
        return out

    def error_cells(self, sheet: str) -> list[str]:
        """Addresses of cells whose cached value is a formula error (#REF!, #VALUE!...)."""
        xml = self.sheet_xml(sheet)
        return [m.decode() for m in _ERROR_CELL.findall(xml)] if b't="e"' in xml else []

    @cached_property
    def _percent_styles(self) -> frozenset[int]:
        try:
            return percent_styles(self.part("xl/styles.xml"))
        except KeyError:
            return frozenset()

    def is_percent(self, sheet: str, ref: str) -> bool:
        """Whether the cell ``ref`` is formatted as a percentage (``percent_cells``), from its own tag (``<c
        r="E12" s="7"``, as every writer puts it) when the sheet has one: a few searches for a long string instead
        of a look at every cell of the sheet; the whole sheet's scan when the tag is written otherwise."""
        styles = self._percent_styles
        if not styles:
            return False
        if sheet in self._percent:
            return ref in self._percent[sheet]
        xml = self.sheet_xml(sheet)
        tag = b'<c r="' + ref.encode() + b'"'
        pos = self._percent_at.get(sheet, 0)  # refs asked in sheet order cost one pass
        at = xml.find(tag, pos)
        if at < 0:
            at = xml.find(tag, 0, pos + len(tag))
        end = xml.find(b">", at) if at >= 0 else -1
        if end < 0:
            return ref in self.percent_cells(sheet)
        self._percent_at[sheet] = at
        m = _S_ATTR.search(xml, at, end)
        return m is not None and m.group(1) in _style_numbers(styles)

    def percent_cells(self, sheet: str) -> frozenset[str]:
        """Addresses of a sheet's cells formatted as a percentage (Excel stores "100%" typed there as 1): read
        from the styles part and each cell's s= attribute, since calamine gives values without formats. Only
        the few sheets where a percentage is typed ask; a workbook without a percent format costs one regex."""
        if sheet not in self._percent:
            styles = self._percent_styles
            found = set()
            if styles:  # one pass for s="N" of any percent style, then the cell tag each sits in
                xml = self.sheet_xml(sheet)
                for m in _style_attr(styles).finditer(xml):
                    start = xml.rfind(b"<", 0, m.start())
                    tag = xml[start:m.end()]
                    r = _CELL_R.search(tag) if _CELL_START.match(tag) else None
                    if r:
                        found.add(r.group(1).decode().upper())
            self._percent[sheet] = frozenset(found)
        return self._percent[sheet]

    @cached_property
    def external_links(self) -> list[str]:
        return [n for n in self.zip.namelist() if n.startswith("xl/externalLinks/")]

    @cached_property
    def modified(self) -> datetime | None:
        """Last-saved time from docProps/core.xml (Excel updates it on every save)."""
        try:
            m = _MODIFIED.search(self.part("docProps/core.xml"))
        except KeyError:
            return None
        if not m:
            return None
        try:
            return datetime.fromisoformat(m.group(1).decode().replace("Z", "")).replace(tzinfo=None)
        except ValueError:
            return None

    @cached_property
    def meta(self) -> dict[str, str]:
        """The hidden metadata sheet as key -> text ({} when absent)."""
        meta_sheet = load_form(FORM_IDS[0]).meta_sheet
        if meta_sheet not in self.sheet_names:
            return {}
        out = {}
        for row in self.grid(meta_sheet):
            if len(row) >= 2 and isinstance(row[0], str) and row[0]:
                v = row[1]
                out[row[0]] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        return out


@lru_cache(maxsize=16)
def sheet_parts(wb: bytes, rels: bytes) -> dict[str, str]:
    """Sheet name -> its part, from the workbook part and its relationships (cached: the files one version of dvcq
    builds share both; the dict is never changed by its users)."""
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        t = target.decode()
        targets[rid.decode()] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return {_unescape(name.decode("utf-8")): targets.get(rid.decode(), "")
            for name, rid in _SHEET_REL.findall(wb)}


def is_percent_format(code: str) -> bool:
    """Whether a number format code shows a percentage: a "%" outside quoted text and escapes ("0.0%", not
    '0" %"' or "0\\%")."""
    bare = re.sub(r'"[^"]*"|\\.', "", code)
    return "%" in bare


@lru_cache(maxsize=64)
def _style_numbers(styles: frozenset[int]) -> frozenset[bytes]:
    """The cell styles as their s= attribute writes them."""
    return frozenset(b"%d" % i for i in styles)


@lru_cache(maxsize=64)
def _style_attr(styles: frozenset[int]) -> re.Pattern:
    """The s= attribute of any of the given cell styles (after a space, as every writer puts it: the literal
    prefix makes the scan fast)."""
    return re.compile(rb' s="(?:' + b"|".join(b"%d" % i for i in sorted(styles)) + rb')"')


@lru_cache(maxsize=16)
def percent_styles(styles: bytes) -> frozenset[int]:
    """The cell style indexes (a cell's s= attribute) whose number format is a percentage (cached: the files
    one version of dvcq builds share their styles part)."""
    percent = {int(i) for i, c in _NUM_FMT.findall(styles) if b"%" in c
               and is_percent_format(_unescape(c.decode("utf-8", "replace")))} | PERCENT_BUILTIN
    start = styles.find(b"cellXfs")
    end = styles.find(b"cellXfs", start + 7)
    out = set()
    if start >= 0:
        for k, attrs in enumerate(_XF.findall(styles, start, end if end > 0 else len(styles))):
            m = _XF_FMT.search(attrs)
            if m and int(m.group(1)) in percent:
                out.add(k)
    return frozenset(out)


def _unescape(s: str) -> str:
    return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")


def load(path: Path) -> Book:
    """Open a workbook the way every command must: sniffed, within the size limits, then read.

    Raises BookError (a UserError: exit status 2 on the command line) with the sniffer's
    Vietnamese message naming the file when it is not a readable workbook.
    """
    sn = sniff(Path(path))
    if sn.status != "readable":
        raise BookError(sn.code, sn.message)
    return open_book(sn.path, sn.data, sn.zip, sn.parts)


def open_book(path: Path, data: bytes | None = None, archive: zipfile.ZipFile | None = None,
              parts: dict | None = None) -> Book:
    """Open a workbook from the bytes a sniff kept (read once; the file is never opened for writing).

    Without ``data`` the file goes through `load` first, so no caller skips the checks.
    """
    path = Path(path)
    if data is None:
        return load(path)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:
        name = type(exc).__name__
        if "Password" in name:
            raise BookError("encrypted", message("encrypted", "password", name=path.name))
        raise BookError("corrupt", message("corrupt", "unopenable", name=path.name)) from exc
    return Book(path=path, data=data, sheet_names=list(wb.sheet_names), _wb=wb, _zip=archive,
                _parts=dict(parts or {}))


@dataclass
class Identity:
    form_id: str | None
    version: int | None
    from_meta: bool
    meta: dict


def identify(book: Book) -> Identity:
    """Which form a workbook is: from the metadata sheet, else from its sheet names."""
    meta = book.meta
    if meta.get("form_id"):
        try:
            version = int(float(meta.get("spec_version") or 0))
        except ValueError:
            version = None
        return Identity(meta["form_id"], version, True, meta)

    names = {fold(n) for n in book.sheet_names}
    best, score = None, 0
    for fid in FORM_IDS:
        form = load_form(fid)
        wanted = {fold(s.name) for s in form.data_sheets if not s.optional}
        hit = len(wanted & names)
        if hit == len(wanted) and hit > score:
            best, score = fid, hit
    return Identity(best, None, False, meta)


@dataclass
class Table:
    """Columns of a table sheet: field -> values (row order), and the sheet row of each entry."""

    sheet: Sheet
    rows: list[int]
    columns: dict[str, list]
    overflow: int = 0  # data rows found below the allowed area

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Submission:
    """A workbook read through its form's specification."""

    book: Book
    form: Form
    identity: Identity
    header: dict = field(default_factory=dict)  # name -> (value, sheet, ref)
    indicators: dict = field(default_factory=dict)  # code -> (value, ref)
    targets: dict = field(default_factory=dict)  # code -> (value, ref) of the "Chỉ tiêu" column
    texts: dict = field(default_factory=dict)  # code -> (value, ref)
    tables: dict[str, Table] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # sheet -> name -> (value, ref)


def extract(book: Book, form: Form, identity: Identity | None = None) -> Submission:
    sub = Submission(book=book, form=form, identity=identity or identify(book))
    header, sheets = _layout(form)
    main = form.main
    if book.has_sheet(main.name):
        for name, ref, row, col in header:
            sub.header[name] = (book.value(main.name, row, col), main.name, ref)
    for sheet, at in sheets:
        if not book.has_sheet(sheet.name):
            continue
        if sheet.kind == "indicators":  # the value column (and the targets') read once, each indicator at its row
            first, last, vcol, cells, targets = at
            values = book.column(sheet.name, vcol, first, last)
            for code, k, ref in cells:
                sub.indicators[code] = (values[k], ref)
            if targets is not None:
                tcol, cells = targets
                values = book.column(sheet.name, tcol, first, last)
                for code, k, ref in cells:
                    sub.targets[code] = (values[k], ref)
        elif sheet.kind == "texts":
            for name, ref, row, col in at:
                sub.texts[name] = (book.value(sheet.name, row, col), ref)
        elif sheet.kind == "table":
            sub.tables[sheet.name] = read_table(book, sheet)
            sub.extra[sheet.name] = {name: (book.value(sheet.name, row, col), ref) for name, ref, row, col in at}
    return sub


_LAYOUTS: dict[int, tuple] = {}  # id(form) -> (form, its layout): forms are loaded once per process


def _layout(form: Form) -> tuple[list, list]:
    """Where ``extract`` reads a form's cells, worked out once per form: (the header's (name, address, row,
    column), [(sheet, its cells)]): an indicator sheet's (first row, last row, value column, [(code, its row's
    index, address)], (target column, the same for the indicators with a target) or None), a text sheet's and a
    table's extra header's (name, address, row, column)."""
    found = _LAYOUTS.get(id(form))
    if found is not None and found[0] is form:
        return found[1]

    def cell(name: str, ref: str) -> tuple:
        return (name, ref, *_rc(ref))

    header = [cell(f.name, form.header_cell(f.name)) for f in form.header]
    sheets: list[tuple] = []
    for sheet in form.data_sheets:
        at = None
        if sheet.kind == "indicators":
            rows = [ind.row for ind in sheet.indicators]
            first, last = min(rows, default=1), max(rows, default=0)
            vcol = sheet.column_of("value")
            cells = [(ind.code, ind.row - first, cell_ref(ind.row, vcol)) for ind in sheet.indicators]
            targets = None
            if sheet.has_targets:
                tcol = sheet.column_of("target")
                targets = (tcol, [(ind.code, ind.row - first, cell_ref(ind.row, tcol)) for ind in sheet.indicators
                                  if ind.target])
            at = (first, last, vcol, cells, targets)
        elif sheet.kind == "texts":
            at = [cell(t.name, sheet.text_cell(t.name)) for t in sheet.texts]
        elif sheet.kind == "table":
            at = [cell(f.name, sheet.extra_cell(f.name, form.header_first_row, len(form.header)))
                  for f in sheet.extra_header]
        sheets.append((sheet, at))
    if len(_LAYOUTS) > 64:  # forms of edited templates (tests, a province's copy): keep only the recent ones
        _LAYOUTS.clear()
    _LAYOUTS[id(form)] = (form, (header, sheets))
    return header, sheets


def read_table(book: Book, sheet: Sheet) -> Table:
    """A table sheet's columns: its rows from ``first_row`` to the last one holding a value in the fields' columns
    (rows past ``max_rows`` counted as ``overflow``), fully empty rows in between left out, each row cut or padded
    with "" to the fields' width; the columns transposed at once."""
    grid = book.grid(sheet.name)
    width = len(sheet.fields)
    start = sheet.first_row - 1
    body = grid[start:]
    if body and (min(map(len, body)) != width or max(map(len, body)) != width):  # calamine's rows: the sheet's width
        body = [r[:width] for r in body]
        if min(map(len, body)) < width:
            body = [r if len(r) == width else r + [""] * (width - len(r)) for r in body]
    # a row is empty when each of its cells is "" (calamine's empty cell: one list comparison in C per row) or None
    blank = [""] * width
    filled = list(map(blank.__ne__, body))
    if any(map(operator.contains, compress(body, filled), repeat(None))):
        filled = [r.count("") + r.count(None) < width for r in body]
    last = len(filled) - filled[::-1].index(True) if True in filled else 0
    overflow = max(0, last - sheet.max_rows)
    last = min(last, sheet.max_rows)
    rows = list(compress(range(start + 1, start + last + 1), filled[:last]))
    kept = list(compress(body[:last], filled[:last]))
    columns = dict(zip((f.name for f in sheet.fields), map(list, zip(*kept)))) if kept else \
        {f.name: [] for f in sheet.fields}
    return Table(sheet=sheet, rows=rows, columns=columns, overflow=overflow)


def _rc(ref: str) -> tuple[int, int]:
    return split_cell(ref)


def to_int(v):
    """An integer from a cell value, or None (blank) ; raises ValueError for anything else."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        if float(v).is_integer():
            return int(v)
        raise ValueError(v)
    raise ValueError(v)


def to_date(v) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    raise ValueError(v)


_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_dmy(text: str) -> date | None:
    """A date typed as text 'dd/mm/yyyy' (accepted with a warning), else None."""
    m = _DMY.match(text) if isinstance(text, str) else None
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def iso_datetime(value) -> str | None:
    """An ISO date-time ('2024-06-12T09:00:00') from a metadata cell, or None when it holds none (a
    damaged or edited file may hold any value there)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).isoformat(timespec="seconds")
    except ValueError:
        return None
