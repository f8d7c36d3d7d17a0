"""Schemas of the YAML specifications under templates/, checked when a file is loaded.

Each node kind (form, sheet, field, indicator, rule, measure...) is declared once below as the keys
it may hold, their types and which are required. A file is composed with PyYAML first, so every
key keeps its line; an unknown key, a missing required key, a duplicate key or a value of the wrong
type is a ``UserError`` (exit status 2) naming the file, the line and the key, in Vietnamese.
Only keys the program reads are declared: a key nothing reads cannot be written.

What a file held once checked is kept in the user's cache (dvcq.cache) under a hash of the file's bytes, of this
module and of PyYAML's version: a command whose specifications did not change neither imports PyYAML nor
parses them again.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from dvcq import cache
from dvcq.errors import UserError

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node

_TAG = "tag:yaml.org,2002:"
# PyYAML's node kinds (``Node.id``): the checks below ask a node its kind, so that this module imports PyYAML
# only when a file is parsed (a cache miss)
SCALAR, SEQUENCE, MAPPING = "scalar", "sequence", "mapping"

# Schema nodes compare and hash by identity (eq=False): cached loads are keyed on the schema object.


@dataclass(frozen=True, eq=False)
class Scalar:
    """A plain value: ``str``, ``int``, ``number`` (int or float), ``bool`` or ``any`` scalar."""

    kind: str
    choices: tuple = ()


@dataclass(frozen=True, eq=False)
class ListOf:
    item: "Spec"


@dataclass(frozen=True, eq=False)
class Mapping:
    """A mapping with fixed keys; ``what`` names the node in messages ("một chỉ tiêu")."""

    what: str
    keys: dict[str, "Spec"]
    required: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class MapOf:
    """A mapping whose keys are names (field names, routes...) and whose values share one spec."""

    what: str
    value: "Spec"
    keys: tuple[str, ...] = ()  # when given, exactly these keys


@dataclass(frozen=True, eq=False)
class Either:
    """A scalar, a list or a mapping, whichever the node is (e.g. a ``where`` condition)."""

    options: tuple["Spec", ...]


@dataclass(frozen=True, eq=False)
class Variant:
    """A mapping whose ``key`` value (e.g. a sheet's ``kind``) selects its schema."""

    key: str
    options: dict[str, Mapping] = field(default_factory=dict)


Spec = Union[Scalar, ListOf, Mapping, MapOf, Either, Variant]

# --- the schemas -----------------------------------------------------------------------------

STR, INT, NUMBER, BOOL, ANY = (Scalar(k) for k in ("str", "int", "number", "bool", "any"))
NAMES = ListOf(STR)
# "deadline": a date, or a deadline term a plan states ("Thường xuyên", "Năm 2025"; dvcq.forms.plandoc)
FIELD_TYPES = Scalar("str", ("string", "integer", "number", "year", "date", "period", "deadline"))
FORMATS = ("default", "unit-code", "id-number")

CONSTRAINTS = Mapping("một bảng ràng buộc (constraints)", {
    "required": BOOL, "enum": ListOf(ANY), "minimum": NUMBER, "maximum": NUMBER,
    "pattern": STR, "maxLength": INT})

# percent: a number typed as a percentage (100 for 100%); a cell formatted as a percentage is read as it shows
_FIELD_KEYS = {"name": STR, "title": STR, "type": FIELD_TYPES, "format": Scalar("str", FORMATS),
               "constraints": CONSTRAINTS, "percent": BOOL}
HEADER_FIELD = Mapping("một ô của phần đầu biểu", _FIELD_KEYS, ("name", "title"))
# targets_of: the column holds an indicator of that form that can carry a target (its title, from a dropdown)
TABLE_FIELD = Mapping("một cột của bảng", {**_FIELD_KEYS, "width": NUMBER, "personal": BOOL, "in_period": BOOL,
                                          "number": STR, "targets_of": STR, "under_issuer": BOOL},
                      ("name", "title"))
TEXT = Mapping("một nội dung đánh giá", {"code": STR, "title": STR, "constraints": CONSTRAINTS}, ("code", "title"))

_INDICATOR_KEYS = {"unit": STR, "kind": Scalar("str", ("count", "ratio", "score")), "type": FIELD_TYPES,
                   "constraints": CONSTRAINTS, "numerator": NAMES, "denominator": NAMES, "log_measure": STR,
                   "legal_minimum": Scalar("str", ("held", "required")), "target": BOOL, "additive": BOOL,
                   "parts": ListOf(Mapping("một cách chia chỉ tiêu thành các phần (parts)", {"of": NAMES, "exact": BOOL},
                                           ("of",)))}
INDICATOR = Mapping("một chỉ tiêu", {"code": STR, "title": STR, **_INDICATOR_KEYS}, ("code", "title"))
INDICATOR_DEFAULTS = Mapping("giá trị mặc định của chỉ tiêu (defaults)", _INDICATOR_KEYS)
GROUP = Mapping("một nhóm chỉ tiêu", {"title": STR, "indicators": ListOf(INDICATOR)}, ("title", "indicators"))
COLUMN = Mapping("một cột của trang", {
    "key": Scalar("str", ("stt", "code", "label", "unit", "value", "target", "check", "note", "text")),
    "title": STR, "width": NUMBER}, ("key", "title", "width"))

WHERE = MapOf("một điều kiện lọc (where)", Either((
    ANY, ListOf(ANY), Mapping("một ngưỡng", {"minimum": Either((NUMBER, STR))}, ("minimum",)))))
CONDITION = MapOf("một điều kiện (tên trường: giá trị)", ANY)
RULE = Mapping("một quy tắc", {
    "id": STR, "message": STR, "expr": STR, "when": WHERE, "require": NAMES, "expect": CONDITION,
    "one_of": NAMES, "field": STR, "severity": Scalar("str", ("error", "warning"))}, ("id", "message"))

TIME_LIMITS = Mapping("thời hạn giải quyết (time_limits)", {
    "open_when": CONDITION, "from_field": STR, "kind_field": STR, "level_field": STR, "resolved_field": STR,
    "field_field": STR, "round_field": STR}, ("open_when", "from_field", "kind_field", "level_field", "resolved_field", "field_field"))
OVERDUE = Mapping("điều kiện quá hạn (overdue)", {
    "date_field": STR, "open_when_not": MapOf("một điều kiện (tên trường: giá trị)", Either((ANY, ListOf(ANY))))},
    ("date_field", "open_when_not"))

_SHEET = {"name": STR, "kind": STR, "landscape": BOOL, "pages_wide": INT}
# the units a table lists, each counted once across files (a plan's rollout): the fields of its name, code, year
LISTING = Mapping("các cột nêu đơn vị (listing)", {"name": STR, "code": STR, "year": STR}, ("name", "code", "year"))
SHEET = Variant("kind", {
    "indicators": Mapping("một trang chỉ tiêu", {
        **_SHEET, "columns": ListOf(COLUMN), "groups": ListOf(GROUP), "defaults": INDICATOR_DEFAULTS,
        "rules": ListOf(RULE), "signature": BOOL}, ("name", "kind", "columns", "groups")),
    "texts": Mapping("một trang đánh giá", {**_SHEET, "columns": ListOf(COLUMN), "texts": ListOf(TEXT)},
                     ("name", "kind", "columns", "texts")),
    "table": Mapping("một trang bảng", {
        **_SHEET, "fields": ListOf(TABLE_FIELD), "extra_header": ListOf(HEADER_FIELD), "rules": ListOf(RULE),
        "duplicate_key": NAMES, "min_rows": INT, "max_rows": INT, "time_limits": TIME_LIMITS, "case_field": STR,
        "overdue": OVERDUE, "lead_field": STR, "optional": BOOL, "write_empty": BOOL, "page_starts": NAMES,
        "repeat_columns": INT, "book_rows": INT,
        "listing": LISTING},
        ("name", "kind", "fields", "min_rows", "max_rows")),
    "summary": Mapping("một trang tổng hợp", {**_SHEET, "of": STR}, ("name", "kind", "of")),
})

MEASURE = Mapping("một số đo (measure)", {
    "code": STR, "title": STR, "unit": STR, "sheet": STR, "count": Scalar("str", ("rows",)), "sum": STR,
    "distinct": STR,
    "where": WHERE, "kind": Scalar("str", ("count", "ratio")), "numerator": NAMES, "denominator": NAMES},
    ("code", "title"))
CROSSTAB = Mapping("một bảng chéo (crosstab)", {"rows": STR, "columns": STR, "title": STR},
                   ("rows", "columns", "title"))

FORM = Mapping("một biểu mẫu", {
    "id": STR, "version": INT, "title": STR, "short_title": STR, "subtitle": STR, "instructions": NAMES,
    "sheets": ListOf(SHEET), "measures": ListOf(MEASURE), "crosstabs": ListOf(CROSSTAB)},
    ("id", "version", "title", "sheets"))

COMMON = Mapping("tệp dùng chung của các biểu (chung.yaml)", {
    "header": Mapping("phần đầu biểu (header)", {"first_row": INT, "fields": ListOf(HEADER_FIELD)},
                      ("first_row", "fields")),
    "meta_sheet": STR, "instructions_sheet": STR,
    "settings": Mapping("các thiết lập (settings)", {
        "group_threshold": INT, "max_text_length": INT, "period_years_back": INT, "period_years_forward": INT},
        ("group_threshold", "max_text_length", "period_years_back", "period_years_forward"))},
    ("header", "meta_sheet", "instructions_sheet", "settings"))

_ROLLUP_SHEET = {"name": STR, "kind": STR, "title": STR}
# a numbered column of a standard table: `value` is a unit value code or a sum of columns and codes
# ("4+13+22", "TD11+TD14", "1-4"), or the column is `blank` with the reason it cannot be counted
STANDARD_COLUMN = Mapping("một cột của biểu chuẩn", {
    "number": INT, "title": STR, "group": NAMES, "value": STR, "blank": STR, "equals": NAMES, "width": NUMBER},
    ("number", "title"))
ROLLUP_SHEET = Variant("kind", {
    "units": Mapping("một bảng đơn vị × chỉ tiêu", {
        **_ROLLUP_SHEET, "of": STR, "add": NAMES, "codes": BOOL, "note": STR, "roadmap": BOOL, "bodies": BOOL},
        ("name", "kind", "title", "of")),
    **{kind: Mapping(what, _ROLLUP_SHEET, ("name", "kind", "title")) for kind, what in (
        ("ledger", "trang tiến độ nộp báo cáo"), ("overdue_cases", "trang vụ việc quá hạn"),
        ("overdue_tasks", "trang nhiệm vụ quá hạn"), ("texts", "trang đánh giá của đơn vị"),
        ("year_on_year", "trang so sánh cùng kỳ"))},
    "crosstabs": Mapping("trang bảng chéo của một biểu", {**_ROLLUP_SHEET, "of": STR, "note": STR},
                         ("name", "kind", "title", "of")),
    "reception": Mapping("trang tiếp công dân định kỳ theo cấp", {**_ROLLUP_SHEET, "note": STR},
                         ("name", "kind", "title")),
    "chart": Mapping("trang biểu đồ", {**_ROLLUP_SHEET, "indicator": STR, "of_sheet": STR},
                     ("name", "kind", "title", "indicator", "of_sheet")),
    "targets": Mapping("trang so với chỉ tiêu", {**_ROLLUP_SHEET, "of": STR, "note": STR, "unit_rows_max": INT,
                                                 "columns": ListOf(Mapping(
        "một cột của trang so với chỉ tiêu", {
            "key": Scalar("str", ("value", "target", "percent", "units", "reached", "note")), "title": STR,
            "width": NUMBER},
        ("key", "title")))}, ("name", "kind", "title", "of", "columns")),
    "standard": Mapping("một biểu chuẩn (biểu số liệu theo thông tư)", {
        **_ROLLUP_SHEET, "form": STR, "basis": STR, "notes": NAMES, "unit_width": NUMBER,
        "columns": ListOf(STANDARD_COLUMN)}, ("name", "kind", "title", "form", "columns")),
})
DERIVED = Mapping("một số liệu suy ra (derived)", {
    "code": STR, "title": STR, "unit": STR, "form": STR,
    "count": Scalar("str", ("overdue_open", "resolved_late", "overdue_tasks", "files")), "phan_loai": STR},
    ("code", "title", "unit", "form", "count"))
PLAUSIBLE = Mapping("mức thay đổi hợp lý so với cùng kỳ (plausible_change)", {
    "factor": NUMBER, "reason": STR}, ("factor", "reason"))
ROLLUP = Mapping("biểu tổng hợp (tong-hop.yaml)", {
    "derived": ListOf(DERIVED), "key_rates": NAMES, "plausible_change": PLAUSIBLE, "sheets": ListOf(ROLLUP_SHEET)},
    ("derived", "key_rates", "sheets"))

# the levels whose head has a minimum of periodic reception days (a declared body's head: "department")
RECEPTION_LEVELS = ("commune", "district", "province", "department")
_LIMIT = {"days": INT, "levels": MapOf("số ngày theo mức độ phức tạp", INT)}
_REMOTE = Mapping("thời hạn ở vùng khó khăn (remote)", _LIMIT, ("days",))
# the rounds of resolution with limits of their own (the log's "Lần giải quyết"; an empty cell is the first round)
LIMIT_ROUNDS = ("Lần hai",)
TIME_LIMIT_RULES = Mapping("thời hạn giải quyết (thoi-han.yaml)", {
    "days": Scalar("str", ("calendar", "working")), "days_source": STR, "holidays": ListOf(STR),
    "limits": MapOf("thời hạn theo phân loại đơn", Mapping("một thời hạn", {
        "source": STR, "name": STR, **_LIMIT, "remote": _REMOTE,
        "rounds": MapOf("thời hạn theo lần giải quyết (rounds)", Mapping("thời hạn của một lần giải quyết", {
            "source": STR, **_LIMIT, "remote": _REMOTE}, ("source", "days")), LIMIT_ROUNDS)},
        ("source", "name", "days"))),
    "provinces": MapOf("thời hạn theo quy định của tỉnh", MapOf("thời hạn theo phân loại đơn", Mapping(
        "một thời hạn của tỉnh", {"days": INT, "source": STR}, ("days", "source")))),
    "reception_minimum": Mapping("số ngày tiếp tối thiểu của người đứng đầu (reception_minimum)", {
        "counting": Scalar("str", ("whole", "started")), "counting_source": STR,
        "levels": MapOf("số ngày tiếp tối thiểu theo cấp", Mapping("một mức tối thiểu", {
            "days": INT, "per": Scalar("str", ("week", "month")), "source": STR}, ("days", "per", "source")),
            RECEPTION_LEVELS)}, ("counting", "counting_source", "levels"))},
    ("days", "days_source", "holidays", "limits", "provinces", "reception_minimum"))

LEGACY_CASE = Mapping("một trường hợp ánh xạ", {"when": WHERE, "value": ANY, "from": STR,
                                                "values": MapOf("giá trị cũ: giá trị mới", ANY)})
LEGACY_MAP = Mapping("ánh xạ biểu cũ sang biểu mới", {
    "from_version": INT, "to_version": INT, "case_per_row": BOOL, "sheet": STR, "note": STR,
    "fields": MapOf("trường của biểu mới", ListOf(LEGACY_CASE))},
    ("from_version", "to_version", "case_per_row", "fields"))

PERIOD_KINDS = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "Y")  # the periodic kinds (dvcq.calendar.periods.PERIODIC)
ROUTES = ("commune->district", "district->province", "commune->province", "department->province")
TEXTS_OPTIONAL = Mapping("các kỳ không bắt buộc nội dung đánh giá (texts_optional)", {
    "periods": ListOf(Scalar("str", PERIOD_KINDS)), "source": STR}, ("periods", "source"))
