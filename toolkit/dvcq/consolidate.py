"""Consolidate a folder of submissions into the roll-up of the parent unit.

Each child unit contributes additive values (counts, sums, score sums and counts, crosstab
cells); totals are sums; ratios and means are derived from the totals, never averaged.
A roll-up carries its additive totals, so consolidating district roll-ups gives the same
provincial totals as consolidating every commune directly. The arithmetic is dvcq.aggregate.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from . import outputs, store
from .aggregate import add_into, additive, derive
from .coverage import Coverage, from_ledger, submissions, summary_covers
from .deadlines import calendar_of
from .errors import UserError
from .issues import FileResult
from .labels import REFORM_NOTE, STATUS
from .model import LedgerEntry, Rollup, UnitText, UnitValues, Values
from .periods import Period, parse
from .registry import ACROSS_REFORM, NOT_COMPARABLE, Unit, comparison, era_of, for_period
from .rollup import write_rollup
from .spec import FORM_IDS, REPORT, ROLLUP_FORM_ID
from .validate import validate_paths


@dataclass
class LedgerRow:
    unit_code: str
    unit_name: str
    submitted: bool = False
    forms: list[str] = field(default_factory=list)
    file_name: str = ""
    sha256: str = ""
    received: str = ""
    deadline: date | None = None
    on_time: bool | None = None
    status: str = "missing"  # ok | invalid | missing
    problems: int = 0
    note: str = ""
    covers: dict[str, tuple[int, int]] = field(default_factory=dict)  # a roll-up's own coverage, per form

    def entry(self) -> LedgerEntry:
        """The row as kept in the roll-up's hidden data (read back by the level above and the report)."""
        return LedgerEntry(self.unit_code, self.unit_name, self.submitted, self.on_time, self.status,
                           tuple(self.forms), dict(self.covers))


@dataclass
class ConsolidationResult:
    """A consolidation: the roll-up model, the units it includes, the visible ledger and the files."""
    period: Period
    parent: Unit
    out_path: Path
    files: list[FileResult]
    ledger: list[LedgerRow]
    rollup: Rollup
    members: list[Unit]  # the included units, in the order of rollup.units
    previous: Values | None
    notes: list[str]
    strict: bool = False
    db_path: Path | None = None
    era: str = ""  # the registry era ("" the period's; "legacy" for a district's part before 1/7/2025)

    @property
    def part(self):
        """The days of the period this roll-up covers (dvcq.periods.Part: the whole period, or a part of
        one that straddles the 2025 reform)."""
        return self.period.part(self.era or self.period.era)

    @cached_property
    def totals(self) -> dict[str, float | None]:
        """The totals with ratios and means derived from them."""
        return derive(self.rollup.totals)

    @cached_property
    def units(self) -> list[tuple[Unit, dict[str, float | None]]]:
        """Each included unit with its derived values, in table order."""
        return [(u, derive(v.values)) for u, v in zip(self.members, self.rollup.units)]

    @cached_property
    def previous_totals(self) -> dict[str, float | None] | None:
        return derive(self.previous) if self.previous else None

    @property
    def overdue_cases(self):
        return self.rollup.overdue_cases

    @property
    def overdue_tasks(self):
        return self.rollup.overdue_tasks

    @property
    def excluded(self) -> list[FileResult]:
        return [f for f in self.files if f.status in ("invalid", "unreadable")]

    @property
    def missing(self) -> tuple[LedgerEntry, ...]:
        return submissions(self.rollup.ledger).missing

    @property
    def exit_code(self) -> int:
        return 1 if self.strict and self.excluded else 0

    @property
    def parent_code(self) -> str:
        return self.parent.code

    def coverage(self, form_id: str) -> Coverage:
        """How many expected units the figures of ``form_id`` cover."""
        return from_ledger(self.rollup.ledger, form_id)

    LEDGER_HEADER = ("Mã đơn vị", "Đơn vị", "Đã nộp", "Tệp báo cáo", "Thời điểm nhận", "Đúng hạn",
                     "Kết quả kiểm tra", "Số vấn đề", "Ghi chú")

    def ledger_rows(self) -> list[tuple]:
        """The submission ledger as rows of text and numbers (for tables in Excel)."""
        return [(r.unit_code, r.unit_name, "Có" if r.submitted else "Chưa", r.file_name, r.received,
                 "" if r.on_time is None else ("Đúng hạn" if r.on_time else "Trễ hạn"), STATUS[r.status],
                 r.problems, r.note) for r in self.ledger]

    def status_line(self) -> str:
        s = self.summary_dict()["units"]
        return (f"Tổng hợp {self.parent.name}, {self.period.label}: {s['submitted']}/{s['expected']} đơn vị đã nộp "
                f"({s['late']} trễ hạn), {s['missing']} chưa nộp, {s['excluded']} tệp bị loại.")

    def summary_dict(self) -> dict:
        led = submissions(self.rollup.ledger)
        return {
            "period": self.period.code, "period_label": self.period.label,
            "parent": {"code": self.parent.code, "name": self.parent.name},
            "out_path": str(self.out_path),
            "units": {"expected": led.expected, "submitted": len(led.submitted), "on_time": len(led.on_time),
                      "late": len(led.late), "missing": len(led.missing), "excluded": len(self.excluded)},
            "coverage": {fid: self.coverage(fid).to_dict() for fid in FORM_IDS},
            "missing": [r.unit_code for r in self.missing],
            "excluded": [{"path": str(f.path), "errors": len(f.errors)} for f in self.excluded],
            "totals": self.totals,
            "notes": self.notes,
        }


