"""The roll-up workbook ("biểu tổng hợp"), written from a consolidation (dvcq.intake.readback reads it back).

Visible sheets are for officials; the hidden sheets carry the metadata and the additive totals,
overdue case references and texts, so a roll-up is itself a valid input to the next level.
Every value copied from a submission is written as a value (strings with write_string).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from dvcq import fmt
from dvcq.calendar.timelimits import load_rules
from dvcq.forms import printing
from dvcq.forms.build import META_KEYS
from dvcq.forms.textfit import height_for, lines_in, row_height, text_points, text_room
from dvcq.forms.labels import CASE_STATUS, FORM_ABBREVIATION, STATUS, UNITS_OF_UNITS, form_label, reform_note
from dvcq.forms.spec import PLAN, ROLLUP_FORM_ID, col_letter, load_form
from dvcq.forms.spec import REPORT as REPORT_FORM
from dvcq.intake.readback import DATA_COLUMNS, DATA_SHEET, ROLLUP_VERSION, rollup_rows
from dvcq.model import RECEPTION_ORDER, TargetTally, UnitGroup
from dvcq.outputs import write_atomic, write_beside
from dvcq.units.groups import group_noun
from dvcq.units.groups import heads as level_heads
from dvcq.units.registry import LEVEL_LABEL

from . import progress
from .compare import Sets, check, reason
from .coverage import phrase as covers_form, runs_to, submissions, unit_set
from .layout import RollupSheet, load_layout
from .targets import by_group, compare, comparisons
from .targets import note as target_note

TITLE_ROW, CODE_ROW, FIRST_UNIT_ROW = 4, 5, 6  # 1-based rows of the unit × value tables
HASH_COL = 6  # ledger column of the files' SHA-256: hidden (64 characters mean nothing to a reader)
SMALL_FONT = 7
STD_HEAD_ROW = 4  # 0-based row of a standard table's first header row (title, subtitle above)
STD_HEAD_FONT, STD_NOTE_WIDTH = 9, 14  # a standard table's header font size, its "Ghi chú" column width
WIDE = 12  # a unit table with more value columns prints two pages wide, the unit columns repeated
ONE_PAGE = 25  # units a unit table prints on its first page: beyond, its column titles repeat on every page


def _fmt(wb):
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
    f = lambda **kw: wb.add_format({**base, **kw})
    return {
        "title": f(bold=True, font_size=14), "sub": f(italic=True),
        "th": f(bold=True, border=1, align="center", text_wrap=True, bg_color="#DDEBF7"),
        "th_wide": f(bold=True, border=1, align="center", text_wrap=True, bg_color="#DDEBF7", font_size=9),
        "code": f(italic=True, border=1, align="center", font_size=9, bg_color="#DDEBF7"),
        "text": f(border=1, text_wrap=True), "center": f(border=1, align="center"),
        "int": f(border=1, num_format="#,##0"), "num": f(border=1, num_format="#,##0.0"),
        "pct": f(border=1, num_format="0.0%"),
        "total_text": f(border=1, bold=True, bg_color="#F2F2F2", text_wrap=True),
        "total_int": f(border=1, bold=True, num_format="#,##0", bg_color="#F2F2F2"),
        "total_num": f(border=1, bold=True, num_format="#,##0.0", bg_color="#F2F2F2"),
        "total_pct": f(border=1, bold=True, num_format="0.0%", bg_color="#F2F2F2"),
        "total_range": f(border=1, bold=True, align="right", bg_color="#F2F2F2", text_wrap=True, font_size=9),
        "late": f(border=1, align="center", font_color="#9C0006", bg_color="#FFC7CE"),
        "ok": f(border=1, align="center", font_color="#006100", bg_color="#C6EFCE"),
        "date": f(border=1, num_format="dd/mm/yyyy hh:mm", align="center"),
        "day": f(border=1, num_format="dd/mm/yyyy", align="center"),
        "hash": f(border=1, text_wrap=True, font_size=SMALL_FONT),
        # the standard tables (Biểu 01/TCD...)
        "std_title": f(bold=True, font_size=13, align="center", text_wrap=True),
        "std_sub": f(italic=True, align="center"),
        "std_form": f(bold=True, align="right"), "std_unit": f(bold=True),
        "std_basis": f(italic=True, align="right", font_size=9),
        "std_th": f(bold=True, border=1, align="center", text_wrap=True, font_size=STD_HEAD_FONT, bg_color="#DDEBF7"),
        "std_ms": f(bold=True, border=1, align="center", text_wrap=True, font_size=8, bg_color="#DDEBF7"),
        "std_blank": f(border=1, bg_color="#EDEDED"),
        "std_note": f(border=1, text_wrap=True, font_size=9),
        "std_total_blank": f(border=1, bold=True, bg_color="#DCDCDC"),
        "std_total_note": f(border=1, bold=True, text_wrap=True, font_size=9, bg_color="#F2F2F2"),
        "note_head": f(bold=True, italic=True), "note": f(italic=True, font_size=10, text_wrap=True, valign="top"),
        "sub_wrap": f(italic=True, text_wrap=True, valign="top"),
        "points": f(border=1, num_format='+0.0" điểm %";-0.0" điểm %";0" điểm %"'),
        "signed_int": f(border=1, num_format="+#,##0;-#,##0;0"), "signed_num": f(border=1, num_format="+#,##0.0;-#,##0.0;0"),
        "group": f(bold=True, border=1, bg_color="#F2F2F2"),
    }


def _put(ws, r, c, v, fmt):
    """Write a value as a value: strings never become formulas (``ws`` a dvcq.rollup.xmlrows.RowSheet)."""
    if v is None or v == "":
        ws.put_blank(r, c, None, fmt)
    elif isinstance(v, bool):
        ws.put_string(r, c, "Có" if v else "Không", fmt)
    elif isinstance(v, (int, float)):
        ws.put_number(r, c, v, fmt)
    else:
        ws.put_string(r, c, str(v), fmt)


def _fit(ws, r, cells, heights: dict | None = None):
    """Make row r tall enough for its wrapped texts: (value, column width[, font size[, bold[, italic]]]);
    the height is kept in ``heights`` when given (for page breaks)."""
    height = row_height(cells)
    if height:
        ws.set_row(r, height)
        if heights is not None:
            heights[r] = height


TITLE_PT = 21.0  # a row of 14-point title type


def _title(ws, fx, r, c, text):
    """A title in 14-point bold, its row tall enough for the type."""
    ws.write_string(r, c, text, fx["title"])
    ws.set_row(r, TITLE_PT)


def _heads(ws, fx, heads, widths, r=TITLE_ROW - 1) -> float:
    """A table's column titles in row ``r``, the columns' widths, the row as tall as the longest title needs;
    its height."""
    for c, (h, w) in enumerate(zip(heads, widths)):
        ws.write_string(r, c, h, fx["th"])
        ws.set_column(c, c, w)
    height = row_height([(h, w, 11, True) for h, w in zip(heads, widths)]) or 30.0
    ws.set_row(r, height)
    return height


def coverage_note(cov, phrase: str | None = None) -> str:
    """The line under a roll-up table that says which units its figures cover (empty when all);
    ``phrase`` says it group by group (dvcq.units.groups.covers_phrase) instead of "n/m đơn vị"."""
    if cov.complete:
        return ""
    parts = [f"Số liệu tổng hợp từ {phrase or cov.fraction + ' đơn vị'}"]
    if cov.missing:
        parts.append("chưa có: " + ", ".join(cov.missing))
    if cov.partial:
        parts.append("tổng hợp chưa đủ đơn vị trực thuộc: " + ", ".join(
            f"{name} ({c}/{e})" if e else name for name, (c, e) in cov.partial_counts.items()))
    return "; ".join(parts) + "."


@dataclass(frozen=True)
class Section:
    """One group's rows in a unit table: its heading, its units with derived values, its subtotal."""
    title: str
    units: list
    subtotal: dict
    cov: object  # dvcq.rollup.coverage.Coverage of the group for the table's form
    group: UnitGroup | None = None
    spreads: dict | None = None  # the group's figures that do not add up: smallest and largest (dvcq.model.Spread)


def sections(res, form_id: str) -> list[Section]:
    """The groups of a unit table of ``form_id`` that expect that form, each with its units and
    subtotal (the issuer's own row only when it sent the form, or for the plan)."""
    covs = res.coverages(form_id)
    if not covs:
        return [Section("", res.units, res.totals, res.coverage(form_id), spreads=res.rollup.totals.spreads)]
    out = []
    for g, c in covs:
        out.append(Section(res.group_title(g), res.group_units(g), res.subtotal(g), c, g, res.group_values(g).spreads))
    return out


RANGE_FONT = 9  # a range in a total cell ("total_range")


