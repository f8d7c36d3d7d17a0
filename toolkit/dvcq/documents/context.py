"""The data a narrative report is written from: a roll-up or a commune's own periodic report.

`build_context` returns a ``ReportContext`` whose fields are the variables of the text templates in
templates/report (documented in docs/narrative.md). Every figure in it is a claim (dvcq.documents.claims):
its value with the units it covers out of those expected, their level, the window and the days the figures
run to, the rule it was computed by and its sources. No personal data enters it: only totals, units'
values, case references and counts, and the units' own assessment texts.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path

from dvcq import fmt, outputs
from dvcq.calendar.deadlines import calendar_of, figures_date, route_of
from dvcq.calendar.parts import parts_of
from dvcq.calendar.periods import parse
from dvcq.calendar.timelimits import load_rules
from dvcq.errors import BookError, UserError
from dvcq.forms.labels import reform_note as reform_note_of
from dvcq.forms.spec import LOG, PLAN, REPORT, ROLLUP_FORM_ID, load_form
from dvcq.intake.readback import load_rollup
from dvcq.intake.validate import validate_paths
from dvcq.model import RECEPTION_ORDER, LedgerEntry, Rollup, TargetTally, UnitGroup, UnitName, UnitText, UnitValues
from dvcq.rollup import progress
from dvcq.rollup.aggregate import additive, derive, reception_of
from dvcq.rollup.compare import Sets, reason
from dvcq.rollup.coverage import submissions, unit_set
from dvcq.rollup.layout import load_layout
from dvcq.rollup.expected import last_year_run
from dvcq.rollup.store import group_figures, previous_figures
from dvcq.rollup.targets import Comparison, by_group, compare, comparisons, outcome, reached, unit_tallies
from dvcq.text import unit_running as running_name
from dvcq.units.groups import group_noun, heads, kinds_of, middle_noun, territorial_kinds
from dvcq.units.registry import ACROSS_REFORM, BODY_LEVEL, NOT_COMPARABLE, comparison, era_of, for_period, unit_part

from . import decree
from .claims import Basis, Claim, GroupCover, Range, Source, Warning, days_text, derived
from .decree import Signature
from .figures import Figures, Words, rollup_cells, where_in_file
from .ownplan import PlanCitation, PlanTasks, citation, plan_tasks
from .sections import IssuerTexts, issuer_texts
from .texts import TextPoint, texts

AREA = {"country": "cả nước", "province": "toàn tỉnh", "district": "toàn huyện", "commune": "toàn xã"}
OVERDUE_NAMES = 10  # units named with their open overdue cases; the others are counted ("và N đơn vị khác")
TIE_NAMES = 3  # units named at the best or the worst value; more are counted ("5 đơn vị cùng đạt 100%")
LATE_BODIES = 5  # lead bodies named with their overdue tasks


@dataclass(frozen=True)
class Issuer:
    parent_body: str  # "UBND HUYỆN NHƯ THANH" above a commune's name; empty at the top
    body: str
    unit_name: str  # upper case, as printed under the body
    place: str
    level: str
    phrase: str  # the unit's name as it runs in a sentence ("huyện Như Thanh")
    code: str
    era: str  # the registry era (three-tier or two-tier)
    who: str = ""  # the issuer as the subject of a sentence: "Ủy ban nhân dân xã Cán Khê", "Sở Nội vụ"


@dataclass(frozen=True)
class PeriodView:
    code: str
    slug: str  # the code as a file name holds it ("2024-CD-20240315-20240930")
    label: str
    running: str  # the label inside a sentence ("quý II năm 2024", "năm 2024")
    title: str  # the subject line under "BÁO CÁO"
    kind: str  # Q1..Q4, H1, H2, 9M, Y, CD (chuyên đề), DX (đột xuất)
    windowed: bool  # a thematic or ad-hoc report, whose window the request named
    year: int
    start: date  # the data window (the issuer's province's, when its calendar sets one)
    end: date
    next: str  # the next period's label ("6 tháng cuối năm 2024")
    figures_to: date | None  # by the calendar alone: the data are due before the window ends (see ``as_of``)
    part: str = ""  # 'phần trước 01/7/2025' / 'phần từ 01/7/2025' for a period straddling the 2025 reform
    due: date | None = None  # the day the report itself is due up (its route's deadline), None at the top
    previous: str = ""  # the same period last year, in a sentence ("6 tháng đầu năm 2023"): a comparison's bracket


@dataclass(frozen=True)
class Covers:
    """Who each source's figures cover (dvcq.documents.claims.Basis)."""
    report: Basis
    log: Basis
    plan: Basis


@dataclass(frozen=True)
class GroupDays:
    noun: str
    first: date
    last: date

    @property
    def days(self) -> str:
        return days_text((self.first, self.last))


@dataclass(frozen=True)
class AsOf:
    """The days the counted figures run to (each file's FormSummary.as_of), for "Số liệu tính đến …": one
    day when every unit's figures run to it, else the range, group by group when the groups differ. A
    province's part before 1/7/2025 (the abolished districts) is left out: it runs to its part's end."""
    first: date | None
    last: date | None
    end: date  # the window's (or part's) last day
    groups: tuple[GroupDays, ...] = ()  # each group's days, when the groups' days differ
    calendar: date | None = None  # a roll-up written before files' days were kept: the calendar's day alone

    @property
    def known(self) -> bool:
        return self.first is not None

    @property
    def one(self) -> bool:
        return self.first is not None and self.first == self.last

    @property
    def short(self) -> bool:
        """The figures stop before the window's last day (the sentence says so)."""
        return self.last is not None and self.last < self.end

    @property
    def days(self) -> str:
        return days_text((self.first, self.last)) if self.first else ""


@dataclass(frozen=True)
class UnitCount:
    unit: str
    count: Claim


@dataclass(frozen=True)
class OverdueView:
    """Accepted cases past their time limit, in one part: the abolished districts' part (``past``: told at its
    last day, in the past tense), or the units reporting to the end of the period."""
    who: str  # '' for all the units of the roll-up; 'các huyện, thị xã, thành phố (trước sắp xếp)' for the abolished
    # districts' part, 'các xã, phường và các sở, ban, ngành' for the rest beside it
    basis: Basis  # the reception logs it counts
    past: bool
    open: Claim  # open at the day each log's figures run to
    late: Claim  # resolved after their limit
    units: tuple[UnitCount, ...]  # the units with open cases, the most first (at most OVERDUE_NAMES)
    law: str  # the limits the open cases were held to (limits_cited), '' without open cases
    law_late: str  # the limits the cases resolved late were held to, '' without such cases
    others: Claim | None  # the units with open cases beyond those named, and their cases
    others_cases: Claim | None


@dataclass(frozen=True)
class RankEnd:
    names: tuple[str, ...]  # every unit at that value (as printed)
    value: Claim
    tied: Claim  # how many units are at it


@dataclass(frozen=True)
class Rank:
    """The best and the worst units of a key rate within one group (units of one level over the same days)."""
    code: str
    title: str
    noun: str  # the group: 'xã, thị trấn'
    rated: Claim  # the units ranked (those of the group with the rate)
    complete: bool  # every expected unit of the group is ranked
    best: RankEnd
    worst: RankEnd


