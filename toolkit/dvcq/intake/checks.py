"""The checks of one submission: one small named function per integrity rule, all reporting into one result.

Each check of a file is ``check_x(ctx: Ctx) -> None`` and ``CHECKS`` runs them in order (validate.py loops
over it); each check of a table sheet is ``check_x(t: TableCtx) -> None``, run by ``check_tables`` for every
table in ``TABLE_CHECKS`` order once its columns are cleaned; ``check_cross_form(results)`` compares the
files of one run (a report against the same unit's reception log). Messages come from the catalogue
(dvcq.intake.messages), point at a sheet and cell, and never quote a citizen's personal data.
"""
from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress, repeat

from dvcq.calendar.deadlines import Calendar, calendar, calendar_of
from dvcq.calendar.periods import parse
from dvcq.calendar.reception import unit_minimum
from dvcq.codes import cell_text, digits, restore_id
from dvcq.errors import UserError
from dvcq.fmt import exact, field_value
from dvcq.forms.duedates import RECURRING_TERMS, parse_deadline
from dvcq.forms.spec import LOG, PLAN, REPORT, Form, Sheet, cell_ref, col_letter, has_formula, load_form, split_cell
from dvcq.forms.targets import PLAN_TARGET_FIELDS, bounds, from_plan
from dvcq.model import Target
from dvcq.text import detect_legacy, fold, needs_cleaning, nfc, repair_legacy
from dvcq.units.registry import abolished, era_of, for_period, unit_part

from .issues import FileResult
from .messages import phrase
from .read import parse_dmy


@dataclass
class Ctx:
    """What the checks share for one file."""

    result: FileResult
    book: object
    form: Form
    sub: object
    period: object = None  # Period of the submission
    expected_period: object = None
    clean: dict = field(default_factory=dict)  # sheet -> field -> cleaned values
    indicators: dict = field(default_factory=dict)  # code -> int/float/None
    shifted: dict = field(default_factory=dict)  # sheet -> Shift: its cells are not where the spec says
    calendar: Calendar | None = None  # the reporting calendar of the unit's province (dvcq.calendar.deadlines)
    window: tuple | None = None  # (first, last day) of the period's data window in that calendar (of the
    # file's part, for a period that straddles the 2025 reform)
    era: str | None = None  # the registry era the file is read in (dvcq.units.registry.era_of)
    era_hint: str | None = None  # the era of the parent being consolidated, for a code both eras hold
    part: object = None  # dvcq.calendar.periods.Part: the days the file holds (a part of a straddling period, or all)
    prepared: tuple | None = None  # (date, cell) of the file's "Ngày lập" when it holds a date
    extra: dict = field(default_factory=dict)  # sheet -> extra header field -> cleaned value (None where unusable)
    targets: dict = field(default_factory=dict)  # indicator code -> Target the file sets (its report column, its plan)
    minimum: object = None  # dvcq.calendar.reception.Minimum: the head's reception days the law requires of the unit

    @property
    def registry(self):
        """The unit registry of the file's era (the period's, or its part's when it straddles the reform)."""
        return for_period(self.period, self.era)

    def skip(self, sheet: str) -> bool:
        """Whether the cell checks of a sheet are left out (its columns or rows moved)."""
        return sheet in self.shifted

    def issue(self, code: str, variant: str | None = None, /, **kw) -> None:
        """An issue from the catalogue (dvcq.intake.messages), e.g. ``ctx.issue("range", "cell", title=..., lo=..., hi=...,
        value=..., sheet=..., cell=...)``."""
        self.result.issue(code, variant, **kw)


def fmt_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _echo(form: Form, v, safe: bool = False) -> str:
    """A header value quoted for a message («...»), except on a form holding citizens' data where it is
    neither a code (digits) nor known to be ``safe`` (a unit's name, a period): a damaged file can put a
    citizen's name in any cell, so the message then points at the cell alone."""
    s = str(v).strip()
    if safe or s.isdigit() or not any(f.personal for f in form.main.fields):
        return phrase("quoted", value=_show(v))
    return phrase("this-cell")


def _show(v) -> str:
    """A cell value for a message: numbers in Vietnamese notation, long text cut."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return exact(v)
    s = str(v)
    return s if len(s) <= 40 else s[:37] + "..."


# --- identity and structure -------------------------------------------------

def check_identity(ctx: Ctx) -> None:
    ident = ctx.sub.identity
    if not ident.from_meta:
        ctx.issue("no-meta")
    elif ident.version is not None and ident.version != ctx.form.version:
        ctx.issue("spec-version", "form", title=ctx.form.short_title, version=ident.version, current=ctx.form.version)


@dataclass(frozen=True)
class Shift:
    """Cells of a sheet moved: ``by`` columns or rows (negative: deleted) from column/row ``at``."""

    axis: str  # "col" | "row"
    at: int  # the spec's first column/row whose content moved (1-based)
    by: int

    def affects(self, row: int, col: int) -> bool:
        return (col if self.axis == "col" else row) >= self.at

    def describe(self) -> str:
        n = phrase("one") if abs(self.by) == 1 else str(abs(self.by))
        what = ("columns-" if self.axis == "col" else "rows-") + ("inserted" if self.by > 0 else "deleted")
        return phrase(what, n=n, at=col_letter(self.at) if self.axis == "col" else self.at)


STRUCTURE_REACH = 3  # columns or rows looked at on either side of where the spec puts a title or code


def _titles(sheet: Sheet) -> list[str]:
    return [f.title for f in sheet.fields] if sheet.kind == "table" else [c["title"] for c in sheet.columns]


def _row_texts(book, name: str, row: int, width: int) -> list[str]:
    return [fold(str(book.value(name, row, c))) for c in range(1, width + 1)]


def _column_shift(want: list[str], got: list[str]) -> tuple[Shift | None, int | None]:
    """(shift, first differing column) of a title row: columns inserted or deleted from there on."""
    n = len(want)
    k = next((i for i in range(n) if got[i] != want[i]), None)
    if k is None:
        return None, None
    for d in range(1, STRUCTURE_REACH + 1):
        if got[k + d:n + d] == want[k:n]:
            return Shift("col", k + 1, d), k
        if k + d < n and got[k:n - d] == want[k + d:n]:
            return Shift("col", k + 1 + d, -d), k
    return None, k


def _header_row_shift(book, sheet: Sheet, want: list[str]) -> Shift | None:
    """Rows inserted or deleted above the column titles: the titles found a few rows lower or higher."""
    width = len(want) + STRUCTURE_REACH
    best, score = None, sum(a == b for a, b in zip(want, _row_texts(book, sheet.name, sheet.header_row, width)))
    for d in [x for k in range(1, STRUCTURE_REACH + 1) for x in (k, -k)]:
        row = sheet.header_row + d
        if row < 1:
            continue
        hit = sum(a == b for a, b in zip(want, _row_texts(book, sheet.name, row, width)))
        if hit > score and hit * 2 >= len(want):
            best, score = Shift("row", sheet.header_row, d), hit
    return best


def _indicator_row_shift(book, sheet: Sheet) -> Shift | None:
    """The first indicator whose code is found on another row of the code column."""
    col = sheet.column_of("code")
    first, last = sheet.indicators[0].row, sheet.indicators[-1].row
    top = max(1, first - STRUCTURE_REACH)
    texts = list(map(str.strip, map(str, book.column(sheet.name, col, top, last + STRUCTURE_REACH))))
    # each text's first row: the pairs from the bottom up, so that an earlier row overwrites a later one
    found = dict(zip(reversed(texts), range(top + len(texts) - 1, top - 1, -1)))
    for code, row in _code_rows(sheet):
        r = found.get(code)
        if r is not None and r != row:
            return Shift("row", row, r - row)
    return None


_CODE_ROWS: dict[int, tuple] = {}  # id(sheet) -> (sheet, its indicators' (code, row)): forms are loaded once


def _code_rows(sheet: Sheet) -> list[tuple[str, int]]:
    """An indicator sheet's (code, row) of each indicator, in order, worked out once per sheet."""
    found = _CODE_ROWS.get(id(sheet))
    if found is None or found[0] is not sheet:
        if len(_CODE_ROWS) > 256:
            _CODE_ROWS.clear()
        found = _CODE_ROWS[id(sheet)] = (sheet, [(ind.code, ind.row) for ind in sheet.indicators])
    return found[1]