def spread_text(r, kind: str) -> str:
    """A figure that does not add up, over units: '50 – 200', '30,0% – 60,0%' (smallest – largest)."""
    show = fmt.percent if kind == "ratio" else fmt.number
    return f"{show(r.lo)} – {show(r.hi)}"


SPREAD_NOTE = ("{codes}: số riêng của từng đơn vị (danh mục thủ tục, số buổi phải tiếp theo cấp), không cộng được; "
               "dòng cộng ghi nhỏ nhất – lớn nhất.")


def groups_for(res, form_ids: tuple[str, ...]) -> list[Section]:
    """The groups of a table drawn from several forms (a standard table): those expecting any of them."""
    wanted = {g for f in form_ids for g, _ in res.coverages(f)}
    present = [g for g in res.groups if g in wanted]
    if not present:
        return [Section("", res.units, res.totals, None)]
    return [Section(res.group_title(g), res.group_units(g), res.subtotal(g), None) for g in present]


UNIT_WIDTHS = (5, 9, 26)  # STT, Mã đơn vị, Đơn vị: the columns a wide table repeats on every page
LONG_NAME = 24  # a unit name this long may need two lines in its column


def _name_height(ws, r, name, width=UNIT_WIDTHS[2]):
    """A unit's row as tall as its name needs (checked only for long names: the national roll-up writes
    thousands of rows)."""
    if len(name) > LONG_NAME:
        _fit(ws, r, [(name, width)])


def _note(ws, fx, r, text, first, last, widths, fmt="sub_wrap", size=11):
    """A line under a table, wrapped within columns ``first``..``last`` and as tall as it needs."""
    if last > first:
        ws.merge_range(r, first, r, last, text, fx[fmt])
    else:
        ws.write_string(r, first, text, fx[fmt])
    lines = lines_in(text, sum(widths[first:last + 1]), size, italic=True)
    ws.set_row(r, height_for(lines, size))


def _unit_table(ws, fx, title, subtitle, columns, res, form_id, level_label, codes_shown=True, more=False,
                note=""):
    """Units × values with a total row; with several groups (dvcq.model.UnitGroup), each group's units
    and its subtotal row, then the grand total. The row under the titles holds each column's code when
    codes are user-facing (the report's indicator codes, printed on its form), else the column's number.
    ``note`` and the coverage line go under it, wrapped in the columns that print on every page.
    ``more``: other tables follow on the sheet, so its column titles repeat on printed pages only when
    the units need more than one page (they would stand above the other tables). Returns the last row and
    the page the sheet prints on."""
    cov, parts = res.coverage(form_id), sections(res, form_id)
    grouped = len(parts) > 1
    _title(ws, fx, 0, 0, title)
    ws.write_string(1, 0, subtitle, fx["sub"])
    heads = ["STT", "Mã đơn vị", "Đơn vị" if grouped else level_label]
    wide = len(columns) > WIDE
    widths = list(UNIT_WIDTHS) + [8 if wide else 13] * len(columns)
    for c, h in enumerate(heads):
        ws.write_string(TITLE_ROW - 1, c, h, fx["th"])
        ws.write_string(CODE_ROW - 1, c, "", fx["code"])
    for c, w in enumerate(widths[:3]):
        ws.set_column(c, c, w)
    titles = []
    for j, col in enumerate(columns, start=3):
        titles.append(f"{col.title} ({col.unit})" if col.unit else col.title)
        ws.write_string(TITLE_ROW - 1, j, titles[-1], fx["th_wide" if wide else "th"])
        ws.write_string(CODE_ROW - 1, j, col.code if codes_shown else f"({j - 2})", fx["code"])
    ws.set_column(3, 2 + len(columns), widths[-1] if columns else 13)
    ws.set_row(TITLE_ROW - 1, row_height([(t, widths[-1], 9 if wide else 11, True) for t in titles]) or 30)
    _parts_line(ws, fx, res, widths, 2 if wide else None)
    r = FIRST_UNIT_ROW - 1

    cells = [(j, col.code, fx[{"ratio": "pct", "score": "num"}.get(col.kind, "int")])
             for j, col in enumerate(columns, start=3)]  # each column's place, code and format, looked up once

    def units_rows(units):
        nonlocal r
        center, text = fx["center"], fx["text"]
        for n, (unit, values) in enumerate(units, start=1):
            _put(ws, r, 0, n, center)
            _put(ws, r, 1, unit.code, center)
            _put(ws, r, 2, unit.name, text)
            _name_height(ws, r, unit.name)
            numbers = []
            for j, code, cell_format in cells:
                v = values.get(code)
                if v is None or type(v) in (int, float):
                    numbers.append((j, v, cell_format))
                else:
                    _put(ws, r, j, v, cell_format)
            ws.put_numbers(r, numbers)
            r += 1

    def total_row(label, totals, spreads):
        ws.write_string(r, 0, "", fx["total_text"])
        ws.write_string(r, 1, "", fx["total_text"])
        ws.write_string(r, 2, label, fx["total_text"])
        fit = [(label, widths[2], 11, True)]
        for j, col in enumerate(columns, start=3):
            v = totals.get(col.code) if totals is not None else None
            spread = (spreads or {}).get(col.code) if totals is not None else None
            if v is None and spread is not None:  # not added across units: smallest – largest, wrapped in its cell
                text = spread_text(spread, col.kind)
                ws.write_string(r, j, text, fx["total_range"])
                fit.append((text, widths[j], RANGE_FONT, True))
                continue
            _put(ws, r, j, v, fx[{"ratio": "total_pct", "score": "total_num"}.get(col.kind, "total_int")])
        _fit(ws, r, fit)

    if not grouped:
        units_rows(parts[0].units)
        total_row("Tổng cộng" if cov.complete else f"Tổng cộng ({cov.fraction} đơn vị)", res.totals,
                  res.rollup.totals.spreads)
        lines = [note, coverage_note(cov)]
    else:
        for part in parts:
            units_rows(part.units)
            label = f"Cộng {part.title[:1].lower()}{part.title[1:]} ({part.cov.fraction})"
            total_row(label, part.subtotal if part.units else None, part.spreads)  # a group with no figures: blank
            r += 1
        phrase = res.covers_phrase(form_id)
        total_row("Tổng cộng" if cov.complete else f"Tổng cộng ({phrase})", res.totals, res.rollup.totals.spreads)
        lines = [note, coverage_note(cov, phrase)]
    spread = [col.code for col in columns if res.rollup.totals.spreads.get(col.code) is not None]
    if spread:  # the ranges in the total rows say why
        lines.append(SPREAD_NOTE.format(codes=", ".join(spread)))
    # under a wide table the lines stay in the columns printed on every page; else across the table
    last_col = 2 if wide else len(widths) - 1
    gap = 2
    for text in (t for t in lines if t):
        r += gap
        _note(ws, fx, r, text, 0, last_col, widths)
        gap = 1
    ws.freeze_panes(FIRST_UNIT_ROW - 1, 3)
    page = _page(ws, widths, title=(title, subtitle) if wide else None, repeat=3 if wide else 0)
    if not more or sum(len(part.units) for part in parts) > ONE_PAGE:
        ws.repeat_rows(TITLE_ROW - 1, CODE_ROW - 1)
    return r, page


def write_rollup(result, now: datetime | None = None) -> Path:
    """Write the roll-up workbook of a consolidation atomically; ``now`` is its saved and created time."""
    now = now or datetime.now()
    return write_atomic(result.out_path, lambda tmp: _write(result, tmp, now))


def stage_rollup(result, now: datetime | None = None) -> Path:
    """Write the roll-up workbook beside its place, not yet in it (dvcq.outputs.write_beside): the consolidation
    records its history, then puts it in place."""
    now = now or datetime.now()
    return write_beside(result.out_path, lambda tmp: _write(result, tmp, now))


# strings as written, never formulas, numbers or links; the parts assembled in memory, not in temporary files
BOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
                "in_memory": True}


def _write(res, path: Path, now: datetime) -> None:
    from .xmlrows import RowBook  # lazy: validation and the report read roll-ups without loading XlsxWriter

    wb = RowBook(str(path), dict(BOOK_OPTIONS))
    wb.set_properties({"title": f"Tổng hợp {res.parent.name} {res.period.label}", "author": "dvcq",
                       "created": now})
    fx = _fmt(wb)
    parent = res.parent
    level = LEVEL_LABEL.get(res.units[0][0].level if res.units else "commune", "đơn vị").capitalize()
    part = res.part  # a district's roll-up of a period straddling the 2025 reform: the part before 1/7/2025
    sub = f"{parent.name} - {part.name} (số liệu từ {part.start:%d/%m/%Y} đến {part.end:%d/%m/%Y})"

    layout = load_layout()
    charted = _charted(layout.sheets)
    for sheet in layout.sheets:
        _SHEETS[sheet.kind](wb, fx, res, sheet, sub, level)
        wb.seal(charted)  # its rows written now, its cells dropped (a national roll-up's 850,000 cells)
    _hidden(wb, res, now)
    wb.close()


