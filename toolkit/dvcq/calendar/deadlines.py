"""The reporting calendar (templates/deadlines.yaml): deadlines per province and route, a province's own
data windows, and the periods whose report needs no assessment texts.

Routes are ``commune->district``, ``district->province``, ``commune->province`` (since 1 July 2025) and
``department->province``. A province's section overrides the default key by key. Every calendar is
checked when the file is loaded: each date is a real day, a lower level is due before the level above
(``commune->district`` before ``district->province`` in every period kind) and no report is due before
its data window opens; a failure is a ``UserError`` naming the file, the line and the key.

``describe(period, parent)`` is what ``dvcq period`` prints: the label, the data window and the deadline
of each route, with the date the figures run to when a deadline falls inside the window.
``figures_date`` gives that date for a report (the narrative's "Số liệu tính đến ngày ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from dvcq import schema
from dvcq.errors import UserError
from dvcq.resources import templates_dir
from dvcq.units.registry import era_of, for_period, unit_part

from .periods import PERIODIC, Part, Period, clip, parse

ROUTES = schema.ROUTES
ROUTE_NAMES = {"commune->district": "Xã gửi huyện", "district->province": "Huyện gửi tỉnh",
               "commune->province": "Xã gửi tỉnh", "department->province": "Sở, ban, ngành gửi tỉnh"}
ERA_ROUTES = {"legacy": ("commune->district", "district->province", "department->province"),
              "2025": ("commune->province", "department->province")}
KIND_NAMES = {"Q1": "quý I", "Q2": "quý II", "Q3": "quý III", "Q4": "quý IV", "H1": "6 tháng đầu năm",
              "H2": "6 tháng cuối năm", "9M": "9 tháng", "Y": "năm"}
DEFAULT = ""  # the key of the default calendar
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})([+-]1)?")
_PROVINCE = re.compile(r"\d{2}")


@dataclass(frozen=True)
class Day:
    """A day of a period's year as the calendar writes it: '20/11', '05/01+1' (the year after), '15/12-1'."""

    day: int
    month: int
    shift: int = 0  # years after the period's year

    def on(self, year: int) -> date:
        return date(year + self.shift, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d}" + (f"{self.shift:+d}" if self.shift else "")


SENDERS = {  # who sends the abolished districts' part of a straddling period (templates/deadlines.yaml "abolished")
    "district": "Ủy ban nhân dân các huyện, thị xã, thành phố, trước khi kết thúc hoạt động ngày 30/06/2025",
    "province": "Sở Nội vụ, tổng hợp từ hồ sơ các huyện, thị xã, thành phố bàn giao",
    "commune": "Ủy ban nhân dân các xã, phường tiếp nhận hồ sơ của cấp huyện",
}
NEXT_FOCUS = frozenset({"H1", "H2", "9M", "Y"})  # next_focus when templates/deadlines.yaml does not say
LAST_DISTRICT_DAY = date(2025, 6, 30)  # districts ended with the 2025 reform
FIRST_PART_DAY = date(2025, 6, 15)  # the earliest a part before 1/7/2025 may be due: quý III's window opens


@dataclass(frozen=True)
class AbolishedPart:
    """Who sends the part before 1/7/2025 of a period that straddles the reform (the districts are gone after
    it), the dates of its legacy routes, and the reason the calendar gives."""
    sender: str  # district | province | commune (SENDERS)
    deadlines: Mapping[str, date]  # legacy route -> the day it is due
    source: str

    @property
    def who(self) -> str:
        return SENDERS[self.sender]


