"""Typed models at the seams of the pipeline: what validation extracts from a file, what consolidation
builds from those, and what a roll-up carries to the level above and to the narrative.

- ``FormSummary``: the aggregates of one form file (validation produces it);
- ``Values``: a unit's additive values (counts, score sums, crosstab cells), or their totals, and the spread
  (smallest, largest) of the figures that do not add up (``Spread``);
- ``ReceptionTally``: the heads' periodic reception days of one level against the law's minimum, additive;
- ``Target``: a unit's target for one indicator (from its plan or its report), ``TargetTally``: targets
  of one indicator over units, additive like ``Values``;
- ``Rollup``: a consolidation (units × values, additive totals, ledger, overdue references, texts,
  plan progress by lead body, rollout targets, indicator targets), written into a roll-up's hidden data
  and read back from it unchanged (dvcq.rollup.writer, dvcq.intake.readback);
- ``UnitGroup``: which group of a consolidation's expected units a ledger entry or a unit belongs to
  (territorial children, declared bodies, the issuer's own files).

All hold aggregates and case references only, no personal data, and pickle across the spawned
workers (they are module level). The ``*_json`` methods are the roll-up's hidden-data encoding.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import Enum

from dvcq.text import fold

SCORE_SUM, SCORE_N = "__sum", "__n"  # flat keys of a score's sum and count (hidden data, history)
SPREAD_LO, SPREAD_HI, SPREAD_N = "__min", "__max", "__units"  # flat keys of a non-additive figure's spread
CROSS = "x."  # flat key prefix of a crosstab cell: "x.<row value>|<column value>"


class UnitName(str):
    """A unit's name as a list prints it, carrying the unit's code: names are ambiguous (two "Phường Ba Đình" in
    one province), so a list of units that are missing is grouped by district from the codes
    (dvcq.documents.decree.unit_list), while it prints, joins and compares as the name it is."""
    code: str

    def __new__(cls, name: str, code: str = "") -> "UnitName":
        self = super().__new__(cls, name)
        self.code = code
        return self

    def __reduce__(self):
        return UnitName, (str(self), self.code)


class UnitGroup(str, Enum):
    """A group of the expected units of a consolidation; the definition order is the order of the
    ledger and the unit tables (each group with its subtotal, then the grand total). The value is the
    hidden data's encoding; an entry without one (an older roll-up) is TERRITORIAL."""
    # a province's districts of the three-tier registry, which report the part before 1/7/2025 of a period
    # that straddles the 2025 reform (dvcq.calendar.periods.Part); their rows come first, as their part does
    ABOLISHED = "abolished"
    TERRITORIAL = "territorial"  # the parent's territorial children: districts, or communes
    # the units between the parent and its communes when it consolidates every commune directly (a province's
    # districts): each one's own files (its plan, log, report) are its own row, as in its own roll-up
    MIDDLE = "middle"
    DEPARTMENT = "department"  # the parent's declared reporting bodies (sở, ban, ngành): templates/co-quan.yaml
    OWN = "own"  # the issuer itself: files whose unit code is the parent's own (its plan, log, report)

    @classmethod
    def of(cls, value: str | None) -> "UnitGroup":
        """The group of a hidden-data value; missing (an older roll-up) is TERRITORIAL."""
        return cls(value) if value else cls.TERRITORIAL


GROUP_ORDER = tuple(UnitGroup)


@dataclass(frozen=True)
class Score:
    """A score summed over the units that gave one (a mean is total / n, never a mean of means)."""
    total: float
    n: int


@dataclass(frozen=True)
class Spread:
    """A figure that does not add up across units (a catalogue's size, a rate of catalogues, a unit's statement of
    its own duty), over the units that gave it: the smallest and the largest, never a sum. Spreads combine (the
    least of the least, the most of the most), so a province's is the same from its districts' roll-ups."""
    lo: float
    hi: float
    n: int  # units with the figure

    def __add__(self, other: "Spread") -> "Spread":
        return Spread(min(self.lo, other.lo), max(self.hi, other.hi), self.n + other.n)


