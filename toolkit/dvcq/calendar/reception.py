"""The head's minimum of periodic citizen-reception days, from the law for the unit's level and the days it
reports on (Luật Tiếp công dân 2013; the rules and their articles in templates/thoi-han.yaml).

A commune's chairman receives at least one day a week, a district's two days a month, a province's and the head
of a sở one day a month. The minimum of a unit is computed from its level and its own days: the data window of
its file (the part of a period that straddles the 2025 reform), cut to the days a declared body exists
(templates/co-quan.yaml). It is never a figure summed from what units typed: what a unit types as "phải thực
hiện" is checked against it, and a roll-up states each level's days apart (dvcq.model.ReceptionTally).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .timelimits import ReceptionRule, Rules, load_rules


@dataclass(frozen=True)
class Minimum:
    """The least number of periodic reception days one unit's head must hold over the days it reports on."""
    days: int
    rule: ReceptionRule
    start: date  # the days the unit reports on
    end: date
    spans: int  # the weeks (months) of those days that require a day

    @property
    def level(self) -> str:
        return self.rule.level

    @property
    def basis(self) -> str:
        """'1 ngày mỗi tuần × 26 tuần từ 15/12/2023 đến 14/06/2024 (Luật Tiếp công dân 2013, Điều 15 khoản 2)'."""
        unit = "tuần" if self.rule.per == "week" else "tháng"
        return (f"{self.rule.text} × {self.spans} {unit} từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y} "
                f"({self.rule.source})")


def _add_months(d: date, n: int) -> date:
    """``d`` moved ``n`` calendar months on, its day kept or the month's last day (31/1 + 1 month: 29/2/2024)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def spans(per: str, start: date, end: date, counting: str = "whole") -> int:
    """The weeks or months of the days from ``start`` to ``end`` (both included) that require a reception day:
    the whole ones (``whole``), or every one begun (``started``)."""
    if end < start:
        return 0
    if per == "week":
        days = (end - start).days + 1
        return days // 7 if counting == "whole" else -(-days // 7)
    n = 0
    while _add_months(start, n + 1) - timedelta(days=1) <= end:
        n += 1
    begun = n + (1 if _add_months(start, n) <= end else 0)
    return n if counting == "whole" else begun


def minimum(level: str, start: date, end: date, rules: Rules | None = None) -> Minimum | None:
    """The minimum of a head of ``level`` over the days from ``start`` to ``end``; None for a level the law
    sets none for (the country)."""
    rules = rules or load_rules()
    rule = rules.reception.get(level)
    if rule is None:
        return None
    n = spans(rule.per, start, end, rules.counting)
    return Minimum(rule.days * n, rule, start, end, n)


def unit_minimum(unit, window: tuple[date, date], registry, rules: Rules | None = None) -> Minimum | None:
    """The minimum of a unit over its file's data ``window``; a declared body's days are cut to the days it
    exists (created or merged within the period: only its own days count)."""
    if unit is None:
        return None
    start, end = window
    body = registry.body(unit.code)
    if body is not None:
        start = max(start, body.start) if body.start else start
        end = min(end, body.end) if body.end else end
    return minimum(unit.level, start, end, rules)

