"""Reading a roll-up workbook back: as an input to the next level (validation) and for the report.

Everything is read from the hidden data sheet, never from the visible sheets (which are for officials
and may be edited). The hidden data's encoding is defined here both ways (``rollup_rows`` and
``rollup_from_rows``); the writer (dvcq.rollup.writer) only copies the rows, so reading a roll-up never
loads the writer or its library, and what is read back equals the ``Rollup`` written.
"""
from __future__ import annotations

import json
from pathlib import Path

from dvcq.calendar.periods import parse
from dvcq.errors import UserError
from dvcq.forms.spec import ROLLUP_FORM_ID
from dvcq.model import (
    BodyProgress,
    LedgerEntry,
    OverdueCase,
    OverdueTask,
    PlanOutline,
    PlanTask,
    ReceptionTally,
    RolloutListing,
    RolloutTarget,
    Rollup,
    TargetTally,
    UnitGroup,
    UnitText,
    UnitValues,
    Values,
    item_json,
)
from dvcq.units.registry import era_of, for_period

from .issues import FileResult
from .progress import TARGET_SHARE, TARGET_YEAR
from .read import identify, iso_datetime, load

ROLLUP_VERSION = 1
DATA_SHEET = "_dvcq_data"
DATA_COLUMNS = ("section", "key", "unit_code", "value", "json")
CHUNK = "list"  # key of a row whose json cell holds a list of items (at most CHUNK_CHARS characters)
CHUNK_CHARS = 30_000
# the list sections, in the order written ("listing": the units the plans' rollouts list, since issue 26; "plantask":
# the tasks of the issuer's own plan, since issue 24)
SECTIONS = ("case", "task", "text", "ledger", "unit", "body", "rollout", "listing", "plantask")
OWN_PLAN = "plan"  # the row of the issuer's own plan (number, date, title...), its tasks under "plantask"
LEGACY_COUNT = "don_vi_co_ke_hoach"  # plans counted: what an old roll-up's one target is taken to cover


def read_rollup(result, book, ident, period, era: str | None = None):
    """Fill a FileResult for a roll-up workbook given as input (identity and additive totals). The
    roll-up of a district for a period that straddles the 2025 reform is of the part before 1/7/2025
    (the unit is read in the three-tier registry, dvcq.units.registry.era_of)."""
    meta = ident.meta
    try:
        p = parse(meta.get("period", ""))
    except Exception:
        result.issue("period", "rollup-no-period", sheet="_dvcq")
        return result
    result.period = p.code
    if period and p != period:
        result.issue("period", "rollup-not-this-period", period=p.label, expected=period.label)
    code = meta.get("unit_code", "")
    result.era = era_of(p, code, meta.get("unit_name", ""), meta.get("era") or era)
    unit = for_period(p, result.era).get(code)
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
    result.received = iso_datetime(meta.get("saved_at"))
    try:
        result.summary = rollup_from_rows(book.grid(DATA_SHEET)[1:], unit.code, unit.name, p.code)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        result.issue("structure", "rollup-damaged-data", name=DATA_SHEET)
    return result


