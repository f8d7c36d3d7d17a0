"""`dvcq build` into a folder that already holds the forms and the control workbooks (every reinstall does
this): what an officer changed is kept and said, the rest replaced."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from dvcq import outputs
from dvcq.kit import CALC_NAME, CONTROL_NAME, build_kit
from openpyxl import load_workbook

from tests.support.cli import dvcq as run
from tests.support.winlocks import open_in_office

FORMS = ("ke-hoach.xlsx", "so-tiep-cong-dan.xlsx", "bao-cao-dinh-ky.xlsx")


def dvcq(*args) -> subprocess.CompletedProcess:
    r = subprocess.run([str(Path(sys.executable).with_name("dvcq")), *args], capture_output=True, text=True)
    assert "Traceback" not in r.stderr
    return r


def _type_into(path: Path, sheet: str | None, cell: str, value: str, keep_vba=False) -> None:
    wb = load_workbook(path, keep_vba=keep_vba)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    ws[cell] = value
    wb.save(path)


def _input_cell(path: Path, name: str):
    wb = load_workbook(path, keep_vba=True)
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")].value


def test_a_form_an_officer_filled_is_kept_and_the_new_blank_goes_beside_it(tmp_path):
    out = tmp_path / "Tài liệu" / "dvcq"
    assert run("build", "--out", out, "--no-xlsm", "--no-ods").returncode == 0  # in this process (the second: `dvcq`)
    _type_into(out / "ke-hoach.xlsx", None, "Z99", "kế hoạch của xã đã điền")
    r = dvcq("build", "--out", str(out), "--no-xlsm", "--no-ods")
    assert r.returncode == 0, r.stderr
    assert load_workbook(out / "ke-hoach.xlsx").worksheets[0]["Z99"].value == "kế hoạch của xã đã điền"
    assert (out / "ke-hoach-moi.xlsx").exists() and load_workbook(out / "ke-hoach-moi.xlsx").worksheets[0]["Z99"].value is None
    assert "Lưu ý: Giữ nguyên ke-hoach.xlsx (đã có thay đổi sau lần tạo trước); biểu trắng mới ghi thành ke-hoach-moi.xlsx." in r.stdout
    assert not (out / "so-tiep-cong-dan-moi.xlsx").exists()  # unchanged forms are simply replaced
    again = run("build", "--out", out, "--no-xlsm", "--no-ods")  # ke-hoach-moi.xlsx is dvcq's own: replaced, no -moi-2
    assert "ke-hoach-moi.xlsx" in again.stdout and not (out / "ke-hoach-moi-2.xlsx").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted([*FORMS, "ke-hoach-moi.xlsx"])


def test_the_officers_control_workbook_is_kept_and_its_inputs_carried_into_the_new_one(tmp_path):
    out = tmp_path / "dvcq"
    build_kit(out)
    control = out / CONTROL_NAME
    wb = load_workbook(control, keep_vba=True)
    sheet, ref = next(iter(wb.defined_names["ThuMucNop"].destinations))
    wb[sheet][ref.replace("$", "")] = r"D:\DVCQ\2024-H1\nop"
    sheet, ref = next(iter(wb.defined_names["NguoiKy"].destinations))
    wb[sheet][ref.replace("$", "")] = "Nguyễn Văn A"
    wb.save(control)
    kit = build_kit(out, today=date(2026, 11, 20))
    old = out / "dvcq-dieu-khien-cu-20261120.xlsm"
    assert [k.message for k in kit.kept] == [
        "Giữ lại bảng điều khiển cũ (đã có thay đổi) thành dvcq-dieu-khien-cu-20261120.xlsm; bảng điều khiển mới "
        "dvcq-dieu-khien.xlsm lấy lại các ô đã điền của nó."]
    assert _input_cell(old, "ThuMucNop") == r"D:\DVCQ\2024-H1\nop"  # the officer's file, as it was
    assert _input_cell(control, "ThuMucNop") == r"D:\DVCQ\2024-H1\nop" and _input_cell(control, "NguoiKy") == "Nguyễn Văn A"
    assert "xl/vbaProject.bin" in zipfile.ZipFile(control).namelist()
    assert build_kit(out).kept == []  # the new one is as built: replaced next time


def test_files_dvcq_has_no_record_of_are_kept(tmp_path):
    """A folder from a version before the record (or after the record was lost): nothing is overwritten."""
    out = tmp_path / "dvcq"
    out.mkdir()
    for name in (*FORMS, CONTROL_NAME, CALC_NAME):
        (out / name).write_bytes(b"officer's " + name.encode())
    kit = build_kit(out, today=date(2026, 11, 20))
    assert len(kit.kept) == 5
    for name in FORMS:
        assert (out / name).read_bytes() == b"officer's " + name.encode()
    for name in (CONTROL_NAME, CALC_NAME):
        old = out / name.replace("khien.", "khien-cu-20261120.")
        assert old.read_bytes() == b"officer's " + name.encode()
        assert zipfile.is_zipfile(out / name)
        # nothing could be read from the kept one: the message does not claim its cells were carried over
        assert f"bảng điều khiển mới {name} chưa có ô nào điền sẵn" in next(k.message for k in kit.kept if k.new.name == name)


def test_overwrite_replaces_even_changed_files(tmp_path):
    out = tmp_path / "workbooks"
    build_kit(out, xlsm=False)
    _type_into(out / "ke-hoach.xlsx", None, "Z99", "x")
    assert build_kit(out, xlsm=False, overwrite=True).kept == []
    assert load_workbook(out / "ke-hoach.xlsx").worksheets[0]["Z99"].value is None


def test_a_control_workbook_open_in_excel_is_named_with_a_request_to_close_it(tmp_path, monkeypatch):
    out = tmp_path / "dvcq"
    build_kit(out, xlsm=True)
    control = out / CONTROL_NAME
    _type_into(control, None, "Z99", "x", keep_vba=True)
    open_in_office(monkeypatch, control)
    with pytest.raises(outputs.FileInUse, match="dvcq-dieu-khien.xlsm.*hãy đóng tệp"):
        build_kit(out, xlsm=True)
    assert load_workbook(control, keep_vba=True).worksheets[0]["Z99"].value == "x"