@dataclass(frozen=True)
class Reception:
    """The heads' periodic reception days of one level, never pooled across levels, against the law's minimum for
    each unit's level and own days (dvcq.model.ReceptionTally, dvcq.calendar.reception)."""
    level: str
    who: str  # 'Chủ tịch UBND huyện Như Thanh', 'Chủ tịch UBND các xã, thị trấn', 'Thủ trưởng các sở, ban, ngành'
    units: Claim  # units with the figure
    held: Claim  # days held (the reports' "đã thực hiện"), summed
    required: Claim  # the law's minimum of each of those units over its own days, summed
    reached: Claim  # units that held at least their own minimum
    stated: Claim  # units whose own "phải thực hiện" differs from the law's
    rule: str  # '1 ngày mỗi tuần'
    source: str  # 'Luật Tiếp công dân 2013, Điều 15 khoản 2'
    single: bool  # the issuer's own head, one unit


@dataclass(frozen=True)
class GroupSent:
    noun: str
    submitted: Claim
    expected: Claim


@dataclass(frozen=True)
class FormCover:
    """What one form brought into the totals, for the ledger's paragraph: 'báo cáo định kỳ của 13/14 xã' and the
    units that sent other forms but not this one valid ('chưa có của xã Xuân Du'), counted in that fraction; the
    issuer's own row, which the fraction leaves out when it lacks the form, apart (``own``: 'chưa có kế hoạch của
    chính Ủy ban nhân dân huyện Như Thanh')."""
    label: str
    basis: Basis
    lacking: tuple[str, ...]
    own: bool = False  # the issuer's own row is expected to send this form and has not


@dataclass(frozen=True)
class LedgerView:
    expected: Claim
    submitted: Claim
    on_time: Claim
    late: Claim
    late_names: tuple[str, ...]  # running names of the units
    missing: tuple[str, ...]
    excluded: tuple[str, ...]
    groups: tuple[GroupSent, ...]  # who sent, group by group
    forms: tuple[FormCover, ...]  # the forms whose figures lack some expected unit

    @property
    def phrase(self) -> str:
        """Who sent, group by group, as plain text: '14/14 xã, thị trấn'."""
        return " và ".join(f"{fmt.number(g.submitted.value)}/{fmt.number(g.expected.value)} {g.noun}"
                           for g in self.groups)


@dataclass(frozen=True)
class PlanView:
    basis: Basis
    nv_tong: Claim
    nv_xong: Claim
    nv_dang: Claim
    nv_chua: Claim
    nv_qua_han: Claim
    lt_ke_hoach: Claim
    lt_ra_mat: Claim


@dataclass(frozen=True)
class BodyView:
    name: str
    lead: bool  # a named body (False for the tasks that name none)
    units: Claim
    overdue: Claim
    tasks: Claim


@dataclass(frozen=True)
class RolloutView:
    """The rollout of the model against the plans' target (dvcq.rollup.progress.Rollout), as claims."""
    launched: Claim
    planned: Claim
    share: Claim
    target: Claim | None  # the plans' one target share (percent as a fraction), when every plan sets the same
    year: int | None
    attainment: Claim | None
    differs: bool  # the plans set different targets: none is given
    with_target: Claim
    plans: Claim
    text: str = ""  # the same in words, as the roll-up's plan sheet writes it (dvcq.rollup.progress.rollout_text)


@dataclass(frozen=True)
class ProgressView:
    """The plan's tasks by lead body, its recurring tasks and its rollout against target (dvcq.intake.progress)."""
    late: list[BodyView]  # the lead bodies with overdue tasks, the most behind first (at most LATE_BODIES)
    more: Claim | None  # the other bodies with overdue tasks
    recurring: Claim  # tasks with a recurring deadline (never overdue)
    recurring_active: Claim  # of which being carried out (Đang triển khai)
    terms: list[progress.TermRow]
    rollout: RolloutView | None


@dataclass(frozen=True)
class TargetView:
    """One indicator's figure against its targets (dvcq.rollup.targets.Comparison), as claims."""
    code: str
    title: str
    unit: str
    kind: str
    value: Claim
    target: Claim | None
    percent: Claim | None
    figures: Claim
    units: Claim
    reported: Claim
    reached: Claim
    unreported: Claim
    part_value: Claim | None
    part_target: Claim | None
    part_percent: Claim | None
    spread: Range | None = None  # a rate of catalogues: each unit's own, its smallest and largest


@dataclass(frozen=True)
class PreviousTarget:
    """One indicator's targets of the same period last year, as the history kept them, and whether they were met
    (dvcq.rollup.targets.outcome's cases, as claims): ``met`` against the total target, or the units' part."""
    code: str
    title: str
    unit: str
    kind: str
    value: Claim | None
    target: Claim | None
    figures: Claim
    reported: Claim
    reached: Claim
    part_value: Claim | None
    part_target: Claim | None
    met: bool
    outcome: str  # the same in words, unmarked (dvcq.rollup.targets.outcome), for a template without the check sheet


@dataclass(frozen=True)
class PartView:
    """One part of a period straddling the 2025 reform in a province's roll-up (dvcq.calendar.parts)."""
    start: date
    end: date
    noun: str
    submitted: Claim
    expected: Claim


@dataclass(frozen=True)
class ReceptionView:
    """The heads' periodic reception days of one level against the law's minimum for each unit's level and days
    (dvcq.model.ReceptionTally, dvcq.calendar.reception): one sentence per level, never pooled."""
    level: str
    heads: str  # who held them: "Chủ tịch UBND cấp xã", "Chủ tịch UBND huyện Như Thanh"
    units: int  # units with the figure
    held: float
    required: int  # the law's minimum, summed over those units
    reached: int  # units that held at least their own minimum
    stated: int  # units whose own "phải thực hiện" differs from the law's
    rule: str  # "1 ngày mỗi tuần"
    source: str  # "Luật Tiếp công dân 2013, Điều 15 khoản 2"
    sentence: str


@dataclass(frozen=True)
class ReportContext:
    """Everything the text templates in templates/report see (docs/narrative.md)."""
    issuer: Issuer
    period: PeriodView
    number: str
    place_date: str
    signer: Signature
    recipients: list[str]
    area: str
    own: bool  # a unit's own report, not a roll-up
    unit_code: str
    children: str
    chair: str
    cover: Covers
    i: dict[str, Claim]
    m: dict[str, Claim]
    ledger: LedgerView | None
    overdue: list[OverdueView]
    texts: dict[str, list[TextPoint]]
    plan: PlanView | None
    has_previous: bool
    ranks: list[Rank]
    notes: list[str]
    as_of: AsOf
    reception: list[Reception]
    across_reform: bool = False  # last year's figures are the province's before the 2025 reform
    comparison: str = ""  # why last year's figures are given without a change (another set of units, the reform)
    own_plan: PlanView | None = None  # the issuer's own plan in a roll-up (its own sentence), when it is in
    own_plan_missing: bool = False  # a roll-up whose issuer's own plan is expected and not in
    parts: list[PartView] = ()  # a province's two parts of a period straddling the 2025 reform
    progress: ProgressView | None = None  # with the plan: progress by lead body, recurring tasks, rollout
    targets: tuple[TargetView, ...] = ()  # the indicators some unit set a target for, against it
    # the same period of last year: its targets as the history kept them and whether they were met
    previous_targets: tuple[PreviousTarget, ...] = ()
    previous_label: str = ""  # that period in a sentence ("6 tháng đầu năm 2023", "quý I năm 2023")
    symbol: str = "BC-UBND"  # after the number: "BC-SNV" for a declared body's own report (templates/co-quan.yaml)
    warnings: tuple[Warning, ...] = ()  # what the signer must know (a date before a file was received)
    source: Path | None = None  # the roll-up the report is written from (None: a unit's own files)
    # a roll-up's text sections spoken by the issuer, the units' requests and the annex (None: a unit's own report)
    sections: IssuerTexts | None = None
    # the issuer's own plan when its workbook is among the files (Rollup.own_plan): cited in the opening by number,
    # date and title, its tasks done in the period and due next (dvcq.documents.ownplan)
    plan_cited: PlanCitation | None = None
    plan_tasks: PlanTasks | None = None

    def variables(self) -> dict:
        """The template variables: each field by name (its value unchanged)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class _Source:
    """What the context is built from: a roll-up, or a unit's own files made into a one-unit roll-up."""
    rollup: Rollup
    own: bool
    notes: list[str]
    path: Path | None = None