def _renamed(book, form: Form, sheet: Sheet) -> str | None:
    """A sheet of the file, not named as any sheet of the form, that holds this sheet's column titles."""
    known = {fold(n) for n in form.sheet_names}
    want = [fold(t) for t in _titles(sheet)]
    for name in book.sheet_names:
        if fold(name) in known:
            continue
        for d in range(-STRUCTURE_REACH, STRUCTURE_REACH + 1):
            row = sheet.header_row + d
            got = _row_texts(book, name, row, len(want)) if row >= 1 else []
            if sum(a == b for a, b in zip(want, got)) * 2 > len(want):
                return name
    return None


def check_structure(ctx: Ctx) -> None:
    """Sheets, column titles and indicator rows where the spec puts them; a shift is told once per
    sheet (what moved, from where) and the sheet's cell checks are left out."""
    book, form = ctx.book, ctx.form
    for sheet in form.data_sheets:
        if not book.has_sheet(sheet.name):
            if sheet.optional:
                continue
            similar = [n for n in book.sheet_names if fold(n) == fold(sheet.name)]
            renamed = None if similar else _renamed(book, form, sheet)
            if renamed:
                ctx.issue("structure", "sheet-renamed", found=renamed, name=sheet.name, sheet=sheet.name)
            elif similar:
                ctx.issue("structure", "sheet-misspelt", name=sheet.name, found=similar[0], sheet=sheet.name)
            else:
                ctx.issue("structure", "sheet-missing", name=sheet.name, sheet=sheet.name)
            continue
        titles = _titles(sheet)
        want = [fold(t) for t in titles]
        got = _row_texts(book, sheet.name, sheet.header_row, len(want) + STRUCTURE_REACH)
        shift, k = _column_shift(want, got)
        if shift is None and k is not None:
            shift = _header_row_shift(book, sheet, want)
        if shift is None and sheet.kind == "indicators":
            shift = _indicator_row_shift(book, sheet)
        if shift is not None:
            ctx.shifted[sheet.name] = shift
            cell = cell_ref(sheet.header_row, shift.at) if shift.axis == "col" else cell_ref(shift.at, 1)
            ctx.issue("structure", "sheet-shifted", name=sheet.name, shift=shift.describe(), sheet=sheet.name,
                      cell=cell)
            continue
        if k is not None and any(f.personal for f in sheet.fields):
            ctx.issue("structure", "column-title-private", title=titles[k], sheet=sheet.name,
                      cell=cell_ref(sheet.header_row, k + 1))
        elif k is not None:
            ctx.issue("structure", "column-title", title=titles[k],
                      value=_show(book.value(sheet.name, sheet.header_row, k + 1)), sheet=sheet.name,
                      cell=cell_ref(sheet.header_row, k + 1))
        if sheet.kind == "indicators":
            ccol = sheet.column_of("code")
            rows = [ind.row for ind in sheet.indicators]
            first = min(rows, default=1)
            codes = book.column(sheet.name, ccol, first, max(rows, default=0))
            for code, row in _code_rows(sheet):
                v = codes[row - first]
                if str(v).strip() != code:
                    ctx.issue("structure", "indicator-row-moved", code=code, value=_show(v), sheet=sheet.name,
                              cell=cell_ref(row, ccol))
                    break
    counts = {}
    for n in book.sheet_names:
        counts[fold(n)] = counts.get(fold(n), 0) + 1
    for n, k in counts.items():
        if k > 1:
            ctx.issue("structure", "duplicate-sheets", count=k, name=n)


_FORMULAS: dict[int, tuple] = {}  # id(form) -> (form, its formula cells): forms are loaded once per process


def template_formulas(form: Form) -> dict[str, list[str]]:
    """The formula cells a built form has, per sheet (they must not be overwritten); worked out once per form."""
    found = _FORMULAS.get(id(form))
    if found is not None and found[0] is form:
        return found[1]
    if len(_FORMULAS) > 64:  # forms of edited templates (tests, a province's copy): keep only the recent ones
        _FORMULAS.clear()
    out = _template_formulas(form)
    _FORMULAS[id(form)] = (form, out)
    return out


def _template_formulas(form: Form) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for sheet in form.sheets:
        cells = []
        if sheet is not form.main:
            cells += [form.header_cell(f.name) for f in form.header]
        if sheet.kind == "indicators":
            v, c = sheet.column_of("value"), sheet.column_of("check")
            cells += [cell_ref(i.row, v) for i in sheet.indicators if i.kind == "ratio"]
            targets = {r.target for r in sheet.rules}
            cells += [cell_ref(i.row, c) for i in sheet.indicators if i.code in targets]
        if sheet.kind == "summary":
            cells += [f"E{sheet.first_row + i}" for i, m in enumerate(form.measures) if has_formula(form, m)]
        out[sheet.name] = cells
    return out


def check_formulas(ctx: Ctx) -> None:
    for sheet, cells in template_formulas(ctx.form).items():
        if not cells or not ctx.book.has_sheet(sheet) or ctx.skip(sheet):
            continue
        for ref in ctx.book.lacking_formula(sheet, cells):
            ctx.issue("formula-altered", sheet=sheet, cell=ref)
    for sheet in [s.name for s in ctx.form.data_sheets if ctx.book.has_sheet(s.name) and not ctx.skip(s.name)]:
        for ref in ctx.book.error_cells(sheet):
            ctx.issue("formula-error", sheet=sheet, cell=ref)


def check_external_links(ctx: Ctx) -> None:
    if ctx.book.external_links:
        ctx.issue("external-link")