def _parts_line(ws, fx, res, widths, last=None) -> None:
    """Under a sheet's subtitle, the two parts of a period that straddles the 2025 reform (dvcq.calendar.parts),
    wrapped within the sheet's columns (to ``last``)."""
    if res.parts:
        _note(ws, fx, 2, res.parts.sentence, 0, len(widths) - 1 if last is None else last, widths)


def _units(wb, fx, res, sheet: RollupSheet, sub, level):
    """A units × values table of the layout, with the roadmap and the tasks by lead body under it when
    declared (the bodies' table from a new page)."""
    ws = wb.add_worksheet(sheet.name)
    last, page = _unit_table(ws, fx, sheet.title, sub, sheet.columns, res, sheet.of, level,
                             codes_shown=sheet.codes, more=sheet.bodies, note=sheet.note)
    end = last
    if sheet.roadmap:
        end = _roadmap(ws, fx, res, last + 2, list(UNIT_WIDTHS) + [13] * len(sheet.columns))
    if sheet.bodies:
        ws.set_h_pagebreaks([end + 2])  # the bodies' table starts a page (the sheet prints at a scale: it holds)
        end = _bodies(ws, fx, res, end + 2)
    _print_area(ws, end, len(sheet.columns), bool(res.parts))
    if sheet.of == REPORT_FORM:
        ws.activate()


def _crosstabs(wb, fx, res, sheet: RollupSheet, sub, level):
    """The crosstabs of a form's rows on a sheet of their own (under a wide table their label column would
    repeat on every page beside empty cells)."""
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    end, widths = _crosstab(ws, fx, res, sheet.of, TITLE_ROW - 1)
    _parts_line(ws, fx, res, widths)
    if sheet.note:
        _note(ws, fx, end + 1, sheet.note, 0, len(widths) - 1, widths)
    _page(ws, widths)


def _numbers(ns: list[int]) -> str:
    """7, 8, 9, 12 as "7 đến 9, 12" (runs of three or more as a range)."""
    out = []
    for a, b in _runs(ns):
        out += [f"{a} đến {b}"] if b - a > 1 else [str(n) for n in range(a, b + 1)]
    return ", ".join(out)


def blank_notes(columns) -> list[str]:
    """The lines under a standard table for its blank columns, one per reason: "Cột 2 (kỳ trước chuyển
    sang) chưa có số liệu: ...", or "Cột 7 đến 19 chưa có số liệu: ..." for columns sharing a reason."""
    by_reason: dict[str, list] = {}
    for c in columns:
        if c.blank:
            by_reason.setdefault(c.blank, []).append(c)
    lines = []
    for reason, cols in by_reason.items():
        if len(cols) == 1:
            head = f"Cột {cols[0].number} ({_lower_first(cols[0].title)})"
        else:
            head = "Cột " + _numbers([c.number for c in cols])
        lines.append(f"{head} chưa có số liệu: {reason}")
    return lines


def _header_heights(ws, cells, first_row: int, depth: int) -> None:
    """Row heights of a multi-level header: (text, first row, last row, width) per cell; a cell spanning
    several rows gets what its rows lack added to its last row."""
    heights = [15.0] * depth
    for text, r0, r1, width in sorted(cells, key=lambda c: c[2] - c[1]):
        need = row_height([(text, width, STD_HEAD_FONT, True)]) or 15.0
        have = sum(heights[r0 - first_row:r1 - first_row + 1])
        if need > have:
            heights[r1 - first_row] += need - have
    for i, h in enumerate(heights):
        ws.set_row(first_row + i, h)