def _infer_period(results: list[FileResult], period: str | None, notes: list[str]):
    if period:
        return parse(period)
    seen = Counter(r.period for r in results if r.period)
    if not seen:
        raise UserError("Không suy ra được kỳ báo cáo từ các tệp (không có tệp hợp lệ); hãy chỉ rõ --period.")
    code = seen.most_common(1)[0][0]
    p = parse(code)
    notes.append(f"Kỳ báo cáo suy ra từ các biểu: {p.label} ({p.code}).")
    return p


def _infer_parent(results, reg, parent: str | None, notes: list[str]):
    if parent:
        unit = reg.require(parent)
        if not reg.children(unit.code):
            raise UserError(f"Đơn vị {unit.code} {unit.name} không có đơn vị trực thuộc trong danh mục.")
        return unit
    parents = Counter()
    for r in results:
        u = reg.get(r.unit_code) if r.unit_code else None
        if u and u.parent_code:
            parents[u.parent_code] += 1
    if not parents:
        raise UserError("Không suy ra được đơn vị tổng hợp từ các tệp; hãy chỉ rõ --parent.")
    unit = reg.require(parents.most_common(1)[0][0])
    notes.append(f"Đơn vị tổng hợp suy ra từ các biểu: {unit.code} {unit.name}.")
    return unit


def _out_path(out, folder, parent, period) -> Path:
    """The roll-up file: as given, else in the given results folder or the default one (dvcq.outputs)."""
    if out is not None and Path(out).suffix.lower() in (".xlsx", ".xlsm") and not Path(out).is_dir():
        return Path(out)
    return outputs.rollup_path(outputs.results_dir(folder, out), parent, period)


def _infer_era(results: list[FileResult], p: Period, parent: str | None) -> str:
    """The registry era of the consolidation: the period's, or for a period that straddles the 2025
    reform the parent's (a district consolidates the part before 1/7/2025), else the files' most common."""
    if not p.straddles:
        return p.era
    if parent:
        return era_of(p, parent)
    seen = Counter(r.era for r in results if r.era and r.period == p.code and r.status == "ok")
    return seen.most_common(1)[0][0] if seen else p.era


def _expected_units(results, reg, parent):
    """The units expected to submit: the parent's children, or its communes when the folder holds
    commune files for a province of the three-tier era (consolidating communes directly)."""
    children = reg.children(parent.code)
    levels = Counter(reg.get(r.unit_code).level for r in results
                     if r.unit_code and reg.get(r.unit_code) and r.summary)
    if levels and children:
        level = levels.most_common(1)[0][0]
        if level != children[0].level and level == "commune":
            return reg.communes_under(parent.code)
    return children


