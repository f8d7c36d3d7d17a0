"""Consolidate a folder of submissions into the roll-up of the parent unit.

Each child unit contributes additive values (counts, sums, score sums and counts, crosstab
cells); totals are sums; ratios and means are derived from the totals, never averaged.
A roll-up carries its additive totals, so consolidating district roll-ups gives the same
provincial totals as consolidating every commune directly. The arithmetic is dvcq.rollup.aggregate.
"""
from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from dvcq import outputs
from dvcq.calendar.deadlines import calendar_of
from dvcq.calendar.parts import Parts, parts_of
from dvcq.calendar.periods import Period, parse
from dvcq.errors import UserError
from dvcq.fmt import listing, moment
from dvcq.forms.labels import STATUS, reform_note
from dvcq.forms.spec import FORM_IDS, PLAN, REPORT, ROLLUP_FORM_ID, col_letter, load_form
from dvcq.intake.issues import FileResult
from dvcq.intake.validate import validate_paths
from dvcq.model import Coverage, LedgerEntry, Rollup, UnitGroup, UnitText, UnitValues, Values, add_reception
from dvcq.text import unit_running
from dvcq.units.groups import (
    LIST_LIMIT,
    NameList,
    covers_phrase,
    group_title,
    middle_noun,
    name_lists,
    territorial_kinds,
)
from dvcq.units.registry import (
    ACROSS_REFORM,
    NOT_COMPARABLE,
    Unit,
    comparison,
    era_of,
    for_period,
    unit_part,
)

