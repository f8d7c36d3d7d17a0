"""A province's roll-up of a period that straddles the 2025 reform, in two parts: the abolished districts
report the days before 1/7/2025 (group ABOLISHED), the communes of 2025 the rest (group TERRITORIAL).

Territory is unchanged for the province, so its totals are the sum of both parts; the roll-up's tables
keep the parts apart (a group each, with its subtotal), and the roll-up and the report say so in one
sentence: "Số liệu kỳ gồm hai phần: từ 15/12/2024 đến 30/06/2025 do các huyện, thị xã, thành phố (trước
sắp xếp) báo cáo: 24/26 đã nộp; từ 01/07/2025 đến 14/09/2025 do các xã, phường báo cáo: 160/166 đã nộp."
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dvcq.model import LedgerEntry, UnitGroup
from dvcq.units.groups import group_noun, territorial_kinds
from dvcq.units.registry import load

from .deadlines import calendar_of

PART_GROUP = {"legacy": UnitGroup.ABOLISHED, "2025": UnitGroup.TERRITORIAL}  # who reports each part


@dataclass(frozen=True)
class PartCover:
    """One part of a straddling period in a roll-up: its days, who reported it, how many sent."""
    era: str
    start: date
    end: date
    noun: str  # 'huyện, thị xã, thành phố (trước sắp xếp)', 'xã, phường'
    submitted: int
    expected: int

    @property
    def phrase(self) -> str:
        """'từ 15/12/2024 đến 30/06/2025 do các huyện, ... (trước sắp xếp) báo cáo: 24/26 đã nộp'."""
        return (f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y} do các {self.noun} báo cáo: "
                f"{self.submitted}/{self.expected} đã nộp")


@dataclass(frozen=True)
class Parts:
    """The parts of a roll-up (empty when it has none) and the sentence that says them."""
    items: tuple[PartCover, ...]

    @property
    def sentence(self) -> str:
        if not self.items:
            return ""
        return "Số liệu kỳ gồm hai phần: " + "; ".join(p.phrase for p in self.items) + "."

    def __bool__(self) -> bool:
        return bool(self.items)


def parts_of(period, parent, ledger: list[LedgerEntry]) -> Parts:
    """The two parts of a province's roll-up of a period that straddles the reform, from its ledger (the
    windows from the province's calendar); no parts for any other roll-up."""
    if not period.straddles or not any(e.group == UnitGroup.ABOLISHED for e in ledger):
        return Parts(())
    cal = calendar_of(parent, load(parent.era))
    items = []
    for era, group in PART_GROUP.items():
        rows = [e for e in ledger if e.group == group]
        kinds = territorial_kinds(ledger, load(era), group)
        noun = group_noun(group, parent.level, kinds, kinds)
        first, last = cal.window(period, era)
        items.append(PartCover(era, first, last, noun, sum(1 for e in rows if e.submitted), len(rows)))
    return Parts(tuple(items))
