"""Vietnamese numbers, percentages, dates and comparisons."""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal
from dvcq import fmt
from dvcq.documents.narrative import FILTERS
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.budget import examples


@pytest.mark.parametrize("x,d,expected", [(1234, None, "1.234"), (1234567, None, "1.234.567"), (0, None, "0"),
                                          (1234.5, None, "1.234,5"), (-45, None, "-45"), (2.25, 1, "2,3"),
                                          (None, None, "")])
def test_number(x, d, expected):
    assert fmt.number(x, d) == expected


def babel_number(x, decimals: int | None) -> str:
    """fmt.number as babel writes it: the value rounded half-up to its places, then format_decimal's '#,##0.0…'
    in Vietnamese (what fmt.number called for every number before it wrote them itself)."""
    if decimals is None:
        decimals = 0 if float(x).is_integer() else 1
    rounded = Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale="vi")


@pytest.mark.parametrize("x", [0, -0.0, 0.0, -0.04, 0.04, 0.05, 0.5, 2.5, -2.5, 999.95, 999.5, 1000, -1000, 1234.5,
                               -1234.56, 12345678.9, 1e15, -1e15, 123456789012, 2 ** 53 + 1, 0.1 + 0.2, 1 / 3,
                               Decimal("1E+3"), Decimal("-0.000"), Decimal("99.995"), 7])
@pytest.mark.parametrize("decimals", [None, 0, 1, 2, 4])
def test_a_number_is_written_as_babel_writes_it(x, decimals):
    assert fmt.number(x, decimals) == babel_number(x, decimals)


@settings(derandomize=True, max_examples=examples(100), deadline=None)  # `make fuzz`: 1,000
@given(st.one_of(st.integers(-10 ** 15, 10 ** 15), st.floats(-1e12, 1e12, allow_nan=False),
                 st.decimals(-10 ** 9, 10 ** 9, allow_nan=False, allow_infinity=False, places=5)),
       st.one_of(st.none(), st.integers(0, 5)))
def test_any_number_is_written_as_babel_writes_it(x, decimals):
    assert fmt.number(x, decimals) == babel_number(x, decimals)


@pytest.mark.parametrize("x,expected", [(0.8333, "83,3%"), (0.83350, "83,4%"), (1, "100%"), (0, "0%"), (0.5, "50%"), (0.57, "57%"), (0.99996, "99,996%"), (1.0104, "101%"), (0.0004, "0,04%"),
                                        (1.0004, "100,04%"), (0.1225, "12,3%")])
def test_percent_rounds_half_up(x, expected):
    assert fmt.percent(x) == expected


def test_a_percentage_in_prose_has_no_trailing_zero():
    """Running text writes 1.234,5 and 83,3% (domain.md): never '101,0%' (the golden report's "bằng 101,0% chỉ
    tiêu", 584/578), nor '5,0 điểm phần trăm'; and a value that is not 0 or 100 never reads as exactly 0 or 100.
    Every fraction n/d for d up to 120 (and 584/578) against its own value computed here."""
    for d in [*range(1, 121), 578]:
        for n in range(0, 2 * d + 1):
            x = n / d
            for shown in (fmt.percent(x), fmt.amount(x, "ratio"), fmt.amount(x * 100, "score", "%")):
                digits = shown[:-1].replace(".", "").replace(",", ".")
                assert not shown.endswith(",0%") and not re.search(r",\d*0%$", shown), (n, d, shown)
                assert abs(float(digits) - x * 100) <= 0.05 + 1e-9, (n, d, shown)
                if float(digits) in (0, 100):
                    assert n in (0, d), (n, d, shown)
    assert fmt.change_points(0.85, 0.8, 2023) == "tăng 5 điểm phần trăm so với cùng kỳ năm 2023"
    assert fmt.change_then(0.9, 0.8, points=True) == "tăng 10 điểm phần trăm so với cùng kỳ"


def test_dates():
    assert fmt.date_long(date(2024, 6, 15)) == "ngày 15 tháng 6 năm 2024"
    assert fmt.date_line("Như Thanh", date(2025, 2, 5)) == "Như Thanh, ngày 05 tháng 02 năm 2025"
    assert fmt.date_line("Như Thanh", date(2024, 11, 20)) == "Như Thanh, ngày 20 tháng 11 năm 2024"
    assert fmt.date_short(date(2024, 6, 5)) == "05/06/2024"