def _issuer(unit, reg) -> Issuer:
    parent = reg.parent(unit)
    if unit.level == BODY_LEVEL:  # a sở signs under its province: "UBND TỈNH THANH HÓA / SỞ NỘI VỤ"
        return Issuer(parent_body="", body=f"UBND {parent.name.upper()}", unit_name=unit.name.upper(),
                      place=parent.place, level=unit.level, phrase=unit.running_name, code=unit.code, era=reg.era,
                      who=unit.running_name)
    return Issuer(parent_body=f"UBND {parent.name.upper()}" if parent else "", body="ỦY BAN NHÂN DÂN",
                  unit_name=unit.name.upper(), place=unit.place, level=unit.level, phrase=unit.running_name,
                  who=f"Ủy ban nhân dân {unit.running_name}",
                  code=unit.code, era=reg.era)


def build_context(inputs, signer: str | None = None, number: str | None = None,
                  db: Path | None = None, today: date | None = None, date: str | date | None = None) -> ReportContext:
    """Context for the narrative from a roll-up workbook, or from a unit's own files: its periodic
    report with its reception log and plan when given (a folder or several files). ``date`` is the
    signing date (DD/MM/YYYY or a date); without it the day and month are left blank, with the year the
    report is due (``today`` is unused, kept for callers)."""
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    rollup = load_rollup(paths[0]) if len(paths) == 1 and paths[0].is_file() else None
    source = _Source(rollup, False, [], paths[0]) if rollup is not None else _from_unit_files(paths)
    roll = source.rollup
    period = parse(roll.period)
    era = era_of(period, roll.unit_code, roll.unit_name)  # a district's part of a period straddling the reform
    reg = for_period(period, era)
    unit = reg.require(roll.unit_code)
    own = source.own
    db = outputs.history_db(db)
    scope = comparison(period, period.previous_year(), unit)
    # last year's figures of what this report covers: the roll-up's totals, or the unit's own files (dvcq.rollup.store)
    found = previous_figures(db, period, unit, source.own) if db and scope != NOT_COMPARABLE else None
    previous = found.values if found else None
    reform_note = reform_note_of(period.year - 1, period.kind == "Y") if scope == ACROSS_REFORM and previous else ""
    children = territorial_kinds(roll.ledger, reg)
    old_kinds = territorial_kinds(roll.ledger, for_period(period, "legacy"), UnitGroup.ABOLISHED) \
        if any(r.group == UnitGroup.ABOLISHED for r in roll.ledger) else ""  # the part before 1/7/2025
    issuer = _issuer(unit, reg)
    view = _period_view(period, unit, reg, own)
    last = last_year_run(db, period, unit) if previous else None
    sets = Sets(unit_set(roll.ledger), last, bool(reform_note))
    kinds_level = next((reg.get(e.unit_code).level for e in roll.ledger
                        if e.group == UnitGroup.TERRITORIAL and reg.get(e.unit_code)), "")
    words = Words(unit.level, children, old_kinds, kinds_level, middle_noun(roll.ledger, reg))
    fig = Figures(roll, words, (view.start, view.end), own, running_name(unit.name), previous, sets, period.year - 1,
                  rollup_cells(source.path) if not own else {},
                  _last_basis(last, *_last_year(words, period, unit, last, {})[1:]) if last and not own else None)
    cover = Covers(fig.basis(REPORT), fig.basis(LOG), fig.basis(PLAN))
    area = running_name(unit.name) if own else (AREA.get(unit.level, unit.running_name) if cover.report.complete
                                                  else f"{cover.report.phrase} có số liệu")
    i = {ind.code: fig.indicator(ind.code) for ind in load_form(REPORT).indicators}
    m = {ms.code: fig.measure(ms.code, fid) for fid in (LOG, PLAN) for ms in load_form(fid).measures
         if ms.code in fig.totals}
    plan = _plan(fig, m, roll) if "nv_tong" in fig.totals else None
    mine = [u for u in roll.units if u.group == UnitGroup.OWN] if not own else []
    own_plan = _own_plan(fig, mine[0], cover.plan) if mine and (mine[0].values.counts.get("nv_tong") or 0) else None
    own_missing = not own and any(r.group == UnitGroup.OWN and PLAN not in r.forms for r in roll.ledger)
    when = decree.signing_date(date)
    cited = citation(roll.own_plan, issuer.who) if roll.own_plan else None
    after = period.following()
    tasks = plan_tasks(roll.own_plan, cited, fig.basis(PLAN) if own else fig.basis(PLAN, (UnitGroup.OWN,)),
                       (view.start, view.end), calendar_of(unit, reg).window(after) if after else None, unit.code,
                       unit.name) if roll.own_plan and roll.own_plan.tasks else None
    return ReportContext(
        issuer=issuer,
        period=view,
        number=number or "",
        place_date=decree.place_date(issuer.place, period, when, due=view.due or view.end),
        signer=decree.signature(signer, unit=unit),
        symbol=decree.symbol("BC", unit, reg),
        recipients=decree.recipients(unit, reg),
        area=area,
        own=own,
        unit_code=unit.code,
        children=children,
        chair=_chair(issuer, own, roll.ledger, unit.level, children),
        cover=cover,
        i=i,
        m=m,
        ledger=None if own else _ledger(fig, roll, unit.level, children, old_kinds),
        overdue=_overdue(fig, roll, reg, view, old_kinds),
        texts=texts(roll.texts),
        plan=plan,
        has_previous=previous is not None,
        ranks=[] if own else _ranks(fig, roll),
        notes=source.notes + ([reform_note] if reform_note else []),
        as_of=_as_of(fig, roll, view),
        reception=_reception(fig, roll, unit, reg, children),
        across_reform=bool(reform_note),
        comparison=reason(sets, period.year - 1, period.kind == "Y", fig.words.noun) if previous is not None else "",
        own_plan=own_plan,
        own_plan_missing=own_missing,
        parts=_parts(fig, period, unit, roll),
        progress=_progress(fig, roll) if plan is not None else None,
        targets=_targets(fig, roll, own, unit, children),
        previous_targets=_previous_targets(fig, found, group_figures(db, period, unit) if found and not own else {},
                                           period, unit, last) if found else (),
        previous_label=period.previous_year().running_label,
        warnings=_warnings(roll, when),
        source=source.path,
        sections=None if own else issuer_texts(roll, reg, unit.code, cover.report, fig.words.noun),
        plan_cited=cited,
        plan_tasks=tasks,
    )


# --- the days the figures run to ----------------------------------------------------------------------------

def _as_of(fig: Figures, roll: Rollup, view: PeriodView) -> AsOf:
    """The days the counted figures run to: the units' (the abolished districts' part left out: it runs to its end;
    the issuer's own files left out: their sentence says their day)."""
    groups = [g for g in roll.groups() if g not in (UnitGroup.ABOLISHED, UnitGroup.OWN)] or roll.groups()
    spans = [(g, roll.runs_to(g)) for g in groups]
    spans = [(g, s) for g, s in spans if s]
    if not spans:
        return AsOf(None, None, view.end, calendar=view.figures_to)
    first, last = min(s[0] for _, s in spans), max(s[1] for _, s in spans)
    distinct = len({s for _, s in spans}) > 1
    by_group = tuple(GroupDays(fig.words.noun(g), *s) for g, s in spans) if distinct else ()
    return AsOf(first, last, view.end, by_group)


