"""Reporting periods (Nghị định 09/2019/NĐ-CP data cut-off): codes, labels and data windows.

Codes of the periodic reports: ``YYYY-Q1``..``YYYY-Q4`` (quý), ``YYYY-H1`` (6 tháng đầu năm),
``YYYY-H2`` (6 tháng cuối năm), ``YYYY-9M`` (9 tháng), ``YYYY-Y`` (năm). Thematic (chuyên đề) and
ad-hoc (đột xuất) reports have the window the request names: ``YYYY-CD:DD/MM/YYYY-DD/MM/YYYY`` and
``YYYY-DX:DD/MM/YYYY-DD/MM/YYYY``, YYYY being the year of the window's last day; in file names, where
``:`` and ``/`` cannot go, ``YYYY-CD-YYYYMMDD-YYYYMMDD`` (``Period.slug``), which parses too.

Every code has one label and every label one code: "6 tháng cuối năm 2024" is 2024-H2 and "6 tháng
đầu năm 2024" (or "6 tháng năm 2024", the usual name of the mid-year review) 2024-H1.
The period also chooses the era of the unit registry: periods ending before 1 July 2025 use the
three-tier structure (province, district, commune), later ones the two-tier one. A period whose window
holds both 30/6/2025 and 1/7/2025 (2025-Q3, 2025-9M, 2025-Y, 2025-H2 and such thematic windows)
*straddles* the reform: it has two parts (``Period.parts``), the days before 1/7/2025 reported in the
three-tier structure and the rest in the two-tier one. Deadlines, and a province's own windows, are in
dvcq.calendar.deadlines (templates/deadlines.yaml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dvcq.errors import UserError
from dvcq.text import fold

REFORM_DATE = date(2025, 7, 1)
LAST_LEGACY_DAY = REFORM_DATE - timedelta(days=1)  # 30/6/2025, the three-tier structure's last day
ERAS = ("legacy", "2025")
PART_LABEL = {"legacy": "phần trước 01/7/2025", "2025": "phần từ 01/7/2025"}
PERIODIC = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "Y")
WINDOWED = ("CD", "DX")  # chuyên đề, đột xuất: the window is part of the code
KINDS = PERIODIC + WINDOWED
_ROMAN = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}
# Nghị định 09/2019, Điều 12: data from the 15th of the month before the period to the 14th of its last month
_FIRST_MONTH = {"Q1": 12, "Q2": 3, "Q3": 6, "Q4": 9, "H1": 12, "H2": 6, "9M": 12, "Y": 12}  # 12: of the year before
_LAST_MONTH = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "H1": 6, "H2": 12, "9M": 9, "Y": 12}
KIND_NAMES = {"CD": "Chuyên đề", "DX": "Đột xuất"}
_HELP = ("Dùng mã dạng 2024-Q1..Q4 (quý), 2024-H1 (6 tháng đầu năm), 2024-H2 (6 tháng cuối năm), "
         "2024-9M (9 tháng), 2024-Y (năm), hoặc báo cáo chuyên đề, đột xuất với khoảng số liệu: "
         "2024-CD:15/03/2024-30/09/2024, 2024-DX:01/08/2024-31/08/2024.")


@dataclass(frozen=True)
class Period:
    year: int
    kind: str
    window: tuple[date, date] | None = None  # the named window of a thematic or ad-hoc report

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(self.kind)
        if (self.kind in WINDOWED) != (self.window is not None):
            raise ValueError(f"{self.kind}: a window is given exactly for {', '.join(WINDOWED)}")

    @property
    def windowed(self) -> bool:
        """A thematic or ad-hoc report, whose window the request names."""
        return self.window is not None

    @property
    def code(self) -> str:
        if self.window:
            a, b = self.window
            return f"{self.year}-{self.kind}:{a:%d/%m/%Y}-{b:%d/%m/%Y}"
        return f"{self.year}-{self.kind}"

    @property
    def slug(self) -> str:
        """The code as it can go into a file name: '2024-H1', '2024-CD-20240315-20240930'."""
        if self.window:
            a, b = self.window
            return f"{self.year}-{self.kind}-{a:%Y%m%d}-{b:%Y%m%d}"
        return self.code

    @property
    def start(self) -> date:
        if self.window:
            return self.window[0]
        month = _FIRST_MONTH[self.kind]
        return date(self.year - 1 if month == 12 else self.year, month, 15)

    @property
    def end(self) -> date:
        if self.window:
            return self.window[1]
        return date(self.year, _LAST_MONTH[self.kind], 14)

    @property
    def label(self) -> str:
        if self.window:
            a, b = self.window
            return f"{KIND_NAMES[self.kind]} từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}"
        if self.kind in _ROMAN:
            return f"Quý {_ROMAN[self.kind]} năm {self.year}"
        return {"H1": f"6 tháng đầu năm {self.year}", "H2": f"6 tháng cuối năm {self.year}",
                "9M": f"9 tháng năm {self.year}", "Y": f"Năm {self.year}"}[self.kind]

    @property
    def title(self) -> str:
        """The report's subject line: 'Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2024';
        a thematic or ad-hoc report says so, with its window."""
        if self.window:
            a, b = self.window
            return (f"Kết quả thực hiện công tác dân vận chính quyền (báo cáo {KIND_NAMES[self.kind].lower()}, "
                    f"số liệu từ ngày {a:%d/%m/%Y} đến ngày {b:%d/%m/%Y})")
        return f"Kết quả thực hiện công tác dân vận chính quyền {self.running_label}"

    def title_ahead(self) -> str:
        """The subject line naming the next period's focus, as offices title 6-month, 9-month and annual reports:
        'Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối năm
        2024' (the year said once when both periods are in it); ``title`` for a thematic or ad-hoc report."""
        after = self.following()
        if after is None:
            return self.title
        now = self.running_label
        if after.year == self.year:  # "6 tháng đầu năm", "9 tháng đầu năm", "quý I"
            now = f"{now.split(' tháng')[0]} tháng đầu năm" if self.kind in ("H1", "9M") \
                else now.removesuffix(f" năm {self.year}")
        return f"Kết quả thực hiện công tác dân vận chính quyền {now}, phương hướng, nhiệm vụ {after.running_label}"

    @property
    def running_label(self) -> str:
        """The label inside a sentence: 'quý II năm 2024', '6 tháng cuối năm 2024', 'năm 2024'."""
        return self.label[0].lower() + self.label[1:]

    @property
    def era(self) -> str:
        """'legacy' (three tiers) for periods ending before 1/7/2025, else '2025' (two tiers)."""
        return "legacy" if self.end < REFORM_DATE else "2025"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def straddles(self) -> bool:
        """Whether the window holds days on both sides of the 2025 reform (30/6/2025 and 1/7/2025)."""
        return self.start < REFORM_DATE <= self.end

    @property
    def parts(self) -> tuple["Part", ...]:
        """The part before 1/7/2025 (three-tier) and the part from it (two-tier) of a period that
        straddles the reform; the whole period as its one part otherwise."""
        return tuple(self.part(era) for era in (ERAS if self.straddles else (self.era,)))

    def part(self, era: str | None) -> "Part":
        """The days of the period reported in a registry era; the whole window for None, or for a period
        that does not straddle the reform."""
        return Part(self, era or self.era, *clip(self.start, self.end, era if self.straddles else None))

    @property
    def next_label(self) -> str:
        """What "kỳ tới" is for the tasks ahead: '6 tháng cuối năm 2024' after 2024-H1, 'Quý IV năm 2024'
        after 9 months, '6 tháng đầu năm 2025' after 2024-H2, 'Năm 2025' after 2024, the next quarter after
        a quarter, 'thời gian tới' after a thematic or ad-hoc report."""
        after = self.following()
        return after.label if after else "thời gian tới"

    def following(self) -> "Period | None":
        """The period "kỳ tới" names (``next_label``); None after a thematic or ad-hoc report."""
        if self.window:
            return None
        if self.kind == "H1":
            return Period(self.year, "H2")
        if self.kind == "H2":
            return Period(self.year + 1, "H1")
        if self.kind == "9M":
            return Period(self.year, "Q4")
        if self.kind == "Y":
            return Period(self.year + 1, "Y")
        n = PERIODIC.index(self.kind)
        return Period(self.year, PERIODIC[n + 1]) if n < 3 else Period(self.year + 1, "Q1")

    def previous_year(self) -> "Period":
        """The same period one year earlier ("cùng kỳ năm trước"); a named window moves back a year."""
        if self.window:
            return Period(self.year - 1, self.kind, tuple(_year_earlier(d) for d in self.window))
        return Period(self.year - 1, self.kind)

    def __str__(self) -> str:
        return self.code


