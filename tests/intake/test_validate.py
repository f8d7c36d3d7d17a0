"""Validation: one case per rule and per bad file, each asserting the issue code and cell."""
from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from dvcq.forms import spec
from dvcq.intake.validate import validate_file, validate_paths
from dvcq.samples import sample

from tests.support import badfiles, corpus
from tests.support.cli import dvcq as run
from tests.support.paths import SAMPLE
from tests.support.rawfigures import cell, grid

REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")
PLAN = spec.load_form("ke-hoach")
RS, LS = REPORT.main, LOG.main


def log_cell(field: str, i: int = 0) -> str:
    return f"{spec.col_letter(LS.col(field))}{LS.first_row + i}"


def codes(result):
    return {(i.code, i.severity, i.sheet, i.cell) for i in result.issues}


def test_valid_forms_pass(tmp_path):
    for path in (corpus.write_report(tmp_path), corpus.write_log(tmp_path), corpus.write_plan(tmp_path)):
        r = validate_file(path)
        assert r.status == "ok", [i.to_dict() for i in r.issues]
        assert not r.errors
        assert (r.unit_code, r.period) == corpus.UNIT[:1] + ("2024-H1",)
        assert r.summary is not None


def test_summary_counts_equal_independent_counts_of_the_rows(tmp_path):
    rows = corpus.log_rows()
    r = validate_file(corpus.write_log(tmp_path, rows))
    m = r.summary.measures
    assert m["luot_tiep"] == len(rows)
    assert m["so_nguoi"] == sum(x["so_nguoi"] for x in rows)
    assert m["doan_dong_nguoi"] == sum(1 for x in rows if x.get("doan_dong_nguoi") == "Có")
    assert m["khieu_nai"] == sum(1 for x in rows if x["phan_loai"] == "Khiếu nại")
    assert m["vu_viec"] == len({x["ma_vu_viec"] for x in rows})
    # the open complaint accepted 5/2/2024 is past 30 days at the day the log's figures run to, its "Ngày lập"
    # 10/6/2024 (before the window's end, 14/6): listed by its case reference, its days counted to that day
    assert r.summary.as_of == date(2024, 6, 10) == corpus.header()["prepared_on"]
    cases = r.summary.overdue_cases
    assert [(c.ref, c.status, c.days_open) for c in cases] == [
        (f"{corpus.UNIT[0]}-VV24-002", "open", (date(2024, 6, 10) - date(2024, 2, 5)).days)]


@pytest.mark.parametrize("field,i,value,code,severity", [
    ("phan_loai", 0, "khieu nai", "enum", "warning"),
    ("phan_loai", 0, "Khiếu nại gì đó", "enum", "error"),
    ("so_nguoi", 0, -2, "range", "error"),
    ("so_nguoi", 0, "hai người", "type", "error"),
    ("ngay_tiep", 0, "15/03/2024", "date-text", "warning"),
    ("ngay_tiep", 0, "mười lăm tháng ba", "type", "error"),
    ("ngay_tiep", 0, date(2024, 7, 1), "period", "error"),
    ("ngay_giai_quyet", 0, date(2024, 1, 2), "rule", "error"),
    ("ho_ten", 0, None, "required", "error"),
    ("ket_qua", 2, "Đã giải quyết", "rule", "error"),
    ("tham_quyen", 0, "Không thuộc thẩm quyền", "rule", "error"),
    ("so_giay_to", 0, "12-34", "pattern", "error"),
    ("ghi_chu", 0, "x" * 600, "too-long", "error"),
])
def test_log_cell_rules(tmp_path, field, i, value, code, severity):
    path = corpus.write_log(tmp_path)
    typed = corpus.put if (field, value) == ("phan_loai", "khieu nai") else corpus.type_over  # one openpyxl-saved
    typed(path, LS.name, log_cell(field, i), value, as_text=isinstance(value, str))
    r = validate_file(path)
    expected_cell = log_cell("ngay_giai_quyet", i) if field in ("ket_qua",) else (
        log_cell("tham_quyen", i) if field == "tham_quyen" else log_cell(field, i))
    assert (code, severity, LS.name, expected_cell) in codes(r), [x.to_dict() for x in r.issues]


