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

from tests.support.office import convert

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
    write_samples("403", "2024-H1", base / "loi", seed=1, errors=True)
    report = validate_paths([base / "loi"], None, base / "ban-danh-dau-loi")
    annotated = [f.annotated_path for f in report.files if f.annotated_path]
    assert annotated
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


# the widest table, the report's indicators by unit, prints about 18 value columns a page
WIDEST = -(-len(load_layout().units_sheet(spec.REPORT).columns) // 18)


def test_every_visible_sheet_prints_on_a4_fitted_to_width_with_page_numbers(books):
    for path in _all(books):
        for ws in _visible(path):
            where = f"{path.name}/{ws.title}"
            assert ws.page_setup.paperSize == 9, where
            assert ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert (ws.page_setup.fitToWidth or 1) <= WIDEST and ws.page_setup.fitToHeight == 0, where
            assert ws.page_setup.orientation in ("portrait", "landscape"), where
            marks = [ws.oddFooter.center.text, ws.oddHeader.center.text]
            assert any(m and "&P" in m for m in marks), where


def test_wide_rollup_tables_repeat_units_and_each_table_has_its_own_print_titles(books):
    wb = load_workbook(books["rollup"][0])
    summary = wb[load_layout().units_sheet(spec.REPORT).name]
    assert summary.page_setup.fitToWidth == WIDEST and summary.print_title_cols == "$A:$C"
    assert "BIỂU TỔNG HỢP" in summary.oddHeader.center.text  # the title prints whole on every page
    tasks = wb[load_layout().sheet("overdue_tasks").name]
    assert tasks.print_title_rows == "$4:$4" and tasks["A4"].value == "STT"
    assert not any("quá hạn chưa hoàn thành" in str(c.value) for row in wb[load_layout().units_sheet(spec.PLAN).name].iter_rows() for c in row)


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


def _pages_with(pdf, text: str) -> list[int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    found = []
    for n in range(1, pages + 1):
        page = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        page = re.sub(r"\s+", "", page)  # pdftotext splits words at kerned letters ("QUY ỀN")
        assert f"Trang{n}/{pages}" in page, n
        if re.sub(r"\s+", "", text) in page:
            found.append(n)
    return found


def test_rollup_summary_prints_its_pages_wide_with_its_title_on_each(books, soffice, tmp_path):
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")
    pdf = convert(soffice, books["rollup"][0], "pdf", tmp_path)
    # 14 communes fit one page tall: the indicators take WIDEST pages (18 columns a page), all titled in full
    assert len(_pages_with(pdf, "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN")) == WIDEST
