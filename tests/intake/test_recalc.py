"""A spreadsheet engine (LibreOffice) recomputes the in-sheet formulas; they must agree with dvcq."""
from __future__ import annotations

from datetime import timedelta

import pytest
from dvcq.forms import spec
from dvcq.forms.spec import has_formula
from dvcq.intake.validate import validate_file

from tests.support import corpus
from tests.support.office import convert

REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")




# The four log rows below counted by hand (corpus.log_rows plus a second visit of case VV24-002 by another
# citizen with 12 people; all four "Tiếp thường xuyên"; rows 2 and 4 are marked đoàn đông người):
#   1. VV24-001 Kiến nghị, phản ánh, 1 người, thuộc thẩm quyền, thụ lý, đã giải quyết
#   2. VV24-002 Khiếu nại, 6 người, thuộc thẩm quyền, thụ lý, đang giải quyết (no complaint resolved)
#   3. VV24-003 Tố cáo, 1 người, không thuộc thẩm quyền, chuyển đơn
#   4. VV24-002 Khiếu nại, 12 người, thuộc thẩm quyền, a week later: trả lại đơn và hướng dẫn (told the progress)
# So 4 visits, 3 cases; VV24-002 has two visits (nhiều lần), the other two one (lần đầu).
ZERO = {f"{g}_{m}": 0 for g in ("tt", "uq") for m in ("luot", "nguoi", "vv_dau", "vv_nhieu", "doan", "doan_nguoi",
                                                    "doan_dau", "doan_nhieu", "ky")}
LOG_BY_HAND = {
    **ZERO, "luot_tiep": 4, "so_nguoi": 20, "vu_viec": 3, "doan_dong_nguoi": 2, "nguoi_doan_dong": 18,
    "tx_luot": 4, "tx_nguoi": 20, "tx_vv_dau": 2, "tx_vv_nhieu": 1, "tx_doan": 2, "tx_doan_nguoi": 18,
    "tx_doan_dau": 0, "tx_doan_nhieu": 1, "lan_dau": 2, "nhieu_lan": 1, "khieu_nai": 2, "to_cao": 1, "kien_nghi": 1,
    "vv_khieu_nai": 1, "vv_to_cao": 1, "vv_kien_nghi": 1, "thuoc_tham_quyen": 2, "tq_khieu_nai": 1, "tq_to_cao": 0,
    "tq_kien_nghi": 1, "da_giai_quyet": 1, "kn_da_giai_quyet": 0, "ty_le_giai_quyet": 1 / 2, "huong_dan": 1, "chuyen_don": 1,
    "chuyen_huong_dan": 1,
}


def test_log_summary_formulas_and_dvcq_both_compute_the_hand_count(tmp_path, soffice):
    rows = corpus.log_rows()
    again = {k: v for k, v in rows[1].items() if k not in ("thu_ly", "ngay_thu_ly")}
    rows.append(dict(again, stt=4, ho_ten="Đỗ Thị Lan", so_giay_to="038199000444", so_nguoi=12, tra_lai="x",
                     ket_qua="Đã hướng dẫn, chuyển đơn", ngay_tiep=rows[1]["ngay_tiep"] + timedelta(days=7)))
    src = corpus.write_log(tmp_path / "in", rows)
    assert {m.code for m in LOG.measures} == set(LOG_BY_HAND), "a measure was added: count it by hand here"
    dvcq = validate_file(src).summary.measures
    assert dvcq == pytest.approx(LOG_BY_HAND)
    out = convert(soffice, src, "xlsx", tmp_path / "out", recalc=True)
    summary = [s for s in LOG.sheets if s.kind == "summary"][0]
    grid = corpus.raw_grid(out, summary.name)
    for i, m in enumerate(LOG.measures):
        got = grid[summary.first_row - 1 + i][4]
        if has_formula(LOG, m):
            assert got == pytest.approx(LOG_BY_HAND[m.code]), m.code
        else:  # counted by case: dvcq computes it when it checks the file
            assert got == "Tính khi kiểm tra", m.code


def test_report_ratios_and_check_cells_compute_in_the_sheet(tmp_path, soffice):
    values = corpus.report_values()
    values["TD08"] = values["TD08"] + 1  # breaks "TD08 + TD09 + TD10 == TD07"
    src = corpus.write_report(tmp_path / "in", values)
    out = convert(soffice, src, "xlsx", tmp_path / "out", recalc=True)
    main = REPORT.main
    grid = corpus.raw_grid(out, main.name)
    check_col = main.column_of("check")
    for ind in REPORT.indicators:
        if ind.kind == "ratio":
            num = sum(values[c] for c in ind.numerator)
            den = sum(values[c] for c in ind.denominator)
            got = corpus.raw_cell(grid, main.indicator_cell(ind.code))
            assert got == (pytest.approx(num / den) if den else ""), ind.code
    failing = {r.target for r in main.checks if r.expr.evaluate(values.get) is False}
    assert failing == {"TD07"}
    for rule in main.checks:
        got = grid[main.indicator(rule.target).row - 1][check_col - 1]
        assert got == ("Sai" if rule.target in failing else "Đúng"), rule.id
