"""Aggregates of one submission, computed from its cleaned cells as the spec defines them.

The same measure definitions become COUNTIFS/SUMIFS formulas in the built forms (build.py);
here they are evaluated in Python. The result holds counts and case references only:
no names, addresses, ID numbers or contents of a citizen's case.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from itertools import compress, repeat

from dvcq.calendar.timelimits import Rules, load_rules
from dvcq.forms.spec import LAN_TIEP, Form, Sheet, row_key
from dvcq.model import OverdueCase, OverdueTask, ratio_of


def _test(form: Form, cond):
    """A condition of the spec (value, list of values, or {minimum: n}) as a one-argument test;
    {"filled": True} is a row's key cell being filled (the rows that count)."""
    if cond == {"filled": True}:
        return lambda v: v not in (None, "")
    if isinstance(cond, dict):
        lo = form.setting(cond.get("minimum"))
        return lambda v: v not in (None, "") and lo is not None and v >= lo
    return frozenset(cond if isinstance(cond, list) else [cond]).__contains__


def meets(form: Form, where: dict, cols: dict[str, list], i: int) -> bool:
    """Whether row ``i`` of cleaned columns meets a measure's ``where`` filters."""
    return all(_test(form, cond)(cols.get(f, [None] * (i + 1))[i]) for f, cond in where.items())


FIRST, REPEATED = "Lần đầu", "Nhiều lần"  # derived per case (Biểu 01/TCD), in the column LAN_TIEP


def case_visits(sheet: Sheet, cols: dict[str, list]) -> list[str | None]:
    """Per row, Lần đầu or Nhiều lần: a case (rows sharing ``sheet.case_field``) with two or more visits
    in the log is received "nhiều lần". A log that states it per row (the layout before version 2) keeps it."""
    if LAN_TIEP in cols or not sheet.case_field:
        return cols.get(LAN_TIEP, [])
    case = cols.get(sheet.case_field, [])
    # each case's label once (counted in C), then the column looked up in C; an empty cell has none (None)
    label = {c: REPEATED if k > 1 else FIRST for c, k in Counter(case).items() if c not in (None, "")}
    return list(map(label.get, case))


def compute(form: Form, columns: dict[str, dict[str, list]]) -> dict[str, float | None]:
    """Every measure of a form from cleaned table columns ({sheet: {field: values}}), a column at a time: each
    filter of the spec is one pass over its column (``map``) into the set of rows it keeps, one byte per row in
    an int; a measure's rows are the intersection of its filters' sets, its count their number, its sum and its
    distinct count one pass of ``compress`` over the summed or counted column. The same figures as
    ``compute_by_rows`` (the row-by-row reference), which a summed column of fractional numbers still goes
    through: their total depends on the order of the additions."""
    got: dict[str, float | None] = {}
    for sheet, ms, summed in _plan(form):
        cols = columns.get(sheet.name) or {}
        if not all(_exact(cols.get(f, [])) for f in summed):
            return compute_by_rows(form, columns)
        if sheet.case_field:
            cols = {**cols, LAN_TIEP: case_visits(sheet, cols)}
        got.update(_sheet_measures(form, sheet, cols, ms))
    out = {m.code: got[m.code] for m in form.measures if m.kind != "ratio"}
    for m in form.measures:
        if m.kind == "ratio":
            out[m.code] = ratio_of(out, m.numerator, m.denominator)
    return out


_PLANS: dict[int, tuple] = {}  # id(form) -> (form, its plan): forms are loaded once per process (dvcq.forms.spec)
PLANS_MAX = 64


