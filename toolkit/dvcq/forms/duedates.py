"""The deadline of a plan's task as written: a date, one of ``TERMS`` ("Thường xuyên", "Hằng năm", "Quý II/2024",
"Năm 2025"...) or neither (``parse_deadline``). Only a dated deadline can be overdue.

Apart from the plan document's model (dvcq.forms.plandoc, which re-exports these names) so that checking a
plan's rows loads only this.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dvcq.text import fold, nfc

# Deadlines that repeat without end: never overdue, shown in every period's progress.
RECURRING_TERMS = ("Thường xuyên", "Hằng tháng", "Định kỳ hằng quý", "6 tháng", "Hằng năm")
# Deadlines that name one period of a year: the task is due within it, but it is not a date.
PERIOD_TERMS = ("Tháng", "Quý", "6 tháng đầu năm", "6 tháng cuối năm", "Trong năm", "Năm")
TERMS = RECURRING_TERMS + PERIOD_TERMS
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Deadline:
    """A deadline as written (``text``) and what it means: a date ``due``, a ``term`` of ``TERMS``
    (with its ``year`` and, for "Quý"/"Tháng", the quarter or month in ``part``), or neither."""
    text: str
    due: date | None = None
    term: str | None = None
    year: int | None = None
    part: int | None = None

    @property
    def dated(self) -> bool:
        return self.due is not None

    @property
    def recurring(self) -> bool:
        return self.term in RECURRING_TERMS

    @property
    def label(self) -> str:
        """The canonical wording: 'dd/mm/yyyy', 'Thường xuyên', 'Quý II/2024', 'Năm 2025', or the text."""
        if self.due is not None:
            return f"{self.due.day:02d}/{self.due.month:02d}/{self.due.year}"
        if self.term == "Quý":
            return f"Quý {_ROMAN[self.part]}/{self.year}"
        if self.term == "Tháng":
            return f"Tháng {self.part}/{self.year}"
        if self.term in PERIOD_TERMS:
            return f"{self.term} {self.year}"
        return self.term or self.text


_DATE_NUM = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
# on folded text, where "/" and "-" are spaces: "quy ii 2024", "quy 2 nam 2024", "thang 6 2024"
_QUARTER_RE = re.compile(r"\bquy (iv|iii|ii|i|[1-4]) (?:nam )?(\d{4})\b")
_MONTH_RE = re.compile(r"\bthang (\d{1,2}) (?:nam )?(\d{4})\b")
_HALF_RE = re.compile(r"\b(?:6|sau) thang (dau|cuoi) nam (\d{4})\b")
_IN_YEAR_RE = re.compile(r"\b(?:trong|ca) nam (\d{4})\b")
_YEAR_RE = re.compile(r"\bnam (\d{4})\b")
# recurring terms by their folded spellings (hằng and hàng both fold to "hang"), most frequent first
_RECURRING = (("Hằng tháng", re.compile(r"\b(?:hang|moi|tung) thang\b")),
              ("Định kỳ hằng quý", re.compile(r"\b(?:hang|moi|tung) quy\b|\bdinh ky quy\b")),
              ("6 tháng", re.compile(r"\b(?:6|sau) thang\b|\bnua nam\b")),
              ("Hằng năm", re.compile(r"\b(?:hang|moi|tung) nam\b|\bdinh ky nam\b")),
              ("Thường xuyên", re.compile(r"\bthuong xuyen\b|\blien tuc\b")))


def _valid(d: int, m: int, y: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_deadline(text: str) -> Deadline:
    """The meaning of a deadline as written; a text it does not understand keeps term and due None.

    '15/6/2024', 'trước ngày 15 tháng 6 năm 2024' -> a date (the last one written: 'từ 01/3 đến
    30/6/2024' is due 30/6/2024); 'Quý II/2024', 'Tháng 6/2024', '6 tháng đầu năm 2024', 'Trong năm
    2024', 'Năm 2025' -> a period of a year; 'Hằng tháng', 'Hằng quý', 'Định kỳ 6 tháng', 'Hàng năm
    (trước 15/12)', 'Thường xuyên' -> a recurring term.
    """
    text = nfc(text)
    f = fold(text)
    # dates are read from the text itself (fold turns '/' into spaces)
    dates = [_valid(int(d), int(m), int(y)) for d, m, y in _DATE_NUM.findall(text)]
    dates += [_valid(int(d), int(m), int(y)) for d, m, y in _DATE_WORDS.findall(f)]
    dates = [d for d in dates if d is not None]
    if dates:
        return Deadline(text, due=max(dates))
    m = _QUARTER_RE.search(f)
    if m:
        return Deadline(text, term="Quý", year=int(m.group(2)), part=_QUARTER[m.group(1)])
    m = _MONTH_RE.search(f)
    if m and 1 <= int(m.group(1)) <= 12:
        return Deadline(text, term="Tháng", year=int(m.group(2)), part=int(m.group(1)))
    m = _HALF_RE.search(f)
    if m:
        return Deadline(text, term="6 tháng đầu năm" if m.group(1) == "dau" else "6 tháng cuối năm",
                        year=int(m.group(2)))
    m = _IN_YEAR_RE.search(f)
    if m:
        return Deadline(text, term="Trong năm", year=int(m.group(1)))
    m = _YEAR_RE.search(f)
    if m:
        return Deadline(text, term="Năm", year=int(m.group(1)))
    for term, pattern in _RECURRING:
        if pattern.search(f):
            return Deadline(text, term=term)
    return Deadline(text)


def deadline_choices(years) -> list[str]:
    """The deadlines a plan workbook offers in its dropdown: the recurring terms, then for each of
    ``years`` the year, its halves and quarters, in their canonical wording ('Năm 2025', 'Quý II/2025').
    Any other text ``parse_deadline`` reads as a term (or a date) is accepted too."""
    out = list(RECURRING_TERMS)
    for y in years:
        out.append(Deadline("", term="Năm", year=y).label)
        out += [Deadline("", term=t, year=y).label for t in ("6 tháng đầu năm", "6 tháng cuối năm")]
        out += [Deadline("", term="Quý", year=y, part=q).label for q in (1, 2, 3, 4)]
    return out