NEXT_FOCUS = Mapping("các kỳ có tên báo cáo nêu phương hướng, nhiệm vụ kỳ tới (next_focus)", {
    "periods": ListOf(Scalar("str", PERIOD_KINDS)), "source": STR}, ("periods", "source"))
WINDOW = Mapping("một khoảng số liệu (from, to)", {"from": STR, "to": STR}, ("from", "to"))
ABOLISHED_SENDERS = ("district", "province", "commune")
# who sends the abolished districts' part (before 1/7/2025) of a period straddling the reform, by when, and why
ABOLISHED = Mapping("phần trước 01/7/2025 của kỳ gồm hai phần (abolished)", {
    "sender": Scalar("str", ABOLISHED_SENDERS),
    "deadlines": Mapping("hạn nộp phần trước 01/7/2025 theo tuyến",
                         {"commune->district": STR, "district->province": STR}),
    "source": STR}, ("sender", "source"))
DEADLINES = Mapping("lịch báo cáo (deadlines.yaml)", {
    "default": Mapping("lịch mặc định (default)", {
        "name": STR, "source": STR,
        "deadlines": MapOf("hạn nộp theo tuyến gửi", MapOf("hạn nộp theo loại kỳ", STR, PERIOD_KINDS), ROUTES),
        "texts_optional": TEXTS_OPTIONAL, "abolished": ABOLISHED, "next_focus": NEXT_FOCUS},
        ("name", "source", "deadlines", "texts_optional", "abolished")),
    "provinces": MapOf("lịch của các tỉnh (provinces)", Mapping("lịch của một tỉnh", {
        "name": STR, "source": STR,
        "deadlines": Mapping("hạn nộp theo tuyến gửi của tỉnh", {
            r: Mapping("hạn nộp theo loại kỳ của tỉnh", {k: STR for k in PERIOD_KINDS}) for r in ROUTES}),
        "windows": Mapping("khoảng số liệu theo loại kỳ của tỉnh", {k: WINDOW for k in PERIOD_KINDS}),
        "texts_optional": TEXTS_OPTIONAL, "abolished": ABOLISHED, "next_focus": NEXT_FOCUS}, ("name", "source")))},
    ("default", "provinces"))