def _standard(wb, fx, res, sheet: RollupSheet, sub, level):
    """A standard table of the circular as printed: the table's number and title, the column groups as
    merged header cells, the MS row, one row per unit, the total row, Ghi chú; the reasons of the blank
    columns under it. Cells are written directly from each column's resolved codes (the national
    roll-up writes 3,321 rows)."""
    ws = wb.add_worksheet(sheet.name)
    cols = sheet.table
    note_col = len(cols) + 1
    depth = max(len(c.group) for c in cols) + 1
    head, ms_row = STD_HEAD_ROW, STD_HEAD_ROW + depth
    # each column once: (sheet column, its one code or None, its signed codes; () when blank)
    plan = [(j, c.terms[0][1] if len(c.terms) == 1 and c.terms[0][0] == 1 else None, c.terms)
            for j, c in enumerate(cols, start=1)]
    totals = res.totals
    # a column is as wide as its total needs (the largest count of the column), else as declared
    widths = [sheet.unit_width] + [max(c.width, _number_width(_value(totals.get, one, terms)))
                                   for c, (_, one, terms) in zip(cols, plan)] + [STD_NOTE_WIDTH]
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)

    half = max(1, note_col // 2)  # the reporting unit left, the table's number right
    if half > 1:
        ws.merge_range(0, 0, 0, half - 1, res.parent.name.upper(), fx["std_unit"])
    else:
        ws.write_string(0, 0, res.parent.name.upper(), fx["std_unit"])
    ws.merge_range(0, half, 0, note_col, sheet.form, fx["std_form"])
    if sheet.basis:
        ws.merge_range(1, half, 1, note_col, f"({sheet.basis})", fx["std_basis"])
    ws.merge_range(2, 0, 2, note_col, sheet.title, fx["std_title"])
    _fit(ws, 2, [(sheet.title, sum(widths), 13, True)])
    if not ws.row_sizes.get(2):
        ws.set_row(2, TITLE_PT)
    ws.merge_range(3, 0, 3, note_col, sub, fx["std_sub"])

    th = fx["std_th"]
    cells = []  # (text, first row, last row, width) for the row heights

    def cell(r0, c0, r1, c1, text):
        if (r0, c0) == (r1, c1):
            ws.write_string(r0, c0, text, th)
        else:
            ws.merge_range(r0, c0, r1, c1, text, th)
        cells.append((text, r0, r1, sum(widths[c0:c1 + 1])))

    cell(head, 0, ms_row - 1, 0, "Đơn vị")
    cell(head, note_col, ms_row - 1, note_col, "Ghi chú")
    for level_no in range(depth - 1):
        j = 0
        while j < len(cols):
            g = cols[j].group[:level_no + 1]
            if len(cols[j].group) <= level_no:
                j += 1
                continue
            k = j
            while k + 1 < len(cols) and cols[k + 1].group[:level_no + 1] == g:
                k += 1
            cell(head + level_no, j + 1, head + level_no, k + 1, g[-1])
            j = k + 1
    for j, c in enumerate(cols, start=1):
        cell(head + len(c.group), j, ms_row - 1, j, c.title)
    _header_heights(ws, cells, head, depth)

    ms = fx["std_ms"]
    ws.write_string(ms_row, 0, "MS", ms)
    texts = [_wrap_identity(c.ms, w) for c, w in zip(cols, widths[1:])]
    for j, text in enumerate(texts, start=1):
        ws.write_string(ms_row, j, text, ms)
    ws.write_string(ms_row, note_col, str(note_col), ms)
    ws.set_row(ms_row, max(16, height_for(max(t.count("\n") + 1 for t in texts), MS_FONT)))

    needs = {}  # form -> a code of it the table uses: a unit without it has no value for that form
    for c in cols:
        for form_id, code in c.sources:
            needs.setdefault(form_id, code)
    missing_text = {f: "Chưa có số liệu " + _lower_first(form_label(f)) for f in needs}

    def row(r, name, values, text_fmt, num, blank, note_fmt, note):
        """One row; ``blank`` None leaves the blank columns' and the empty note's cells unwritten (the
        conditional formats below draw them: a third of a unit row, on the national hot path)."""
        get = values.get
        ws.write_string(r, 0, name, text_fmt)
        cells = []  # (column, number or None for a blank, format), put in at once
        for j, one, terms in plan:
            if not terms:
                if blank is not None:
                    cells.append((j, None, blank))
                continue
            cells.append((j, get(one) if one is not None else _value(get, None, terms), num))
        ws.put_numbers(r, cells)
        if note:
            ws.write_string(r, note_col, note, note_fmt)
        elif blank is not None:
            ws.write_blank(r, note_col, None, note_fmt)

    first = r = ms_row + 1
    name_fmt, num, note_fmt = fx["text"], fx["int"], fx["std_note"]
    parts = groups_for(res, tuple(needs))
    for part in parts:
        for unit, values in part.units:
            lacking = [t for f, t in missing_text.items() if values.get(needs[f]) is None]
            row(r, unit.name, values, name_fmt, num, None, note_fmt, "; ".join(lacking))
            if lacking or len(unit.name) > LONG_NAME:
                _fit(ws, r, [(unit.name, widths[0]), ("; ".join(lacking), STD_NOTE_WIDTH, 9)])
            r += 1
        if len(parts) > 1:  # the group's subtotal (blank when none of its units is in)
            label = f"Cộng {_lower_first(part.title)}"
            row(r, label, part.subtotal if part.units else {}, fx["total_text"],
                fx["total_int"], fx["std_total_blank"], fx["std_total_note"], "")
            _fit(ws, r, [(label, widths[0], 11, True)])
            r += 1
    if r > first:  # the unit rows' unwritten cells: gray and ruled in the blank columns, ruled in Ghi chú
        for j0, j1 in _runs([j for j, _, terms in plan if not terms]):
            ws.conditional_format(first, j0, r - 1, j1, {"type": "blanks", "format": fx["std_blank"]})
        ws.conditional_format(first, note_col, r - 1, note_col, {"type": "blanks", "format": note_fmt})
    covs = {f: res.coverage(f) for f in needs}
    partial = [cov for cov in covs.values() if not cov.complete]
    label = "Tổng cộng" if not partial else f"Tổng cộng ({partial[0].fraction} đơn vị)"
    row(r, label, totals, fx["total_text"], fx["total_int"], fx["std_total_blank"], fx["std_total_note"], "")
    _fit(ws, r, [(label, widths[0], 11, True)])

    lines = ["Ô màu xám: chưa có số liệu, không phải số 0."] + blank_notes(cols) + list(sheet.notes)
    lines += [f"{form_label(f)}: {coverage_note(cov)}" for f, cov in covs.items() if not cov.complete]
    r += 2
    ws.write_string(r, 0, "Ghi chú:", fx["note_head"])
    for text in lines:
        r += 1
        ws.merge_range(r, 0, r, note_col, "- " + text, fx["note"])
        _fit(ws, r, [("- " + text, sum(widths), 10, False, True)])
    ws.freeze_panes(ms_row + 1, 1)
    _page(ws, widths, landscape=True)
    ws.repeat_rows(head, ms_row)
    ws.print_area(0, 0, r, note_col)


def _runs(ns: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs: [2, 11, 12, 13] -> [(2, 2), (11, 13)]."""
    out: list[list[int]] = []
    for n in ns:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return [(a, b) for a, b in out]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _value(get, one, terms):
    """A standard column's value from a unit's values: its one code, or the signed sum of its codes
    (None when the unit has no value for one of them: it lacks the form)."""
    if one is not None:
        return get(one)
    if not terms:
        return None
    v = 0
    for sign, code in terms:
        x = get(code)
        if x is None:
            return None
        v += sign * x
    return v


def _number_width(v) -> float:
    """The column width a count needs in bold 11-pt with thousands separators."""
    return 0 if v is None else len(f"{v:,.0f}") * 1.15 + 1.5


MS_FONT = 8


def _wrap_identity(text: str, width: float) -> str:
    """An MS cell ("6=8+9+10=11+12+13=14+18") broken into lines after "=" or "+", never inside a number,
    each line within the column (bold 8-point type); lines as even as their count allows."""
    tokens = re.findall(r"[^=+]+[=+]?", text)
    room = text_room(width)

    def wrap(limit):
        lines = [""]
        for t in tokens:
            if lines[-1] and text_points(lines[-1] + t.rstrip("=+"), MS_FONT, True) > limit:
                lines.append("")
            lines[-1] += t
        return lines

    lines = wrap(room)
    target = text_points(text, MS_FONT, True) / len(lines)
    while target < room:  # the narrowest limit giving as few lines
        even = wrap(target)
        if len(even) == len(lines):
            return "\n".join(even)
        target += 2
    return "\n".join(lines)


def _ledger(wb, fx, res, sheet: RollupSheet, sub, level):
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    heads = ["STT", "Mã đơn vị", "Đơn vị", "Đã nộp", "Biểu đã nộp", "Tệp báo cáo", "Mã SHA-256", "Thời điểm nhận",
             "Hạn nộp", "Đúng hạn", "Kết quả kiểm tra", "Số vấn đề", "Ghi chú"]
    widths = [5, 9, 26, 8, 20, 30, 24, 16, 11, 10, 14, 9, 32]
    for c, (h, w) in enumerate(zip(heads, widths)):
        ws.write_string(TITLE_ROW - 1, c, h, fx["th"])
        ws.set_column(c, c, w, None, {"hidden": c == HASH_COL})
    shown = [w for c, w in enumerate(widths) if c != HASH_COL]
    _parts_line(ws, fx, res, [0 if c == HASH_COL else w for c, w in enumerate(widths)])
    heights = {TITLE_ROW - 1: row_height([(h, w, 11, True) for h, w in zip(heads, widths)]) or 30.0}
    ws.set_row(TITLE_ROW - 1, heights[TITLE_ROW - 1])
    keep = {}  # a group's heading prints with its first rows
    r = FIRST_UNIT_ROW - 2
    grouped = len(res.groups) > 1
    n, group = 0, None
    for row in res.ledger:
        if grouped and row.group != group:  # a group's heading row: its name and how many sent
            group, n = row.group, 0
            rows = res.group_ledger(group)
            head = f"{res.group_title(group)} ({sum(x.submitted for x in rows)}/{len(rows)} đã nộp)"
            ws.merge_range(r, 0, r, len(heads) - 1, head, fx["group"])
            keep[r] = min(2, len(rows))
            r += 1
        n += 1
        _put(ws, r, 0, n, fx["center"])
        _put(ws, r, 1, row.unit_code, fx["center"])
        _put(ws, r, 2, row.unit_name, fx["text"])
        ws.write_string(r, 3, "Có" if row.submitted else "Chưa", fx["ok"] if row.submitted else fx["late"])
        forms = ", ".join(FORM_ABBREVIATION.get(f, f) for f in row.forms)
        _put(ws, r, 4, forms, fx["text"])
        _put(ws, r, 5, row.file_name, fx["text"])
        _put(ws, r, HASH_COL, row.sha256, fx["hash"])
        if row.received:
            ws.write_datetime(r, 7, datetime.fromisoformat(row.received), fx["date"])
        else:
            ws.write_blank(r, 7, None, fx["date"])
        if row.deadline:
            ws.write_datetime(r, 8, datetime(row.deadline.year, row.deadline.month, row.deadline.day), fx["day"])
        else:
            ws.write_blank(r, 8, None, fx["day"])
        if row.on_time is None:
            ws.write_blank(r, 9, None, fx["center"])
        else:
            ws.write_string(r, 9, "Đúng hạn" if row.on_time else "Trễ hạn", fx["ok"] if row.on_time else fx["late"])
        _put(ws, r, 10, STATUS[row.status], fx["center"])
        _put(ws, r, 11, row.problems, fx["int"])
        _put(ws, r, 12, row.note, fx["text"])
        _fit(ws, r, [(row.unit_name, widths[2]), (forms, widths[4]), (row.file_name, widths[5]), (row.note, widths[12])],
             heights)
        r += 1
    excluded = res.excluded
    if excluded:
        r += 1
        _title(ws, fx, r, 0, "Các tệp bị loại khỏi tổng hợp")
        keep[r] = 2  # the title with the table's titles and first row
        r += 1
        for c, h in enumerate(["STT", "Tệp", "", "Tình trạng"]):
            ws.write_string(r, c, h, fx["th"])
        ws.merge_range(r, 4, r, len(heads) - 1, "Lý do (3 lỗi đầu)", fx["th"])
        reason_width = sum(shown[4:])
        for n, f in enumerate(excluded, start=1):
            r += 1
            reason = "; ".join(f"{i.location} {i.message}".strip() for i in f.errors[:3])
            _put(ws, r, 0, n, fx["center"])
            ws.merge_range(r, 1, r, 2, "", fx["text"])
            _put(ws, r, 1, f.path.name, fx["text"])
            _put(ws, r, 3, STATUS[f.status], fx["center"])
            ws.merge_range(r, 4, r, len(heads) - 1, "", fx["text"])
            _put(ws, r, 4, reason, fx["text"])
            _fit(ws, r, [(f.path.name, widths[1] + widths[2]), (reason, reason_width)], heights)
    ws.freeze_panes(TITLE_ROW, 3)
    ws.repeat_rows(TITLE_ROW - 1)
    page = _page(ws, shown)
    if keep:  # every page break set, so a heading never ends a page (Excel honours them at a print scale)
        ws.set_h_pagebreaks(printing.row_breaks(heights, TITLE_ROW, r, page, heights[TITLE_ROW - 1],
                                                2 * 18 + heights[TITLE_ROW - 1], keep))


CROSS_LABEL, CROSS_VALUE = 22, 12  # widths of a crosstab's row labels and value columns


RECEPTION_HEADS = (("Người tiếp (theo cấp)", 30), ("Số đơn vị có số liệu", 11), ("Số buổi đã thực hiện", 11),
                   ("Số buổi tối thiểu theo luật", 12), ("Tỷ lệ thực hiện", 10), ("Số đơn vị đạt mức tối thiểu", 12),
                   ("Số đơn vị ghi số phải thực hiện khác luật", 14), ("Mức tối thiểu (căn cứ)", 42))
RECEPTION_NOTE = ("Số buổi tối thiểu tính theo Luật Tiếp công dân 2013 cho cấp của từng đơn vị và số ngày đơn vị báo "
                  "cáo (không lấy số đơn vị tự ghi; không cộng chung các cấp).")


def _reception(wb, fx, res, sheet: RollupSheet, sub, level):
    """The heads' periodic reception days by level (dvcq.model.ReceptionTally), on a sheet of its own (under the
    wide indicators table it would print on the first page of columns only, stubs beside the others): days held
    against the law's minimum computed per unit from its level and its days, never pooled across levels."""
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    widths = [w for _, w in RECEPTION_HEADS]
    _parts_line(ws, fx, res, widths)
    _heads(ws, fx, [h for h, _ in RECEPTION_HEADS], widths)
    r = TITLE_ROW - 1
    tallies = [res.rollup.reception[lv] for lv in RECEPTION_ORDER if lv in res.rollup.reception]
    if not tallies:
        r += 1
        text = "Chưa có báo cáo định kỳ ghi số buổi tiếp công dân định kỳ đã thực hiện."
        ws.merge_range(r, 0, r, len(widths) - 1, text, fx["text"])
        _fit(ws, r, [(text, sum(widths))])
    rules = load_rules().reception
    for t in tallies:
        r += 1
        rule = rules.get(t.level)
        basis = f"{rule.text} ({rule.source})" if rule else ""
        values = (level_heads(t.level, res.parent, res.kinds), t.units, t.held, t.required,
                  t.held / t.required if t.required else None, t.reached, t.stated, basis)
        for c, (v, f) in enumerate(zip(values, ("text", "int", "int", "int", "pct", "int", "int", "text"))):
            _put(ws, r, c, v, fx[f])
        _fit(ws, r, [(values[0], widths[0]), (basis, widths[-1])])
    notes = [RECEPTION_NOTE] + ([sheet.note] if sheet.note else [])
    for text in notes:
        r += 2 if text is notes[0] else 1
        _note(ws, fx, r, text, 0, len(widths) - 1, widths)
    ws.freeze_panes(TITLE_ROW, 1)
    _page(ws, widths)


def _crosstab(ws, fx, res, form_id, r):
    """Each crosstab of a form from row ``r``: row values × column values and their sums, over the whole
    roll-up; its last row and the columns' widths."""
    log = load_form(form_id)
    cells = res.rollup.totals.crosstab
    widths = [CROSS_LABEL]
    for tab in log.crosstabs:
        sheet = log.table_sheets()[0]
        rows, cols = sheet.field(tab["rows"]), sheet.field(tab["columns"])
        widths = [CROSS_LABEL] + [CROSS_VALUE] * (len(cols.enum) + 1)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        _title(ws, fx, r, 0, tab["title"] + " (toàn địa bàn)")
        r += 1
        heads = [f"{rows.title} \\ {cols.title}"] + list(cols.enum) + ["Cộng"]
        for j, h in enumerate(heads):
            ws.write_string(r, j, h, fx["th"])
        ws.set_row(r, row_height([(h, w, 11, True) for h, w in zip(heads, widths)]))
        sums = [0] * (len(cols.enum) + 1)
        for rv in rows.enum:
            r += 1
            ws.write_string(r, 0, rv, fx["text"])
            total = 0
            for j, cv in enumerate(cols.enum, start=1):
                n = cells.get((rv, cv), 0)
                total += n
                sums[j - 1] += n
                _put(ws, r, j, n, fx["int"])
            sums[-1] += total
            _put(ws, r, len(cols.enum) + 1, total, fx["total_int"])
        r += 1
        ws.write_string(r, 0, "Cộng", fx["total_text"])
        for j, n in enumerate(sums, start=1):
            _put(ws, r, j, n, fx["total_int"])
        r += 2
    return r, widths


def _overdue(wb, fx, res, sheet: RollupSheet, sub, level):
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub + ". Không ghi họ tên, địa chỉ, số giấy tờ; vụ việc tố cáo chỉ ghi mã vụ việc.",
                    fx["sub"])
    heads = ["STT", "Mã vụ việc", "Đơn vị", "Ngày thụ lý", "Phân loại", "Lĩnh vực", "Tình trạng", "Số ngày",
             "Thời hạn (ngày)", "Căn cứ thời hạn"]
    widths = [5, 16, 24, 11, 14, 20, 16, 9, 9, 24]
    _heads(ws, fx, heads, widths)
    names = {u.code: u.name for u, _ in res.units}
    for n, case in enumerate(res.overdue_cases, start=1):
        r = TITLE_ROW - 1 + n
        _put(ws, r, 0, n, fx["center"])
        _put(ws, r, 1, case.ref, fx["center"])
        _put(ws, r, 2, names.get(case.unit_code, case.unit_code), fx["text"])
        if case.date:
            ws.write_datetime(r, 3, datetime.fromisoformat(case.date), fx["day"])
        else:
            ws.write_blank(r, 3, None, fx["day"])
        _put(ws, r, 4, case.phan_loai, fx["text"])
        _put(ws, r, 5, case.linh_vuc, fx["text"])
        _put(ws, r, 6, CASE_STATUS[case.status], fx["text"])
        _put(ws, r, 7, case.days_open, fx["int"])
        _put(ws, r, 8, case.limit, fx["int"])
        _put(ws, r, 9, case.basis, fx["text"])
        unit = names.get(case.unit_code, case.unit_code)
        _fit(ws, r, [(unit, widths[2]), (case.linh_vuc, widths[5]), (CASE_STATUS[case.status], widths[6]),
                     (case.basis, widths[9])])
    ws.freeze_panes(TITLE_ROW, 0)
    ws.repeat_rows(TITLE_ROW - 1)
    _page(ws, widths)


