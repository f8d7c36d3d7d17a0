"""Targets (chỉ tiêu) for the periodic report's indicators that a plan can set (``target: true`` in its
specification): a unit's target comes from its plan of the same period (sheet "Chỉ tiêu") when there is
one, else from its report (column "Chỉ tiêu"); the plan wins.

A unit's target against its figure is a ``TargetTally`` of one, and tallies add up like values: a count's
targets are summed over the units that set one, a rate's are not (the total says how many units reached
their own target, and is compared with a target only when every unit shares it). ``compare`` turns a tally
and a figure into what a roll-up row and the narrative show.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from dvcq import fmt
from dvcq.forms.spec import PLAN, REPORT, Indicator, load_form
from dvcq.model import FormSummary, Rollup, Spread, Target, TargetTally, UnitGroup, Values

from .aggregate import derive

EPSILON = 1e-9  # a rate computed as 0.9999999999 reaches a target of 100%


def chosen(summaries: dict[str, FormSummary | Rollup]) -> dict[str, Target]:
    """A unit's targets from its files' summaries by form id: the report's, replaced by the plan's."""
    out: dict[str, Target] = {}
    for fid in (REPORT, PLAN):
        s = summaries.get(fid)
        if isinstance(s, FormSummary):
            out.update(s.targets)
    return out


def reached(value: float, target: float) -> bool:
    return value >= target - EPSILON


def tally(ind: Indicator, value: float | None, target: Target | None) -> TargetTally:
    """One unit's tally of one indicator: its figure (None when it has none) against its target (or None)."""
    has = value is not None
    if target is None:
        return TargetTally(figures=int(has))
    if not has:
        return TargetTally(units=1)
    t = target.value
    if ind.kind == "count":
        return TargetTally(1, 1, 1, int(reached(value, t)), target=t, value=value)
    return TargetTally(1, 1, 1, int(reached(value, t)), shared=((t, 1),))


def unit_tallies(summaries: dict[str, FormSummary | Rollup], values: Values,
                 derived: dict[str, float | None] | None = None) -> dict[str, TargetTally]:
    """The tallies of one unit of a roll-up: its figures against its targets, or a roll-up's own totals;
    ``derived``: ``derive(values)`` when the caller has it already."""
    roll = next((s for s in summaries.values() if isinstance(s, Rollup)), None)
    if roll is not None:
        return dict(roll.targets)
    targets = chosen(summaries)
    if REPORT not in summaries and not targets:
        return {}
    if derived is None:
        derived = derive(values)
    out = {}
    figures = derived if REPORT in summaries else {}
    for ind in load_form(REPORT).targetable:
        value, target = figures.get(ind.code), targets.get(ind.code)
        if value is None and target is None:  # neither figure nor target: no tally
            continue
        t = tally(ind, value, target)
        if t != EMPTY:
            out[ind.code] = t
    return out


EMPTY = TargetTally()


def add_into(total: dict[str, TargetTally], other: dict[str, TargetTally]) -> None:
    for code, t in other.items():
        total[code] = total.get(code, EMPTY) + t


def by_group(roll: Rollup, code: str) -> list[tuple[UnitGroup, TargetTally]]:
    """One indicator's tallies summed over each group of a roll-up's units, in group order, the groups whose units
    set a target for it: a figure the law binds to a level (the heads' reception days) is compared level by level,
    never pooled (the roll-up's sheet of targets and the report both count it here)."""
    out = []
    for g in roll.groups():
        tally = sum((uv.targets[code] for uv in roll.units if uv.group == g and code in uv.targets), TargetTally())
        if tally.units:
            out.append((g, tally))
    return out


def common_target(t: TargetTally) -> float | None:
    """The one target every unit with the figure set, or None (some set another, or none)."""
    if t.figures and t.reported == t.figures and len(t.shared) == 1:
        return t.shared[0][0]
    return None


@dataclass(frozen=True)
class Comparison:
    """One indicator's figure against its targets, as a roll-up row or the narrative shows it.

    ``target`` is what the figure is compared with: for a count the summed targets, for a rate or score the
    target every unit shares; None when there is none to compare with (then ``percent`` is None too). For a
    count whose units do not all have a target, ``part_value``/``part_target``/``part_percent`` compare the
    units that set one."""
    code: str
    title: str
    unit: str
    kind: str
    value: float | None  # the figure (of every unit with it)
    target: float | None
    percent: float | None  # value / target
    figures: int  # units with the figure
    units: int  # units with a target
    reported: int  # units with both
    reached: int
    part_value: float | None = None
    part_target: float | None = None
    part_percent: float | None = None
    spread: Spread | None = None  # a figure that does not add up (a rate of catalogues): smallest, largest unit's

    @property
    def all_set(self) -> bool:
        """Every unit with the figure set a target."""
        return self.figures > 0 and self.reported == self.figures

    @property
    def unreported(self) -> int:
        """Units that set a target and have no figure (never counted as zero)."""
        return self.units - self.reported