def _warnings(roll: Rollup, signed: date | None) -> tuple[Warning, ...]:
    """A report dated before a file it counts was received."""
    if signed is None:
        return ()
    later = [(e.received, e.unit_name) for e in roll.ledger if e.received and
             datetime.fromisoformat(e.received).date() > signed]
    if not later:
        return ()
    latest = max(later)[0]
    names = ", ".join(running_name(n) for _, n in sorted(later)[-5:])
    more = f" và {len(later) - 5} đơn vị khác" if len(later) > 5 else ""
    return (Warning("dated-before-received",
                    f"Báo cáo ghi ngày {fmt.date_short(signed)} nhưng có {len(later)} đơn vị gửi biểu sau ngày đó "
                    f"({names}{more}; muộn nhất ngày {fmt.date_short(datetime.fromisoformat(latest).date())}): "
                    "kiểm tra lại ngày ký."),)


# --- the ledger ------------------------------------------------------------------------------------------------

FORM_LABELS = {REPORT: "báo cáo định kỳ", LOG: "sổ tiếp công dân", PLAN: "kế hoạch"}


def _ledger(fig: Figures, roll: Rollup, level: str, children: str, old_kinds: str) -> LedgerView:
    sent = [r for r in roll.ledger if r.group != UnitGroup.OWN]  # its own row sends nothing up to itself
    led = submissions(sent)
    basis = Basis("ledger", fig.basis(REPORT).groups, *fig.window)
    names_of = lambda rows: tuple(UnitName(running_name(r.unit_name), r.unit_code) for r in rows)  # noqa: E731
    rule = "đơn vị có ít nhất một biểu hợp lệ được đưa vào tổng hợp"
    groups = []
    for g in UnitGroup:
        rows = [r for r in sent if r.group == g]
        if not rows:
            continue
        noun = group_noun(g, level, children, old_kinds)
        groups.append(GroupSent(noun, derived(f"ledger.submitted.{g.value}", f"Số {noun} đã nộp", "đơn vị",
                                              sum(r.submitted for r in rows), basis, rule),
                                derived(f"ledger.expected.{g.value}", f"Số {noun} phải nộp", "đơn vị", len(rows),
                                        basis, "đơn vị phải nộp theo danh mục đơn vị và cơ quan khai báo")))
    unsent = {r.unit_code for r in led.not_submitted}  # by code: two units may share a name
    own = {r.unit_code for r in roll.ledger if r.group == UnitGroup.OWN}  # not among the fraction's units
    forms = tuple(FormCover(FORM_LABELS[f], fig.basis(f),
                            tuple(n for n in fig.basis(f).missing if getattr(n, "code", None) not in unsent | own),
                            any(getattr(n, "code", None) in own for n in fig.basis(f).missing))
                  for f in (REPORT, LOG, PLAN) if fig.basis(f).expected and not fig.basis(f).complete)
    forms = tuple(f for f in forms if f.lacking or f.own or f.basis.partial)  # the others say what "Chưa nộp" says
    on_rule = "đơn vị gửi biểu (thời điểm lưu tệp) không sau hạn gửi theo lịch báo cáo"
    return LedgerView(
        derived("ledger.expected", "Số đơn vị phải nộp", "đơn vị", led.expected, basis, "đơn vị phải nộp"),
        derived("ledger.submitted", "Số đơn vị đã nộp", "đơn vị", len(led.submitted), basis, rule),
        derived("ledger.on_time", "Số đơn vị nộp đúng hạn", "đơn vị", len(led.on_time), basis, on_rule),
        derived("ledger.late", "Số đơn vị nộp trễ hạn", "đơn vị", len(led.late), basis,
                "đơn vị gửi biểu (thời điểm lưu tệp) sau hạn gửi theo lịch báo cáo"),
        names_of(led.late), names_of(led.not_submitted), names_of(led.invalid), tuple(groups), forms)


# --- overdue cases ------------------------------------------------------------------------------------------

def _overdue(fig: Figures, roll: Rollup, reg, view: PeriodView, old_kinds: str) -> list[OverdueView]:
    """The overdue cases part by part: the abolished districts' (a province's part before 1/7/2025, told at
    its last day), then the rest; each unit's cases counted at the day its log's figures run to."""
    if not fig.basis(LOG).any:
        return []
    parts = [(UnitGroup.ABOLISHED,), tuple(g for g in UnitGroup if g != UnitGroup.ABOLISHED)] \
        if any(e.group == UnitGroup.ABOLISHED for e in roll.ledger) else [None]
    group_of = {u.code: u.group for u in roll.units}
    names = {u.code: u.name for u in roll.units}
    out = []
    for groups in parts:
        basis = fig.basis(LOG, groups)
        if not basis.any:
            continue
        cases = [c for c in roll.overdue_cases if groups is None or group_of.get(c.via or c.unit_code) in groups]
        open_ = [c for c in cases if c.status == "open"]
        late = [c for c in cases if c.status == "late"]
        law, law_late = limits_cited(open_), limits_cited(late)
        rule = (f"vụ việc đã thụ lý chưa giải quyết xong, quá thời hạn giải quyết ({law}; tính từ ngày thụ lý) "
                "tại ngày số liệu của sổ mỗi đơn vị")
        counts = Counter(c.via or c.unit_code for c in open_)  # by the unit that sent them (a district's roll-up)
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        refs = {}
        for c in open_:
            refs.setdefault(c.via or c.unit_code, []).append(c.ref)
        sheet = load_form(LOG).main.name
        units = []
        for code, n in ranked[:OVERDUE_NAMES]:
            name = names.get(code) or (reg.get(code).name if reg.get(code) else code)
            e = fig.entries.get(code)
            src = (_cases(code, name, e.files.get(LOG, "") if e else "", sheet, refs[code], n),)
            units.append(UnitCount(running_name(name), derived(
                f"qh.open.{code}", f"Vụ việc quá hạn chưa giải quyết của {running_name(name)}", "vụ việc", n,
                fig.basis(LOG, groups), rule, src)))
        rest = ranked[OVERDUE_NAMES:]
        past = groups == (UnitGroup.ABOLISHED,)
        # the part after the abolished districts' names its own groups: it covers other units than the sentence before
        who = f"các {fig.words.noun(UnitGroup.ABOLISHED)}" if past else \
            fmt.and_list([c.noun if c.group == UnitGroup.OWN else f"các {c.noun}" for c in basis.groups if c.expected]) if groups else ""
        key = ".abolished" if past else ""
        src_all = tuple(_cases(code, names.get(code, code), (fig.entries[code].files.get(LOG, "")
                                                              if code in fig.entries else ""), sheet, refs[code], n)
                        for code, n in ranked)
        late_src = Counter(c.via or c.unit_code for c in late)
        out.append(OverdueView(
            who, basis, past,
            derived(f"qh.open{key}", "Vụ việc đã thụ lý quá thời hạn chưa giải quyết xong", "vụ việc", len(open_),
                    basis, rule, src_all),
            derived(f"qh.late{key}", "Vụ việc đã giải quyết xong nhưng quá thời hạn", "vụ việc", len(late), basis,
                    f"vụ việc đã thụ lý, giải quyết xong sau thời hạn giải quyết ({law_late}; tính từ ngày thụ lý)",
                    tuple(_cases(code, names.get(code, code), "", sheet, "", n) for code, n in late_src.items())),
            tuple(units),
            law if open_ else "", law_late if late else "",
            derived(f"qh.others{key}", "Số đơn vị khác có vụ việc quá hạn", "đơn vị", len(rest), basis,
                    "đơn vị có vụ việc quá hạn ngoài các đơn vị đã nêu tên") if rest else None,
            derived(f"qh.others_cases{key}", "Vụ việc quá hạn của các đơn vị khác", "vụ việc",
                    sum(n for _, n in rest), basis, rule) if rest else None))
    return out