def test_enum_warning_names_the_corrected_value(tmp_path):
    path = corpus.type_over(corpus.write_log(tmp_path), LS.name, log_cell("phan_loai"), "KIEN NGHI,  PHAN ANH", True)
    issue = [i for i in validate_file(path).issues if i.code == "enum"][0]
    assert "Kiến nghị, phản ánh" in issue.message and issue.severity == "warning"


def test_messages_never_quote_personal_data(tmp_path):
    path = corpus.write_log(tmp_path)
    corpus.type_over(path, LS.name, log_cell("so_giay_to", 2), "ABC-XYZ-0001", as_text=True)
    corpus.type_over(path, LS.name, log_cell("ho_ten", 2), "Céng hoµ x· héi", as_text=True)  # TCVN3 text
    r = validate_file(path)
    text = json.dumps([i.to_dict() for i in r.issues], ensure_ascii=False)
    assert "ABC-XYZ-0001" not in text and "Céng" not in text and "Cộng" not in text
    assert any(i.code == "encoding" and i.cell == log_cell("ho_ten", 2) for i in r.issues)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_garbled_shared_strings_never_echo_a_citizens_data(tmp_path, seed):
    """Found by the fuzz test: shuffled shared strings move names, addresses and ID numbers into the
    dropdown and date columns, whose messages used to quote the cell."""
    from openpyxl import load_workbook

    from tests.support.mutate import GarbleSharedStrings, apply_all

    src = sorted(SAMPLE.glob("*so-tiep-cong-dan*.xlsx"))[seed]
    ws = load_workbook(src, read_only=True)[LS.name]
    personal = [f.name for f in LS.fields if f.personal]
    secrets = {str(row[LS.col(f) - 1]) for row in ws.iter_rows(min_row=LS.first_row, values_only=True)
               for f in personal if row[LS.col(f) - 1]}
    path = tmp_path / src.name
    for shuffle in range(seed * 50, seed * 50 + 50):  # a shuffle that keeps the file recognisable as a log
        path.write_bytes(apply_all(src.read_bytes(), [GarbleSharedStrings("shuffle", shuffle)]))
        r = validate_file(path)
        if r.form_id == "so-tiep-cong-dan":
            break
    assert r.form_id == "so-tiep-cong-dan" and len(r.issues) > 10  # the shuffle did break the sheet
    text = json.dumps([i.to_dict() for i in r.issues], ensure_ascii=False)
    assert secrets and not [s for s in secrets if s in text]


def test_legacy_encoding_in_free_text_is_reported_with_its_unicode_reading(tmp_path):
    path = corpus.write_report(tmp_path)
    corpus.type_over(path, "Đánh giá", REPORT.sheet("Đánh giá").text_cell("HC"), "Céng hoµ x· héi chñ nghÜa", True)
    issue = [i for i in validate_file(path).issues if i.code == "encoding"][0]
    assert issue.cell == REPORT.sheet("Đánh giá").text_cell("HC")
    assert "Cộng" in issue.message


@pytest.mark.parametrize("code_,value,issue_code,target", [
    ("TD07", None, "required", "TD07"),
    ("TT01", "mười hai", "type", "TT01"),
    ("CC01", -5, "range", "CC01"),
    ("CC01", 2.5, "type", "CC01"),
    ("TD08", 2, "parts", "TD07"),  # a breakdown (parts of a total): at the total's cell
    ("TD12", 3, "parts", "TD11"),
    ("CC05", 9, "parts", "CC02"),
    ("TD05", 1, "rule", "TD05"),  # people fewer than visits: a rule between two units of count
])
def test_report_indicator_rules(tmp_path, code_, value, issue_code, target):
    path = corpus.write_report(tmp_path)
    typed = corpus.put if (code_, value) == ("TD07", None) else corpus.type_over  # one openpyxl-saved
    typed(path, RS.name, RS.indicator_cell(code_), value, as_text=isinstance(value, str))
    r = validate_file(path)
    assert (issue_code, "error", RS.name, RS.indicator_cell(target)) in codes(r), [x.to_dict() for x in r.issues]


