"""How many of the expected units a set of figures covers, so no total passes for the whole area
when it is not: "Số liệu tổng hợp từ 10/14 xã, thị trấn; chưa có: ...".

A unit covers a source (the periodic report, the reception log, the plan) when a valid file of that
form, or a roll-up of its own units, went into the totals. A roll-up below that itself lacks some
of its units is counted as covered but partial, so the level above cannot say "toàn tỉnh" either.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import LedgerEntry
from .spec import ROLLUP_FORM_ID


@dataclass(frozen=True)
class Coverage:
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
class Submissions:
    """Who of the expected units sent what, by ledger entry: counted in one place for the roll-up's
    status line, its chart and the narrative."""
    expected: int
    submitted: tuple[LedgerEntry, ...]
    on_time: tuple[LedgerEntry, ...]
    late: tuple[LedgerEntry, ...]
    not_submitted: tuple[LedgerEntry, ...]  # nothing usable arrived (missing or only invalid files)
    missing: tuple[LedgerEntry, ...]  # no file at all
    invalid: tuple[LedgerEntry, ...]  # some file of the unit had errors


def submissions(ledger: list[LedgerEntry]) -> Submissions:
    sub = tuple(r for r in ledger if r.submitted)
    return Submissions(len(ledger), sub, tuple(r for r in sub if r.on_time), tuple(r for r in sub if r.on_time is False),
                       tuple(r for r in ledger if not r.submitted),
                       tuple(r for r in ledger if not r.submitted and r.status == "missing"),
                       tuple(r for r in ledger if r.status == "invalid"))


def from_ledger(ledger: list[LedgerEntry], form_id: str) -> Coverage:
    """Coverage of ``form_id``'s figures from ledger rows (unit_name, forms, covers)."""
    covered, missing, partial, counts = 0, [], [], {}
    for row in ledger:
        forms = row.forms
        if form_id in forms:
            covered += 1
        elif ROLLUP_FORM_ID in forms:
            covered += 1
            inner = row.covers.get(form_id)  # what the roll-up below covers itself
            if inner is None or inner[0] < inner[1]:
                partial.append(row.unit_name)
                counts[row.unit_name] = inner or (0, 0)
        else:
            missing.append(row.unit_name)
    return Coverage(len(ledger), covered, tuple(missing), tuple(partial), counts)


def summary_covers(ledger: list[LedgerEntry], form_ids: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """What a roll-up's own ledger covers, per form: {form_id: (covered, expected)} (stored in the
    ledger row of that roll-up at the level above)."""
    out = {}
    for fid in form_ids:
        c = from_ledger(ledger, fid)
        out[fid] = (c.covered if not c.partial else c.covered - len(c.partial), c.expected)
    return out