def _roadmap(ws, fx, res, r, widths) -> int:
    """The rollout of the model under the plan's unit table, against the plans' target; its last row. Its sentence,
    which names its basis, wraps within the table's columns (``widths``)."""
    done, planned = progress.rollout_counts(res.rollup, res.totals)  # distinct units across plans
    state = progress.rollout(done, planned, res.rollup.rollout_targets)
    _title(ws, fx, r, 2, "Lộ trình mô hình \"Chính quyền thân thiện, vì Nhân dân phục vụ\"")
    lines = [("Số đơn vị có tên trong lộ trình của các kế hoạch đã nộp", planned, "int"),
             ("Số đơn vị đã ra mắt", done, "int"),
             ("Tỷ lệ đã ra mắt", state.share, "pct"), ("Mục tiêu của kế hoạch", progress.target_text(state), "text"),
             ("Mức đạt so với mục tiêu", state.attainment, "pct")]
    for i, (k, v, kind) in enumerate(lines, start=1):
        ws.write_string(r + i, 2, k, fx["text"])
        _put(ws, r + i, 3, v, fx[kind])
        _fit(ws, r + i, [(k, UNIT_WIDTHS[2]), (v, 13)])  # a label of two lines gets its height
    r += len(lines)
    noun = lambda g: group_noun(g, res.parent.level, res.kinds, res.old_kinds, res.middle)  # noqa: E731
    ledger = res.rollup.ledger  # the sentence names the plans counted and their day, as the report does
    text = progress.rollout_text(state, covers_form(ledger, PLAN, noun), runs_to(ledger, PLAN))
    if text:
        r += 1
        _note(ws, fx, r, text[:1].upper() + text[1:] + ".", 2, len(widths) - 1, widths)
    return r


BODY_WIDTHS = (5, 35, 0) + (13,) * 10  # the bodies' table on the plan's unit table columns (B:C merged)