def _plan(form: Form) -> list[tuple[Sheet, list[tuple], tuple[str, ...]]]:
    """A form's measures by sheet: (sheet, [(measure, [(field, its condition's test, the condition's key)])], the
    summed fields): the tests made once per form, not once per file."""
    found = _PLANS.get(id(form))
    if found is not None and found[0] is form:
        return found[1]
    by_sheet: dict[str, list] = {}
    for m in form.measures:
        if m.kind != "ratio":
            by_sheet.setdefault(form.measure_sheet(m).name, []).append(
                (m, [(f, _test(form, cond), (f, repr(cond))) for f, cond in m.where.items()]))
    plan = [(form.sheet(name), ms, tuple(dict.fromkeys(m.sum for m, _ in ms if not m.count and not m.distinct)))
            for name, ms in by_sheet.items()]
    if len(_PLANS) > PLANS_MAX:  # forms of edited templates (tests, a province's copy): keep only the recent ones
        _PLANS.clear()
    _PLANS[id(form)] = (form, plan)
    return plan


def _exact(col: list) -> bool:
    """Whether a column's numbers add up to the same total in any order: whole numbers (ints, or whole floats
    below 2**53)."""
    if float not in set(map(type, col)):
        return True
    return all(type(v) is not float or (v.is_integer() and abs(v) < 2**53) for v in col)


_EMPTY = frozenset((None, ""))


def _sheet_measures(form: Form, sheet: Sheet, cols: dict[str, list], ms: list[tuple]) -> dict[str, float | None]:
    key_field = row_key(sheet)
    n = len(cols.get(key_field, []))
    kept: dict[tuple, int] = {}  # (field, condition) -> the rows meeting it: byte i of the int is 1 for row i
    numbers: dict[str, list] = {}  # a summed field's cells, 0 for a cell that is no number (as the sum skips it)

    def rows(f: str, test) -> int:
        return int.from_bytes(bytes(map(test, cols.get(f, [])[:n])), "little")

    # the rows that count: key cell filled (every row but the empty ones, tested in C)
    filled = int.from_bytes(b"\x01" * n, "little") & ~int.from_bytes(bytes(map(_EMPTY.__contains__, cols.get(key_field, []))), "little")
    out: dict[str, float | None] = {}
    done: dict[tuple, int | float] = {}  # (rows, counted or summed field, distinct?) -> its figure: filters that
    # keep the same rows (none at all, often: a log without a delegated reception) give the same figure
    for m, where in ms:
        at = filled
        for f, test, k in where:
            got = kept.get(k)
            if got is None:
                got = kept[k] = rows(f, test)
            at &= got
        if m.count:
            out[m.code] = at.bit_count()
            continue
        key = (at, m.distinct, True) if m.distinct else (at, m.sum, False)
        if key in done:
            out[m.code] = done[key]
            continue
        if not at:  # no row: no distinct value, a sum of nothing (0, as sum() of no number gives)
            out[m.code] = done[key] = 0
            continue
        mask = at.to_bytes(n, "little")
        if m.distinct:
            seen = set(compress(cols.get(m.distinct, []), mask))
            out[m.code] = done[key] = len(seen) - (None in seen) - ("" in seen)
        else:
            if m.sum not in numbers:
                numbers[m.sum] = [v if isinstance(v, (int, float)) else 0 for v in cols.get(m.sum, [])]
            out[m.code] = done[key] = sum(compress(numbers[m.sum], mask))
    return out


