"""Validate submissions: the files, their checks (dvcq.intake.checks) run in order, the results.

`validate_file` checks one workbook; `validate_paths` walks files and folders (in parallel),
adds the cross-form checks (report against reception log, its targets against the plan's), and writes
annotated copies.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dvcq.calendar.deadlines import file_day, route_day, route_of
from dvcq.calendar.periods import parse
from dvcq.forms.spec import FORM_IDS, PLAN, ROLLUP_FORM_ID, load_form, load_forms
from dvcq.model import FormSummary, ReceptionTally
from dvcq.units.registry import era_of

from . import measures, progress
from .checks import CHECKS, Ctx, check_cross_form, check_target_conflicts
from .early import job_args
from .issues import FileResult, Report
from .read import BookError, extract, identify, iso_datetime, open_book
from .sniff import isolate, iter_candidates, sniff

if TYPE_CHECKING:
    from collections.abc import Callable

    from dvcq.forms.legacy import LegacyLayout

# --- files ------------------------------------------------------------------

def validate_file(path: Path, period=None, keep=False, era: str | None = None) -> FileResult:
    """Validate one file; never raises for a bad file. ``keep`` retains the parsed submission. ``era``
    is the registry era of the consolidation's parent, for a unit code both eras hold in a period that
    straddles the 2025 reform (dvcq.units.registry.era_of)."""
    path = Path(path)
    sn = sniff(path)
    result = FileResult(path=path, sha256=sn.sha256, size=sn.size)
    if sn.status != "readable":
        result.status = sn.status
        result.add(sn.code, sn.message, severity="error" if sn.status == "unreadable" else "warning")
        return result
    try:
        book = open_book(path, sn.data, sn.zip, sn.parts)
        ident = identify(book)
        if ident.form_id is None or ident.form_id not in _known_forms():
            result.status = "invalid"
            result.issue("foreign-form")
            return result
        result.form_id, result.spec_version = ident.form_id, ident.version
        if ident.form_id == "tong-hop":
            return _rollup_result(result, book, ident, period, era)
        form = load_form(ident.form_id)
        legacy = _legacy(form, ident.version)
        sub = extract(book, legacy.form if legacy else form, ident)
        ctx = Ctx(result=result, book=book, form=legacy.form if legacy else form, sub=sub, expected_period=period,
                  era_hint=era)
        for check in CHECKS:
            check(ctx)
        if legacy:
            result.issue("spec-version", "legacy-read", title=form.short_title, version=ident.version,
                         current=form.version, template=f"{form.id}.xlsx",
                         note=f"{legacy.note.strip()} " if legacy.note else "")
        result.received = _received(ident.meta, book, path)
        if not result.errors:
            result.summary = _summary(ctx, form, legacy)
        if keep:
            result._ctx = ctx
    except BookError as exc:
        result.status = "unreadable"
        result.issues.clear()
        result.add(exc.code, exc.message)
    except Exception:  # a file that breaks a reader in an unforeseen way must not stop the run
        result.status = "unreadable"
        result.issues.clear()
        result.issue("corrupt", "unforeseen", name=path.name)
    return result.finish()


def _known_forms():
    return set(FORM_IDS) | {ROLLUP_FORM_ID}


def _rollup_result(result: FileResult, book, ident, period, era=None) -> FileResult:
    from .readback import read_rollup  # lazy: a roll-up's reading, not a commune's file (a worker's start)

    return read_rollup(result, book, ident, period, era).finish()


def _received(meta: dict, book, path: Path) -> str:
    saved = iso_datetime(meta.get("saved_at"))
    if saved:
        return saved
    if book.modified:
        return book.modified.isoformat(timespec="seconds")
    return datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")


def _legacy(form, version: int | None) -> LegacyLayout | None:
    """The earlier layout a file was filled in, when dvcq can read it as the current one."""
    if version is None or version == form.version:
        return None
    from dvcq.forms.legacy import legacy_layout  # lazy: an earlier layout's file only (a worker's start)

    layout = legacy_layout(form.id, version)
    return layout if layout is not None and layout.to_version == form.version else None


def _summary(ctx: Ctx, form, legacy: LegacyLayout | None = None) -> FormSummary:
    rows = {name: t.rows for name, t in ctx.sub.tables.items()}
    if legacy is not None:  # an old layout's tables mapped onto the current ones of the same name, then counted
        from dvcq.forms.legacy import upgrade  # lazy: as in _legacy

        old = {s.name for s in legacy.form.table_sheets()}
        kept = [s for s in form.table_sheets() if s.name in old and s.name in ctx.clean]
        ctx.clean = {s.name: upgrade(legacy, form, ctx.clean[s.name], rows[s.name], s) for s in kept}
        rows = {s.name: rows[s.name] for s in kept}
    unit = ctx.result.unit_code
    reg = ctx.registry
    province = reg.province(reg.get(unit)).code if reg.get(unit) else None
    prepared = ctx.prepared[0] if ctx.prepared else None
    last_row = _last_row(form, ctx.clean)
    # the day the file's figures run to; overdue cases and tasks are counted at it, never past it
    as_of = file_day(ctx.window, route_day(ctx.calendar, ctx.period, route_of(reg.get(unit), reg),
                                           ctx.part.era if ctx.part.partial else None), prepared, last_row)
    # a task led by a body that ended before the window's end (templates/co-quan.yaml) is its successor's
    leads = progress.ended_leads(reg, reg.get(unit), ctx.window[1]) if form.id == PLAN else {}
    tasks = progress.carry_on(form, ctx.clean, leads, reg.get(province).short_name if province else "")
    return FormSummary(
        form_id=form.id, unit_code=unit, period=ctx.period.code,
        indicators=dict(ctx.indicators),
        texts={k: str(v).strip() for k, (v, _) in ctx.sub.texts.items() if v not in ("", None)},
        measures=measures.compute(form, ctx.clean) if form.measures else {},
        crosstab=measures.crosstab(form, ctx.clean),
        overdue_cases=measures.overdue_cases(form, ctx.clean, rows, unit, as_of, province),
        overdue_tasks=measures.overdue_tasks(form, tasks, rows, unit, as_of),
        bodies=_bodies(form, tasks, rows, as_of, reg.get(unit).short_name if reg.get(unit) else ""),
        rollout_target=progress.target(ctx.extra) if form.id == PLAN else None,  # the figures above its tables
        rollout=progress.listings(form, ctx.clean, rows, reg.get(unit) if unit else None, reg),
        targets=dict(ctx.targets), as_of=as_of, prepared=prepared, last_row=last_row,
        reception=_reception(form, ctx),
        plan=progress.outline(form, ctx.extra, tasks, rows, unit, as_of) if form.id == PLAN else None)


def _last_row(form, clean: dict):
    """The latest date of the table rows that must fall in the period (a log's Ngày tiếp), None without any."""
    days = [d for s in form.table_sheets() for f in s.fields if f.in_period
            for d in (clean.get(s.name) or {}).get(f.name, []) if d is not None]
    return max(days) if days else None


def _reception(form, ctx: Ctx) -> ReceptionTally | None:
    """A report's head's periodic reception days against the law's minimum for the unit (dvcq.calendar.reception);
    None without the figure or a minimum (a form without the indicators, the country)."""
    found = ctx.minimum
    by_kind = {i.legal_minimum: i.code for i in form.indicators if i.legal_minimum}
    held = ctx.indicators.get(by_kind.get("held", ""))
    if found is None or not isinstance(held, (int, float)):
        return None
    stated = ctx.indicators.get(by_kind.get("required", ""))
    return ReceptionTally(found.level, 1, held, found.days, int(held >= found.days),
                          int(isinstance(stated, (int, float)) and stated != found.days))


def _bodies(form, columns: dict, rows: dict, as_of, own: str):
    """A plan's tasks by lead body (dvcq.intake.progress; ``own``: the unit's name, left out of the bodies'
    names); [] for a form without a lead field."""
    sheet = progress.lead_sheet(form)
    return progress.bodies(form, columns, len(rows.get(sheet.name, [])), as_of, own) if sheet else []


def validate_paths(paths, period: str | None = None, annotate_dir: Path | str | None = None,
                   progress=None, workers: int | None = None, era: str | None = None, parent: str | None = None,
                   early=None, keep: Callable[[int], bool] | None = None) -> Report:
    """Validate files and folders (recursively); annotate copies of files with problems into
    ``annotate_dir`` ("" for the default place, dvcq.outputs; None for no copies). ``era``: see
    ``validate_file``; without it, the era of ``parent`` (the unit being consolidated) in the period when both
    are given. ``early``: the same files already handed to workers (dvcq.intake.early.begin), collected here.
    ``keep(count of files)``: whether one worker stays for the caller's next batch (dvcq.rollup.beside), the others
    let go."""
    load_forms()  # a broken specification is one error (exit 2), not every file "unreadable"
    if annotate_dir is not None:
        from dvcq import outputs  # lazy: tempfile and socket only when copies are written

        if annotate_dir == "":
            annotate_dir = outputs.annotated_dir(outputs.results_dir(Path(paths[0])))
        outputs.writable_dir(annotate_dir)
    if period:
        parse(period)  # a malformed period is one error (exit 2)
    files = list(iter_candidates([Path(p) for p in paths]))
    args = job_args(period, era, parent)
    kept = 1 if keep is not None and keep(len(files)) else 0
    if early is not None and early.takes(_validate_one, files, args):
        from . import parallel  # lazy: multiprocessing only when files may go to workers

        results = early.collect(crashed_result, parallel.ticker(progress, len(files)))
        early.release(kept)  # nothing more for the workers: their memory back before the roll-up is written
    elif len(files) == 1 and not isolate(files[0]):  # one ordinary file: read here, without the worker machinery
        if early is not None:
            early.abandon()
        results = [_validate_one(files[0], *args)]
        if progress:
            progress(1, 1)
    else:
        from . import parallel  # lazy: multiprocessing only when files may go to workers

        if early is not None:
            early.abandon()
        results = parallel.map_files(_validate_one, files, *args, progress=progress, workers=workers,
                                     on_crash=crashed_result, isolate=isolate)
        parallel.release(kept)  # as above
    check_cross_form(results)
    check_target_conflicts(results)
    if annotate_dir is not None:
        from .annotate import annotate  # lazy: openpyxl, only when annotating

        for r in results:
            if r.issues and r.status in ("invalid", "ok") and r.form_id:
                r.annotated_path = annotate(r, Path(annotate_dir))
    return Report(results)


def _validate_one(path: Path, period: str | None, era: str | None, parent: str | None) -> FileResult:
    """One file of ``validate_paths`` (in a worker or here): the period and the parent's era from their codes
    (a few microseconds)."""
    expected = parse(period) if period else None
    if era is None and expected and parent:
        era = era_of(expected, parent)
    return validate_file(path, expected, era=era)


def crashed_result(path: Path, exitcode: int | None) -> FileResult:
    """The result of a file whose worker process died while reading it (the rest of the run goes on)."""
    path = Path(path)
    data = path.read_bytes()
    result = FileResult(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), status="unreadable")
    result.issue("reader-crashed", name=path.name, exitcode=exitcode)
    return result
