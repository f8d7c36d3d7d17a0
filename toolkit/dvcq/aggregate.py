"""Aggregation: the only code that sums values across units, derives ratios from sums and averages scores.

Each unit contributes additive values (counts, sums, score sums and counts, crosstab cells); totals
are sums; ratios and means are derived from the totals, never averaged. A roll-up carries its
additive totals, so consolidating district roll-ups gives the same provincial totals as
consolidating every commune directly.
"""
from __future__ import annotations

from .model import FormSummary, RollupSummary
from .spec import LOG, PLAN, REPORT, ROLLUP_FORM_ID, load_form


def ratio(num, den) -> float | None:
    """num / den, None when the denominator is zero or missing."""
    return None if not den else num / den


def sum_of(values: dict, codes) -> float:
    """The sum of the given values (missing and empty count as 0)."""
    return sum(values.get(c) or 0 for c in codes)


def ratio_of(values: dict, numerator, denominator) -> float | None:
    """A ratio from summed numerators and denominators."""
    return ratio(sum_of(values, numerator), sum_of(values, denominator))


def terms(values: dict | None, ind) -> tuple[float | None, float | None]:
    """The summed numerator and denominator of a ratio indicator (None, None for any other)."""
    if values is None or ind.kind != "ratio":
        return None, None
    return sum_of(values, ind.numerator), sum_of(values, ind.denominator)


def additive(summaries: dict[str, FormSummary | RollupSummary]) -> dict[str, float]:
    """The additive values of one unit from its files' summaries (by form id)."""
    if ROLLUP_FORM_ID in summaries:
        return dict(summaries[ROLLUP_FORM_ID].values)
    out: dict[str, float] = {}
    rep = summaries.get(REPORT)
    if rep:
        for ind in load_form(REPORT).indicators:
            v = rep.indicators.get(ind.code)
            if v is None:
                continue
            if ind.kind == "count":
                out[ind.code] = v
            elif ind.kind == "score":
                out[f"{ind.code}__sum"], out[f"{ind.code}__n"] = v, 1
    for fid in (LOG, PLAN):
        s = summaries.get(fid)
        if not s:
            continue
        form = load_form(fid)
        for m in form.measures:
            if m.kind != "ratio":
                out[m.code] = s.measures.get(m.code) or 0
        for k, n in s.crosstab.items():
            out[f"x.{k}"] = n
        if fid == LOG:
            out["qh_vu_viec"] = len(s.overdue_cases)
        if fid == PLAN:
            out["nv_qua_han"] = len(s.overdue_tasks)
            out["don_vi_co_ke_hoach"] = 1
    return out


def derive(values: dict[str, float]) -> dict[str, float | None]:
    """Add ratios (from summed numerators and denominators) and score means to additive values."""
    out: dict[str, float | None] = dict(values)
    for ind in load_form(REPORT).indicators:
        if ind.kind == "ratio":
            have = any(c in values for c in ind.denominator)
            out[ind.code] = ratio_of(values, ind.numerator, ind.denominator) if have else None
        elif ind.kind == "score":
            out[ind.code] = ratio(values.get(f"{ind.code}__sum", 0), values.get(f"{ind.code}__n") or 0)
    for fid in (LOG, PLAN):
        for m in load_form(fid).measures:
            if m.kind == "ratio":
                out[m.code] = ratio_of(values, m.numerator, m.denominator)
    return out


def add_into(total: dict[str, float], values: dict[str, float]) -> None:
    """Add a unit's additive values into running totals."""
    for k, v in values.items():
        if isinstance(v, (int, float)):
            total[k] = total.get(k, 0) + v