def consolidate_folder(folder: Path, period: str | None = None, parent: str | None = None,
                       out: Path | None = None, db: Path | None = None, strict: bool = False,
                       progress=None, workers: int | None = None,
                       now: datetime | None = None) -> ConsolidationResult:
    """Validate every file of a folder, roll up the valid ones, record history, write the roll-up.

    ``now`` is the roll-up's saved and created time (default: the current time); tests fix it so the
    workbook is byte-stable."""
    folder = Path(folder)
    notes: list[str] = []
    hint = era_of(parse(period), parent) if period and parent else None
    report = validate_paths([folder], period=period, progress=progress, workers=workers, era=hint)
    results = report.files
    p = _infer_period(results, period, notes)
    era = _infer_era(results, p, parent)
    reg = for_period(p, era)
    in_era = [r for r in results if r.era in (None, era)]
    parent_unit = _infer_parent(in_era, reg, parent, notes)
    children = _expected_units(in_era, reg, parent_unit)
    child_codes = {c.code for c in children}

    # wrong period or unit outside the parent: excluded, with the reason
    for r in results:
        if r.status != "ok" or not r.summary:
            continue
        if r.period != p.code:
            r.issue("period", "not-this-period", period=r.period, expected=p.code)
            r.finish()
        elif r.unit_code not in child_codes or (r.era or era) != era:
            r.issue("unit", "not-under-parent", unit=r.unit_code, parent=parent_unit.name, period=p.label)
            r.finish()
    for r in results:
        if r.status != "ok":
            r.summary = None

    # one file per unit and form: the latest saved wins, the conflict is noted
    chosen: dict[tuple[str, str], FileResult] = {}
    conflicts: dict[str, list[str]] = {}
    dropped: list[FileResult] = []  # files of a unit and form left out for a later-saved one
    for r in results:
        if not r.summary:
            continue
        key = (r.unit_code, r.form_id)
        old = chosen.get(key)
        if old is None or (r.received or "") > (old.received or ""):
            if old is not None:
                conflicts.setdefault(r.unit_code, []).append(old.path.name)
                dropped.append(old)
            chosen[key] = r
        else:
            conflicts.setdefault(r.unit_code, []).append(r.path.name)
            dropped.append(r)
    for left in dropped:
        used = chosen[(left.unit_code, left.form_id)]
        left.issue("duplicate-submission", "duplicate-used-latest", used=used.path.name)

    db_path = outputs.history_db(db)
    earlier = store.previous_submissions(db_path, p.code)
    ledger: list[LedgerRow] = []
    model = Rollup(parent_unit.code, parent_unit.name, p.code)
    members: list[Unit] = []
    by_unit_files: dict[str, list[FileResult]] = {}
    for r in results:
        if r.unit_code:
            by_unit_files.setdefault(r.unit_code, []).append(r)
    chosen_by_unit: dict[str, dict[str, FileResult]] = {}
    for (u, fid), r in chosen.items():
        chosen_by_unit.setdefault(u, {})[fid] = r
    dates = calendar_of(parent_unit, reg)  # the parent's province's deadlines
    for child in children:
        row = LedgerRow(child.code, child.name)
        row.deadline = dates.deadline(p, f"{child.level}->{parent_unit.level}")
        files = chosen_by_unit.get(child.code, {})
        all_files = by_unit_files.get(child.code, [])
        row.problems = sum(len(f.issues) for f in all_files)
        if files:
            row.submitted = True
            row.status = "ok"
            row.forms = sorted(files)
            if ROLLUP_FORM_ID in files:
                row.covers = summary_covers(files[ROLLUP_FORM_ID].summary.ledger, FORM_IDS)
            main = files.get(REPORT) or files.get(ROLLUP_FORM_ID) or next(iter(files.values()))
            row.file_name, row.sha256 = main.path.name, main.sha256
            row.received = max(f.received or "" for f in files.values())
            if row.deadline and row.received:
                row.on_time = datetime.fromisoformat(row.received).date() <= row.deadline
            _include(model, members, child, {fid: f.summary for fid, f in files.items()})
            replaced = [fid for fid, f in files.items() if earlier.get((child.code, fid)) not in (None, f.sha256)]
            notes_row = []
            if replaced:
                notes_row.append("Thay thế bản nộp trước: " + ", ".join(replaced))
            if child.code in conflicts:
                notes_row.append("Nộp trùng, dùng bản lưu sau cùng; bỏ: " + ", ".join(conflicts[child.code]))
            bad = [f.path.name for f in all_files if f.status in ("invalid", "unreadable")]
            if bad:
                row.status = "invalid"
                notes_row.append("Tệp có lỗi, chưa đưa vào tổng hợp: " + ", ".join(bad))
            row.note = "; ".join(notes_row)
        elif all_files:
            row.status = "invalid"
            row.file_name = all_files[0].path.name
            row.note = "Tệp có lỗi, chưa đưa vào tổng hợp"
        ledger.append(row)
    model.ledger = [row.entry() for row in ledger]

    scope = comparison(p, p.previous_year(), parent_unit)
    previous = store.rollup_totals(db_path, p.previous_year().code, parent_unit.code) if scope != NOT_COMPARABLE else None
    if scope == ACROSS_REFORM and previous is not None:
        notes.append(REFORM_NOTE.format(year=p.year - 1))
    result = ConsolidationResult(
        period=p, parent=parent_unit, out_path=_out_path(out, folder, parent_unit, p), files=results,
        ledger=ledger, rollup=model, members=members, previous=previous, notes=notes, strict=strict,
        db_path=db_path, era=era)
    write_rollup(result, now=now or datetime.now())
    store.record(db_path, period=p.code, parent_code=parent_unit.code, folder=folder, out_path=result.out_path,
                 submissions=[{"unit_code": r.unit_code, "form_id": r.form_id, "sha256": r.sha256,
                               "status": r.status, "file_name": r.path.name, "received": r.received}
                              for r in chosen.values()],
                 unit_values={u.code: {**derived, **uv.values.flat()}
                              for (u, derived), uv in zip(result.units, model.units)},
                 totals=model.totals, expected=len(children))
    return result


def _include(model: Rollup, members: list[Unit], unit: Unit, summaries: dict) -> None:
    """Add one unit's files (their summaries by form id) into the roll-up model."""
    values = additive(summaries)
    add_into(model.totals, values)
    model.units.append(UnitValues(unit.code, unit.name, values))
    members.append(unit)
    for s in summaries.values():
        model.overdue_cases += s.overdue_cases
        model.overdue_tasks += s.overdue_tasks
        if isinstance(s, Rollup):
            model.texts += s.texts
        else:
            model.texts += [UnitText(unit.code, unit.name, k, v) for k, v in s.texts.items()]
        for k, v in s.extra.items():
            model.extra[k] = max(model.extra.get(k, v), v)
