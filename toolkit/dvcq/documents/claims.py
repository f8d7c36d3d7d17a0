"""Figures that carry their basis: what the narrative prints and its check sheet lists (issue 22).

A ``Claim`` is a value with its basis: the indicator or measure it is, the units it covers out of those
expected (group by group: dvcq.model.UnitGroup), their level, the window and the days the figures run to, the
rule it was computed by, and its sources (each unit's file, sheet and cell, and the roll-up's cell). The text
templates receive claims (dvcq.documents.context builds them from a Rollup); the filters that print a figure
(``so``, ``tyle``, ``luong``, ``liet_ke``, ``sosanh``) mark where each claim is printed (``Marks``), and
``check_rows`` turns the marks into the rows of the check sheet ("Bảng đối chiếu số liệu",
dvcq.documents.checksheet): each sentence that carries a figure, the figure, its basis and its sources.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dvcq import fmt
from dvcq.fmt import and_list
from dvcq.model import UnitGroup
from dvcq.rollup.coverage import days_phrase, days_text, group_phrase, groups_phrase

__all__ = ["and_list", "days_text"]  # the sentence pieces, where the documents' modules take them


@dataclass(frozen=True)
class GroupCover:
    """One group of the expected units, as a figure covers it: 13/14 xã, thị trấn (missing: xã Xuân Du)."""
    group: UnitGroup
    noun: str  # 'xã, thị trấn', 'sở, ban, ngành', 'cấp huyện'
    covered: int
    expected: int
    missing: tuple[str, ...] = ()  # running names of the expected units whose figures are not in
    partial: tuple[str, ...] = ()  # covered roll-ups that lack some of their own units ('huyện X (10/14)')
    level: str = ""  # the level of its units in words: 'cấp xã', 'sở, ban, ngành'
    # whether the group's units must send the form (dvcq.rollup.coverage.required); when not, ``expected`` counts
    # only those that sent it, and the phrase says so instead of a fraction
    required: bool = True

    @property
    def phrase(self) -> str:
        """'13/14 xã, thị trấn'; the issuer's own row by its name only ('cấp huyện'); a group that need not send
        the form, how many sent it: '2 cấp huyện có gửi (không bắt buộc)'."""
        if self.group == UnitGroup.OWN:
            return self.noun
        return group_phrase(fmt.number(self.covered), fmt.number(self.expected), self.noun, self.required)


@dataclass(frozen=True)
class Basis:
    """What a set of figures stands on: which units of those expected, at which level, over which days."""
    source: str  # the form the figures come from (dvcq.forms.spec REPORT, LOG, PLAN), 'ledger', or 'history'
    groups: tuple[GroupCover, ...]
    start: date  # the data window (of the part, for a part of a straddling period)
    end: date
    runs_to: tuple[date, date] | None = None  # the first and last day the counted units' figures run to
    own: bool = False  # a unit's own figures (its report from its own files), not a roll-up's

    @property
    def covered(self) -> int:
        return sum(g.covered for g in self.groups if g.group != UnitGroup.OWN)

    @property
    def expected(self) -> int:
        return sum(g.expected for g in self.groups if g.group != UnitGroup.OWN)

    @property
    def complete(self) -> bool:
        """Every expected unit's figures are in, and no roll-up below lacks some of its own."""
        return all(g.covered == g.expected and not g.partial for g in self.groups if g.expected)

    @property
    def any(self) -> bool:
        return any(g.covered for g in self.groups)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(n for g in self.groups for n in g.missing)

    @property
    def partial(self) -> tuple[str, ...]:
        return tuple(n for g in self.groups for n in g.partial)

    @property
    def phrase(self) -> str:
        """Who the figures cover, group by group: '24/26 huyện, thị xã, thành phố và 10/10 sở, ban, ngành'."""
        parts = [group_phrase(fmt.number(g.covered), fmt.number(g.expected), g.noun, g.required, self.source)
                 for g in self.groups if g.group != UnitGroup.OWN and g.expected]
        own = [g.noun for g in self.groups if g.group == UnitGroup.OWN and g.covered]
        return groups_phrase(parts, own[0] if own else "")

    @property
    def levels(self) -> str:
        """The levels of the covered units in words: 'cấp xã; sở, ban, ngành'."""
        return "; ".join(dict.fromkeys(g.level for g in self.groups if g.covered and g.level))

    @property
    def days(self) -> str:
        """The days the figures run to: '10/06/2024' or 'từ 10/06/2024 đến 13/06/2024'."""
        return days_text(self.runs_to)

    @property
    def until(self) -> str:
        """'số liệu đến ngày 14/06/2024', 'số liệu đến các ngày từ 10/06/2024 đến 14/06/2024' ('' when not known)."""
        return days_phrase(self.runs_to)

    def describe(self) -> str:
        """The basis in one line for the check sheet."""
        cover = "số liệu của chính đơn vị" if self.own else self.phrase
        gone = f"; chưa có: {', '.join(self.missing)}" if self.missing else ""
        part = f"; tổng hợp chưa đủ đơn vị trực thuộc: {', '.join(self.partial)}" if self.partial else ""
        return f"{cover}{gone}{part}"


@dataclass(frozen=True)
class Source:
    """One unit's part of a figure: where it is written (its file, sheet and cell) and its value there."""
    unit_code: str
    unit: str  # the unit's name
    file: str  # the file name ('' when not known: a roll-up written before files were kept)
    sheet: str
    cell: str  # a cell ('E12'), or a column range with what is counted in it
    value: float | None


