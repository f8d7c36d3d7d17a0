"""The header of a plan as Nghị định 30/2020 (Phụ lục I) lays it out, in whatever shape it arrives.

Two columns: left, the governing body (if any) over the issuing body, then "Số: .../KH-..."; right, the
motto, then the place and date. A Word file gives the table's cells; a web page or a PDF gives interleaved
lines: one column after the other in either order, both on one line apart by spaces or "|", separators
("-------", "|"), a cell's words split over lines ("CỘNG HÒA XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM", "Bắc Kạn, ngày
16" / "tháng 01 năm 2025"). Each line is cut into cells, each cell read for what it is (motto, number,
place-date, a body's name), a place-date continued over the cells after it; the names of bodies are put
together ("ỦY BAN NHÂN DÂN XÃ" / "CÁN KHÊ") and the last is the issuer, those above it its governing bodies.
What is none of these is kept as unplaced, with its line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from dvcq.forms.plandoc import Unplaced
from dvcq.text import fold, nfc, unit_running

from .blocks import Para

NUMBER = re.compile(r"Số\s*[:.]?\s*(\d*)\s*(/\s*[0-9A-Za-zĐđ][0-9A-Za-zĐđ\-/.]*)")
PLACE_DATE = re.compile(r"([^\t,|]*?)\s*,\s*ngày[\s.…_]*(\d{0,2})[\s.…_]*tháng[\s.…_]*(\d{0,2})[\s.…_]*năm[\s.…_]*"
                        r"(\d{4})")
_DATE_START = re.compile(r"^(.*?)\s*,\s*ngày\b")
_DATE_MORE = re.compile(r"^(?:ngày|tháng|năm|\d)")
_MOTTO = (fold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), fold("Độc lập - Tự do - Hạnh phúc"))
_CELL_SPLIT = re.compile(r"\t+|\s{3,}|\s*\|\s*")
# where a second column starts inside a cell its reader joined with one space ("TỈNH BẮC KẠN Độc lập - Tự do ...",
# "UBND HUYỆN X CỘNG HÒA XÃ HỘI ..."): the motto, a number
_COLUMN_START = re.compile(r"\s(?=CỘNG H[OÒ][AÀ] XÃ HỘI|Cộng [Hh][oò][aà] [Xx]ã [Hh]ội|Độc lập\s*[-–]\s*Tự do|"
                           r"Số\s*[:.])")
# an upper-case name before a place-date in one cell: "ỦY BAN NHÂN DÂN XÃ CÁN KHÊ Cán Khê, ngày ..."
_CAPS_BEFORE_PLACE = re.compile(r"^((?:[^\W\d_]*[A-ZĐ][^\W\d_a-zđ]*\s+){2,})(?=\S*[a-zđ])")
_SEPARATOR = re.compile(r"^[-_=–—.*|~]+$")
# the words that begin the name of a body, and of an administrative unit (folded)
_BODY_NOUNS = ("uy ban nhan dan", "ubnd", "ban ", "so ", "phong ", "hoi dong nhan dan", "hdnd", "van phong",
               "bch ", "dang uy", "cong an", "thanh tra", "chi cuc", "cuc ", "trung tam", "hoi ", "mat tran")
_UNIT_NOUNS = ("xa ", "phuong ", "thi tran ", "dac khu ", "huyen ", "quan ", "thi xa ", "thanh pho ", "tinh ")
_UBND = re.compile(r"^(?:ỦY BAN NHÂN DÂN|Ủy ban nhân dân|UBND)\s*", re.IGNORECASE)
_CENTRAL_CITIES = ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")


@dataclass
class HeaderParts:
    number: str = ""
    place: str = ""
    date_text: str = ""
    date: date | None = None
    year: int | None = None
    month: int | None = None
    bodies: list[str] = field(default_factory=list)  # the bodies' names as written, governing bodies first

    @property
    def issuer(self) -> str:
        """The issuing body in running text ("Ủy ban nhân dân xã Cán Khê"), "" when the header names none."""
        return running_issuer(self.bodies[-1]) if self.bodies else ""


def _squeeze(line: str) -> str:
    """A header line whose blanks inside a number or date ("Số:      /KH-UBND", "ngày      tháng 3") are one
    space, so that the columns are told apart by the wider gaps only."""
    line = re.sub(r"(Số\s*[:.]?)\s+(?=[\d/])", r"\1 ", line)
    line = re.sub(r"\b(ngày|tháng|năm)[\s.…_]+(?=\d|tháng|năm)", r"\1 ", line)
    return re.sub(r"(\d)\s+(?=tháng|năm)", r"\1 ", line)


def _motto(cell: str) -> bool:
    f = fold(cell)
    return bool(f) and any(f in m for m in _MOTTO) and (len(f) > 6 or f in ("viet nam", "hanh phuc"))


def _body_name(cell: str) -> bool:
    """Whether a cell names a body or a unit: in capitals ("ỦY BAN NHÂN DÂN", "XÃ CÁN KHÊ"), or starting with
    their nouns ("Ủy ban nhân dân", "Thị xã Nghi Sơn")."""
    letters = [c for c in cell if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    f = fold(cell) + " "
    return f.startswith(_BODY_NOUNS) or f.startswith(_UNIT_NOUNS)


def _starts_body(cell: str) -> bool:
    return (fold(cell) + " ").startswith(_BODY_NOUNS)


def header(paras: list[Para], unplaced: list[Unplaced]) -> HeaderParts:
    """The parts of the header in the paragraphs before "KẾ HOẠCH"."""
    h = HeaderParts()
    cells: list[tuple[str, int]] = []
    for p in paras:
        for k, raw in enumerate(p.raw or [p.text]):
            line = _squeeze(unicodedata.normalize("NFC", raw.replace("\u00a0", " ")))
            for part in _CELL_SPLIT.split(line):
                for cell in _COLUMN_START.split(part):
                    cell = cell.strip()
                    if cell and not _SEPARATOR.match(cell):
                        cells.append((cell, p.line + k if p.raw else p.line))
    used = [False] * len(cells)
    names: list[list[str]] = []
    for i, (cell, line) in enumerate(cells):
        if used[i]:
            continue
        used[i] = True
        m = NUMBER.search(cell)
        if m and not h.number:
            h.number = (m.group(1) + m.group(2)).replace(" ", "")
            cell = (cell[:m.start()] + " " + cell[m.end():]).strip()
            if not cell:
                continue
        before = _CAPS_BEFORE_PLACE.match(cell) if _DATE_START.search(cell) else None
        if before and _body_name(before.group(1)):  # a name and the place-date joined in one cell
            _add_name(names, before.group(1).strip())
            cell = cell[before.end():]
        if _DATE_START.search(cell) and not h.date_text:
            joined, j = cell, i + 1
            while not PLACE_DATE.search(joined) and j < len(cells):  # "Bắc Kạn, ngày 16" / "tháng 01 năm 2025"
                if not used[j] and _DATE_MORE.match(cells[j][0]):
                    joined += " " + cells[j][0]
                    used[j] = True
                j += 1
            if _place_date(h, joined):
                continue
        if _motto(cell):
            continue
        if _body_name(cell):
            _add_name(names, cell)
            continue
        unplaced.append(Unplaced(line, cell, "phần đầu văn bản chưa rõ"))
    h.bodies = [nfc(" ".join(n)) for n in names]
    return h


def _add_name(names: list[list[str]], cell: str) -> None:
    """A cell naming a body: a new name when it starts with a body's noun, else more of the name above it when
    that one lacks its unit ("ỦY BAN NHÂN DÂN" / "TỈNH BẮC KẠN") or its words wrapped ("... XÃ" / "CÁN KHÊ")."""
    if names and not _starts_body(cell) and (_incomplete(names[-1]) or not (fold(cell) + " ").startswith(_UNIT_NOUNS)):
        names[-1].append(cell)
    else:
        names.append([cell])


def _incomplete(name: list[str]) -> bool:
    """A name that still lacks its unit: "ỦY BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN XÃ"."""
    f = fold(" ".join(name))
    return f in ("uy ban nhan dan", "ubnd") or (f + " ").endswith(tuple(" " + n for n in _UNIT_NOUNS))


def _place_date(h: HeaderParts, text: str) -> bool:
    m = PLACE_DATE.search(text)
    if not m:
        return False
    h.place = nfc(m.group(1))
    h.date_text = nfc(m.group(0))
    h.year = int(m.group(4))
    h.month = int(m.group(3)) if m.group(3) else None
    if m.group(2) and m.group(3):
        try:
            h.date = date(h.year, int(m.group(3)), int(m.group(2)))
        except ValueError:
            pass
    return True


def running_issuer(name: str) -> str:
    """A body's name as running text: "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN" -> "Ủy ban nhân dân tỉnh Bắc Kạn",
    "UBND xã X" -> "Ủy ban nhân dân xã X"; another body's capitals -> its first letter only upper."""
    name = nfc(name)
    m = _UBND.match(name)
    if m:
        rest = name[m.end():]
        if rest.isupper():
            rest = " ".join(w.capitalize() for w in rest.split())
        return ("Ủy ban nhân dân " + unit_running(rest)).strip()
    if name.isupper():
        return name[:1] + name[1:].lower()
    return name


def level(issuer: str) -> str | None:
    """The level of an issuing body, by its name: a People's Committee by its unit's noun, a sở (province)
    or phòng (district), a body of a commune's ("Ban Chỉ đạo ... xã Tân Phong") by the unit it names."""
    f = fold(issuer)
    m = re.match(r"(?:uy ban nhan dan|ubnd) (.*)", f)
    rest = m.group(1) if m else ""
    if not m:
        unit = re.search(r"\b(xa|phuong|thi tran|dac khu|huyen|quan|thi xa|thanh pho|tinh)(?: \w+){1,3}$", f)
        rest = f[unit.start():] if unit and not f.startswith(("so ", "phong ")) else ""
    if rest.startswith(("huyen", "quan ", "thi xa")):
        return "district"
    if rest.startswith(("xa ", "phuong", "thi tran", "dac khu")):
        return "commune"
    if rest.startswith("tinh"):
        return "province"
    if rest.startswith("thanh pho"):
        return "province" if rest[len("thanh pho "):].startswith(_CENTRAL_CITIES) else "district"
    if f.startswith("so "):
        return "province"
    if f.startswith("phong "):
        return "district"
    return None