BODY_KINDS = ("sở", "ban", "ngành", "cơ quan", "phòng", "văn phòng", "thanh tra")  # a body's type word
BODY = Mapping("một cơ quan báo cáo", {
    "code": STR, "name": STR, "kind": Scalar("str", BODY_KINDS), "from": STR, "to": STR,
    "eras": ListOf(Scalar("str", ("legacy", "2025"))), "source": STR, "abbreviation": STR, "successor": STR},
    ("code", "name", "kind"))
BODIES = Mapping("danh sách cơ quan báo cáo (co-quan.yaml)", {
    "parents": MapOf("các đơn vị nhận báo cáo (mã tỉnh hoặc mã huyện)", Mapping("cơ quan của một đơn vị", {
        "name": STR, "source": STR, "bodies": ListOf(BODY)}, ("name", "bodies")))},
    ("parents",))

# --- checking ----------------------------------------------------------------------------------

_TYPE_VI = {"str": "một chuỗi chữ", "int": "một số nguyên", "number": "một số", "bool": "true hoặc false",
            "any": "một giá trị"}
_NODE_VI = {SCALAR: "một giá trị", SEQUENCE: "một danh sách", MAPPING: "một bảng khóa: giá trị"}


def _fail(path: Path, node: Node, key: str, what: str) -> UserError:
    return UserError(f"Tệp {path}, dòng {node.start_mark.line + 1}, khóa «{key}»: {what}.")


