"""How a target (chỉ tiêu) of an indicator is written and bounded: the fields of a plan's sheet of
targets, the range a target may take in the indicator's scale, and a plan's percent as that scale.
Building the forms and checking a plan's or a report's targets both read it (dvcq.rollup.targets adds
targets up across units).
"""
from __future__ import annotations

from .spec import Indicator

# the fields of a plan's sheet of targets beside the one naming the indicator (`targets_of`): the value as the
# plan writes it, the target's year, the plan's own words
PLAN_TARGET_FIELDS = ("gia_tri", "nam", "noi_dung")


def bounds(ind: Indicator) -> tuple[float, float | None, bool]:
    """(lowest, highest, whole) a target of ``ind`` may be, in the indicator's scale: a rate 0 to 1 (0% to
    100%), a count at least 0 (whole when the indicator is), a score within the indicator's own range."""
    if ind.kind == "ratio":
        return 0.0, 1.0, False
    lo = ind.minimum if ind.minimum is not None else 0
    return lo, ind.maximum, ind.kind == "count" and ind.whole


def from_plan(ind: Indicator, written: float) -> float:
    """A target as a plan writes it in the indicator's scale: a rate is written in percent (100 for 100%)."""
    return written / 100 if ind.kind == "ratio" else written
