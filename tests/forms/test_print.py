"""What officials see and print: every visible sheet has a print setup, no internal code is shown.

User-facing identifiers, by design: the periodic report's indicator codes (TD13...) and its text
codes (KQ, HC...) are printed in the form's "Mã số" column and head the roll-up's summary columns;
unit codes are the NSO's. Internal: table field names, measure codes, roll-up-only keys, issue codes
and form ids; they stay in hidden metadata and in --json.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache

import pytest
from click.testing import CliRunner
from dvcq.cli import main
from dvcq.excel.xlsm import build_control_workbook
from dvcq.forms import spec
from dvcq.forms.build import build_all
from dvcq.intake.issues import CODES
from dvcq.intake.validate import validate_paths
from dvcq.rollup.layout import load_layout
from dvcq.rollup.writer import HASH_COL
from dvcq.samples.sample import write_samples
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.support import printcheck
from tests.support.office import convert
from tests.support.printcheck import clipped_texts, page_column_groups, page_overflows

ROLLUP_ONLY_KEYS = {"qh_vu_viec", "nv_qua_han"}  # columns the roll-up adds to the measures


def internal_codes() -> set[str]:
    forms = spec.load_forms().values()
    codes = set(CODES) | set(spec.FORM_IDS) | ROLLUP_ONLY_KEYS
    for form in forms:
        codes |= {f.name for f in form.header}
        codes |= {m.code for m in form.measures}
        for sheet in form.sheets:
            codes |= {f.name for f in sheet.fields + sheet.extra_header}
    return codes


CODES_SHOWN = internal_codes()
# a code with an underscore is unmistakable inside a text; the others only as a whole cell
IN_TEXT = re.compile("|".join(re.escape(c) for c in sorted(CODES_SHOWN) if "_" in c))


@pytest.fixture(scope="module")
def books(nhu_thanh_rollup, tmp_path_factory):
    base = tmp_path_factory.mktemp("print")
    forms = build_all(base / "forms")
    control = build_control_workbook(base / "forms" / "dvcq-dieu-khien.xlsm")
    rollup = nhu_thanh_rollup.out_path  # tests/conftest.py: the committed sample consolidated
    # two communes' forms with errors (the district's fourteen annotated the same two forms ten times over)
    write_samples("403", "2024-H1", base / "loi", seed=1, errors=True, children=["16228", "16231"])
    report = validate_paths([base / "loi"], None, base / "ban-danh-dau-loi")
    annotated = [f.annotated_path for f in report.files if f.annotated_path]
    assert {f.form_id for f in report.files if f.annotated_path} == {"so-tiep-cong-dan", "bao-cao-dinh-ky"}
    return {"forms": forms, "control": [control], "rollup": [rollup], "annotated": annotated, "base": base}


def _all(books):
    return [p for kind in ("forms", "control", "rollup", "annotated") for p in books[kind]]


@lru_cache(maxsize=None)
def _visible(path):
    """The visible sheets, each workbook loaded once for the module's tests (which only read them)."""
    wb = load_workbook(path, keep_vba=path.suffix == ".xlsm")
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def _hidden_columns(ws) -> set[str]:
    out = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden:
            out |= {get_column_letter(c) for c in range(dim.min, dim.max + 1)}
    return out


def test_every_visible_sheet_prints_on_a4_fitted_to_width_with_page_numbers(books):
    """A4, page numbers, and each printed page's columns within the paper's width: a sheet fitted to pages
    wide, or printed at a scale its columns fit at (the roll-up and the forms: Excel honours manual page
    breaks only at a scale), measured from the file's column widths, breaks and repeated columns."""
    for path in _all(books):
        for ws in _visible(path):
            where = f"{path.name}/{ws.title}"
            assert ws.page_setup.paperSize == 9, where
            assert ws.page_setup.orientation in ("portrait", "landscape"), where
            props = ws.sheet_properties.pageSetUpPr
            if props is not None and props.fitToPage:
                assert (ws.page_setup.fitToWidth or 1) >= 1 and ws.page_setup.fitToHeight == 0, where
            else:
                assert 40 <= (ws.page_setup.scale or 100) <= 100, where
            assert not page_overflows(ws), (where, page_overflows(ws))
            marks = [ws.oddFooter.center.text, ws.oddHeader.center.text]
            assert any(m and "&P" in m for m in marks), where


