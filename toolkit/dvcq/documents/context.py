"""The data a narrative report is written from: a roll-up or a commune's own periodic report.

`build_context` returns a ``ReportContext`` (typed views of a ``Rollup``) whose fields are the
variables of the text templates in templates/report (documented in docs/narrative.md).
No personal data enters it: only totals, units' values, case counts and the units' own assessment texts.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from dvcq import fmt, outputs
from dvcq.calendar.deadlines import calendar_of, figures_date
from dvcq.calendar.parts import Parts, parts_of
from dvcq.calendar.periods import parse
from dvcq.calendar.timelimits import load_rules
from dvcq.errors import BookError, UserError
from dvcq.forms.labels import REFORM_NOTE
from dvcq.forms.spec import LOG, PLAN, REPORT, load_form
from dvcq.intake.readback import load_rollup
from dvcq.intake.validate import validate_paths
from dvcq.model import RECEPTION_ORDER, LedgerEntry, Rollup, Spread, UnitGroup, UnitText, Values
from dvcq.rollup import progress
from dvcq.rollup.aggregate import additive, derive, reception_of, terms
from dvcq.rollup.coverage import by_group, from_ledger, submissions
from dvcq.rollup.layout import load_layout
from dvcq.rollup.store import previous_figures
from dvcq.rollup.targets import Comparison, comparisons, outcome, unit_tallies
from dvcq.text import fold, nfc
from dvcq.text import unit_running as running_name
from dvcq.units.groups import counted_phrase, covers_phrase, group_noun, heads, territorial_kinds
from dvcq.units.registry import ACROSS_REFORM, BODY_LEVEL, NOT_COMPARABLE, comparison, era_of, for_period, unit_part

from . import decree
from .decree import Signature

AREA = {"country": "cả nước", "province": "toàn tỉnh", "district": "toàn huyện", "commune": "toàn xã"}




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
    figures_to: date | None  # the data are due before the window ends: the figures run to this day
    part: str = ""  # 'phần trước 01/7/2025' / 'phần từ 01/7/2025' for a period straddling the 2025 reform


@dataclass(frozen=True)
class Figure:
    """An indicator of the report with last year's value and, for a rate, its summed terms."""
    code: str
    title: str
    unit: str
    kind: str
    value: float | None
    previous: float | None
    numerator: float | None
    denominator: float | None
    numerator_prev: float | None
    denominator_prev: float | None
    # a figure that does not add up across units (a catalogue's size, a rate of catalogues): in a roll-up ``value`` is
    # None and this is the smallest and largest unit's (lo, hi) over n units; a unit's own report has its value
    spread: Spread | None = None


@dataclass(frozen=True)
class Measure:
    """A measure of the reception log or the plan with last year's value."""
    title: str
    unit: str
    value: float | None
    previous: float | None


@dataclass(frozen=True)
class Cover:
    """How many expected units a source covers, and the words for the area it speaks of."""
    covered: int
    expected: int
    complete: bool
    fraction: str
    missing: tuple[str, ...]
    partial: tuple[str, ...]
    scope: str
    any: bool
    phrase: str = ""  # who the figures cover, group by group: "24/26 huyện, thị xã, thành phố và 10/12 sở, ban, ngành"


@dataclass(frozen=True)
class Covers:
    report: Cover
    log: Cover
    plan: Cover


@dataclass(frozen=True)
class LedgerView:
    expected: int
    submitted: int
    on_time: int
    late: tuple[str, ...]  # running names of the units
    missing: tuple[str, ...]
    excluded: tuple[str, ...]
    phrase: str = ""  # who sent, group by group: "20/26 huyện, thị xã, thành phố và 9/10 sở, ban, ngành"


@dataclass(frozen=True)
class OverdueCount:
    unit: str
    count: int


@dataclass(frozen=True)
class TextPoint:
    """One distinct sentence of a text section with the units that wrote it."""
    text: str
    units: tuple[str, ...]
    unit: str  # the units joined by commas
    bare: str  # the text without its final punctuation


@dataclass(frozen=True)
class PlanView:
    nv_tong: float | None
    nv_xong: float | None
    nv_dang: float | None
    nv_chua: float | None
    lt_ke_hoach: float | None
    lt_ra_mat: float | None
    nv_qua_han: float