@dataclass(frozen=True)
class Calendar:
    """The reporting calendar of a province (``province`` its code), or the default one (``province`` '')."""

    province: str
    name: str
    source: str
    deadlines: Mapping[str, Mapping[str, Day]]  # route -> period kind -> day
    windows: Mapping[str, tuple[Day, Day]]  # period kind -> (first, last day) where the province sets them
    texts_optional: frozenset[str]  # period kinds whose report needs no assessment texts
    texts_source: str
    path: Path
    abolished: AbolishedPart | None = None
    # period kinds whose report's subject line names the next period's focus ("…, phương hướng, nhiệm vụ 6 tháng
    # cuối năm 2024"), and the practice it follows
    next_focus: frozenset[str] = NEXT_FOCUS
    focus_source: str = ""

    def deadline(self, period: Period, route: str) -> date | None:
        """The day a route's report of the period is due; None for a thematic or ad-hoc report (the
        request's date) or a route the calendar does not know. A legacy route of a period that straddles
        the 2025 reform reports its part before 1/7/2025: its date is the calendar's ``abolished`` one."""
        if period.windowed:
            return None
        if period.straddles and self.abolished is not None and route in self.abolished.deadlines:
            return self.abolished.deadlines[route]
        day = self.deadlines.get(route, {}).get(period.kind)
        return day.on(period.year) if day else None

    def window(self, period: Period, era: str | None = None) -> tuple[date, date]:
        """The period's data window: the province's own when it sets one, else Nghị định 09/2019's; for a
        period that straddles the 2025 reform and an ``era`` given, the days of that era's part only
        (to 30/6/2025 for 'legacy', from 1/7/2025 for '2025')."""
        own = None if period.windowed else self.windows.get(period.kind)
        first, last = (own[0].on(period.year), own[1].on(period.year)) if own else (period.start, period.end)
        return clip(first, last, era if period.straddles else None)

    def own_window(self, period: Period) -> bool:
        return not period.windowed and period.kind in self.windows

    def names_next(self, period: Period) -> bool:
        """Whether the report's subject line names the next period's focus (``Period.title_ahead``)."""
        return not period.windowed and period.kind in self.next_focus

    def subject(self, period: Period, part: Part | None = None) -> str:
        """The report's subject line: naming the next period's focus where ``next_focus`` says so; for a unit's part
        of a period straddling the 2025 reform (``part``), the plain title and the part ('…, phần …': the next
        period is not the district's)."""
        if part is not None and part.partial:
            return f"{period.title}, {part.label}"
        return period.title_ahead() if self.names_next(period) else period.title

    def texts_required(self, period: Period) -> bool:
        """Whether the report of the period must carry its assessment texts (Thông tư 01/2024/TT-TTCP:
        quarters II-IV need the tables only, where the calendar says so)."""
        return period.windowed or period.kind not in self.texts_optional


def _where(path: Path, keys: tuple[str, ...]) -> str:
    line = schema.line_of(path, keys)
    return f"Tệp {path}" + (f", dòng {line}" if line else "") + f", khóa «{'.'.join(keys)}»"


def _day(path: Path, keys: tuple[str, ...], text: str, shifts=(0, 1)) -> Day:
    m = _DAY.fullmatch(str(text).strip())
    shift = int(m.group(3)) if m and m.group(3) else 0
    ok = m is not None and shift in shifts
    if ok:
        try:
            date(2023, int(m.group(2)), int(m.group(1)))  # a year without 29/02: the day exists every year
        except ValueError:
            ok = False
    if not ok:
        after = ", \"-1\" khi là năm trước" if -1 in shifts else ""
        raise UserError(f"{_where(path, keys)}: cần một ngày dạng ngày/tháng (ví dụ \"20/11\"; thêm \"+1\" khi "
                        f"sang năm sau{after}), không phải «{text}».")
    return Day(int(m.group(1)), int(m.group(2)), shift)


def _calendars(path: Path) -> dict[str, Calendar]:
    doc = schema.load(path, schema.DEADLINES)
    base = doc["default"]
    default_days = {r: {k: _day(path, ("default", "deadlines", r, k), v) for k, v in kinds.items()}
                    for r, kinds in base["deadlines"].items()}
    optional, source = frozenset(base["texts_optional"]["periods"]), base["texts_optional"]["source"]
    abolished = _abolished(path, ("default", "abolished"), base["abolished"])
    focus = base.get("next_focus")
    focus, focus_source = (frozenset(focus["periods"]), focus["source"]) if focus else (NEXT_FOCUS, "")
    out = {DEFAULT: Calendar(DEFAULT, base["name"], base["source"], _frozen(default_days), MappingProxyType({}),
                             optional, source, path, abolished, focus, focus_source)}
    origin = {DEFAULT: {(r, k): ("default", "deadlines", r, k) for r in default_days for k in default_days[r]}}
    for code, prov in (doc.get("provinces") or {}).items():
        code = str(code)
        if not _PROVINCE.fullmatch(code):
            raise UserError(f"{_where(path, ('provinces', code))}: cần mã tỉnh hai chữ số theo danh mục "
                            "(ví dụ \"38\"), đặt trong dấu nháy kép.")
        days = {r: dict(kinds) for r, kinds in default_days.items()}
        where = dict(origin[DEFAULT])
        for r, kinds in (prov.get("deadlines") or {}).items():
            for k, v in kinds.items():
                keys = ("provinces", code, "deadlines", r, k)
                days[r][k] = _day(path, keys, v)
                where[(r, k)] = keys
        windows = {}
        for k, w in (prov.get("windows") or {}).items():
            keys = ("provinces", code, "windows", k)
            first, last = (_day(path, keys + (end,), w[end], (-1, 0, 1)) for end in ("from", "to"))
            if first.on(2023) >= last.on(2023):
                raise UserError(f"{_where(path, keys + ('to',))}: ngày cuối khoảng số liệu ({last}) phải sau ngày "
                                f"đầu ({first}).")
            windows[k] = (first, last)
        texts = prov.get("texts_optional")
        optional_p, source_p = (frozenset(texts["periods"]), texts["source"]) if texts else (optional, source)
        own = prov.get("abolished")
        ahead = prov.get("next_focus")
        out[code] = Calendar(code, prov["name"], prov["source"], _frozen(days), MappingProxyType(windows),
                             optional_p, source_p, path,
                             _abolished(path, ("provinces", code, "abolished"), own) if own else abolished,
                             frozenset(ahead["periods"]) if ahead else focus, ahead["source"] if ahead else focus_source)
        origin[code] = where
    for code, cal in out.items():
        _check_chain(cal, origin[code], path)
    return out


