"""Form specifications: load the declarative YAML files in templates/forms and expose their layout.

A specification is the single source of truth for a form: sheets, columns, indicators, types,
constraints (Frictionless Table Schema vocabulary), cross-field rules, measures and aggregation.
Building, reading, validating, consolidating and narrating all take their facts from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from dvcq import schema
from dvcq.errors import UserError
from dvcq.resources import templates_dir

PLAN, LOG, REPORT = "ke-hoach", "so-tiep-cong-dan", "bao-cao-dinh-ky"  # the forms' ids, named once
FORM_IDS = (PLAN, LOG, REPORT)
ROLLUP_FORM_ID = "tong-hop"


@lru_cache(maxsize=1024)
def col_letter(index: int) -> str:
    """1-based column index to Excel letters."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def split_cell(ref: str) -> tuple[int, int]:
    """'C12' -> (row 12, column 3)."""
    m = _CELL.match(ref)
    return int(m.group(2)), col_index(m.group(1))


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


# String formats (Frictionless ``format``, FORMATS of dvcq.schema): codes whose leading zeros matter
# are Text cells in Excel, and a value Excel turned into a number is read back with its zeros (unit
# codes to the registry's widths, ID numbers to 12 or 9 digits).


@dataclass(frozen=True)
class Field:
    """A typed value: a table column, a header cell or an indicator."""

    name: str
    title: str
    type: str = "string"
    constraints: dict = field(default_factory=dict)
    personal: bool = False
    in_period: bool = False
    under_issuer: bool = False  # a unit code that must be the file's unit or a unit under it (warning)
    percent: bool = False  # a number typed as a percentage (100 for 100%): a percent-formatted cell as it shows
    width: float = 12
    format: str = "default"  # one of dvcq.schema.FORMATS
    number: str = ""  # the column number printed under a table's titles ("6" for both parts of Mẫu 03's (6))
    targets_of: str | None = None  # a form id: the column names one of its indicators that can carry a target

    @property
    def is_code(self) -> bool:
        """A code or ID number: a Text cell in Excel, so leading zeros survive."""
        return self.format != "default"

    @property
    def whole(self) -> bool:
        """Integer-valued: ``integer`` or ``year`` (a year is shown without a thousands separator)."""
        return self.type in ("integer", "year")

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")

    @property
    def minimum(self):
        return self.constraints.get("minimum")

    @property
    def maximum(self):
        return self.constraints.get("maximum")

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @property
    def max_length(self) -> int | None:
        return self.constraints.get("maxLength")


@dataclass(frozen=True)
class Indicator(Field):
    """A coded row of the periodic report."""

    unit: str = ""
    kind: str = "count"  # count | ratio | score
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    group: str = ""
    log_measure: str | None = None
    legal_minimum: str | None = None  # the head's reception days by law (dvcq.calendar.reception): held | required
    target: bool = False  # a plan can set a target for it (compared in roll-ups and the report)
    additive: bool = True  # False: a catalogue's size, a unit's own statement: never summed across units (a range)
    row: int = 0

    @property
    def code(self) -> str:
        return self.name

    @property
    def aggregate(self) -> str:
        return {"count": "sum", "ratio": "ratio", "score": "mean"}[self.kind]

    @property
    def in_percent(self) -> bool:
        """A percentage is typed for it: its target for a rate, its value and target for a score in % (SIPAS)."""
        return self.kind == "ratio" or self.unit == "%"


@dataclass(frozen=True)
class Expr:
    """A comparison of two signed sums of names or numbers, e.g. ``TD08 + TD09 == TD07``."""

    text: str
    lhs: tuple[tuple[int, str], ...]
    op: str
    rhs: tuple[tuple[int, str], ...]

    @cached_property
    def names(self) -> list[str]:
        return [t for _, t in self.lhs + self.rhs if not _is_number(t)]

    @cached_property
    def terms(self):
        """(lhs, rhs, operator): each side as (sign, constant, name), numbers parsed once."""
        side = lambda terms: tuple((sign, float(t), None) if _is_number(t) else (sign, 0.0, t) for sign, t in terms)
        return side(self.lhs), side(self.rhs), _OPS[self.op]

    def evaluate(self, get) -> bool | None:
        """Evaluate with ``get(name)``; None when any operand is missing."""
        lhs, rhs, op = self.terms
        left, right = _sum(lhs, get), _sum(rhs, get)
        if left is None or right is None:
            return None
        return op(left, right)

    def evaluate_columns(self, columns: dict[str, list], n: int) -> list[bool | None]:
        """``evaluate`` for n rows at once, ``columns[name]`` holding one value per row: the same sums, in the
        same order, term by term over whole columns."""
        lhs, rhs, op = self.terms
        left, right = _sum_columns(lhs, columns, n), _sum_columns(rhs, columns, n)
        return [None if a is None or b is None else op(a, b) for a, b in zip(left, right)]

    def excel(self, ref) -> str:
        """The same comparison as an Excel formula body, names replaced by ``ref(name)``."""
        def side(terms):
            out = ""
            for i, (sign, t) in enumerate(terms):
                token = t if _is_number(t) else ref(t)
                out += ("-" if sign < 0 else ("+" if i else "")) + token
            return out
        op = {"==": "=", "!=": "<>"}.get(self.op, self.op)
        return f"{side(self.lhs)}{op}{side(self.rhs)}"