def limits_cited(cases) -> str:
    """The time limits a set of overdue cases was held to, each law once with its articles in order: 'thời hạn luật
    định: Luật Khiếu nại 2011, Điều 28 và Điều 37; Luật Tố cáo 2018, Điều 30' (a first and a second complaint and a
    denunciation); a province's own limit under its own rule. 'thời hạn luật định' alone for cases of a roll-up
    written before the source travelled, or none."""
    by_rule: dict[str, dict[str, list[str]]] = {}
    for c in cases:
        laws = by_rule.setdefault(c.rule, {})
        law, article = c.cited
        if law:
            arts = laws.setdefault(law, [])
            if article and article not in arts:
                arts.append(article)
    parts = []
    for rule, laws in by_rule.items():
        cited = "; ".join(law + _articles(sorted(arts, key=lambda a: (len(a), a))) for law, arts in laws.items())
        parts.append(f"{rule}: {cited}" if cited else rule)
    return "; ".join(parts) or "thời hạn luật định"


def _articles(arts: list[str]) -> str:
    """', Điều 28 và Điều 37' ('' for none)."""
    return ", " + fmt.and_list([f"Điều {a}" for a in arts]) if arts else ""


def _cases(code: str, name: str, file: str, sheet: str, refs, value) -> Source:
    """A unit's part of a count of cases: its log and the cases' references."""
    cell = refs if isinstance(refs, str) else "Mã vụ việc: " + ", ".join(refs)
    return Source(code, name, file, sheet, cell, value)


# --- the best and the worst -----------------------------------------------------------------------------------

def _ranks(fig: Figures, roll: Rollup) -> list[Rank]:
    """The best and worst unit of each key rate within each group of at least two rated units (units of one
    level over the same days; the issuer's own row is no rank): every unit at the best (worst) printed value."""
    out = []
    for code in load_layout().key_rates:
        ind = fig.indicators[code]
        for group in roll.groups():
            if group == UnitGroup.OWN:
                continue
            rated = []
            for uv in roll.group_units(group):
                v = derive(uv.values).get(code)
                if isinstance(v, (int, float)):
                    rated.append((v, uv))
            if len(rated) < 2:
                continue
            noun = fig.words.noun(group)
            basis = fig.basis(REPORT, (group,))

            def end(which: str, pick) -> RankEnd:
                value = pick(v for v, _ in rated)
                at = [(v, uv) for v, uv in rated if fmt.percent(v) == fmt.percent(value)]  # as printed
                src = tuple(s for _, uv in at for s in fig.sources(code, REPORT, (group,),
                                                                     value=lambda vals: derive(vals).get(code))
                            if s.unit_code == uv.code)
                rule = (f"{'cao' if which == 'best' else 'thấp'} nhất trong {len(rated)} {noun} có số liệu; tỷ lệ "
                        "của từng đơn vị tính từ tử số và mẫu số của đơn vị")
                claim = Claim(f"rank.{code}.{group.value}.{which}", ind.title, ind.unit, "ratio", value, basis,
                              rule, src)
                tied = derived(f"rank.{code}.{group.value}.{which}.tied", f"Số {noun} cùng đạt mức này", "đơn vị",
                               len(at), basis, "số đơn vị có cùng tỷ lệ (làm tròn như in)", src)
                return RankEnd(tuple(running_name(uv.name) for _, uv in at), claim, tied)

            ranked = derived(f"rank.{code}.{group.value}.rated", f"Số {noun} có tỷ lệ này", "đơn vị", len(rated), basis,
                             "đơn vị của nhóm có số liệu của tỷ lệ (mẫu số khác 0)")
            complete = basis.complete and len(rated) == sum(g.expected for g in basis.groups)
            out.append(Rank(code, ind.title, noun, ranked, complete, end("best", max), end("worst", min)))
    return out


# --- reception by the heads, by level ----------------------------------------------------------------------------

def _reception(fig: Figures, roll: Rollup, unit, reg, children: str) -> list[Reception]:
    """The heads' periodic reception days, one entry per level (the issuer's own first, then its bodies, then the
    levels below), each against the law's minimum of every unit of it over its own days."""
    rules = load_rules().reception
    order = sorted(roll.reception, key=lambda lv: (lv != unit.level, RECEPTION_ORDER.index(lv)
                                                   if lv in RECEPTION_ORDER else len(RECEPTION_ORDER)))
    cell = load_form(REPORT).main.indicator_cell
    out = []
    for lv in order:
        t, rule = roll.reception[lv], rules.get(lv)
        law = f"{rule.text} ({rule.source})" if rule else "theo quy định"
        # a level whose units came in roll-ups too (a province's communes of 2025 beside those in its abolished
        # districts' roll-ups, which include thị trấn) is said by its level, not by the issuer's children's kinds
        direct = sum(1 for e in roll.ledger if REPORT in e.forms and getattr(reg.get(e.unit_code), "level", "") == lv)
        # the level's figures cover its own units' groups only (the heads of the sở are not the districts' roll-ups),
        # and the roll-ups' groups only when the level has units beyond those reporting directly
        src, groups = [], {}
        for uv, e in fig._units(REPORT):
            u = reg.get(uv.code)
            if e is not None and ROLLUP_FORM_ID in e.forms and REPORT not in e.forms:
                if t.units > direct:
                    groups[uv.group] = None
                    src.append(Source(uv.code, uv.name, e.files.get(ROLLUP_FORM_ID, ""), "Tổng hợp chỉ tiêu",
                                      f"tiếp công dân định kỳ theo cấp: {lv}", None))
            elif u is not None and u.level == lv:
                groups[uv.group] = None
                src.append(Source(uv.code, uv.name, e.files.get(REPORT, "") if e else "", load_form(REPORT).main.name,
                                  cell("TD01"), uv.values.counts.get("TD01")))
        basis = fig.basis(REPORT, tuple(groups)) if groups else fig.basis(REPORT)
        key = f"rec.{lv}"

        def claim(what: str, title: str, value, rule_: str, sources=()) -> Claim:
            return derived(f"{key}.{what}", title, "buổi" if what in ("held", "required") else "đơn vị", value, basis,
                           rule_, sources)

        out.append(Reception(
            lv, heads(lv, unit, children if t.units <= direct else ""),
            claim("units", "Số đơn vị có số liệu tiếp công dân định kỳ", t.units, "đơn vị của cấp này có báo cáo"),
            claim("held", "Số buổi tiếp công dân định kỳ đã thực hiện", t.held, "tổng số buổi đã thực hiện (TD01) của "
                  "các đơn vị cấp này", tuple(src)),
            claim("required", "Số buổi tối thiểu theo quy định", t.required,
                  f"mức tối thiểu của từng đơn vị theo cấp và số ngày của kỳ: {law}; cộng các đơn vị"),
            claim("reached", "Số đơn vị đạt mức tối thiểu", t.reached, "đơn vị có số buổi đã thực hiện không dưới mức "
                  "tối thiểu của mình"),
            claim("stated", "Số đơn vị ghi số buổi phải thực hiện khác quy định", t.stated,
                  "đơn vị ghi số buổi phải thực hiện (TD02) khác mức tối thiểu theo quy định"),
            rule.text if rule else "", rule.source if rule else "", lv == unit.level and t.units == 1))
    return out


# --- the plan ------------------------------------------------------------------------------------------------------

