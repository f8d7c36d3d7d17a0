"""Time limits for resolving accepted cases, from templates/thoi-han.yaml and the unit data.

A limit runs from ngày thụ lý (Luật Khiếu nại Điều 28, Luật Tố cáo Điều 30) for the case's
classification, level of complexity and, for a complaint, its round (a second complaint: Luật Khiếu nại
Điều 37, the ``rounds`` of a classification); a unit listed in data/units/remote_areas.csv (with its source)
gets the longer limits the law gives remote areas; kiến nghị, phản ánh have a limit only where a
province sets one, and it is then named as the province's rule. Days are calendar days unless the
file says ``working`` (then weekends and the listed holidays are skipped). The same file holds the law's floor
of a head's periodic reception days by level (``ReceptionRule``), which dvcq.calendar.reception applies per unit.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from dvcq import schema
from dvcq.errors import UserError
from dvcq.resources import DATA as PACKAGE_DATA
from dvcq.resources import templates_dir

REMOTE = PACKAGE_DATA / "units" / "remote_areas.csv"
PROVINCE_RULE = "thời hạn theo quy định của tỉnh"


@dataclass(frozen=True)
class Limit:
    days: int
    name: str  # "thời hạn luật định" or PROVINCE_RULE
    source: str


@dataclass(frozen=True)
class ReceptionRule:
    """The law's floor of a head's periodic reception days at one level: ``days`` per ``per`` (week, month)."""
    level: str
    days: int
    per: str  # week | month
    source: str  # the article it comes from

    @property
    def text(self) -> str:
        """'1 ngày mỗi tuần', '2 ngày mỗi tháng'."""
        return f"{self.days} ngày mỗi {'tuần' if self.per == 'week' else 'tháng'}"


@dataclass(frozen=True)
class Rules:
    working: bool
    holidays: frozenset[date]
    limits: dict  # classification -> the YAML mapping (days, levels, remote, name, source, rounds)
    provinces: dict  # province code -> classification -> {days, source}
    remote: frozenset[str]  # unit codes of remote areas
    reception: dict  # level -> ReceptionRule: the head's periodic reception days (dvcq.calendar.reception)
    counting: str = "whole"  # whole | started: which weeks (months) of a unit's days require a reception day

    def limit(self, kind: str, level: str | None, unit_code: str, province_code: str | None,
              round_: str | None = None) -> Limit | None:
        """The limit of a case of classification ``kind``, complexity ``level`` (None: ordinary) and round of
        resolution ``round_`` (the log's "Lần giải quyết"; None, empty or a round without limits of its own: the
        first round, as for a log without that column)."""
        local = self.provinces.get(province_code or "", {}).get(kind)
        if local is not None:
            return Limit(local["days"], PROVINCE_RULE, local["source"])
        rule = self.limits.get(kind)
        if rule is None:
            return None
        own = (rule.get("rounds") or {}).get(round_ or "")
        if own is not None:  # the round's own limits replace the first round's whole (its levels, its remote ones)
            rule = {"name": rule["name"], "source": own["source"], "days": own["days"],
                    "levels": own.get("levels") or {}, **({"remote": own["remote"]} if "remote" in own else {})}
        if unit_code in self.remote and "remote" in rule:
            rule = {**rule, **rule["remote"]}
        days = (rule.get("levels") or {}).get(level or "", rule["days"])
        return Limit(days, rule["name"], rule["source"])

    def elapsed(self, start: date, end: date) -> int:
        """Days from ``start`` to ``end`` (calendar, or working days when the rules say so)."""
        if not self.working:
            return (end - start).days
        n, d = 0, start
        while d < end:
            d += timedelta(days=1)
            if d.weekday() < 5 and d not in self.holidays:
                n += 1
        return n


def _date(text: str, path: Path) -> date:
    try:
        day, month, year = (int(x) for x in text.split("/"))
        return date(year, month, day)
    except ValueError:
        raise UserError(f"Tệp {path}, khóa «holidays»: «{text}» không phải ngày dạng dd/mm/yyyy.") from None


def _remote(path: Path) -> frozenset[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows, start=2):
        if not (row.get("code") or "").strip() or not (row.get("source") or "").strip():
            raise UserError(f"Tệp {path}, dòng {i}: mỗi đơn vị vùng khó khăn cần mã (code) và căn cứ (source).")
    return frozenset(row["code"].strip() for row in rows)


@lru_cache(maxsize=None)
def load_rules(root: str | None = None, remote: str | None = None) -> Rules:
    path = (Path(root) if root else templates_dir()) / "thoi-han.yaml"
    doc = schema.load(path, schema.TIME_LIMIT_RULES)
    head = doc["reception_minimum"]
    reception = {level: ReceptionRule(level, r["days"], r["per"], r["source"]) for level, r in head["levels"].items()}
    return Rules(doc["days"] == "working", frozenset(_date(h, path) for h in doc["holidays"]), doc["limits"],
                 doc["provinces"], _remote(Path(remote) if remote else REMOTE), reception, head["counting"])