def _abolished(path: Path, keys: tuple[str, ...], d: dict) -> AbolishedPart:
    """The ``abolished`` block: real dates, a commune due before its district, and none due after 30/06/2025
    when the districts themselves send it (they no longer exist after)."""
    days = {}
    for route, text in (d.get("deadlines") or {}).items():
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", str(text).strip())
        try:
            day = date(int(m[3]), int(m[2]), int(m[1])) if m else None
        except ValueError:
            day = None
        if day is None:
            raise UserError(f"{_where(path, keys + ('deadlines', route))}: cần một ngày dạng ngày/tháng/năm có thật "
                            f"(ví dụ \"30/06/2025\"), không phải «{text}».")
        if day < FIRST_PART_DAY:
            raise UserError(f"{_where(path, keys + ('deadlines', route))}: hạn nộp phần trước 01/7/2025 "
                            f"({day:%d/%m/%Y}) không thể trước ngày {FIRST_PART_DAY:%d/%m/%Y} (ngày đầu khoảng số "
                            "liệu quý III năm 2025).")
        days[route] = day
    if d["sender"] == "district":
        for route in ("commune->district", "district->province"):
            day = days.get(route)
            if day is None or day > LAST_DISTRICT_DAY:
                raise UserError(f"{_where(path, keys + ('deadlines', route))}: các huyện kết thúc hoạt động ngày "
                                f"{LAST_DISTRICT_DAY:%d/%m/%Y}; khi huyện gửi phần trước 01/7/2025 (sender: district), "
                                f"hạn nộp {ROUTE_NAMES[route].lower()} phải ghi rõ và không sau ngày đó.")
    low, high = days.get("commune->district"), days.get("district->province")
    if low and high and low >= high:
        raise UserError(f"{_where(path, keys + ('deadlines', 'commune->district'))}: hạn nộp xã gửi huyện "
                        f"({low:%d/%m/%Y}) phải trước hạn nộp huyện gửi tỉnh ({high:%d/%m/%Y}).")
    return AbolishedPart(d["sender"], MappingProxyType(days), d["source"])


def _frozen(days: dict) -> Mapping[str, Mapping[str, Day]]:
    return MappingProxyType({r: MappingProxyType(dict(k)) for r, k in days.items()})


def _check_chain(cal: Calendar, where: dict, path: Path) -> None:
    """A lower level due before the level above, and no report due before its window opens."""
    year = 2023  # any year: the days are checked as they fall in one period year
    for kind in PERIODIC:
        p = Period(year, kind)
        first, _ = cal.window(p)
        for lower in ROUTES:
            low = cal.deadline(p, lower)
            if low is None:
                continue
            if low <= first:
                raise UserError(f"{_where(path, where[(lower, kind)])}: hạn nộp {ROUTE_NAMES[lower].lower()} kỳ "
                                f"{KIND_NAMES[kind]} ({cal.deadlines[lower][kind]}) phải sau ngày đầu khoảng số liệu "
                                f"của kỳ ({first:%d/%m}{'' if first.year == year else ' năm trước'}).")
            middle = lower.split("->")[1]
            for upper in ROUTES:
                high = cal.deadline(p, upper) if upper.startswith(middle + "->") else None
                if high is not None and low >= high:
                    keys = where[(lower, kind)] if where[(lower, kind)][0] == "provinces" or \
                        where[(upper, kind)][0] != "provinces" else where[(upper, kind)]
                    raise UserError(
                        f"{_where(path, keys)}: hạn nộp {ROUTE_NAMES[lower].lower()} kỳ {KIND_NAMES[kind]} "
                        f"({cal.deadlines[lower][kind]}) phải trước hạn nộp {ROUTE_NAMES[upper].lower()} "
                        f"({cal.deadlines[upper][kind]}): cấp dưới nộp trước để cấp trên kịp tổng hợp"
                        + (f" ({cal.name})" if cal.province else "") + ".")