def check_header(ctx: Ctx) -> None:
    form, sub = ctx.form, ctx.sub
    meta = sub.identity.meta
    sheet = form.main.name
    shift = ctx.shifted.get(sheet)
    if shift is not None:  # header cells that moved say nothing: only the metadata sheet is believed
        moved = {k for k, (_, _, ref) in sub.header.items() if shift.affects(*split_cell(ref))}
        if moved and not meta.get("form_id"):
            return
        sub.header = {k: ("" if k in moved else v, sh, ref) for k, (v, sh, ref) in sub.header.items()}
    raw_period, _, pref = sub.header.get("period", ("", sheet, form.header_cell("period")))
    text = meta.get("period") or str(raw_period or "")
    if not text:
        ctx.issue("required", "period-missing", sheet=sheet, cell=pref)
        return
    try:
        ctx.period = parse(text)
    except UserError:
        ctx.issue("period", "invalid", shown=_echo(form, text), sheet=sheet, cell=pref)
        return
    ctx.result.period = ctx.period.code
    if raw_period and meta.get("period"):
        try:
            if parse(str(raw_period)) != ctx.period:
                ctx.issue("period", "header-differs", value=_show(raw_period), period=ctx.period.label,
                          sheet=sheet, cell=pref)
        except UserError:
            pass
    if ctx.expected_period and ctx.period != ctx.expected_period:
        ctx.issue("period", "not-this-period", period=ctx.period.label, expected=ctx.expected_period.label,
                  sheet=sheet, cell=pref)
    code_raw, _, cref = sub.header.get("unit_code", ("", sheet, form.header_cell("unit_code")))
    code = meta.get("unit_code") or cell_text(code_raw)
    name_raw, _, nref = sub.header.get("unit_name", ("", sheet, form.header_cell("unit_name")))
    name = meta.get("unit_name") or str(name_raw or "").strip()
    ctx.era = era_of(ctx.period, code, name, meta.get("era") or ctx.era_hint)
    reg = ctx.registry
    ctx.result.era = reg.era
    unit = reg.get(code) if code else None
    gone = reg.era == "2025" and _abolished(ctx, code, name, where={"sheet": sheet, "cell": cref if code else nref})
    if gone:
        unit = None
    elif unit is None and code:
        unit = restore_unit_code(ctx, reg, code, name, not meta.get("unit_code") and digits(code_raw) is not None,
                                 {"sheet": sheet, "cell": cref, "field": "unit_code"})
    if unit is None and not gone:
        found = reg.find(name) if name else None
        if code:
            fits = reg.padded(code)
            zeros = phrase("zeros-hint", units=", ".join(f"{u.code} ({u.name})" for u in fits)) if fits else ""
            by_name = phrase("name-fits", name=_show(name), code=found.unit.code) if found else ""
            ctx.issue("unit", "code-unknown", shown=_echo(form, code), period=ctx.period.label, zeros=zeros,
                      by_name=by_name, sheet=sheet, cell=cref)
        elif found:
            unit = found.unit
            ctx.issue("required", "unit-code-by-name", code=found.unit.code, name=found.unit.name, sheet=sheet,
                      cell=cref)
        else:
            ctx.issue("required", "unit-code-missing", sheet=sheet, cell=cref)
    elif unit is None:
        pass
    elif name and fold(name) not in (fold(unit.name), fold(unit.short_name)):
        ctx.issue("unit", "name-mismatch", shown=_echo(form, name, safe=reg.find(name) is not None), code=unit.code,
                  name=unit.name, sheet=sheet, cell=nref)
    elif name and name not in (unit.name, unit.short_name):
        ctx.issue("unit", "name-read-as", name=unit.name, code=unit.code, sheet=sheet, cell=nref)
    if unit is not None:
        ctx.result.unit_code, ctx.result.unit_name = unit.code, unit.name
    ctx.calendar = calendar_of(unit, reg) if unit is not None else calendar()
    # a commune's or district's file of a straddling period holds its era's part; a province's own, a body's
    # the whole window
    ctx.part = unit_part(ctx.period, unit) if unit is not None else ctx.period.part(ctx.era)
    ctx.window = ctx.calendar.window(ctx.period, ctx.part.era if ctx.part.partial else None)
    ctx.prepared = _prepared_on(sub, form)


def _abolished(ctx: Ctx, code: str, name: str, where: dict) -> bool:
    """A unit the 2025 reform abolished, in a file of a period after it: an error naming the 2025 commune(s)
    it became part of (the crosswalk), or saying that districts report no more. True when so."""
    gone = abolished(code, name)
    if gone is None:
        return False
    u, label = gone.unit, ctx.period.label
    if gone.merged_into:
        into = ", ".join(f"{n.name} ({n.code})" for n in gone.merged_into)
        ctx.issue("unit", "merged", unit=u.name, code=u.code, into=into, period=label, **where)
    else:
        ctx.issue("unit", "district-abolished", unit=u.name, code=u.code, period=label, **where)
    return True


def _prepared_on(sub, form: Form) -> tuple | None:
    """The file's "Ngày lập" as (date, cell) when the header holds a date there (a typed 'dd/mm/yyyy' too)."""
    if "prepared_on" not in sub.header:
        return None
    v, _, ref = sub.header["prepared_on"]
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, str):
        v = parse_dmy(v.strip())
    return (v, ref) if isinstance(v, date) else None


def restore_unit_code(ctx: Ctx, reg, code: str, name: str, from_number: bool, where: dict):
    """The unit of a code that lost its leading zeros, when one unit fits (the unit name decides
    between several), with a ``code-leading-zero`` warning; None otherwise."""
    fits = reg.padded(code)
    if len(fits) > 1 and name:
        fits = [u for u in fits if fold(name) in (fold(u.name), fold(u.short_name))]
    if len(fits) != 1:
        return None
    ctx.issue("code-leading-zero", "from-number" if from_number else "typed", code=fits[0].code, **where)
    return fits[0]


def _issuer_widths(reg, code: str | None) -> set[int] | None:
    """The code lengths of a file's unit and of the units one level below it (None: unit unknown)."""
    unit = reg.get(code) if code else None
    if unit is None:
        return None
    return {len(unit.code)} | {len(c.code) for c in reg.children(unit.code)}


def code_text(ctx: Ctx, f, v, pattern, where: dict):
    """A code or ID number that Excel stored as a number, as text with the leading zeros it dropped
    (a warning says so and never quotes an ID number); other values unchanged."""
    d = digits(v)
    if d is None:
        return v
    if f.format == "id-number":
        back = restore_id(d)
        if back is None:
            return d
        ctx.issue("id-leading-zero", kind=back.kind, length=back.length, **where)
        return back.text
    if ctx.period is None or (pattern and pattern.match(d)) or ctx.registry.get(d):
        return d
    reg = ctx.registry
    widths = _issuer_widths(reg, ctx.result.unit_code) if f.under_issuer else None
    fits = [u.code for u in reg.padded(d) if (not pattern or pattern.match(u.code))
            and (widths is None or len(u.code) in widths)]
    if len(fits) != 1:
        return d
    ctx.issue("code-leading-zero", "from-number", code=fits[0], **where)
    return fits[0]


# --- cells ------------------------------------------------------------------

_NOT_TEXT = frozenset({"date", "deadline", "integer", "number", "year"})  # clean_cells' other branches
_EMPTY_CELL = frozenset((None, ""))


