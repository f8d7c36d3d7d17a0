"""Plan progress added up across units for the roll-up and the narrative: the bodies of several plans by
key, the rollout targets of several plans, the table rows by lead body and by recurring term, and the
rollout against the plans' target (dvcq.intake.progress measures one plan).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from dvcq import fmt
from dvcq.forms.labels import NO_LEAD
from dvcq.forms.plandoc import RECURRING_TERMS
from dvcq.forms.spec import Form
from dvcq.intake.progress import done_rate
from dvcq.model import BodyProgress, RolloutListing, RolloutTarget, Rollup, ratio_of
from dvcq.calendar.periods import parse
from dvcq.text import unit_running
from dvcq.units.registry import era_of

from .coverage import days_phrase


def _add_counts(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in dict.fromkeys([*a, *b])}


def add_bodies(total: list[BodyProgress], more: list[BodyProgress]) -> list[BodyProgress]:
    """Bodies of several plans added up by key (first spelling and first-seen order kept)."""
    out = {b.key: b for b in total}
    for b in more:
        a = out.get(b.key)
        if a is None:
            out[b.key] = b
            continue
        recurring = {t: _add_counts(a.recurring.get(t, {}), b.recurring.get(t, {}))
                     for t in RECURRING_TERMS if t in a.recurring or t in b.recurring}
        out[b.key] = BodyProgress(a.key, a.name, a.units + b.units, _add_counts(a.counts, b.counts),
                                  a.overdue + b.overdue, recurring)
    return list(out.values())


def add_targets(total: list[RolloutTarget], more: list[RolloutTarget]) -> list[RolloutTarget]:
    """Targets of several plans: one entry per (year, share), counting the plans that set it."""
    out = {(t.year, t.share): t for t in total}
    for t in more:
        a = out.get((t.year, t.share))
        out[(t.year, t.share)] = t if a is None else RolloutTarget(t.year, t.share, a.units + t.units)
    return list(out.values())


UNSURE = "?"  # the era of a listing no registry can be told for: "?<roll-up's code>", never merged with another's


def with_eras(rollup: Rollup) -> list[RolloutListing]:
    """A roll-up's rollout listings, each with the registry its plan was read in. A roll-up written before listings
    carried it (era '') is read by its own period and unit: a listing's era is its plan's issuer's in that period
    (dvcq.units.registry.era_of, the roll-up's own unit deciding a code both registries hold under one name). Where
    the roll-up's unit is itself in both (a province's roll-up of a period straddling the 2025 reform), such a code
    cannot be told: it is kept apart ("?" and the roll-up's code), never merged with a unit of either registry."""
    if all(x.era for x in rollup.rollout):
        return rollup.rollout
    period = parse(rollup.period)
    eras = {era_of(period, rollup.unit_code, rollup.unit_name, hint) for hint in ("legacy", "2025")}
    hint = next(iter(eras)) if len(eras) == 1 else None
    out = []
    for x in rollup.rollout:
        if not x.era:
            told = {era_of(period, x.plan_code, x.plan_name, h) for h in ("legacy", "2025")}
            era = next(iter(told)) if len(told) == 1 else hint or f"{UNSURE}{rollup.unit_code}"
            x = replace(x, era=era)
        out.append(x)
    return out


def unsure_note(listings: list[RolloutListing]) -> str:
    """The listings ``with_eras`` could not place in a registry, said (Vietnamese, for the consolidation's notes);
    '' when none."""
    unsure = list(dict.fromkeys((x.unit_name, x.unit_code) for x in listings if x.era.startswith(UNSURE)))
    if not unsure:
        return ""
    names = ", ".join(f"{name} ({code})" if code else name for name, code in unsure)
    return (f"Lộ trình mô hình: {len(unsure)} đơn vị trong biểu tổng hợp lập bằng phiên bản trước không ghi thuộc danh "
            f"mục đơn vị hành chính trước hay sau sắp xếp, mà mã và tên có ở cả hai danh mục: {names}. Mỗi đơn vị này "
            "được tính riêng, không gộp với đơn vị cùng mã ở kế hoạch khác; đề nghị đơn vị gửi lại biểu tổng hợp lập "
            "bằng phiên bản mới.")


@dataclass(frozen=True)
class ListedUnit:
    """One unit as the rollout counts it: the listing used (its own plan's, else the first plan's) and the
    listings of other plans that say otherwise (another status or year)."""
    used: RolloutListing
    others: tuple[RolloutListing, ...]


def listed_units(listings: list[RolloutListing]) -> list[ListedUnit]:
    """The distinct units the plans' rollouts list, in first-listed order. A unit listed by several plans
    (its district's and its own) is one unit: its own plan's word is used, else the first plan's; within one
    plan, a launched row of the unit wins over its planned ones (the year it launched)."""
    by_unit: dict[tuple[str, str, str], list[RolloutListing]] = {}
    for x in listings:
        by_unit.setdefault(x.key, []).append(x)
    out = []
    for items in by_unit.values():
        plans = list(dict.fromkeys(x.plan_code for x in items))
        own = next((p for p in plans if p == items[0].unit_code), plans[0])
        mine = [x for x in items if x.plan_code == own]
        used = next((x for x in mine if x.launched), mine[0])
        differ = tuple(x for x in items if x.plan_code != own and (x.launched, x.year) != (used.launched, used.year)
                       and not any(y.plan_code == x.plan_code and (y.launched, y.year) == (used.launched, used.year)
                                   for y in items))
        out.append(ListedUnit(used, differ))
    return out


def rollout_counts(rollup: Rollup, totals: dict) -> tuple[float, float]:
    """(launched, planned) units of the rollout: distinct units of the plans' listings; a roll-up written
    before listings travelled (none) counts its plans' rows as it did (``totals``' lt_ra_mat, lt_ke_hoach)."""
    if not rollup.rollout:
        return totals.get("lt_ra_mat") or 0, totals.get("lt_ke_hoach") or 0
    units = listed_units(with_eras(rollup))
    return sum(1 for u in units if u.used.launched), len(units)


def disagreement(u: ListedUnit) -> str:
    """A unit two plans list differently, in words naming each plan (Vietnamese, for a warning)."""
    def said(x: RolloutListing) -> str:
        what = "đã ra mắt" if x.launched else "chưa ra mắt"
        return f"kế hoạch của {unit_running(x.plan_name)} ghi {what}" + (f" (năm {x.year})" if x.year else "")
    name = f"{u.used.unit_name} ({u.used.unit_code})" if u.used.unit_code else u.used.unit_name
    return (f"Lộ trình mô hình: {name} được nhiều kế hoạch ghi khác nhau: {said(u.used)}; "
            + "; ".join(said(x) for x in u.others) + f". Tính theo kế hoạch của {unit_running(u.used.plan_name)}.")


@dataclass(frozen=True)
class BodyRow:
    """One lead body as the roll-up's plan sheet and the report show it."""
    name: str  # the body's name, or NO_LEAD
    units: int
    tasks: int
    done: int
    active: int
    not_started: int
    paused: int
    overdue: int
    recurring: int
    recurring_active: int
    rate: float | None  # the spec's completion rate (done / tasks) over the tasks that are not recurring
    lead: bool  # a named body (False for the row of tasks without a lead)
    once: int  # tasks that are not recurring (the rate's denominator)
    once_done: int  # of which done (its numerator)


# the task measures each column of BodyRow shows (codes of templates/forms/ke-hoach.yaml)
ALL, DONE, ACTIVE, NOT_STARTED, PAUSED = "nv_tong", "nv_xong", "nv_dang", "nv_chua", "nv_dung"


def rows(form: Form, items: list[BodyProgress]) -> list[BodyRow]:
    """The bodies behind first: the largest share of overdue tasks (then the most), then the lowest
    completion rate, then the most tasks; the tasks without a lead last (they are no body's). The rate is
    the spec's (nv_ty_le) over the tasks that are not recurring: a recurring task is carried out all
    along, it does not wait to be done."""
    rate = done_rate(form)
    out = []
    for b in items:
        c = b.counts
        again = {}
        for t in b.recurring.values():
            again = _add_counts(again, t)
        once = {k: v - again.get(k, 0) for k, v in c.items()}
        out.append(BodyRow(
            name=b.name or NO_LEAD, units=b.units, tasks=c.get(ALL, 0), done=c.get(DONE, 0), active=c.get(ACTIVE, 0),
            not_started=c.get(NOT_STARTED, 0), paused=c.get(PAUSED, 0), overdue=b.overdue,
            recurring=again.get(ALL, 0), recurring_active=again.get(ACTIVE, 0),
            rate=ratio_of(once, rate.numerator, rate.denominator) if rate else None, lead=bool(b.key),
            once=once.get(ALL, 0), once_done=once.get(DONE, 0)))
    return sorted(out, key=lambda r: (not r.lead, -(r.overdue / r.tasks if r.tasks else 0), -r.overdue,
                                      r.rate if r.rate is not None else 2, -r.tasks))


@dataclass(frozen=True)
class TermRow:
    """The recurring tasks of one term ("Thường xuyên") over all bodies."""
    term: str
    tasks: int
    active: int
    done: int
    not_started: int
    paused: int


def recurring(items: list[BodyProgress]) -> list[TermRow]:
    """The recurring tasks by term, in the order of plandoc.RECURRING_TERMS."""
    out = []
    for term in RECURRING_TERMS:
        c: dict[str, int] = {}
        for b in items:
            c = _add_counts(c, b.recurring.get(term, {}))
        if c.get(ALL):
            out.append(TermRow(term, c[ALL], c.get(ACTIVE, 0), c.get(DONE, 0), c.get(NOT_STARTED, 0),
                               c.get(PAUSED, 0)))
    return out


@dataclass(frozen=True)
class Rollout:
    """The rollout of the model against the plans' target, as the roll-up and the report say it."""
    launched: float
    planned: float
    share: float | None  # launched / planned
    year: int | None  # the target's year, when every plan sets the same target
    target: float | None  # its share in percent
    attainment: float | None  # share / target share
    differs: bool  # the plans set different targets (or some set none): never averaged
    with_target: int  # plans that set a target
    plans: int  # plans counted


def rollout(launched: float, planned: float, targets: list[RolloutTarget]) -> Rollout:
    """The rollout share and, when all plans set the same target, its attainment; a target is never
    invented (no target: the share alone) nor averaged (different targets: ``differs``)."""
    share = launched / planned if planned else None
    set_ = [t for t in targets if t.year is not None or t.share is not None]
    plans = sum(t.units for t in targets)
    with_target = sum(t.units for t in set_)
    one = set_[0] if len(set_) == 1 and with_target == plans else None
    year, aim = (one.year, one.share) if one else (None, None)
    attained = share / (aim / 100) if share is not None and aim else None
    return Rollout(launched, planned, share, year, aim, attained, bool(set_) and one is None, with_target, plans)


def rollout_text(r: Rollout, who: str = "", days: tuple[date, date] | None = None) -> str:
    """The rollout as the roll-up and the report say it: "8/14 đơn vị có tên trong lộ trình của các kế hoạch đã nộp
    (14/14 xã, thị trấn và cấp huyện; số liệu đến ngày 14/06/2024) đã ra mắt, mục tiêu 100% năm 2025: đạt 57,1%":
    its units are those the plans' sheet Lộ trình lists, ``who`` the plans counted (dvcq.rollup.coverage.phrase),
    ``days`` the first and last day their figures run to; without ``who`` (a unit's own plan) "8/14 đơn vị đã ra
    mắt". The share alone when the plans set no target, never an invented or averaged one."""
    if not r.planned:
        return ""
    basis = "; ".join(x for x in (who, days_phrase(days)) if x)
    listed = f" có tên trong lộ trình của các kế hoạch đã nộp ({basis})" if who else (f" ({basis})" if basis else "")
    done = f"{fmt.number(r.launched)}/{fmt.number(r.planned)} đơn vị{listed} đã ra mắt"
    share = f" ({fmt.percent(r.share)})"
    if r.differs:
        some = "" if r.with_target == r.plans else \
            f"; {fmt.number(r.with_target)}/{fmt.number(r.plans)} kế hoạch ghi mục tiêu"
        return f"{done}{share}, mục tiêu theo kế hoạch của từng đơn vị{some}"
    if r.target is not None:
        year = f" năm {r.year}" if r.year else ""
        reached = f": đạt {fmt.percent(r.attainment)}" if r.attainment is not None else ""
        return f"{done}{share if not reached else ''}, mục tiêu {fmt.number(r.target)}%{year}{reached}"
    if r.year:
        return f"{done}{share}, mục tiêu năm {r.year} (kế hoạch không ghi tỷ lệ mục tiêu)"
    return f"{done}{share}"


def target_text(r: Rollout) -> str:
    """The target alone, for the roll-up's rollout block: "100% năm 2025", "theo kế hoạch của từng đơn
    vị", "năm 2025 (không ghi tỷ lệ)", or "kế hoạch không ghi mục tiêu"."""
    if r.differs:
        return "theo kế hoạch của từng đơn vị"
    if r.target is not None:
        return f"{fmt.number(r.target)}%" + (f" năm {r.year}" if r.year else "")
    if r.year:
        return f"năm {r.year} (không ghi tỷ lệ)"
    return "kế hoạch không ghi mục tiêu"