@dataclass(frozen=True)
class Claim:
    """A figure with its basis. ``key`` names what it is for a machine ('i.TT01', 'm.luot_tiep', 'qh.open',
    'rank.TD13.territorial.best'; docs/narrative.md lists them), ``rule`` how it is computed, for a reader."""
    key: str
    title: str
    unit: str  # the unit of measure ('cuộc', '%', 'đơn vị')
    kind: str  # count | ratio | score
    value: float | None
    basis: Basis
    rule: str = ""
    sources: tuple[Source, ...] = ()
    rollup_cell: str = ""  # where the roll-up writes it ('Tổng hợp chỉ tiêu!D20'), when it does
    num: "Claim | None" = None  # a rate's summed numerator and denominator
    den: "Claim | None" = None
    previous: "Claim | None" = None  # last year's figure, when the history has it
    comparable: bool = False  # last year's figure is of the same basis: the change may be printed
    check: str = ""  # why the change is not given as a percentage ('cần kiểm tra: ...'), or ''
    parts: tuple["Claim", ...] = ()  # the figure group by group (a count of units; reception days by level)
    group: UnitGroup | None = None  # the group a part covers
    spread: "Range | None" = None  # a figure that does not add up across units: its smallest and largest unit's
    averaged: "Claim | None" = None  # a score's mean: the number of units it averages

    @property
    def complete(self) -> bool:
        return self.basis.complete

    @property
    def zero(self) -> bool:
        """The figure is zero over every expected unit: only then may a sentence say "không có", "chưa"."""
        return self.value == 0 and self.basis.complete

    @property
    def known(self) -> bool:
        return self.value is not None

    def part(self, group: str) -> "Claim | None":
        """The figure of one group ('territorial', 'department', 'abolished', 'own'), None when not given."""
        return next((p for p in self.parts if p.group is not None and p.group.value == group), None)


@dataclass(frozen=True)
class Range:
    """A figure that does not add up across units (a catalogue's size, a rate of catalogues): the smallest and the
    largest unit's, over ``n`` units (dvcq.model.Spread), each a claim."""
    lo: Claim
    hi: Claim
    n: Claim


def derived(key: str, title: str, unit: str, value, basis: Basis, rule: str, sources=(), kind: str = "count",
            **kw) -> Claim:
    """A claim of a count the narrative derives (units, cases, tasks), not an indicator of a form."""
    return Claim(key, title, unit, kind, value, basis, rule, tuple(sources), **kw)


# --- where the text prints a claim ------------------------------------------------------------------

OPEN, MID, CLOSE = "\ue000", "\ue001", "\ue002"  # private-use characters: never in a template or a unit's text
_MARK = re.compile(f"{OPEN}(\\d+){MID}(.*?){CLOSE}", re.S)


class Marks:
    """The claims printed while a template renders, each by the index its marker carries."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []

    def __call__(self, claim: Claim, text: str) -> str:
        """``text`` (the printed figure) marked as the print of ``claim``."""
        if not text:
            return text
        self.claims.append(claim)
        return f"{OPEN}{len(self.claims) - 1}{MID}{text}{CLOSE}"


def strip(text: str) -> str:
    """The text without its marks."""
    return _MARK.sub(lambda m: m.group(2), text)


@dataclass(frozen=True)
class CheckRow:
    """A figure as printed: the section and sentence it is in, the printed text, the claim behind it."""
    section: str
    sentence: str
    shown: str
    claim: Claim


_HEADING = re.compile(r"^#{1,2} ")


def check_rows(text: str, marks: Marks) -> list[CheckRow]:
    """Every marked figure of a rendered text with its section (the headings above it) and its sentence."""
    out: list[CheckRow] = []
    h1 = h2 = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            h2 = strip(line[3:])
            continue
        if line.startswith("# "):
            h1, h2 = strip(line[2:]), ""
            continue
        if OPEN not in line:
            continue
        clean, spans = _unmark(line.lstrip("> "))
        section = " - ".join(s for s in (h1, h2) if s) or "Mở đầu"
        for start, end, index in spans:
            out.append(CheckRow(section, sentence_at(clean, start), clean[start:end], marks.claims[index]))
    return out


def _unmark(line: str) -> tuple[str, list[tuple[int, int, int]]]:
    parts, spans, pos, size = [], [], 0, 0
    for m in _MARK.finditer(line):
        parts.append(line[pos:m.start()])
        size += m.start() - pos
        shown = m.group(2)
        spans.append((size, size + len(shown), int(m.group(1))))
        parts.append(shown)
        size += len(shown)
        pos = m.end()
    parts.append(line[pos:])
    return "".join(parts), spans


def sentence_at(paragraph: str, index: int) -> str:
    """The sentence of a paragraph around a position: from the previous sentence end ('. ' before a capital
    letter) to the next."""
    ends = [m.end() for m in re.finditer(r"[.!?:;]\s+(?=[\"“(]?[^\W\d_])", paragraph)
            if paragraph[m.end():m.end() + 1].isupper()]
    start = max((e for e in ends if e <= index), default=0)
    stop = min((e for e in ends if e > index), default=len(paragraph))
    return paragraph[start:stop].strip()


@dataclass(frozen=True)
class Warning:
    """Something the signer must know before signing, said on the console, in --json and in the check sheet."""
    code: str  # 'dated-before-received'
    message: str