def _already_clean(f, values: list, limit: int, pattern: re.Pattern | None) -> tuple[list, list[int]]:
    """Column-wise first pass: (values, indices that need the cell-by-cell checks).

    A dropdown value, a real date, a number within bounds or a text already canonical (NFC, no legacy
    encoding, within the length limit, matching the pattern) is clean as it is; a whole column of them
    costs a few passes in C (``map`` of a type, a set's membership, a pattern) instead of a loop of checks,
    and only a column with a cell to look at pays a loop in Python. A code stored as a number (its leading
    zeros to restore) goes cell by cell.
    """
    n = len(values)
    if f.enum:
        return list(values), _failing(list(map(frozenset(f.enum).__contains__, values)))
    if f.type == "date":
        types = list(map(type, values))
        return list(values), [] if types.count(date) == n else [i for i, t in enumerate(types) if t is not date]
    if f.type == "deadline":
        return list(values), [i for i, v in enumerate(values) if type(v) is not date and v not in _TERM_LABELS]
    lo = -math.inf if f.minimum is None else f.minimum
    hi = math.inf if f.maximum is None else f.maximum
    floats = n and list(map(type, values)).count(float) == n
    if f.whole:
        if floats and all(map(float.is_integer, values)) and lo <= min(values) and max(values) <= hi:
            return list(map(int, values)), []  # every cell a whole number in range (is_integer: no NaN, no inf)
        slow = [i for i, v in enumerate(values) if type(v) is not float or not v.is_integer() or not lo <= v <= hi]
        return [int(v) if type(v) is float and v.is_integer() else None for v in values], slow
    if f.type == "number":
        if floats and not any(map(math.isnan, values)) and lo <= min(values) and max(values) <= hi:
            return list(values), []
        slow = [i for i, v in enumerate(values) if type(v) is not float or not lo <= v <= hi]
        return [v if type(v) is float else None for v in values], slow
    if f.type in _NOT_TEXT:
        return [None] * n, list(range(n))
    # text, and codes typed as text (code_text changes only a number: those go cell by cell)
    if list(map(type, values)).count(str) == n:  # every cell a text, or "" (calamine's empty cell)
        if "" not in values:  # a column of names
            texts, strings, slow = range(n), values, set()
        else:  # an optional column's empty cells: the texts kept by their truth, in C
            texts, strings = list(compress(range(n), values)), list(compress(values, values))
            slow = set(range(n)).difference(texts)
    else:
        texts = [i for i, v in enumerate(values) if type(v) is str and v]
        slow = set(range(n)).difference(texts)
        strings = [values[i] for i in texts]
    slow.update(texts[k] for k in needs_cleaning(strings))
    if strings and max(map(len, strings)) > limit:
        slow.update(i for i, v in zip(texts, strings) if len(v) > limit)
    if pattern is not None:
        slow.update(texts[k] for k in _failing(list(map(pattern.match, strings))))
    out = list(values)
    for i in slow:
        out[i] = None
    return out, sorted(slow)


def _failing(verdicts: list) -> list[int]:
    """The indices of the false verdicts (no match, not allowed), [] at the cost of one test in C when none."""
    if all(verdicts):
        return []
    return list(compress(range(len(verdicts)), map(operator.not_, verdicts)))


def clean_column(ctx: Ctx, sheet: Sheet, f, values: list, rows: list[int], private: bool | None = None) -> list:
    """Check one column of a table and return its cleaned values (None where unusable). ``private``: whether
    the sheet holds citizens' data (worked out here when not given)."""
    col = col_letter(sheet.col(f.name))
    # A sheet holding citizens' data never echoes a cell in a message, whatever its column: values can
    # be shifted or garbled into any column (found by the fuzz test), and the address is enough to fix it.
    if private is None:
        private = any(x.personal for x in sheet.fields)
    return clean_cells(ctx, sheet.name, f, values, rows, lambda r: f"{col}{r}", private)


def clean_cells(ctx: Ctx, sheet_name: str, f, values: list, rows: list, cell_of, private: bool = False) -> list:
    """Check the cells of one field (a table column, or an extra header cell) and return their cleaned
    values (None where unusable); ``cell_of(rows[i])`` is the address of value i."""
    limit = f.max_length or ctx.form.settings["max_text_length"]
    pattern = re.compile(f.pattern) if f.pattern else None
    out, slow = _already_clean(f, values, limit, pattern)
    if slow and not f.required:  # an empty cell of an optional column is None as it is, nothing to say
        empty = list(map(_EMPTY_CELL.__contains__, map(values.__getitem__, slow)))
        if any(empty):
            for i in compress(slow, empty):
                out[i] = None
            slow = list(compress(slow, map(operator.not_, empty)))
    if not slow:  # every cell clean (the common case): nothing more to look at
        return out

    def issue_at(code: str, variant: str, r, /, **params) -> None:
        """An issue at row ``r`` of this column; on a private sheet the variant without the cell's value."""
        if private and "value" in params:
            del params["value"]
            variant += "-private"
        ctx.issue(code, variant, sheet=sheet_name, cell=cell_of(r), field=f.name, **params)

    enum = f.enum
    enum_fold = {fold(e): e for e in enum} if enum else None
    lo, hi = f.minimum, f.maximum
    kind = f.type
    for i in slow:
        v, r = values[i], rows[i]
        out[i] = None
        if v == "" or v is None:
            if f.required:
                issue_at("required", "cell-missing", r, title=f.title)
            continue
        if kind == "date":
            if isinstance(v, datetime):
                v = v.date()
            if not isinstance(v, date):
                d = parse_dmy(v) if isinstance(v, str) else None
                if d is None:
                    issue_at("type", "cell-not-date", r, title=f.title, value=_show(v))
                    continue
                issue_at("date-text", "read-as", r, date=fmt_date(d))
                v = d
            out[i] = v
            continue
        if kind == "deadline":
            out[i] = _deadline(v, r, f, issue_at)
            continue
        if kind in ("integer", "number", "year"):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                issue_at("type", "cell-not-number", r, title=f.title, value=_show(v))
                continue
            if f.whole and not float(v).is_integer():
                issue_at("type", "cell-not-whole", r, title=f.title, value=_show(v))
                continue
            v = int(v) if f.whole else float(v)
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                issue_at("range", "cell", r, title=f.title, lo=field_value(lo, kind), hi=field_value(hi, kind),
                         value=field_value(v, kind))
                continue
            out[i] = v
            continue
        if f.is_code:
            v = code_text(ctx, f, v, pattern, {"sheet": sheet_name, "cell": cell_of(r), "field": f.name})
        s = v if isinstance(v, str) else _show(v)
        legacy = detect_legacy(s)
        if legacy:
            fixed = repair_legacy(s, legacy)
            issue_at("encoding", "cell", r, legacy=legacy, value=_show(fixed))
            s = fixed
        s = nfc(s)
        if len(s) > limit:
            issue_at("too-long", "cell", r, title=f.title, length=len(s), limit=limit)
        if enum:
            if s in enum:
                out[i] = s
                continue
            fixed = enum_fold.get(fold(s))
            if fixed:
                issue_at("enum", "cell-read-as", r, value=_show(s), fixed=fixed)
                out[i] = fixed
            else:
                issue_at("enum", "cell-unknown", r, value=_show(s), title=f.title, choices="; ".join(enum))
            continue
        if pattern and not pattern.match(s):
            issue_at("pattern", "cell", r, title=f.title, value=_show(s))
        out[i] = s
    return out


_TERM_LABELS = frozenset(RECURRING_TERMS)  # a recurring term as the dropdown writes it is clean as it is