def clip(first: date, last: date, era: str | None) -> tuple[date, date]:
    """A data window clipped to the days of an era: to 30/6/2025 for 'legacy', from 1/7/2025 for '2025';
    unchanged for None (a period that does not straddle the reform)."""
    if era == "legacy":
        return first, min(last, LAST_LEGACY_DAY)
    if era == "2025":
        return max(first, REFORM_DATE), last
    return first, last


@dataclass(frozen=True)
class Part:
    """The days of a period reported in one registry era: both parts of a period that straddles the
    reform, or the whole of any other period."""
    period: Period
    era: str  # 'legacy' (three tiers) or '2025' (two tiers)
    start: date
    end: date

    @property
    def partial(self) -> bool:
        """Whether this is one of the two parts of a straddling period (not the whole period)."""
        return (self.start, self.end) != (self.period.start, self.period.end)

    @property
    def label(self) -> str:
        """'phần trước 01/7/2025', 'phần từ 01/7/2025'; '' for the whole of a period."""
        return PART_LABEL[self.era] if self.partial else ""

    @property
    def span(self) -> str:
        """'từ 15/12/2024 đến 30/06/2025'."""
        return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    @property
    def name(self) -> str:
        """'9 tháng năm 2025, phần trước 01/7/2025', or the period's label for the whole of a period."""
        return f"{self.period.label}, {self.label}" if self.partial else self.period.label