@dataclass(frozen=True)
class ProgressView:
    """The plan's tasks by lead body, its recurring tasks and its rollout against target (dvcq.intake.progress)."""
    late: list[progress.BodyRow]  # the lead bodies with overdue tasks, the most behind first
    recurring: int  # tasks with a recurring deadline (never overdue)
    recurring_active: int  # of which being carried out (Đang triển khai)
    terms: list[progress.TermRow]  # the recurring tasks by term
    rollout: str  # "8/14 đơn vị đã ra mắt, mục tiêu 100% năm 2025: đạt 57%"; "" without a rollout


@dataclass(frozen=True)
class UnitView:
    code: str
    name: str
    i: dict[str, float | None]  # derived values by code


@dataclass(frozen=True)
class BestWorst:
    best: str  # "Xã A (95,0%)"
    worst: str


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
    i: dict[str, Figure]
    m: dict[str, Measure]
    units: list[UnitView]
    ledger: LedgerView | None
    overdue: list[OverdueCount]  # accepted cases open past their limit, by unit
    late_cases: int  # accepted cases resolved after their limit
    texts: dict[str, list[TextPoint]]
    plan: PlanView | None
    has_previous: bool
    best_worst: dict[str, BestWorst] | None
    notes: list[str]
    across_reform: bool = False  # comparisons are with the province before the 2025 reform (labelled)
    own_plan: PlanView | None = None  # the issuer's own plan in a roll-up (its own sentence), when it is in
    own_plan_missing: bool = False  # a roll-up whose issuer's own plan is expected and not in
    parts: Parts = Parts(())  # a province's two parts of a period straddling the 2025 reform (dvcq.calendar.parts)
    progress: ProgressView | None = None  # with the plan: progress by lead body, recurring tasks, rollout
    targets: tuple[Comparison, ...] = ()  # the indicators some unit set a target for, against it (dvcq.rollup.targets)
    reception: tuple[ReceptionView, ...] = ()  # the heads' periodic reception days by level, the issuer's own first
    # the same period of last year: its targets as the history kept them and whether they were met (label, outcome)
    previous_targets: tuple[tuple[str, str], ...] = ()
    symbol: str = "BC-UBND"  # after the number: "BC-SNV" for a declared body's own report (templates/co-quan.yaml)
    previous_label: str = ""  # that period in a sentence ("6 tháng đầu năm 2023", "quý I năm 2023")

    def variables(self) -> dict:
        """The template variables: each field by name (its value unchanged)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class _Source:
    """What the context is built from: a roll-up, or a unit's own files made into a one-unit roll-up."""
    rollup: Rollup
    own: bool
    notes: list[str]


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


def _indicators(values: Values, derived: dict, previous: Values | None, prev: dict | None) -> dict[str, Figure]:
    out = {}
    for ind in load_form(REPORT).indicators:
        num, den = terms(values, ind)
        num_prev, den_prev = terms(previous, ind)
        value = derived.get(ind.code)
        if not ind.additive and value is None:  # catalogues over units are not summed: no terms, only a spread
            num = den = num_prev = den_prev = None
        out[ind.code] = Figure(ind.code, ind.title, ind.unit, ind.kind, value, prev.get(ind.code) if prev else None,
                               num, den, num_prev, den_prev, values.spreads.get(ind.code) if value is None else None)
    return out


def _measures(derived: dict, prev: dict | None) -> dict[str, Measure]:
    out = {}
    for fid in (LOG, PLAN):
        for m in load_form(fid).measures:
            if m.code in derived:
                out[m.code] = Measure(m.title, m.unit, derived.get(m.code), prev.get(m.code) if prev else None)
    return out


# a sentence ends at . ! ? … (and any closing quote or bracket) before a space and a letter
_SENTENCE_END = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+[\"“«(]?[^\W\d_])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-ZĐ][A-Za-zĐđ]{0,2}|v\.v|Tp|TT)\.$")  # TP. TX. Q. ThS. v.v. end no sentence
_NOTHING = re.compile(r"^(khong co|khong)( (y kien|kien nghi|de xuat|gi|van de gi))?( (khac|them))?$")
# a new point starts at a line break, at a list marker opening a line ("- ", "• ", "1. ", "a) "), or at a
# dash bullet right after a sentence or clause end ("... xong. - Hai ..."); never at a dash inside a
# phrase such as "kinh tế - xã hội"
_ITEM = re.compile(r"\s*\n\s*(?:(?:[-•+*]|\d{1,2}[.)]|[a-zđ]\))\s+)?|^\s*(?:[-•+*]|\d{1,2}[.)]|[a-zđ]\))\s+"
                   r"|(?<=[.!?;:])\s+[-•+*]\s+")


