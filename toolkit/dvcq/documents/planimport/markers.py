"""The marks that structure a plan: section headings ("II.", "II-", "PHẦN II:", "B."), numbered and bulleted
items ("1.", "1.1.", "a)", "-", "+", "•"), and what a heading's title says the section is."""
from __future__ import annotations

import re

from dvcq.text import fold

_ROMAN_DIGITS = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN_DIGITS:
        while n >= value:
            out += letters
            n -= value
    return out


def starts_upper(s: str) -> bool:
    """Whether the first letter is a capital (a digit first: no)."""
    for c in s:
        if c.isalpha():
            return c.isupper()
        if c.isdigit():
            return False
    return False


def caps(s: str) -> bool:
    """Whether every letter is a capital (at least two letters)."""
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# "PHẦN II:", "Phần thứ hai" is not numbered so; "II.", "II)", "II -", "II- " (seen: "I- MỤC ĐÍCH")
_ROMAN_RE = re.compile(r"^(?:(?:PHẦN|Phần)\s+(?:THỨ\s+|thứ\s+)?([IVX]{1,4})\b\s*[.:)\-–]?|([IVX]{1,4})\s*[.)]|"
                       r"([IVX]{1,4})\s*[-–:](?=\s*\S)|([IVX]{1,4})\s+[-–:]\s)\s*(\S.*)$")
# "A. MỤC ĐÍCH, YÊU CẦU": a capital letter numbering an upper-case title (a lettered task is "a)")
_LETTER_RE = re.compile(r"^(?:(?:PHẦN|Phần)\s+)?([A-H])\s*[.:\-–]\s*(\S.*)$")
_ITEMS = (
    ("arabic3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\.?(?=\s|[^\W\d_])\s*(.*)$")),
    ("arabic2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?(?=\s|[^\W\d_])\s*(.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.)](?=\s|[^\W\d_])\s*(.*)$")),
    ("alpha", re.compile(r"^([a-zđ])\)\s*(.*)$|^([a-zđ])\.\s+(?=[^\W\d_])(.*)$")),
    ("dash", re.compile(r"^()[-–—−](?:\s*[-–—−](?=\s))*\s*(.*)$")),
    ("plus", re.compile(r"^()\+\s*(.*)$")),
    ("bullet", re.compile(r"^()[•·●▪■○◦◆❖➢✓*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8]\s*(.*)$")),
)
NUMBERED_RANK = {"arabic": 1, "arabic2": 2, "arabic3": 3, "alpha": 4}
_VALID_ROMAN = {to_roman(n) for n in range(1, 21)}


def roman(text: str) -> tuple[str, str] | None:
    """(numeral, title) of a section heading "II. NỘI DUNG", "II- NỘI DUNG", "PHẦN II: ...", "B. NỘI DUNG"
    (a letter only before a title in capitals); None otherwise."""
    m = _ROMAN_RE.match(text)
    if m:
        numeral = m.group(1) or m.group(2) or m.group(3) or m.group(4)
        if numeral in _VALID_ROMAN:
            return numeral, m.group(5)
    m = _LETTER_RE.match(text)
    if m and caps(m.group(2)) and len(m.group(2)) <= 120:
        return m.group(1), m.group(2)
    return None


def item(text: str) -> tuple[str, str, str] | None:
    """(style, number as written, rest) of a numbered or bulleted item; None for plain text."""
    for style, pattern in _ITEMS:
        m = pattern.match(text)
        if m:
            number, rest = [g for g in m.groups() if g is not None]  # alpha has two alternatives
            if rest or style not in ("dash", "plus", "bullet"):
                return style, number, rest
    return None


def section_kind(title: str) -> str:
    """What a section holds, by its title: one of dvcq.forms.plandoc.SECTION_KINDS."""
    f = fold(title)
    if "to chuc thuc hien" in f or f.startswith(("phan cong", "trach nhiem")):
        return "organisation"
    if f.startswith(("kinh phi", "nguon kinh phi")):
        return "funding"
    if f.startswith("lo trinh"):
        return "rollout"
    if f.startswith(("muc dich", "muc tieu", "yeu cau")):
        return "purpose"
    if f.startswith("can cu"):
        return "bases"
    if any(k in f for k in ("noi dung", "nhiem vu", "giai phap", "hoat dong")):
        return "tasks"
    return "other"


def caps_section(text: str) -> bool:
    """An unnumbered upper-case title of a known section ("TỔ CHỨC THỰC HIỆN"), as Word numbers them."""
    found = item(text)
    if found is not None and found[0] in ("bullet", "dash"):
        text = found[2]
    elif found is not None:
        return False
    return 0 < len(text) <= 80 and caps(text) and section_kind(text) != "other"


def part_of(text: str) -> str:
    """The part a numbered heading opens inside a section ("1. Mục đích", "3. Lộ trình"): purposes,
    requirements, rollout, funding; "" for any other item."""
    head = text.split(":", 1)[0] if ":" in text[:30] else text  # "1. Mục đích: Nâng cao ..." opens its part too
    f = fold(head)
    if len(head) > 100:
        return ""
    if f.startswith(("muc dich", "muc tieu")):
        return "purposes"
    if f.startswith("yeu cau"):
        return "requirements"
    if f.startswith("lo trinh"):
        return "rollout"
    if f.startswith(("kinh phi", "nguon kinh phi")):
        return "funding"
    return ""
