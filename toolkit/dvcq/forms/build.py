"""Write the forms officials fill (blank, prefilled or filled) from their specifications.

One writer serves three uses: `dvcq build` (blank forms), `dvcq forms` (one prefilled copy per
unit) and `dvcq sample` (realistic filled submissions). Everything about a column or indicator
comes from the spec; this module only knows how to lay a spec out with XlsxWriter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dvcq import __version__
from dvcq.calendar.deadlines import calendar_of
from dvcq.calendar.periods import Period, choices, parse
from dvcq.errors import UserError
from dvcq.fmt import field_value
from dvcq.outputs import writable_dir, write_atomic
from dvcq.text import fold
from dvcq.units.registry import for_period, period_lookup, reporters

from . import printing
from .duedates import deadline_choices
from .printing import PAGE_FOOTER
from .spec import Form, Sheet, case_measure, cell_ref, col_letter, has_formula, load_form, load_forms, row_key
from .targets import bounds
from .textfit import row_height

LISTS_SHEET = "Danh mục"
FIXED_TIME = datetime(2024, 1, 1)
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"  # Excel's Text number format: what is typed stays as typed (leading zeros of codes)
META_KEYS = ("form_id", "spec_version", "unit_code", "unit_name", "unit_level", "period",
             "generator", "saved_at")


@dataclass
class Content:
    """What goes into a form: header values, table rows, indicator values, texts, metadata."""

    header: dict = field(default_factory=dict)  # unit_name, unit_code, period (Period), preparer, prepared_on
    unit_level: str = ""
    era: str = ""  # the unit's registry era, written for a period that straddles the 2025 reform (its part)
    rows: dict = field(default_factory=dict)  # sheet name -> list of {field: value}
    extra: dict = field(default_factory=dict)  # sheet name -> {extra header field: value}
    indicators: dict = field(default_factory=dict)  # code -> value
    targets: dict = field(default_factory=dict)  # code -> target in the indicator's scale (a rate: 1.0 is 100%)
    texts: dict = field(default_factory=dict)  # code -> text
    saved_at: datetime | None = None


class _Styles:
    def __init__(self, wb):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}

        def f(**kw):
            return wb.add_format({**base, **kw})

        self.title = f(bold=True, font_size=14, align="center")
        self.subtitle = f(italic=True, align="center")
        self.label = f(bold=True)
        self.header_input = f(bg_color="#FFF2CC", border=1, locked=False)
        self.header_input_code = f(bg_color="#FFF2CC", border=1, locked=False, num_format=TEXT_FORMAT)
        self.header_input_date = f(bg_color="#FFF2CC", border=1, locked=False, num_format=DATE_FORMAT, align="left")
        self.header_input_text = f(bg_color="#FFF2CC", border=1, locked=False, text_wrap=True)
        self.header_stamped = f(border=1, bold=True)
        self.header_ref = f(border=1)
        self.header_ref_date = f(border=1, num_format=DATE_FORMAT, align="left")
        self.th = f(bold=True, border=1, align="center", text_wrap=True, bg_color="#DDEBF7")
        self.num = f(italic=True, border=1, align="center", font_size=9, bg_color="#DDEBF7")
        self.group = f(bold=True, border=1, bg_color="#F2F2F2")
        self.cell = f(border=1, text_wrap=True)
        self.cell_center = f(border=1, align="center")
        self.value_input = f(border=1, bg_color="#FFF2CC", locked=False, num_format="#,##0")
        self.value_input_num = f(border=1, bg_color="#FFF2CC", locked=False, num_format="#,##0.0")
        self.ratio = f(border=1, num_format="0.0%", bg_color="#E2EFDA")
        self.target_pct = f(border=1, bg_color="#FFF2CC", locked=False, num_format="0.0%")
        self.no_target = f(border=1, bg_color="#F2F2F2")
        self.check = f(border=1, align="center", bold=True)
        self.bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.text_input = f(border=1, bg_color="#FFF2CC", locked=False, text_wrap=True, valign="top")
        self.col_text = f(locked=False, text_wrap=True, border=1)
        self.col_code = f(locked=False, border=1, num_format=TEXT_FORMAT)
        self.col_date = f(locked=False, num_format=DATE_FORMAT, border=1, align="center")
        self.col_int = f(locked=False, num_format="0", border=1, align="center")
        self.col_num = f(locked=False, num_format="#,##0.0", border=1)
        self.wrap = f(text_wrap=True, valign="top")
        self.step = f(valign="top", align="right")
        self.plain = f()
        self.sign_title = f(bold=True, align="center")
        self.sign_date = f(italic=True, align="center")
        self.measure = f(border=1, num_format="#,##0", bg_color="#E2EFDA")


def build_form(form: Form, path: Path, content: Content | None = None, build_year: int | None = None) -> Path:
    """Write one workbook of a form: blank when content is None. Its period dropdown offers the periods of
    ``period_years_back`` years before ``build_year`` to ``period_years_forward`` after it (chung.yaml):
    by default the year of the content's period, for a blank form this year."""
    return write_atomic(Path(path), lambda tmp: _write(form, tmp, content, build_year))


