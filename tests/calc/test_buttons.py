"""End to end in LibreOffice: `dvcq-dieu-khien.ods` built as `dvcq build` builds it, opened by headless
LibreOffice at its default macro security level from a trusted folder, its cells typed and its buttons
clicked (LibreOffice runs the macro stored in the document, which runs this environment's dvcq on the Như
Thanh samples), the document saved; the test reads the saved sheet and the files written.

Expected values come from the files themselves (python-calamine, python-docx on what was written, the
samples' own names) and, for the words shown, from the library the Excel buttons call.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from dvcq.calc import ods
from dvcq.documents.narrative import WrittenReport
from dvcq.forms import control
from dvcq.forms.labels import STATUS
from dvcq.intake import parallel
from dvcq.intake.issues import Report
from dvcq.intake.validate import validate_paths
from dvcq.rollup.consolidate import ConsolidationResult
from python_calamine import CalamineWorkbook

from tests.support.paths import SAMPLE

pytestmark = pytest.mark.usefixtures("office")
RESULTS = "Kết quả"  # the sheet of the results table, from A4 (0-based row 3)


@pytest.fixture
def desk(tmp_path) -> Path:
    """An official's folder, with spaces and Vietnamese letters, holding a fresh control workbook."""
    home = tmp_path / "Cán bộ" / "Tài liệu dvcq"
    home.mkdir(parents=True)
    ods.build_calc_workbook(home / "dvcq-dieu-khien.ods")
    return home


def _sheet(saved: Path, name: str = control.CONTROL) -> list[list]:
    return CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def _table(saved: Path, status: str) -> list[list]:
    """The results table as saved, below the status line of the run it shows."""
    sheet = _sheet(saved, RESULTS)
    assert sheet[1][0] == status
    rows = sheet[3:]
    while rows and not any(v != "" for v in rows[-1]):
        rows.pop()
    return rows


def _cell(saved: Path, name: str):
    address = ods.cells_of_control()[name]
    return _sheet(saved)[int(address[1:]) - 1][ord(address[0]) - ord("A")]


def test_kiem_tra_checks_every_file_and_fills_the_sheet(office, desk):
    """A commune's two forms and an unreadable file: fewer than dvcq.intake.parallel.SERIAL_BELOW, so the check
    runs without workers (the roll-up's button below hands the 43 samples to workers)."""
    submissions = desk / "Biểu nộp 6 tháng"
    submissions.mkdir()
    for p in sorted(SAMPLE.glob("16231-*.xlsx"))[:2]:
        shutil.copy(p, submissions)
    (submissions / "hỏng.xlsx").write_bytes(b"")  # an empty file: unreadable
    assert len(list(submissions.iterdir())) == 3 < parallel.SERIAL_BELOW
    results = desk / "Kết quả kiểm tra"
    r = office.press(desk / "dvcq-dieu-khien.ods", "KiemTra",
                     values={"ThuMucNop": f'"{submissions}"', "ThuMucKetQua": str(results)})
    (press,) = r["presses"]
    assert press["ran"] and press["script"] == ods.script_url("kiem_tra")
    names = sorted(p.name for p in submissions.iterdir())
    assert press["status"] == validate_paths([submissions]).status_line()  # the words the Excel button shows
    assert press["status"].startswith(f"Đã kiểm tra {len(names)} tệp: {len(names) - 1} hợp lệ")
    assert _cell(r["saved"], "TrangThai") == press["status"]  # in the saved document
    table = _table(r["saved"], press["status"])
    assert table[0] == list(Report.PROBLEM_HEADER)
    assert sorted({row[0] for row in table[1:]}) == names  # every file, by name
    broken = [row for row in table[1:] if row[0] == "hỏng.xlsx"]
    assert broken and {row[3] for row in broken} == {STATUS["unreadable"]}
    assert {row[3] for row in table[1:] if row[0] != "hỏng.xlsx"} == {STATUS["ok"]}
    assert r["cells"]["LanBamCuoi"].startswith("«Kiểm tra», xong lúc ")
    # the annotated copy of the broken file went where the Excel button puts it: <results>/ban-danh-dau-loi
    assert results.is_dir() and not (desk / "ket-qua").exists()