def compute_by_rows(form: Form, columns: dict[str, dict[str, list]]) -> dict[str, float | None]:
    """``compute`` as it was, row sets filter by filter: kept as the reference the column-wise one is tested
    against (tests/intake/test_measures.py)."""
    out: dict[str, float | None] = {}
    derived: dict[str, dict[str, list]] = {}
    rows_with: dict[tuple, frozenset[int]] = {}  # (sheet, field, condition) -> rows meeting it, computed once

    def meeting(sheet, cols, fname, cond) -> frozenset[int]:
        key = (sheet.name, fname, repr(cond))
        if key not in rows_with:
            test = _test(form, cond)
            rows_with[key] = frozenset(i for i, v in enumerate(cols.get(fname, [])) if test(v))
        return rows_with[key]

    for m in form.measures:
        if m.kind == "ratio":
            continue
        sheet = form.measure_sheet(m)
        cols = columns.get(sheet.name) or {}
        if sheet.case_field and sheet.name not in derived:
            derived[sheet.name] = {**cols, LAN_TIEP: case_visits(sheet, cols)}
        cols = derived.get(sheet.name, cols)
        idx = meeting(sheet, cols, row_key(sheet), {"filled": True})
        for fname, cond in m.where.items():
            idx = idx & meeting(sheet, cols, fname, cond)
        if m.count:
            out[m.code] = len(idx)
        elif m.distinct:
            col = cols.get(m.distinct, [])
            out[m.code] = len({col[i] for i in idx if col[i] not in (None, "")})
        else:
            col = cols.get(m.sum, [])
            out[m.code] = sum(col[i] for i in idx if isinstance(col[i], (int, float)))
    for m in form.measures:
        if m.kind == "ratio":
            out[m.code] = ratio_of(out, m.numerator, m.denominator)
    return out


def crosstab(form: Form, columns: dict[str, dict[str, list]]) -> dict[tuple[str, str], int]:
    """Counts by (row value, column value) for each crosstab of the spec."""
    out: dict[tuple[str, str], int] = {}
    for tab in form.crosstabs:
        sheet = form.table_sheets()[0]
        cols = columns.get(sheet.name) or {}
        # the pairs counted in C, then the ones with an empty side left out (the order of first sight kept)
        for (a, b), k in Counter(zip(cols.get(tab["rows"], []), cols.get(tab["columns"], []))).items():
            if a and b:
                out[(a, b)] = out.get((a, b), 0) + k
    return out


def overdue_cases(form: Form, columns: dict, rows: dict[str, list[int]], unit_code: str, as_of: date,
                  province_code: str | None = None, rules: Rules | None = None) -> list[OverdueCase]:
    """Accepted cases past their time limit, by case: still open at ``as_of`` ("open"), or resolved after
    it ("late"). The limit runs from the case's ngày thụ lý, by its classification, complexity and round
    (dvcq.calendar.timelimits). References only; for a
    denunciation (tố cáo) the date and field are left out too."""
    rules = rules or load_rules()
    out = []
    for sheet in form.table_sheets():
        tl = sheet.time_limits
        if not tl:
            continue
        cols = columns.get(sheet.name) or {}
        n = len(rows.get(sheet.name, []))
        col = lambda name: cols.get(name) or [None] * n  # noqa: E731
        case, start, kind, level, done, field_ = (col(sheet.case_field), col(tl["from_field"]), col(tl["kind_field"]),
                                                  col(tl["level_field"]), col(tl["resolved_field"]),
                                                  col(tl["field_field"]))
        # the round of resolution (a second complaint's limits); a log without the column: every case a first one
        round_ = col(tl["round_field"]) if tl.get("round_field") else [None] * n
        # the accepted rows a filter at a time over the rows the earlier ones kept (as all() stops at the first
        # false test), each a pass in C; then only those rows in Python
        kept: list[int] = list(range(n))
        for k, v in tl["open_when"].items():
            c = col(k)
            kept = list(compress(kept, map(_test(form, v), c if len(c) == len(kept) else [c[i] for i in kept])))
        kept = list(compress(kept, map(isinstance, map(start.__getitem__, kept), repeat(date))))
        sheet_rows = rows[sheet.name]
        # each case's row: its earliest ngày thụ lý, the first such row (the cases in order of first sight)
        cases: dict[str, int] = {}
        for i in kept:
            ref = case[i] if case[i] not in (None, "") else str(sheet_rows[i])
            j = cases.get(ref)
            if j is None or start[i] < start[j]:
                cases[ref] = i
        resolved: dict[str, date] = {}  # a case's latest ngày giải quyết (only an accepted case's is asked)
        for i in compress(range(n), map(isinstance, done, repeat(date, n))) if cases else ():
            ref = case[i] if case[i] not in (None, "") else str(sheet_rows[i])
            if ref in cases:
                d = done[i]
                old = resolved.get(ref)
                if old is None or d > old:
                    resolved[ref] = d
        limits: dict[tuple, object] = {}  # (classification, complexity, round) -> its limit: a few for a log's cases
        for ref, i in cases.items():
            key = (kind[i], level[i], round_[i])
            limit = limits[key] if key in limits else \
                limits.setdefault(key, rules.limit(kind[i], level[i], unit_code, province_code, round_[i]))
            if limit is None:
                continue
            end = resolved.get(ref)
            status = "open" if end is None or end > as_of else "late"
            days = rules.elapsed(start[i], as_of if status == "open" else end)
            if days <= limit.days:
                continue
            secret = kind[i] == "Tố cáo"
            out.append(OverdueCase(
                ref=f"{unit_code}-{ref}", unit_code=unit_code, date=None if secret else start[i].isoformat(),
                phan_loai=kind[i], linh_vuc=None if secret else field_[i], days_open=days, limit=limit.days,
                status=status, rule=limit.name, source=limit.source))
    return out