def _bodies(ws, fx, res, r) -> int:
    """The plan tasks by lead body (the bodies behind first), then the recurring tasks by term; the last row."""
    form = load_form(PLAN)
    title = lambda code: form.measure(code).title  # noqa: E731
    bodies = progress.rows(form, res.rollup.bodies)
    _title(ws, fx, r, 0, "Tiến độ thực hiện nhiệm vụ theo đơn vị chủ trì")
    ws.write_string(r + 1, 0, "Xếp trước: đơn vị chủ trì có tỷ lệ nhiệm vụ quá hạn cao, rồi tỷ lệ hoàn thành thấp. "
                              "«Số đơn vị»: số kế hoạch giao nhiệm vụ cho đơn vị chủ trì (cùng tên thì cộng chung).",
                    fx["sub"])
    heads = ["STT", "Đơn vị chủ trì", "", "Số đơn vị", title(progress.ALL), title(progress.DONE), title(progress.ACTIVE),
             title(progress.NOT_STARTED), title(progress.PAUSED), "Quá hạn chưa hoàn thành",
             "Thường xuyên, định kỳ", "Trong đó đang triển khai", "Tỷ lệ hoàn thành (trừ thường xuyên, định kỳ)"]
    r += 3
    for c, h in enumerate(heads):
        if c == 1:
            ws.merge_range(r, 1, r, 2, h, fx["th"])
        elif c != 2:
            ws.write_string(r, c, h, fx["th"])
    ws.set_row(r, row_height([(h, w, 11, True) for h, w in zip(heads, BODY_WIDTHS)]) or 30)
    if not bodies:
        r += 1
        why = ("Các biểu tổng hợp đã nộp (lập bằng phiên bản dvcq trước) chưa có số liệu tiến độ theo đơn vị chủ trì; "
               "hãy tổng hợp lại ở cấp dưới bằng phiên bản này." if res.totals.get("don_vi_co_ke_hoach") else
               "Chưa có kế hoạch hợp lệ nên chưa có tiến độ theo đơn vị chủ trì.")
        ws.merge_range(r, 0, r, len(heads) - 1, why, fx["text"])
        _fit(ws, r, [(why, 150)])
        return r
    for n, b in enumerate(bodies, start=1):
        r += 1
        _put(ws, r, 0, n, fx["center"])
        ws.merge_range(r, 1, r, 2, "", fx["text"])
        _put(ws, r, 1, b.name, fx["text"])
        values = (b.units, b.tasks, b.done, b.active, b.not_started, b.paused, b.overdue, b.recurring,
                  b.recurring_active)
        for j, v in enumerate(values, start=3):
            _put(ws, r, j, v, fx["late"] if j == 9 and v else fx["int"])
        _put(ws, r, 12, b.rate, fx["pct"])
        _fit(ws, r, [(b.name, 9 + 26)])
    r += 1
    ws.merge_range(r, 0, r, 2, "Cộng", fx["total_text"])
    total = [sum(getattr(b, k) for b in bodies) for k in ("tasks", "done", "active", "not_started", "paused",
                                                          "overdue", "recurring", "recurring_active")]
    _put(ws, r, 3, res.totals.get("don_vi_co_ke_hoach"), fx["total_int"])
    for j, v in enumerate(total, start=4):
        _put(ws, r, j, v, fx["total_int"])
    once, once_done = sum(b.once for b in bodies), sum(b.once_done for b in bodies)
    _put(ws, r, 12, once_done / once if once else None, fx["total_pct"])
    if any(b.rate is None for b in bodies):
        r += 1
        ws.write_string(r, 0, "Tỷ lệ hoàn thành để trống: đơn vị chủ trì chỉ có nhiệm vụ thường xuyên, định kỳ.",
                        fx["sub"])

    terms = progress.recurring(res.rollup.bodies)
    if terms:
        r += 2
        _title(ws, fx, r, 0, "Nhiệm vụ thường xuyên, định kỳ")
        ws.write_string(r + 1, 0, "Thời hạn không phải một ngày nên không tính quá hạn; mỗi kỳ theo dõi số nhiệm vụ "
                                  "đang triển khai.", fx["sub"])
        r += 3
        for c, h in enumerate(["STT", "Thời hạn", "", "Số nhiệm vụ", title(progress.ACTIVE), title(progress.NOT_STARTED),
                               title(progress.DONE), title(progress.PAUSED)]):
            if c == 1:
                ws.merge_range(r, 1, r, 2, h, fx["th"])
            elif c != 2:
                ws.write_string(r, c, h, fx["th"])
        ws.set_row(r, 33)
        for n, t in enumerate(terms, start=1):
            r += 1
            _put(ws, r, 0, n, fx["center"])
            ws.merge_range(r, 1, r, 2, "", fx["text"])
            _put(ws, r, 1, t.term, fx["text"])
            for j, v in enumerate((t.tasks, t.active, t.not_started, t.done, t.paused), start=3):
                _put(ws, r, j, v, fx["int"])
    return r


def _overdue_tasks(wb, fx, res, sheet: RollupSheet, sub, level):
    """Overdue plan tasks on a sheet of their own, so each printed page has this table's titles."""
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    heads = ["STT", "Mã nhiệm vụ", "Đơn vị", "Nhóm nhiệm vụ", "Nội dung", "Đơn vị chủ trì", "Thời hạn",
             "Số ngày quá hạn"]
    widths = [5, 10, 22, 24, 50, 20, 11, 10]
    _heads(ws, fx, heads, widths)
    names = {u.code: u.name for u, _ in res.units}
    for n, t in enumerate(res.overdue_tasks, start=1):
        r = TITLE_ROW - 1 + n
        unit = names.get(t.unit_code, t.unit_code)
        _put(ws, r, 0, n, fx["center"])
        _put(ws, r, 1, t.ref, fx["center"])
        _put(ws, r, 2, unit, fx["text"])
        _put(ws, r, 3, t.nhom, fx["text"])
        _put(ws, r, 4, t.noi_dung, fx["text"])
        _put(ws, r, 5, t.chu_tri, fx["text"])
        ws.write_datetime(r, 6, datetime.fromisoformat(t.thoi_han), fx["day"])
        _put(ws, r, 7, t.days_late, fx["int"])
        _fit(ws, r, [(unit, widths[2]), (t.nhom, widths[3]), (t.noi_dung, widths[4]), (t.chu_tri, widths[5])])
    ws.freeze_panes(TITLE_ROW, 0)
    ws.repeat_rows(TITLE_ROW - 1)
    _page(ws, widths)


def _texts(wb, fx, res, sheet: RollupSheet, sub, level):
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    titles = {t.name: t.title for s in load_form(REPORT_FORM).sheets for t in s.texts}
    widths = [5, 24, 20, 90]
    _heads(ws, fx, ["STT", "Đơn vị", "Nội dung", "Ý kiến của đơn vị"], widths)
    order = list(titles)
    items = sorted(res.rollup.texts, key=lambda t: (order.index(t.code) if t.code in order else 99, t.unit))
    center, text = fx["center"], fx["text"]
    # a row's height is the tallest its cells need one by one (``row_height``): the units' names and the titles,
    # repeated on thousands of rows (26,568 nationally), measured once each
    heights: dict[tuple[str, int], float | None] = {}

    def height(value, width) -> float | None:
        key = (value, width)
        if key not in heights:
            heights[key] = row_height([(value, width)])
        return heights[key]

    for n, t in enumerate(items, start=1):
        r = TITLE_ROW - 1 + n
        title = titles.get(t.code, t.code)
        _put(ws, r, 0, n, center)
        _put(ws, r, 1, t.unit, text)
        _put(ws, r, 2, title, text)
        _put(ws, r, 3, t.text, text)
        own = row_height([(t.text, widths[3])])
        tallest = max((h for h in (height(t.unit, widths[1]), height(title, widths[2]), own) if h), default=None)
        if tallest:
            ws.set_row(r, tallest)
    ws.repeat_rows(TITLE_ROW - 1)
    _page(ws, widths)