def test_numbers_in_messages_are_written_the_vietnamese_way_and_years_plainly(tmp_path):
    report = corpus.type_over(corpus.write_report(tmp_path), RS.name, RS.indicator_cell("CC01"), 12345678.5)
    msg = [i.message for i in validate_file(report).issues if i.field == "CC01"][0]
    assert "12.345.678,5" in msg
    report = corpus.type_over(report, RS.name, RS.indicator_cell("CC01"), -5)
    msg = [i.message for i in validate_file(report).issues if i.field == "CC01"][0]
    assert "từ 0 đến 10.000.000" in msg and "-5" in msg
    road = PLAN.sheet("Lộ trình")
    year_cell = f"{spec.col_letter(road.col('nam'))}{road.first_row}"
    plan = corpus.type_over(corpus.write_plan(tmp_path), road.name, year_cell, 2019)
    msg = [i.message for i in validate_file(plan).issues if i.field == "nam"][0]
    assert "từ 2020 đến 2035, đang ghi 2019" in msg
    target = road.extra_cell("muc_tieu_nam", PLAN.header_first_row, len(PLAN.header))
    plan = corpus.type_over(plan, road.name, target, 2040)
    msg = [i.message for i in validate_file(plan).issues if i.cell == target and i.sheet == road.name][0]
    assert "từ 2020 đến 2035" in msg



@pytest.mark.parametrize("value", [1e20, 12345678901234567890, 1.5e300])
def test_a_huge_number_is_out_of_range_not_a_corrupt_file(tmp_path, value):
    """A number past 2**53 in an indicator's cell (an ID number typed as a number) made the message's formatting raise,
    and the file was reported "bị hỏng" (corrupt: resave it in Excel), which would never help. It is an indicator
    out of range, its value written as its digits."""
    report = corpus.type_over(corpus.write_report(tmp_path), RS.name, RS.indicator_cell("CC01"), value)
    r = validate_file(report)
    assert r.status == "invalid", [i.to_dict() for i in r.issues]
    msg = [i.message for i in r.issues if i.field == "CC01"][0]
    held = cell(grid(report, RS.name), RS.indicator_cell("CC01"))  # the float the file holds, read by calamine
    digits = f"{int(Decimal(repr(held))):,}".replace(",", ".")
    assert f"đang ghi {digits}" in msg

def test_rule_messages_show_the_values_they_compared(tmp_path):
    v = corpus.report_values()
    path = corpus.type_over(corpus.write_report(tmp_path), RS.name, RS.indicator_cell("TD05"), v["TD04"] - 1)
    issue = [i for i in validate_file(path).issues if i.code == "rule" and i.field == "TD05"][0]
    assert f"TD04 = {v['TD04']}; TD05 = {v['TD04'] - 1}" in issue.message
    # a breakdown above its total names each part's cell and value, their sum and the total's
    path = corpus.type_over(corpus.write_report(tmp_path), RS.name, RS.indicator_cell("TD08"), v["TD08"] + 7)
    issue = [i for i in validate_file(path).issues if i.code == "parts" and i.field == "TD07"][0]
    total = v["TD08"] + 7 + v["TD09"] + v["TD10"]
    cell = RS.indicator_cell
    assert (f"(ô {cell('TD08')}) = {v['TD08'] + 7} + " in issue.message and f"(ô {cell('TD10')}) = {v['TD10']}, "
            f"cộng lại {total}, lớn hơn" in issue.message and f"(ô {cell('TD07')}) = {v['TD07']}." in issue.message)
    rows = corpus.log_rows()
    rows[0]["ngay_giai_quyet"] = rows[0]["ngay_tiep"].replace(day=1) if rows[0]["ngay_tiep"].day > 1 else None
    log = validate_file(corpus.write_log(tmp_path, rows))
    issue = [i for i in log.issues if i.code == "rule" and i.cell == log_cell("ngay_giai_quyet")][0]
    assert f"Ngày giải quyết {rows[0]['ngay_giai_quyet']:%d/%m/%Y}; Ngày tiếp {rows[0]['ngay_tiep']:%d/%m/%Y}" in issue.message