def test_a_table_wider_than_a_landscape_page_is_split_with_its_first_columns_repeated(books):
    """The report's 69 indicators by unit: pages of value columns, each with STT, Mã đơn vị, Đơn vị."""
    summary = load_workbook(books["rollup"][0])[load_layout().units_sheet(spec.REPORT).name]
    assert summary.print_title_cols == "$A:$C" and summary.page_setup.orientation == "landscape"
    groups = page_column_groups(summary)
    assert len(groups) > 1 and all(g[:3] == ["A", "B", "C"] for g in groups[1:])
    values = [c for g in groups for c in g if c not in ("A", "B", "C")]
    assert len(values) == len(set(values)) == len(load_layout().units_sheet(spec.REPORT).columns)
    assert (summary.page_setup.scale or 100) >= 70  # not shrunk to an unreadable page
    assert "BIỂU TỔNG HỢP" in summary.oddHeader.center.text  # the title prints whole on every page


def test_overdue_tasks_have_their_own_sheet_and_titles(books):
    wb = load_workbook(books["rollup"][0])
    tasks = wb[load_layout().sheet("overdue_tasks").name]
    assert tasks.print_title_rows == "$4:$4" and tasks["A4"].value == "STT"
    assert not any("quá hạn chưa hoàn thành" in str(c.value) for row in wb[load_layout().units_sheet(spec.PLAN).name].iter_rows() for c in row)


def test_no_header_or_label_is_wider_or_taller_than_its_cell(books):
    """Every text of every printed sheet shows whole at the written column widths and row heights, measured
    with the fonts' metrics (PIL on Liberation Serif): wrapped texts by their lines, others by their width."""
    if not printcheck.fonts_available():
        pytest.skip("the Liberation fonts are not installed (fonts-liberation2)")
    pytest.importorskip("PIL")
    for path in books["forms"] + books["rollup"]:
        for ws in _visible(path):
            assert not clipped_texts(ws), (f"{path.name}/{ws.title}", clipped_texts(ws)[:5])


def test_reception_log_prints_mau_03_on_one_page_width_and_the_rest_beside_it(books):
    log = spec.load_form(spec.LOG)
    sheet = log.table_sheets()[0]
    ws = load_workbook(next(p for p in books["forms"] if p.stem == spec.LOG))[sheet.name]
    assert ws.page_setup.orientation == "landscape"
    groups = page_column_groups(ws)
    numbers = {get_column_letter(i): f.number for i, f in enumerate(sheet.fields, start=1)}
    assert [numbers[c] for c in groups[0]] == [f.number for f in sheet.fields if int(f.number) <= 12]
    assert groups[1][:2] == ["A", "B"] and [ws.cell(sheet.header_row, 1).value, ws.cell(sheet.header_row, 2).value] \
        == ["STT", "Ngày tiếp"]
    assert {numbers[c] for c in groups[1][2:]} == {f.number for f in sheet.fields if int(f.number) > 12}
    # a blank book: ruled rows to write in, printed
    first = sheet.first_row
    _, _, _, last = printcheck.print_bounds(ws)
    assert last - first + 1 == sheet.book_rows >= 30
    assert all(ws.cell(r, c).border.bottom.style for r in (first, last) for c in range(1, len(sheet.fields) + 1))