def _write(form: Form, path: Path, content: Content | None, build_year: int | None) -> None:
    import xlsxwriter  # lazy: 0.05 s, only when a form is written (annotate and rollup import build)

    from .formsheet import FormSheet  # lazy: imports XlsxWriter, only when a form is written

    content = content or Content()
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False, "in_memory": True})
    wb.worksheet_class = FormSheet  # XlsxWriter's, its formulas prepared without 28 no-op substitutions
    when = content.saved_at or FIXED_TIME
    wb.set_properties({"title": form.title, "subject": form.short_title, "author": "dvcq",
                       "company": "Ủy ban nhân dân", "created": when})
    wb.set_calc_mode("auto")
    wb.set_size(1400, 900)
    st = _Styles(wb)
    period: Period | None = content.header.get("period")
    year = build_year or (period.year if period else date.today().year)

    _instructions(wb, form, st)
    sheets = {}
    laid_out = [s for s in form.sheets if not s.optional or s.write_empty or content.rows.get(s.name)]
    for sheet in laid_out:
        sheets[sheet.name] = wb.add_worksheet(sheet.name)
    lists = wb.add_worksheet(LISTS_SHEET)
    meta = wb.add_worksheet(form.meta_sheet)
    list_refs = _lists(lists, form, year, st, period)

    for sheet in laid_out:
        ws = sheets[sheet.name]
        _page(ws, sheet)
        _header(ws, form, sheet, content, st, list_refs)
        if sheet.kind == "indicators":
            _indicators(ws, form, sheet, content, st)
        elif sheet.kind == "texts":
            _texts(ws, form, sheet, content, st)
        elif sheet.kind == "table":
            _table(ws, form, sheet, content, st, list_refs)
        elif sheet.kind == "summary":
            _summary(ws, form, sheet, st)
        ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": True})
    sheets[form.main.name].activate()

    values = {
        "form_id": form.id, "spec_version": form.version,
        "unit_code": content.header.get("unit_code", ""), "unit_name": content.header.get("unit_name", ""),
        "unit_level": content.unit_level, "period": period.code if period else "",
        "generator": f"dvcq {__version__}",
        "saved_at": content.saved_at.strftime("%Y-%m-%dT%H:%M:%S") if content.saved_at else "",
    }
    for r, key in enumerate(META_KEYS):
        meta.write_string(r, 0, key)
        v = values[key]
        if isinstance(v, int):
            meta.write_number(r, 1, v)
        else:
            meta.write_string(r, 1, str(v))
    if content.era and period is not None and period.straddles:  # which part: a code both eras hold (16264)
        meta.write_string(len(META_KEYS), 0, "era")
        meta.write_string(len(META_KEYS), 1, content.era)
    meta.protect("")
    meta.hide()
    lists.protect("")
    lists.hide()
    wb.close()


def _instructions(wb, form: Form, st: _Styles) -> None:
    ws = wb.add_worksheet(form.instructions_sheet)
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 110, st.wrap)
    ws.merge_range(0, 0, 0, 1, form.title, st.title)
    ws.set_row(0, TITLE_PT)
    if form.subtitle:
        ws.merge_range(1, 0, 1, 1, form.subtitle, st.subtitle)
    ws.write_string(3, 1, "HƯỚNG DẪN ĐIỀN BIỂU", st.label)
    row = 4
    for i, text in enumerate(form.instructions, start=1):
        ws.write_number(row, 0, i, st.step)
        ws.write_string(row, 1, text, st.wrap)
        height = row_height([(text, 110)])
        if height:
            ws.set_row(row, height)
        row += 1
    row += 1
    ws.write_string(row, 1, "Ô màu vàng là ô nhập liệu; ô màu xanh là ô tự tính bằng công thức; "
                            "ô chuyển màu đỏ là số liệu cần kiểm tra lại.", st.wrap)
    ws.write_string(row + 1, 1, f"Mẫu biểu «{form.short_title}», phiên bản {form.version}.", st.wrap)
    print_setup(ws, landscape=False)
    ws.protect("")


def _lists(ws, form: Form, year: int, st: _Styles, period: Period | None = None) -> dict[str, str]:
    """Write every dropdown list into the hidden lists sheet; return field -> absolute range. The period
    list holds the periodic reports of the years around ``year``, and the form's own period when it is
    not among them (a thematic or ad-hoc report's)."""
    refs = {}
    settings = form.settings
    offered = [p.label for p in choices(year, settings["period_years_back"], settings["period_years_forward"])]
    if period is not None and period.label not in offered:
        offered.append(period.label)
    columns = [("period", offered)]
    for sheet in form.table_sheets():
        for f in sheet.extra_header + sheet.fields:
            if f.enum:
                columns.append((f"{sheet.name}.{f.name}", f.enum))
            elif f.type == "deadline":  # the usual terms of a few years around the form's year
                columns.append((f"{sheet.name}.{f.name}", deadline_choices(range(year - 1, year + 3))))
    for c, (key, values) in enumerate(columns):
        ws.write_string(0, c, key)
        for r, v in enumerate(values, start=1):
            ws.write_string(r, c, v)
        letter = col_letter(c + 1)
        refs[key] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return refs