def rollup_from_rows(rows, unit_code: str, unit_name: str, period: str) -> Rollup:
    """The model a roll-up was written from, out of its hidden data rows (DATA_COLUMNS). A roll-up written
    before plan progress was kept has no bodies; its "extra" rows (the highest target year and share of
    its plans) are read as one rollout target of all its plans; one written before indicator targets has
    none."""
    flat, extra, targets, reception = {}, {}, {}, {}
    plan = None
    lists: dict[str, list] = {k: [] for k in SECTIONS}
    for row in rows:
        row = list(row) + [""] * 5
        section, key, code, value, blob = row[:5]
        if section == "total":
            flat[key] = value
        elif section == "extra":
            extra[key] = value
        elif section == "target":  # a roll-up written before targets has none
            targets[key] = TargetTally.from_json(json.loads(blob))
        elif section == "reception":  # a roll-up written before the heads' days by level has none
            reception[key] = ReceptionTally.from_json(key, json.loads(blob))
        elif section == OWN_PLAN:  # a roll-up written before issue 24 (or without its issuer's plan) has none
            plan = json.loads(blob)
        elif section in lists:
            items = json.loads(blob) if key == CHUNK else [dict(json.loads(blob), unit_code=code)]
            lists[section].extend(items)
    totals = Values.from_flat(flat)
    rollout = [RolloutTarget(**d) for d in lists["rollout"]]
    if extra and not rollout:
        year, share = extra.get(TARGET_YEAR), extra.get(TARGET_SHARE)
        rollout = [RolloutTarget(int(year) if isinstance(year, (int, float)) else None,
                                 float(share) if isinstance(share, (int, float)) else None,
                                 int(totals.counts.get(LEGACY_COUNT, 1)))]
    return Rollup(
        unit_code=unit_code, unit_name=unit_name, period=period, totals=totals,
        units=[UnitValues(u["unit_code"], u["unit_name"], Values.from_flat(u["values"]), UnitGroup.of(u.get("group")),
                          {k: TargetTally.from_json(t) for k, t in (u.get("targets") or {}).items()})
               for u in lists["unit"]],
        ledger=[LedgerEntry.from_json(d) for d in lists["ledger"]],
        overdue_cases=[OverdueCase(**d) for d in lists["case"]],
        overdue_tasks=[OverdueTask(**d) for d in lists["task"]],
        texts=[UnitText(**d) for d in lists["text"]], bodies=[BodyProgress(**d) for d in lists["body"]],
        rollout_targets=rollout, targets=targets, reception=reception,
        rollout=[RolloutListing(**d) for d in lists["listing"]],
        own_plan=PlanOutline.from_json(plan, tuple(PlanTask(**d) for d in lists["plantask"])) if plan else None)


def rollup_rows(model: Rollup) -> list[tuple[str, str, str, float | str | None, str]]:
    """The hidden data rows of a model (after the header row DATA_COLUMNS): the inverse of rollup_from_rows."""
    rows: list[tuple] = [("total", k, "", v, "") for k, v in sorted(model.totals.flat().items())]
    rows += [("target", k, "", None, _ASCII.encode(t.to_json())) for k, t in model.targets.items()]
    rows += [("reception", k, "", None, _ASCII.encode(t.to_json())) for k, t in model.reception.items()]
    if model.own_plan is not None:
        rows.append((OWN_PLAN, "own", "", None, _TEXT.encode(model.own_plan.to_json())))
    items = {"case": [item_json(c) for c in model.overdue_cases],
             "task": [item_json(t) for t in model.overdue_tasks],
             "text": [item_json(t) for t in model.texts],
             "ledger": [e.to_json() for e in model.ledger],
             "unit": [{"unit_code": u.code, "unit_name": u.name, "values": u.values.flat(), "group": u.group.value,
                       **({"targets": {k: t.to_json() for k, t in u.targets.items()}} if u.targets else {})}
                      for u in model.units],
             "body": [item_json(b) for b in model.bodies],
             "rollout": [item_json(t) for t in model.rollout_targets],
             "listing": [item_json(x) for x in model.rollout],
             "plantask": [item_json(t) for t in model.own_plan.tasks] if model.own_plan else []}
    for section in SECTIONS:
        rows += [(section, CHUNK, "", None, chunk) for chunk in _chunks(items[section])]
    return rows


# json.dumps's output with these options, one encoder for all (json.dumps makes one a call: 39,000 nationally)
_ASCII = json.JSONEncoder(separators=(",", ":"))
_TEXT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _chunks(items: list[dict]):
    """The items as JSON arrays of at most CHUNK_CHARS characters each (an Excel cell holds 32,767)."""
    parts, size = [], 2
    encode = _TEXT.encode
    for item in items:
        text = encode(item)
        if parts and size + len(text) + 1 > CHUNK_CHARS:
            yield "[" + ",".join(parts) + "]"
            parts, size = [], 2
        parts.append(text)
        size += len(text) + 1
    if parts:
        yield "[" + ",".join(parts) + "]"


def load_rollup(path: Path) -> Rollup | None:
    """A roll-up workbook read back (for the narrative): None when the file is no roll-up; a roll-up
    that cannot be used is a UserError saying why."""
    book = load(Path(path))
    ident = identify(book)
    if ident.form_id != ROLLUP_FORM_ID:
        return None
    res = read_rollup(FileResult(path=Path(path)), book, ident, None)
    if res.summary is None:
        why = res.issues[0].message if res.issues else "dữ liệu ẩn của biểu không đọc được"
        raise UserError(f"Biểu tổng hợp «{Path(path).name}» không dùng được: {why} Hãy tổng hợp lại bằng dvcq.")
    return res.summary