_OPS = {
    "==": lambda a, b: abs(a - b) < 1e-9 if isinstance(a, float) or isinstance(b, float) else a == b,
    "!=": lambda a, b: a != b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}


def _is_number(token: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)?", token))


def _sum(terms, get):
    total = 0
    for sign, const, name in terms:
        value = const if name is None else get(name)
        if value is None or value == "":
            return None
        total = total + value if sign > 0 else total - value
    return total


def _sum_columns(terms, columns: dict[str, list], n: int) -> list:
    """``_sum`` of every row: None where an operand is missing (None or "")."""
    total: list = [0] * n
    for sign, const, name in terms:
        if name is None:
            total = [None if t is None else (t + const if sign > 0 else t - const) for t in total]
        elif sign > 0:
            total = [None if t is None or v is None or v == "" else t + v for t, v in zip(total, columns[name])]
        else:
            total = [None if t is None or v is None or v == "" else t - v for t, v in zip(total, columns[name])]
    return total


def parse_expr(text: str) -> Expr:
    m = re.fullmatch(r"\s*(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*", text)
    if not m:
        raise ValueError(f"cannot parse rule {text!r}")

    def terms(side: str):
        out, sign = [], 1
        for tok in re.findall(r"[+-]|[\w.]+", side):
            if tok in "+-":
                sign = -1 if tok == "-" else 1
            else:
                out.append((sign, tok))
                sign = 1
        return tuple(out)

    return Expr(text, terms(m.group(1)), m.group(2), terms(m.group(3)))


@dataclass(frozen=True)
class Rule:
    """A cross-field rule: an expression, or a condition with required/expected fields."""

    id: str
    message: str
    expr: Expr | None = None
    when: dict = field(default_factory=dict)
    require: tuple[str, ...] = ()
    expect: dict = field(default_factory=dict)
    field: str | None = None
    severity: str = "error"
    one_of: tuple[str, ...] = ()  # exactly one of these fields is filled (Mẫu 03's three handling columns)

    @property
    def target(self) -> str | None:
        """The field or indicator whose cell the rule's issue points at."""
        if self.field:
            return self.field
        if self.require:
            return self.require[0]
        if self.expect:
            return next(iter(self.expect))
        if self.expr:
            return self.expr.names[-1]
        return None


@dataclass(frozen=True)
class Part:
    """A breakdown of a total indicator: the sum of ``parts`` is at most the ``total`` (exactly it when ``exact``),
    per unit: fully online + partly online procedures within online procedures (CC13 + CC14 <= CC07)."""
    total: str
    parts: tuple[str, ...]
    exact: bool = False

    @cached_property
    def expr(self) -> Expr:
        return parse_expr(" + ".join(self.parts) + (" == " if self.exact else " <= ") + self.total)

    @cached_property
    def rule(self) -> Rule:
        """The same relation as a rule of the form's "Kiểm tra" column (dvcq.forms.build); validation checks it as a
        part (dvcq.intake.checks.check_parts), never as a rule."""
        return Rule(id=f"parts-{self.total}-{'-'.join(self.parts)}", message="", expr=self.expr)


@dataclass(frozen=True)
class Measure:
    """A count or sum over table rows (optionally filtered), or a ratio of measures."""

    code: str
    title: str
    unit: str = ""
    sheet: str | None = None
    count: str | None = None
    sum: str | None = None
    distinct: str | None = None  # count distinct values of this field (cases, days) among the rows
    where: dict = field(default_factory=dict)
    kind: str = "count"
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()