def print_setup(ws, landscape: bool, pages_wide: int = 1) -> None:
    """A4, the orientation, fitted to as many pages wide as asked (any number tall), margins, page numbers
    (a sheet whose page breaks matter prints at a scale instead: dvcq.forms.printing.setup)."""
    printing.setup(ws, landscape, center=False)
    ws.fit_to_pages(pages_wide, 0)


def sheet_widths(sheet: Sheet) -> list[float]:
    """The widths of a sheet's columns, as written."""
    if sheet.kind == "table":
        return [f.width for f in sheet.fields]
    if sheet.kind == "summary":
        return list(SUMMARY_WIDTHS)
    return [c["width"] for c in sheet.columns]


def page_groups(sheet: Sheet) -> list[list[int]]:
    """The columns each printed page of a sheet holds, left to right (0-based): one page, or for a table
    declaring ``page_starts`` a page from each named field on, after the ``repeat_columns`` first ones."""
    n = len(sheet_widths(sheet))
    starts = [sheet.col(name) - 1 for name in sheet.page_starts]
    bounds = [0] + starts + [n]
    fixed = list(range(sheet.repeat_columns))
    return [(fixed if i else []) + list(range(a, b)) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


TITLE_PT = 21.0  # a row of 14-point title type
DEFAULT_WIDTH = 8.43  # a column XlsxWriter leaves at Excel's default width


def header_end(sheet: Sheet) -> int:
    """The last column of the header block's value cells (from C): E, or the sheet's last column when it has
    three or four (a wide last column: columns past it would print on a page of their own)."""
    n = len(sheet_widths(sheet))
    return 4 if n < 3 else min(4, n - 1)


def sheet_scale(sheet: Sheet) -> int:
    """The print scale at which every page's columns (the header block's too) fit its width."""
    widths = sheet_widths(sheet)
    widths += [DEFAULT_WIDTH] * (header_end(sheet) + 1 - len(widths))
    groups = page_groups(sheet)
    groups[0] = sorted(set(groups[0]) | set(range(header_end(sheet) + 1)))  # the header block prints on page 1
    return min(printing.scale_to_fit([widths[c] for c in g], sheet.landscape) for g in groups)


def _page(ws, sheet: Sheet) -> None:
    """A4 in the sheet's orientation at the scale that fits each page's columns to its width; a wide table
    split where its spec says, its first columns repeated."""
    groups = page_groups(sheet)
    printing.setup(ws, sheet.landscape, sheet_scale(sheet), center=len(groups) == 1)
    if len(groups) > 1:
        ws.set_v_pagebreaks([sheet.col(name) - 1 for name in sheet.page_starts])
        if sheet.repeat_columns:
            ws.repeat_columns(0, sheet.repeat_columns - 1)
        ws.print_across()  # a row's parts on facing pages, as in a book
    if sheet.kind != "summary":  # a summary holds two tables: the measures' titles would print over the crosstab
        ws.repeat_rows(sheet.header_row - 1, sheet.header_row)
    ws.freeze_panes(sheet.first_row - 1, 0)


def title_span(sheet: Sheet) -> int:
    """Columns the title is centred over: all of them, or for a sheet printed several pages wide
    those of its first page (a title across the page break would be cut)."""
    return min(max(len(page_groups(sheet)[0]), 5), len(sheet_widths(sheet)))


def _box(ws, r: int, last: int, fmt) -> None:
    """A header value's cell: C, merged to column ``last`` when the sheet has columns there."""
    if last > 2:
        ws.merge_range(r, 2, r, last, "", fmt)
    else:
        ws.write_blank(r, 2, None, fmt)


def _header(ws, form: Form, sheet: Sheet, content: Content, st: _Styles, list_refs) -> None:
    width = title_span(sheet)
    box_end = header_end(sheet)
    for r in range(sheet.header_row - 1):
        ws.set_row(r, None, st.plain)
    ws.merge_range(0, 0, 0, width - 1, form.title if sheet is form.main else sheet.name.upper(), st.title)
    ws.set_row(0, TITLE_PT, st.plain)
    if form.subtitle and sheet is form.main:
        ws.merge_range(1, 0, 1, width - 1, form.subtitle, st.subtitle)
    main = sheet is form.main
    for i, f in enumerate(form.header):
        r = form.header_first_row - 1 + i
        ws.merge_range(r, 0, r, 1, f.title, st.label)
        if not main:
            ref = f"='{form.main.name}'!{form.header_cell(f.name)}"
            fmt = st.header_ref
            _box(ws, r, box_end, fmt)
            ws.write_formula(r, 2, f'=IF({ref[1:]}="","",{ref[1:]})', st.header_ref_date if f.type == "date" else fmt, "")
            continue
        value = content.header.get(f.name)
        if f.name in ("unit_code", "unit_name", "period") and value:
            _box(ws, r, box_end, st.header_stamped)
            ws.write_string(r, 2, value.label if isinstance(value, Period) else str(value), st.header_stamped)
            continue
        fmt = st.header_input_date if f.type == "date" else (st.header_input_code if f.is_code else st.header_input)
        _box(ws, r, box_end, fmt)
        if isinstance(value, (date, datetime)):
            ws.write_datetime(r, 2, datetime(value.year, value.month, value.day), fmt)
        elif value:
            ws.write_string(r, 2, str(value), fmt)
        _validation(ws, r, 2, r, 2, f, list_refs.get("period") if f.type == "period" else None)
    for i, f in enumerate(sheet.extra_header):
        r = form.header_first_row - 1 + len(form.header) + i
        ws.merge_range(r, 0, r, 1, f.title, st.label)
        value = content.extra.get(sheet.name, {}).get(f.name)
        if f.type in ("integer", "number", "year"):
            _box(ws, r, box_end, st.header_input)
            if value is not None:
                ws.write_number(r, 2, value, st.header_input)
        else:  # a text runs across the table's width (a plan's title), a date as in the header block
            last = 4 if f.type == "date" or sheet.kind != "table" else max(4, len(sheet.fields) - 1)
            fmt = st.header_input_date if f.type == "date" else st.header_input_text
            ws.merge_range(r, 2, r, last, "", fmt)
            if isinstance(value, (date, datetime)):
                ws.write_datetime(r, 2, datetime(value.year, value.month, value.day), fmt)
            elif value not in (None, ""):
                ws.write_string(r, 2, str(value), fmt)
                width = sum(x.width for x in sheet.fields[2:last + 1]) if sheet.kind == "table" else 36
                height = row_height([(str(value), width)])
                if height:
                    ws.set_row(r, height, st.plain)
        _validation(ws, r, 2, r, 2, f, list_refs.get(f"{sheet.name}.{f.name}"))


def _validation(ws, r1, c1, r2, c2, f, list_ref) -> None:
    """Dropdown, type and range checks with an input message and an error alert."""
    dv = None
    c = f.constraints
    if f.type == "deadline":  # a term from the list, or a date typed in: the alert only informs
        dv = {"validate": "list", "source": list_ref, "error_type": "information",
              "input_message": "Chọn thời hạn trong danh sách (Thường xuyên, Hằng năm, Năm 2025...) hoặc nhập "
                               "ngày dạng ngày/tháng/năm.",
              "error_message": f"{f.title}: không có trong danh sách. Nếu là ngày (ngày/tháng/năm) hoặc thời hạn "
                               "khác (Quý II/2026...), bấm OK để giữ."}
    elif list_ref or f.enum:
        dv = {"validate": "list", "source": list_ref,
              "input_message": "Chọn trong danh sách.",
              "error_message": f"{f.title}: chỉ được chọn giá trị trong danh sách."}
    elif f.type in ("integer", "year", "number"):
        lo, hi = c.get("minimum", 0), c.get("maximum", 10_000_000)
        show = lambda x: field_value(x, f.type)  # noqa: E731
        what = {"integer": "số nguyên", "year": "năm", "number": "số"}[f.type]
        dv = {"validate": "decimal" if f.type == "number" else "integer", "criteria": "between",
              "minimum": lo, "maximum": hi,
              "input_message": f"Nhập {what} từ {show(lo)} đến {show(hi)}.",
              "error_message": f"{f.title}: phải là {what} từ {show(lo)} đến {show(hi)}."}
    elif f.type == "date":
        dv = {"validate": "date", "criteria": "between", "minimum": date(2000, 1, 1), "maximum": date(2100, 12, 31),
              "input_message": "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/03/2024.",
              "error_message": f"{f.title}: phải là ngày hợp lệ (ngày/tháng/năm)."}
    elif f.max_length:
        dv = {"validate": "length", "criteria": "<=", "value": f.max_length,
              "input_message": f"Tối đa {f.max_length} ký tự.",
              "error_message": f"{f.title}: dài quá {f.max_length} ký tự."}
    if dv is None:
        return
    dv["input_title"] = f.title[:32]
    dv["error_title"] = "Giá trị không hợp lệ"
    dv["input_message"] = dv["input_message"][:255]
    dv["error_message"] = dv["error_message"][:255]
    ws.data_validation(r1, c1, r2, c2, dv)


def titles_height(titles, widths) -> float:
    """The height of a row of bold column titles: the tallest title's lines, at least two lines."""
    return row_height([(t, w, 11, True) for t, w in zip(titles, widths)]) or 33.0


def _column_titles(ws, sheet: Sheet, titles: list[str], st: _Styles, numbers: list[str] | None = None) -> None:
    """Column titles, their row as tall as the longest needs, and, under them, each column's number: its
    position, or the number the form prints (two columns of Mẫu 03's (6) both show "(6)")."""
    r = sheet.header_row - 1
    widths = sheet_widths(sheet)
    ws.set_row(r, titles_height(titles, widths))
    for c, title in enumerate(titles):
        ws.write_string(r, c, title, st.th)
        ws.write_string(r + 1, c, f"({(numbers[c] if numbers and numbers[c] else c + 1)})", st.num)


def _indicators(ws, form: Form, sheet: Sheet, content: Content, st: _Styles) -> None:
    for c, col in enumerate(sheet.columns):
        ws.set_column(c, c, col["width"])
    _column_titles(ws, sheet, [c["title"] for c in sheet.columns], st)
    vcol = sheet.column_of("value") - 1
    tcol = sheet.column_of("target") - 1 if sheet.has_targets else None
    ccol = sheet.column_of("check") - 1
    ncol = sheet.column_of("note") - 1
    for title, row in sheet.groups:
        ws.merge_range(row - 1, 0, row - 1, len(sheet.columns) - 1, title, st.group)
    by_target: dict[str, list] = {}
    for rule in sheet.checks:  # the rules and the totals' breakdowns, each at the cell it points at
        by_target.setdefault(rule.target, []).append(rule)
    ref = sheet.indicator_cell
    label_width = sheet.columns[sheet.column_of("label") - 1]["width"]
    heights: dict[int, float] = {}
    for n, ind in enumerate(sheet.indicators, start=1):
        r = ind.row - 1
        ws.write_number(r, 0, n, st.cell_center)
        ws.write_string(r, 1, ind.code, st.cell_center)
        ws.write_string(r, 2, ind.title, st.cell)
        height = row_height([(ind.title, label_width)])
        if height:
            ws.set_row(r, height)
            heights[r] = height
        ws.write_string(r, 3, ind.unit, st.cell_center)
        if ind.kind == "ratio":
            num = ",".join(ref(c) for c in ind.numerator)
            den = ",".join(ref(c) for c in ind.denominator)
            ws.write_formula(r, vcol, f'=IF(SUM({den})=0,"",SUM({num})/SUM({den}))', st.ratio, "")
        else:
            fmt = st.value_input_num if ind.type == "number" else st.value_input
            value = content.indicators.get(ind.code)
            if value is None or value == "":
                ws.write_blank(r, vcol, None, fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(r, vcol, value, fmt)
            else:
                ws.write_string(r, vcol, str(value), fmt)
            _validation(ws, r, vcol, r, vcol, ind, None)
        if tcol is not None:
            _target_cell(ws, r, tcol, ind, content.targets.get(ind.code), st)
        rules = by_target.get(ind.code, [])
        if rules:
            names = sorted({n for rule in rules for n in rule.expr.names})
            cond = ",".join(rule.expr.excel(ref) for rule in rules)
            count = ",".join(ref(x) for x in names)
            ws.write_formula(r, ccol, f'=IF(COUNT({count})<{len(names)},"",IF(AND({cond}),"Đúng","Sai"))', st.check, "")
        else:
            ws.write_blank(r, ccol, None, st.check)
        ws.write_blank(r, ncol, None, st.value_input)
    first, last = sheet.indicators[0].row, sheet.indicators[-1].row
    check_range = f"{col_letter(ccol + 1)}{first}:{col_letter(ccol + 1)}{last}"
    ws.conditional_format(check_range, {"type": "cell", "criteria": "==", "value": '"Sai"', "format": st.bad})
    value_range = f"{col_letter(vcol + 1)}{first}:{col_letter(vcol + 1)}{last}"
    ws.conditional_format(value_range, {"type": "formula", "format": st.bad,
                                         "criteria": f'=${col_letter(ccol + 1)}{first}="Sai"'})
    keep = {row - 1: 2 for _, row in sheet.groups}  # a group's heading prints with its first indicators
    end = last - 1
    if sheet.signature:
        end = _signature(ws, form, sheet, st, last + 1, heights)
        keep[last + 1] = end - (last + 1)  # the block is never split
    titles = titles_height([c["title"] for c in sheet.columns], sheet_widths(sheet))
    above = 20 + (sheet.header_row - 2) * printing.DEFAULT_ROW_PT + titles + printing.DEFAULT_ROW_PT
    page = printing.Page(sheet.landscape, sheet_scale(sheet))
    ws.set_h_pagebreaks(printing.row_breaks(heights, sheet.first_row - 1, end, page, titles + printing.DEFAULT_ROW_PT,
                                            above, keep))


SIGNERS = (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"))


def _signature(ws, form: Form, sheet: Sheet, st: _Styles, r: int, heights: dict[int, float]) -> int:
    """The signature block under a table, as the standard tables carry one: the place and date line, then
    the preparer (left, named from the header's «Người lập biểu») and the head of the unit (right); its
    last row."""
    n = len(sheet.columns)
    left, right = (0, 2), (n // 2, n - 1)
    ws.merge_range(r, right[0], r, right[1], "……………, ngày …… tháng …… năm ………", st.sign_date)
    for (title, how), (a, b) in zip(SIGNERS, (left, right)):
        ws.merge_range(r + 1, a, r + 1, b, title, st.sign_title)
        ws.merge_range(r + 2, a, r + 2, b, how, st.sign_date)
    preparer = form.header_cell("preparer")
    ws.merge_range(r + 6, left[0], r + 6, left[1], "", st.sign_title)
    ws.write_formula(r + 6, left[0], f'=IF({preparer}="","",{preparer})', st.sign_title, "")
    for row in range(r + 3, r + 6):
        heights[row] = 20.0
        ws.set_row(row, 20.0)
    return r + 6


def _target_cell(ws, r: int, c: int, ind, value, st: _Styles) -> None:
    """The "Chỉ tiêu" cell of an indicator row: an input for an indicator that can carry a target (a rate in
    percent, a count a whole number), gray for the others."""
    if not ind.target:
        ws.write_blank(r, c, None, st.no_target)
        return
    lo, hi, whole = bounds(ind)
    fmt = st.target_pct if ind.kind == "ratio" else (st.value_input if whole else st.value_input_num)
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)
    if ind.kind == "ratio":
        what, shown = "tỷ lệ phần trăm", ("0%", "100%")
    else:
        what, shown = "số nguyên" if whole else "số", (field_value(lo, "number"), field_value(hi, "number"))
    ws.data_validation(r, c, r, c, {
        "validate": "integer" if whole else "decimal", "criteria": "between", "minimum": lo, "maximum": hi,
        "input_title": "Chỉ tiêu kế hoạch", "error_title": "Giá trị không hợp lệ",
        "input_message": f"Chỉ tiêu của {ind.code} nếu có ({what} từ {shown[0]} đến {shown[1]}); để trống nếu "
                         "không có. Chỉ tiêu trong kế hoạch cùng kỳ được dùng thay."[:255],
        "error_message": f"Chỉ tiêu của {ind.code}: phải là {what} từ {shown[0]} đến {shown[1]}."[:255]})


def _texts(ws, form: Form, sheet: Sheet, content: Content, st: _Styles) -> None:
    for c, col in enumerate(sheet.columns):
        ws.set_column(c, c, col["width"])
    _column_titles(ws, sheet, [c["title"] for c in sheet.columns], st)
    tcol = sheet.column_of("text") - 1
    required = _texts_required(content)
    for i, t in enumerate(sheet.texts):
        r = sheet.first_row - 1 + i
        ws.set_row(r, 120)
        ws.write_string(r, 0, t.name, st.cell_center)
        ws.write_string(r, 1, t.title + (" (bắt buộc)" if t.required and required else ""), st.cell)
        text = content.texts.get(t.name)
        if text:
            ws.write_string(r, tcol, text, st.text_input)
        else:
            ws.write_blank(r, tcol, None, st.text_input)


def _texts_required(content: Content) -> bool:
    """Whether a prefilled form's period needs the assessment texts in its unit's province (dvcq.calendar.deadlines:
    quarters II-IV need the tables only where the calendar says so); a blank form says they do."""
    period, code = content.header.get("period"), content.header.get("unit_code")
    if period is None or not code:
        return True
    reg = for_period(period, content.era or None)
    return calendar_of(reg.get(code), reg).texts_required(period)


BOOK_ROW_PT = 30  # a ruled row of a blank book: room for a name and an address written by hand


def _table(ws, form: Form, sheet: Sheet, content: Content, st: _Styles, list_refs) -> None:
    col_fmt = {"date": st.col_date, "deadline": st.col_date, "integer": st.col_int, "year": st.col_int,
               "number": st.col_num}
    fmts = [st.col_code if f.is_code else col_fmt.get(f.type, st.col_text) for f in sheet.fields]
    for c, f in enumerate(sheet.fields):
        ws.set_column(c, c, f.width, fmts[c])
    _column_titles(ws, sheet, [f.title for f in sheet.fields], st, [f.number for f in sheet.fields])
    r1, r2 = sheet.first_row - 1, sheet.first_row - 2 + sheet.max_rows
    for c, f in enumerate(sheet.fields):
        _validation(ws, r1, c, r2, c, f, list_refs.get(f"{sheet.name}.{f.name}"))
    for i, row in enumerate(content.rows.get(sheet.name, [])):
        r = r1 + i
        for c, f in enumerate(sheet.fields):
            v = row.get(f.name)
            fmt = fmts[c]
            if v is None or v == "":
                continue
            if f.is_code:
                ws.write_string(r, c, str(v), fmt)
            elif isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt)
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), fmt)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v, fmt)
            else:
                ws.write_string(r, c, str(v), fmt)
        height = row_height([(row.get(f.name), f.width) for f in sheet.fields])
        if height:
            ws.set_row(r, height)
    if sheet.book_rows and not content.rows.get(sheet.name):  # a blank book: ruled rows to write in by hand
        for r in range(r1, r1 + sheet.book_rows):
            ws.set_row(r, BOOK_ROW_PT)
            for c in range(len(sheet.fields)):
                ws.write_blank(r, c, None, fmts[c])
        ws.print_area(0, 0, r1 + sheet.book_rows - 1, len(sheet.fields) - 1)
    _row_rules(ws, form, sheet, st)
    last = col_letter(len(sheet.fields))
    ws.autofilter(f"A{sheet.header_row}:{last}{sheet.header_row}")