def _share(value, target) -> float | None:
    return value / target if value is not None and target else None


def compare(ind: Indicator, t: TargetTally, value: float | None) -> Comparison:
    """The comparison of a tally (a unit's or a total's) with the figure it was tallied from."""
    kw = dict(code=ind.code, title=ind.title, unit=ind.unit, kind=ind.kind, value=value, figures=t.figures,
              units=t.units, reported=t.reported, reached=t.reached)
    if ind.kind == "count":
        if not t.reported:
            return Comparison(target=None, percent=None, **kw)
        if t.reported == t.figures:
            return Comparison(target=t.target, percent=_share(value, t.target), **kw)
        return Comparison(target=None, percent=None, part_value=t.value, part_target=t.target,
                          part_percent=_share(t.value, t.target), **kw)
    common = common_target(t)
    return Comparison(target=common, percent=_share(value, common) if common is not None else None, **kw)


def comparisons(tallies: dict[str, TargetTally], derived: dict, spreads: dict | None = None) -> list["Comparison"]:
    """The comparisons of the targetable indicators some unit set a target for, in the form's order; a figure that
    does not add up across units carries its spread (``spreads``: dvcq.model.Values.spreads of the totals)."""
    return [replace(compare(ind, tallies[ind.code], derived.get(ind.code)), spread=(spreads or {}).get(ind.code))
            for ind in load_form(REPORT).targetable if ind.code in tallies and tallies[ind.code].units]


def note(c: Comparison, single: bool, part_shown: bool = False) -> str:
    """What a row of the sheet of targets says beside its figures: a unit's target without its figure, the
    units of a total that set one when not all did (unless ``part_shown`` on a row of their own), the
    different targets of a rate."""
    parts = []
    if c.unreported:
        parts.append("Chưa có số liệu" if single else f"{c.unreported} đơn vị có chỉ tiêu chưa có số liệu")
    if single or not c.reported:
        return "; ".join(parts)
    if c.kind == "count" and c.part_target is not None and not part_shown:
        parts.append(f"{c.reported}/{c.figures} đơn vị có chỉ tiêu, đạt {fmt.number(c.part_value)}/"
                     f"{fmt.number(c.part_target)} {c.unit}" + (f" ({fmt.percent(c.part_percent)})"
                                                                  if c.part_percent is not None else ""))
    elif c.kind != "count" and c.target is None:
        parts.append(f"{c.reported}/{c.figures} đơn vị có chỉ tiêu" if c.reported < c.figures
                     else "Các đơn vị có chỉ tiêu khác nhau")
    return "; ".join(parts)


def outcome(c: Comparison) -> str:
    """Whether a period's targets were met, in the few words the report of the year after gives them
    ("đạt chỉ tiêu (12/10 cuộc)", "chưa đạt chỉ tiêu (85,0%/100%)", "3/5 đơn vị đạt chỉ tiêu của mình");
    a target without its figure is "chưa có số liệu", never a miss; a figure that does not add up across units (a
    rate of catalogues: no total, ``additive: false``) is told by the units that reached their own."""
    if not c.reported:
        return "chưa có số liệu để so với chỉ tiêu"
    if c.value is None:
        return f"{c.reached}/{c.reported} đơn vị đạt chỉ tiêu của mình"
    if c.target is not None:
        met = "đạt" if reached(c.value, c.target) else "chưa đạt"
        return (f"{met} chỉ tiêu ({fmt.amount(c.value, c.kind, c.unit)}/"
                f"{fmt.amount(c.target, c.kind, c.unit)})")
    if c.part_target is not None:
        met = "đạt" if reached(c.part_value, c.part_target) else "chưa đạt"
        return (f"{met} chỉ tiêu trên {c.reported}/{c.figures} đơn vị có chỉ tiêu "
                f"({fmt.amount(c.part_value, c.kind, c.unit)}/{fmt.amount(c.part_target, c.kind, c.unit)})")
    return f"{c.reached}/{c.reported} đơn vị đạt chỉ tiêu của mình"

