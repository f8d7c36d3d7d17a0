"""The roll-up workbook's layout, read from templates/rollup/tong-hop.yaml: its sheets in order, the
columns of each unit table, the values derived from the units' files, the chart and the key rates,
and the standard tables of the circular (Biểu 01/TCD...) column by column.

The writer (dvcq.rollup) lays the workbook out from this; aggregation (dvcq.rollup.aggregate) computes the
derived values it declares; the narrative (dvcq.documents.context) takes the key rates from it. References
between files (a form id, an indicator code, a column a sum names) are checked at load, naming the
file and key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dvcq import schema
from dvcq.errors import UserError
from dvcq.forms.spec import FORM_IDS, REPORT, load_form
from dvcq.resources import templates_dir

SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


@dataclass(frozen=True)
class Derived:
    """A count per unit computed from its file of ``form``: its overdue cases or tasks, or 1 per file."""
    code: str
    title: str
    unit: str
    form: str
    count: str  # overdue_open | resolved_late | overdue_tasks | files
    phan_loai: str = ""  # the cases of one kind only ("Khiếu nại"); "" for every kind


@dataclass(frozen=True)
class Column:
    """One value column of a unit table."""
    code: str
    title: str
    unit: str
    kind: str  # count | ratio | score


@dataclass(frozen=True)
class StandardColumn:
    """A numbered column of a standard table (Biểu 01/TCD...), its value resolved to unit value codes."""
    number: int
    title: str
    group: tuple[str, ...]  # the header groups above the title, outermost first
    terms: tuple[tuple[int, str], ...]  # (sign, code): the value is their signed sum; () when blank
    blank: str  # why the column cannot be counted (printed under the table); "" when it has a value
    ms: str  # the column's cell of the MS row: its number, with the identity the table prints ("1=2+3=4+5")
    width: float
    sources: tuple[tuple[str, str], ...]  # (form, one of its codes in the value): a unit without that form
                                          # has no value for the column


@dataclass(frozen=True)
class TargetColumn:
    """A column of the sheet of figures against targets: what it shows (value, target, percent, units, reached,
    note), its title and width."""
    key: str
    title: str
    width: float = 12


@dataclass(frozen=True)
class RollupSheet:
    name: str
    kind: str  # units | crosstabs | ledger | overdue_cases | overdue_tasks | texts | year_on_year | chart | standard
    #            | targets | reception
    title: str
    of: str | None = None  # units: the form whose indicators or measures are the columns
    columns: tuple[Column, ...] = ()
    codes: bool = False  # units: the row under the titles shows codes (else column numbers)
    note: str = ""
    roadmap: bool = False
    bodies: bool = False  # units of the plan: the tasks by lead body under the table (dvcq.intake.progress)
    indicator: str | None = None  # chart: the indicator plotted per unit
    of_sheet: str | None = None  # chart: the units sheet it reads
    form: str = ""  # standard: the table's number as printed ("Biểu số 01/TCD")
    basis: str = ""  # standard: the legal basis line under it
    notes: tuple[str, ...] = ()  # standard: lines under the table (definitions, what the figures cover)
    unit_width: float = 22  # standard: width of the unit column
    unit_rows_max: int | None = None  # targets: list each unit under an indicator only up to this many units
    table: tuple[StandardColumn, ...] = ()  # standard: the numbered columns, in order
    target_columns: tuple[TargetColumn, ...] = ()  # targets: the columns after the indicator and the unit


@dataclass(frozen=True)
class Plausible:
    """How far a count may move from last year's before the roll-up and the report call it a question: above
    ``factor`` times or below 1/``factor`` of it is "cần kiểm tra", never a finding; ``reason`` is why."""
    factor: float = 3
    reason: str = ""


@dataclass(frozen=True)
class RollupLayout:
    sheets: tuple[RollupSheet, ...]
    derived: tuple[Derived, ...]
    key_rates: tuple[str, ...]
    path: Path
    plausible: Plausible = Plausible()

    def sheet(self, kind: str) -> RollupSheet | None:
        """The first sheet of a kind (None when the layout has none)."""
        return next((s for s in self.sheets if s.kind == kind), None)

    def units_sheet(self, form_id: str) -> RollupSheet | None:
        return next((s for s in self.sheets if s.kind == "units" and s.of == form_id), None)


def _fail(path: Path, key: str, what: str) -> UserError:
    return UserError(f"Tệp {path}, khóa «{key}»: {what}.")


def _columns(path: Path, sd: dict, derived: dict[str, Derived], root: str | None) -> tuple[Column, ...]:
    form = load_form(sd["of"], root)
    items = form.indicators if sd["of"] == REPORT else form.measures
    cols = [Column(x.code, x.title, x.unit, x.kind or "count") for x in items]
    for code in sd.get("add", []):
        d = derived.get(code)
        if d is None:
            raise _fail(path, "add", f"«{code}» không phải số liệu suy ra (derived) nào")
        cols.append(Column(d.code, d.title, d.unit, "count"))
    return tuple(cols)


_TERMS = re.compile(r"\s*([+-])\s*")
DATA_WIDTH = 6.5  # default width of a standard table's numbered column


def _parse(path: Path, where: str, key: str, text: str) -> list[tuple[int, str]]:
    """'4+13+22' or 'TD11+TD14' or '1-4' as (sign, term) pairs; a term is a column number or a code."""
    parts = _TERMS.split(text.strip())
    if not parts[0] or any(not p for p in parts[::2]):
        raise _fail(path, key, f"{where}: «{text}» không phải một tổng (ví dụ 4+13+22, TD11+TD14, 1-4)")
    return [(1, parts[0])] + [(1 if op == "+" else -1, t) for op, t in zip(parts[1::2], parts[2::2])]


def value_codes(root: str | None = None) -> dict[str, str]:
    """The additive unit values a standard table may name, by code: the form each comes from."""
    out = {}
    for fid in FORM_IDS:
        form = load_form(fid, root)
        items = form.indicators if fid == REPORT else form.measures
        out.update({x.code: fid for x in items if (x.kind or "count") == "count"})
    return out


def _standard(path: Path, sd: dict, codes: dict[str, str]) -> tuple[StandardColumn, ...]:
    """The numbered columns of a standard table, each value resolved to signed codes (a column named in
    a sum brings its own terms; a blank column brings none), every reference checked."""
    name = sd["name"]
    cols = sd["columns"]
    numbers = [c["number"] for c in cols]
    if numbers != list(range(1, len(cols) + 1)):
        raise _fail(path, "number", f"biểu «{name}»: các cột phải đánh số liên tiếp 1, 2, 3... theo thứ tự "
                                    f"(đang là {', '.join(map(str, numbers))})")
    by_number = {c["number"]: c for c in cols}
    parsed: dict[int, list[tuple[int, str]]] = {}
    for c in cols:
        where = f"biểu «{name}», cột {c['number']}"
        if ("value" in c) == ("blank" in c):
            raise _fail(path, "value", f"{where}: cần đúng một trong hai khóa value (cách tính) hoặc blank "
                                       f"(lý do không có số liệu)")
        if "blank" in c and not c["blank"].strip():
            raise _fail(path, "blank", f"{where}: cần ghi lý do cột không có số liệu")
        parsed[c["number"]] = _parse(path, where, "value", c["value"]) if "value" in c else []
        sides = [("value", t) for _, t in parsed[c["number"]]]
        for side in c.get("equals", []):
            terms = _parse(path, where, "equals", side)
            if not all(t.isdigit() for _, t in terms):
                raise _fail(path, "equals", f"{where}: «{side}» phải là tổng các cột theo số (ví dụ 4+5)")
            sides += [("equals", t) for _, t in terms]
        for key, term in sides:
            if term.isdigit():
                if int(term) not in by_number:
                    raise _fail(path, key, f"{where}: cột {term} không có trong biểu")
                if int(term) == c["number"]:
                    raise _fail(path, key, f"{where}: cột không thể tính từ chính nó")
            elif term not in codes:
                raise _fail(path, key, f"{where}: «{term}» không phải số liệu cộng được của đơn vị "
                                       f"(chỉ tiêu đếm của báo cáo, số đo của sổ hoặc kế hoạch, số liệu suy ra)")

    resolved: dict[int, list[tuple[int, str]]] = {}

    def resolve(n: int, seen: tuple[int, ...]) -> list[tuple[int, str]]:
        if n in resolved:
            return resolved[n]
        if n in seen:
            chain = " → ".join(map(str, seen + (n,)))
            raise _fail(path, "value", f"biểu «{name}»: các cột tính vòng quanh ({chain})")
        out = []
        for sign, term in parsed[n]:
            if term.isdigit():
                out += [(sign * s, code) for s, code in resolve(int(term), seen + (n,))]
            else:
                out.append((sign, term))
        resolved[n] = out
        return out

    result = []
    for c in cols:
        n = c["number"]
        net: dict[str, int] = {}
        for sign, code in resolve(n, ()):
            net[code] = net.get(code, 0) + sign
        terms = tuple((s, code) for code, s in net.items() if s)
        sums = [c["value"]] if "value" in c and all(t.isdigit() and s > 0 for s, t in parsed[n]) else []
        ms = "=".join([str(n)] + [x.replace(" ", "") for x in sums + c.get("equals", [])])
        result.append(StandardColumn(
            number=n, title=c["title"], group=tuple(c.get("group", ())), terms=terms, blank=c.get("blank", ""),
            ms=ms, width=c.get("width", DATA_WIDTH),
            sources=tuple({codes[code]: code for _, code in reversed(terms)}.items())))
    return tuple(result)


def _kinds_of(form_id: str, root: str | None) -> list[str]:
    """The values of a form's field «phan_loai» (the kinds of case a derived count can keep)."""
    return [v for sh in load_form(form_id, root).data_sheets for f in sh.fields if f.name == "phan_loai"
            for v in (f.enum or [])]


