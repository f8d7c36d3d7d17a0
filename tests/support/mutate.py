"""Mutations of xlsx workbooks at the zip, XML and value level, for the property-based tests (test_fuzz.py).

Every mutation is a small frozen dataclass whose fields are plain numbers and strings (so Hypothesis can draw
and shrink them and a failure prints a readable reproducer) with ``apply(data: bytes) -> bytes``: it takes
the bytes of a workbook and returns the bytes of a new one. Nothing here touches a file; the test writes
the result into its own folder (never into workbooks/sample). Choices that depend on the file ("which
sheet", "which cell") are drawn as integers and taken modulo what the file holds, so a mutation applies
to any workbook. A mutation that finds nothing to act on (no shared strings, a zip that no longer
opens) returns the bytes unchanged.
"""
from __future__ import annotations

import html
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

# ---------------------------------------------------------------- zip level


@dataclass
class Member:
    name: str
    data: bytes
    # overrides for lying headers: field -> value, in the local header ("l_") or central directory ("c_")
    lie: dict | None = None
    raw: bytes | None = None  # already-deflated body (zip bomb); ``data`` is then ignored for compression


def read_members(data: bytes) -> list[Member] | None:
    """The members of a zip in directory order (duplicates kept), or None when it does not open."""
    import io
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            z = zipfile.ZipFile(io.BytesIO(data))
            return [Member(i.filename, z.open(i).read()) for i in z.infolist()]
    except Exception:  # noqa: BLE001 - a previous mutation broke the zip: nothing more to do at this level
        return None


def _dos_time() -> tuple[int, int]:
    return 0, (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01 00:00, like XlsxWriter's fixed stamp


def write_members(members: list[Member]) -> bytes:
    """A zip (deflate, no zip64) written by hand so that headers can lie on purpose."""
    out = bytearray()
    central = bytearray()
    t, d = _dos_time()
    for m in members:
        name = m.name.encode("utf-8")
        if m.raw is not None:
            body, crc, usize = m.raw, m.lie.get("crc"), m.lie.get("usize")
        else:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = c.compress(m.data) + c.flush()
            crc, usize = zlib.crc32(m.data), len(m.data)
        vals = {"crc": crc & 0xFFFFFFFF, "csize": len(body), "usize": usize}
        lie = m.lie or {}
        loc = {k: lie.get("l_" + k, v) & 0xFFFFFFFF for k, v in vals.items()}
        cen = {k: lie.get("c_" + k, v) & 0xFFFFFFFF for k, v in vals.items()}
        flags = 0x800  # UTF-8 names
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, t, d, loc["crc"], loc["csize"], loc["usize"],
                           len(name), 0) + name + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, t, d, cen["crc"], cen["csize"],
                               cen["usize"], len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def _get(members: list[Member], name: str) -> Member | None:
    return next((m for m in members if m.name == name), None)


def _text(m: Member) -> str:
    return m.data.decode("utf-8", "surrogateescape")


def _set(m: Member, text: str) -> None:
    m.data = text.encode("utf-8", "surrogateescape")


# ---------------------------------------------------------------- workbook structure

_SHEET = re.compile(r'<sheet\b[^>]*?/>')
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_CELL = re.compile(r'<c\b[^>]*?(?:/>|>.*?</c>)', re.S)
_ROW = re.compile(r'<row\b[^>]*?(?:/>|>.*?</row>)', re.S)
_SI = re.compile(r'<si\b[^>]*?(?:/>|>.*?</si>)', re.S)
_REF = re.compile(r'^([A-Z]+)(\d+)$')


