"""Tasks that "Tổ chức thực hiện" gives a body by their numbers ("chủ trì thực hiện nhiệm vụ số 2, 5", "các nội
dung 2, 3", "nội dung tại điểm a, b khoản 4 mục II", "khoản 3 Mục B"): a task that names no lead of its own
gets that body as its lead."""
from __future__ import annotations

import re
from dataclasses import replace

from dvcq.forms.plandoc import Responsibility, TaskGroup

_NUMBERS = r"\d{1,2}(?:\s*(?:,|và)\s*\d{1,2})*"
_TASK_REF = re.compile(rf"\b(?:các\s+)?(?:nhiệm vụ|nội dung)(?:\s+số)?\s+({_NUMBERS})\b(?!\s*/)", re.IGNORECASE)
_POINT_REF = re.compile(r"\b(?:(?:các\s+)?điểm\s+([a-zđ](?:\s*(?:,|và)\s*[a-zđ])*)\s+)?khoản\s+(\d{1,2})\b",
                        re.IGNORECASE)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"\bvà\b", ",", text))


def references(text: str) -> list[tuple[str, str | None]]:
    """(group or task number, letter or None) of each task a paragraph refers to: "nhiệm vụ số 2, 5" ->
    [("2", None), ("5", None)]; "điểm a, b khoản 4" -> [("4", "a"), ("4", "b")]; "khoản 1" -> [("1", None)]."""
    out: list[tuple[str, str | None]] = []
    for m in _POINT_REF.finditer(text):
        letters = _numbers(m.group(1)) if m.group(1) else [None]
        out += [(m.group(2), letter) for letter in letters]
    if not out:
        for m in _TASK_REF.finditer(text):
            out += [(n, None) for n in _numbers(m.group(1))]
    return out


def assign_leads(groups: list[TaskGroup], bodies: list[Responsibility]) -> list[TaskGroup]:
    """The groups with the lead of each task a body is given by number, where the task names no lead."""
    leads: dict[tuple[str, str], str] = {}
    for r in bodies:
        for number, letter in references(" ".join(r.paragraphs)):
            whole = any(g.number == number for g in groups)  # "khoản 2": the group numbered 2, all its tasks
            for g in groups:
                for t in g.tasks:
                    if g.number == number and (letter is None or t.number == letter) \
                            or not whole and letter is None and t.number == number:
                        leads.setdefault((g.number, t.number), r.body)
    if not leads:
        return groups
    return [replace(g, tasks=tuple(t if t.lead or (g.number, t.number) not in leads else
                                   replace(t, lead=leads[(g.number, t.number)]) for t in g.tasks)) for g in groups]
