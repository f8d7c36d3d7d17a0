"""Text widths, wrapped lines and page breaks, against the fonts' own metrics (PIL on Liberation Serif,
Times New Roman's metric twin) and hand-counted pages."""
from __future__ import annotations

import pytest
from dvcq.forms import printing
from dvcq.forms.textfit import text_points, wrapped_lines

from tests.support import printcheck

TEXTS = ["Tỷ lệ của dòng Tổng cộng tính từ tổng tử số và tổng mẫu số, không lấy bình quân các tỷ lệ",
         "Số hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền (cuộc)",
         "THỦ TRƯỞNG ĐƠN VỊ", "Hướng xử lý: chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền",
         "Phường Đông Hương, Xã Quảng Ưng «1.234,5»"]


@pytest.mark.parametrize("bold,italic", [(False, False), (True, False), (False, True)])
def test_text_width_is_the_fonts_within_two_percent(bold, italic):
    if not printcheck.fonts_available():
        pytest.skip("the Liberation fonts are not installed (fonts-liberation2)")
    pytest.importorskip("PIL")
    for text in TEXTS:
        want = printcheck.text_width(text, "Times New Roman", 11, bold, italic)
        assert text_points(text, 11, bold, italic) == pytest.approx(want, rel=0.02), text


def test_wrapped_lines_match_a_wrap_by_the_fonts_metrics():
    if not printcheck.fonts_available():
        pytest.skip("the Liberation fonts are not installed (fonts-liberation2)")
    pytest.importorskip("PIL")
    for text in TEXTS:
        for width in (60, 120, 200, 400):
            want = printcheck.lines_needed(text, width, "Times New Roman", 11, True, False)
            assert wrapped_lines(text, width, 11, True) == want, (text, width)


def test_a_heading_near_a_page_foot_starts_the_next_page():
    page = printing.Page(landscape=True)  # 508.6 points of rows at 100 %, 95 % of it used
    room = page.rows_room
    per_page = int(room // 20)
    heights = {r: 20.0 for r in range(200)}
    plain = printing.row_breaks(heights, 0, 99, page)
    assert plain[0] == per_page  # a page holds what fits
    heading = per_page - 1  # would be the last row of the first page
    kept = printing.row_breaks(heights, 0, 99, page, keep={heading: 2})
    assert kept[0] == heading  # it starts the second page with its rows
    repeated = printing.row_breaks(heights, 0, 99, page, repeated=40.0)
    assert repeated[1] - repeated[0] == int((room - 40) // 20)  # later pages hold the repeated titles too


def test_a_wide_table_is_split_into_pages_that_each_fit():
    widths = [5, 9, 26] + [8] * 69
    scale, starts = printing.column_pages(widths, 3)
    assert 75 <= scale <= 100 and starts
    bounds = [3] + starts + [len(widths)]
    room = printing.Page(True).width
    for a, b in zip(bounds, bounds[1:]):
        assert printing.table_points(widths[:3] + widths[a:b]) * scale / 100 <= room