def _scalar_ok(node: Node, kind: str) -> bool:
    if node.id != SCALAR:
        return False
    tag = node.tag.removeprefix(_TAG)
    return {"str": tag == "str", "int": tag == "int", "number": tag in ("int", "float"), "bool": tag == "bool",
            "any": tag in ("str", "int", "float", "bool")}[kind]


def _shown(node: Node) -> str:
    if node.id == SCALAR:
        return "không có giá trị" if node.tag == _TAG + "null" else f"không phải «{node.value}»"
    return f"không phải {_NODE_VI[node.id]}"


def _matches(node: Node, spec: Spec) -> bool:
    """Whether ``node`` has the shape of ``spec`` at its top (for choosing an ``Either`` option)."""
    if isinstance(spec, Scalar):
        return _scalar_ok(node, spec.kind)
    return node.id == (SEQUENCE if isinstance(spec, ListOf) else MAPPING)


def _pairs(node: MappingNode, path: Path, key: str) -> dict[str, tuple[Node, Node]]:
    """The key nodes and value nodes of a mapping by key text; a repeated key is an error."""
    out: dict[str, tuple[Node, Node]] = {}
    for k, v in node.value:
        name = str(k.value)
        if name in out:
            raise _fail(path, k, name, "khóa bị lặp lại (giá trị trước sẽ bị bỏ qua)")
        out[name] = (k, v)
    return out