def _deadline(v, r, f, issue_at):
    """A task's deadline: a date, or a term of dvcq.forms.plandoc in its canonical wording ("Hằng năm",
    "Năm 2025", "Quý II/2024"); a term written otherwise ("hàng năm") is read with a warning."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        issue_at("type", "cell-not-deadline", r, title=f.title, value=_show(v), choices=_DEADLINE_HINT)
        return None
    s = nfc(str(v)).strip()
    d = parse_dmy(s)
    if d is not None:
        issue_at("date-text", "read-as", r, date=fmt_date(d))
        return d
    meant = parse_deadline(s)
    if meant.dated:
        issue_at("date-text", "read-as", r, date=fmt_date(meant.due))
        return meant.due
    if meant.term is None:
        issue_at("type", "cell-not-deadline", r, title=f.title, value=_show(v), choices=_DEADLINE_HINT)
        return None
    if meant.label != s:
        issue_at("enum", "cell-read-as", r, value=_show(s), fixed=meant.label)
    return meant.label


_DEADLINE_HINT = ", ".join(RECURRING_TERMS) + ", Năm 2025, 6 tháng đầu năm 2025, Quý II/2025"


@dataclass(frozen=True)
class TableCtx:
    """What the checks of one table sheet share: the file's Ctx, the sheet, its cleaned columns and rows."""

    ctx: Ctx
    sheet: Sheet
    clean: dict  # field -> cleaned values (None where unusable), one per row
    rows: list[int]  # the sheet row of each value


def check_tables(ctx: Ctx) -> None:
    """Each table sheet: rows past its area, every column cleaned (cell checks), then TABLE_CHECKS."""
    for name, table in ctx.sub.tables.items():
        sheet = table.sheet
        if ctx.skip(name):
            continue
        if table.overflow:
            ctx.issue("overflow", count=table.overflow, limit=sheet.max_rows, sheet=name)
        private = any(x.personal for x in sheet.fields)
        clean = {f.name: clean_column(ctx, sheet, f, table.columns[f.name], table.rows, private)
                 for f in sheet.fields}
        ctx.clean[name] = clean
        t = TableCtx(ctx, sheet, clean, table.rows)
        for check in TABLE_CHECKS:
            check(t)


def explain(expr, get, label) -> str:
    """The values a rule compared: 'TD08 + TD09 + TD10 = 12 + 3 + 30 = 45; TD07 = 47'."""
    def show(v):
        return fmt_date(v) if isinstance(v, date) else _show(v)

    def signed(k, sign, text):
        return ("- " if sign < 0 else ("+ " if k else "")) + text

    def side(terms):
        values = [const if name is None else get(name) for _, const, name in terms]
        names = " ".join(signed(k, sign, show(const) if name is None else label(name))
                         for k, (sign, const, name) in enumerate(terms))
        if len(terms) == 1:
            return f"{names} {show(values[0])}" if isinstance(values[0], date) else f"{names} = {show(values[0])}"
        shown = " ".join(signed(k, sign, show(v)) for k, ((sign, _, _), v) in enumerate(zip(terms, values)))
        total = sum(v if sign > 0 else -v for (sign, _, _), v in zip(terms, values))
        return f"{names} = {shown} = {show(total)}"

    lhs, rhs, _ = expr.terms
    return f"{side(lhs)}; {side(rhs)}"


def check_row_rules(t: TableCtx) -> None:
    """Each rule over whole columns: the rows its ``when`` keeps (condition by condition, as ``all()`` would
    stop at the first false one), then the rule on those rows; issues in row order, rule by rule. Each test is a
    pass in C over a column (``map`` of a set's membership) where it can be; an expression is evaluated only on the
    rows holding all its operands (a row missing one is never in breach)."""
    ctx, sheet, clean, rows = t.ctx, t.sheet, t.clean, t.rows
    titles = {f.name: f.title for f in sheet.fields}
    label = lambda n: phrase("period-end") if n == "period_end" else titles.get(n, n)
    period_end = _ordinal(ctx.window[1]) if ctx.window else None
    n = len(rows)
    missing: dict[str, list[bool]] = {}  # field -> per row, whether its cell is empty (None or "")

    def empty(name: str) -> list[bool]:
        if name not in missing:
            missing[name] = list(map(_EMPTY_CELL.__contains__, clean[name]))
        return missing[name]

    for rule in sheet.rules:
        col = col_letter(sheet.col(rule.target))
        kept = _when_rows(rule.when, clean, n, ctx.form)
        if not kept:
            continue
        if rule.one_of:  # not exactly one of the cells filled: none (not in ``ones``) or two or more (``twos``)
            ones = twos = 0  # byte i of each int is 1 for row i
            for k in rule.one_of:
                filled = int.from_bytes(bytes(map(operator.not_, empty(k))), "little")
                twos |= ones & filled
                ones |= filled
            wrong = ((int.from_bytes(b"\x01" * n, "little") ^ ones) | twos).to_bytes(n, "little")
            bad = list(compress(kept, map(wrong.__getitem__, kept)))
        elif rule.expr is not None:
            for name in rule.expr.names:  # a row missing an operand has no verdict (None): never in breach
                if name != "period_end" or period_end is None:
                    gone = empty(name) if name != "period_end" else [True] * n
                    kept = list(compress(kept, map(operator.not_, map(gone.__getitem__, kept))))
            cols = {name: [period_end] * len(kept) if name == "period_end" else _ordinals(clean[name], kept)
                    for name in rule.expr.names}
            pair = _name_pair(sheet, rule.expr)
            # two cells of dates or numbers compared (every operand there): the comparison mapped over the
            # columns in C, the same verdicts as the sums of one term each (0 + v is v)
            verdicts = list(map(pair[2], cols[pair[0]], cols[pair[1]])) if pair else \
                rule.expr.evaluate_columns(cols, len(kept))
            bad = [i for i, v in zip(kept, verdicts) if v is False]  # None: an operand is missing
        elif rule.require:
            nones = [list(map(operator.is_, clean[k], repeat(None))) for k in rule.require]
            gone = nones[0] if len(nones) == 1 else list(map(any, zip(*nones)))
            bad = list(compress(kept, map(gone.__getitem__, kept)))
        elif len(rule.expect) == 1:  # a value other than the one expected (an empty cell is not): one pass in C
            (k, v), = rule.expect.items()
            ok, c = frozenset((None, v)).__contains__, clean[k]
            bad = list(compress(kept, map(operator.not_, map(ok, map(c.__getitem__, kept)))))
        else:
            wanted = [(clean[k], v) for k, v in rule.expect.items()]
            bad = [i for i in kept if any(c[i] is not None and c[i] != v for c, v in wanted)]
        for i in bad:
            where = {"sheet": sheet.name, "cell": f"{col}{rows[i]}", "severity": rule.severity, "field": rule.target}
            if rule.expr is not None:
                seen = explain(rule.expr, lambda name: ctx.window[1] if name == "period_end" else clean[name][i], label)
                ctx.issue("rule", "with-values", message=rule.message, seen=seen, **where)
            else:
                ctx.issue("rule", "row", message=rule.message, **where)


_COMPARED = frozenset({"date", "integer", "number"})  # cleaned to dates, ints or floats (or None)


_PAIRS: dict[int, tuple] = {}  # id(expr) -> (expr, sheet, its pair): specifications load once per process