def _yoy(wb, fx, res, sheet: RollupSheet, sub, level):
    """The report's indicators beside last year's (only when last year's roll-up is in the history)."""
    previous = res.previous_totals
    if not previous:
        return
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    if res.across_reform:
        ws.write_string(2, 0, reform_note(res.period.year - 1, res.period.kind == "Y"), fx["sub"])
    year = res.period.year - 1
    sets = Sets(unit_set(res.rollup.ledger), res.previous_run, res.across_reform)
    why = reason(sets, year, res.period.kind == "Y", 
                 lambda g: group_noun(g, res.parent.level, res.kinds, res.old_kinds, res.middle))
    if not res.across_reform and why:  # (across the reform its note above says why)
        ws.write_string(2, 0, why, fx["sub"])
    heads = ["Mã", "Chỉ tiêu", "Đơn vị tính", res.period.label, f"Cùng kỳ năm {year}",
             "Tăng (+) / giảm (-)", "Tỷ lệ thay đổi", "Ghi chú"]
    widths = [8, 60, 12, 16, 16, 14, 12, 40]
    _heads(ws, fx, heads, widths)
    r = TITLE_ROW
    for col in load_layout().units_sheet(REPORT_FORM).columns:
        key, title, unit, kind = col.code, col.title, col.unit, col.kind
        cur, prev = res.totals.get(key), previous.get(key)
        fmt = fx["pct"] if kind == "ratio" else (fx["num"] if kind == "score" else fx["int"])
        _put(ws, r, 0, key, fx["center"])
        _put(ws, r, 1, title, fx["text"])
        _fit(ws, r, [(title, widths[1])])
        _put(ws, r, 2, unit, fx["center"])
        _put(ws, r, 3, cur, fmt)
        _put(ws, r, 4, prev, fmt)
        diff = cur - prev if cur is not None and prev is not None else None
        if res.across_reform and unit == UNITS_OF_UNITS:  # a count of units across the 2025 reform: never
            diff = None
        if not res.across_reform and (sets.unknown or sets.differ):  # another (or unknown) set: no change, as its note
            diff = None
        if kind == "ratio":  # a rate's change in percentage points, never a percent of a percent
            _put(ws, r, 5, None if diff is None else round(diff * 100, 6), fx["points"])
        else:
            _put(ws, r, 5, diff, fx["signed_num"] if kind == "score" else fx["signed_int"])
        flag = check(cur, prev, kind, sets, year)  # a change beyond the plausible range: a question, not a finding
        _put(ws, r, 6, diff / prev if diff is not None and prev and kind == "count" and not flag else None, fx["pct"])
        if flag:
            note = flag[:1].upper() + flag[1:]
            _put(ws, r, 7, note, fx["text"])
            _fit(ws, r, [(title, widths[1]), (note, widths[7])])
        r += 1
    r += 1
    _note(ws, fx, r, "Tăng (+) / giảm (-) của một tỷ lệ tính bằng điểm phần trăm (điểm %); tỷ lệ thay đổi chỉ tính "
                     "cho chỉ tiêu số lượng.", 0, len(widths) - 1, widths)
    ws.repeat_rows(TITLE_ROW - 1)
    ws.freeze_panes(TITLE_ROW, 2)
    _page(ws, widths)


def _page(ws, widths, title=None, repeat=0, landscape=None) -> printing.Page:
    """A4 at the scale that fits the columns to the page's width, landscape when they need it; with
    ``repeat``, a table too wide for one page split over pages with its first ``repeat`` columns on each,
    its title in the page header and its subtitle in the footer before the page number (a title in a cell
    would be cut where the repeated columns end). Neither holds a line break: Excel prints one, but a copy
    saved again (by Excel, or by openpyxl for an annotated copy) stores it escaped (_x000D_, _x000a_), which
    LibreOffice prints as it is. Returns the page, for row breaks."""
    landscape = printing.orientation(widths) if landscape is None else landscape
    starts = []
    if repeat:
        scale, starts = printing.column_pages(widths, repeat, landscape)
    else:
        scale = printing.scale_to_fit(widths, landscape)
    top = printing.HEADER_TOP if title else printing.TOP
    printing.setup(ws, landscape, scale, top=top, center=not starts)
    if starts:
        ws.set_v_pagebreaks(starts)
        ws.repeat_columns(0, repeat - 1)
    if title:
        head, sub = (t.replace("&", "&&") for t in title)
        ws.set_header(f'&C&"Times New Roman,Bold"&12{head}', {"margin": 0.3})
        ws.set_footer(f'&C&"Times New Roman,Italic"&9{sub} - Trang &P/&N')
    return printing.Page(landscape, scale, top)


def _print_area(ws, last_row, n_values, parts=False):
    """Print a wide unit table from its column titles down (its title is in the page header), from the
    sentence of the period's two parts when there is one (in the columns printed on every page)."""
    if n_values > WIDE:
        ws.print_area(2 if parts else TITLE_ROW - 1, 0, last_row, 2 + n_values)


CHART_WIDTH, BAR_PX, CHART_MAX_PX = 680, 22, 1250  # pixels: the bar chart's width, a bar's height, its tallest
CHART_COLS, CHART_COL_WIDTH = 8, 12.5  # the chart sheet's printed columns: a little wider than the chart


NAME_COL, PIE_COLS = 2, (1, 2)  # a unit table's column of unit names; the chart sheet's pie data (labels, counts)


def _chart_col(table: RollupSheet, indicator: str) -> int:
    """The 0-based column of ``indicator`` in the unit table ``table`` (after the number, code and name)."""
    return 3 + [c.code for c in table.columns].index(indicator)


def _charted(sheets: list[RollupSheet]) -> dict[str, set[int]]:
    """The columns the charts read, by sheet name: kept when a finished sheet is sealed (dvcq.rollup.xmlrows)."""
    out: dict[str, set[int]] = {}
    for sheet in sheets:
        if sheet.kind == "chart":
            table = next(s for s in sheets if s.name == sheet.of_sheet)
            out.setdefault(table.name, set()).update({NAME_COL, _chart_col(table, sheet.indicator)})
            out.setdefault(sheet.name, set()).update(PIE_COLS)
    return out


def chart_rows(res, form_id: str) -> tuple[int, list]:
    """The rows of the units a chart plots in its unit table (0-based first row, the units): the territorial
    units of the period's current era (not the districts abolished by the 2025 reform, nor the bodies)."""
    parts = sections(res, form_id)
    first = FIRST_UNIT_ROW - 1
    for part in parts:
        if part.group in (None, UnitGroup.TERRITORIAL):
            return first, part.units
        first += len(part.units) + 1  # the group's rows and its subtotal
    return FIRST_UNIT_ROW - 1, parts[0].units


def _chart(wb, fx, res, sheet: RollupSheet, sub, level):
    """A bar per unit of the current era of one rate of the report, on one page; the submissions as a pie
    on the next."""
    table = next(s for s in load_layout().sheets if s.name == sheet.of_sheet)
    first, units = chart_rows(res, table.of)
    n = len(units)
    if not n:
        return
    ws = wb.add_worksheet(sheet.name)
    col = col_letter(_chart_col(table, sheet.indicator) + 1)
    names = col_letter(NAME_COL + 1)
    top, bottom = first + 1, first + n
    height = min(CHART_MAX_PX, max(320, BAR_PX * n + 80))
    chart = wb.add_chart({"type": "bar"})
    labels = n <= 40  # a value beside every bar only while the bars are tall enough to carry one
    chart.add_series({"name": sheet.title,
                      "categories": f"='{table.name}'!${names}${top}:${names}${bottom}",
                      "values": f"='{table.name}'!${col}${top}:${col}${bottom}",
                      "data_labels": {"value": True, "num_format": "0%"} if labels else {},
                      "fill": {"color": "#2E75B6"}, "gap": 50})
    groups = res.coverages(table.of)
    who = f" ({res.group_title(UnitGroup.TERRITORIAL).lower()})" if len(groups) > 1 else ""
    chart.set_title({"name": f"{sheet.title} - {res.period.label}{who}", "name_font": {"size": 12}})
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
    font = max(5, min(10, round((height - 80) / n * 0.75 * 0.8)))  # a category label fits its bar
    chart.set_y_axis({"reverse": True, "num_font": {"size": font}})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_WIDTH, "height": height})
    ws.insert_chart("A1", chart)
    led = submissions(res.rollup.ledger)
    pie_row = -(-height // 20) + 2  # the pie starts a page under the bar chart (rows of 20 pixels)
    for i, (k, v) in enumerate([("Đúng hạn", len(led.on_time)), ("Trễ hạn", len(led.late)),
                                ("Chưa nộp", len(led.not_submitted))]):
        ws.write_string(pie_row + 17 + i, PIE_COLS[0], k)
        ws.write_number(pie_row + 17 + i, PIE_COLS[1], v)
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"name": "Tình hình nộp báo cáo",
                    "categories": [sheet.name, pie_row + 17, PIE_COLS[0], pie_row + 19, PIE_COLS[0]],
                    "values": [sheet.name, pie_row + 17, PIE_COLS[1], pie_row + 19, PIE_COLS[1]],
                    "data_labels": {"value": True, "category": True},
                    "points": [{"fill": {"color": "#70AD47"}}, {"fill": {"color": "#FFC000"}},
                               {"fill": {"color": "#C00000"}}]})
    pie.set_title({"name": "Tình hình nộp báo cáo"})
    pie.set_size({"width": 480, "height": 300})
    ws.insert_chart(pie_row, 0, pie)
    ws.set_h_pagebreaks([pie_row])
    ws.set_column(0, CHART_COLS - 1, CHART_COL_WIDTH)  # the print area's columns hold the chart's width
    ws.print_area(0, 0, pie_row + 20, CHART_COLS - 1)
    portrait = printing.Page(False)
    scale = min(printing.scale_to_fit([CHART_COL_WIDTH] * CHART_COLS, False),
                int(portrait.height * printing.SAFETY / (height * 0.75) * 100))
    printing.setup(ws, False, scale)


