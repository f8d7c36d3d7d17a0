"""Aggregation: the only code that sums values across units, derives ratios from sums and averages scores.

Each unit contributes additive values (counts, sums, score sums and counts, crosstab cells); totals
are sums; ratios and means are derived from the totals, never averaged. A roll-up carries its
additive totals, so consolidating district roll-ups gives the same provincial totals as
consolidating every commune directly.
"""
from __future__ import annotations

from dvcq.forms.spec import LOG, PLAN, REPORT, load_form
from functools import lru_cache

from dvcq.model import (
    FormSummary,
    ReceptionTally,
    Rollup,
    Score,
    Spread,
    Values,
    add_reception,
    ratio,
    ratio_of,
    sum_of,
)

from .layout import load_layout


def terms(values: Values | None, ind) -> tuple[float | None, float | None]:
    """The summed numerator and denominator of a ratio indicator (None, None for any other)."""
    if values is None or ind.kind != "ratio":
        return None, None
    return sum_of(values.counts, ind.numerator), sum_of(values.counts, ind.denominator)


def _derived_count(d, summary: FormSummary) -> int:
    """A derived count of the layout (dvcq.rollup.layout.Derived) from one file's summary."""
    if d.count in ("overdue_open", "resolved_late"):
        status = "open" if d.count == "overdue_open" else "late"
        return sum(1 for c in summary.overdue_cases
                   if c.status == status and (not d.phan_loai or c.phan_loai == d.phan_loai))
    return {"overdue_tasks": len(summary.overdue_tasks), "files": 1}[d.count]


def additive(summaries: dict[str, FormSummary | Rollup]) -> Values:
    """The additive values of one unit from its files' summaries (by form id); a roll-up's are its totals."""
    roll = next((s for s in summaries.values() if isinstance(s, Rollup)), None)
    if roll is not None:
        return Values(dict(roll.totals.counts), dict(roll.totals.scores), dict(roll.totals.crosstab),
                      dict(roll.totals.spreads))
    out = Values()
    rep = summaries.get(REPORT)
    if rep:
        got, counts, spreads, scores = rep.indicators, out.counts, out.spreads, out.scores
        for code, kind, adds in _report_kinds():
            v = got.get(code)
            if v is None:
                continue
            if kind == "count":
                counts[code] = v
                if not adds:  # the unit's own figure; over units only its spread
                    spreads[code] = Spread(v, v, 1)
            elif kind == "score":
                scores[code] = Score(v, 1)
        for ind in _spread_rates():  # a rate of figures that do not add up: the unit's own rate
            if all(c in out.counts for c in ind.numerator + ind.denominator):
                r = ratio_of(out.counts, ind.numerator, ind.denominator)
                if r is not None:  # kept to the 15 digits a workbook cell stores, so it reads back equal
                    r = float(f"{r:.15g}")
                    out.spreads[ind.code] = Spread(r, r, 1)
    for fid in (LOG, PLAN):
        s = summaries.get(fid)
        if not s:
            continue
        got = s.measures
        for code in _counted_measures(fid):
            out.counts[code] = got.get(code) or 0
        for k, n in s.crosstab.items():
            out.crosstab[k] = out.crosstab.get(k, 0) + n
    for d in load_layout().derived:
        s = summaries.get(d.form)
        if s:
            out.counts[d.code] = _derived_count(d, s)
    return out


def derive(values: Values) -> dict[str, float | None]:
    """The counts with ratios (from summed numerators and denominators) and score means added."""
    counts, scores = values.counts, values.scores
    out: dict[str, float | None] = dict(counts)
    for code, numerator, denominator in _derived_plan():
        if numerator is None:  # a score: its mean
            s = scores.get(code)
            out[code] = ratio(s.total, s.n) if s else None
        elif denominator[1]:  # a measure's ratio
            out[code] = ratio_of(counts, numerator, denominator[0])
        else:  # an indicator's ratio, when any of its denominator's figures is there
            have = any(c in counts for c in denominator[0])
            out[code] = ratio_of(counts, numerator, denominator[0]) if have else None
    return out


@lru_cache(maxsize=None)
def _report_kinds() -> tuple[tuple[str, str, bool], ...]:
    """The report's indicators as (code, kind, additive), in order: looked up once, not for every unit."""
    return tuple((i.code, i.kind, bool(i.additive)) for i in load_form(REPORT).indicators)


@lru_cache(maxsize=None)
def _counted_measures(fid: str) -> tuple[str, ...]:
    """The codes of a form's measures that are counts (not ratios), in order."""
    return tuple(m.code for m in load_form(fid).measures if m.kind != "ratio")


@lru_cache(maxsize=None)
def _derived_plan() -> tuple:
    """What ``derive`` adds, in its order: (code, numerator, (denominator, is a measure)) for a ratio, (code, None,
    None) for a score's mean."""
    out = []
    for ind in load_form(REPORT).indicators:
        if ind.kind == "ratio":
            out.append((ind.code, tuple(ind.numerator), (tuple(ind.denominator), False)))
        elif ind.kind == "score":
            out.append((ind.code, None, None))
    for fid in (LOG, PLAN):
        out += [(m.code, tuple(m.numerator), (tuple(m.denominator), True)) for m in load_form(fid).measures
                if m.kind == "ratio"]
    return tuple(out)


def _plus(a: float, b: float) -> float:
    """a + b, a sum of fractions kept to the 15 significant digits a workbook cell stores (0.1 + 0.2 is
    0.3), so a total read back from a roll-up equals the total written (1746.1000000000001 would not)."""
    out = a + b
    return out if isinstance(out, int) or out.is_integer() else float(f"{out:.15g}")


@lru_cache(maxsize=None)
def _not_added() -> frozenset[str]:
    """The report's counts that do not add up across units (``additive: false``): kept as spreads."""
    return frozenset(i.code for i in load_form(REPORT).indicators if i.kind == "count" and not i.additive)


@lru_cache(maxsize=None)
def _spread_rates() -> tuple:
    """The report's rates of figures that do not add up (CC15, CC16, TD03): a spread over units, never a ratio of sums."""
    return tuple(i for i in load_form(REPORT).indicators if i.kind == "ratio" and not i.additive)


def add_into(total: Values, other: Values) -> None:
    """Add a unit's values into running totals; a figure that does not add up combines into its spread."""
    skip = _not_added()
    for k, v in other.counts.items():
        if k in skip:
            continue
        total.counts[k] = _plus(total.counts.get(k, 0), v)
    for k, r in other.spreads.items():
        mine = total.spreads.get(k)
        total.spreads[k] = r if mine is None else mine + r
    for k, s in other.scores.items():
        mine = total.scores.get(k)
        total.scores[k] = s if mine is None else Score(_plus(mine.total, s.total), mine.n + s.n)
    for k, n in other.crosstab.items():
        total.crosstab[k] = total.crosstab.get(k, 0) + n



def reception_of(summaries) -> dict[str, ReceptionTally]:
    """The heads' reception days by level of one unit's files (its report's, or its roll-up's own by level)."""
    out: dict[str, ReceptionTally] = {}
    for s in summaries.values():
        add_reception(out, s.reception.values() if isinstance(s, Rollup) else [s.reception] if s.reception else [])
    return out