def test_ratio_formula_overwritten_by_a_constant(tmp_path):
    path = corpus.put(corpus.write_report(tmp_path), RS.name, RS.indicator_cell("TD13"), 0.9)
    assert ("formula-altered", "error", RS.name, RS.indicator_cell("TD13")) in codes(validate_file(path))


def test_a_cells_own_tag_tells_its_formula_as_the_whole_sheets_scan_does(tmp_path):
    """``Book.lacking_formula`` (each asked cell's own tag, issue 27) against ``formula_cells`` (every formula of the
    sheet): the same cells for every cell of each sheet, in sheet order and in reverse, on a report as built, with a
    formula overwritten, and written again by openpyxl (another writer's attribute layout)."""
    from openpyxl import load_workbook

    from dvcq.intake.read import load

    built = corpus.write_report(tmp_path)
    altered = corpus.type_over(corpus.write_report(tmp_path / "b"), RS.name, RS.indicator_cell("TD13"), 0.9)
    resaved = tmp_path / "resaved.xlsx"
    load_workbook(built).save(resaved)
    refs = [spec.cell_ref(r, c) for r in range(1, 120) for c in range(1, 12)]
    for path in (built, altered, resaved):
        book = load(path)
        for name in book.sheet_names:
            present = book.formula_cells(name)
            assert book.lacking_formula(name, refs) == [r for r in refs if r not in present]
            assert book.lacking_formula(name, refs[::-1]) == [r for r in refs[::-1] if r not in present]
    assert RS.indicator_cell("TD13") in load(built).formula_cells(RS.name)
    assert RS.indicator_cell("TD13") in load(altered).lacking_formula(RS.name, [RS.indicator_cell("TD13")])


def test_formula_error_cell(tmp_path):
    from openpyxl import load_workbook

    path = corpus.write_report(tmp_path)
    wb = load_workbook(path)
    c = wb[RS.name][RS.indicator_cell("TT01")]
    c.value, c.data_type = "#REF!", "e"
    wb.save(path)
    r = validate_file(path)
    assert ("formula-error", "error", RS.name, RS.indicator_cell("TT01")) in codes(r)


def test_text_that_looks_like_a_formula_is_harmless(tmp_path):
    path = corpus.type_over(corpus.write_report(tmp_path), "Đánh giá", REPORT.sheet("Đánh giá").text_cell("KN"),
                      "=HYPERLINK(\"http://x\")", as_text=True)
    r = validate_file(path)
    assert r.status == "ok" and r.summary.texts["KN"].startswith("=")


def test_renamed_column_and_missing_sheet(tmp_path):
    path = corpus.type_over(corpus.write_log(tmp_path), LS.name, f"C{LS.header_row}", "Tên người dân", True)
    assert ("structure", "error", LS.name, f"C{LS.header_row}") in codes(validate_file(path))
    from openpyxl import load_workbook

    path = corpus.write_report(tmp_path / "b")
    wb = load_workbook(path)
    wb["Đánh giá"].title = "Danh gia 2"
    wb.save(path)
    assert any(i.code == "structure" and i.sheet == "Đánh giá" for i in validate_file(path).issues)


def test_unit_and_period_checks(tmp_path):
    from openpyxl import load_workbook

    path = corpus.write_report(tmp_path)
    r = validate_file(path, period=__import__("dvcq.calendar.periods", fromlist=["parse"]).parse("2024-Y"))
    assert ("period", "error", RS.name, REPORT.header_cell("period")) in codes(r)
    wb = load_workbook(path)
    meta = wb[REPORT.meta_sheet]
    for row in meta.iter_rows(min_col=1, max_col=2):
        if row[0].value == "unit_code":
            row[1].value = "99999"
    wb.save(path)
    assert ("unit", "error", RS.name, REPORT.header_cell("unit_code")) in codes(validate_file(path))