@dataclass
class Values:
    """Additive values of a unit, or the totals of several: they add up, ratios and means do not. A figure that
    does not add up (``additive: false`` in the specification) is a unit's count and, over units, a ``Spread``."""
    counts: dict[str, float] = field(default_factory=dict)  # indicator counts, log and plan measures
    scores: dict[str, Score] = field(default_factory=dict)
    crosstab: dict[tuple[str, str], int] = field(default_factory=dict)  # (row value, column value) -> n
    spreads: dict[str, Spread] = field(default_factory=dict)  # non-additive figures: smallest, largest, units

    def flat(self) -> dict[str, float]:
        """One number per key (the encoding of the roll-up's hidden data and of the history database)."""
        out = dict(self.counts)
        for k, s in self.scores.items():
            out[k + SCORE_SUM], out[k + SCORE_N] = s.total, s.n
        for (a, b), n in self.crosstab.items():
            out[f"{CROSS}{a}|{b}"] = n
        for k, r in self.spreads.items():
            out[k + SPREAD_LO], out[k + SPREAD_HI], out[k + SPREAD_N] = r.lo, r.hi, r.n
        return out

    @classmethod
    def from_flat(cls, flat: dict[str, float]) -> "Values":
        """The inverse of ``flat``."""
        out = cls()
        for k, v in flat.items():
            if k.startswith(CROSS) and "|" in k:
                a, b = k[len(CROSS):].split("|", 1)
                out.crosstab[(a, b)] = int(v)
            elif k.endswith(SCORE_SUM):
                code = k[:-len(SCORE_SUM)]
                out.scores[code] = Score(v, int(flat.get(code + SCORE_N, 0)))
            elif k.endswith(SPREAD_LO):
                code = k[:-len(SPREAD_LO)]
                out.spreads[code] = Spread(v, flat.get(code + SPREAD_HI, v), int(flat.get(code + SPREAD_N, 0)))
            elif not k.endswith((SCORE_N, SPREAD_HI, SPREAD_N)):
                out.counts[k] = v
        return out


@dataclass(frozen=True)
class Target:
    """A unit's target for one indicator of the periodic report, in the indicator's own scale (a rate as a
    fraction, 1.0 for 100%), from the unit's plan (which wins) or entered in its report."""
    code: str
    value: float
    source: str  # plan | report
    sheet: str  # where it is written: the sheet and cell of its file
    cell: str
    text: str = ""  # the plan's own words ("100% thủ tục ... trực tuyến toàn trình"), when given


@dataclass(frozen=True)
class TargetTally:
    """The targets of one indicator over units; it adds up, so a province's tally is the same from its
    districts' roll-ups as from every commune. Each unit with the figure or a target is a tally of one.

    ``figures``: units with the figure (a rate with a denominator); ``units``: units that set a target;
    ``reported``: units with both; ``reached``: of those, units whose figure reached their own target.
    ``target`` and ``value`` sum the targets and the figures of the ``reported`` units of a count (its total
    is compared on them); ``shared`` counts the ``reported`` units of a rate or score by target value, so its
    total is compared with a target only when every unit shares it (rates and scores do not add up)."""
    figures: int = 0
    units: int = 0
    reported: int = 0
    reached: int = 0
    target: float = 0
    value: float = 0
    shared: tuple[tuple[float, int], ...] = ()  # (target, units), sorted by target

    def __add__(self, other: "TargetTally") -> "TargetTally":
        shared = dict(self.shared)
        for t, n in other.shared:
            shared[t] = shared.get(t, 0) + n
        return TargetTally(self.figures + other.figures, self.units + other.units, self.reported + other.reported,
                           self.reached + other.reached, self.target + other.target, self.value + other.value,
                           tuple(sorted(shared.items())))

    def to_json(self) -> dict:
        """The fields that are not zero (most units of a roll-up have the figure and no target)."""
        out = {k: v for k, v in (("figures", self.figures), ("units", self.units), ("reported", self.reported),
                                 ("reached", self.reached), ("target", self.target), ("value", self.value)) if v}
        if self.shared:
            out["shared"] = [list(p) for p in self.shared]
        return out

    @classmethod
    def from_json(cls, d: dict) -> "TargetTally":
        return cls(*(int(d.get(k, 0)) for k in ("figures", "units", "reported", "reached")),
                   d.get("target", 0), d.get("value", 0), tuple((t, int(n)) for t, n in d.get("shared") or ()))


