"""Which files a consolidation uses, and why the others are left out, in words that are true of them.

One file per unit and form is used (``choose``): the latest saved, and among files saved at the same moment
(identical copies, most often) the first by name; the others are ``Duplicate``s, named with the file kept and why
(the console, --json and the ledger's note say it, their lists ended "và N tệp khác"). A valid file of the period
that cannot be added says why (``left_out``): the parent's own earlier roll-up, a unit under the parent at another
level than the one consolidated, a unit outside the parent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dvcq.calendar.periods import Period
from dvcq.fmt import listing
from dvcq.forms.labels import form_label
from dvcq.forms.spec import ROLLUP_FORM_ID
from dvcq.intake.issues import FileResult
from dvcq.units.registry import Unit

NOTE_CHARS = 300  # the file names a ledger note lists before "và N tệp khác" (a cell holds 32,767 characters)


@dataclass(frozen=True)
class Duplicate:
    """Files of one unit and form that were not used because another was: which one, and why."""
    unit_code: str
    unit_name: str
    form_id: str
    kept: Path
    why: str  # "bản lưu sau cùng, 12/06/2024 09:00", "các tệp giống hệt nhau: dùng tệp đầu tiên theo tên"
    left_out: tuple[Path, ...]

    @property
    def files(self) -> int:
        return len(self.left_out) + 1

    @property
    def note(self) -> str:
        """The ledger's note: 'Nộp trùng báo cáo định kỳ (41 tệp): dùng «a.xlsx» (...); không dùng: b, c và 37 tệp khác'."""
        names = listing([p.name for p in self.left_out], NOTE_CHARS, "tệp")
        return (f"Nộp trùng {form_label(self.form_id).lower()} ({self.files} tệp): dùng «{self.kept.name}» "
                f"({self.why}); không dùng: {names}")

    def to_dict(self) -> dict:
        return {"unit_code": self.unit_code, "unit_name": self.unit_name, "form_id": self.form_id,
                "files": self.files, "kept": str(self.kept), "why": self.why,
                "left_out": [str(p) for p in self.left_out]}


def _when(received: str | None) -> str:
    """A saved time for a message: '12/06/2024 09:00' ('không rõ' when the file says none)."""
    try:
        return datetime.fromisoformat(received).strftime("%d/%m/%Y %H:%M") if received else "không rõ"
    except ValueError:
        return received or "không rõ"


def choose(results: list[FileResult]) -> tuple[dict[tuple[str, str], FileResult], list[Duplicate]]:
    """One file per unit and form: the latest saved; among files saved at the same time, the first by name (identical
    copies, most often). A unit's own form beside its roll-up, which holds it already, is left out too. Every file
    left out gets a duplicate-submission warning naming the one used; the duplicates say which and why."""
    groups: dict[tuple[str, str], list[FileResult]] = {}
    for r in results:
        if r.summary:
            groups.setdefault((r.unit_code, r.form_id), []).append(r)
    chosen, duplicates = {}, []
    for key, rs in groups.items():
        rs = sorted(rs, key=lambda r: (-_stamp(r.received), r.path.name, str(r.path)))
        kept, rest = rs[0], rs[1:]
        chosen[key] = kept
        if not rest:
            continue
        same_time = [r for r in rest if (r.received or "") == (kept.received or "")]
        if not same_time:
            why = f"bản lưu sau cùng, {_when(kept.received)}"
        elif all(r.sha256 == kept.sha256 for r in same_time):
            why = "các tệp giống hệt nhau: dùng tệp đầu tiên theo tên"
        else:
            why = f"cùng thời điểm lưu {_when(kept.received)}: dùng tệp đầu tiên theo tên"
        for r in rest:
            same = (r.received or "") == (kept.received or "")
            r.issue("duplicate-submission", "duplicate-same-time" if same else "duplicate-used-latest",
                    used=kept.path.name)
        duplicates.append(Duplicate(kept.unit_code, kept.unit_name or "", kept.form_id, kept.path, why,
                                    tuple(r.path for r in rest)))
    # a unit's roll-up holds its own files (its own row): a form of it beside the roll-up would count twice
    for (unit_code, form_id), r in list(chosen.items()):
        rollup = chosen.get((unit_code, ROLLUP_FORM_ID))
        if rollup is not None and form_id != ROLLUP_FORM_ID:
            del chosen[(unit_code, form_id)]
            r.issue("duplicate-submission", "in-rollup", used=rollup.path.name)
            duplicates.append(Duplicate(unit_code, r.unit_name or "", form_id, rollup.path,
                                        "số liệu đã có trong biểu tổng hợp của đơn vị", (r.path,)))
    return chosen, duplicates


def _stamp(received: str | None) -> float:
    try:
        return datetime.fromisoformat(received).timestamp() if received else float("-inf")
    except ValueError:
        return float("-inf")


def left_out(r: FileResult, reg, parent: Unit, p: Period, middle: set[str]) -> None:
    """The real reason a valid file of the period is left out: the parent's own earlier roll-up; a declared body
    not in the period; a unit under the parent at another level than the one consolidated (a commune beside its
    district's roll-up, a district's roll-up beside its communes' files); a unit outside the parent."""
    unit = reg.get(r.unit_code)
    if r.unit_code == parent.code:
        r.issue("unit", "own-rollup", parent=parent.name)
        return
    body = reg.body(r.unit_code)
    if body is not None and body.parent_code == parent.code:  # declared, but not at the period's end
        r.issue("unit", "body-not-in-period", unit=f"{body.code} {body.name}", parent=parent.name,
                period=p.label, dates=body.span)
    elif unit is not None and r.unit_code in middle:  # a district's roll-up among every commune's files
        r.issue("unit", "rollup-in-flat", unit=unit.name, parent=parent.name)
    elif unit is not None and reg.is_under(unit, parent.code):
        above = reg.parent(unit)
        r.issue("unit", "below-level", unit=unit.name, above=above.name, parent=parent.name)
    else:
        r.issue("unit", "not-under-parent", unit=r.unit_code, parent=parent.name, period=p.label)