@lru_cache(maxsize=None)
def load_layout(root: str | None = None) -> RollupLayout:
    """The roll-up layout of a templates folder (default: dvcq.resources.templates_dir())."""
    path = (Path(root) if root else templates_dir()) / "rollup" / "tong-hop.yaml"
    doc = schema.load(path, schema.ROLLUP)
    derived = {}
    for d in doc["derived"]:
        if d["form"] not in FORM_IDS:
            raise _fail(path, "form", f"«{d['form']}» không phải biểu mẫu (dùng được: {', '.join(FORM_IDS)})")
        if d.get("phan_loai") and d["phan_loai"] not in _kinds_of(d["form"], root):
            raise _fail(path, "phan_loai", f"«{d['phan_loai']}» không phải một phân loại của biểu {d['form']} "
                                           f"(dùng được: {', '.join(_kinds_of(d['form'], root))})")
        derived[d["code"]] = Derived(**d)
    report_codes = {i.code: i for i in load_form(REPORT, root).indicators}
    for code in doc["key_rates"]:
        if code not in report_codes or report_codes[code].kind != "ratio":
            raise _fail(path, "key_rates", f"«{code}» không phải chỉ tiêu tỷ lệ của báo cáo định kỳ")
    codes = {**value_codes(root), **{d.code: d.form for d in derived.values()}}
    sheets = []
    for sd in doc["sheets"]:
        if SHEET_NAME_BAD.search(sd["name"]) or len(sd["name"]) > 31:
            raise _fail(path, "name", f"«{sd['name']}» không dùng được làm tên trang Excel (tối đa 31 ký tự, "
                                      f"không có các ký tự [ ] : * ? / \\)")
        if sd["kind"] == "standard":
            sheets.append(RollupSheet(**{k: v for k, v in sd.items() if k not in ("columns", "notes")},
                                      notes=tuple(sd.get("notes", ())), table=_standard(path, sd, codes)))
            continue
        if sd["kind"] == "targets":
            if sd["of"] != REPORT:
                raise _fail(path, "of", f"«{sd['of']}» không phải báo cáo định kỳ ({REPORT}): chỉ tiêu kế hoạch là "
                                        "của các chỉ tiêu báo cáo")
            sheets.append(RollupSheet(**{k: v for k, v in sd.items() if k != "columns"},
                                      target_columns=tuple(TargetColumn(**c) for c in sd["columns"])))
            continue
        if sd["kind"] == "crosstabs" and not load_form(sd["of"], root).crosstabs:
            raise _fail(path, "of", f"biểu «{sd['of']}» không có bảng chéo (crosstabs)")
        if sd["kind"] == "units" and sd["of"] not in FORM_IDS:
            raise _fail(path, "of", f"«{sd['of']}» không phải biểu mẫu (dùng được: {', '.join(FORM_IDS)})")
        if sd.get("bodies") and not any(s.lead_field for s in load_form(sd["of"], root).table_sheets()):
            raise _fail(path, "bodies", f"biểu «{sd['of']}» không có trang ghi đơn vị chủ trì (lead_field)")
        if sd["kind"] == "chart" and sd["indicator"] not in report_codes:
            raise _fail(path, "indicator", f"«{sd['indicator']}» không phải chỉ tiêu của báo cáo định kỳ")
        cols = _columns(path, sd, derived, root) if sd["kind"] == "units" else ()
        sheets.append(RollupSheet(**{k: v for k, v in sd.items() if k != "add"}, columns=cols))
    names = [s.name for s in sheets]
    for s in sheets:
        if names.count(s.name) > 1:
            raise _fail(path, "name", f"hai trang cùng tên «{s.name}»")
        if s.kind == "chart" and not any(o.name == s.of_sheet and o.kind == "units" and o.of == REPORT
                                         for o in sheets):
            raise _fail(path, "of_sheet", f"«{s.of_sheet}» không phải trang chỉ tiêu của báo cáo định kỳ")
    plausible = doc.get("plausible_change")
    if plausible is not None and not plausible["factor"] > 1:
        raise _fail(path, "plausible_change.factor", f"cần một số lớn hơn 1 (đang là {plausible['factor']})")
    return RollupLayout(tuple(sheets), tuple(derived.values()), tuple(doc["key_rates"]), path,
                        Plausible(float(plausible["factor"]), plausible["reason"]) if plausible else Plausible())