@dataclass(frozen=True)
class ReceptionTally:
    """The heads' periodic citizen-reception days of one level (commune, district, province, department) over the
    units that reported them: the days held against the law's minimum, computed per unit from its level and the
    days it reports on (dvcq.calendar.reception), never what units typed. Additive by level, so a province's
    tallies are the same from its districts' roll-ups as from every file, and levels are never pooled."""
    level: str
    units: int = 0  # units with the figure
    held: float = 0  # days held (the report's "đã thực hiện"), summed
    required: int = 0  # the law's minimum of each of those units, summed
    reached: int = 0  # units that held at least their own minimum
    stated: int = 0  # units whose own "phải thực hiện" differs from the law's minimum (warned at validation)

    def __add__(self, other: "ReceptionTally") -> "ReceptionTally":
        return ReceptionTally(self.level, self.units + other.units, self.held + other.held,
                              self.required + other.required, self.reached + other.reached,
                              self.stated + other.stated)

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("units", "held", "required", "reached", "stated")}

    @classmethod
    def from_json(cls, level: str, d: dict) -> "ReceptionTally":
        return cls(level, int(d.get("units", 0)), d.get("held", 0), int(d.get("required", 0)),
                   int(d.get("reached", 0)), int(d.get("stated", 0)))


def add_reception(total: dict[str, ReceptionTally], tallies) -> None:
    """Add tallies into ``total`` (level -> tally), level by level."""
    for t in tallies:
        mine = total.get(t.level)
        total[t.level] = t if mine is None else mine + t


RECEPTION_ORDER = ("province", "department", "district", "commune")  # the levels in the order a report states them


@dataclass(frozen=True)
class OverdueCase:
    """An accepted case past its time limit, still open ("open") or resolved late ("late"): a reference,
    never a name. For a denunciation (tố cáo) the date and field are left out, so nothing narrows down
    who denounced."""
    ref: str  # unit code and the log's case reference
    unit_code: str
    date: str | None  # ISO date of acceptance (ngày thụ lý), which the limit runs from
    phan_loai: str
    linh_vuc: str | None
    days_open: int  # days from acceptance to the cut-off (open) or to the resolution (late)
    limit: int
    status: str = "open"  # open | late
    rule: str = "thời hạn luật định"  # or "thời hạn theo quy định của tỉnh"
    via: str = ""  # the unit of the roll-up it is counted under: the unit itself, or the district whose roll-up holds it
    source: str = ""  # where the limit is written (templates/thoi-han.yaml); "" in a roll-up written before it travelled

    @property
    def cited(self) -> tuple[str, str]:
        """The law and the article of ``source``, without its gloss in brackets: ('Luật Khiếu nại 2011', '37'); a
        source without an article (a province's decision) whole, with ''; ('', '') when no source travelled."""
        law, _, article = self.source.split(" (", 1)[0].partition(", Điều ")
        return law, article

    @property
    def basis(self) -> str:
        """The limit's rule, law and article: 'thời hạn luật định, Luật Khiếu nại 2011, Điều 37' (a row of the overdue
        list stays two lines high)."""
        law, article = self.cited
        return ", ".join(x for x in (self.rule, law, f"Điều {article}" if article else "") if x)


@dataclass(frozen=True)
class OverdueTask:
    """A plan task past its deadline and not finished."""
    ref: str
    unit_code: str
    nhom: str | None
    noi_dung: str | None
    thoi_han: str  # ISO date
    days_late: int
    chu_tri: str | None = None  # the lead body as written (None in roll-ups written before it was kept)


@dataclass(frozen=True)
class BodyProgress:
    """The plan tasks one lead body (đơn vị chủ trì) leads, in one unit's plan or added up over several
    (dvcq.intake.progress: bodies are matched by folded name, the first spelling is kept). Additive."""
    key: str  # dvcq.text.fold of the name; "" for the tasks that name no lead
    name: str  # as first written ("" for the tasks that name no lead)
    units: int  # how many units' plans give the body tasks
    counts: dict[str, int]  # the plan's task measures over its tasks (nv_tong, nv_xong, nv_dang...)
    overdue: int  # dated tasks past their deadline and not finished (the rule of OverdueTask)
    recurring: dict[str, dict[str, int]]  # recurring deadline term ("Thường xuyên") -> the same measures