def check(node: Node, spec: Spec, path: Path, key: str = "") -> None:
    """Raise a ``UserError`` at the first place ``node`` departs from ``spec``."""
    if isinstance(spec, Either):
        for option in spec.options:
            if _matches(node, option):
                return check(node, option, path, key)
        raise _fail(path, node, key, f"giá trị không đúng dạng ({_shown(node)})")
    if isinstance(spec, Scalar):
        if not _scalar_ok(node, spec.kind):
            raise _fail(path, node, key, f"cần {_TYPE_VI[spec.kind]}, {_shown(node)}")
        if spec.choices and node.value not in spec.choices:
            raise _fail(path, node, key, f"cần một trong {', '.join(spec.choices)}, {_shown(node)}")
        return None
    if isinstance(spec, ListOf):
        if node.id != SEQUENCE:
            raise _fail(path, node, key, f"cần một danh sách, {_shown(node)}")
        for item in node.value:
            check(item, spec.item, path, key)
        return None
    if node.id != MAPPING:
        raise _fail(path, node, key, f"cần một bảng khóa: giá trị, {_shown(node)}")
    pairs = _pairs(node, path, key)
    if isinstance(spec, Variant):
        if spec.key not in pairs:
            raise _fail(path, node, spec.key, "thiếu khóa bắt buộc")
        check(pairs[spec.key][1], Scalar("str", tuple(spec.options)), path, spec.key)
        return check(node, spec.options[pairs[spec.key][1].value], path, key)
    if isinstance(spec, MapOf):
        for name, (k, v) in pairs.items():
            if spec.keys and name not in spec.keys:
                raise _fail(path, k, name, f"khóa không được biết đến trong {spec.what} "
                                           f"(dùng được: {', '.join(spec.keys)})")
            check(v, spec.value, path, name)
        for name in spec.keys:
            if name not in pairs:
                raise _fail(path, node, name, f"{spec.what} thiếu khóa bắt buộc")
        return None
    for name, (k, v) in pairs.items():
        if name not in spec.keys:
            raise _fail(path, k, name, _unknown(spec, node, v))
        check(v, spec.keys[name], path, name)
    for name in spec.required:
        if name not in pairs:
            raise _fail(path, node, name, f"{spec.what} thiếu khóa bắt buộc")
    return None