def _row_rules(ws, form: Form, sheet: Sheet, st: _Styles) -> None:
    """Conditional formats that turn a cell red when a row rule fails (no Python needed)."""
    r = sheet.first_row
    rng = lambda name: f"{col_letter(sheet.col(name))}{r}:{col_letter(sheet.col(name))}{r + sheet.max_rows - 1}"
    cell = lambda name: f"${col_letter(sheet.col(name))}{r}"

    def cond(when: dict) -> list[str]:
        out = []
        for k, v in when.items():
            if isinstance(v, dict):
                out.append(f'AND({cell(k)}<>"",{cell(k)}>={form.setting(v["minimum"])})')
                continue
            vals = v if isinstance(v, list) else [v]
            out.append("OR(" + ",".join(f'{cell(k)}="{x}"' for x in vals) + ")")
        return out

    for rule in sheet.rules:
        if rule.expr is not None:
            if any(n not in [f.name for f in sheet.fields] for n in rule.expr.names):
                continue
            blanks = [f'{cell(n)}<>""' for n in rule.expr.names]
            formula = f"=AND({','.join(blanks)},NOT({rule.expr.excel(cell)}))"
        elif rule.one_of:
            marked = "+".join(f'({cell(n)}<>"")' for n in rule.one_of)
            formula = f'=AND({cell(row_key(sheet))}<>"",{marked}<>1)'
        elif rule.require:  # a rule for every row (no ``when``) applies to the rows in use
            when = cond(rule.when) or [f'{cell(row_key(sheet))}<>""']
            formula = f"=AND({','.join(when)},{cell(rule.require[0])}=\"\")"
        else:
            k, v = next(iter(rule.expect.items()))
            formula = f'=AND({",".join(cond(rule.when))},{cell(k)}<>"",{cell(k)}<>"{v}")'
        ws.conditional_format(rng(rule.target), {"type": "formula", "criteria": formula, "format": st.bad})