def _year_earlier(d: date) -> date:
    return d.replace(year=d.year - 1) if (d.month, d.day) != (2, 29) else date(d.year - 1, 2, 28)


_PERIODIC_CODE = re.compile(r"(\d{4})-(Q[1-4]|H[12]|9M|Y)")
_DAY = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_WINDOWED_CODE = re.compile(rf"(\d{{4}})-(CD|DX):\s*{_DAY}\s*-\s*{_DAY}")
_WINDOWED_SLUG = re.compile(r"(\d{4})-(CD|DX)-(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})")


def parse(text: str) -> Period:
    """A period from its code ('2024-H1', '2024-CD:15/03/2024-30/09/2024', the file-name form
    '2024-CD-20240315-20240930') or its Vietnamese label ('6 tháng cuối năm 2024')."""
    s = str(text).strip()
    up = s.upper()
    m = _PERIODIC_CODE.fullmatch(up)
    if m:
        return Period(int(m.group(1)), m.group(2))
    m = _WINDOWED_CODE.fullmatch(up)
    if m:
        g = m.groups()
        return windowed(g[1], _day(g[2:5], s), _day(g[5:8], s), int(g[0]), s)
    m = _WINDOWED_SLUG.fullmatch(up)
    if m:
        g = m.groups()
        return windowed(g[1], _day(g[4:1:-1], s), _day(g[7:4:-1], s), int(g[0]), s)
    found = from_label(s)
    if found:
        return found
    raise UserError(f"Kỳ báo cáo không hợp lệ: «{s}». {_HELP}")


