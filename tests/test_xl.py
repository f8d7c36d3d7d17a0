"""The Excel entry points, run against the stand-in Book on a real control workbook."""
from __future__ import annotations


import pytest

from dvcq import xl
from dvcq.consolidate import consolidate_folder
from dvcq.validate import validate_paths
from dvcq.xlsm import CONTROL, RESULTS_ROW, build_control_workbook

from .conftest import SAMPLE
from .xlstub import Book


@pytest.fixture()
def book(tmp_path):
    path = build_control_workbook(tmp_path / "dieu-khien.xlsm")
    b = Book(path)
    b.names["ThuMucNop"].refers_to_range.value = str(SAMPLE)
    b.names["ThuMucKetQua"].refers_to_range.value = str(tmp_path / "ket-qua")
    b.names["NguoiKy"].refers_to_range.value = "Nguyễn Văn A"
    return b


def _table(b):
    ws = b.wb[CONTROL]
    rows = []
    for row in ws.iter_rows(min_row=RESULTS_ROW, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


def test_kiem_tra_writes_what_the_library_returns(book, tmp_path):
    xl.run_kiem_tra(book)
    report = validate_paths([SAMPLE])
    assert book.names["TrangThai"].refers_to_range.value == report.status_line()
    rows = _table(book)
    assert len(rows) - 1 == len(report.problem_rows())
    assert rows[1][0] == report.problem_rows()[0][0]


def test_tong_hop_then_xuat_bao_cao(book, tmp_path):
    xl.run_tong_hop(book)
    rollup = book.names["TepTongHop"].refers_to_range.value
    assert rollup and (tmp_path / "ket-qua").exists()
    direct = consolidate_folder(SAMPLE, out=tmp_path / "direct.xlsx", db=tmp_path / "d.sqlite", workers=1)
    rows = _table(book)
    assert [r[0] for r in rows[1:]] == [r[0] for r in direct.ledger_rows()]
    assert book.names["TrangThai"].refers_to_range.value == direct.status_line()
    xl.run_xuat_bao_cao(book)
    report = book.names["TepBaoCao"].refers_to_range.value
    assert report.endswith(".docx") and "Đã ghi báo cáo" in book.names["TrangThai"].refers_to_range.value
    book.save()


def test_errors_go_to_the_status_cell(book, tmp_path):
    book.names["ThuMucNop"].refers_to_range.value = str(tmp_path / "khong-co")
    xl.run_tong_hop(book)
    assert book.names["TrangThai"].refers_to_range.value.startswith("Lỗi: Không thấy thư mục")
    book.names["TepTongHop"].refers_to_range.value = None
    xl.run_xuat_bao_cao(book)
    assert "Tổng hợp" in book.names["TrangThai"].refers_to_range.value
    empty = tmp_path / "rong"
    empty.mkdir()
    book.names["ThuMucNop"].refers_to_range.value = str(empty)
    xl.run_tong_hop(book)
    assert book.names["TrangThai"].refers_to_range.value.startswith("Lỗi:")