def _hidden(wb, res, now: datetime):
    meta = wb.add_worksheet("_dvcq")
    values = {"form_id": ROLLUP_FORM_ID, "spec_version": ROLLUP_VERSION, "unit_code": res.parent.code,
              "unit_name": res.parent.name, "unit_level": res.parent.level, "period": res.period.code,
              "generator": "dvcq", "saved_at": now.isoformat(timespec="seconds")}
    for r, k in enumerate(META_KEYS):
        meta.write_string(r, 0, k)
        _put(meta, r, 1, values[k], None)
    if res.period.straddles:  # the registry era of the roll-up's unit (dvcq.intake.readback reads it)
        meta.write_string(len(META_KEYS), 0, "era")
        meta.write_string(len(META_KEYS), 1, res.part.era)
    meta.hide()
    data = wb.add_worksheet(DATA_SHEET)
    for c, h in enumerate(DATA_COLUMNS):
        data.write_string(0, c, h)
    for r, row in enumerate(rollup_rows(res.rollup), start=1):
        for c, v in enumerate(row):
            if v not in (None, ""):
                _put(data, r, c, v, None)
    data.hide()


def _targets(wb, fx, res, sheet: RollupSheet, sub, level):
    """The report's indicators some unit set a target for: per indicator its total row (the units with a
    target compared on their own below it when a count's units do not all have one), then a row per unit."""
    ws = wb.add_worksheet(sheet.name)
    _title(ws, fx, 0, 0, sheet.title)
    ws.write_string(1, 0, sub, fx["sub"])
    cols = sheet.target_columns
    tallies = res.rollup.targets
    shown = comparisons(tallies, res.totals, res.rollup.totals.spreads)
    # the unit column says the level of the units it lists, as each unit's registry (its era's) gives it; units of
    # several levels (a 2025 province's districts before 1/7/2025, its communes, its sở) are "Đơn vị", never the
    # first unit's level ("Huyện" over communes)
    levels = {unit.level for (unit, derived), uv in zip(res.units, res.rollup.units)
              if any(c.code in uv.targets or derived.get(c.code) is not None for c in shown)}
    level = LEVEL_LABEL.get(levels.pop(), "đơn vị").capitalize() if len(levels) == 1 else "Đơn vị"
    heads = [("STT", 5), ("Mã số", 7), ("Chỉ tiêu", 36), ("Đơn vị tính", 9), (level, 24)]
    heads += [(c.title, c.width) for c in cols]
    widths = [w for _, w in heads]
    heights = {TITLE_ROW - 1: _heads(ws, fx, [h for h, _ in heads], widths)}
    keep = {}  # an indicator's total row prints with its first unit rows
    first = len(heads) - len(cols)
    cov = res.coverage(REPORT_FORM)
    styles = {"ratio": ("pct", "total_pct"), "score": ("num", "total_num")}
    r = TITLE_ROW
    forms_of = {e.unit_code: e.forms for e in res.rollup.ledger}
    listed = sheet.unit_rows_max is None or len(res.units) <= sheet.unit_rows_max
    split = False
    for n, total in enumerate(shown, start=1):
        ind = load_form(REPORT_FORM).main.indicator(total.code)
        plain, bold = styles.get(ind.kind, ("int", "total_int"))
        label = "Tổng cộng" if cov.complete else f"Tổng cộng ({cov.fraction} đơn vị)"
        rows = [(label, total, True, target_note(total, False, part_shown=True))]
        if total.part_target is not None:
            part = replace(total, value=total.part_value, target=total.part_target, percent=total.part_percent)
            rows.append((f"Các đơn vị có chỉ tiêu ({total.reported} đơn vị)", part, True, ""))
        levels = _by_level(res, ind)
        if len(levels) > 1:  # the heads' reception days: each level its own minimum, never one total
            rows, split = levels, True
        for (unit, derived), uv in zip(res.units if listed else (), res.rollup.units):
            tally = uv.targets.get(ind.code)
            if tally is None and derived.get(ind.code) is None:
                continue  # neither a target nor a figure (a unit that sent no report): nothing to compare
            c = compare(ind, tally or TargetTally(), derived.get(ind.code))
            rows.append((unit.name, c, False, target_note(c, ROLLUP_FORM_ID not in forms_of.get(unit.code, ()))))
        keep[r] = min(2, len(rows) - 1)
        for i, (name, c, is_total, note) in enumerate(rows):
            text = fx["total_text"] if is_total else fx["text"]
            if i == 0:
                _put(ws, r, 0, n, fx["total_text"])
                _put(ws, r, 1, ind.code, fx["total_text"])
                _put(ws, r, 2, ind.title, fx["total_text"])
                _put(ws, r, 3, ind.unit, fx["total_text"])
            else:
                for j in range(4):
                    ws.write_blank(r, j, None, fx["text"])
            _put(ws, r, 4, name, text)
            cells = {"value": (c.value, bold if is_total else plain), "target": (c.target, bold if is_total else plain),
                     "percent": (c.percent, "total_pct" if is_total else "pct"),
                     "units": (c.units, "total_int" if is_total else "int"),
                     "reached": (c.reached if c.reported else None, "total_int" if is_total else "int"),
                     "note": (note, "total_text" if is_total else "text")}
            if c.value is None and c.spread is not None:  # not added across units: smallest – largest
                cells["value"] = (spread_text(c.spread, ind.kind), "total_range")
            for j, col in enumerate(cols, start=first):
                v, f = cells[col.key]
                _put(ws, r, j, v, fx[f])
            ranged = cells["value"][0] if cells["value"][1] == "total_range" else ""
            _fit(ws, r, [(ind.title if i == 0 else "", widths[2], 11, is_total), (name, widths[4], 11, is_total)] +
                 [(note, col.width, 11, is_total) for col in cols if col.key == "note"] +
                 [(ranged, col.width, RANGE_FONT, True) for col in cols if col.key == "value"], heights)
            r += 1
    lines = []
    if not shown:
        lines.append("Chưa có đơn vị nào đặt chỉ tiêu cho các chỉ tiêu của báo cáo định kỳ.")
    if split:
        lines.append(LEVELS_NOTE)
    if sheet.note:
        lines.append(sheet.note)
    if shown and not listed:
        lines.append(f"Biểu tổng hợp {fmt.number(len(res.units))} đơn vị nên trang này chỉ ghi dòng tổng của từng chỉ "
                     "tiêu; kết quả của từng đơn vị ở trang tổng hợp chỉ tiêu báo cáo, chỉ tiêu của từng đơn vị trong "
                     "kế hoạch, báo cáo của đơn vị.")
    for text in lines:
        r += 1
        _note(ws, fx, r, text, 0, len(widths) - 1, widths)
        heights[r] = height_for(lines_in(text, sum(widths), italic=True))
    ws.freeze_panes(TITLE_ROW, 5)
    ws.repeat_rows(TITLE_ROW - 1)
    page = _page(ws, widths)
    ws.set_h_pagebreaks(printing.row_breaks(heights, TITLE_ROW, r, page, heights[TITLE_ROW - 1],
                                            2 * 18 + heights[TITLE_ROW - 1], keep))


LEVELS_NOTE = ("Số buổi tiếp công dân định kỳ của Chủ tịch UBND, Thủ trưởng cơ quan ghi theo từng nhóm đơn vị, không "
               "cộng chung: mỗi cấp có mức tối thiểu riêng (Luật Tiếp công dân 2013, Điều 12, 13, 15, 18).")


def _by_level(res, ind) -> list[tuple]:
    """A figure the law binds to a level (``legal_minimum``: the heads' reception days) against its targets, one
    row per group of units with targets (their tallies and figures summed), as the report says it; [] otherwise."""
    if not ind.legal_minimum:
        return []
    out = []
    for g, tally in by_group(res.rollup, ind.code):
        c = compare(ind, tally, res.subtotal(g).get(ind.code))
        cov = res.coverage(REPORT_FORM, g)
        label = res.group_title(g) + ("" if cov.complete else f" ({cov.fraction} đơn vị)")
        out.append((label, c, True, target_note(c, False)))
    return out


_SHEETS = {"units": _units, "crosstabs": _crosstabs, "ledger": _ledger, "overdue_cases": _overdue, "overdue_tasks": _overdue_tasks,
           "texts": _texts, "year_on_year": _yoy, "chart": _chart, "standard": _standard,
           "targets": _targets, "reception": _reception}