def _unknown(spec: Mapping, node: MappingNode, value: Node) -> str:
    text = f"khóa không được biết đến trong {spec.what} (dùng được: {', '.join(spec.keys)})"
    if node.flow_style and value.tag == _TAG + "null":
        # {title: Số hội nghị, buổi tuyên truyền}: the comma ended the title
        text += "; một tiêu đề có dấu phẩy trong {…} phải đặt trong dấu nháy kép, ví dụ title: \"A, B\""
    return text


def line_of(path: Path, keys: tuple[str, ...]) -> int | None:
    """The 1-based line of the value at ``keys`` (mapping keys from the top) in a YAML file that loaded;
    None when a key is not there."""
    node = compose(path.read_text(encoding="utf-8"))
    line = None
    for key in keys:
        if node is None or node.id != MAPPING:
            return None
        found = next(((k, v) for k, v in node.value if str(k.value) == key), None)
        if found is None:
            return None
        line, node = found[0].start_mark.line + 1, found[1]
    return line


def loader():
    """PyYAML's safe loader (libyaml's when available: ~10x faster), imported on first use."""
    import yaml  # lazy: PyYAML only when a specification is parsed, not when the cache has it

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str):
    """The node tree of a YAML text (its keys' lines, for messages)."""
    import yaml  # lazy: PyYAML only when a specification is parsed, not when the cache has it

    return yaml.compose(text, Loader=loader())


