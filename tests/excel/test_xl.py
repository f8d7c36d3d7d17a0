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
from dvcq.samples.sample import write_samples

from tests.support.paths import SAMPLE
from tests.support.winlocks import open_in_office
from tests.support.xlstub import Book


@pytest.fixture()
def book(tmp_path):
    path = build_control_workbook(tmp_path / "dieu-khien.xlsm")
    b = Book(path)
    b.names["ThuMucNop"].refers_to_range.value = str(SAMPLE)
    b.names["ThuMucKetQua"].refers_to_range.value = str(tmp_path / "ket-qua")
    b.names["NguoiKy"].refers_to_range.value = "Nguyễn Văn A"
    return b


@pytest.fixture(scope="module")
def sample_checked():
    """The Như Thanh sample validated by the library (in one process), for the module's tests to read."""
    return validate_paths([SAMPLE], workers=1)


@pytest.fixture(scope="module")
def few(sample_checked, tmp_path_factory) -> Path:
    """A small submissions folder for the buttons' file handling: the three forms of the first commune of the
    Như Thanh sample that has a file with problems (copies: read only)."""
    report = sample_checked
    unit = min(f.unit_code for f in report.files if f.issues and f.unit_code != "403")
    folder = tmp_path_factory.mktemp("few") / "nop"
    folder.mkdir()
    for p in SAMPLE.glob(f"{unit}-*.xlsx"):
        shutil.copy(p, folder / p.name)
    assert len(list(folder.iterdir())) == 3
    return folder