@dataclass(frozen=True)
class RolloutTarget:
    """The target of a plan's rollout of the model (the cells above its "Lộ trình" table), and how many
    units' plans set it; a plan that sets none counts under year and share None. Additive by value."""
    year: int | None  # the year the target is for
    share: float | None  # the share of units to have launched the model by then, in percent
    units: int = 1


@dataclass(frozen=True)
class RolloutListing:
    """One unit a plan's rollout lists (a row of its sheet "Lộ trình"), with the plan that lists it: the roll-up
    counts each unit once ("N/M đơn vị đã ra mắt"), whichever plans list it, and says when two plans disagree."""
    unit_code: str  # the listed unit's code; "" when the row gives a name the registry does not resolve
    unit_name: str
    year: int | None
    launched: bool  # the row meets the plan's measure of launched units (trạng thái "Đã ra mắt")
    plan_code: str  # the unit whose plan lists it
    plan_name: str
    row: int = 0  # the row of the plan's sheet "Lộ trình"
    # the registry era the plan was read in ('legacy', '2025'; '' in a roll-up written before): a code of 2025 may be
    # a commune of the three-tier registry too (16228 Thị trấn Bến Sung, then Xã Như Thanh), two units
    era: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """The listed unit: its era and its code, else (no code) its folded name."""
        return (self.era, self.unit_code, "" if self.unit_code else fold(self.unit_name))


@dataclass(frozen=True)
class PlanTask:
    """One task of a plan (a row of its sheet "Nhiệm vụ"), as a report names it: what it is, who leads it, when it
    is due (an ISO date, or a term as written: "Thường xuyên"), its status and the day it was done (ISO)."""
    row: int
    group: str
    text: str
    lead: str
    due: str
    status: str
    done: str = ""

    @property
    def due_day(self) -> date | None:
        """The deadline when it is a date (only such a task is due on a day, or overdue)."""
        try:
            return date.fromisoformat(self.due)
        except ValueError:
            return None

    @property
    def done_day(self) -> date | None:
        return date.fromisoformat(self.done) if self.done else None


@dataclass(frozen=True)
class PlanRef:
    """A plan of another body a plan implements (a row of kind "Kế hoạch" of its sheet "Kế hoạch", numbered): the upper
    level's plan a report cites beside its own."""
    number: str
    signed: str  # ISO, '' when not given
    issuer: str
    title: str


@dataclass(frozen=True)
class PlanOutline:
    """What a report cites of a unit's own plan (its sheet "Kế hoạch" and "Nhiệm vụ"): number ("12/KH-UBND", ''
    when left blank for signing), date of issue (ISO, '' when blank), title, issuing body as written, the file, the
    day its figures run to (ISO) and its tasks. A roll-up keeps its issuer's own (``Rollup.own_plan``)."""
    unit_code: str
    number: str
    signed: str
    title: str
    issuer: str
    tasks: tuple[PlanTask, ...] = ()
    file: str = ""
    as_of: str = ""
    upper: tuple[PlanRef, ...] = ()  # the numbered plans of other bodies it implements (its bases of kind Kế hoạch)

    @property
    def signed_day(self) -> date | None:
        return date.fromisoformat(self.signed) if self.signed else None

    def to_json(self) -> dict:
        """The outline without its tasks (the hidden data keeps them as a list of their own)."""
        out = {k: getattr(self, k) for k in ("unit_code", "number", "signed", "title", "issuer", "file", "as_of")}
        if self.upper:
            out["upper"] = [asdict(u) for u in self.upper]
        return out

    @classmethod
    def from_json(cls, d: dict, tasks: tuple[PlanTask, ...] = ()) -> "PlanOutline":
        return cls(**{k: v for k, v in d.items() if k != "upper"}, tasks=tasks,
                   upper=tuple(PlanRef(**u) for u in d.get("upper") or ()))