@lru_cache(maxsize=None)
def _reader_version() -> str:
    """What decides how a file is read, besides its bytes: this module's source and the installed PyYAML (its
    ``__init__.py``, which an upgrade rewrites, found without importing it); '' when either cannot be read
    (then nothing is cached)."""
    try:
        own = Path(__file__).read_bytes()
        found = importlib.util.find_spec("yaml")
        st = os.stat(found.origin)
    except (OSError, ImportError, AttributeError, TypeError, ValueError):
        return ""
    return cache.key(own, f"{found.origin}|{st.st_size}|{st.st_mtime_ns}")


_NAMES: dict[int, str] = {}


def _name(spec: Spec) -> str:
    """The module-level name of a schema (its identity in a cache key)."""
    if not _NAMES:
        _NAMES.update({id(v): k for k, v in globals().items() if isinstance(v, (Mapping, MapOf, ListOf, Variant))})
    return _NAMES.get(id(spec), "")


def load(path: Path, spec: Spec) -> Any:
    """The data of one YAML file after checking it against ``spec`` (from the cache when the file, this
    module and PyYAML are what they were when it was checked)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Không đọc được tệp đặc tả {path} ({exc}).") from None
    version, name = _reader_version(), _name(spec)
    want = cache.key(version, name, raw) if version and name else ""
    if want:
        found = cache.get("spec", path, want)
        if found is not cache.MISSING:
            return found
    data = _parse(path, text, spec)
    if want:
        cache.put("spec", path, want, data)
    return data


def _parse(path: Path, text: str, spec: Spec) -> Any:
    import yaml  # lazy: PyYAML only when a specification is parsed, not when the cache has it

    reader = loader()(text)
    try:
        node = reader.get_single_node()
        if node is None:
            raise UserError(f"Tệp đặc tả {path} rỗng.")
        check(node, spec, path)
        return reader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", dòng {mark.line + 1}" if mark else ""
        raise UserError(f"Tệp {path}{where}: không đúng cú pháp YAML ({exc.problem or exc.context}).") from None
    except yaml.YAMLError as exc:
        raise UserError(f"Tệp {path}: không đúng cú pháp YAML ({exc}).") from None
    finally:
        reader.dispose()