@dataclass
class Sheet:
    name: str
    kind: str  # indicators | table | texts | summary
    landscape: bool = False
    pages_wide: int = 1  # printed this many A4 pages wide (a wide table: 2, not shrunk to one unreadable page)
    fields: list[Field] = field(default_factory=list)
    extra_header: list[Field] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    groups: list[tuple[str, int]] = field(default_factory=list)  # (title, row)
    texts: list[Field] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # indicators: the totals' breakdowns (declared on each total)
    duplicate_key: list[str] = field(default_factory=list)
    min_rows: int = 0
    max_rows: int = 0
    time_limits: dict = field(default_factory=dict)
    case_field: str | None = None  # rows sharing this field's value are visits of one case
    overdue: dict = field(default_factory=dict)
    lead_field: str | None = None  # the field naming each row's lead body: progress per body (dvcq.intake.progress)
    listing: dict = field(default_factory=dict)  # {name, code, year}: the fields of the units a plan's rollout lists
    of: str | None = None
    optional: bool = False  # written only when it has rows (a plan's "Chưa xếp được"); a file may lack it
    write_empty: bool = False  # an optional sheet written without rows too (added to a form: older files lack it)
    page_starts: tuple[str, ...] = ()  # printing: the fields that start a page after the first (a wide table)
    repeat_columns: int = 0  # printing: the first columns, printed on every page of a table split over pages
    book_rows: int = 0  # printing: ruled empty rows a form without rows prints (a book kept by hand)
    signature: bool = False  # printing: the signature block under the table (người lập biểu, thủ trưởng đơn vị)
    # layout, filled by Form
    header_row: int = 0  # row of column titles
    first_row: int = 0  # first data row

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def col(self, name: str) -> int:
        """1-based column of a table field."""
        for i, f in enumerate(self.fields, start=1):
            if f.name == name:
                return i
        raise KeyError(name)

    def column_of(self, key: str) -> int:
        """1-based column of a fixed column key (indicators and texts sheets)."""
        for i, c in enumerate(self.columns, start=1):
            if c["key"] == key:
                return i
        raise KeyError(key)

    @property
    def width(self) -> int:
        return len(self.fields) if self.kind == "table" else len(self.columns)

    @property
    def last_row(self) -> int:
        """Last row of the formatted input area of a table."""
        return self.first_row + self.min_rows - 1

    @property
    def checks(self) -> list[Rule]:
        """The comparisons the form's "Kiểm tra" column shows: the rules, then each breakdown's part relation."""
        return list(self.rules) + [p.rule for p in self.parts]

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def indicator_cell(self, code: str) -> str:
        return cell_ref(self.indicator(code).row, self.column_of("value"))

    def target_cell(self, code: str) -> str:
        """The cell of an indicator's target ("Chỉ tiêu" column), for an indicator that can carry one."""
        return cell_ref(self.indicator(code).row, self.column_of("target"))

    @property
    def has_targets(self) -> bool:
        return any(c["key"] == "target" for c in self.columns)

    def text_cell(self, code: str) -> str:
        for i, t in enumerate(self.texts):
            if t.name == code:
                return cell_ref(self.first_row + i, self.column_of("text"))
        raise KeyError(code)

    def extra_cell(self, name: str, header_first_row: int, n_header: int) -> str:
        for i, f in enumerate(self.extra_header):
            if f.name == name:
                return f"C{header_first_row + n_header + i}"
        raise KeyError(name)


@dataclass
class Form:
    id: str
    version: int
    title: str
    short_title: str
    subtitle: str
    instructions: list[str]
    header: list[Field]
    header_first_row: int
    sheets: list[Sheet]
    measures: list[Measure]
    crosstabs: list[dict]
    settings: dict
    meta_sheet: str
    instructions_sheet: str
    path: Path

    @property
    def main(self) -> Sheet:
        """The first data sheet: it holds the header block that officials fill."""
        return self.sheets[0]

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def data_sheets(self) -> list[Sheet]:
        return [s for s in self.sheets if s.kind != "summary"]

    @property
    def sheet_names(self) -> list[str]:
        return [self.instructions_sheet] + [s.name for s in self.sheets] + [self.meta_sheet]

    def header_cell(self, name: str) -> str:
        for i, f in enumerate(self.header):
            if f.name == name:
                return f"C{self.header_first_row + i}"
        raise KeyError(name)

    @property
    def indicators(self) -> list[Indicator]:
        return [i for s in self.sheets for i in s.indicators]

    @property
    def targetable(self) -> list[Indicator]:
        """The indicators a plan can set a target for, in the form's order."""
        return [i for i in self.indicators if i.target]

    def measure(self, code: str) -> Measure:
        for m in self.measures:
            if m.code == code:
                return m
        raise KeyError(code)

    def table_sheets(self) -> list[Sheet]:
        return [s for s in self.sheets if s.kind == "table"]

    def measure_sheet(self, m: Measure) -> Sheet:
        return self.sheet(m.sheet) if m.sheet else self.table_sheets()[0]

    def setting(self, value):
        """Resolve a setting name used as a value (e.g. ``group_threshold``)."""
        if isinstance(value, str) and value in self.settings:
            return self.settings[value]
        return value