@dataclass(frozen=True)
class UnitText:
    """One assessment text of one unit (a report's text section)."""
    unit_code: str
    unit: str  # the unit's name
    code: str  # the text's code in the report specification
    text: str
    via: str = ""  # the unit whose roll-up brought it (a district's, in a province's roll-up); '' when its own file


@dataclass(frozen=True)
class Coverage:
    """How many of the expected units a set of figures covers (dvcq.rollup.coverage counts it)."""
    expected: int
    covered: int
    missing: tuple[str, ...] = ()  # names of expected units whose figures are not in
    partial: tuple[str, ...] = ()  # covered units whose own figures lack some of their units
    partial_counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (covered, expected)

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.covered == self.expected and not self.partial

    @property
    def fraction(self) -> str:
        return f"{self.covered}/{self.expected}"

    def to_dict(self) -> dict:
        return {"expected": self.expected, "covered": self.covered, "missing": list(self.missing),
                "partial": list(self.partial), "complete": self.complete, "fraction": self.fraction}


@dataclass(frozen=True)
class LedgerEntry:
    """What the level above and the narrative need of one expected unit's submission."""
    unit_code: str
    unit_name: str
    submitted: bool
    on_time: bool | None
    status: str  # ok | invalid | missing (labels in dvcq.forms.labels.STATUS)
    forms: tuple[str, ...] = ()  # form ids of the files that went into the totals
    covers: dict[str, tuple[int, int]] = field(default_factory=dict)  # a roll-up's own (covered, expected)
    group: UnitGroup = UnitGroup.TERRITORIAL
    # the first and the last day the unit's figures run to (its files' FormSummary.as_of; a roll-up's own
    # range); None when nothing of it is in (or a roll-up written before it was kept)
    runs_to: tuple[date, date] | None = None
    received: str = ""  # ISO time the latest of its files counted was received (saved)
    files: dict[str, str] = field(default_factory=dict)  # form id -> the name of its file counted

    def to_json(self) -> dict:
        out = {"unit_code": self.unit_code, "unit_name": self.unit_name, "submitted": self.submitted,
               "on_time": self.on_time, "status": self.status, "forms": list(self.forms),
               "covers": {k: list(v) for k, v in self.covers.items()}, "group": self.group.value}
        if self.runs_to:
            out["runs_to"] = [d.isoformat() for d in self.runs_to]
        if self.received:
            out["received"] = self.received
        if self.files:
            out["files"] = dict(self.files)
        return out

    @classmethod
    def from_json(cls, d: dict) -> "LedgerEntry":
        runs = d.get("runs_to")
        return cls(d["unit_code"], d["unit_name"], d["submitted"], d["on_time"], d["status"],
                   tuple(d.get("forms") or ()), {k: (int(v[0]), int(v[1])) for k, v in (d.get("covers") or {}).items()},
                   UnitGroup.of(d.get("group")),
                   (date.fromisoformat(runs[0]), date.fromisoformat(runs[1])) if runs else None,
                   d.get("received") or "", dict(d.get("files") or {}))


@dataclass(frozen=True)
class UnitValues:
    """One included unit of a roll-up with its additive values and the tallies of its targets by code."""
    code: str
    name: str
    values: Values
    group: UnitGroup = UnitGroup.TERRITORIAL
    targets: dict[str, TargetTally] = field(default_factory=dict)