def test_periodic_report_prints_at_body_size_over_pages_with_a_signature_block(books):
    form = spec.load_form(spec.REPORT)
    ws = load_workbook(next(p for p in books["forms"] if p.stem == spec.REPORT))[form.main.name]
    assert (ws.page_setup.scale or 100) >= 90  # body-sized type, not 69 indicators shrunk onto one page
    assert len(ws.row_breaks.brk) >= 2  # as many pages as the indicators need
    last = form.main.indicators[-1].row
    texts = [str(c.value) for row in ws.iter_rows(min_row=last + 1) for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert any(t.startswith("=IF(C") for t in texts)  # the preparer's name from the header
    heads = {r for _, r in form.main.groups}
    for brk in ws.row_breaks.brk:  # a page never ends with a group's heading, nor starts inside the signature
        assert brk.id not in heads and not last + 2 <= brk.id <= last + 7, brk.id


def test_no_visible_cell_holds_an_internal_code(books):
    assert {"luot_tiep", "nv_tong", "qh_vu_viec", "rule", "enum", "ho_ten"} <= CODES_SHOWN
    for path in _all(books):
        for ws in _visible(path):
            hidden = _hidden_columns(ws)
            for row in ws.iter_rows():
                for c in row:
                    if not isinstance(c.value, str) or c.column_letter in hidden or ws.row_dimensions[c.row].hidden:
                        continue
                    text = c.value.strip()
                    assert text not in CODES_SHOWN and not IN_TEXT.search(text), f"{path.name}/{ws.title}!{c.coordinate}: {text}"


def test_ledger_keeps_the_sha256_hidden(books):

    ws = load_workbook(books["rollup"][0])[load_layout().sheet("ledger").name]
    letter = get_column_letter(HASH_COL + 1)
    assert letter in _hidden_columns(ws)
    assert any(re.fullmatch(r"[0-9a-f]{64}", str(c.value)) for c in ws[letter])


def test_control_workbook_shows_only_the_control_sheet(books):
    wb = load_workbook(books["control"][0], keep_vba=True)
    assert len(wb.worksheets) == 2  # the VBA project has document modules for two sheets
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["Điều khiển"]


def _no_codes(text: str) -> None:
    for code in CODES:
        assert not re.search(rf"\({re.escape(code)}\)|\[{re.escape(code)}\]", text), code
    assert "required" not in text and "[default" not in text


def test_console_and_help_show_no_codes(books):
    runner = CliRunner()
    out = runner.invoke(main, ["validate", str(books["base"] / "loi")]).output
    assert "[LỖI]" in out
    _no_codes(out.replace(str(books["base"]), ""))
    for name in [None, *main.commands]:
        result = runner.invoke(main, [name, "--help"] if name else ["--help"])
        assert result.exit_code == 0, name
        _no_codes(result.output)


def _page_texts(pdf) -> list[str]:
    """Each page's text, spaces removed (pdftotext splits words at kerned letters: "QUY ỀN"), from one pdftotext
    of the whole file (pages end with a form feed), checked against pdfinfo's page count and each page's footer."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    whole = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    texts = [re.sub(r"\s+", "", page) for page in whole.split("\f")]
    assert len(texts) == pages + 1 and texts[-1] == "", (len(texts), pages)
    for n, page in enumerate(texts[:-1], 1):
        assert f"Trang{n}/{pages}" in page, n
    return texts[:-1]


def _pages_with(texts: list[str], text: str) -> list[int]:
    return [n for n, page in enumerate(texts, 1) if re.sub(r"\s+", "", text) in page]


def test_rollup_summary_prints_its_pages_wide_with_its_title_on_each(books, soffice, tmp_path):
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")
    pdf = convert(soffice, books["rollup"][0], "pdf", tmp_path)
    summary = load_workbook(books["rollup"][0])[load_layout().units_sheet(spec.REPORT).name]
    # 14 communes fit one page tall: the indicators take one page per column group, all titled in full
    texts = _page_texts(pdf)
    pages = _pages_with(texts, "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN")
    assert len(pages) == len(page_column_groups(summary))
    # the footnote under it is whole on every page (it was cut at the first page's edge)
    note = "Tỷ lệ của dòng Tổng cộng tính từ tổng tử số và tổng mẫu số"
    assert _pages_with(texts, note) == pages
