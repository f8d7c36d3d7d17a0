"""How a sheet prints on A4: orientation, the scale that fits its columns to the page width, the columns of a
wide table split over pages (its leading columns repeated), and page breaks that keep a group's heading
with its rows.

A sheet is printed at an explicit scale rather than "fit to N pages wide": Excel ignores manual page breaks
under "fit to", and the breaks are what keep a table's parts together. The scale comes from the columns'
widths (dvcq.forms.textfit.column_points) with a margin for the difference between Excel's and
LibreOffice's layouts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .textfit import DEFAULT_ROW_PT, column_points

A4_PT = (595.3, 841.9)  # portrait width, height
LEFT, RIGHT, TOP, BOTTOM = 0.4, 0.3, 0.6, 0.6  # margins, inches
HEADER_TOP = 0.9  # the top margin of a sheet whose title is in the page header
PAGE_FOOTER = "&CTrang &P/&N"
SAFETY = 0.95  # share of the printable width or height a layout may fill (Excel and LibreOffice differ)
MIN_SCALE = 40


@dataclass(frozen=True)
class Page:
    """An A4 page's printable area in sheet points at the sheet's scale."""
    landscape: bool
    scale: int = 100  # percent
    top: float = TOP

    @property
    def width(self) -> float:
        """Printable width at 100 %, points."""
        return (A4_PT[1] if self.landscape else A4_PT[0]) - (LEFT + RIGHT) * 72

    @property
    def height(self) -> float:
        """Printable height at 100 %, points."""
        return (A4_PT[0] if self.landscape else A4_PT[1]) - (self.top + BOTTOM) * 72

    @property
    def rows_room(self) -> float:
        """Sheet points of rows one page holds at its scale (with the safety margin)."""
        return self.height * SAFETY * 100 / self.scale


def table_points(widths) -> float:
    return sum(column_points(w) for w in widths)


def scale_to_fit(widths, landscape: bool) -> int:
    """The print scale (percent, at most 100) at which columns of these widths fill one page's width."""
    need = table_points(widths)
    room = Page(landscape).width * SAFETY
    return max(MIN_SCALE, min(100, math.floor(room / need * 100))) if need else 100


def orientation(widths) -> bool:
    """Landscape when the columns do not fit a portrait page's width at 100 %."""
    return table_points(widths) > Page(False).width * SAFETY


def column_pages(widths, repeated: int, landscape: bool = True, min_scale: int = 75) -> tuple[int, list[int]]:
    """Split a wide table over pages: its first ``repeated`` columns print on every page, the others in
    groups. Returns the scale and the columns (0-based) each page after the first starts at: as few pages
    as ``min_scale`` allows, then the largest scale that keeps that number of pages."""
    fixed, rest = widths[:repeated], widths[repeated:]
    if not rest:
        return scale_to_fit(widths, landscape), []

    def pack(scale: int) -> list[int] | None:
        room = Page(landscape).width * SAFETY * 100 / scale - table_points(fixed)
        starts, used = [], 0.0
        for i, w in enumerate(rest):
            pts = column_points(w)
            if pts > room:
                return None
            if used + pts > room:
                starts.append(repeated + i)
                used = 0.0
            used += pts
        return starts

    floor = min_scale
    while pack(floor) is None and floor > MIN_SCALE:
        floor -= 5
    starts = pack(floor) or []
    best = floor
    for scale in range(100, floor, -1):
        got = pack(scale)
        if got is not None and len(got) <= len(starts):
            best, starts = scale, got
            break
    return best, starts


def setup(ws, landscape: bool, scale: int | None = None, top: float = TOP, center: bool = True) -> None:
    """A4 in the orientation, at the scale (None: the caller fits the sheet to pages), with the house margins
    and the page number in the footer."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=LEFT, right=RIGHT, top=top, bottom=BOTTOM)
    if scale is not None:
        ws.set_print_scale(scale)
    ws.set_footer(PAGE_FOOTER)
    if center:
        ws.center_horizontally()


def row_breaks(heights: dict[int, float], first: int, last: int, page: Page, repeated: float = 0.0,
               start: float = 0.0, keep: dict[int, int] | None = None) -> list[int]:
    """Where pages start (0-based rows) for rows ``first``..``last``: a page holds what fits
    (``heights`` per row, default 15 points), the ``repeated`` title rows on every page after the first,
    ``start`` points already used on the first page above ``first``; a row of ``keep`` starts a page
    when it and its next ``keep[row]`` rows would not fit on the current one (a group's heading kept
    with its rows)."""
    keep = keep or {}
    room = page.rows_room
    used, breaks = start, []
    h = lambda r: heights.get(r, DEFAULT_ROW_PT)  # noqa: E731
    for r in range(first, last + 1):
        need = h(r)
        if r in keep:
            need = sum(h(x) for x in range(r, min(last, r + keep[r]) + 1))
        if used + need > room and used > repeated:
            breaks.append(r)
            used = repeated
        used += h(r)
    return breaks