def test_changes():
    assert fmt.change(45, 40, "vụ", 2023) == "tăng 5 vụ (12,5%) so với cùng kỳ năm 2023"
    assert fmt.change(37, 40, "vụ", 2023) == "giảm 3 vụ (7,5%) so với cùng kỳ năm 2023"
    assert fmt.change(40, 40, "vụ", 2023) == "bằng cùng kỳ năm 2023"
    assert fmt.change(3, 0, "vụ", 2023) == "tăng 3 vụ so với cùng kỳ năm 2023"
    assert fmt.change(3, None) == ""
    assert fmt.change(45, 40, "vụ", 2023, inner=True) == "tăng 5 vụ, tương ứng 12,5%, so với cùng kỳ năm 2023"
    assert fmt.counts_list([(3, "tập thể"), (0, "cá nhân")]) == "3 tập thể"
    assert fmt.counts_list([(2, "đơn khiếu nại"), (1, "đơn tố cáo"), (1234, "đơn kiến nghị, phản ánh")]) == \
        "2 đơn khiếu nại, 1 đơn tố cáo và 1.234 đơn kiến nghị, phản ánh"
    assert fmt.counts_list([(0, "tập thể"), (None, "cá nhân")]) == ""
    assert fmt.change_points(0.825, 0.8, 2023) == "tăng 2,5 điểm phần trăm so với cùng kỳ năm 2023"


def test_filters_are_registered():
    import jinja2

    env = jinja2.Environment()
    env.filters.update(FILTERS)
    assert env.from_string("{{ 1234|so }} {{ 0.5|tyle }} {{ '2024-H1'|ky }}").render() == "1.234 50% 6 tháng đầu năm 2024"


@pytest.mark.parametrize("x,expected", [(10_000_000, "10.000.000"), (2.75, "2,75"), (-3, "-3"), (35.0, "35"),
                                        (12345678.5, "12.345.678,5"), (0.1 + 0.2, "0,3"), (0, "0")])
def test_exact_keeps_what_was_typed_in_vietnamese_notation(x, expected):
    assert fmt.exact(x) == expected


def test_exact_groups_whole_numbers_as_babel_does():
    """A whole number is grouped without babel (its locale data costs each worker 20-50 ms): the same text."""
    import random
    from decimal import Decimal

    from babel.numbers import format_decimal

    rng = random.Random(7)
    values = [1, -1, 999, 1000, -1000, 10**6, 2**53 - 1, -(2**53 - 1), 0.0, -0.0, 1e15, 123456.0, -7.0]
    values += [rng.randint(-10**k, 10**k) for k in range(1, 16) for _ in range(20)]
    for x in values:
        want = format_decimal(Decimal(repr(float(x))).normalize(), format="#,##0.##########", locale="vi")
        assert fmt.exact(x) == want, x


def test_a_year_is_never_grouped():
    assert fmt.field_value(2025, "year") == "2025" and fmt.field_value(2025.0, "year") == "2025"
    assert fmt.field_value(2025, "integer") == "2.025"


def test_change_then_as_reports_write_it():
    assert fmt.change_then(866, 1012, "lượt") == "giảm 146 lượt so với cùng kỳ"
    assert fmt.change_then(0.9, 0.875, points=True) == "tăng 2,5 điểm phần trăm so với cùng kỳ"
    assert fmt.change_then(5, 5, "vụ") == "bằng cùng kỳ"


def test_an_annual_report_compares_with_the_previous_year():
    assert fmt.change_then(866, 1012, "lượt", ref=fmt.against(2023, annual=True)) == "giảm 146 lượt so với năm 2023"
    assert fmt.change(10, 6, "cuộc", 2023, annual=True) == "tăng 4 cuộc (66,7%) so với năm 2023"
    assert fmt.change_points(0.9, 0.875, 2023, annual=True) == "tăng 2,5 điểm phần trăm so với năm 2023"
    assert fmt.change(10, 6, "cuộc", 2023) == "tăng 4 cuộc (66,7%) so với cùng kỳ năm 2023"  # not annual: cùng kỳ
