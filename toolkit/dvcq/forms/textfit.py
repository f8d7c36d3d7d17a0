"""How much room a text takes in a cell: its width in points in Times New Roman, its wrapped lines in a
column of a given width, the row height that shows them all.

Neither XlsxWriter nor LibreOffice fits a row to its wrapped text on load, and Excel does only for rows
without an explicit height, so every writer (forms, roll-up, annotated copies) sets the heights its texts
need from here. Widths are the advance widths of Times New Roman (measured on Liberation Serif, its metric
twin, in thousandths of an em); a Vietnamese letter is as wide as its base letter, the horned ơ, ư a little
wider. A column of width ``w`` (Excel's unit: characters of the default font's digit, Calibri 11) is
``7w + 5`` pixels, 0.75 point each.
"""
from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

# advance widths of the characters 32..126, per 1000 em
_ASCII = {
    (False, False): "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 "
                    "500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 "
                    "556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 "
                    "500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 480 200 480 541",
    (True, False): "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 500 "
                   "500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 "
                   "611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 556 444 556 444 333 500 "
                   "556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 394 220 394 520",
    (False, True): "250 333 420 500 500 833 778 214 333 333 500 675 250 333 250 278 500 500 500 500 500 500 500 500 "
                   "500 500 333 333 675 675 675 500 920 611 611 667 722 611 611 722 722 333 444 667 556 833 667 722 "
                   "611 722 611 500 556 722 611 833 611 556 556 389 278 389 422 500 333 500 500 444 500 444 278 500 "
                   "500 278 278 444 278 722 500 500 500 500 389 389 278 500 444 667 444 444 389 400 275 400 541",
    (True, True): "250 389 555 500 500 833 778 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 500 "
                  "500 500 333 333 570 570 570 500 832 667 667 667 722 667 667 722 778 389 500 667 611 889 722 722 "
                  "611 722 667 556 611 722 667 889 667 611 611 333 278 333 570 500 333 500 500 444 500 444 333 500 "
                  "556 278 278 500 278 778 556 500 500 500 389 389 278 556 444 667 500 444 389 348 220 348 570",
}
HORN, HORN_FACTOR = "\u031b", 1.09  # ơ, ư are a little wider than o, u
_OTHER = {"«": 0.5, "»": 0.5, "–": 0.5, "—": 1.0, "…": 1.0, "²": 0.3, "’": 0.333, "‘": 0.333, "“": 0.444,
          "”": 0.444, "≥": 0.549, "≤": 0.549}  # ems of the punctuation officials type beyond ASCII

DIGIT_PX, PAD_PX, PT_PER_PX = 7, 5, 0.75  # Excel: Calibri 11, the default font column widths are counted in
LIBREOFFICE_PT = 5.55  # LibreOffice (with Carlito, Calibri's metric twin): points per unit of the width attribute
CELL_MARGIN_PT = 4.5  # the space a cell leaves around its text
LINE_PT = 15.0  # one line of 11-point text (scaled with the font size), as Excel spaces rows
ROW_PAD_PT = 3.0
DEFAULT_ROW_PT = 15.0
MAX_ROW_PT = 409.0  # Excel's tallest row


def column_points(width: float) -> float:
    """Points a column of ``width`` (Excel units) takes on the page at 100 %: the wider of Excel's and
    LibreOffice's layouts (LibreOffice's is about 6 % wider), so a page holds it in both."""
    if width <= 0:
        return 0.0
    return max((DIGIT_PX * width + PAD_PX) * PT_PER_PX, (width + PAD_PX / DIGIT_PX) * LIBREOFFICE_PT)


def text_room(width: float) -> float:
    """Points of text one line of a column of ``width`` holds: the narrower of the two layouts."""
    return (DIGIT_PX * width + PAD_PX) * PT_PER_PX - CELL_MARGIN_PT if width > 0 else 0.0


@lru_cache(maxsize=8)
def _table(bold: bool, italic: bool) -> dict[str, float]:
    widths = [int(x) / 1000 for x in _ASCII[(bold, italic)].split()]
    return {chr(32 + i): w for i, w in enumerate(widths)}


@lru_cache(maxsize=4096)
def _char_em(ch: str, bold: bool, italic: bool) -> float:
    table = _table(bold, italic)
    if ch in table:
        return table[ch]
    if ch in ("đ", "Đ"):
        return table["d" if ch == "đ" else "D"]
    if ch in _OTHER:
        return _OTHER[ch]
    parts = unicodedata.normalize("NFD", ch)
    if parts[0] in table:
        return table[parts[0]] * (HORN_FACTOR if HORN in parts else 1.0)
    return 0.5 if unicodedata.category(ch)[0] != "M" else 0.0


_SEEN: dict[tuple[bool, bool], dict[str, float]] = {}  # per style: character -> em, filled as met


def _widths(bold: bool, italic: bool) -> dict[str, float]:
    table = _SEEN.get((bold, italic))
    if table is None:
        table = _SEEN[(bold, italic)] = dict(_table(bold, italic))
    return table


def text_points(text: str, size: float = 11, bold: bool = False, italic: bool = False) -> float:
    """The width of one line of ``text`` in points."""
    table = _widths(bold, italic)
    total = 0.0
    for ch in text:
        w = table.get(ch)
        if w is None:
            w = table[ch] = _char_em(ch, bold, italic)
        total += w
    return total * size


MAX_EM = 1.0  # no character of the font is wider: a text of n characters is at most n ems


@lru_cache(maxsize=1 << 16)
def wrapped_lines(text: str, width_pt: float, size: float = 11, bold: bool = False, italic: bool = False) -> int:
    """Lines ``text`` takes when wrapped at spaces into ``width_pt`` (a word too long is broken; each
    line break of the text starts a line)."""
    if width_pt <= 0:
        return 1
    if len(text) * size * MAX_EM <= width_pt and "\n" not in text:  # surely one line: not measured
        return 1
    space = _char_em(" ", bold, italic) * size
    lines = 0
    for para in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = text_points(word, size, bold, italic)
            need = w if used == 0 else used + space + w
            if need <= width_pt:
                used = need
                continue
            if used > 0:  # the word starts a new line
                lines += 1
            if w > width_pt:  # broken across lines
                extra = math.ceil(w / width_pt) - 1
                lines += extra
                used = w - extra * width_pt
            else:
                used = w
    return lines


def lines_in(text: str, width: float, size: float = 11, bold: bool = False, italic: bool = False) -> int:
    """Lines a text takes in a column (or merged columns) of ``width`` Excel units."""
    return wrapped_lines(text, text_room(width), size, bold, italic)


def line_points(size: float = 11) -> float:
    return LINE_PT * size / 11


def height_for(lines: int, size: float = 11) -> float:
    """Points a row needs for ``lines`` lines of text in ``size``-point type."""
    return min(MAX_ROW_PT, round(lines * line_points(size) + ROW_PAD_PT, 1))


def row_height(cells) -> float | None:
    """Points a row needs to show its wrapped texts in full, or None when one line is enough.

    ``cells`` are (value, column width in Excel units[, font size[, bold[, italic]]]); values that are not
    text are skipped.
    """
    tallest = 0.0
    for value, width, *style in cells:
        if not isinstance(value, str) or not value:
            continue
        size = style[0] if style else 11
        bold = bool(style[1]) if len(style) > 1 else False
        italic = bool(style[2]) if len(style) > 2 else False
        n = lines_in(value, width, size, bold, italic)
        if n > 1 or size > 11:
            tallest = max(tallest, height_for(n, size))
    return tallest if tallest > DEFAULT_ROW_PT else None