def measure_formula(form: Form, code: str) -> str:
    """An Excel formula computing a measure from the table rows (COUNTIFS/SUMIFS)."""
    m = form.measure(code)
    if m.kind == "ratio":
        return None
    sheet = form.measure_sheet(m)
    key = row_key(sheet)

    def rng(name):
        c = col_letter(sheet.col(name))
        return f"'{sheet.name}'!${c}${sheet.first_row}:${c}${sheet.first_row + sheet.max_rows - 1}"

    if case_measure(m):
        return None  # cases are counted by dvcq (measures.case_measure): no formula counts distinct cases
    args = [rng(key), '"<>"']
    for k, v in m.where.items():
        if isinstance(v, dict):
            args += [rng(k), f'">={form.setting(v["minimum"])}"']
        elif isinstance(v, list):
            continue
        else:
            args += [rng(k), f'"{v}"']
    lists = [(k, v) for k, v in m.where.items() if isinstance(v, list)]
    if lists:
        k, vals = lists[0]
        parts = []
        for val in vals:
            a = args + [rng(k), f'"{val}"']
            parts.append(f"COUNTIFS({','.join(a)})" if m.count else f"SUMIFS({rng(m.sum)},{','.join(a)})")
        return "=" + "+".join(parts)
    if m.count:
        return f"=COUNTIFS({','.join(args)})"
    return f"=SUMIFS({rng(m.sum)},{','.join(args)})"


