"""Aggregates of one submission, computed from its cleaned cells as the spec defines them.

The same measure definitions become COUNTIFS/SUMIFS formulas in the built forms (build.py);
here they are evaluated in Python. The result holds counts and case references only:
no names, addresses, ID numbers or contents of a citizen's case.
"""
from __future__ import annotations

from datetime import date

from .aggregate import ratio_of
from .model import OverdueCase, OverdueTask
from .spec import Form, Sheet


def _test(form: Form, cond):
    """A condition of the spec (value, list of values, or {minimum: n}) as a one-argument test."""
    if isinstance(cond, dict):
        lo = form.setting(cond.get("minimum"))
        return lambda v: v not in (None, "") and lo is not None and v >= lo
    return frozenset(cond if isinstance(cond, list) else [cond]).__contains__


def row_key(sheet: Sheet) -> str:
    """The field whose non-empty cell makes a table row count (the first required one)."""
    for f in sheet.fields:
        if f.required:
            return f.name
    return sheet.fields[0].name


def compute(form: Form, columns: dict[str, dict[str, list]]) -> dict[str, float | None]:
    """Every measure of a form from cleaned table columns ({sheet: {field: values}})."""
    out: dict[str, float | None] = {}
    for m in form.measures:
        if m.kind == "ratio":
            continue
        sheet = form.measure_sheet(m)
        cols = columns.get(sheet.name) or {}
        key = cols.get(row_key(sheet), [])
        idx = [i for i, v in enumerate(key) if v not in (None, "")]
        for fname, cond in m.where.items():
            col, test = cols.get(fname, []), _test(form, cond)
            idx = [i for i in idx if test(col[i])]
        if m.count:
            out[m.code] = len(idx)
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
        for a, b in zip(cols.get(tab["rows"], []), cols.get(tab["columns"], [])):
            if a and b:
                out[(a, b)] = out.get((a, b), 0) + 1
    return out


def overdue_cases(form: Form, columns: dict, rows: dict[str, list[int]], unit_code: str,
                  as_of: date) -> list[OverdueCase]:
    """Open cases past their legal time limit: case reference, date, classification, field, days.

    For a denunciation (tố cáo) only the reference and the days open are kept.
    """
    out = []
    for sheet in form.table_sheets():
        tl = sheet.time_limits
        if not tl:
            continue
        cols = columns.get(sheet.name) or {}
        n = len(rows.get(sheet.name, []))
        open_when = [(cols.get(k, [None] * n), _test(form, v)) for k, v in tl["open_when"].items()]
        for i in range(n):
            if not all(test(col[i]) for col, test in open_when):
                continue
            received = cols["ngay_tiep"][i]
            kind = cols["phan_loai"][i]
            if not isinstance(received, date) or kind not in tl["days"]:
                continue
            complex_ = cols.get(tl["complex_field"], [None] * n)[i] == tl["complex_value"]
            limit = tl["days"][kind]["complex" if complex_ else "normal"]
            days = (as_of - received).days
            if days > limit:
                secret = kind == "Tố cáo"
                out.append(OverdueCase(
                    ref=f"{unit_code}-{rows[sheet.name][i]}", unit_code=unit_code,
                    date=None if secret else received.isoformat(), phan_loai=kind,
                    linh_vuc=None if secret else cols.get("linh_vuc", [None] * n)[i], days_open=days, limit=limit))
    return out


def overdue_tasks(form: Form, columns: dict, rows: dict[str, list[int]], unit_code: str,
                  as_of: date) -> list[OverdueTask]:
    """Plan tasks past their deadline and not finished."""
    out = []
    for sheet in form.table_sheets():
        od = sheet.overdue
        if not od:
            continue
        cols = columns.get(sheet.name) or {}
        n = len(rows.get(sheet.name, []))
        closed = [(cols[k], _test(form, v)) for k, v in od["open_when_not"].items()]
        for i in range(n):
            deadline = cols[od["date_field"]][i]
            if not isinstance(deadline, date) or deadline >= as_of:
                continue
            if any(test(col[i]) for col, test in closed):
                continue
            out.append(OverdueTask(ref=f"{unit_code}-{rows[sheet.name][i]}", unit_code=unit_code,
                                   nhom=cols.get("nhom", [None] * n)[i], noi_dung=cols.get("noi_dung", [None] * n)[i],
                                   thoi_han=deadline.isoformat(), days_late=(as_of - deadline).days))
    return out
