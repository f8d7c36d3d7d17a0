"""The Excel entry points, run against the stand-in Book on a real control workbook."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings
from docx import Document
from dvcq import outputs
from dvcq.excel import xl
from dvcq.excel.xlsm import CONTROL, RESULTS_ROW, build_control_workbook
from dvcq.intake.validate import validate_paths
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples

from tests.support.paths import SAMPLE
from tests.support.xlstub import Book


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
    ws = book.wb[CONTROL]
    codes = [ws.cell(RESULTS_ROW + 1 + i, 1) for i in range(len(rows) - 1)]
    counts = [ws.cell(RESULTS_ROW + 1 + i, 8) for i in range(len(rows) - 1)]
    assert all(c.number_format == "@" for c in codes)  # unit codes keep their leading zeros
    assert all(c.number_format != "@" and isinstance(c.value, int) for c in counts)  # counts stay numbers
    xl.run_xuat_bao_cao(book)
    report = book.names["TepBaoCao"].refers_to_range.value
    assert report.endswith(".docx") and "Đã ghi báo cáo" in book.names["TrangThai"].refers_to_range.value
    check = Path(book.names["TepDoiChieu"].refers_to_range.value)  # the check sheet beside the report
    assert check.parent == Path(report).parent and check.suffix == ".xlsx" and check.exists()
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


def test_a_workbook_built_with_another_xlwings_says_to_rebuild(book, tmp_path):
    book.names["PhienBanXlwings"].refers_to_range.value = "0.30.0"
    xl.run_kiem_tra(book)
    status = book.names["TrangThai"].refers_to_range.value
    assert status.startswith("Lỗi:") and "dvcq build" in status
    assert "0.30.0" in status and xlwings.__version__ in status
    assert _table(book) == []  # nothing was run


def test_cli_and_buttons_share_the_history(tmp_path, monkeypatch):
    """Last year's period consolidated on the command line, this year's with the buttons: the report
    written by the button compares with last year (both use the user's one history database)."""
    monkeypatch.setenv("DVCQ_HOME", str(tmp_path / "home"))
    last = tmp_path / "2023-H1" / "nop"
    write_samples("403", "2023-H1", last, seed=2023)
    exe = Path(sys.executable).with_name("dvcq")
    subprocess.run([str(exe), "consolidate", str(last)], check=True, capture_output=True)
    assert outputs.history_db().exists()
    assert list((tmp_path / "2023-H1" / "ket-qua").glob("tong-hop-403-*-2023-H1.xlsx"))

    b = Book(build_control_workbook(tmp_path / "dieu-khien.xlsm"))
    this = shutil.copytree(SAMPLE, tmp_path / "2024-H1" / "nop")
    b.names["ThuMucNop"].refers_to_range.value = str(this)
    xl.run_tong_hop(b)
    rollup = Path(b.names["TepTongHop"].refers_to_range.value)
    assert rollup.parent == tmp_path / "2024-H1" / "ket-qua"
    xl.run_xuat_bao_cao(b)
    report = Path(b.names["TepBaoCao"].refers_to_range.value)
    assert report == outputs.report_path(rollup)
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    assert "so với cùng kỳ" in text
