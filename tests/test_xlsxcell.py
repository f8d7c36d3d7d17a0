"""tests/support/xlsxcell.type_over (corpus.type_over): a typed cell reads back as openpyxl reads what Excel saved,
the cell's style kept, every other part of the file byte for byte; in a file openpyxl saved (inline strings) too."""
from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from dvcq.forms import spec
from openpyxl import load_workbook

from tests.support import corpus

LOG = spec.load_form("so-tiep-cong-dan").main


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _cell(field: str, i: int = 0) -> str:
    return f"{spec.col_letter(LOG.col(field))}{LOG.first_row + i}"


@pytest.mark.parametrize("resaved", [False, True])
def test_typed_values_read_back_as_typed_and_nothing_else_changes(tmp_path, resaved):
    path = corpus.write_log(tmp_path)
    if resaved:  # openpyxl's layout: inline strings, absolute targets, no spans
        load_workbook(path).save(path)
    before = _parts(path)
    styles = {ref: load_workbook(path)[LOG.name][ref].style_id for ref in (_cell("ngay_tiep"), _cell("so_nguoi"))}
    far = f"C{LOG.first_row + LOG.max_rows + 3}"  # a row the file does not have
    typed = {_cell("so_nguoi"): 7, _cell("ngay_tiep"): date(2024, 3, 15), _cell("ho_ten", 1): "  Đỗ Thị Ánh & Co ",
             _cell("ket_qua", 2): None, _cell("so_giay_to", 2): "001085000222", far: "Ai đó",
             _cell("phan_loai"): "Khiếu nại"}  # a string the file already holds
    for ref, value in typed.items():
        corpus.type_over(path, LOG.name, ref, value, as_text=isinstance(value, str))
    ws = load_workbook(path)[LOG.name]
    for ref, value in typed.items():
        got = ws[ref].value
        assert got == (datetime.combine(value, datetime.min.time()) if isinstance(value, date) else value), ref
    assert ws[_cell("so_giay_to", 2)].data_type == "s"  # the ID number stays text
    assert {ref: ws[ref].style_id for ref in styles} == styles  # the date shown as a date, by the cell's own style
    assert ws[_cell("ho_ten")].value == corpus.log_rows()[0]["ho_ten"]  # a neighbour untouched
    after = _parts(path)
    sheet = next(n for n in after if after[n] != before[n] and "worksheets" in n)
    assert [n for n in after if after[n] != before[n]] in ([sheet], [sheet, "xl/sharedStrings.xml"],
                                                           ["xl/sharedStrings.xml", sheet])
    assert list(after) == list(before)


def test_a_date_into_a_cell_without_a_style_is_refused(tmp_path):
    path = corpus.write_log(tmp_path)
    with pytest.raises(ValueError, match="no style"):
        corpus.type_over(path, LOG.name, f"AZ{LOG.first_row}", date(2024, 3, 15))