def _field(d: dict, cls=Field, **extra) -> Field:
    """A field from a mapping already checked against its schema (dvcq.schema)."""
    kw = dict(
        name=d.get("name") or d.get("code"),
        title=d["title"],
        type=d.get("type", "string"),
        constraints=dict(d.get("constraints") or {}),
        personal=bool(d.get("personal", False)),
        in_period=bool(d.get("in_period", False)),
        under_issuer=bool(d.get("under_issuer", False)),
        percent=bool(d.get("percent", False)),
        width=d.get("width", 12),
        format=d.get("format", "default"),
        number=d.get("number", ""),
        targets_of=d.get("targets_of"),
    )
    kw.update(extra)
    return cls(**kw)


def _rule(d: dict) -> Rule:
    return Rule(
        id=d["id"],
        message=d["message"],
        expr=parse_expr(d["expr"]) if d.get("expr") else None,
        when=dict(d.get("when") or {}),
        require=tuple(d.get("require") or ()),
        expect=dict(d.get("expect") or {}),
        field=d.get("field"),
        severity=d.get("severity", "error"),
        one_of=tuple(d.get("one_of") or ()),
    )


def _check_parts(path: Path, sheet: Sheet) -> None:
    """Each breakdown names counts of the sheet other than its total: else a UserError naming file, line and key."""
    counts = {i.code for i in sheet.indicators if i.kind == "count"}
    for p in sheet.parts:
        bad = [c for c in p.parts if c not in counts or c == p.total]
        if bad:
            line = schema.line_of(path, ("sheets",))
            raise UserError(f"Tệp {path}{f', dòng {line}' if line else ''}, khóa «parts» của chỉ tiêu {p.total}: "
                            f"«{bad[0]}» không phải một chỉ tiêu đếm khác của trang «{sheet.name}».")


def _targets_enum(f: Field, root: str | None) -> Field:
    """A column naming an indicator that can carry a target: its dropdown is those indicators' titles
    (the other form's specification is their one source)."""
    if not f.targets_of:
        return f
    titles = [i.title for i in load_form(f.targets_of, root).targetable]
    return replace(f, constraints={**f.constraints, "enum": titles})


@lru_cache(maxsize=None)
def _load_yaml(path: Path, spec: schema.Spec) -> Any:
    """A YAML file checked against its schema: a wrong key or type is a UserError naming file and line."""
    return schema.load(path, spec)


@lru_cache(maxsize=None)
def load_form(form_id: str, root: str | None = None) -> Form:
    """Load one form specification (merged with templates/forms/chung.yaml)."""
    base = Path(root) if root else templates_dir()
    return load_form_file(base / "forms" / f"{form_id}.yaml", root)