def sentences(text: str) -> list[str]:
    """A unit's text split into sentences, each ending with its punctuation."""
    out: list[str] = []
    for item in _ITEM.split(str(text)):
        item = " ".join(item.split())
        start, pos = len(out), 0
        cuts = [m.end() for m in _SENTENCE_END.finditer(item)] + [len(item)]
        for cut in cuts:
            part = item[pos:cut].strip()
            pos = cut
            if not part:
                continue
            first_letter = next((c for c in part if c.isalpha()), "")
            if len(out) > start and (_ABBREVIATION.search(out[-1]) or not first_letter.isupper()):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return [s if s.rstrip("\"”»’)")[-1:] in (".", "!", "?", "…") else s + "." for s in out]


def _texts(items: list[UnitText]) -> dict[str, list[TextPoint]]:
    """Texts by section code, one entry per distinct sentence with the units that wrote it.

    Sentences are compared after folding (case, diacritics, spacing), so a point raised by several
    units appears once, followed by their names; points shared by more units come first.
    "Không có kiến nghị."-like sentences are left out when the section says anything else.
    """
    out: dict[str, list[TextPoint]] = {}
    for code in dict.fromkeys(t.code for t in items):
        groups: dict[str, tuple[str, list[str]]] = {}
        nothing: list[str] = []
        for t in (t for t in items if t.code == code):
            for sentence in sentences(nfc(t.text)):
                key = fold(sentence)
                if _NOTHING.match(key):
                    nothing.append(sentence)
                    continue
                _, names = groups.setdefault(key, (sentence, []))
                name = running_name(t.unit)
                if name not in names:
                    names.append(name)
        ordered = sorted(groups.values(), key=lambda g: -len(g[1]))  # stable: first seen first among equals
        if not ordered and nothing:
            ordered = [(nothing[0], [])]
        out[code] = [TextPoint(text, tuple(names), ", ".join(names), text.rstrip(".!? ")) for text, names in ordered]
    return out