@lru_cache(maxsize=None)
def _load(path: Path) -> dict[str, Calendar]:
    return _calendars(path)


_BY_TEMPLATES: dict[Path, dict[str, Calendar]] = {}  # templates folder -> its calendars (asked for ten times a file)


def calendars() -> dict[str, Calendar]:
    """Every calendar of the templates' deadlines.yaml by province code ('' the default), checked."""
    base = templates_dir()
    found = _BY_TEMPLATES.get(base)
    if found is None:
        found = _BY_TEMPLATES[base] = _load(base / "deadlines.yaml")
    return found


def calendar(province: str | None = None) -> Calendar:
    """The calendar of a province (by its code), or the default one when it has none of its own."""
    found = calendars()
    return found.get(str(province or ""), found[DEFAULT])


def calendar_of(unit, reg) -> Calendar:
    """The calendar of the province a unit lies in (a province is its own)."""
    return calendar(reg.province(unit).code) if unit is not None else calendar()


def figures_date(period: Period, unit_code: str, own: bool, era: str | None = None) -> date | None:
    """The day a report's figures run to when the data it is made of are due before its window ends:
    the deadline of the units the figures come from (the unit itself for its own report, else the lowest
    level below it, whose files every roll-up above adds up). None when that deadline falls after the
    window's last day (the figures cover the window) or is not known (a thematic report's). ``era``: the
    part of a period straddling the 2025 reform (its window)."""
    reg = for_period(period, era)
    unit = reg.get(unit_code)
    if unit is None:
        return None
    lowest = unit
    while not own and reg.children(lowest.code):
        lowest = reg.children(lowest.code)[0]
    parent = reg.parent(lowest)
    if parent is None:
        return None
    cal = calendar_of(unit, reg)
    due = cal.deadline(period, f"{lowest.level}->{parent.level}")
    first, last = cal.window(period, era)
    return due if due is not None and first <= due < last else None


def route_of(unit, reg) -> str | None:
    """The route a unit's own files travel up: 'commune->district', 'department->province' for a declared
    body; None at the top (a province's own files, the country's)."""
    parent = reg.parent(unit) if unit is not None else None
    return f"{unit.level}->{parent.level}" if parent is not None else None


def route_day(cal: Calendar, period: Period, route: str | None, era: str | None = None) -> date:
    """The day the figures of a route's reports run to by the calendar: the route's deadline when it falls
    inside the window (of the part ``era`` of a straddling period), else the window's last day."""
    first, last = cal.window(period, era)
    due = cal.deadline(period, route) if route else None
    return due if due is not None and first <= due < last else last


def file_day(window: tuple[date, date], calendar_day: date, prepared: date | None, last_row: date | None) -> date:
    """The day one file's figures run to: the calendar's day (``route_day``), or the file's "Ngày lập" when it
    was prepared before that day (nothing after it can be in the file), moved on to its last dated row when
    a row lies after it (the row is in the figures: they run to it). Always inside the window."""
    first, last = window
    day = min(calendar_day, last)
    if prepared is not None and first <= prepared < day:
        day = prepared
    if last_row is not None and day < last_row <= last:
        day = last_row
    return day


@dataclass(frozen=True)
class RouteDeadline:
    route: str  # 'commune->district'
    name: str  # 'Xã gửi huyện'
    due: date | None  # None: the date the request names (a thematic or ad-hoc report)
    figures_to: date | None  # when the data are due before the window ends: the day the figures run to
    figures_route: str  # the route whose deadline that is: this one, or the lowest below it (a roll-up's)
    figures_name: str  # its name ('Xã gửi huyện')
    part: str = ""  # the part of a period straddling the 2025 reform it reports ('phần trước 01/7/2025')
    sender: str = ""  # who sends the part before 1/7/2025, the districts being gone, and why (the calendar's)