def _name_pair(sheet: Sheet, expr) -> tuple | None:
    """(left name, right name, operator) of a rule comparing one date or number cell with another (or with the
    period's end), None for any other expression (a sum, a constant, a minus, another type); once per rule."""
    found = _PAIRS.get(id(expr))
    if found is not None and found[0] is expr and found[1] is sheet:
        return found[2]
    lhs, rhs, op = expr.terms
    pair = None
    if len(lhs) == 1 and len(rhs) == 1:
        (ls, _, left), (rs, _, right) = lhs[0], rhs[0]
        types = {f.name: f.type for f in sheet.fields if not f.enum}
        if ls > 0 and rs > 0 and all(n == "period_end" or types.get(n) in _COMPARED for n in (left, right)):
            pair = (left, right, op)
    if len(_PAIRS) > 256:  # rules of edited templates (tests, a province's copy): keep only the recent ones
        _PAIRS.clear()
    _PAIRS[id(expr)] = (expr, sheet, pair)
    return pair


def _when_rows(when: dict, clean: dict, n: int, form) -> list[int]:
    """The rows (indices) that meet every condition of a rule's ``when``: a value, a list of values, or
    {minimum: n or a setting's name}; one condition at a time over the rows the earlier ones kept (a value or a
    list a pass in C: a set's membership)."""
    kept = list(range(n))
    for name, want in when.items():
        if not kept:
            break
        c = clean[name]
        if isinstance(want, dict):
            lo = form.setting(want["minimum"])
            kept = [i for i in kept if isinstance(c[i], (int, float)) and c[i] >= lo]
        else:
            allowed = frozenset(want if isinstance(want, list) else (want,)).__contains__
            kept = list(compress(kept, map(allowed, c if len(kept) == len(c) else map(c.__getitem__, kept))))
    return kept


def _ordinal(v):
    return v.toordinal() if isinstance(v, date) else v


def _ordinals(column: list, rows: list[int]) -> list:
    """``_ordinal`` of the given rows of a column: a pass in C when they are all dates (a date column's cells)."""
    values = list(map(column.__getitem__, rows))
    if list(map(type, values)).count(date) == len(values):
        return list(map(date.toordinal, values))
    return [_ordinal(v) for v in values]


def check_period_dates(t: TableCtx) -> None:
    """A row dated outside the data window is an error (it belongs to another period's file); a row dated
    inside it but after the file's "Ngày lập" is a warning: nothing can be written down before it happens."""
    ctx, sheet, clean, rows = t.ctx, t.sheet, t.clean, t.rows
    if ctx.period is None:
        return
    first, last = ctx.window
    prepared, pref = ctx.prepared or (None, None)
    for f in sheet.fields:
        if not f.in_period:
            continue
        values = clean[f.name]
        dates = list(compress(values, map(operator.is_not, values, repeat(None))))
        if not dates or (first <= min(dates) and max(dates) <= last and (prepared is None or max(dates) <= prepared)):
            continue  # every date in the window and not after the file's date (the common case): nothing to tell
        col = col_letter(sheet.col(f.name))
        for d, r in zip(values, rows):
            if d is None:
                continue
            where = {"sheet": sheet.name, "cell": f"{col}{r}", "field": f.name}
            if not first <= d <= last:
                ctx.issue("period", "date-outside", title=f.title, date=fmt_date(d), period=ctx.part.name,
                          start=fmt_date(first), end=fmt_date(last), **where)
            elif prepared is not None and d > prepared:
                ctx.issue("after-prepared", "row", title=f.title, date=fmt_date(d), prepared=fmt_date(prepared),
                          prepared_cell=pref, main=ctx.form.main.name, **where)


def check_duplicates(t: TableCtx) -> None:
    ctx, sheet, clean, rows = t.ctx, t.sheet, t.clean, t.rows
    if not sheet.duplicate_key:
        return
    keys = list(zip(*(clean[k] for k in sheet.duplicate_key)))
    if len(set(keys)) == len(keys):  # no key twice (the common case): nothing to say
        return
    seen: dict[tuple, int] = {}
    blank = (None,) * len(sheet.duplicate_key)
    for key, r in zip(keys, rows):
        if key == blank:
            continue
        if key in seen:
            ctx.issue("duplicate-row", row=r, first=seen[key], sheet=sheet.name, cell=f"A{r}")
        else:
            seen[key] = r


def check_extra_header(t: TableCtx) -> None:
    """The cells written above a table (a plan's own figures, its number, date and title): numbers within
    their bounds, any other value checked as a table cell of its type; cleaned into ``ctx.extra``."""
    ctx, name = t.ctx, t.sheet.name
    out = ctx.extra.setdefault(name, {})
    for f in t.sheet.extra_header:
        v, ref = ctx.sub.extra[name][f.name]
        if f.type not in ("integer", "number", "year"):
            out[f.name] = clean_cells(ctx, name, f, [v], [ref], lambda r: r)[0]
            continue
        if f.percent and isinstance(v, (int, float)) and not isinstance(v, bool):
            v = shown_percent(ctx, name, ref, v, f.title, f.name)
        if v not in ("", None) and (not isinstance(v, (int, float)) or
                                    (f.minimum is not None and v < f.minimum) or
                                    (f.maximum is not None and v > f.maximum)):
            lo, hi = (field_value(x, f.type) for x in (f.minimum, f.maximum))
            ctx.issue("range", "header-number", title=f.title, lo=lo, hi=hi, sheet=name, cell=ref)
            out[f.name] = None
        else:
            out[f.name] = None if v in ("", None) else v


def shown_percent(ctx: Ctx, sheet: str, ref: str, v: float, title: str, field: str, warn: bool = True) -> float:
    """The percentage a cell holding one shows: a percent-formatted cell's value x 100 (Excel stores "100%"
    typed there as 1), any other as typed. A bare value above 0 and at most 1 where a percentage is expected is a
    warning naming the cell (1 is read as 1%, not 100%), unless ``warn`` is False."""
    if ctx.book.is_percent(sheet, ref):
        return float(f"{v * 100:.12g}")
    if warn and 0 < v <= 1:
        ctx.issue("percent-value", "bare-small", title=title, value=exact(v),
                  hundred=exact(float(f"{v * 100:.12g}")), sheet=sheet, cell=ref, field=field)
    return v


def _target_shown(ind, v) -> str:
    """A target in a message, in the indicator's scale: a rate as a percentage."""
    return percent_exact(v) if ind.kind == "ratio" else exact(v)


def percent_exact(v) -> str:
    return exact(round(float(v) * 100, 6)) + "%"