def _plan(fig: Figures, m: dict[str, Claim], roll: Rollup) -> PlanView:
    basis = fig.basis(PLAN)
    overdue = fig.totals.get("nv_qua_han", 0)
    late = derived("m.nv_qua_han", "Nhiệm vụ quá hạn chưa hoàn thành", "nhiệm vụ", overdue, basis,
                   "nhiệm vụ có hạn là một ngày, hạn trước ngày số liệu của kế hoạch, chưa hoàn thành hoặc tạm dừng",
                   fig.sources("nv_qua_han", PLAN, where=_plan_cell("nv_qua_han")),
                   rollup_cell=fig.cells.get("nv_qua_han", ""))
    get = lambda k: m.get(k) or derived(f"m.{k}", k, "", None, basis, "")  # noqa: E731
    return PlanView(basis, get("nv_tong"), get("nv_xong"), get("nv_dang"), get("nv_chua"), late,
                    get("lt_ke_hoach"), get("lt_ra_mat"))


def _own_plan(fig: Figures, uv: UnitValues, basis: Basis) -> PlanView:
    """The issuer's own plan in a roll-up: its measures, from its own file."""
    own = fig.basis(PLAN, (UnitGroup.OWN,))
    e = fig.entries.get(uv.code)
    values = derive(uv.values)

    def claim(code: str, title: str) -> Claim:
        src = (Source(uv.code, uv.name, e.files.get(PLAN, "") if e else "", *_plan_cell(code), values.get(code)),)
        return derived(f"own.{code}", title, "nhiệm vụ", values.get(code), own, "số dòng của kế hoạch của đơn vị", src)

    return PlanView(own, claim("nv_tong", "Tổng số nhiệm vụ"), claim("nv_xong", "Đã hoàn thành"),
                    claim("nv_dang", "Đang triển khai"), claim("nv_chua", "Chưa triển khai"),
                    claim("nv_qua_han", "Nhiệm vụ quá hạn"), claim("lt_ke_hoach", "Đơn vị trong lộ trình"),
                    claim("lt_ra_mat", "Đơn vị đã ra mắt"))


def _plan_cell(code: str) -> tuple[str, str]:
    if code == "nv_qua_han":
        return load_form(PLAN).sheet("Nhiệm vụ").name, "nhiệm vụ có hạn trước ngày số liệu, chưa hoàn thành"
    return where_in_file(PLAN, code)


def _progress(fig: Figures, roll: Rollup) -> ProgressView:
    """What the report says of the plan beyond its counts (dvcq.intake.progress)."""
    basis = fig.basis(PLAN)
    rows = progress.rows(load_form(PLAN), roll.bodies)
    terms = progress.recurring(roll.bodies)
    late = [b for b in rows if b.overdue]
    rule = "nhiệm vụ có hạn là một ngày, hạn trước ngày số liệu của kế hoạch, chưa hoàn thành (theo đơn vị chủ trì)"

    def body(b) -> BodyView:
        key = f"pg.{b.name if b.lead else '-'}"
        return BodyView(b.name, b.lead,
                        derived(f"{key}.units", f"Số đơn vị có {b.name}", "đơn vị", b.units, basis,
                                "số kế hoạch giao nhiệm vụ cho đơn vị chủ trì (cùng tên)"),
                        derived(f"{key}.overdue", f"Nhiệm vụ quá hạn của {b.name}", "nhiệm vụ", b.overdue, basis, rule),
                        derived(f"{key}.tasks", f"Nhiệm vụ của {b.name}", "nhiệm vụ", b.tasks, basis,
                                "nhiệm vụ giao cho đơn vị chủ trì"))

    shown = late[:LATE_BODIES]
    state = progress.rollout(*progress.rollout_counts(roll, fig.totals), roll.rollout_targets)  # distinct units
    rollout = None
    if state.planned:
        rrule = ("đơn vị ghi trên trang Lộ trình trong kế hoạch của các đơn vị, mỗi đơn vị một lần (theo kế hoạch "
                 "của chính nó nếu có)")
        rollout = RolloutView(
            derived("rollout.launched", "Đơn vị đã ra mắt mô hình (lộ trình)", "đơn vị", state.launched, basis,
                    rrule + ", trạng thái Đã ra mắt", fig.sources("lt_ra_mat", PLAN)),
            derived("rollout.planned", "Đơn vị trong lộ trình", "đơn vị", state.planned, basis, rrule,
                    fig.sources("lt_ke_hoach", PLAN)),
            derived("rollout.share", "Tỷ lệ đơn vị đã ra mắt", "%", state.share, basis,
                    "đơn vị đã ra mắt / đơn vị trong lộ trình", kind="ratio"),
            derived("rollout.target", "Mục tiêu của kế hoạch", "%", state.target / 100, basis,
                    "mục tiêu ghi trên trang Lộ trình của mọi kế hoạch", kind="ratio")
            if state.target is not None else None,
            state.year,
            derived("rollout.attainment", "Mức đạt mục tiêu", "%", state.attainment, basis,
                    "tỷ lệ đã ra mắt / mục tiêu", kind="ratio") if state.attainment is not None else None,
            state.differs,
            derived("rollout.with_target", "Kế hoạch ghi mục tiêu", "kế hoạch", state.with_target, basis,
                    "kế hoạch ghi mục tiêu lộ trình"),
            derived("rollout.plans", "Kế hoạch có lộ trình", "kế hoạch", state.plans, basis, "kế hoạch đã tính"),
            progress.rollout_text(state, *(("", None) if fig.own else (basis.phrase, basis.runs_to))))
    return ProgressView(
        late=[body(b) for b in shown],
        more=derived("pg.more", "Đơn vị chủ trì khác có nhiệm vụ quá hạn", "đơn vị chủ trì", len(late) - len(shown),
                     basis, "đơn vị chủ trì có nhiệm vụ quá hạn ngoài các đơn vị đã nêu") if len(late) > len(shown)
        else None,
        recurring=derived("pg.recurring", "Nhiệm vụ thường xuyên, định kỳ", "nhiệm vụ", sum(t.tasks for t in terms),
                          basis, "nhiệm vụ có thời hạn thường xuyên, định kỳ (không bao giờ tính quá hạn)"),
        recurring_active=derived("pg.recurring_active", "Nhiệm vụ thường xuyên, định kỳ đang thực hiện", "nhiệm vụ",
                                 sum(t.active for t in terms), basis, "trong đó trạng thái Đang triển khai"),
        terms=terms, rollout=rollout)


# --- targets ------------------------------------------------------------------------------------------------------

def _targets(fig: Figures, roll: Rollup, own: bool, unit, children: str) -> tuple[TargetView, ...]:
    """The figures against their targets, one line per indicator; a figure the law binds to a level (the heads'
    reception days, ``legal_minimum``) one line per group of units, never pooled across levels (the commune
    chairmen's and the sở heads' days are not one "của Chủ tịch UBND")."""
    form, out = load_form(REPORT), []
    for c in comparisons(roll.targets, fig.totals, roll.totals.spreads):
        ind = form.main.indicator(c.code)
        groups = [] if own or not ind.legal_minimum else by_group(roll, c.code)
        if len(groups) < 2:
            out.append(_target(fig, c, own))
            continue
        for g, tally in groups:
            part = fig.indicator(c.code).part(g.value)
            title = _level_title(ind.title, g, fig.words.noun(g), unit, children, fig.words.children_level,
                                 _from_rollups(roll.ledger, g))
            out.append(_target(fig, replace(compare(ind, tally, part.value if part else None), title=title), own, g))
    return tuple(out)