CASE_NOTE = "Tính khi kiểm tra"  # a summary cell of a measure counted by case (no Excel formula)


SUMMARY_WIDTHS = (6, 20, 50, 12, 17)


def _summary(ws, form: Form, sheet: Sheet, st: _Styles) -> None:
    widths = SUMMARY_WIDTHS
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    _column_titles(ws, sheet, ["STT", "Chỉ tiêu", "", "Đơn vị tính", "Số liệu"], st)
    h = sheet.header_row - 1  # the title spans B:C (C is wide for the crosstab below); numbered (1)..(4)
    ws.merge_range(h, 1, h, 2, "Chỉ tiêu", st.th)
    ws.merge_range(h + 1, 1, h + 1, 2, "(2)", st.num)
    for c in (3, 4):
        ws.write_string(h + 1, c, f"({c})", st.num)
    rows = {}
    r = sheet.first_row - 1
    for n, m in enumerate(form.measures, start=1):
        rows[m.code] = r + 1
        ws.write_number(r, 0, n, st.cell_center)
        ws.merge_range(r, 1, r, 2, m.title, st.cell)  # the measure's code is internal: never shown
        ws.write_string(r, 3, m.unit, st.cell_center)
        if not has_formula(form, m):
            ws.write_string(r, 4, CASE_NOTE, st.cell_center)
        elif m.kind == "ratio":
            num = "+".join(f"E{rows[c]}" for c in m.numerator)
            den = "+".join(f"E{rows[c]}" for c in m.denominator)
            ws.write_formula(r, 4, f'=IF(({den})=0,"",({num})/({den}))', st.ratio, "")
        else:
            ws.write_formula(r, 4, measure_formula(form, m.code), st.measure)
        r += 1
    for tab in form.crosstabs:
        r += 1
        log = form.table_sheets()[0]
        rows_f, cols_f = log.field(tab["rows"]), log.field(tab["columns"])
        ws.merge_range(r, 0, r, 4, tab["title"], st.group)
        r += 1
        # one row per (row value, column value) keeps the sheet narrow and printable
        ws.write_string(r, 1, rows_f.title, st.th)
        ws.write_string(r, 2, cols_f.title, st.th)
        ws.write_string(r, 3, "", st.th)
        ws.write_string(r, 4, "Số lượt", st.th)
        r += 1
        key = row_key(log)

        def rng(name):
            c = col_letter(log.col(name))
            return f"'{log.name}'!${c}${log.first_row}:${c}${log.first_row + log.max_rows - 1}"

        for rv in rows_f.enum:
            for cv in cols_f.enum:
                ws.write_string(r, 1, rv, st.cell)
                ws.write_string(r, 2, cv, st.cell)
                ws.write_blank(r, 3, None, st.cell)
                ws.write_formula(r, 4, f'=COUNTIFS({rng(key)},"<>",{rng(tab["rows"])},"{rv}",'
                                       f'{rng(tab["columns"])},"{cv}")', st.measure)
                r += 1