def _lowest_route(route: str, era: str) -> str:
    """The route of the units whose files a route's report adds up: 'commune->district' under
    'district->province' (a district's roll-up is its communes' figures), the route itself otherwise."""
    sender = route.split("->")[0]
    below = [r for r in ERA_ROUTES[era] if r.endswith("->" + sender)]
    return _lowest_route(below[0], era) if below else route


@dataclass(frozen=True)
class PeriodInfo:
    """What `dvcq period` prints: a period's label, data window and deadlines by route."""

    period: Period
    start: date
    end: date
    window_source: str  # 'Nghị định 09/2019/NĐ-CP', the province's calendar, or the request
    calendar: str  # the calendar's name
    calendar_source: str
    parent: str  # 'Huyện Như Thanh (403)' when asked for a unit, else ''
    routes: tuple[RouteDeadline, ...]
    texts_required: bool
    texts_source: str
    parts: tuple = ()  # a period straddling the 2025 reform: (label, first day, last day) of each part
    title: str = ""  # the report's subject line (Calendar.subject)
    next_label: str = ""  # the next period, 'kỳ tới' ('' after a thematic or ad-hoc report)
    names_next: bool = False  # whether the title names it (next_focus)
    focus_source: str = ""  # the source of next_focus
    partial: bool = False  # the unit reports a part of a period straddling the 2025 reform


def describe(period: Period | str, parent: str | None = None) -> PeriodInfo:
    """`dvcq period P [--parent CODE]`: the label, data window and deadlines of a period, from the
    calendar of the parent's province (the default one without a parent). With a parent, the routes
    into it and its own route up; without, every route of the period's era. A period that straddles
    the 2025 reform has its two parts, and the routes of the three-tier era for the part before 1/7/2025
    (a district's own, or a province's from its districts)."""
    p = parse(period) if isinstance(period, str) else period
    unit, era, days, partial = None, p.era, None, False
    before = tuple(r for r in ERA_ROUTES["legacy"] if r not in ERA_ROUTES[era]) if p.straddles else ()
    routes = before + ERA_ROUTES[era]  # the part before 1/7/2025 first
    if parent:
        era = era_of(p, parent)
        reg = for_period(p, era)
        unit = reg.require(parent)
        days = unit_part(p, unit)  # a district's part of a period straddling the reform
        partial = days.partial
        up = reg.parent(unit)
        mine = [r for r in routes if r.endswith("->" + unit.level)]
        if up is not None:
            mine += [r for r in routes if r == f"{unit.level}->{up.level}"]
        routes = tuple(mine)
        cal = calendar_of(unit, reg)
    else:
        cal = calendar()
    first, last = cal.window(p)
    if p.windowed:
        window_source = "văn bản yêu cầu báo cáo"
    elif cal.own_window(p):
        window_source = f"{cal.name} ({cal.source})"
    else:
        window_source = "Nghị định 09/2019/NĐ-CP"
    rows = []
    for r in routes:
        part = _route_part(p, r)
        source = _lowest_route(r, part or p.era)
        figures = cal.deadline(p, source)
        start, end = cal.window(p, part)
        who = (f"{cal.abolished.who} ({cal.abolished.source})"  # the part's sender to the province
               if part == "legacy" and r == "district->province" and cal.abolished is not None and not p.windowed
               else "")
        rows.append(RouteDeadline(r, ROUTE_NAMES[r], cal.deadline(p, r),
                                  figures if figures is not None and start <= figures < end else None, source,
                                  ROUTE_NAMES[source], p.part(part).label if part else "", who))
    parts = tuple((x.label, *cal.window(p, x.era)) for x in p.parts) if p.straddles else ()
    return PeriodInfo(p, first, last, window_source, cal.name, cal.source,
                      f"{unit.name} ({unit.code})" if unit else "", tuple(rows), cal.texts_required(p),
                      cal.texts_source, parts, cal.subject(p, days), p.next_label if p.following() else "",
                      cal.names_next(p) and not partial, cal.focus_source, partial)


def _route_part(p: Period, route: str) -> str | None:
    """The era of the part a route reports of a period that straddles the reform: the three-tier routes
    the part before 1/7/2025, the communes' to the province the rest; None for the whole window (the
    bodies', or any route of a period on one side)."""
    if not p.straddles or route == "department->province":
        return None
    return "2025" if route in ERA_ROUTES["2025"] else "legacy"
