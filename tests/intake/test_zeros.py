"""Leading zeros survive Excel: code cells are Text, and codes Excel turned into numbers are read back.

Files are real workbooks: built by dvcq (XlsxWriter), the numbers put in with openpyxl the way Excel
stores what is typed into a General cell. Expected codes are worked out here from the registry CSV.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from dvcq.errors import UserError
from dvcq.excel import xl
from dvcq.excel.xlsm import INPUTS, OUTPUTS, build_control_workbook, output_cells
from dvcq.forms import spec
from dvcq.forms.build import Content, build_all, build_form, prefilled_forms
from dvcq.intake.validate import validate_file
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import DATA, FILES, load
from openpyxl import load_workbook

from tests.support import corpus
from tests.support.paths import WORKBOOKS
from tests.support.xlstub import Book

LOG = spec.load_form("so-tiep-cong-dan")
PLAN = spec.load_form("ke-hoach")
LS, ROAD = LOG.main, PLAN.sheet("Lộ trình")


def csv_codes(era: str) -> dict[str, str]:
    """Code -> name, straight from the registry file."""
    with open(DATA / FILES[era], encoding="utf-8", newline="") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f)}


def same_digits(codes, number: str) -> list[str]:
    """Codes that read as this number once their leading zeros are gone."""
    return [c for c in codes if c.lstrip("0") == number]


def unambiguous_commune(era: str) -> tuple[str, str]:
    """A commune code with leading zeros that no other code shares once they are gone."""
    codes = csv_codes(era)
    for code, name in codes.items():
        if len(code) == 5 and code.startswith("0") and len(same_digits(codes, code.lstrip("0"))) == 1:
            return code, name
    raise AssertionError("no such commune")


def col(sheet, field: str) -> str:
    return spec.col_letter(sheet.col(field))


def test_specs_declare_the_code_fields():
    assert {f.name: f.format for f in LOG.header if f.is_code} == {"unit_code": "unit-code"}
    assert [f.name for f in LS.fields if f.is_code] == ["so_giay_to"]
    assert LS.field("so_giay_to").format == "id-number"
    assert [f.name for f in ROAD.fields if f.is_code] == ["ma_don_vi"]


def test_unknown_format_in_a_spec_is_refused(tmp_path):
    import shutil

    shutil.copytree(spec.templates_dir() / "forms", tmp_path / "forms")
    path = tmp_path / "forms" / "ke-hoach.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("format: unit-code", "format: ma-so"), encoding="utf-8")
    spec.load_form.cache_clear()
    with pytest.raises(UserError, match=r"khóa «format»: cần một trong default, unit-code, id-number, không phải «ma-so»"):
        spec.load_form("ke-hoach", str(tmp_path))


def test_code_cells_of_built_forms_and_control_workbook_are_text(tmp_path):
    build_all(tmp_path)
    for folder in (tmp_path, WORKBOOKS):  # also the committed blank forms
        for form in spec.load_forms().values():
            wb = load_workbook(folder / f"{form.id}.xlsx")  # once per workbook (it was loaded again per sheet)
            ws = wb[form.main.name]
            assert ws[form.header_cell("unit_code")].number_format == "@", (folder, form.id)
            assert ws[form.header_cell("unit_name")].number_format != "@"
            for sheet in [s for s in form.table_sheets() if not s.optional]:  # an optional sheet needs rows
                dims = wb[sheet.name].column_dimensions
                formats = {f.name: dims[col(sheet, f.name)].number_format for f in sheet.fields}
                assert {n for n, x in formats.items() if x == "@"} == {f.name for f in sheet.fields if f.is_code}
    wb = load_workbook(build_control_workbook(tmp_path / "dk.xlsm"), keep_vba=True)
    cells = output_cells()
    ws = wb[xl.CONTROL]
    assert all(ws[cells[name]].number_format == "@" for name, _, _ in INPUTS)
    assert all(ws[cells[name]].number_format != "@" for name, _ in OUTPUTS)


def test_prefilled_forms_and_samples_write_codes_as_text(tmp_path):
    code, name = "00001", csv_codes("legacy")["00001"]
    path = [p for p in prefilled_forms("001", "2024-H1", tmp_path / "forms", ["ke-hoach"]) if p.name.startswith(code)][0]
    cell = load_workbook(path)[PLAN.main.name][PLAN.header_cell("unit_code")]
    assert (cell.value, cell.data_type) == (code, "s")
    paths = write_samples("001", "2024-H1", tmp_path / "sample", children=[code])
    for p in paths:
        r = validate_file(p)
        assert (r.status, r.unit_code, r.unit_name) == ("ok", code, name), [i.to_dict() for i in r.issues]
        assert not {i.code for i in r.issues} & {"code-leading-zero", "id-leading-zero"}
    log = load_workbook([p for p in paths if "so-tiep-cong-dan" in p.name][0])[LS.name]
    ids = [c for c in log[col(LS, "so_giay_to")][LS.first_row - 1:] if c.value is not None]
    assert ids and all(c.data_type == "s" and len(c.value) == 12 and c.value[0] == "0" for c in ids)
    road = load_workbook([p for p in paths if "ke-hoach" in p.name][0])[ROAD.name]
    cell = road[f"{col(ROAD, 'ma_don_vi')}{ROAD.first_row}"]
    assert (cell.value, cell.data_type) == (code, "s")


IDS = ["038190000111", "001085000222", "012345678"]  # CCCD (lost one zero), Hà Nội CCCD (two), CMND (one)


def _typed_as_numbers(tmp_path: Path, code: str, name: str) -> Path:
    """A log filled in a form whose code cells were General: Excel stored the codes as numbers."""
    rows = corpus.log_rows()
    head = {**corpus.header((code, name)), "unit_code": ""}  # not stamped: the official typed it
    path = build_form(LOG, tmp_path / "so.xlsx", Content(header=head, unit_level="commune", rows={LS.name: rows}))
    wb = load_workbook(path)
    ws = wb[LS.name]
    ws[LOG.header_cell("unit_code")].value = int(code)
    for i, number in enumerate(IDS):
        ws[f"{col(LS, 'so_giay_to')}{LS.first_row + i}"].value = int(number)
    wb.save(path)
    return path


@pytest.mark.parametrize("pick", ["unambiguous", "name-decides"])
def test_codes_stored_as_numbers_are_read_back_with_warnings(tmp_path, pick):
    codes = csv_codes("legacy")
    code, name = unambiguous_commune("legacy") if pick == "unambiguous" else ("00001", codes["00001"])
    if pick == "name-decides":
        assert len(same_digits(codes, "1")) > 1  # 01, 001, 00001: only the name tells
    r = validate_file(_typed_as_numbers(tmp_path, code, name), keep=True)
    assert r.status == "ok" and not r.errors, [i.to_dict() for i in r.issues]
    assert (r.unit_code, r.unit_name) == (code, name)
    unit = [i for i in r.issues if i.code == "code-leading-zero"]
    assert [(i.severity, i.sheet, i.cell) for i in unit] == [("warning", LS.name, LOG.header_cell("unit_code"))]
    assert f"đã đọc là {code}" in unit[0].message and "Excel đã bỏ số 0" in unit[0].message
    ids = [i for i in r.issues if i.code == "id-leading-zero"]
    assert [(i.severity, i.cell) for i in ids] == [("warning", f"{col(LS, 'so_giay_to')}{LS.first_row + i}")
                                                  for i in range(len(IDS))]
    assert "đủ 12 chữ số" in ids[0].message and "CMND" in ids[2].message and "đủ 9 chữ số" in ids[2].message
    assert r._ctx.clean[LS.name]["so_giay_to"] == IDS
    text = json.dumps([i.to_dict() for i in r.issues], ensure_ascii=False)
    for number in IDS:
        assert number not in text and number.lstrip("0") not in text


def test_a_code_only_the_lost_zeros_could_explain_names_the_candidates(tmp_path):
    path = _typed_as_numbers(tmp_path, "00001", "Xã Không Có Tên Này")
    issue = [i for i in validate_file(path).issues if i.code == "unit"][0]
    assert issue.severity == "error" and issue.cell == LOG.header_cell("unit_code")
    assert "số 0 ở đầu" in issue.message
    assert all(c in issue.message for c in same_digits(csv_codes("legacy"), "1"))


def test_plan_unit_code_column_stored_as_number(tmp_path):
    path = corpus.write_plan(tmp_path)
    cell = f"{col(ROAD, 'ma_don_vi')}{ROAD.first_row}"
    corpus.type_over(path, ROAD.name, cell, 1)
    r = validate_file(path, keep=True)
    # read back with the zeros of the issuer's level (a commune: 5 digits), then told it is no unit under it
    assert [(i.code, i.severity, i.cell) for i in r.issues if i.sheet == ROAD.name] == [
        ("code-leading-zero", "warning", cell), ("rollout-unit", "warning", cell)]
    assert r._ctx.clean[ROAD.name]["ma_don_vi"] == ["00001"] and r.status == "ok"


def test_registry_puts_back_zeros_only_when_one_unit_fits():
    codes_2025 = csv_codes("2025")
    assert same_digits(codes_2025, "1") == ["01"]
    reg = load("2025")
    notes: list[str] = []
    assert reg.require("1", notes).code == "01" and "01" in notes[0] and "số 0" in notes[0]
    m = reg.lookup("1")
    assert m.unit.code == "01" and not m.exact and "số 0" in m.note
    assert reg.require("01", notes).code == "01" and len(notes) == 1  # a full code: nothing to tell
    ambiguous = same_digits(codes_2025, "4")
    assert len(ambiguous) > 1
    with pytest.raises(UserError) as exc:
        reg.require("4")
    assert all(c in exc.value.message for c in ambiguous) and "số 0 ở đầu" in exc.value.message


def test_button_input_keeps_the_zeros_the_official_typed(tmp_path):
    kids = ["00001", "00004"]
    folder = tmp_path / "nop"
    write_samples("001", "2024-H1", folder, children=kids)
    b = Book(build_control_workbook(tmp_path / "dk.xlsm"))
    b.names["ThuMucNop"].refers_to_range.value = str(folder)
    b.names["ThuMucKetQua"].refers_to_range.value = str(tmp_path / "ket-qua")
    b.names["KyBaoCao"].refers_to_range.value = "2024-H1"
    b.names["DonViCapTren"].refers_to_range.value = "001"
    assert b.names["DonViCapTren"].refers_to_range.value == "001"
    xl.run_tong_hop(b)
    direct = consolidate_folder(folder, period="2024-H1", parent="001", out=tmp_path / "d.xlsx",
                                db=tmp_path / "d.sqlite", workers=1)
    assert b.names["TrangThai"].refers_to_range.value == direct.status_line()
    ws = b.wb[xl.CONTROL]
    shown = [ws.cell(row=xl.RESULTS_ROW + 1 + i, column=1).value for i in range(len(direct.ledger_rows()))]
    assert shown == [r[0] for r in direct.ledger_rows()] and set(kids) <= set(shown)


def test_stub_turns_numeric_text_into_numbers_in_general_cells_like_excel(tmp_path):
    b = Book(build_control_workbook(tmp_path / "dk.xlsm"))
    rng = b.names["DonViCapTren"].refers_to_range
    rng.ws[rng.address].number_format = "General"  # a control workbook from before the Text cells
    rng.value = "001"
    assert rng.value == 1.0 and xl._get(b, "DonViCapTren") == "1"
    b.names["KyBaoCao"].refers_to_range.value = "2024-H1"
    b.names["ThuMucNop"].refers_to_range.value = str(tmp_path)
    b.names["ThuMucKetQua"].refers_to_range.value = str(tmp_path / "ket-qua")
    xl.run_tong_hop(b)  # legacy "1" is 01, 001 or 00001: the status says the zeros were lost
    status = b.names["TrangThai"].refers_to_range.value
    assert status.startswith("Lỗi: Mã «1» thiếu số 0 ở đầu") and "001 Quận Ba Đình" in status