@dataclass(frozen=True)
class BlankForm:
    """A blank form `dvcq build` writes: the form, its file, what it is stamped with, the build year."""
    form: Form
    path: Path
    content: Content | None
    year: int

    def write(self, path: Path | None = None) -> Path:
        """Write it (to ``path`` instead of its own file when given)."""
        return build_form(self.form, path or self.path, self.content, build_year=self.year)


def blank_forms(out_dir: Path, year: int | None = None, unit_code: str | None = None) -> list[BlankForm]:
    """The blank forms of `dvcq build`, offering the periods around ``year`` (default: this year); with
    ``unit_code`` (a code or a name: "38-SNV", a body of templates/co-quan.yaml too) stamped with that
    unit's code and name, the period left to choose, named '<code>-<name>-<form>.xlsx'."""
    year = year or date.today().year
    if unit_code is None:
        return [BlankForm(form, Path(out_dir) / f"{form.id}.xlsx", None, year) for form in load_forms().values()]
    unit = for_period(parse(f"{year}-Y")).lookup(unit_code).unit  # the registry of the year's era
    content = Content(header={"unit_code": unit.code, "unit_name": unit.name}, unit_level=unit.level)
    slug = "-".join(fold(unit.name).split())
    return [BlankForm(form, Path(out_dir) / f"{unit.code}-{slug}-{form.id}.xlsx", content, year)
            for form in load_forms().values()]