def _from_rollups(ledger: list[LedgerEntry], group: UnitGroup) -> bool:
    """The group's figures of the periodic report came in roll-ups (the units in them), not the units' own reports."""
    sent = [e for e in ledger if e.group == group and (REPORT in e.forms or ROLLUP_FORM_ID in e.forms)]
    return bool(sent) and all(REPORT not in e.forms for e in sent)


def _level_title(title: str, group: UnitGroup, noun: str, unit, children: str, child_level: str,
                 from_rollups: bool = False) -> str:
    """An indicator of the chairman's reception days said for one group's heads: 'Số buổi tiếp công dân định kỳ của
    Thủ trưởng các sở, ban, ngành đã thực hiện'; a group of roll-ups with the units they hold ('… (các đơn vị trong
    báo cáo tổng hợp của các huyện, thị xã, thành phố (trước sắp xếp))'), never titled as the districts' chairmen."""
    level = {UnitGroup.DEPARTMENT: BODY_LEVEL, UnitGroup.OWN: unit.level, UnitGroup.MIDDLE: "district"}.get(group)
    if group == UnitGroup.TERRITORIAL and not from_rollups:
        who = heads(child_level or "commune", unit, children)
    elif level and not from_rollups:
        who = heads(level, unit, children)
    else:
        return f"{title} (các đơn vị trong báo cáo tổng hợp của các {noun})"
    return title.replace("Chủ tịch UBND", who) if "Chủ tịch UBND" in title else f"{title} ({noun})"


def _target(fig: Figures, c: Comparison, own: bool, group: UnitGroup | None = None) -> TargetView:
    basis = fig.basis(REPORT, (group,) if group else None)
    key = f"target.{c.code}" + (f".{group.value}" if group else "")
    scale = "ratio" if c.kind == "ratio" else c.kind

    def claim(name: str, title: str, value, unit: str = "", kind: str = "count", rule: str = "") -> Claim | None:
        if value is None:
            return None
        return derived(f"{key}.{name}", f"{c.title}: {title}", unit, value, basis, rule, kind=kind)

    units_rule = "đơn vị có chỉ tiêu (kế hoạch cùng kỳ, nếu không có thì báo cáo)"
    value = fig.indicator(c.code) if c.value is not None else claim("value", "kết quả", None)
    if group is not None and value is not None:
        value = replace(value.part(group.value), title=c.title)
    return TargetView(
        c.code, c.title, c.unit, c.kind,
        replace(value, key=f"{key}.value") if value is not None else derived(f"{key}.value", c.title, c.unit, None,
                                                                               basis, ""),
        claim("target", "chỉ tiêu", c.target, c.unit, scale,
              "tổng chỉ tiêu của các đơn vị" if c.kind == "count" else "chỉ tiêu chung của mọi đơn vị có số liệu"),
        claim("percent", "so với chỉ tiêu", c.percent, "%", "ratio", "kết quả / chỉ tiêu"),
        claim("figures", "số đơn vị có số liệu", c.figures, "đơn vị", rule="đơn vị có số liệu của chỉ tiêu"),
        claim("units", "số đơn vị có chỉ tiêu", c.units, "đơn vị", rule=units_rule),
        claim("reported", "số đơn vị có chỉ tiêu và số liệu", c.reported, "đơn vị", rule=units_rule + ", có số liệu"),
        claim("reached", "số đơn vị đạt chỉ tiêu", c.reached, "đơn vị", rule="đơn vị có kết quả không thấp hơn chỉ tiêu của mình"),
        claim("unreported", "số đơn vị có chỉ tiêu chưa có số liệu", c.unreported, "đơn vị", rule=units_rule + ", chưa có số liệu"),
        claim("part_value", "kết quả của các đơn vị có chỉ tiêu", c.part_value, c.unit,
              rule="tổng kết quả của các đơn vị có chỉ tiêu"),
        claim("part_target", "tổng chỉ tiêu của các đơn vị có chỉ tiêu", c.part_target, c.unit,
              rule="tổng chỉ tiêu của các đơn vị có chỉ tiêu"),
        claim("part_percent", "so với chỉ tiêu (các đơn vị có chỉ tiêu)", c.part_percent, "%", "ratio",
              "kết quả / chỉ tiêu của các đơn vị có chỉ tiêu"),
        fig.indicator(c.code).spread)


def _previous_targets(fig: Figures, found, groups: dict, period, unit, last=None) -> tuple[PreviousTarget, ...]:
    """Last year's same period against its targets, one line per indicator; a figure the law binds to a level (the
    heads' reception days, ``legal_minimum``) one line per group of last year's units with targets, as this year's
    (``_targets``), from the history's record of each unit (dvcq.rollup.store.group_figures). Each figure carries
    last year's basis (``_last_basis``), never this year's."""
    form, out = load_form(REPORT), []
    was, words, window, before = _last_year(fig.words, period, unit, last, groups)
    for c in comparisons(found.targets, fig.previous or {}):
        ind = form.main.indicator(c.code)
        parts = [(g, gf) for g, gf in groups.items()
                 if ind.legal_minimum and c.code in gf.figures.targets and gf.figures.targets[c.code].units]
        if len(parts) < 2:
            out.append(_previous_target(c, _last_basis(last, words, window, before)))
            continue
        for g, gf in sorted(parts, key=lambda x: list(UnitGroup).index(x[0])):
            title = _level_title(ind.title, g, words.noun(g), was, words.kinds, words.children_level,
                                 gf.from_rollups)
            value = derive(gf.figures.values).get(c.code)
            out.append(_previous_target(replace(compare(ind, gf.figures.targets[c.code], value), title=title),
                                        _last_basis(last, words, window, before, g), g))
    return tuple(out)


def _last_year(words: Words, period, unit, last, groups: dict):
    """Last year's issuer, its groups' words, its window and its registry (a 2025 province's 2024 had districts):
    (unit, Words, (start, end), registry); ``groups`` last year's recorded groups (store.group_figures), or {}."""
    before_period = period.previous_year()
    before = for_period(before_period, era_of(before_period, unit.code, unit.name))
    was = before.get(unit.code) or unit
    # each group's kinds over the units it expected (the history's run, ``last``), else over those recorded
    roles = last.roles if last else ()
    expected = {g: [c for c, r in roles if r == g] for g in dict.fromkeys([r for _, r in roles] + list(groups))}
    kinds = {g: kinds_of(codes or (groups[g].codes if g in groups else ()), before) for g, codes in expected.items()}
    territorial = groups[UnitGroup.TERRITORIAL].codes if UnitGroup.TERRITORIAL in groups else \
        expected.get(UnitGroup.TERRITORIAL, ())
    level = next((u.level for u in map(before.get, territorial) if u), "")
    return was, replace(words, level=was.level, kinds=kinds.get(UnitGroup.TERRITORIAL, words.kinds),
                        old_kinds=kinds.get(UnitGroup.ABOLISHED, words.old_kinds), children_level=level), \
        calendar_of(was, before).window(before_period), before


def _last_basis(last, words: Words, window: tuple[date, date], before, group: UnitGroup | None = None) -> Basis:
    """Who last year's roll-up counted (the history's run, ``last``: dvcq.rollup.expected.last_year_run), group by
    group in last year's words (of ``group`` only when given), over last year's window: the units that sent out of
    those expected, the missing named from last year's registry (``before``). The history keeps no day the units'
    figures ran to (``runs_to`` None: the check sheet leaves it blank rather than give this year's days)."""
    covers = []
    for g, sent, of in (last.groups if last else ()):
        if group is not None and g != group:
            continue
        missing = () if last.sent is None else tuple(
            UnitName(running_name(u.name), u.code) for u in (before.get(c) for c, r in last.roles
                                                             if r == g and c not in last.sent) if u is not None)
        covers.append(GroupCover(g, words.noun(g), sent, of, missing, level=words.level_of(g)))
    return Basis("history", tuple(covers), *window)


