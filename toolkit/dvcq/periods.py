"""Reporting periods (Nghị định 09/2019/NĐ-CP data cut-off) and submission deadlines.

Codes: ``YYYY-Q1``..``YYYY-Q4``, ``YYYY-H1`` (6 tháng đầu năm), ``YYYY-9M``, ``YYYY-Y``.
The period also chooses the era of the unit registry: periods ending before 1 July 2025
use the three-tier structure (province, district, commune), later ones the two-tier one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import UserError
from .spec import deadlines
from .text import fold

REFORM_DATE = date(2025, 7, 1)
KINDS = ("Q1", "Q2", "Q3", "Q4", "H1", "9M", "Y")
_ROMAN = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}
_END_MONTH = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "H1": 6, "9M": 9, "Y": 12}


@dataclass(frozen=True)
class Period:
    year: int
    kind: str

    @property
    def code(self) -> str:
        return f"{self.year}-{self.kind}"

    @property
    def start(self) -> date:
        if self.kind in ("Q2", "Q3", "Q4"):
            return date(self.year, _END_MONTH[self.kind] - 3, 15)
        return date(self.year - 1, 12, 15)

    @property
    def end(self) -> date:
        return date(self.year, _END_MONTH[self.kind], 14)

    @property
    def label(self) -> str:
        if self.kind in _ROMAN:
            return f"Quý {_ROMAN[self.kind]} năm {self.year}"
        return {"H1": f"6 tháng đầu năm {self.year}", "9M": f"9 tháng năm {self.year}",
                "Y": f"Năm {self.year}"}[self.kind]

    @property
    def era(self) -> str:
        """'legacy' (three tiers) for periods ending before 1/7/2025, else '2025' (two tiers)."""
        return "legacy" if self.end < REFORM_DATE else "2025"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def next_label(self) -> str:
        """What "kỳ tới" is for the tasks ahead: '6 tháng cuối năm 2024' after 2024-H1, 'Quý IV năm 2024'
        after 9 months, 'Năm 2025' after 2024, the next quarter after a quarter."""
        if self.kind == "H1":
            return f"6 tháng cuối năm {self.year}"
        if self.kind == "9M":
            return f"Quý IV năm {self.year}"
        if self.kind == "Y":
            return f"Năm {self.year + 1}"
        n = KINDS.index(self.kind)
        return Period(self.year, KINDS[n + 1]).label if n < 3 else Period(self.year + 1, "Q1").label

    def previous_year(self) -> "Period":
        """The same period one year earlier ("cùng kỳ năm trước")."""
        return Period(self.year - 1, self.kind)

    def deadline(self, route: str) -> date:
        """Submission deadline for a route such as 'commune->district' (templates/deadlines.yaml)."""
        text = deadlines()[route][self.kind]
        day, month = (int(x) for x in text.split("/")[:2])
        year = self.year + (1 if text.endswith("+1") else 0)
        return date(year, month, day)

    def __str__(self) -> str:
        return self.code


def parse(text: str) -> Period:
    """A period from its code ('2024-H1') or its Vietnamese label ('6 tháng đầu năm 2024')."""
    s = str(text).strip()
    m = re.fullmatch(r"(\d{4})-(Q[1-4]|H1|9M|Y)", s.upper())
    if m:
        return Period(int(m.group(1)), m.group(2))
    found = from_label(s)
    if found:
        return found
    raise UserError(
        f"Kỳ báo cáo không hợp lệ: «{s}». Dùng mã dạng 2024-Q1..Q4, 2024-H1 (6 tháng), "
        "2024-9M (9 tháng) hoặc 2024-Y (năm)."
    )


def from_label(text: str) -> Period | None:
    """Parse a Vietnamese label, tolerant of case and missing diacritics."""
    s = fold(text)
    m = re.search(r"(\d{4})", s)
    if not m:
        return None
    year = int(m.group(1))
    quarter = re.search(r"quy\s+(iv|iii|ii|i|[1-4])\b", s)
    if quarter:
        q = quarter.group(1)
        n = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(q) or int(q)
        return Period(year, f"Q{n}")
    if re.search(r"\b6\s+thang", s):
        return Period(year, "H1")
    if re.search(r"\b9\s+thang", s):
        return Period(year, "9M")
    if re.fullmatch(r"(nam\s+)?\d{4}", s.strip()) or "ca nam" in s:
        return Period(year, "Y")
    return None


def choices(around: int, back: int = 2, forward: int = 1) -> list[Period]:
    """Every period of the years around a given year (for dropdown lists)."""
    return [Period(y, k) for y in range(around - back, around + forward + 1) for k in KINDS]


def period_of_date(d: date, kind: str = "Y") -> Period:
    """The period of a kind that contains a date (a reception on 20/12/2024 is in 2025-Y)."""
    year = d.year + 1 if (d.month, d.day) >= (12, 15) else d.year
    if kind == "Y":
        return Period(year, "Y")
    for k in ("Q1", "Q2", "Q3", "Q4"):
        p = Period(year, k)
        if p.contains(d):
            return p
    raise ValueError(d)
