"""What a printed sheet shows, measured from the written file alone (openpyxl) with the fonts' own metrics
(PIL on the Liberation TTFs, metric twins of Times New Roman and Arial), independently of dvcq's layout code.

- ``page_overflows(ws)``: the printed pages whose columns are wider than the paper at the sheet's scale;
- ``clipped_texts(ws)``: the texts wider or taller than their cell (merged cells as one) at the written
  column widths and row heights: a wrapped text by its lines, one that does not wrap by its width (it may
  run on into empty cells to its right, within the printed columns).
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]
A4 = (595.3, 841.9)  # points
LINE_EM = 1.15  # a line of Liberation Serif as LibreOffice and Excel space it
CELL_PAD_PT = 3.0  # the space a cell keeps around its text
LO_PT_PER_CHAR = 5.55  # LibreOffice with Carlito: points per unit of a column's stored width


def fonts_available() -> bool:
    return any((d / "LiberationSerif-Regular.ttf").exists() for d in FONT_DIRS)


@lru_cache(maxsize=None)
def _font(name: str, size: float, bold: bool, italic: bool):
    from PIL import ImageFont

    family = "Sans" if name and "arial" in name.lower() or name in ("Calibri", "Carlito") else "Serif"
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
             (True, True): "BoldItalic"}[(bool(bold), bool(italic))]
    for d in FONT_DIRS:
        path = d / f"Liberation{family}-{style}.ttf"
        if path.exists():
            return ImageFont.truetype(str(path), size=max(1, round(size * 10)))  # tenths of a point
    raise FileNotFoundError("Liberation fonts")


def text_width(text: str, name: str, size: float, bold: bool, italic: bool) -> float:
    """Points of one line of text."""
    return _font(name, size, bold, italic).getlength(text) / 10


def lines_needed(text: str, width: float, name: str, size: float, bold: bool, italic: bool) -> int:
    """Lines a text takes wrapped at spaces into ``width`` points."""
    n = 0
    for para in text.split("\n"):
        n += 1
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if text_width(trial, name, size, bold, italic) <= width:
                line = trial
                continue
            if line:
                n += 1
            w = text_width(word, name, size, bold, italic)
            n += max(0, math.ceil(w / width) - 1)
            line = word
    return n


def column_points(ws, letter: str) -> float:
    """A column's printed width: the wider of Excel's rule (7 pixels a unit of the stored width, Calibri 11)
    and LibreOffice's; 0 when hidden."""
    dim = _dimension(ws, letter)
    if dim is not None and dim.hidden:
        return 0.0
    width = dim.width if dim is not None and dim.width else 8.43 + 5 / 7
    return max(width * 7 * 0.75, width * LO_PT_PER_CHAR)


def text_room(ws, letter: str) -> float:
    """Points of text a line of a column holds (Excel's narrower rule, less the cell's padding)."""
    dim = _dimension(ws, letter)
    width = dim.width if dim is not None and dim.width else 8.43 + 5 / 7
    return width * 7 * 0.75 - CELL_PAD_PT


def _dimension(ws, letter: str):
    index = column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= index <= dim.max:
            return dim
    return None


def row_points(ws, row: int) -> float:
    dim = ws.row_dimensions.get(row)
    if dim is not None and dim.hidden:
        return 0.0
    return dim.height if dim is not None and dim.height else (ws.sheet_format.defaultRowHeight or 15)