def build_all(out_dir: Path, year: int | None = None, unit_code: str | None = None) -> list[Path]:
    """The three blank forms of `blank_forms`, written (over whatever is there: `dvcq build` keeps what an
    officer changed, dvcq.kit)."""
    return [blank.write() for blank in blank_forms(out_dir, year, unit_code)]


def file_name(form_id: str, unit_code: str, unit_name: str, period: Period) -> str:
    """Names that sort by unit code: '16228-thi-tran-ben-sung-bao-cao-dinh-ky-2024-H1.xlsx'."""
    slug = "-".join(fold(unit_name).split())
    return f"{unit_code}-{slug}-{form_id}-{period.slug}.xlsx"


def prefilled_forms(parent_code: str | None, period_text: str, out_dir: Path, form_ids=None,
                    unit_code: str | None = None) -> list[Path]:
    """`dvcq forms`: one prefilled copy per unit reporting to a parent (its territorial children, its
    declared bodies of the period, and the parent's own copy), or of one unit (``unit_code``: a code or
    a name, e.g. a body's "38-SNV"); the paths sorted by name. For a period that straddles the 2025
    reform, a district's or commune's copy holds its part (its era in the metadata): a district's communes
    the part before 1/7/2025; a province's communes of 2025 the rest, and its districts of the three-tier
    registry the part before (dvcq.units.registry.reporters)."""
    period = parse(period_text)
    if unit_code:
        units = [period_lookup(unit_code, period).unit]
    else:
        *before, main = reporters(period, parent_code)
        parent, reg = main.parent, for_period(period, main.era)
        children = reg.children(parent.code)
        if not children:
            raise UserError(f"Đơn vị {parent.code} {parent.name} không có đơn vị trực thuộc trong danh mục "
                            f"của kỳ {period.label}.")
        units = [u for g in before for u in g.units] + children + reg.bodies(parent.code, period) + [parent]
    out_dir = writable_dir(out_dir)
    paths = []
    for unit in units:
        content = Content(header={"unit_code": unit.code, "unit_name": unit.name, "period": period},
                          unit_level=unit.level, era=unit.era if period.straddles else "")
        for fid in form_ids or load_forms().keys():
            form = load_form(fid)
            paths.append(build_form(form, out_dir / file_name(fid, unit.code, unit.name, period), content))
    return sorted(paths, key=lambda p: p.name)


__all__ = ["PAGE_FOOTER", "Content", "BlankForm", "blank_forms", "build_form", "build_all", "prefilled_forms",
           "file_name", "measure_formula", "row_height", "cell_ref"]