from . import beside, progress, store
from .aggregate import add_into, additive, derive, reception_of
from .coverage import UnitSet, by_group, from_ledger, submissions, summary_covers, unit_set
from .expected import expected_groups, last_year_run
from .fates import NOTE_CHARS, choose, left_out
from .targets import add_into as add_targets
from .targets import unit_tallies
from .writer import stage_rollup


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
    group: UnitGroup = UnitGroup.TERRITORIAL
    runs_to: tuple[date, date] | None = None  # the first and last day its files' figures run to
    files: dict[str, str] = field(default_factory=dict)  # form id -> the name of its file counted

    def entry(self) -> LedgerEntry:
        """The row as kept in the roll-up's hidden data (read back by the level above and the report)."""
        return LedgerEntry(self.unit_code, self.unit_name, self.submitted, self.on_time, self.status,
                           tuple(self.forms), dict(self.covers), self.group, self.runs_to, self.received,
                           dict(self.files))


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
    across_reform: bool = False  # last year's figures are the province's before the 2025 reform (labelled)
    previous_run: UnitSet | None = None  # the units last year's roll-up counted (history)
    duplicates: list = field(default_factory=list)  # Duplicate: files of a unit and form not used, which one was, why
    derived: list[dict] = field(default_factory=list, repr=False)  # each member's derived values, when computed already

    @property
    def part(self):
        """The days of the period this roll-up covers (dvcq.calendar.periods.Part: the whole period, or a part of
        one that straddles the 2025 reform)."""
        return unit_part(self.period, self.parent)

    @cached_property
    def totals(self) -> dict[str, float | None]:
        """The totals with ratios and means derived from them."""
        return derive(self.rollup.totals)

    @cached_property
    def units(self) -> list[tuple[Unit, dict[str, float | None]]]:
        """Each included unit with its derived values, in table order."""
        if len(self.derived) == len(self.members):  # derived once, as the units were included
            return list(zip(self.members, self.derived))
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

    def coverage(self, form_id: str, group: UnitGroup | None = None) -> Coverage:
        """How many expected units the figures of ``form_id`` cover (of one group when given)."""
        return from_ledger(self.rollup.ledger, form_id, group)

    def coverages(self, form_id: str) -> list[tuple[UnitGroup, Coverage]]:
        """The coverage of ``form_id`` per group that expects it, in group order."""
        return by_group(self.rollup.ledger, form_id)

    @property
    def groups(self) -> list[UnitGroup]:
        """The groups of the ledger, in order."""
        return self.rollup.groups()

    def group_units(self, group: UnitGroup) -> list[tuple[Unit, dict[str, float | None]]]:
        """The included units of one group with their derived values, in table order."""
        return [(u, d) for (u, d), uv in zip(self.units, self.rollup.units) if uv.group == group]

    def group_values(self, group: UnitGroup) -> Values:
        """The additive values of one group (its subtotal's terms and spreads); not to be changed by the caller."""
        return self._group_values.get(group) or Values()

    @cached_property
    def _group_values(self) -> dict[UnitGroup, Values]:
        """Each group's additive values, summed once in table order (every unit table and standard table of the
        roll-up asks for them). Units of one group only (the country's communes): its values are the roll-up's
        totals, which ``_include`` summed over the same units in the same order."""
        groups = {uv.group for uv in self.rollup.units}
        if len(groups) == 1:
            return {groups.pop(): self.rollup.totals}
        out: dict[UnitGroup, Values] = {}
        for uv in self.rollup.units:
            add_into(out.setdefault(uv.group, Values()), uv.values)
        return out

    def subtotal(self, group: UnitGroup) -> dict[str, float | None]:
        """The derived totals of one group (ratios from the group's summed terms)."""
        return dict(self._subtotals.get(group) or derive(Values()))

    @cached_property
    def _subtotals(self) -> dict[UnitGroup, dict[str, float | None]]:
        return {g: derive(v) for g, v in self._group_values.items()}

    def group_ledger(self, group: UnitGroup) -> list[LedgerRow]:
        return [r for r in self.ledger if r.group == group]

    @cached_property
    def kinds(self) -> str:
        """The territorial units' kinds in running text ('xã, thị trấn')."""
        return territorial_kinds(self.rollup.ledger, for_period(self.period, self.era or None))

    @cached_property
    def parts(self) -> Parts:
        """A province's two parts of a period that straddles the 2025 reform (who reported which days,
        how many sent), empty otherwise (dvcq.calendar.parts)."""
        return parts_of(self.period, self.parent, self.rollup.ledger)

    @cached_property
    def old_kinds(self) -> str:
        """The abolished districts' kinds ('huyện, thị xã, thành phố'), '' without that group."""
        if UnitGroup.ABOLISHED not in self.groups:
            return ""
        return territorial_kinds(self.rollup.ledger, for_period(self.period, "legacy"), UnitGroup.ABOLISHED)

    @cached_property
    def middle(self) -> str:
        """The levels between the parent and its communes consolidated directly ('cấp huyện'), '' otherwise."""
        return middle_noun(self.rollup.ledger, for_period(self.period, self.era or None))

    def group_title(self, group: UnitGroup) -> str:
        """A group's heading in the tables: 'Xã, thị trấn', 'Sở, ban, ngành', 'Cấp huyện'."""
        return group_title(group, self.parent.level, self.kinds, self.old_kinds, self.middle)

    def covers_phrase(self, form_id: str) -> str:
        """What ``form_id``'s figures cover, group by group ('12/14 xã, thị trấn và cấp huyện')."""
        return covers_phrase(self.coverages(form_id), self.parent.level, self.kinds, old_kinds=self.old_kinds,
                             middle=self.middle)

    def missing_lists(self, limit: int = LIST_LIMIT) -> list[NameList]:
        """The units that sent nothing, in lines as the roll-up's ledger groups them (communes a province
        consolidates directly, by district), each capped at ``limit`` names."""
        reg = for_period(self.period, self.era or None)
        return name_lists(list(self.missing), self.group_title, reg, self.parent.code, limit)

    LEDGER_HEADER = ("Mã đơn vị", "Đơn vị", "Đã nộp", "Tệp báo cáo", "Thời điểm nhận", "Đúng hạn",
                     "Kết quả kiểm tra", "Số vấn đề", "Ghi chú")

    def ledger_rows(self) -> list[tuple]:
        """The submission ledger as rows of text and numbers (for tables in Excel)."""
        return [(r.unit_code, r.unit_name, "Có" if r.submitted else "Chưa", r.file_name, moment(r.received),
                 "" if r.on_time is None else ("Đúng hạn" if r.on_time else "Trễ hạn"), STATUS[r.status],
                 r.problems, r.note) for r in self.ledger]

    def status_line(self) -> str:
        s = self.summary_dict()["units"]
        dup = f", {s['duplicates']} tệp nộp trùng không dùng" if s["duplicates"] else ""
        return (f"Tổng hợp {self.parent.name}, {self.period.label}: {s['submitted']}/{s['expected']} đơn vị đã nộp "
                f"({s['late']} trễ hạn), {s['missing']} chưa nộp, {s['excluded']} tệp bị loại{dup}.")

    def summary_dict(self) -> dict:
        led = submissions(self.rollup.ledger)
        return {
            "period": self.period.code, "period_label": self.period.label,
            # the days the figures hold: a district's part of a period straddling the 2025 reform, else all
            "window": {"start": self.part.start.isoformat(), "end": self.part.end.isoformat(),
                       "era": self.part.era, "part": self.part.label},
            "parent": {"code": self.parent.code, "name": self.parent.name},
            "out_path": str(self.out_path),
            "units": {"expected": led.expected, "submitted": len(led.submitted), "on_time": len(led.on_time),
                      "late": len(led.late), "undated": len(led.submitted) - len(led.on_time) - len(led.late),
                      "missing": len(led.missing), "excluded": len(self.excluded),
                      "duplicates": sum(len(d.left_out) for d in self.duplicates)},
            "coverage": {fid: self.coverage(fid).to_dict() for fid in FORM_IDS},
            "groups": [{"group": g.value, "title": self.group_title(g), "expected": len(rows),
                        "submitted": sum(r.submitted for r in rows)}
                       for g in self.groups for rows in [self.group_ledger(g)]],
            "missing": [r.unit_code for r in self.missing],
            "excluded": [{"path": str(f.path), "errors": len(f.errors),
                          "reasons": [f"{i.location} {i.message}".strip() for i in f.errors]} for f in self.excluded],
            # files of a unit and form not used because another one was: which, and why
            "duplicates": [d.to_dict() for d in self.duplicates],
            "totals": self.totals,
            "notes": self.notes,
        }

    def to_dict(self) -> dict:
        """`dvcq consolidate --json` (docs/json.md): the summary, and what the control workbook's button
        «Tổng hợp» shows (``status_line``, ``table``: the submission ledger, unit by unit)."""
        return {**self.summary_dict(), "status_line": self.status_line(),
                "table": {"header": list(self.LEDGER_HEADER), "rows": [list(r) for r in self.ledger_rows()]}}


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


