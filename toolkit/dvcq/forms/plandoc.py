"""Typed model of a plan document (kế hoạch) as written.

A ``PlanDocument`` holds what a kế hoạch says, in the order Nghị định 30/2020 lays it out: the
header (issuer, number, place and date, subject line), the opening that cites what the plan
implements (``LegalBasis``), I. Mục đích, yêu cầu (paragraph lists), the task groups and their
``Task``s, the rollout by year (``RolloutEntry``), funding (``Funding``), the "Tổ chức thực hiện"
part per body (``Responsibility``), the closing, recipients and signature, and ``unplaced``: the
paragraphs a reader (``dvcq.documents.planimport``) could not put anywhere, with their line numbers, so
nothing is lost silently. Every field has one type; absent text is "" and absent values None.

A task's deadline as written is read by ``dvcq.forms.duedates`` (``parse_deadline``, re-exported here).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# the deadline names are kept importable from here for the plan document's readers and writers
from .duedates import PERIOD_TERMS, RECURRING_TERMS, TERMS, Deadline, deadline_choices, parse_deadline  # noqa: F401

LEVELS = ("province", "district", "commune")  # as dvcq.units.registry.LEVELS names them
VERBS = ("giao", "đề nghị")  # to a body under the issuer / to the Front, mass organisations, Party bodies
SECTION_KINDS = ("bases", "purpose", "tasks", "rollout", "funding", "organisation", "other")


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