def _day(parts, text: str) -> date:
    d, m, y = (int(x) for x in parts)
    try:
        return date(y, m, d)
    except ValueError:
        raise UserError(f"Kỳ báo cáo không hợp lệ: «{text}»: ngày {d:02d}/{m:02d}/{y} không có. {_HELP}") from None


def windowed(kind: str, start: date, end: date, year: int | None = None, text: str | None = None) -> Period:
    """A thematic ('CD') or ad-hoc ('DX') period with its window; ``year``, when written, must be the year
    of the window's last day."""
    shown = text or f"{year or end.year}-{kind}:{start:%d/%m/%Y}-{end:%d/%m/%Y}"
    if end < start:
        raise UserError(f"Kỳ báo cáo không hợp lệ: «{shown}»: ngày cuối {end:%d/%m/%Y} ở trước ngày đầu "
                        f"{start:%d/%m/%Y}.")
    if year is not None and year != end.year:
        raise UserError(f"Kỳ báo cáo không hợp lệ: «{shown}»: năm của mã là năm của ngày cuối khoảng số liệu; "
                        f"dùng {end.year}-{kind}:{start:%d/%m/%Y}-{end:%d/%m/%Y}.")
    return Period(end.year, kind, (start, end))


_PREFIX = r"(?:(?:bao cao|ky bao cao|ky)\s+)?"
_LABELS = (  # on folded text (no diacritics, punctuation as spaces); each names one kind
    (re.compile(_PREFIX + r"quy (iv|iii|ii|i|[1-4])(?: nam)? (\d{4})"), None),
    (re.compile(_PREFIX + r"0?6 thang dau(?: nam)? (\d{4})"), "H1"),
    (re.compile(_PREFIX + r"0?6 thang cuoi(?: nam)? (\d{4})"), "H2"),
    (re.compile(_PREFIX + r"0?6 thang(?: nam)? (\d{4})"), "H1"),  # "6 tháng năm 2024": the mid-year review
    (re.compile(_PREFIX + r"0?9 thang(?: dau)?(?: nam)? (\d{4})"), "9M"),
    (re.compile(_PREFIX + r"(?:ca )?(?:nam )?(\d{4})"), "Y"),
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LABEL_DAY = re.compile(r"\b(\d{1,2}) (\d{1,2}) (\d{4})\b")


def from_label(text: str) -> Period | None:
    """Parse a Vietnamese label, tolerant of case, missing diacritics and punctuation; None when it names
    no period. A label names one kind or none: "chuyên đề"/"đột xuất" with the two days of its window,
    or the whole of a quarter's, a half's ("đầu", "cuối"), nine months' or a year's label."""
    s = fold(text)
    kind = "CD" if "chuyen de" in s else "DX" if "dot xuat" in s else None
    if kind:
        days = _LABEL_DAY.findall(s)
        if len(days) != 2 or ("chuyen de" in s and "dot xuat" in s):
            return None  # a thematic or ad-hoc report without its window is no period
        return windowed(kind, _day(days[0], text), _day(days[1], text))
    for pattern, kind in _LABELS:
        m = pattern.fullmatch(s)
        if m:
            if kind is None:
                q = m.group(1)
                return Period(int(m.group(2)), f"Q{_QUARTERS.get(q) or int(q)}")
            return Period(int(m.group(1)), kind)
    return None


def choices(around: int, back: int = 2, forward: int = 1) -> list[Period]:
    """Every periodic report of the years around a given year (for dropdown lists), year by year."""
    return [Period(y, k) for y in range(around - back, around + forward + 1) for k in PERIODIC]


def period_of_date(d: date, kind: str = "Y") -> Period:
    """The period of a kind that contains a date (a reception on 20/12/2024 is in 2025-Y)."""
    year = d.year + 1 if (d.month, d.day) >= (12, 15) else d.year
    if kind == "Y":
        return Period(year, "Y")
    for y in (year, d.year):
        for k in (kind,) if kind in PERIODIC else ("Q1", "Q2", "Q3", "Q4"):
            p = Period(y, k)
            if p.contains(d):
                return p
    raise ValueError(d)
