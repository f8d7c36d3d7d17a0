"""The roll-up workbook's layout, read from templates/rollup/tong-hop.yaml: its sheets in order, the
columns of each unit table, the values derived from the units' files, the chart and the key rates.

The writer (dvcq.rollup) lays the workbook out from this; aggregation (dvcq.aggregate) computes the
derived values it declares; the narrative (dvcq.context) takes the key rates from it. References
between files (a form id, an indicator code) are checked at load, naming the file and key.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import schema
from .errors import UserError
from .resources import templates_dir
from .spec import FORM_IDS, REPORT, load_form


@dataclass(frozen=True)
class Derived:
    """A count per unit computed from its file of ``form``: its overdue cases or tasks, or 1 per file."""
    code: str
    title: str
    unit: str
    form: str
    count: str  # overdue_open | resolved_late | overdue_tasks | files


@dataclass(frozen=True)
class Column:
    """One value column of a unit table."""
    code: str
    title: str
    unit: str
    kind: str  # count | ratio | score


@dataclass(frozen=True)
class RollupSheet:
    name: str
    kind: str  # units | ledger | overdue_cases | overdue_tasks | texts | year_on_year | chart
    title: str
    of: str | None = None  # units: the form whose indicators or measures are the columns
    columns: tuple[Column, ...] = ()
    codes: bool = False  # units: the row under the titles shows codes (else column numbers)
    note: str = ""
    crosstabs: bool = False
    roadmap: bool = False
    indicator: str | None = None  # chart: the indicator plotted per unit
    of_sheet: str | None = None  # chart: the units sheet it reads


@dataclass(frozen=True)
class RollupLayout:
    sheets: tuple[RollupSheet, ...]
    derived: tuple[Derived, ...]
    key_rates: tuple[str, ...]
    path: Path

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


@lru_cache(maxsize=None)
def load_layout(root: str | None = None) -> RollupLayout:
    """The roll-up layout of a templates folder (default: dvcq.resources.templates_dir())."""
    path = (Path(root) if root else templates_dir()) / "rollup" / "tong-hop.yaml"
    doc = schema.load(path, schema.ROLLUP)
    derived = {}
    for d in doc["derived"]:
        if d["form"] not in FORM_IDS:
            raise _fail(path, "form", f"«{d['form']}» không phải biểu mẫu (dùng được: {', '.join(FORM_IDS)})")
        derived[d["code"]] = Derived(**d)
    report_codes = {i.code: i for i in load_form(REPORT, root).indicators}
    for code in doc["key_rates"]:
        if code not in report_codes or report_codes[code].kind != "ratio":
            raise _fail(path, "key_rates", f"«{code}» không phải chỉ tiêu tỷ lệ của báo cáo định kỳ")
    sheets = []
    for sd in doc["sheets"]:
        if sd["kind"] == "units" and sd["of"] not in FORM_IDS:
            raise _fail(path, "of", f"«{sd['of']}» không phải biểu mẫu (dùng được: {', '.join(FORM_IDS)})")
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
    return RollupLayout(tuple(sheets), tuple(derived.values()), tuple(doc["key_rates"]), path)