@dataclass
class FormSummary:
    """The aggregates of one form file (periodic report, reception log or plan)."""
    form_id: str
    unit_code: str | None
    period: str
    indicators: dict[str, float | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # text code -> text
    measures: dict[str, float] = field(default_factory=dict)
    crosstab: dict[tuple[str, str], int] = field(default_factory=dict)
    overdue_cases: list[OverdueCase] = field(default_factory=list)
    overdue_tasks: list[OverdueTask] = field(default_factory=list)
    bodies: list[BodyProgress] = field(default_factory=list)  # a plan's tasks by lead body
    rollout_target: RolloutTarget | None = None  # a plan's rollout target (year and share None when it sets none)
    rollout: list[RolloutListing] = field(default_factory=list)  # the units a plan's rollout lists
    targets: dict[str, Target] = field(default_factory=dict)  # indicator code -> the file's target (report, plan)
    # the day the file's figures run to (dvcq.calendar.deadlines.file_day: the route's day by the calendar, the
    # file's "Ngày lập" when earlier, its last dated row when later); its overdue cases and tasks are counted
    # at it. prepared: the "Ngày lập" as written; last_row: the latest date of its rows in the period
    as_of: date | None = None
    prepared: date | None = None
    last_row: date | None = None
    reception: ReceptionTally | None = None  # a report's head's reception days against the law's minimum
    plan: PlanOutline | None = None  # a plan's number, date, title and tasks (what its unit's report cites)


@dataclass
class Rollup:
    """A consolidation of one parent unit and period: what its roll-up workbook carries in its hidden
    data. Consolidation builds it from the units' summaries; dvcq.intake.readback reads it back equal."""
    unit_code: str
    unit_name: str
    period: str  # period code
    totals: Values = field(default_factory=Values)
    units: list[UnitValues] = field(default_factory=list)  # included units, in table order (by group)
    ledger: list[LedgerEntry] = field(default_factory=list)  # every expected unit
    overdue_cases: list[OverdueCase] = field(default_factory=list)
    overdue_tasks: list[OverdueTask] = field(default_factory=list)
    texts: list[UnitText] = field(default_factory=list)
    bodies: list[BodyProgress] = field(default_factory=list)  # the units' plan tasks by lead body, added up
    rollout_targets: list[RolloutTarget] = field(default_factory=list)  # the units' rollout targets, one per value
    targets: dict[str, TargetTally] = field(default_factory=dict)  # the units' indicator targets added up, by code
    # the heads' periodic reception days by level, against the law's minimum (a roll-up written before has none)
    reception: dict[str, ReceptionTally] = field(default_factory=dict)
    rollout: list[RolloutListing] = field(default_factory=list)  # every unit the units' plans list, with its plan
    own_plan: PlanOutline | None = None  # the issuer's own plan, when its file is among those consolidated

    def groups(self) -> list[UnitGroup]:
        """The groups of the ledger, in GROUP_ORDER."""
        present = {e.group for e in self.ledger} | {u.group for u in self.units}
        return [g for g in GROUP_ORDER if g in present]

    def group_units(self, group: UnitGroup) -> list[UnitValues]:
        return [u for u in self.units if u.group == group]

    def group_ledger(self, group: UnitGroup) -> list[LedgerEntry]:
        return [e for e in self.ledger if e.group == group]

    def runs_to(self, group: UnitGroup | None = None) -> tuple[date, date] | None:
        """The first and the last day the figures of its units (of one group) run to; None when none is known."""
        spans = [e.runs_to for e in self.ledger if e.runs_to and (group is None or e.group == group)]
        return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


_PLAIN = (str, int, float, bool)  # values asdict would return as they are


_NAMES: dict[type, tuple[str, ...]] = {}  # a list item class's field names, in order (``item_json``)


def item_json(item) -> dict:
    """A frozen list item (case, task, text) as kept in the hidden data (a text's empty ``via`` left out, so a
    roll-up of raw files keeps the layout it had)."""
    names = _NAMES.get(type(item))
    if names is None:
        names = _NAMES[type(item)] = tuple(f.name for f in fields(item))
    out = {k: getattr(item, k) for k in names}
    if not all(v is None or type(v) in _PLAIN for v in out.values()):  # nested values: copied as asdict does
        out = asdict(item)
    if isinstance(item, UnitText) and not item.via:
        out.pop("via")
    return out


# Ratios are derived from summed numerators and denominators, never summed or averaged themselves.
def ratio(num, den) -> float | None:
    """num / den, None when the denominator is zero or missing."""
    return None if not den else num / den


def sum_of(values: dict, codes) -> float:
    """The sum of the given values (missing and empty count as 0)."""
    return sum(values.get(c) or 0 for c in codes)


def ratio_of(values: dict, numerator, denominator) -> float | None:
    """A ratio from summed numerators and denominators."""
    return ratio(sum_of(values, numerator), sum_of(values, denominator))
