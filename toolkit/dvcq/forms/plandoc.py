"""Typed model of a plan document (kế hoạch) as written, and the deadlines its tasks state.

A ``PlanDocument`` holds what a kế hoạch says, in the order Nghị định 30/2020 lays it out: the
header (issuer, number, place and date, subject line), the opening that cites what the plan
implements (``LegalBasis``), I. Mục đích, yêu cầu (paragraph lists), the task groups and their
``Task``s, the rollout by year (``RolloutEntry``), funding (``Funding``), the "Tổ chức thực hiện"
part per body (``Responsibility``), the closing, recipients and signature, and ``unplaced``: the
paragraphs a reader (``dvcq.documents.planimport``) could not put anywhere, with their line numbers, so
nothing is lost silently. Every field has one type; absent text is "" and absent values None.

``parse_deadline`` reads a task's deadline as written: a date, one of ``TERMS`` ("Thường xuyên",
"Hằng năm", "Quý II/2024", "Năm 2025"...) or neither. Only a dated deadline can be overdue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dvcq.text import fold, nfc

LEVELS = ("province", "district", "commune")  # as dvcq.units.registry.LEVELS names them
VERBS = ("giao", "đề nghị")  # to a body under the issuer / to the Front, mass organisations, Party bodies
SECTION_KINDS = ("bases", "purpose", "tasks", "rollout", "funding", "organisation", "other")

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


@dataclass(frozen=True)
class Header:
    """The document's header: issuing body, its level, number, place and date, and subject line.

    ``number`` is written without spaces ("25/KH-UBND"; "/KH-UBND" when left blank for signing);
    ``date`` is None unless day, month and year are all written, ``year`` is the year when written.
    """
    issuer: str = ""
    level: str | None = None  # one of LEVELS, when the issuer's name tells it
    number: str = ""
    date: date | None = None
    date_text: str = ""  # the place-date line as written
    place: str = ""
    year: int | None = None
    title: str = ""  # the subject line under "KẾ HOẠCH"
    governing: tuple[str, ...] = ()  # the bodies above the issuer in the header, as written ("UBND HUYỆN VŨ THƯ")


@dataclass(frozen=True)
class LegalBasis:
    """A document the plan implements or is based on ("Thực hiện Kế hoạch số 19/BDVHU-UBND ngày ...")."""
    kind: str  # "Kế hoạch", "Chỉ thị", "Nghị định", "Kết luận", "Công văn"...
    number: str = ""  # "19/BDVHU-UBND"; "" when not written
    date: date | None = None
    issuer: str = ""
    title: str = ""  # what it is about, as written after "về" (or the rest of the citation)
    text: str = ""  # the citation as written
    line: int = 0


@dataclass(frozen=True)
class Task:
    """One task: its group, number within the group as written ("1", "1.1", "a"; "" for a bullet),
    content (a paragraph per line), and, when the plan states them, lead and coordinating bodies,
    deadline and expected output."""
    group_number: str
    group_title: str
    number: str
    content: str
    lead: str = ""
    coordinating: tuple[str, ...] = ()
    deadline: Deadline | None = None
    output: str = ""
    line: int = 0


@dataclass(frozen=True)
class TaskGroup:
    """A numbered group of tasks ("1. Quán triệt, học tập ..."), or the whole section when its
    tasks are not grouped; ``intro`` holds the lead-in paragraphs ("... những nhiệm vụ sau đây:")."""
    number: str
    title: str
    tasks: tuple[Task, ...] = ()
    intro: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class RolloutEntry:
    """The units that launch the model in one year ("Năm 2024: ... tại 04 đơn vị: ..."), and the
    target reached by that year when the plan sets one ("phấn đấu ... đạt 100% ... giai đoạn 2023 -
    2025" is the 2025 entry's target)."""
    year: int
    units: tuple[str, ...] = ()
    count: int | None = None  # as stated ("04 đơn vị"); None when not stated
    text: str = ""
    target_text: str = ""
    target_percent: float | None = None
    line: int = 0


@dataclass(frozen=True)
class PlanTarget:
    """A target (chỉ tiêu) the plan sets for an indicator of the periodic report (its sheet "Chỉ tiêu"):
    the indicator's title, the value as the plan writes it (a rate in percent, 100 for 100%), its year and
    the plan's own words."""
    title: str
    value: float | None
    year: int | None
    text: str = ""
    line: int = 0


@dataclass(frozen=True)
class Funding:
    """The Kinh phí part: its paragraphs, the sources it names and an amount when one is written."""
    paragraphs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    amount: str = ""
    line: int = 0


@dataclass(frozen=True)
class Responsibility:
    """What "Tổ chức thực hiện" gives one body: ``verb`` "giao" for a body under the issuer,
    "đề nghị" for the Front, mass organisations and Party bodies; its paragraphs as written."""
    body: str
    verb: str
    paragraphs: tuple[str, ...] = ()
    number: str = ""
    line: int = 0


@dataclass(frozen=True)
class Section:
    """A Roman-numeral section as found: "II", "NỘI DUNG THỰC HIỆN", kind one of SECTION_KINDS."""
    number: str
    title: str
    kind: str
    line: int = 0


@dataclass(frozen=True)
class Unplaced:
    """A paragraph the reader could not place, where it is (line of a text file, paragraph of a
    Word file) and why, in Vietnamese."""
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class PlanDocument:
    header: Header
    bases: tuple[LegalBasis, ...] = ()
    opening: tuple[str, ...] = ()  # the paragraphs between the subject line and section I
    purposes: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    groups: tuple[TaskGroup, ...] = ()
    rollout: tuple[RolloutEntry, ...] = ()
    funding: Funding | None = None
    responsibilities: tuple[Responsibility, ...] = ()
    closing: tuple[str, ...] = ()  # "Trên đây là Kế hoạch ..."
    recipients: tuple[str, ...] = ()  # Nơi nhận
    signature: tuple[str, ...] = ()  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    signer: str = ""
    sections: tuple[Section, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    source: str = ""  # the file name, when read from a file
    targets: tuple[PlanTarget, ...] = ()  # the sheet "Chỉ tiêu" of a plan workbook

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for g in self.groups for t in g.tasks)
