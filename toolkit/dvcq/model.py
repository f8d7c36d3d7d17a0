"""Typed models of what validation extracts from one file, so no consumer guesses a dict's shape.

A commune's or district's form gives a ``FormSummary`` (its indicators, texts, log and plan
measures, crosstab cells, overdue references); a roll-up given as input gives a ``RollupSummary``
(its additive totals, the units' values, ledger, overdue references and texts as written). Both
hold aggregates only, no personal data, and pickle across the spawned workers (module level).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FormSummary:
    """The aggregates of one form file (periodic report, reception log or plan)."""
    form_id: str
    unit_code: str | None
    period: str
    indicators: dict[str, float | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # text code -> text
    measures: dict[str, float] = field(default_factory=dict)
    crosstab: dict[str, int] = field(default_factory=dict)
    overdue_cases: list[dict] = field(default_factory=list)
    overdue_tasks: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class RollupSummary:
    """A roll-up read back from its hidden data: additive totals and what it was written from."""
    form_id: str
    unit_code: str
    period: str
    values: dict[str, float] = field(default_factory=dict)  # additive totals
    overdue_cases: list[dict] = field(default_factory=list)
    overdue_tasks: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)  # {"unit_code", "unit", "code", "text"} per text
    extra: dict = field(default_factory=dict)
    ledger: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)  # {"unit_code", "unit_name", "values"} per unit

