"""Reading a roll-up workbook back: as an input to the next level (validation) and for the report.

Everything is read from the hidden data sheet, never from the visible sheets (which are for officials
and may be edited). The layout constants of the hidden data are defined here and used by the writer
(dvcq.rollup), so reading a roll-up never loads the writer or its library.
"""
from __future__ import annotations

import json
from pathlib import Path

from .aggregate import derive
from .errors import UserError
from .issues import FileResult
from .model import RollupSummary
from .periods import parse
from .read import identify, iso_datetime, load
from .registry import for_period
from .spec import ROLLUP_FORM_ID

ROLLUP_VERSION = 1
DATA_SHEET = "_dvcq_data"
DATA_COLUMNS = ("section", "key", "unit_code", "value", "json")
CHUNK = "list"  # key of a row whose json cell holds a list of items (at most CHUNK_CHARS characters)


def read_rollup(result, book, ident, period):
    """Fill a FileResult for a roll-up workbook given as input (identity and additive totals)."""
    meta = ident.meta
    try:
        p = parse(meta.get("period", ""))
    except Exception:
        result.issue("period", "rollup-no-period", sheet="_dvcq")
        return result
    result.period = p.code
    if period and p != period:
        result.issue("period", "rollup-not-this-period", period=p.label, expected=period.label)
    unit = for_period(p).get(meta.get("unit_code", ""))
    if unit is None:
        result.issue("unit", "rollup-unknown", code=meta.get("unit_code"))
        return result
    result.unit_code, result.unit_name = unit.code, unit.name
    if ident.version != ROLLUP_VERSION:
        result.issue("spec-version", "rollup", version=ident.version, current=ROLLUP_VERSION)
        return result
    if DATA_SHEET not in book.sheet_names:
        result.issue("structure", "rollup-no-data", name=DATA_SHEET)
        return result
    values, cases, tasks, texts, extra, ledger, units = {}, [], [], [], {}, [], []
    for row in book.grid(DATA_SHEET)[1:]:
        row = list(row) + [""] * 5
        section, key, unit_code, value, blob = row[:5]
        if section == "total":
            values[key] = value
        elif section == "extra":
            extra[key] = value
        elif section in ("case", "task", "text", "ledger", "unit"):
            items = json.loads(blob) if key == CHUNK else [dict(json.loads(blob), unit_code=unit_code)]
            {"case": cases, "task": tasks, "text": texts, "ledger": ledger, "unit": units}[section].extend(items)
    result.received = iso_datetime(meta.get("saved_at"))
    result.summary = RollupSummary(form_id=ROLLUP_FORM_ID, unit_code=unit.code, period=p.code, values=values,
                                   overdue_cases=cases, overdue_tasks=tasks, texts=texts, extra=extra,
                                   ledger=ledger, units=units)
    return result


def load_rollup(path: Path) -> dict | None:
    """A roll-up read back for the narrative: parent, period, totals, units' values, ledger, lists.
    None when the file is no roll-up; a roll-up that cannot be used is a UserError saying why."""
    book = load(Path(path))
    ident = identify(book)
    if ident.form_id != ROLLUP_FORM_ID:
        return None
    res = read_rollup(FileResult(path=Path(path)), book, ident, None)
    if res.summary is None:
        why = res.issues[0].message if res.issues else "dữ liệu ẩn của biểu không đọc được"
        raise UserError(f"Biểu tổng hợp «{Path(path).name}» không dùng được: {why} Hãy tổng hợp lại bằng dvcq.")
    s = res.summary
    # a roll-up written before the hidden data carried the units' values has no "unit" section: its
    # units are then empty (the visible sheets are never read), so the report names no best or worst unit
    units = [{"code": u["unit_code"], "name": u["unit_name"], "additive": u["values"], "i": derive(u["values"])}
             for u in s.units]
    return {"unit_code": res.unit_code, "unit_name": res.unit_name, "period": res.period,
            "totals": derive(s.values), "additive": s.values, "units": units, "ledger": s.ledger,
            "overdue_cases": s.overdue_cases, "overdue_tasks": s.overdue_tasks, "texts": s.texts,
            "extra": s.extra}
