"""One plan's progress beyond its own measures: the tasks by lead body (issue 16 §6), the recurring
tasks by term (§4), and the rollout target its cells state (dvcq.rollup.progress adds plans up).

A plan's task sheet names its lead body in ``Sheet.lead_field`` (ke-hoach.yaml): each body gets the
plan's task measures computed over its own tasks (nv_tong, nv_xong...), its overdue tasks (the rule of
``measures.overdue_rows``) and, per recurring term ("Thường xuyên", "Hằng năm"...), the same measures
over its recurring tasks. Bodies are matched by ``text.fold`` of their names, so "Văn phòng - Thống kê"
and "văn phòng – thống kê" are one body across units; the first spelling is kept. All of it adds up,
so a province sees the bodies of its districts' communes.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from dvcq.forms.duedates import RECURRING_TERMS
from dvcq.forms.spec import Form, Sheet
from dvcq.model import BodyProgress, PlanOutline, PlanRef, PlanTask, RolloutListing, RolloutTarget
from dvcq.text import fold, nfc
from dvcq.units.registry import Registry, Unit

from .measures import closed_rule, compute, meets, overdue_rows, overdue_rule

# the cells above the plan's rollout table that state its target (templates/forms/ke-hoach.yaml)
TARGET_YEAR, TARGET_SHARE = "muc_tieu_nam", "muc_tieu_ty_le"
# the cells of the plan's sheet "Kế hoạch" a report cites (number, date of issue, title, issuing body)
NUMBER, SIGNED, TITLE, ISSUER = "so_ky_hieu", "ngay_ban_hanh", "ten_ke_hoach", "co_quan_ban_hanh"
BASES = "Kế hoạch"  # the sheet whose table lists the documents a plan implements
LAUNCHED = "lt_ra_mat"  # the plan's measure of the rollout's launched units: its filters tell a launched row
STATUS, DONE_DAY = "trang_thai", "ngay_hoan_thanh"  # the cells of a task a PlanTask keeps beside its deadline


def lead_sheet(form: Form) -> Sheet | None:
    """The table sheet whose rows name a lead body (the plan's tasks), if the form has one."""
    return next((s for s in form.table_sheets() if s.lead_field), None)


def task_measures(form: Form) -> list:
    """The count measures over the lead sheet's rows (nv_tong, nv_xong...), in the spec's order."""
    sheet = lead_sheet(form)
    return [m for m in form.measures if m.kind != "ratio" and sheet is not None and form.measure_sheet(m) is sheet]


def done_rate(form: Form):
    """The spec's ratio measure over the task measures (nv_ty_le: done / all), or None."""
    codes = {m.code for m in task_measures(form)}
    return next((m for m in form.measures if m.kind == "ratio" and set(m.numerator) | set(m.denominator) <= codes),
                None)


def _task_cells(sheet: Sheet, task: PlanTask) -> Callable[[str], object]:
    """A task of a plan's outline as the cleaned cells its overdue rule reads (outline() keeps them)."""
    cells = {sheet.overdue["date_field"]: task.due_day, STATUS: task.status or None, DONE_DAY: task.done_day}
    return cells.get


def task_closed(form: Form) -> Callable[[PlanTask], bool]:
    """Whether a task of a plan's outline is closed (done or paused: measures.closed_rule, the spec's rule)."""
    sheet = lead_sheet(form)
    closed = closed_rule(form, sheet)
    return lambda task: closed(_task_cells(sheet, task))


def task_overdue(form: Form, as_of: date) -> Callable[[PlanTask], bool]:
    """Whether a task of a plan's outline is overdue at ``as_of``: the one rule (measures.overdue_rule) by which the
    roll-up counts a plan's overdue tasks, so the report's own plan names the same tasks."""
    sheet = lead_sheet(form)
    late = overdue_rule(form, sheet, as_of)
    return lambda task: late(_task_cells(sheet, task))


def generic(name: str, own: str = "") -> str:
    """A body's name without the plan's own unit name at its end ("Công an xã Cán Khê" -> "Công an xã",
    ``own`` "Cán Khê"), so that the same body of several units adds up; otherwise as written."""
    words, tail = name.split(), fold(own).split()
    if tail and len(words) > len(tail) and [fold(w) for w in words[-len(tail):]] == tail:
        return " ".join(words[:-len(tail)]).rstrip(" -–,")
    return name


def bodies(form: Form, columns: dict[str, dict[str, list]], n: int, as_of: date,
           own: str = "") -> list[BodyProgress]:
    """A plan's tasks by lead body, in the order bodies first appear; tasks without a lead under key "".
    ``n``: the sheet's rows; ``own``: the plan's unit's name without its type word, left out at the end of
    a body's name."""
    sheet = lead_sheet(form)
    if sheet is None:
        return []
    cols = columns.get(sheet.name) or {}
    lead = cols.get(sheet.lead_field) or [None] * n
    due = cols.get(sheet.overdue.get("date_field", ""), [None] * n) if sheet.overdue else [None] * n
    late = set(overdue_rows(form, sheet, cols, n, as_of)) if sheet.overdue else set()
    codes = [m.code for m in task_measures(form)]
    groups: dict[str, tuple[str, list[int]]] = {}
    for i in range(n):
        name = generic(nfc(lead[i]), own) if lead[i] not in (None, "") else ""
        groups.setdefault(fold(name), (name, []))[1].append(i)

    def measured(rows: list[int]) -> dict[str, int]:
        sub = {k: [v[i] for i in rows] for k, v in cols.items()}
        got = compute(form, {sheet.name: sub})
        return {c: int(got.get(c) or 0) for c in codes}

    out = []
    for key, (name, rows) in groups.items():
        terms: dict[str, list[int]] = {}
        for i in rows:
            if isinstance(due[i], str) and due[i] in RECURRING_TERMS:
                terms.setdefault(due[i], []).append(i)
        counts = measured(rows)
        if not any(counts.values()):
            continue  # rows no measure counts (no task) make no body
        out.append(BodyProgress(key=key, name=name, units=1, counts=counts, overdue=sum(1 for i in rows if i in late),
                                recurring={t: measured(terms[t]) for t in RECURRING_TERMS if t in terms}))
    return out


def target(extra: dict[str, dict]) -> RolloutTarget:
    """A plan's rollout target from the cleaned cells above its tables ({sheet: {field: value}})."""
    cells = {k: v for sheet in extra.values() for k, v in sheet.items()}
    year, share = cells.get(TARGET_YEAR), cells.get(TARGET_SHARE)
    return RolloutTarget(int(year) if isinstance(year, (int, float)) else None,
                         float(share) if isinstance(share, (int, float)) else None)


def outline(form: Form, extra: dict[str, dict], columns: dict[str, dict[str, list]], rows: dict[str, list[int]],
            unit_code: str, as_of: date | None) -> PlanOutline:
    """What a report cites of a plan: the cleaned cells of its sheet "Kế hoạch" (number, date, title, issuing body)
    and its tasks (the lead sheet's rows, each with its row, group, content, lead, deadline, status, day done)."""
    cells = {k: v for sheet in extra.values() for k, v in sheet.items()}
    text = lambda v: nfc(str(v)).strip() if v not in (None, "") else ""  # noqa: E731
    signed = cells.get(SIGNED)
    tasks = []
    sheet = lead_sheet(form)
    if sheet is not None:
        cols, at = columns.get(sheet.name) or {}, rows.get(sheet.name, [])
        col = lambda name: cols.get(name) or [None] * len(at)  # noqa: E731
        group, content, lead, status, done = (col(k) for k in ("nhom", "noi_dung", sheet.lead_field, STATUS,
                                                              DONE_DAY))
        due = col(sheet.overdue.get("date_field", "")) if sheet.overdue else [None] * len(at)
        for i, row in enumerate(at):
            if not text(content[i]):
                continue
            tasks.append(PlanTask(row, text(group[i]), text(content[i]), text(lead[i]),
                                  due[i].isoformat() if isinstance(due[i], date) else text(due[i]), text(status[i]),
                                  done[i].isoformat() if isinstance(done[i], date) else ""))
    return PlanOutline(unit_code, text(cells.get(NUMBER)), signed.isoformat() if isinstance(signed, date) else "",
                       text(cells.get(TITLE)), text(cells.get(ISSUER)), tuple(tasks),
                       as_of=as_of.isoformat() if as_of else "",
                       upper=_upper(form, columns, rows, text(cells.get(ISSUER))))


def _upper(form: Form, columns: dict[str, dict[str, list]], rows: dict[str, list[int]], own: str) -> tuple:
    """The numbered plans of other bodies a plan implements: its bases (the table of its sheet "Kế hoạch") of kind
    Kế hoạch with a number, whose issuing body is not its own."""
    sheet = next((s for s in form.table_sheets() if s.name == BASES), None)
    if sheet is None:
        return ()
    cols, n = columns.get(sheet.name) or {}, len(rows.get(sheet.name, []))
    col = lambda name: cols.get(name) or [None] * n  # noqa: E731
    out = []
    for kind, number, day, body, title in zip(*(col(k) for k in ("loai", "so_hieu", "ngay", "co_quan", "trich_yeu"))):
        if kind == "Kế hoạch" and number not in (None, "") and body not in (None, "") and fold(str(body)) != fold(own):
            out.append(PlanRef(nfc(str(number)).strip(), day.isoformat() if isinstance(day, date) else "",
                               nfc(str(body)).strip(), nfc(str(title or "")).strip().rstrip(". ")))
    return tuple(out)


def listings(form: Form, columns: dict[str, dict[str, list]], rows: dict[str, list[int]], issuer: Unit | None,
             reg: Registry) -> list[RolloutListing]:
    """The units a plan's rollout lists (the sheet whose ``listing`` names its fields), each with the plan that
    lists it. A row without a code is resolved by its name to the issuer or a unit under it when the registry
    knows one such unit; otherwise it keeps its name alone."""
    sheet = next((s for s in form.table_sheets() if s.listing), None)
    measure = next((m for m in form.measures if m.code == LAUNCHED), None)
    if sheet is None or issuer is None:
        return []
    cols, at = columns.get(sheet.name) or {}, rows.get(sheet.name, [])
    names, codes, years = (cols.get(sheet.listing[k]) or [None] * len(at) for k in ("name", "code", "year"))
    out = []
    for i, row in enumerate(at):
        name = nfc(str(names[i] or "")).strip()
        code = str(codes[i] or "").strip()
        if not name and not code:
            continue
        if not code and name:
            found = [u for u in reg.matches(name) if u.code == issuer.code or reg.is_under(u, issuer.code)]
            code = found[0].code if len(found) == 1 else ""
        unit = reg.get(code) if code else None
        year = years[i]
        year = int(year) if isinstance(year, (int, float)) else None
        out.append(RolloutListing(code, unit.name if unit else name, year,
                                  bool(measure and meets(form, measure.where, cols, i)), issuer.code, issuer.name, row,
                                  reg.era))
    return out


def ended_leads(reg: Registry, unit: Unit | None, as_of: date) -> dict[str, str]:
    """The declared bodies of a unit's province that ended before ``as_of`` (templates/co-quan.yaml "to"), by
    folded name, each with the name of the body that carries on its tasks ("successor"), or "" when none is
    declared: after its last day a body leads no task, and none of its tasks is overdue in its name."""
    if unit is None:
        return {}
    out = {}
    parents = {reg.province(unit).code, unit.parent_code, unit.code} - {""}
    for code in parents:
        for b in reg.bodies(code):
            body = reg.body(b.code)
            if body is not None and body.end is not None and body.end < as_of:
                successor = reg.get(body.successor) if body.successor else None
                out[fold(body.name)] = successor.name if successor is not None else ""
    return out


def carry_on(form: Form, columns: dict[str, dict[str, list]], leads: dict[str, str],
             province: str = "") -> dict[str, dict[str, list]]:
    """The columns with each task led by an ended body (``ended_leads``) given to its successor, or to no lead
    when it has none; the workbook's own columns are left as they are (a copy where anything changes).
    ``province``: the province's name without its type word, allowed after a body's name ("... Thanh Hóa")."""
    sheet = lead_sheet(form)
    if not leads or sheet is None or sheet.name not in columns:
        return columns
    cols = columns[sheet.name]
    lead = cols.get(sheet.lead_field) or []
    tail = fold(province)

    def successor(name):
        if name in (None, ""):
            return name
        key = fold(str(name))
        for suffix in (f" tinh {tail}", f" {tail}") if tail else ():
            if key.endswith(suffix):
                key = key[:-len(suffix)]
                break
        if key not in leads:
            return name
        return leads[key] or None
    moved = [successor(v) for v in lead]
    if moved == list(lead):
        return columns
    return {**columns, sheet.name: {**cols, sheet.lead_field: moved}}