def test_submission_without_metadata_is_identified_with_a_warning(tmp_path):
    from openpyxl import load_workbook

    path = corpus.write_report(tmp_path)
    wb = load_workbook(path)
    del wb[REPORT.meta_sheet]
    wb.save(path)
    r = validate_file(path)
    assert r.form_id == "bao-cao-dinh-ky" and r.unit_code == corpus.UNIT[0]
    assert any(i.code == "no-meta" and i.severity == "warning" for i in r.issues)
    assert r.status == "ok"


def test_older_spec_version_is_refused_with_a_clear_message(tmp_path):
    from openpyxl import load_workbook

    path = corpus.write_report(tmp_path)
    wb = load_workbook(path)
    for row in wb[REPORT.meta_sheet].iter_rows(min_col=1, max_col=2):
        if row[0].value == "spec_version":
            row[1].value = 0
    wb.save(path)
    issue = [i for i in validate_file(path).issues if i.code == "spec-version"][0]
    assert "phiên bản 0" in issue.message


def test_foreign_workbook(tmp_path):
    import xlsxwriter

    path = tmp_path / "bang-luong.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Lương").write(0, 0, "Họ tên")
    wb.close()
    r = validate_file(path)
    assert r.status == "invalid" and r.issues[0].code == "foreign-form"


def test_duplicate_log_rows(tmp_path):
    rows = corpus.log_rows()
    rows.append(dict(rows[0], stt=4))
    r = validate_file(corpus.write_log(tmp_path, rows))
    assert ("duplicate-row", "warning", LS.name, f"A{LS.first_row + 3}") in codes(r)


def test_rows_below_the_allowed_area_are_reported(tmp_path):
    path = corpus.type_over(corpus.write_log(tmp_path), LS.name, f"C{LS.first_row + LS.max_rows + 3}", "Ai đó", True)
    assert any(i.code == "overflow" for i in validate_file(path).issues)


def test_used_range_claiming_a_million_rows(tmp_path):
    path = corpus.write_log(tmp_path)
    data = {}
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            data[n] = z.read(n)
    sheet_part = "xl/worksheets/sheet2.xml"
    data[sheet_part] = data[sheet_part].replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in data.items():
            z.writestr(n, b)
    r = validate_file(path)
    assert r.status == "ok", [i.to_dict() for i in r.issues]


def test_external_link_is_reported(tmp_path):
    path = corpus.write_report(tmp_path)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    assert any(i.code == "external-link" for i in validate_file(path).issues)


def test_report_must_agree_with_the_log_of_the_same_unit(tmp_path):
    values = corpus.report_values()
    values["TD04"] += 1
    values["TD05"] += 1
    corpus.write_report(tmp_path, values)
    corpus.write_log(tmp_path)
    report = validate_paths([tmp_path])
    rep = [f for f in report.files if f.form_id == "bao-cao-dinh-ky"][0]
    assert ("cross-form", "error", RS.name, RS.indicator_cell("TD04")) in codes(rep)
    assert rep.status == "invalid" and report.exit_code == 1


def _sha(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_annotated_copy_marks_cells_and_inputs_stay_byte_identical(tmp_path):
    from openpyxl import load_workbook

    src = tmp_path / "nop"
    src.mkdir()
    path = corpus.type_over(corpus.write_log(src), LS.name, log_cell("phan_loai"), "abc", True)
    corpus.write_report(src)
    before = _sha(src)
    report = validate_paths([src], annotate_dir=tmp_path / "danh-dau")
    assert _sha(src) == before
    log = [f for f in report.files if f.path == path][0]
    assert log.annotated_path and log.annotated_path.parent == tmp_path / "danh-dau"
    wb = load_workbook(log.annotated_path)
    assert wb.sheetnames[0] == "Lỗi cần sửa"
    cell = wb[LS.name][log_cell("phan_loai")]
    assert cell.comment is not None and "danh sách" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    listing = wb["Lỗi cần sửa"]
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
             for row in listing.iter_rows() for c in row if c.hyperlink]
    assert any(log_cell("phan_loai") in (link or "") for link in links)