def check_plan_targets(t: TableCtx) -> None:
    """A plan's sheet of targets (a column naming an indicator that can carry one): each value within the
    bounds of its indicator's kind (a rate in percent, 0 to 100; a count a whole number), and the targets of
    the plan's year kept for its report (dvcq.rollup.targets)."""
    ctx, sheet, clean = t.ctx, t.sheet, t.clean
    named = next((f for f in sheet.fields if f.targets_of), None)
    if named is None:
        return
    by_title = {i.title: i for i in load_form(named.targets_of).targetable}
    value_f, year_f, text_f = (next((f for f in sheet.fields if f.name == n), None) for n in PLAN_TARGET_FIELDS)
    if value_f is None:
        return
    col = col_letter(sheet.col(value_f.name))
    year = ctx.period.year if ctx.period is not None else None
    for i, r in enumerate(t.rows):
        ind, v = by_title.get(clean[named.name][i]), clean[value_f.name][i]
        if v is not None:  # the value as the cell shows it ("100%" typed is stored as 1), kept for the plan document
            v = clean[value_f.name][i] = shown_percent(ctx, sheet.name, f"{col}{r}", v, value_f.title, value_f.name,
                                                       warn=ind is not None and ind.in_percent)
        if ind is None or v is None:
            continue
        where = {"sheet": sheet.name, "cell": f"{col}{r}", "field": value_f.name}
        lo, hi, whole = bounds(ind)
        scale = 100 if ind.kind == "ratio" else 1  # a rate's bounds are fractions, the plan writes percent
        if whole and not float(v).is_integer():
            ctx.issue("type", "plan-target-not-whole", code=ind.code, title=ind.title, value=exact(v), **where)
            continue
        if v < lo * scale or (hi is not None and v > hi * scale):
            unit = "%" if ind.kind == "ratio" else ""
            ctx.issue("range", "plan-target", code=ind.code, title=ind.title, lo=exact(lo * scale) + unit,
                      hi=exact(hi * scale) + unit, value=exact(v) + unit, **where)
            continue
        if year is not None and year_f is not None and clean[year_f.name][i] == year:
            text = clean[text_f.name][i] if text_f is not None else None
            value = int(v) if whole else from_plan(ind, v)
            ctx.targets.setdefault(ind.code, Target(ind.code, value, "plan", sheet.name, f"{col}{r}", text or ""))




def check_issuer_units(t: TableCtx) -> None:
    """A unit code of a column marked ``under_issuer`` (the plan's rollout) is the file's own unit or a
    unit under it in the period's registry; any other code is a warning at its cell."""
    ctx, sheet, clean, rows = t.ctx, t.sheet, t.clean, t.rows
    own = ctx.result.unit_code
    if ctx.period is None or not own:
        return
    reg = ctx.registry
    issuer = reg.get(own)
    for f in sheet.fields:
        if not f.under_issuer:
            continue
        col = col_letter(sheet.col(f.name))
        for code, r in zip(clean[f.name], rows):
            if code is None or code == own:
                continue
            unit = reg.get(code)
            if unit is None or not reg.is_under(unit, own):
                ctx.issue("rollout-unit", "not-under", title=f.title, code=code, issuer=issuer.name,
                          period=ctx.period.label, sheet=sheet.name, cell=f"{col}{r}", field=f.name)


TABLE_CHECKS = (check_row_rules, check_period_dates, check_duplicates, check_extra_header, check_plan_targets,
                check_issuer_units)


_INDICATOR_PLANS: dict[int, tuple] = {}  # id(sheet) -> (sheet, its plan): specifications load once per process


def _indicator_plan(sheet: Sheet) -> list[tuple]:
    """(indicator, code, whole, minimum, maximum, in percent, required) of each indicator a file states (not the
    rates dvcq computes), read from the specification once instead of once per file."""
    found = _INDICATOR_PLANS.get(id(sheet))
    if found is None or found[0] is not sheet:
        if len(_INDICATOR_PLANS) > 64:  # sheets of edited templates (tests, a province's copy): only the recent ones
            _INDICATOR_PLANS.clear()
        found = _INDICATOR_PLANS[id(sheet)] = (sheet, [
            (ind, ind.code, ind.whole, ind.minimum, ind.maximum, ind.in_percent, ind.required)
            for ind in sheet.indicators if ind.kind != "ratio"])
    return found[1]


def check_indicators(ctx: Ctx) -> None:
    form = ctx.form
    got = ctx.sub.indicators
    for sheet in form.data_sheets:
        if sheet.kind != "indicators" or not ctx.book.has_sheet(sheet.name) or ctx.skip(sheet.name):
            continue
        for ind, code, whole, lo, hi, percent, required in _indicator_plan(sheet):
            v, ref = got.get(code, ("", None))
            if whole and not percent and (type(v) is int or (type(v) is float and v.is_integer())) \
                    and (lo is None or v >= lo) and (hi is None or v <= hi):
                ctx.indicators[code] = int(v)  # the common case: a whole number in range (calamine gives a float)
                continue
            where = {"sheet": sheet.name, "cell": ref, "field": code}
            if v == "" or v is None:
                if required:
                    ctx.issue("required", "indicator-missing", code=code, title=ind.title, **where)
                ctx.indicators[code] = None
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                ctx.issue("type", "indicator-not-number", code=code, value=_show(v), **where)
                ctx.indicators[code] = None
                continue
            if whole and not float(v).is_integer():
                ctx.issue("type", "indicator-not-whole", code=code, value=_show(v), **where)
                ctx.indicators[code] = None
                continue
            v = int(v) if whole else float(v)
            if percent:  # a score in % (SIPAS): "92,5%" typed is stored as 0.925
                v = shown_percent(ctx, sheet.name, ref, v, ind.title, code)
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                ctx.issue("range", "indicator", code=code, lo=_show(lo), hi=_show(hi), value=_show(v), **where)
                ctx.indicators[code] = None
                continue
            ctx.indicators[code] = v
        for rule in sheet.rules:
            ok = rule.expr.evaluate(lambda n: ctx.indicators.get(n))
            if ok is False:
                seen = explain(rule.expr, ctx.indicators.get, str)
                ctx.issue("rule", "with-values", message=rule.message, seen=seen, sheet=sheet.name,
                          cell=sheet.indicator_cell(rule.target), severity=rule.severity, field=rule.target)


def _short(title: str) -> str:
    """An indicator's title without its list dash and "Trong đó:" (a part's row on the form)."""
    return re.sub(r"^-\s*(Trong đó:\s*)?", "", title).strip()


def check_parts(ctx: Ctx) -> None:
    """Each total against its breakdowns (``parts`` in the specification): the parts add up to at most the total
    (exactly, for an exact breakdown); a unit's figures that break this are an error at the total's cell, the
    message naming every cell."""
    for sheet in ctx.form.data_sheets:
        if sheet.kind != "indicators" or not sheet.parts or not ctx.book.has_sheet(sheet.name) or ctx.skip(sheet.name):
            continue
        get = ctx.indicators.get
        for p in sheet.parts:
            total, values = get(p.total), [get(c) for c in p.parts]
            if total is None or any(v is None for v in values):
                continue  # a missing or unusable cell is told by check_indicators
            s = sum(values)
            if (s == total) if p.exact else (s <= total):
                continue
            named = lambda c: dict(code=c, title=_short(sheet.indicator(c).title), ref=sheet.indicator_cell(c))  # noqa: E731
            where = dict(sheet=sheet.name, cell=sheet.indicator_cell(p.total), field=p.total)
            whole = phrase("indicator-at", **named(p.total))
            if len(p.parts) == 1:
                ctx.issue("parts", "exceeds-one", part=phrase("indicator-at", **named(p.parts[0])), value=_show(s),
                          total=whole, total_value=_show(total), **where)
                continue
            listed = " + ".join(phrase("indicator-value", value=_show(v), **named(c)) for c, v in zip(p.parts, values))
            ctx.issue("parts", "exceeds" if s > total else "differs", parts=listed, sum=_show(s), total=whole,
                      total_value=_show(total), **where)


