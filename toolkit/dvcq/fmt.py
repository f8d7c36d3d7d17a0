"""Vietnamese formatting of numbers, percentages, dates and comparisons (babel, locale "vi").

The narrative templates see these as jinja2 filters (dvcq.documents.narrative.FILTERS).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from math import copysign

LOCALE = "vi"


def _round(x, decimals: int) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(x, decimals: int | None = None) -> str:
    """1234 -> '1.234'; 1234.5 -> '1.234,5'; None -> ''. The value rounded half-up to ``decimals`` places is
    written here as babel writes it with the pattern '#,##0.0…' in Vietnamese (groups of three by '.', the decimal
    comma, '-' before a negative): about 5 µs against babel's 75 µs, a report prints a thousand numbers
    (tests/test_fmt.py compares the two); -0 goes to babel."""
    if x is None or x == "":
        return ""
    if decimals is None:
        decimals = 0 if float(x).is_integer() else 1
    rounded = _round(x, decimals)
    if rounded.is_finite() and not (rounded.is_zero() and rounded.is_signed()):
        whole, _, places = f"{abs(rounded):f}".partition(".")
        return ("-" if rounded < 0 else "") + f"{int(whole):,}".replace(",", ".") + (f",{places}" if places else "")
    from babel.numbers import format_decimal  # lazy: babel 0.02 s; validation formats numbers only in messages

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def exact(x) -> str:
    """A number as typed, in Vietnamese notation: 10000000 -> '10.000.000', 2.75 -> '2,75'. A whole number, 0
    included, is grouped here (what babel gives, without loading its locale data in each worker: 20-50 ms, and
    about 60 µs a call after: a form's every numeric cell says 'từ 0 đến ...' twice); others by babel."""
    f = float(x)
    if f.is_integer() and (f or copysign(1.0, f) > 0):  # -0.0: babel's '-0'
        # past 2**53 a float holds no more digits than its repr shows (1e20 as typed, not 100000000000000000000 by
        # chance of binary): babel raised InvalidOperation on those, and a cell of 1e20 made its file "corrupt"
        digits = int(f) if abs(f) < 2**53 else int(Decimal(repr(f)))
        return f"{digits:,}".replace(",", ".")
    from babel.numbers import format_decimal  # lazy: babel 0.02 s; validation formats numbers only in messages

    return format_decimal(Decimal(repr(f)).normalize(), format="#,##0.##########", locale=LOCALE)


def field_value(x, field_type: str) -> str:
    """A value of a typed field for a message: a year as 2025, any other number as ``exact``."""
    return str(int(x)) if field_type == "year" else exact(x)


def whole(x: float) -> bool:
    """Whether a number is a whole number, up to the noise of binary fractions (0.57 * 100 is 57)."""
    return abs(x - round(x)) < 1e-9


def percent(x, decimals: int = 1) -> str:
    """0.8333 -> '83,3%' (half-up rounding, no space before %), as running text writes a percentage
    (``percent_text``): never a trailing ',0' (1.0104 -> '101%', 0.5 -> '50%')."""
    if x is None or x == "":
        return ""
    return percent_text(float(x) * 100, decimals)


def percent_text(pct: float, decimals: int = 1) -> str:
    """A percentage (already times 100) in running text: ``decimals`` places rounded half-up, without trailing zeros
    ('101%', not '101,0%'; '83,3%'). A value that is not 0 or 100 yet rounds to it gets the places that tell it
    apart (up to 4): 99.996 -> '99,996%', 0.04 -> '0,04%', never '100%' for a target missed or '0%' for some."""
    if whole(pct):
        return number(round(pct), 0) + "%"
    shown = _round(pct, decimals)
    if shown in (0, 100):
        for places in range(decimals + 1, 5):
            finer = _round(pct, places)
            if finer not in (0, 100):
                return number(finer, _places(finer)) + "%"
        return number(shown, decimals) + "%"  # '100,0%': it only rounds so
    return number(shown, _places(shown)) + "%"


def _places(d: Decimal) -> int:
    """The decimal places a rounded value needs without its trailing zeros."""
    return max(0, -d.normalize().as_tuple().exponent)


def date_long(d) -> str:
    """'ngày 15 tháng 6 năm 2024'."""
    if isinstance(d, datetime):
        d = d.date()
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


BLANK = " " * 6  # room for the day and month written by hand at signing


def date_line(place: str, d: date | None, year: int | None = None) -> str:
    """Place-date line of Nghị định 30/2020: day below 10 and months 1-2 zero-padded; without a date
    the day and month left blank: 'Như Thanh, ngày      tháng      năm 2026'."""
    if d is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def _stamp(d, pattern: str) -> str:
    """A date or datetime (or its ISO text) in ``pattern``; '' for none."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = datetime.fromisoformat(d)
    return d.strftime(pattern)


def date_short(d) -> str:
    """'2024-06-13' (or a date) -> '13/06/2024'; '' for none."""
    return _stamp(d, "%d/%m/%Y")


def moment(d) -> str:
    """'2024-06-13T09:32:00' (or a datetime) -> '13/06/2024 09:32'; '' for none."""
    return _stamp(d, "%d/%m/%Y %H:%M")


def change(current, previous, unit: str = "", year: int | None = None, inner: bool = False,
           annual: bool = False) -> str:
    """'tăng 5 vụ (12,5%) so với cùng kỳ năm 2023', 'giảm 3 vụ ...', 'bằng cùng kỳ'; '' without history.
    ``inner``: for use inside brackets, without nested ones: 'tăng 5 vụ, tương ứng 12,5%, so với ...'.
    ``annual``: an annual report compares with the previous year: 'so với năm 2023'."""
    if previous is None or current is None:
        return ""
    ref = against(year, annual)
    diff = current - previous
    if diff == 0:
        return f"bằng {ref}"
    word = "tăng" if diff > 0 else "giảm"
    amount = number(abs(diff)) + (f" {unit}" if unit else "")
    if previous:
        pct = percent(abs(diff) / previous)
        return f"{word} {amount}, tương ứng {pct}, so với {ref}" if inner else f"{word} {amount} ({pct}) so với {ref}"
    return f"{word} {amount} so với {ref}"


def against(year: int | None = None, annual: bool = False) -> str:
    """What a figure is compared with: 'cùng kỳ năm 2023', 'cùng kỳ'; an annual report's 'năm 2023' (the year
    before as a whole, as such reports write it)."""
    if annual and year:
        return f"năm {year}"
    return f"cùng kỳ năm {year}" if year else "cùng kỳ"


def change_then(current, previous, unit: str = "", points: bool = False, ref: str = "cùng kỳ") -> str:
    """The change as reports write it before last year's figure in brackets: 'tăng 146 lượt so với cùng kỳ',
    'giảm 2,5 điểm phần trăm so với cùng kỳ' (``points``: a rate), 'bằng cùng kỳ'; ``ref`` what it is compared
    with ('năm 2023' in an annual report)."""
    diff = round((current - previous) * 100, 1) if points else current - previous
    if diff == 0:
        return f"bằng {ref}"
    amount = f"{number(abs(diff))} điểm phần trăm" if points else number(abs(diff)) + (f" {unit}" if unit else "")
    return f"{'tăng' if diff > 0 else 'giảm'} {amount} so với {ref}"


def change_points(current, previous, year: int | None = None, annual: bool = False) -> str:
    """Change of a rate in percentage points: 'tăng 2,5 điểm phần trăm so với cùng kỳ năm 2023' ('so với năm 2023'
    in an annual report)."""
    if previous is None or current is None:
        return ""
    ref = against(year, annual)
    diff = round((current - previous) * 100, 1)
    if diff == 0:
        return f"bằng {ref}"
    return f"{'tăng' if diff > 0 else 'giảm'} {number(abs(diff))} điểm phần trăm so với {ref}"


def counts_list(pairs) -> str:
    """Non-zero counts as Vietnamese lists them: [(3, "tập thể"), (0, "cá nhân")] -> '3 tập thể';
    [(2, "đơn khiếu nại"), (1, "đơn tố cáo"), (4, "đơn kiến nghị, phản ánh")] ->
    '2 đơn khiếu nại, 1 đơn tố cáo và 4 đơn kiến nghị, phản ánh'; '' when all are zero or missing."""
    return and_list([f"{number(n)} {label}" for n, label in pairs if n])


def and_list(items: list[str]) -> str:
    """Items as Vietnamese lists them: 'A', 'A và B', 'A, B và C' (never '…; và C')."""
    return ", ".join(items[:-1]) + f" và {items[-1]}" if len(items) > 1 else "".join(items)


def amount(x, kind: str, unit: str = "") -> str:
    """A figure or a target with its unit as a sentence writes it: a rate or a score in % as ``percent_text``
    (85,2%; 100%; 101% not 101,0%), a count with its unit (18 lớp)."""
    if x is None or x == "":
        return ""
    if kind == "ratio":
        x = float(x) * 100
    if kind == "ratio" or unit == "%":
        return percent_text(float(x))  # half-up, as percent() rounds: 12,25 -> 12,3 everywhere
    return number(x) + (f" {unit}" if unit else "")


def listing(names, limit: int, noun: str) -> str:
    """Names joined by commas within about ``limit`` characters, the rest counted: "a, b và 37 tệp khác" (never a
    name cut in the middle; a cell holds at most 32,767 characters)."""
    names = list(names)
    shown, size = [], 0
    for i, name in enumerate(names):
        if shown and size + len(name) + 2 > limit:
            return ", ".join(shown) + f" và {number(len(names) - i)} {noun} khác"
        shown.append(name)
        size += len(name) + 2
    return ", ".join(shown)