def build_context(inputs, signer: str | None = None, number: str | None = None,
                  db: Path | None = None, today: date | None = None, date: str | date | None = None) -> ReportContext:
    """Context for the narrative from a roll-up workbook, or from a unit's own files: its periodic
    report with its reception log and plan when given (a folder or several files). ``date`` is the
    signing date (DD/MM/YYYY or a date); without it the day and month are left blank (``today``'s year).
    """
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    rollup = load_rollup(paths[0]) if len(paths) == 1 and paths[0].is_file() else None
    source = _Source(rollup, False, []) if rollup is not None else _from_unit_files(paths)
    roll = source.rollup
    period = parse(roll.period)
    era = era_of(period, roll.unit_code, roll.unit_name)  # a district's part of a period straddling the reform
    reg = for_period(period, era)
    unit = reg.require(roll.unit_code)
    db = outputs.history_db(db)
    scope = comparison(period, period.previous_year(), unit)
    # last year's figures of what this report covers: the roll-up's totals, or the unit's own files (dvcq.rollup.store)
    found = previous_figures(db, period, unit, source.own) if db and scope != NOT_COMPARABLE else None
    previous = found.values if found else None
    reform_note = REFORM_NOTE.format(year=period.year - 1) if scope == ACROSS_REFORM and previous else ""
    prev = derive(previous) if previous else None
    totals = derive(roll.totals)
    own = source.own
    ledger = None
    children = territorial_kinds(roll.ledger, reg)
    old_kinds = territorial_kinds(roll.ledger, for_period(period, "legacy"), UnitGroup.ABOLISHED) \
        if any(r.group == UnitGroup.ABOLISHED for r in roll.ledger) else ""  # the part before 1/7/2025
    if not own:  # who sent what to the issuer: its own row sends nothing up to itself
        sent = [r for r in roll.ledger if r.group != UnitGroup.OWN]
        led = submissions(sent)
        names_of = lambda rows: tuple(running_name(r.unit_name) for r in rows)  # noqa: E731
        counts = [(g, sum(r.submitted for r in sent if r.group == g), sum(r.group == g for r in sent))
                  for g in UnitGroup]
        ledger = LedgerView(led.expected, len(led.submitted), len(led.on_time), names_of(led.late),
                            names_of(led.not_submitted), names_of(led.invalid),
                            counted_phrase(counts, unit.level, children, old_kinds))
    names = {u.code: u.name for u in roll.units}
    counts = Counter(c.unit_code for c in roll.overdue_cases if c.status == "open")
    late_cases = sum(1 for c in roll.overdue_cases if c.status == "late")
    overdue = [OverdueCount(running_name(names.get(k, reg.get(k).name if reg.get(k) else k)), n)
               for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    plan = _plan(totals)
    mine = [u for u in roll.units if u.group == UnitGroup.OWN] if not own else []
    own_plan = _plan(derive(mine[0].values)) if mine else None
    own_missing = not own and any(r.group == UnitGroup.OWN and PLAN not in r.forms for r in roll.ledger)
    area = AREA.get(unit.level, unit.running_name)
    cover = Covers(*(_coverage(roll.ledger, fid, unit, own, children, area, old_kinds) for fid in (REPORT, LOG, PLAN)))
    issuer = _issuer(unit, reg)
    units = [UnitView(u.code, u.name, derive(u.values)) for u in roll.units]
    return ReportContext(
        issuer=issuer,
        period=_period_view(period, unit, reg, own),
        number=number or "",
        place_date=decree.place_date(issuer.place, period, decree.signing_date(date), today),
        signer=decree.signature(signer, unit=unit),
        symbol=decree.symbol("BC", unit, reg),
        recipients=decree.recipients(unit, reg),
        area=cover.report.scope,
        own=own,
        unit_code=unit.code,
        children=children,
        chair=_chair(issuer, own, roll.ledger, unit.level, children),
        cover=cover,
        i=_indicators(roll.totals, totals, previous, prev),
        m=_measures(totals, prev),
        units=units,
        ledger=ledger,
        overdue=overdue,
        late_cases=late_cases,
        texts=_texts(roll.texts),
        plan=plan,
        has_previous=previous is not None,
        best_worst=_best_worst(units),
        notes=source.notes + ([reform_note] if reform_note else []),
        across_reform=bool(reform_note),
        own_plan=own_plan if own_plan and own_plan.nv_tong else None,
        own_plan_missing=own_missing,
        parts=parts_of(period, unit, roll.ledger),
        progress=_progress(roll, totals) if plan is not None else None,
        targets=tuple(comparisons(roll.targets, totals, roll.totals.spreads)),
        reception=_reception(roll, unit, children),
        previous_targets=tuple((c.title, outcome(c)) for c in comparisons(found.targets, prev)) if found else (),
        previous_label=period.previous_year().running_label,
    )


def _reception(roll: Rollup, unit, children: str) -> tuple[ReceptionView, ...]:
    """One view per level of the heads' reception days, the issuer's own level first, then its bodies, then the
    levels below."""
    rules = load_rules().reception
    order = sorted(roll.reception, key=lambda lv: (lv != unit.level, RECEPTION_ORDER.index(lv)
                                                   if lv in RECEPTION_ORDER else len(RECEPTION_ORDER)))
    out = []
    for lv in order:
        t, rule = roll.reception[lv], rules.get(lv)
        who = heads(lv, unit, children)
        basis = f"{rule.text}; {rule.source}" if rule else ""
        if lv == unit.level and t.units == 1:
            text = (f"{who} đã thực hiện {fmt.number(t.held)} buổi tiếp công dân định kỳ; mức tối thiểu theo quy định "
                    f"là {fmt.number(t.required)} buổi ({basis}).")
        else:
            text = (f"{who} ({fmt.number(t.units)} đơn vị có số liệu) đã thực hiện {fmt.number(t.held)} buổi tiếp công "
                    f"dân định kỳ; mức tối thiểu theo quy định ({basis}) của các đơn vị này là "
                    f"{fmt.number(t.required)} buổi; {fmt.number(t.reached)}/{fmt.number(t.units)} đơn vị đạt mức "
                    "tối thiểu.")
        if t.stated:
            text += (f" {fmt.number(t.stated)} đơn vị ghi số buổi phải thực hiện khác mức tối thiểu theo quy định; số "
                     "trên tính theo quy định.")
        out.append(ReceptionView(lv, who, t.units, t.held, t.required, t.reached, t.stated,
                                 rule.text if rule else "", rule.source if rule else "", text))
    return tuple(out)


def _plan(values: dict) -> PlanView | None:
    """The plan's progress from derived values (None without plan figures)."""
    if "nv_tong" not in values:
        return None
    return PlanView(*(values.get(k) for k in ("nv_tong", "nv_xong", "nv_dang", "nv_chua", "lt_ke_hoach", "lt_ra_mat")),
                    nv_qua_han=values.get("nv_qua_han", 0))


def _chair(issuer: Issuer, own: bool, ledger: list[LedgerEntry], level: str, children: str) -> str:
    """Who received citizens: the unit's chairman, or the chairmen of the units (and the heads of the
    declared bodies whose reports are in)."""
    if own:
        return f"Lãnh đạo {issuer.phrase}" if issuer.level == BODY_LEVEL else f"Chủ tịch UBND {issuer.phrase}"
    bodies = any(r.group == UnitGroup.DEPARTMENT and REPORT in r.forms for r in ledger)
    heads = f" và thủ trưởng các {group_noun(UnitGroup.DEPARTMENT, level, children)}" if bodies else ""
    return f"Chủ tịch UBND các {children}{heads}"


def _progress(roll: Rollup, totals: dict) -> ProgressView:
    """What the report says of the plan beyond its counts (dvcq.intake.progress)."""
    rows = progress.rows(load_form(PLAN), roll.bodies)
    terms = progress.recurring(roll.bodies)
    state = progress.rollout(*progress.rollout_counts(roll, totals), roll.rollout_targets)  # distinct units
    return ProgressView(late=[b for b in rows if b.overdue], recurring=sum(t.tasks for t in terms),
                        recurring_active=sum(t.active for t in terms), terms=terms,
                        rollout=progress.rollout_text(state))


def _period_view(period, unit, reg, own: bool) -> PeriodView:
    part = unit_part(period, unit)  # a district's or commune's part of a period straddling the 2025 reform
    start, end = calendar_of(unit, reg).window(period, part.era if part.partial else None)
    more = f", {part.label}" if part.partial else ""
    return PeriodView(period.code, period.slug, period.label, period.running_label + more, period.title + more,
                      period.kind, period.windowed, period.year, start, end, period.next_label,
                      figures_date(period, unit.code, own, part.era if part.partial else None), part.label)


def _coverage(ledger: list[LedgerEntry], form_id: str, unit, own: bool, children: str, area: str,
              old_kinds: str = "") -> Cover:
    """Coverage of one source for the template: counts, who is missing, and the words for the area."""
    cov = from_ledger(ledger, form_id)
    missing = tuple(running_name(n) for n in cov.missing)
    partial = tuple(f"{running_name(n)} ({c}/{e})" if e else running_name(n) for n, (c, e) in cov.partial_counts.items())
    groups = by_group(ledger, form_id)
    phrase = (covers_phrase(groups, unit.level, children, " và ", old_kinds) if len(groups) > 1
              else f"{fmt.number(cov.covered)}/{fmt.number(cov.expected)} {children}")
    if own:
        scope = running_name(unit.name)
    elif cov.complete:
        scope = area
    else:
        scope = f"{phrase} có số liệu"
    return Cover(cov.covered, cov.expected, cov.complete, cov.fraction, missing, partial, scope, cov.covered > 0,
                 phrase)


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
    roll = Rollup(
        unit_code=main.unit_code, unit_name=main.unit_name, period=main.period, totals=totals,
        ledger=[LedgerEntry(main.unit_code, main.unit_name, True, None, "ok", tuple(sorted(chosen)))],
        overdue_cases=list(summaries[LOG].overdue_cases) if LOG in summaries else [],
        texts=[UnitText(main.unit_code, main.unit_name, k, v) for k, v in main.summary.texts.items()],
        bodies=list(plan.bodies) if plan else [],
        rollout_targets=[plan.rollout_target] if plan and plan.rollout_target else [],
        targets=unit_tallies(summaries, totals), reception=reception_of(summaries),
        rollout=list(plan.rollout) if plan else [])
    return _Source(roll, True, notes)


def _best_worst(units: list[UnitView]) -> dict[str, BestWorst] | None:
    """The units with the highest and lowest value of each key rate of the layout ("Xã A (95,0%)")."""
    out = {}
    for code in load_layout().key_rates:
        rated = [(u.i.get(code), running_name(u.name)) for u in units if isinstance(u.i.get(code), (int, float))]
        if len(rated) < 2:
            return None
        top, low = max(rated), min(rated)
        out[code] = BestWorst(f"{top[1]} ({fmt.percent(top[0])})", f"{low[1]} ({fmt.percent(low[0])})")
    return out