def check_targets(ctx: Ctx) -> None:
    """The report's column "Chỉ tiêu": blank, or a number within its indicator's bounds (a rate 0% to 100%,
    a count a whole number at least 0); kept as the unit's targets unless its plan sets them."""
    for sheet in ctx.form.data_sheets:
        if sheet.kind != "indicators" or not sheet.has_targets or not ctx.book.has_sheet(sheet.name) \
                or ctx.skip(sheet.name):
            continue
        for ind in sheet.indicators:
            v, ref = ctx.sub.targets.get(ind.code, ("", None)) if ind.target else ("", None)
            if v in ("", None):
                continue
            where = {"sheet": sheet.name, "cell": ref, "field": ind.code}
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                ctx.issue("type", "target-not-number", code=ind.code, value=_show(v), **where)
                continue
            if ind.in_percent:  # typed as a percentage: in the indicator's scale, a rate as a fraction
                v = shown_percent(ctx, sheet.name, ref, float(v), f"Chỉ tiêu của {ind.code}", ind.code)
                v = v / 100 if ind.kind == "ratio" else v
            lo, hi, whole = bounds(ind)
            if whole and not float(v).is_integer():
                ctx.issue("type", "target-not-whole", code=ind.code, value=_show(v), **where)
                continue
            if v < lo or (hi is not None and v > hi):
                ctx.issue("range", "target", code=ind.code, lo=_target_shown(ind, lo), hi=_target_shown(ind, hi),
                          value=_target_shown(ind, v), **where)
                continue
            ctx.targets[ind.code] = Target(ind.code, int(v) if whole else float(v), "report", sheet.name, ref)


def check_texts(ctx: Ctx) -> None:
    for sheet in ctx.form.data_sheets:
        if sheet.kind != "texts" or not ctx.book.has_sheet(sheet.name) or ctx.skip(sheet.name):
            continue
        for t in sheet.texts:
            v, ref = ctx.sub.texts.get(t.name, ("", None))
            where = {"sheet": sheet.name, "cell": ref, "field": t.name}
            if v in ("", None):
                if t.required and (ctx.calendar is None or ctx.calendar.texts_required(ctx.period)):
                    ctx.issue("required", "text-missing", title=t.title, **where)
                continue
            s = str(v)
            legacy = detect_legacy(s)
            if legacy:
                s = repair_legacy(s, legacy)
                ctx.issue("encoding", "text", legacy=legacy, value=_show(s), **where)
            limit = ctx.form.settings["max_text_length"]
            if len(s) > limit:
                ctx.issue("too-long", "text", length=len(s), limit=limit, **where)


def check_legal_minimums(ctx: Ctx) -> None:
    """The head's periodic reception days against the law's minimum for the unit's level over the days its file
    holds (dvcq.calendar.reception): the days held below it, or the days the unit states it must hold other than
    it, are warnings at their cells."""
    if ctx.period is None or not ctx.result.unit_code or ctx.window is None:
        return
    reg = ctx.registry
    found = ctx.minimum = unit_minimum(reg.get(ctx.result.unit_code), ctx.window, reg)
    if found is None:
        return
    for sheet, ind, cell in _legal_minimum_cells(ctx.form):
        v = ctx.indicators.get(ind.code)
        if isinstance(v, (int, float)):
            where = dict(sheet=sheet.name, cell=cell, field=ind.code)
            if ind.legal_minimum == "held" and v < found.days:
                ctx.issue("legal-minimum", "head-reception", code=ind.code, title=ind.title, value=_show(v),
                          minimum=found.days, period=ctx.part.name, source=found.basis, **where)
            elif ind.legal_minimum == "required" and v != found.days:
                ctx.issue("legal-minimum", "head-reception-required", code=ind.code, title=ind.title,
                          value=_show(v), minimum=found.days, basis=found.basis, **where)


_LEGAL_MINIMUM_CELLS: dict[int, tuple] = {}  # id(form) -> (form, its cells): forms are loaded once per process


def _legal_minimum_cells(form: Form) -> list[tuple]:
    """(sheet, indicator, its cell) of each indicator with a legal minimum, in the form's order, worked out once
    per form instead of a look at every indicator of every file."""
    found = _LEGAL_MINIMUM_CELLS.get(id(form))
    if found is None or found[0] is not form:
        if len(_LEGAL_MINIMUM_CELLS) > 64:  # forms of edited templates (tests, a province's copy): the recent ones
            _LEGAL_MINIMUM_CELLS.clear()
        found = _LEGAL_MINIMUM_CELLS[id(form)] = (form, [
            (sheet, ind, sheet.indicator_cell(ind.code)) for sheet in form.data_sheets if sheet.kind == "indicators"
            for ind in sheet.indicators if ind.legal_minimum])
    return found[1]


CHECKS = (check_identity, check_structure, check_formulas, check_external_links, check_header,
          check_indicators, check_parts, check_targets, check_legal_minimums, check_texts, check_tables)


def check_cross_form(results: list[FileResult]) -> None:
    """The report's reception figures must agree with the same unit's reception log."""
    report_form = load_form(REPORT)
    logs = {(r.unit_code, r.period): r for r in results if r.form_id == LOG and r.summary}
    for r in results:
        if r.form_id != REPORT or not r.summary:
            continue
        log = logs.get((r.unit_code, r.period))
        if not log:
            continue
        for ind in report_form.indicators:
            if not ind.log_measure:
                continue
            got = r.summary.indicators.get(ind.code)
            want = log.summary.measures.get(ind.log_measure)
            if got is not None and want is not None and got != want:
                r.issue("cross-form", code=ind.code, title=ind.title, got=got, want=want, file=log.path.name,
                        sheet=report_form.main.name, cell=report_form.main.indicator_cell(ind.code), field=ind.code)
        r.finish()
        if r.errors:
            r.summary = None


def check_target_conflicts(results: list[FileResult]) -> None:
    """A target the report enters that the unit's plan of the same period sets otherwise: the plan's is used,
    and the report is warned, naming both cells."""
    report_form = load_form(REPORT)
    plans: dict[tuple, FileResult] = {}
    for r in results:
        if r.form_id == PLAN and r.summary and r.summary.targets:
            key = (r.unit_code, r.period)
            if key not in plans or (r.received or "") > (plans[key].received or ""):
                plans[key] = r
    for r in results:
        plan = plans.get((r.unit_code, r.period)) if r.form_id == REPORT and r.summary else None
        if plan is None:
            continue
        for code, mine in r.summary.targets.items():
            theirs = plan.summary.targets.get(code)
            if theirs is None or abs(theirs.value - mine.value) < 1e-9:
                continue
            ind = next(i for i in report_form.indicators if i.code == code)
            r.issue("target-conflict", code=code, title=ind.title, report=_target_shown(ind, mine.value),
                    report_cell=mine.cell, plan=_target_shown(ind, theirs.value), file=plan.path.name,
                    plan_sheet=theirs.sheet, plan_cell=theirs.cell, sheet=mine.sheet, cell=mine.cell, field=code)
        r.finish()