def closed_rule(form: Form, sheet: Sheet) -> Callable[[Callable[[str], object]], bool]:
    """Whether a row of a sheet with an ``overdue`` rule is closed (its ``open_when_not`` cells: "Đã hoàn thành",
    "Tạm dừng"), a closed row never being overdue; the row given by ``value(field)``, its cleaned cells."""
    closing = [(k, _test(form, v)) for k, v in sheet.overdue["open_when_not"].items()]
    return lambda value: any(test(value(k)) for k, test in closing)


def overdue_rule(form: Form, sheet: Sheet, as_of: date) -> Callable[[Callable[[str], object]], bool]:
    """The spec's one rule (``Sheet.overdue``) for whether a row is overdue at ``as_of``: its deadline
    (``date_field``) a date before ``as_of`` (a recurring term or a period of a year is never overdue; a task due on
    ``as_of`` is not yet), and not closed (closed_rule). The row is given by ``value(field)``, its cleaned cells: the
    roll-up's overdue tasks (overdue_rows) and the report's own plan (dvcq.intake.progress.task_overdue) both ask it."""
    field, closed = sheet.overdue["date_field"], closed_rule(form, sheet)

    def late(value: Callable[[str], object]) -> bool:
        deadline = value(field)
        return isinstance(deadline, date) and deadline < as_of and not closed(value)
    return late


def overdue_rows(form: Form, sheet: Sheet, cols: dict, n: int, as_of: date) -> list[int]:
    """The rows of a sheet with an ``overdue`` rule that are overdue at ``as_of`` (overdue_rule)."""
    late = overdue_rule(form, sheet, as_of)
    return [i for i in range(n) if late(lambda k: cols[k][i])]


def overdue_tasks(form: Form, columns: dict, rows: dict[str, list[int]], unit_code: str,
                  as_of: date) -> list[OverdueTask]:
    """Plan tasks past their deadline and not finished."""
    out = []
    for sheet in form.table_sheets():
        if not sheet.overdue:
            continue
        cols = columns.get(sheet.name) or {}
        n = len(rows.get(sheet.name, []))
        col = lambda name: cols.get(name) or [None] * n  # noqa: E731
        lead = col(sheet.lead_field) if sheet.lead_field else [None] * n
        for i in overdue_rows(form, sheet, cols, n, as_of):
            deadline = cols[sheet.overdue["date_field"]][i]
            out.append(OverdueTask(ref=f"{unit_code}-{rows[sheet.name][i]}", unit_code=unit_code,
                                   nhom=col("nhom")[i], noi_dung=col("noi_dung")[i],
                                   thoi_han=deadline.isoformat(), days_late=(as_of - deadline).days,
                                   chu_tri=lead[i] if lead[i] not in (None, "") else None))
    return out