@lru_cache(maxsize=None)
def load_form_file(path: Path, root: str | None = None) -> Form:
    """A form specification from its file (a current form, or an earlier layout kept in forms/cu/)."""
    base = Path(root) if root else templates_dir()
    doc = _load_yaml(path, schema.FORM)
    common = _load_yaml(base / "forms" / "chung.yaml", schema.COMMON)
    header_doc = common["header"]
    header = [_field(f) for f in header_doc["fields"]]
    first = header_doc["first_row"]
    sheets = []
    for sd in doc["sheets"]:
        sheet = Sheet(
            name=sd["name"],
            kind=sd["kind"],
            landscape=bool(sd.get("landscape", False)),
            pages_wide=int(sd.get("pages_wide", 1)),
            columns=list(sd.get("columns") or []),
            rules=[_rule(r) for r in sd.get("rules") or []],
            duplicate_key=list(sd.get("duplicate_key") or []),
            min_rows=sd.get("min_rows", 0),
            max_rows=sd.get("max_rows", 0),
            time_limits=dict(sd.get("time_limits") or {}),
            case_field=sd.get("case_field"),
            overdue=dict(sd.get("overdue") or {}),
            lead_field=sd.get("lead_field"),
            listing=dict(sd.get("listing") or {}),
            of=sd.get("of"),
            optional=bool(sd.get("optional", False)),
            write_empty=bool(sd.get("write_empty", False)),
            page_starts=tuple(sd.get("page_starts") or ()),
            repeat_columns=int(sd.get("repeat_columns", 0)),
            book_rows=int(sd.get("book_rows", 0)),
            signature=bool(sd.get("signature", False)),
            fields=[_targets_enum(_field(f), root) for f in sd.get("fields") or []],
            extra_header=[_field(f) for f in sd.get("extra_header") or []],
            texts=[_field(t) for t in sd.get("texts") or []],
        )
        unknown = [n for n in sheet.page_starts if n not in {f.name for f in sheet.fields}]
        if unknown:
            raise UserError(f"Tệp {path}, trang «{sheet.name}», khóa «page_starts»: «{unknown[0]}» không "
                            "phải trường của trang.")
        # the header block, any extra header cells, a blank row, column titles, column numbers
        sheet.header_row = first + len(header) + len(sheet.extra_header) + 1
        sheet.first_row = sheet.header_row + 2
        if sheet.kind == "indicators":
            defaults = sd.get("defaults") or {}
            row = sheet.first_row
            for g in sd["groups"]:
                sheet.groups.append((g["title"], row))
                row += 1
                for d in g["indicators"]:
                    merged = {**defaults, **d}
                    if d.get("constraints") is not None:
                        merged["constraints"] = {**(defaults.get("constraints") or {}), **d["constraints"]}
                    kind = merged.get("kind", "count")
                    if kind == "ratio":
                        merged["constraints"] = {}
                        merged["type"] = "number"
                    sheet.indicators.append(
                        _field(
                            merged,
                            Indicator,
                            unit=merged.get("unit", ""),
                            kind=kind,
                            numerator=tuple(merged.get("numerator") or ()),
                            denominator=tuple(merged.get("denominator") or ()),
                            group=g["title"],
                            log_measure=merged.get("log_measure"),
                            legal_minimum=merged.get("legal_minimum"),
                            target=bool(merged.get("target", False)),
                            additive=bool(merged.get("additive", True)),
                            row=row,
                        )
                    )
                    sheet.parts += [Part(merged["code"], tuple(b["of"]), bool(b.get("exact", False)))
                                    for b in merged.get("parts") or ()]
                    row += 1
            _check_parts(path, sheet)
            # a rate of figures that do not add up across units does not either
            adds = {i.code: i.additive for i in sheet.indicators}
            sheet.indicators = [replace(i, additive=all(adds.get(c, True) for c in i.numerator + i.denominator))
                                if i.kind == "ratio" else i for i in sheet.indicators]
        sheets.append(sheet)
    measures = [
        Measure(
            code=m["code"],
            title=m["title"],
            unit=m.get("unit", ""),
            sheet=m.get("sheet"),
            count=m.get("count"),
            sum=m.get("sum"),
            distinct=m.get("distinct"),
            where=dict(m.get("where") or {}),
            kind=m.get("kind", "count"),
            numerator=tuple(m.get("numerator") or ()),
            denominator=tuple(m.get("denominator") or ()),
        )
        for m in doc.get("measures") or []
    ]
    return Form(
        id=doc["id"],
        version=int(doc["version"]),
        title=doc["title"],
        short_title=doc.get("short_title", doc["title"]),
        subtitle=doc.get("subtitle", ""),
        instructions=list(doc.get("instructions") or []),
        header=header,
        header_first_row=first,
        sheets=sheets,
        measures=measures,
        crosstabs=list(doc.get("crosstabs") or []),
        settings=dict(common.get("settings") or {}),
        meta_sheet=common["meta_sheet"],
        instructions_sheet=common["instructions_sheet"],
        path=path,
    )


def load_forms() -> dict[str, Form]:
    return {fid: load_form(fid) for fid in FORM_IDS}


LAN_TIEP = "lan_tiep"  # the log's first-or-repeated column, derived per case when the log has case references


def row_key(sheet: Sheet) -> str:
    """The field whose non-empty cell makes a table row count (the first required one)."""
    for f in sheet.fields:
        if f.required:
            return f.name
    return sheet.fields[0].name


def case_measure(m) -> bool:
    """Whether a measure counts cases or depends on them (computed by dvcq only, no Excel formula)."""
    return m.distinct is not None or LAN_TIEP in m.where


def has_formula(form: Form, m) -> bool:
    """Whether the built form's summary sheet computes a measure with a formula (cases are counted by dvcq)."""
    if m.kind == "ratio":
        return not any(case_measure(form.measure(c)) for c in m.numerator + m.denominator)
    return not case_measure(m)