def print_bounds(ws) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) printed: the print area, else the used range."""
    if ws.print_area:
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        ref = area.split("!")[-1].replace("$", "").strip("'")
        return range_boundaries(ref)
    return 1, 1, ws.max_column, ws.max_row


def page_column_groups(ws) -> list[list[str]]:
    """The columns each printed page holds across: split at the manual column breaks, each page after the
    first with the repeated title columns."""
    c0, _, c1, _ = print_bounds(ws)
    breaks = sorted(b.id for b in ws.col_breaks.brk)  # a break after column id (1-based)
    repeated = []
    if ws.print_title_cols:
        a, b = ws.print_title_cols.replace("$", "").split(":")
        repeated = [get_column_letter(i) for i in range(column_index_from_string(a), column_index_from_string(b) + 1)]
    bounds = [c0 - 1] + [b for b in breaks if c0 - 1 < b < c1] + [c1]
    groups = []
    for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
        cols = [get_column_letter(c) for c in range(a + 1, b + 1)]
        groups.append((repeated if i else []) + [c for c in cols if c not in repeated or not i])
    return groups


def page_overflows(ws) -> list[str]:
    """Pages wider than the paper: "page 2: 812 pt > 792 pt" (none when the sheet is fitted to pages)."""
    props = ws.sheet_properties.pageSetUpPr
    if props is not None and props.fitToPage:
        return []
    scale = (ws.page_setup.scale or 100) / 100
    wide = ws.page_setup.orientation == "landscape"
    m = ws.page_margins
    room = (A4[1] if wide else A4[0]) - (m.left + m.right) * 72
    out = []
    for i, cols in enumerate(page_column_groups(ws), start=1):
        need = sum(column_points(ws, c) for c in cols) * scale
        if need > room:
            out.append(f"page {i}: {need:.0f} pt > {room:.0f} pt")
    return out


def _merged(ws) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    out = {}
    for rng in ws.merged_cells.ranges:
        out[(rng.min_row, rng.min_col)] = (rng.min_col, rng.min_row, rng.max_col, rng.max_row)
    return out


def clipped_texts(ws) -> list[str]:
    """Texts that do not show whole at the written widths and heights: "B4 'Thời hạn (ngày)': 2 lines
    in 15 pt"."""
    merged = _merged(ws)
    inside = {(r, c) for (c0, r0, c1, r1) in merged.values() for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    c_lo, r_lo, c_hi, r_hi = print_bounds(ws)
    out = []
    for row in ws.iter_rows(min_row=r_lo, max_row=r_hi, min_col=c_lo, max_col=c_hi):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value.strip() or cell.value.startswith("="):
                continue
            if row_points(ws, cell.row) == 0 or column_points(ws, cell.column_letter) == 0:
                continue
            f = cell.font
            name, size, bold, italic = f.name or "Calibri", float(f.sz or 11), bool(f.b), bool(f.i)
            box = merged.get((cell.row, cell.column))
            if box is None and (cell.row, cell.column) in inside:
                continue
            c0, r0, c1, r1 = box or (cell.column, cell.row, cell.column, cell.row)
            letters = [get_column_letter(c) for c in range(c0, c1 + 1)]
            room = sum(text_room(ws, x) + (CELL_PAD_PT if i else 0) for i, x in enumerate(letters))
            height = sum(row_points(ws, r) for r in range(r0, r1 + 1))
            text = cell.value
            if cell.alignment.wrap_text:
                lines = lines_needed(text, room, name, size, bold, italic)
                if lines * size * LINE_EM > height + 0.5:
                    out.append(f"{cell.coordinate} {text[:40]!r}: {lines} lines of {size:g} pt in {height:g} pt")
                continue
            if size * LINE_EM > height + 0.5 and "\n" not in text:
                out.append(f"{cell.coordinate} {text[:40]!r}: {size:g} pt type in a {height:g} pt row")
            width = max(text_width(line, name, size, bold, italic) for line in text.split("\n"))
            if width <= room:
                continue
            if box is None and cell.alignment.horizontal in (None, "general", "left"):
                # a text that does not wrap runs on into the empty cells to its right, within the print
                c = cell.column + 1
                while width > room and c <= c_hi and ws.cell(cell.row, c).value in (None, "") \
                        and (cell.row, c) not in inside:
                    room += column_points(ws, get_column_letter(c))
                    c += 1
                if width <= room:
                    continue
            out.append(f"{cell.coordinate} {text[:40]!r}: {width:.0f} pt wide in {room:.0f} pt")
    return out


def sheet_label(path, ws) -> str:
    return f"{Path(path).name}/{ws.title}"