def test_annotated_copy_of_a_macro_enabled_workbook_keeps_its_macros(tmp_path):
    src = tmp_path / "nop"
    src.mkdir()
    plain = corpus.type_over(corpus.write_log(tmp_path), LS.name, log_cell("phan_loai"), "abc", True)
    path = corpus.as_xlsm(plain)
    path = path.rename(src / path.name)
    report = validate_paths([src], annotate_dir=tmp_path / "danh-dau")
    result = report.files[0]
    assert result.status == "invalid" and ("enum", "error", LS.name, log_cell("phan_loai")) in codes(result)
    copy = result.annotated_path
    assert copy.suffix == ".xlsm"
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(copy) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
        assert b"macroEnabled" in b.read("[Content_Types].xml")


def test_bad_files_get_a_status_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    corpus.write_report(folder)
    damaged = badfiles.damaged_sheet_xlsx(folder, corpus.write_log(tmp_path))
    made = {
        "empty-file": badfiles.empty_file(folder), "not-zip": badfiles.not_zip(folder),
        "corrupt": badfiles.truncated_xlsx(folder), "lock-file": badfiles.lock_file(folder),
        "encrypted": badfiles.encrypted_xlsx(folder), "xls-legacy": badfiles.html_as_xls(folder),
        "unsupported-format": badfiles.ods_file(folder), "hidden-file": badfiles.hidden_file(folder),
    }
    before = _sha(folder)
    report = validate_paths([folder])
    assert _sha(folder) == before
    by_path = {f.path: f for f in report.files}
    for code, path in made.items():
        f = by_path[path]
        assert f.issues and f.issues[0].code == code, (code, f.to_dict())
        assert f.status in ("unreadable", "skipped")
    garbled = by_path[damaged]
    assert garbled.status == "unreadable" and [i.code for i in garbled.issues] == ["corrupt"], garbled.to_dict()
    assert "hãy" in garbled.issues[0].message
    assert [f for f in report.files if f.status == "ok"], "the valid file was still checked"
    assert report.exit_code == 1


def _cli(*args):
    return run(*args)  # in this process (tests/support/cli.py); tests/cli/test_json.py runs validate's process


def test_cli_exit_codes_and_json(tmp_path):
    ok = tmp_path / "ok"
    corpus.write_report(ok)
    r = _cli("validate", ok)
    assert r.returncode == 0 and "✓" in r.stdout
    bad = tmp_path / "bad"
    corpus.type_over(corpus.write_report(bad), RS.name, RS.indicator_cell("TD08"), 9)
    r = _cli("validate", bad, "--json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    f = doc["files"][0]
    assert {"path", "sha256", "form_id", "spec_version", "unit_code", "period", "status", "issues"} <= set(f)
    assert f["status"] == "invalid" and f["issues"][0]["cell"] == RS.indicator_cell("TD07")
    assert {"code", "severity", "sheet", "cell", "message"} <= set(f["issues"][0])
    r = _cli("validate", ok, "--period", "2024-X")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_nhu_thanh_sample_has_no_errors():
    assert sorted(SAMPLE.glob("*.xlsx")), f"the committed sample set is missing from {SAMPLE} (make workbooks)"
    report = validate_paths([SAMPLE], workers=1)
    bad = [(f.path.name, [i.to_dict() for i in f.errors]) for f in report.files if f.errors]
    assert not bad
    assert report.exit_code == 0


def test_injected_errors_are_reported_at_their_cells(tmp_path):
    from dvcq.units.registry import load

    kids = [u.code for u in load("legacy").children("403")][:3]
    sample.write_samples("403", "2024-H1", tmp_path, seed=3, errors=True, children=kids)
    injected = json.loads((tmp_path / "_loi-co-y.json").read_text(encoding="utf-8"))
    report = validate_paths([tmp_path])
    found = {(f.path.name, i.sheet, i.cell, i.code) for f in report.files for i in f.issues}
    for e in injected:
        assert (Path(e["file"]).name, e["sheet"], e["cell"], e["code"]) in found, e