def consolidate_folder(folder: Path, period: str | None = None, parent: str | None = None,
                       out: Path | None = None, db: Path | None = None, strict: bool = False,
                       progress=None, workers: int | None = None,
                       now: datetime | None = None, early=None) -> ConsolidationResult:
    """Validate every file of a folder, roll up the valid ones, record history, write the roll-up.

    ``now`` is the roll-up's saved and created time (default: the current time); tests fix it so the
    workbook is byte-stable. ``early``: the folder's files already handed to workers (dvcq.intake.early)."""
    folder = Path(folder)
    report = validate_paths([folder], period=period, progress=progress, workers=workers, parent=parent,
                            early=early, keep=beside.keeps)
    with frozen():
        return _roll_up(folder, report.files, period, parent, out, db, strict, now)


@contextmanager
def frozen() -> Iterator[None]:
    """No full garbage collection for the span of the block, and the objects alive at its start (the files'
    results, kept to the end of the run) out of the collector's way: the roll-up's model and its write allocate
    enough long-lived objects to start a dozen full collections, each walking every result and every cell written so
    far (a national run's 6,642 results: 1.8-2.2 s of its 10 s after reading, bench/timeline.py). The young
    generations are collected as before, reference counting frees objects as before; at the end the collector gets
    everything back (a process that stays, as the Excel buttons' does, frees their cycles later)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(thresholds[0], thresholds[1], 2**30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _roll_up(folder: Path, results: list[FileResult], period: str | None, parent: str | None, out: Path | None,
             db: Path | None, strict: bool, now: datetime | None) -> ConsolidationResult:
    """``consolidate_folder``'s work once the folder's files are validated."""
    notes: list[str] = []
    p = _infer_period(results, period, notes)
    era = _infer_era(results, p, parent)
    reg = for_period(p, era)
    in_era = [r for r in results if r.era in (None, era)]
    parent_unit = _infer_parent(in_era, reg, parent, notes)
    groups = expected_groups(in_era, reg, parent_unit, p)
    expected = {(g.era or era, u.code) for g in groups for u in g.units}  # a unit's code means a unit in its era

    # wrong period, a unit outside the parent or a file that would count twice: excluded, with the real reason
    middle = {u.code for g in groups if g.group == UnitGroup.MIDDLE for u in g.units}
    for r in results:
        if r.status != "ok" or not r.summary:
            continue
        if r.period != p.code:
            r.issue("period", "not-this-period", period=r.period, expected=p.code)
            r.finish()
        elif (r.era or era, r.unit_code) not in expected or (r.unit_code in middle | {parent_unit.code}
                                                           and r.form_id == ROLLUP_FORM_ID):
            if r.era and r.era not in {g.era or era for g in groups}:  # the other part of a straddling period
                r.issue("unit", "other-part", unit=r.unit_name or r.unit_code, part=p.part(r.era).name,
                        parent=parent_unit.name, this=unit_part(p, parent_unit).name)
            else:
                left_out(r, reg, parent_unit, p, middle)
            r.finish()
    for r in results:
        if r.status != "ok":
            r.summary = None

    chosen, duplicates = choose(results)
    dup_of = {}
    for d in duplicates:
        dup_of.setdefault(d.unit_code, []).append(d)

    _rollout_disagreements(chosen, notes)

    db_path = outputs.history_db(db)
    earlier = store.previous_submissions(db_path, p.code, parent_unit.code)
    apart = beside.start(len(results))  # the worker that records the history, started while the model is built
    ledger: list[LedgerRow] = []
    model = Rollup(parent_unit.code, parent_unit.name, p.code)
    members: list[Unit] = []
    derived: list[dict] = []  # each member's derived values
    by_unit_files: dict[str, list[FileResult]] = {}
    for r in results:
        if r.unit_code:
            by_unit_files.setdefault(r.unit_code, []).append(r)
    chosen_by_unit: dict[str, dict[str, FileResult]] = {}
    for (u, fid), r in chosen.items():
        chosen_by_unit.setdefault(u, {})[fid] = r
    dates = calendar_of(parent_unit, reg)  # the parent's province's deadlines
    for group, child in ((g, u) for g in groups for u in g.units):
        row = LedgerRow(child.code, child.name, group=group.group)
        row.deadline = dates.deadline(p, group.route) if group.route else None
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
            row.files = {fid: f.path.name for fid, f in files.items()}
            row.runs_to = _runs_to([f.summary for f in files.values()])
            if row.deadline and row.received:
                row.on_time = datetime.fromisoformat(row.received).date() <= row.deadline
            derived.append(_include(model, members, child, {fid: f.summary for fid, f in files.items()}, group.group))
            if group.group == UnitGroup.OWN and PLAN in files and files[PLAN].summary.plan is not None:
                # the issuer's own plan: the report cites it by number and date and names its tasks
                model.own_plan = replace(files[PLAN].summary.plan, file=files[PLAN].path.name)
            part = store.unit_part_key(p, child)
            replaced = [fid for fid, f in files.items()
                        if earlier.get((part, child.code, fid)) not in (None, f.sha256)]
            notes_row = []
            if replaced:
                notes_row.append("Thay thế bản nộp trước: " + ", ".join(replaced))
            notes_row += [d.note for d in dup_of.get(child.code, ())]
            bad = [f.path.name for f in all_files if f.status in ("invalid", "unreadable")]
            if bad:
                row.status = "invalid"
                notes_row.append("Tệp có lỗi, chưa đưa vào tổng hợp: " + listing(bad, NOTE_CHARS, "tệp"))
            row.note = "; ".join(notes_row)
        elif all_files:
            row.status = "invalid"
            row.file_name = all_files[0].path.name
            row.note = "Tệp có lỗi, chưa đưa vào tổng hợp"
        ledger.append(row)
    model.ledger = [row.entry() for row in ledger]

    scope = comparison(p, p.previous_year(), parent_unit)
    found = store.previous_figures(db_path, p, parent_unit, own=False) if scope != NOT_COMPARABLE else None
    previous = found.values if found else None
    if scope == ACROSS_REFORM and previous is not None:
        notes.append(reform_note(p.year - 1, p.kind == "Y"))
    result = ConsolidationResult(
        period=p, parent=parent_unit, out_path=_out_path(out, folder, parent_unit, p), files=results,
        ledger=ledger, rollup=model, members=members, previous=previous, notes=notes, strict=strict,
        db_path=db_path, era=era, across_reform=scope == ACROSS_REFORM and previous is not None,
        previous_run=last_year_run(db_path, p, parent_unit) if previous else None)
    result.duplicates, result.derived = duplicates, derived
    # the roll-up and its history agree even when the run is killed in between (dvcq.rollup.store): the run is
    # recorded as pending (a large one then reshaped by a worker while this process writes, dvcq.rollup.beside), the
    # workbook written beside its place, its SHA-256 sealed into the run, the workbook put in place, the run
    # completed; a run killed before completing is settled the next time the history is opened
    by_code = {u.code: u for u in members}  # codes are unique in one roll-up (a district's 3 digits, a commune's 5)
    run = store.record(db_path, store.Run(
        period=p.code, part=store.part_key(result.part), parent_code=parent_unit.code, folder=folder,
        out_path=result.out_path,
        submissions=[store.Submission(r.unit_code, r.form_id, store.unit_part_key(p, by_code.get(r.unit_code)),
                                      r.sha256, r.status, r.path.name, r.received) for r in chosen.values()],
        units=[store.UnitRecord(u.code, uv.group, store.unit_part_key(p, u), {**derived, **uv.values.flat()},
                                dict(uv.targets))
               for (u, derived), uv in zip(result.units, model.units)],
        totals=model.totals, targets=model.targets, basis=unit_set(model.ledger)))
    reshaping = beside.Reshaping(db_path, run, apart)
    tmp = None
    try:
        tmp = stage_rollup(result, now=now or datetime.now())
        reshaping.wait()
        store.seal(db_path, run, outputs.file_sha256(tmp))
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        reshaping.wait()
        _quietly(lambda: store.abandon(db_path, run))
        raise
    try:
        finish_rollup(tmp, result.out_path)
    except Exception:  # not put in place (open in Excel: FileInUse): the history keeps the earlier run's
        store.abandon(db_path, run)
        raise
    store.complete(db_path, run)
    return result


def _quietly(step) -> None:
    """A clean-up step whose own failure must not hide the error being raised (the history, if it cannot be opened,
    drops the run the next time: its roll-up was never put in place)."""
    try:
        step()
    except Exception:
        pass


def finish_rollup(tmp: Path, out: Path) -> None:
    """Put the staged roll-up workbook in place (its run is staged in the history already)."""
    outputs.put_in_place(tmp, out)


def _rollout_disagreements(chosen: dict[tuple[str, str], FileResult], notes: list[str]) -> None:
    """Units the plans' rollouts list differently (a district's plan and a commune's own): a note naming the
    plans, and a warning on the plan file not followed when it is in the folder."""
    listings = [x for r in chosen.values() for x in (
        (progress.with_eras(r.summary) if isinstance(r.summary, Rollup) else r.summary.rollout) if r.summary else ())]
    sheet = next((s for s in load_form(PLAN).table_sheets() if s.listing), None)
    unsure = progress.unsure_note(listings)
    if unsure:
        notes.append(unsure)
    for u in progress.listed_units(listings):
        if not u.others:
            continue
        notes.append(progress.disagreement(u))
        for x in u.others:
            f = chosen.get((x.plan_code, PLAN))
            if f is not None and sheet is not None:
                f.issue("rollout-conflict", unit=u.used.unit_name, mine="đã ra mắt" if x.launched else "chưa ra mắt",
                        theirs="đã ra mắt" if u.used.launched else "chưa ra mắt",
                        other=unit_running(u.used.plan_name),
                        sheet=sheet.name, cell=f"{col_letter(sheet.col(sheet.listing['name']))}{x.row}",
                        field=sheet.listing["name"])


def _runs_to(summaries) -> tuple[date, date] | None:
    """The first and last day a unit's files' figures run to (a roll-up's own range)."""
    spans = [s.runs_to() if isinstance(s, Rollup) else ((s.as_of, s.as_of) if s.as_of else None) for s in summaries]
    spans = [s for s in spans if s]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def _include(model: Rollup, members: list[Unit], unit: Unit, summaries: dict,
             group: UnitGroup = UnitGroup.TERRITORIAL) -> dict[str, float | None]:
    """Add one unit's files (their summaries by form id) into the roll-up model, in its group; the unit's derived
    values (its ratios and means, computed once for its tallies and its row)."""
    values = additive(summaries)
    derived = derive(values)
    tallies = unit_tallies(summaries, values, derived)
    add_into(model.totals, values)
    add_reception(model.reception, reception_of(summaries).values())
    add_targets(model.targets, tallies)
    model.units.append(UnitValues(unit.code, unit.name, values, group, tallies))
    members.append(unit)
    for s in summaries.values():
        model.overdue_cases += [replace(c, via=unit.code) for c in s.overdue_cases]  # counted under the unit sent
        model.overdue_tasks += s.overdue_tasks
        if s.bodies:  # most files list none: the running list is not rebuilt for them
            model.bodies = progress.add_bodies(model.bodies, s.bodies)
        # the units each plan's rollout lists (a roll-up's: all of its plans', each with its registry)
        model.rollout += progress.with_eras(s) if isinstance(s, Rollup) else s.rollout
        if isinstance(s, Rollup):
            model.texts += [replace(t, via=t.via or unit.code) for t in s.texts]  # counted under the unit sent
            model.rollout_targets = progress.add_targets(model.rollout_targets, s.rollout_targets)
        else:
            model.texts += [UnitText(unit.code, unit.name, k, v) for k, v in s.texts.items()]
            model.rollout_targets = progress.add_targets(model.rollout_targets,
                                                         [s.rollout_target] if s.rollout_target else [])
    return derived