def test_tong_hop_then_xuat_bao_cao_write_the_roll_up_and_the_report(office, desk):
    submissions = shutil.copytree(SAMPLE, desk / "Biểu nộp")
    results = desk / "Kết quả 6 tháng"
    r = office.press(desk / "dvcq-dieu-khien.ods", "TongHop", "XuatBaoCao",
                     values={"ThuMucNop": str(submissions), "ThuMucKetQua": str(results),
                             "NguoiKy": "Đặng Tiến Dũng", "SoVanBan": "125"})
    tong_hop, bao_cao = r["presses"]
    assert tong_hop["ran"] and bao_cao["ran"], r
    # the roll-up: in the results folder, a workbook LibreOffice's neighbours can read
    rollup = Path(r["cells"]["TepTongHop"])
    assert rollup.parent == results and rollup.suffix == ".xlsx" and rollup.is_file()
    assert "Tiến độ nộp báo cáo" in CalamineWorkbook.from_path(str(rollup)).sheet_names
    # the ledger under KẾT QUẢ: one row per expected unit, the units whose files are in the folder
    table = _table(r["saved"], tong_hop["status"])  # the report's button leaves the table as it was
    assert table[0] == list(ConsolidationResult.LEDGER_HEADER)
    codes = {p.name.split("-")[0] for p in submissions.glob("*.xlsx")}
    assert {str(row[0]) for row in table[1:]} == codes and len(table) - 1 == len(codes)
    assert {row[2] for row in table[1:]} == {"Có"}  # all sent
    assert tong_hop["status"].startswith(f"Tổng hợp Huyện Như Thanh, 6 tháng đầu năm 2024: {len(codes)}/{len(codes)} "
                                         "đơn vị đã nộp")
    # the report: beside its roll-up, signed as typed, the words of the Excel button
    report = Path(r["cells"]["TepBaoCao"])
    assert report == rollup.with_name(f"bao-cao-{rollup.stem}.docx") and report.is_file()
    check = Path(r["cells"]["TepDoiChieu"])  # and its check sheet beside it (issue 22)
    assert check == report.with_name(f"{report.stem}-doi-chieu.xlsx") and check.is_file()
    assert bao_cao["status"] == WrittenReport(report, check).status_line() == (
        f"Đã ghi báo cáo {report.name} và bảng đối chiếu số liệu {check.name}.")
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    text += "\n".join(c.text for t in Document(str(report)).tables for row in t.rows for c in row.cells)
    assert "Đặng Tiến Dũng" in text and "125/" in text
    assert _cell(r["saved"], "TepBaoCao") == str(report)


def test_xuat_ke_hoach_writes_the_plan_document(office, desk):
    source = next(SAMPLE.glob("403-*-ke-hoach-*.xlsx"))
    plan = shutil.copy(source, desk / "Kế hoạch huyện 2024.xlsx")
    r = office.press(desk / "dvcq-dieu-khien.ods", "XuatKeHoach", values={"TepKeHoach": "Kế hoạch huyện 2024.xlsx"})
    (press,) = r["presses"]
    written = Path(r["cells"]["TepVanBanKeHoach"])
    assert written == desk / "Kế hoạch huyện 2024.docx" and written.is_file()  # beside the workbook, its name
    rows = CalamineWorkbook.from_path(str(plan)).get_sheet_by_name("Nhiệm vụ").to_python()
    numbered = next(i for i, row in enumerate(rows) if row[0] == "(1)")
    tasks = sum(1 for row in rows[numbered + 1:] if str(row[2]).strip())
    assert press["status"].startswith(f"Đã ghi kế hoạch {written.name} ({tasks} nhiệm vụ, ")
    assert "KẾ HOẠCH" in "\n".join(p.text for p in Document(str(written)).paragraphs)


def test_a_missing_program_or_folder_and_a_failing_run_are_said_in_vietnamese(office, desk, tmp_path):
    doc = desk / "dvcq-dieu-khien.ods"
    empty = desk / "Thư mục trống"
    empty.mkdir()
    gone = tmp_path / "Cán bộ" / "đã gỡ" / "dvcq"
    r = office.press(doc, "TongHop", values={"ThuMucNop": str(empty), "ChuongTrinh": str(gone)})
    assert r["presses"][0]["status"] == control.ERROR.format(message=ods.MESSAGES["no_program"].format(path=gone))
    # dvcq runs and fails: its own Vietnamese error line, the one the command line prints
    r = office.press(doc, "TongHop", "XuatBaoCao",
                     values={"ThuMucNop": str(empty), "ThuMucKetQua": str(desk / "kq")})
    cli = subprocess.run([ods.default_program(), "consolidate", str(empty), "--json", "--out", str(desk / "kq")],
                         capture_output=True, text=True)
    assert cli.returncode == 2
    failed, no_rollup = r["presses"]
    assert failed["status"] == cli.stderr.strip().splitlines()[-1] and failed["status"].startswith("Lỗi: ")
    assert no_rollup["status"] == control.ERROR.format(message=control.NO_ROLLUP)  # as the Excel button says
    r = office.press(doc, "KiemTra", values={"ThuMucNop": str(desk / "không có")})
    assert r["presses"][0]["status"] == control.ERROR.format(
        message=control.NO_FOLDER.format(path=desk / "không có"))
    assert _cell(r["saved"], "TrangThai") == r["presses"][0]["status"]


def test_at_the_default_security_level_only_a_trusted_folder_runs_the_buttons(office, desk):
    """Opened from a folder that is no trusted location, the button does nothing (the macro never runs);
    from a trusted one (the shared office's profile trusts the tests' folders), the same click runs it."""
    doc = desk / "dvcq-dieu-khien.ods"
    values = {"ThuMucNop": str(desk / "không có")}
    blocked = office.press(doc, "KiemTra", values=values, wait=2, own=[(desk.parent / "nơi khác").as_uri()])
    (press,) = blocked["presses"]
    assert not press["ran"] and press["status"] == "" and blocked["cells"]["TrangThai"] == ""
    assert press["script"] == ods.script_url("kiem_tra")  # bound all the same
    trusted = office.press(doc, "KiemTra", values=values)
    assert trusted["presses"][0]["ran"] and trusted["presses"][0]["status"].startswith("Lỗi: Không thấy thư mục")