def col_num(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def sheets(members: list[Member]) -> list[dict]:
    """[{name, state, part, tag}] in workbook order, from workbook.xml and its relationships."""
    wb, rels = _get(members, "xl/workbook.xml"), _get(members, "xl/_rels/workbook.xml.rels")
    if wb is None or rels is None:
        return []
    targets = {}
    for rel in re.findall(r'<Relationship\b[^>]*?/>', _text(rels)):
        a = dict(_ATTR.findall(rel))
        t = a.get("Target", "")
        targets[a.get("Id")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = []
    for tag in _SHEET.findall(_text(wb)):
        a = dict(_ATTR.findall(tag))
        out.append({"name": html.unescape(a.get("name", "")), "state": a.get("state", "visible"),
                    "part": targets.get(a.get("r:id")), "tag": tag})
    return out


def used_sheets(members: list[Member]) -> list[dict]:
    """Sheets whose part exists and holds cells (the hidden metadata sheet included)."""
    out = []
    for s in sheets(members):
        m = _get(members, s["part"] or "")
        if m is not None and "<c " in _text(m):
            out.append(s)
    return out


def used_part(members: list[Member], index: int) -> Member | None:
    """The XML part of the ``index``-th used sheet (modulo their number); None without used sheets."""
    used = used_sheets(members)
    return _get(members, used[index % len(used)]["part"]) if used else None


def shared_strings(members: list[Member]) -> list[str]:
    m = _get(members, "xl/sharedStrings.xml")
    if m is None:
        return []
    return [html.unescape("".join(re.findall(r'<t\b[^>]*>(.*?)</t>', si, re.S))) for si in _SI.findall(_text(m))]


def _cells(xml: str) -> list[re.Match]:
    return list(_CELL.finditer(xml))


def _cell_row(m: re.Match) -> int:
    r = re.search(r'\sr="[A-Z]+(\d+)"', m.group(0)[:60])
    return int(r.group(1)) if r else 0


# ---------------------------------------------------------------- text escaping

def xml_text(s: str, control: str = "excel") -> str:
    """Escape for an XML text node; control characters as Excel writes them (_x0001_) or left raw."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if control == "excel":
        s = re.sub(r'[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]', lambda m: "_x%04X_" % ord(m.group(0)), s)
    return s


def _add_shared(members: list[Member], text: str, control: str) -> int | None:
    m = _get(members, "xl/sharedStrings.xml")
    if m is None or "</sst>" not in _text(m):
        return None
    xml = _text(m)
    n = len(_SI.findall(xml))
    xml = xml.replace("</sst>", f'<si><t xml:space="preserve">{xml_text(text, control)}</t></si></sst>', 1)
    xml = re.sub(r'uniqueCount="\d+"', f'uniqueCount="{n + 1}"', xml, count=1)
    _set(m, xml)
    return n


# ---------------------------------------------------------------- mutations


class Mutation:
    payloads: tuple[str, ...] = ()  # user text that must never become a formula in an output

    def apply(self, data: bytes) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def edit(self, members: list[Member]) -> list[Member] | None:  # pragma: no cover - interface
        raise NotImplementedError


class MemberMutation(Mutation):
    """A mutation expressed on the list of zip members."""

    def apply(self, data: bytes) -> bytes:
        members = read_members(data)
        if members is None:
            return data
        out = self.edit(members)
        return data if out is None else write_members(out)


@dataclass(frozen=True)
class CellValue:
    """A value to write into a cell: ``kind`` is text, number, bool, error, formula or empty."""
    kind: str
    value: str = ""
    storage: str = "inline"  # text: inline or shared
    control: str = "excel"   # text: control characters escaped as Excel does, or raw (invalid XML)

    def xml(self, members: list[Member], r: str, s: str | None) -> str:
        st = f' s="{s}"' if s else ""
        if self.kind == "empty":
            return f'<c r="{r}"{st}/>'
        if self.kind == "number":
            return f'<c r="{r}"{st}><v>{self.value}</v></c>'
        if self.kind == "bool":
            return f'<c r="{r}"{st} t="b"><v>{self.value}</v></c>'
        if self.kind == "error":
            return f'<c r="{r}"{st} t="e"><v>{xml_text(self.value)}</v></c>'
        if self.kind == "formula":
            return f'<c r="{r}"{st} t="str"><f>{xml_text(self.value)}</f><v>0</v></c>'
        if self.storage == "shared":
            i = _add_shared(members, self.value, self.control)
            if i is not None:
                return f'<c r="{r}"{st} t="s"><v>{i}</v></c>'
        return f'<c r="{r}"{st} t="inlineStr"><is><t xml:space="preserve">{xml_text(self.value, self.control)}</t></is></c>'


@dataclass(frozen=True)
class SetCell(MemberMutation):
    """Overwrite one existing cell of a used sheet. ``area``: any cell, a data row (below the 10-row header),
    or a free-text cell (a string of 20+ characters: assessments, task and case descriptions)."""
    sheet: int
    cell: int
    value: CellValue
    area: str = "data"

    @property
    def payloads(self):
        v = self.value
        if v.kind == "formula" or (v.kind == "text" and v.value.lstrip()[:1] in ("=", "+", "-", "@")):
            return (v.value,)
        return ()

    def edit(self, members):
        used = used_sheets(members)
        if not used:
            return None
        sh = used[self.sheet % len(used)]
        m = _get(members, sh["part"])
        xml = _text(m)
        cells = _cells(xml)
        pick = cells
        if self.area == "data":
            pick = [c for c in cells if _cell_row(c) > 10] or cells
        elif self.area == "text":
            sst = shared_strings(members)

            def long_text(c):
                v = re.search(r'<v>(\d+)</v>', c.group(0))
                return 't="s"' in c.group(0) and v and int(v.group(1)) < len(sst) and len(sst[int(v.group(1))]) >= 20

            pick = [c for c in cells if long_text(c)] or cells
        if not pick:
            return None
        c = pick[self.cell % len(pick)]
        attrs = dict(_ATTR.findall(c.group(0).split(">", 1)[0]))
        new = self.value.xml(members, attrs.get("r", "A1"), attrs.get("s"))
        _set(m, xml[:c.start()] + new + xml[c.end():])
        return members


@dataclass(frozen=True)
class TruncatePart(MemberMutation):
    """Cut an XML part (a sheet, by default) at a fraction of its length."""
    part: int
    fraction: float
    sheets_only: bool = True

    def edit(self, members):
        cands = [m for m in members if m.name.endswith(".xml") and (not self.sheets_only or "/worksheets/" in m.name)]
        if not cands:
            return None
        m = cands[self.part % len(cands)]
        m.data = m.data[: int(len(m.data) * self.fraction)]
        return members


# variant -> (first occurrence replaced, replacement) for BreakXml
_BROKEN_XML = {
    "unclosed-row": ("</sheetData>", '<row r="1048570"><c r="A1048570"><v>1</v></c></sheetData>'),
    "unclosed-cell": ("</v></c>", "</v>"),
    "no-sheetdata-end": ("</sheetData>", ""),
    "stray-close": ("<sheetData>", "<sheetData></row>"),
    "bad-entity": ("<v>", "<v>&bogus;"),
    "bad-prefix": ("<sheetData>", "<sheetData><zz:row/>"),
}


@dataclass(frozen=True)
class BreakXml(MemberMutation):
    """Malformed XML in a sheet: an unclosed tag, a stray closing tag, a bad entity, an undeclared prefix."""
    sheet: int
    variant: str  # unclosed-row, unclosed-cell, no-sheetdata-end, stray-close, bad-entity, bad-prefix, bom-garbage

    def edit(self, members):
        m = used_part(members, self.sheet)
        if m is None:
            return None
        x = _text(m)
        if self.variant == "bom-garbage":
            x = "\ufeff\x00\x01garbage" + x
        else:
            old, new = _BROKEN_XML[self.variant]
            x = x.replace(old, new, 1)
        _set(m, x)
        return members


def _renamed(tag: str, name: str) -> str:
    """A <sheet> tag of workbook.xml with its name attribute set to ``name``."""
    return re.sub(r'name="[^"]*"', lambda _: f'name="{xml_text(name).replace(chr(34), "&quot;")}"', tag, count=1)


@dataclass(frozen=True)
class RenameSheet(MemberMutation):
    """Rename a sheet in workbook.xml only (what a user renaming a tab and a careless tool would leave)."""
    sheet: int
    how: str  # upper, trailing-space, nfd, no-accents, swap, empty, sheet1, long, text
    text: str = ""

    def edit(self, members):
        wb = _get(members, "xl/workbook.xml")
        ss = sheets(members)
        if wb is None or not ss:
            return None
        i = self.sheet % len(ss)
        old = ss[i]["name"]
        new = {"upper": old.upper(), "trailing-space": old + " ", "nfd": unicodedata.normalize("NFD", old),
               "no-accents": "".join(ch for ch in unicodedata.normalize("NFD", old)
                                     if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D"),
               "swap": ss[(i + 1) % len(ss)]["name"], "empty": "", "sheet1": "Sheet1",
               "long": (old + " ") * 8, "text": self.text}[self.how]
        x = _text(wb)
        tag = ss[i]["tag"]
        newtag = _renamed(tag, new)
        if self.how == "swap" and len(ss) > 1:
            j = (i + 1) % len(ss)
            other = _renamed(ss[j]["tag"], old)
            x = x.replace(ss[j]["tag"], "\x00SWAP\x00", 1)
            x = x.replace(tag, newtag, 1).replace("\x00SWAP\x00", other, 1)
        else:
            x = x.replace(tag, newtag, 1)
        _set(wb, x)
        return members


@dataclass(frozen=True)
class SheetState(MemberMutation):
    """Hide, very-hide, unhide a sheet, or give it a state no reader knows."""
    sheet: int
    state: str  # hidden, veryHidden, visible, bogus

    def edit(self, members):
        wb = _get(members, "xl/workbook.xml")
        ss = sheets(members)
        if wb is None or not ss:
            return None
        tag = ss[self.sheet % len(ss)]["tag"]
        new = re.sub(r'\sstate="[^"]*"', "", tag)
        if self.state != "visible":
            new = new.replace("<sheet ", f'<sheet state="{self.state}" ', 1)
        _set(wb, _text(wb).replace(tag, new, 1))
        return members


@dataclass(frozen=True)
class RemovePart(MemberMutation):
    part: int

    def edit(self, members):
        del members[self.part % len(members)]
        return members


@dataclass(frozen=True)
class DuplicatePart(MemberMutation):
    """Two members with the same name: identical, or one of them empty or garbled."""
    part: int
    variant: str  # same, second-empty, first-garbled, second-garbled

    def edit(self, members):
        i = self.part % len(members)
        m = members[i]
        garbled = bytes(b ^ 0x5A for b in m.data[:64]) + m.data[64:]
        first, second = m.data, m.data
        if self.variant == "second-empty":
            second = b""
        elif self.variant == "first-garbled":
            first = garbled
        elif self.variant == "second-garbled":
            second = garbled
        m.data = first
        members.insert(i + 1, Member(m.name, second))
        return members


@dataclass(frozen=True)
class LieHeader(MemberMutation):
    """A zip header that lies about a member: declared sizes 0, 1 or huge, or a wrong CRC."""
    part: int
    field: str  # usize, csize, crc
    value: str  # zero, one, huge, half
    where: str  # local, central, both

    def edit(self, members):
        m = members[self.part % len(members)]
        true = {"usize": len(m.data), "csize": len(zlib.compress(m.data)), "crc": zlib.crc32(m.data)}[self.field]
        v = {"zero": 0, "one": 1, "huge": 0xFFFFFFF0, "half": true // 2}[self.value]
        if self.field == "crc":
            v = true ^ 0xFFFF if self.value != "zero" else 0
        lie = {}
        if self.where in ("local", "both"):
            lie["l_" + self.field] = v
        if self.where in ("central", "both"):
            lie["c_" + self.field] = v
        m.lie = lie
        return members


_BOMBS: dict[int, tuple[bytes, int]] = {}


def _crc_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine, by GF(2) matrix squaring)."""
    def times(mat, vec):
        s, i = 0, 0
        while vec:
            if vec & 1:
                s ^= mat[i]
            vec >>= 1
            i += 1
        return s

    def square(mat):
        return [times(mat, mat[n]) for n in range(32)]

    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if len2 & 1:
            crc1 = times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            crc1 = times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _padding(mb: int) -> tuple[bytes, int]:
    """A deflated run of ``mb`` MiB of spaces (cached: building 1 GiB takes about a second)."""
    if mb not in _BOMBS:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        chunk = b" " * (1 << 20)
        parts = [c.compress(chunk) for _ in range(mb)]
        parts.append(c.flush(zlib.Z_SYNC_FLUSH))
        crc = 0
        for _ in range(mb):
            crc = zlib.crc32(chunk, crc)
        _BOMBS[mb] = (b"".join(parts), crc)
    return _BOMBS[mb]


@dataclass(frozen=True)
class Bomb(MemberMutation):
    """A sheet part that inflates to ``mb`` MiB more (whitespace before the root's end, valid XML), with
    honest headers or headers declaring the original size (the lying-header zip bomb)."""
    sheet: int
    mb: int
    lie: bool

    def edit(self, members):
        m = used_part(members, self.sheet)
        if m is None:
            return None
        head, sep, tail = m.data.rpartition(b"</worksheet>")
        if not sep:
            return None
        pad, pad_crc = _padding(self.mb)
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        # head (sync-flushed) + padding (sync-flushed) + tail: one valid raw deflate stream
        body = c.compress(head) + c.flush(zlib.Z_SYNC_FLUSH)
        body += pad
        c2 = zlib.compressobj(6, zlib.DEFLATED, -15)
        body += c2.compress(sep + tail) + c2.flush()
        crc = _crc_combine(_crc_combine(zlib.crc32(head), pad_crc, self.mb << 20), zlib.crc32(sep + tail),
                           len(sep + tail))
        real = len(head) + self.mb * (1 << 20) + len(sep + tail)
        declared = len(m.data) if self.lie else real
        m.raw = body
        m.lie = {"crc": crc, "usize": declared}
        return members


@dataclass(frozen=True)
class FarCell(MemberMutation):
    """A cell far away (XFD1048576, or beyond the grid), optionally with a dimension claiming it, or only the
    dimension (a file 'formatted to the end')."""
    sheet: int
    ref: str
    content: str  # number, text, styled-empty, dimension-only
    dimension: bool = False

    def edit(self, members):
        m = used_part(members, self.sheet)
        if m is None:
            return None
        x = _text(m)
        if self.dimension or self.content == "dimension-only":
            x = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{self.ref}"', x, count=1)
        if self.content != "dimension-only":
            cell = {"number": f'<c r="{self.ref}"><v>1</v></c>',
                    "text": f'<c r="{self.ref}" t="inlineStr"><is><t>x</t></is></c>',
                    "styled-empty": f'<c r="{self.ref}" s="1"/>'}[self.content]
            mref = _REF.match(self.ref)
            row = mref.group(2) if mref else "1048576"
            existing = re.search(rf'<row r="{row}"[^>]*?(/>|>)', x)
            if existing and existing.group(1) == ">":
                end = x.index("</row>", existing.end())
                x = x[:end] + cell + x[end:]
            elif existing:
                x = x[:existing.start()] + existing.group(0)[:-2] + ">" + cell + "</row>" + x[existing.end():]
            else:
                x = x.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>', 1)
                x = x.replace("<sheetData/>", f'<sheetData><row r="{row}">{cell}</row></sheetData>', 1)
        _set(m, x)
        return members


def _shift_ref(ref: str, axis: str, at: int, delta: int) -> str:
    mm = _REF.match(ref.replace("$", ""))
    if not mm:
        return ref
    c, r = col_num(mm.group(1)), int(mm.group(2))
    if axis == "col" and c >= at:
        c = max(1, c + delta)
    if axis == "row" and r >= at:
        r = max(1, r + delta)
    return f"{col_letters(c)}{r}"


@dataclass(frozen=True)
class ShiftRefs(MemberMutation):
    """Insert or delete a column or row the way a hand edit leaves the XML: cells and ranges move, the
    formulas elsewhere are not rewritten."""
    sheet: int
    axis: str  # col, row
    at: int
    op: str  # insert, delete

    def edit(self, members):
        m = used_part(members, self.sheet)
        if m is None:
            return None
        x = _text(m)
        at, axis = self.at, self.axis
        if self.op == "delete":
            if axis == "col":
                x = _CELL.sub(lambda c: "" if (_REF.match(dict(_ATTR.findall(c.group(0).split(">", 1)[0])).get("r", ""))
                                               and col_num(_REF.match(dict(_ATTR.findall(c.group(0).split(">", 1)[0]))
                                                                      ["r"]).group(1)) == at) else c.group(0), x)
            else:
                x = _ROW.sub(lambda r: "" if re.match(rf'<row r="{at}"[\s/>]', r.group(0)) else r.group(0), x)
            at, delta = at + 1, -1
        else:
            delta = 1

        def cell_ref(mo):
            return mo.group(1) + _shift_ref(mo.group(2), axis, at, delta) + '"'

        x = re.sub(r'(<c\b[^>]*?\sr=")([A-Z]+\d+)"', cell_ref, x)
        if axis == "row":
            x = re.sub(r'(<row\b[^>]*?\sr=")(\d+)"',
                       lambda mo: mo.group(1) + str(max(1, int(mo.group(2)) + delta) if int(mo.group(2)) >= at
                                                    else int(mo.group(2))) + '"', x)

        def ranges(mo):
            refs = " ".join(":".join(_shift_ref(p, axis, at, delta) for p in part.split(":"))
                            for part in mo.group(2).split())
            return f'{mo.group(1)}="{refs}"'

        x = re.sub(r'\b(ref|sqref|topLeftCell|activeCell)="([^"]*)"', ranges, x)
        _set(m, x)
        return members


@dataclass(frozen=True)
class GarbleSharedStrings(MemberMutation):
    """Shared strings shuffled, cut short (indices point past the end), lying counts, empty or rich-text or
    phonetic entries, a bad entity, unclosed."""
    variant: str  # shuffle, drop-tail, count-lie, empty-si, rich-text, phonetic, bad-entity, unclosed
    seed: int = 0

    def edit(self, members):
        m = _get(members, "xl/sharedStrings.xml")
        if m is None:
            return None
        x = _text(m)
        sis = list(_SI.finditer(x))
        if not sis:
            return None
        head, tail = x[:sis[0].start()], x[sis[-1].end():]
        items = [s.group(0) for s in sis]
        rng = random.Random(self.seed)
        if self.variant == "shuffle":
            rng.shuffle(items)
        elif self.variant == "drop-tail":
            items = items[: max(0, len(items) - 1 - self.seed % max(1, len(items)))]
        elif self.variant == "count-lie":
            head = re.sub(r'(count|uniqueCount)="\d+"', r'\1="0"', head)
        elif self.variant == "empty-si":
            items[self.seed % len(items)] = "<si/>"
        elif self.variant == "rich-text":
            i = self.seed % len(items)
            t = shared_strings([Member("xl/sharedStrings.xml", ("<sst>" + items[i] + "</sst>").encode())])[0]
            k = len(t) // 2
            items[i] = (f'<si><r><rPr><b/></rPr><t xml:space="preserve">{xml_text(t[:k])}</t></r>'
                        f'<r><t xml:space="preserve">{xml_text(t[k:])}</t></r></si>')
        elif self.variant == "phonetic":
            i = self.seed % len(items)
            items[i] = items[i].replace("</si>", '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>')
        elif self.variant == "bad-entity":
            items[self.seed % len(items)] = "<si><t>&nbsp;&#0;</t></si>"
        elif self.variant == "unclosed":
            items[self.seed % len(items)] = "<si><t>không đóng"
        _set(m, head + "".join(items) + tail)
        return members


@dataclass(frozen=True)
class Flood(MemberMutation):
    """Structural floods that stay small on disk: many rows, a row of 16,384 cells, a large block of styled
    empty cells, many merged ranges, data validations, sheets, shared strings or defined names."""
    sheet: int
    kind: str  # rows, wide-row, styled-block, merges, validations, sheets, strings, names
    n: int

    def edit(self, members):
        m = used_part(members, self.sheet)
        if m is None:
            return None
        x = _text(m)
        n = self.n
        last = max([int(r) for r in re.findall(r'<row r="(\d+)"', x)] or [0])
        if self.kind == "rows":
            n = min(n, 1048576 - last)
            x = x.replace("</sheetData>", "".join(f'<row r="{last + i + 1}"/>' for i in range(n)) + "</sheetData>", 1)
        elif self.kind == "wide-row":
            cells = "".join(f'<c r="{col_letters(c)}{last + 1}"><v>0</v></c>' for c in range(1, min(n, 16384) + 1))
            x = x.replace("</sheetData>", f'<row r="{last + 1}">{cells}</row></sheetData>', 1)
        elif self.kind == "styled-block":
            rows = min(n // 20 + 1, 1048576 - last)
            x = x.replace("</sheetData>", "".join(
                f'<row r="{r}">' + "".join(f'<c r="{col_letters(c)}{r}" s="1"/>' for c in range(1, 21)) + "</row>"
                for r in range(last + 1, last + 1 + rows)) + "</sheetData>", 1)
        elif self.kind == "merges":
            block = "".join(f'<mergeCell ref="A{last + 2 * i + 1}:B{last + 2 * i + 2}"/>' for i in range(n))
            x = re.sub(r'</sheetData>', lambda _: f'</sheetData><mergeCells count="{n}">{block}</mergeCells>', x, count=1) \
                if "<mergeCells" not in x else re.sub(r'</mergeCells>', lambda _: block + "</mergeCells>", x, count=1)
        elif self.kind == "validations":
            block = "".join(f'<dataValidation type="list" sqref="A{i + 1}"><formula1>"a,b"</formula1></dataValidation>'
                            for i in range(n))
            if "</dataValidations>" in x:
                x = x.replace("</dataValidations>", block + "</dataValidations>", 1)
            else:
                return None
        elif self.kind == "sheets":
            wb, rels, ct = (_get(members, p) for p in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                        "[Content_Types].xml"))
            if wb is None or rels is None:
                return None
            target = m.name[3:]
            n = min(n, 5000)
            _set(wb, _text(wb).replace("</sheets>", "".join(
                f'<sheet name="Lũ {i}" sheetId="{1000 + i}" r:id="rIdF{i}"/>' for i in range(n)) + "</sheets>", 1))
            _set(rels, _text(rels).replace("</Relationships>", "".join(
                f'<Relationship Id="rIdF{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="{target}"/>' for i in range(n)) + "</Relationships>", 1))
            return members
        elif self.kind == "strings":
            ss = _get(members, "xl/sharedStrings.xml")
            if ss is None:
                return None
            _set(ss, _text(ss).replace("</sst>", "".join(f"<si><t>s{i}</t></si>" for i in range(n)) + "</sst>", 1))
            return members
        elif self.kind == "names":
            wb = _get(members, "xl/workbook.xml")
            block = "".join(f'<definedName name="ten{i}">\'{used_sheets(members)[0]["name"]}\'!$A$1</definedName>' for i in range(n))
            x2 = _text(wb)
            x2 = x2.replace("</definedNames>", block + "</definedNames>", 1) if "</definedNames>" in x2 \
                else x2.replace("</sheets>", f"</sheets><definedNames>{block}</definedNames>", 1)
            _set(wb, x2)
            return members
        _set(m, x)
        return members


@dataclass(frozen=True)
class TruncateFile(Mutation):
    """The whole file cut short (a transfer that stopped)."""
    fraction: float

    def apply(self, data):
        return data[: int(len(data) * self.fraction)]


RESAVE_SECONDS = 120


@dataclass(frozen=True)
class LibreOfficeResave(Mutation):
    """Open and save again with LibreOffice (only when soffice is installed)."""
    n: int = 0

    def apply(self, data):
        exe = soffice()
        if exe is None:
            return data
        with tempfile.TemporaryDirectory(prefix="dvcq-lo-") as d:
            src = Path(d) / "vao" / "bieu.xlsx"
            src.parent.mkdir()
            src.write_bytes(data)
            out = Path(d) / "ra"
            # a profile of its own: a LibreOffice already running on a shared one (another worker's, another
            # run's) would take the conversion over and keep it until the timeout
            profile = Path(d) / f"lo-profile-fuzz-{self.n}"
            # its own process group, so that a conversion LibreOffice cannot finish (a flooded sheet of a
            # million rows) is killed whole, soffice.bin included, and the workbook goes on unchanged: how
            # long LibreOffice takes is no property of dvcq
            proc = subprocess.Popen([exe, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                                     "xlsx", "--outdir", str(out), str(src)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                proc.wait(timeout=RESAVE_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return data
            res = out / "bieu.xlsx"
            return res.read_bytes() if res.exists() else data


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def apply_all(data: bytes, mutations) -> bytes:
    for m in mutations:
        data = m.apply(data)
    return data