def _table(b):
    ws = b.wb[CONTROL]
    rows = []
    for row in ws.iter_rows(min_row=RESULTS_ROW, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


def test_kiem_tra_writes_what_the_library_returns(book, sample_checked):
    xl.run_kiem_tra(book)
    report = sample_checked  # the same result as with workers (tests/intake/test_parallel.py)
    assert book.names["TrangThai"].refers_to_range.value == report.status_line()
    rows = _table(book)
    assert len(rows) - 1 == len(report.problem_rows())
    assert rows[1][0] == report.problem_rows()[0][0]


def test_tong_hop_then_xuat_bao_cao(book, nhu_thanh_rollup, tmp_path):
    xl.run_tong_hop(book)
    rollup = book.names["TepTongHop"].refers_to_range.value
    assert rollup and (tmp_path / "ket-qua").exists()
    direct = nhu_thanh_rollup  # tests/conftest.py: the same folder consolidated by the library
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
    # the command the installer never puts on PATH is not named: cai-dat.bat is
    assert status.startswith("Lỗi:") and "cai-dat.bat" in status and "dvcq build" not in status
    assert "0.30.0" in status and xlwings.__version__ in status
    assert _table(book) == []  # nothing was run


def test_cli_and_buttons_share_the_history(few, tmp_path, monkeypatch):
    """Last year's period consolidated on the command line, this year's with the buttons: the report
    written by the button compares with last year (both use the user's one history database). One commune
    both years, as the sample generator writes it."""
    monkeypatch.setenv("DVCQ_HOME", str(tmp_path / "home"))
    last = tmp_path / "2023-H1" / "nop"
    write_samples("403", "2023-H1", last, seed=2023, children=sorted({p.name.split("-")[0] for p in few.iterdir()}))
    exe = Path(sys.executable).with_name("dvcq")
    subprocess.run([str(exe), "consolidate", str(last)], check=True, capture_output=True)
    assert outputs.history_db().exists()
    assert list((tmp_path / "2023-H1" / "ket-qua").glob("tong-hop-403-*-2023-H1.xlsx"))

    b = Book(build_control_workbook(tmp_path / "dieu-khien.xlsm"))
    this = shutil.copytree(few, tmp_path / "2024-H1" / "nop")
    b.names["ThuMucNop"].refers_to_range.value = str(this)
    xl.run_tong_hop(b)
    rollup = Path(b.names["TepTongHop"].refers_to_range.value)
    assert rollup.parent == tmp_path / "2024-H1" / "ket-qua"
    xl.run_xuat_bao_cao(b)
    report = Path(b.names["TepBaoCao"].refers_to_range.value)
    assert report == outputs.report_path(rollup)
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    assert "so với cùng kỳ" in text


def _status(b) -> str:
    return b.names["TrangThai"].refers_to_range.value


def test_a_rollup_left_open_in_excel_is_named_with_a_request_to_close_it(book, few, tmp_path, monkeypatch):
    book.names["ThuMucNop"].refers_to_range.value = str(few)
    xl.run_tong_hop(book)
    rollup = Path(book.names["TepTongHop"].refers_to_range.value)
    before = rollup.read_bytes()
    open_in_office(monkeypatch, rollup)
    xl.run_tong_hop(book)
    status = _status(book)
    assert status.startswith("Lỗi: Không ghi được tệp") and str(rollup) in status and "hãy đóng tệp" in status
    assert "Lỗi nội bộ" not in status
    assert rollup.read_bytes() == before  # last time's roll-up untouched
    assert not [p for p in rollup.parent.iterdir() if p.name.startswith(".tmp-dvcq-")]  # no temporary file left


def test_a_report_left_open_in_word_gets_a_new_name_beside_it(book, few, tmp_path, monkeypatch):
    book.names["ThuMucNop"].refers_to_range.value = str(few)
    xl.run_tong_hop(book)
    xl.run_xuat_bao_cao(book)
    first = Path(book.names["TepBaoCao"].refers_to_range.value)
    before = first.read_bytes()
    open_in_office(monkeypatch, first)
    xl.run_xuat_bao_cao(book)
    again = Path(book.names["TepBaoCao"].refers_to_range.value)
    assert again == first.with_name(first.stem + "-ban-moi.docx") and again.stat().st_size > 10_000
    assert first.read_bytes() == before
    status = _status(book)
    check = Path(book.names["TepDoiChieu"].refers_to_range.value)  # its check sheet, at its usual name
    assert status.startswith(f"Đã ghi báo cáo {again.name} và bảng đối chiếu số liệu {check.name}.")
    assert f"Tệp {first.name} đang mở" in status
    open_in_office(monkeypatch, first, again)  # both open: the next free name
    xl.run_xuat_bao_cao(book)
    assert book.names["TepBaoCao"].refers_to_range.value == str(first.with_name(first.stem + "-ban-moi-2.docx"))


def test_an_annotated_copy_left_open_gets_a_new_name_said_in_the_status_cell(book, few, tmp_path, monkeypatch):
    book.names["ThuMucNop"].refers_to_range.value = str(few)
    xl.run_kiem_tra(book)
    copies = sorted((tmp_path / "ket-qua" / outputs.ANNOTATED).glob("*.xlsx"))
    assert copies, "the folder has files with problems"
    held = copies[0]
    open_in_office(monkeypatch, held)
    xl.run_kiem_tra(book)
    beside = held.with_name(held.stem + "-ban-moi.xlsx")
    assert beside.exists()
    assert f"Tệp {held.name} đang mở" in _status(book) and beside.name in _status(book)
    links = {r[7] for r in _table(book)[1:]}
    assert str(beside) in links and str(held) not in links


def test_a_path_pasted_with_quotes_and_spaces_is_read(book, few, tmp_path):
    """Explorer's «Copy as path» gives "D:\\...\\nop"; a paste may bring spaces around it."""
    book.names["ThuMucNop"].refers_to_range.value = f'  "{few}"  '
    book.names["ThuMucKetQua"].refers_to_range.value = f'"{tmp_path / "ket-qua"}" '
    xl.run_tong_hop(book)
    assert not _status(book).startswith("Lỗi"), _status(book)
    assert Path(book.names["TepTongHop"].refers_to_range.value).parent == tmp_path / "ket-qua"


def test_relative_paths_are_taken_in_the_control_workbooks_folder(few, tmp_path, monkeypatch):
    """xlwings starts Python in the environment's Scripts folder: "nop" must mean the folder beside the
    control workbook, not one there."""
    home = tmp_path / "Báo cáo 6 tháng"
    b = Book(build_control_workbook(home / "dieu-khien.xlsm"))
    shutil.copytree(few, home / "nop")
    scripts = tmp_path / "venv" / "Scripts"
    scripts.mkdir(parents=True)
    monkeypatch.chdir(scripts)
    b.names["ThuMucNop"].refers_to_range.value = "nop"
    b.names["ThuMucKetQua"].refers_to_range.value = "ket-qua"
    xl.run_tong_hop(b)
    assert Path(b.names["TepTongHop"].refers_to_range.value).parent == home / "ket-qua", _status(b)
    assert not list(scripts.iterdir())
    b.names["TepTongHop"].refers_to_range.value = str(Path(b.names["TepTongHop"].refers_to_range.value).relative_to(home))
    xl.run_xuat_bao_cao(b)
    assert Path(b.names["TepBaoCao"].refers_to_range.value).parent == home / "ket-qua", _status(b)


def test_a_relative_path_in_a_workbook_opened_from_onedrive_is_refused_with_a_message(book):
    book.fullname = "https://d.docs.live.net/4c1d2e3f/Documents/dvcq/dvcq-dieu-khien.xlsm"
    book.names["ThuMucNop"].refers_to_range.value = "nop"
    xl.run_kiem_tra(book)
    status = _status(book)
    assert status.startswith("Lỗi: Ô «Thư mục chứa biểu các đơn vị nộp» ghi «nop»") and "đường dẫn đầy đủ" in status


def test_the_first_click_with_empty_cells_says_what_the_guide_says_it_says(tmp_path):
    """The guide's check that Excel, Python and dvcq are joined: «Kiểm tra» with every cell empty writes this
    sentence into the status cell (docs/huong-dan-su-dung.md, first click on a new PC)."""
    from tests.support.paths import ROOT

    guide = " ".join((ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8").split())
    b = Book(build_control_workbook(tmp_path / "dieu-khien.xlsm"))
    xl.run_kiem_tra(b)
    assert f"ô «Trạng thái» ghi «{_status(b)}»" in guide


@pytest.mark.skipif((__import__("os").cpu_count() or 1) < 2, reason="one CPU: the folder is read in-process")
def test_the_buttons_hand_their_folder_to_workers_started_first(book, monkeypatch):
    """Issue 27: as the command line does (dvcq.intake.early), each folder button starts the workers before its
    library is imported and hands the batch to it, which collects it (the same results as without, above)."""
    from dvcq.intake import validate
    from dvcq.rollup import consolidate

    seen = []
    for module, name in ((validate, "validate_paths"), (consolidate, "consolidate_folder")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, **kw: seen.append(kw.get("early")) or _real(*a, **kw))
    xl.run_kiem_tra(book)
    xl.run_tong_hop(book)
    files = sorted(p for p in SAMPLE.rglob("*") if p.is_file())
    assert len(seen) >= 2 and all(b is not None and b.used and sorted(b.files) == files for b in seen[:2])
    assert book.names["TrangThai"].refers_to_range.value.startswith("Tổng hợp")