def _previous_target(c: Comparison, basis: Basis, group: UnitGroup | None = None) -> PreviousTarget:
    """Last year's same period against its targets (issue 26 §5), its figures as claims of the history's roll-up, on
    last year's basis."""
    key = f"prevtarget.{c.code}" + (f".{group.value}" if group else "")
    rule = "cùng kỳ năm trước (cơ sở dữ liệu lịch sử)"

    def claim(name: str, title: str, value, unit: str = "", kind: str = "count") -> Claim | None:
        if value is None:
            return None
        return derived(f"{key}.{name}", f"{c.title} cùng kỳ năm trước: {title}", unit, value, basis, rule, kind=kind)

    scale = "ratio" if c.kind == "ratio" else c.kind
    met = (reached(c.value, c.target) if c.value is not None and c.target is not None else
           reached(c.part_value, c.part_target) if c.part_value is not None and c.part_target is not None else False)
    return PreviousTarget(
        c.code, c.title, c.unit, c.kind,
        claim("value", "kết quả", c.value, c.unit, scale), claim("target", "chỉ tiêu", c.target, c.unit, scale),
        claim("figures", "số đơn vị có số liệu", c.figures, "đơn vị"),
        claim("reported", "số đơn vị có chỉ tiêu và số liệu", c.reported, "đơn vị"),
        claim("reached", "số đơn vị đạt chỉ tiêu", c.reached, "đơn vị"),
        claim("part_value", "kết quả của các đơn vị có chỉ tiêu", c.part_value, c.unit, scale),
        claim("part_target", "tổng chỉ tiêu của các đơn vị có chỉ tiêu", c.part_target, c.unit, scale), met,
        outcome(c))


# --- the parts of a straddling period ------------------------------------------------------------------------------

def _parts(fig: Figures, period, unit, roll: Rollup) -> list[PartView]:
    out = []
    for p in parts_of(period, unit, roll.ledger).items:
        group = UnitGroup.ABOLISHED if p.era == "legacy" else UnitGroup.TERRITORIAL
        basis = Basis("ledger", fig.basis(REPORT, (group,)).groups, p.start, p.end)
        out.append(PartView(p.start, p.end, p.noun,
                            derived(f"parts.{p.era}.submitted", f"Số {p.noun} đã nộp", "đơn vị", p.submitted, basis,
                                    "đơn vị có ít nhất một biểu hợp lệ"),
                            derived(f"parts.{p.era}.expected", f"Số {p.noun} phải nộp", "đơn vị", p.expected, basis,
                                    "đơn vị phải nộp phần của kỳ")))
    return out


# --- who, when -----------------------------------------------------------------------------------------------------

def _chair(issuer: Issuer, own: bool, ledger: list[LedgerEntry], level: str, children: str) -> str:
    """Who received citizens: the unit's chairman, or the chairmen of the units (and the heads of the
    declared bodies whose reports are in)."""
    if own:
        return f"Lãnh đạo {issuer.phrase}" if issuer.level == BODY_LEVEL else f"Chủ tịch UBND {issuer.phrase}"
    bodies = any(r.group == UnitGroup.DEPARTMENT and REPORT in r.forms for r in ledger)
    heads = f" và thủ trưởng các {group_noun(UnitGroup.DEPARTMENT, level, children)}" if bodies else ""
    return f"Chủ tịch UBND các {children}{heads}"


def _period_view(period, unit, reg, own: bool) -> PeriodView:
    part = unit_part(period, unit)  # a district's or commune's part of a period straddling the 2025 reform
    cal = calendar_of(unit, reg)
    start, end = cal.window(period, part.era if part.partial else None)
    more = f", {part.label}" if part.partial else ""
    route = route_of(unit, reg)
    # the subject line names the next period's focus where the province's calendar says so (a part of a period
    # straddling the 2025 reform does not: the next period is not the district's)
    return PeriodView(period.code, period.slug, period.label, period.running_label + more, cal.subject(period, part),
                      period.kind, period.windowed, period.year, start, end, period.next_label,
                      figures_date(period, unit.code, own, part.era if part.partial else None), part.label,
                      cal.deadline(period, route) if route else None, period.previous_year().running_label)


def _from_unit_files(paths: list[Path]) -> _Source:
    """A unit's own files (validated first): its periodic report, and its reception log and plan of the
    same period when among them, as a roll-up of that one unit; a missing or invalid log or plan is
    noted, never counted as zero."""
    files = [r for r in validate_paths(paths).files if r.status != "skipped"]
    names = ", ".join(f"«{p.name}»" for p in paths)
    if len(files) == 1 and files[0].status == "unreadable":
        raise BookError(files[0].issues[0].code, files[0].issues[0].message)
    reports = [r for r in files if r.form_id == REPORT]
    if not reports:
        raise UserError(f"{names}: không có biểu tổng hợp hay báo cáo định kỳ của dvcq; không viết được báo cáo "
                        "(cần báo cáo định kỳ của đơn vị, có thể kèm sổ tiếp công dân và kế hoạch cùng kỳ).")
    valid = [r for r in reports if r.summary is not None]
    if not valid:
        r = reports[0]
        first = r.errors[0] if r.errors else None
        where = f" ({first.location}: {first.message})" if first else ""
        raise UserError(f"Báo cáo «{r.path.name}» còn lỗi, hãy sửa trước khi xuất văn bản{where}.")
    if len({(r.unit_code, r.period) for r in valid}) > 1:
        raise UserError(f"{names}: có báo cáo định kỳ của nhiều đơn vị hoặc nhiều kỳ; hãy đưa tệp của một đơn vị, "
                        "một kỳ.")
    main = max(valid, key=lambda r: r.received or "")
    chosen, notes = {REPORT: main}, []
    for fid, label in ((LOG, "Sổ tiếp công dân"), (PLAN, "Kế hoạch")):
        same = [r for r in files if r.form_id == fid and r.unit_code == main.unit_code]
        good = [r for r in same if r.summary is not None and r.period == main.period]
        if good:
            chosen[fid] = max(good, key=lambda r: r.received or "")
        elif same:
            notes.append(f"{label} «{same[0].path.name}» còn lỗi hoặc khác kỳ nên chưa dùng.")
    summaries = {fid: r.summary for fid, r in chosen.items()}
    plan = summaries.get(PLAN)
    totals = additive(summaries)
    days = [s.as_of for s in summaries.values() if s.as_of]
    entry = LedgerEntry(main.unit_code, main.unit_name, True, None, "ok", tuple(sorted(chosen)),
                        runs_to=(min(days), max(days)) if days else None,
                        received=max(r.received or "" for r in chosen.values()),
                        files={fid: r.path.name for fid, r in chosen.items()})
    roll = Rollup(
        unit_code=main.unit_code, unit_name=main.unit_name, period=main.period, totals=totals,
        units=[UnitValues(main.unit_code, main.unit_name, totals)],
        ledger=[entry],
        overdue_cases=list(summaries[LOG].overdue_cases) if LOG in summaries else [],
        texts=[UnitText(main.unit_code, main.unit_name, k, v) for k, v in main.summary.texts.items()],
        bodies=list(plan.bodies) if plan else [],
        rollout_targets=[plan.rollout_target] if plan and plan.rollout_target else [],
        targets=unit_tallies(summaries, totals), reception=reception_of(summaries),
        rollout=list(plan.rollout) if plan else [],
        own_plan=replace(plan.plan, file=chosen[PLAN].path.name) if plan and plan.plan else None)
    return _Source(roll, True, notes)
