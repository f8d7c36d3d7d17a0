"""The plan (issue 16): the plan workbook holds a whole kế hoạch, `dvcq plan` writes it as the document a
chairman signs, `dvcq plan --import` turns an existing plan into a workbook, and only dated tasks can be
overdue.

The seed plan 002 (UBND huyện Như Thanh) is imported into a workbook, the document is written from that
workbook and read back with python-docx: each task of the workbook (read here from the file with
python-calamine, not with dvcq) once under its group, each body under IV with its responsibilities, the
legal bases in the opening, page numbers from page 2, "./." and Nơi nhận. Expected counts of seed 002
are the hand counts of tests/test_planimport.py.
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from dvcq.cli import main
from dvcq.documents.planbook import classify, import_plan
from dvcq.documents.planwriter import write_plan
from dvcq.errors import UserError
from dvcq.excel import xl
from dvcq.excel.xlsm import build_control_workbook
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.forms.legacy import legacy_layout
from dvcq.intake import measures
from dvcq.intake.validate import validate_file, validate_paths
from dvcq.samples.sample import write_samples
from dvcq.text import fold
from python_calamine import CalamineWorkbook

from tests.support import corpus
from tests.support.office import convert
from tests.support.paths import ROOT, SAMPLE
from tests.support.winlocks import open_in_office
from tests.support.xlstub import Book

PLANS = Path(__file__).resolve().parent / "plans"
SEED_002 = next(PLANS.glob("002_*.txt"))
PLAN = spec.load_form("ke-hoach")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def rows(path: Path, sheet_name: str) -> list[dict]:
    """A table of the workbook as the file holds it (python-calamine), through the current layout."""
    sheet = PLAN.sheet(sheet_name)
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    out = []
    for r in grid[sheet.first_row - 1:]:
        cells = {f.name: (r[i] if i < len(r) else "") for i, f in enumerate(sheet.fields)}
        if any(v not in ("", None) for v in cells.values()):
            out.append(cells)
    return out


def has_sheet(path: Path, name: str) -> bool:
    return name in CalamineWorkbook.from_path(str(path)).sheet_names


# --- recurring deadlines --------------------------------------------------------------------------

PERIOD = corpus.PERIOD  # 2024-H1: data to 14/6/2024


def _tasks(deadlines: list, status: str = "Đang triển khai") -> list[dict]:
    return [{"nhom": "Cải cách hành chính", "stt": i, "noi_dung": f"Nhiệm vụ {i}", "chu_tri": "Văn phòng - Thống kê",
             "thoi_han": d, "trang_thai": status} for i, d in enumerate(deadlines, 1)]


def _plan_file(folder: Path, tasks: list[dict], name: str = "kh.xlsx") -> Path:
    c = Content(header=corpus.header(), unit_level="commune", rows={"Nhiệm vụ": tasks},
                saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(PLAN, folder / name, c)


def test_only_dated_tasks_can_be_overdue(tmp_path):
    deadlines = [date(2024, 3, 31),  # passed and open: overdue
                 date(2024, 6, 14),  # the period's last day: not yet late
                 date(2024, 9, 30),  # after the period: not late
                 "Thường xuyên", "Hằng năm", "Định kỳ hằng quý", "6 tháng",  # recurring: never overdue
                 "Năm 2024", "Quý I/2024", "6 tháng đầu năm 2024"]  # a period of a year, not a date: never either
    r = validate_file(_plan_file(tmp_path, _tasks(deadlines)))
    assert r.status == "ok" and not r.errors, r.issues
    [late] = r.summary.overdue_tasks
    # days late counted to the day the plan's figures run to, its "Ngày lập" (10/06, before the window's end)
    assert (late.thoi_han, late.days_late) == ("2024-03-31", (date(2024, 6, 10) - date(2024, 3, 31)).days)
    assert r.summary.measures["nv_tong"] == len(deadlines)
    # a finished or suspended task is not overdue either, dated or not
    done = _tasks([date(2024, 3, 31)], "Tạm dừng")
    assert validate_file(_plan_file(tmp_path, done, "dung.xlsx")).summary.overdue_tasks == []


def test_overdue_tasks_reads_only_dates_from_the_cleaned_columns():
    sheet = PLAN.sheet("Nhiệm vụ")
    cols = {f.name: [None] * 3 for f in sheet.fields}
    cols.update(nhom=["Khác"] * 3, noi_dung=["a", "b", "c"], trang_thai=["Chưa triển khai"] * 3,
                thoi_han=[date(2024, 1, 10), "Thường xuyên", "Năm 2024"])
    out = measures.overdue_tasks(PLAN, {sheet.name: cols}, {sheet.name: [11, 12, 13]}, "16231", date(2024, 6, 14))
    assert [t.ref for t in out] == ["16231-11"]


@pytest.mark.parametrize("written,read,warning", [
    ("Thường xuyên", "Thường xuyên", None),
    ("Hằng năm", "Hằng năm", None),
    ("Định kỳ hằng quý", "Định kỳ hằng quý", None),
    ("Năm 2025", "Năm 2025", None),
    ("Quý II/2024", "Quý II/2024", None),
    ("hàng năm", "Hằng năm", "enum"),  # read tolerantly, told
    ("quý 2 năm 2024", "Quý II/2024", "enum"),
    ("30/06/2024", date(2024, 6, 30), "date-text"),
    ("trước ngày 15/6/2024", date(2024, 6, 15), "date-text"),
])
def test_deadline_terms_are_accepted(tmp_path, written, read, warning):
    path = _plan_file(tmp_path, _tasks([written]))
    r = validate_file(path, keep=True)
    assert r.status == "ok" and not r.errors, r.issues
    assert r._ctx.clean["Nhiệm vụ"]["thoi_han"] == [read]
    assert [i.code for i in r.warnings] == ([warning] if warning else [])


def test_a_deadline_that_is_neither_a_date_nor_a_term_is_an_error(tmp_path):
    r = validate_file(_plan_file(tmp_path, _tasks(["sớm nhất có thể"])))
    [e] = r.errors
    assert e.code == "type" and e.sheet == "Nhiệm vụ" and "Thường xuyên" in e.message and "sớm nhất" in e.message


def test_the_deadline_dropdown_offers_terms_and_takes_a_date(tmp_path):
    from openpyxl import load_workbook

    path = _plan_file(tmp_path, [])
    sheet = PLAN.sheet("Nhiệm vụ")
    col = spec.col_letter(sheet.col("thoi_han"))
    wb = load_workbook(path)
    [dv] = [d for d in wb[sheet.name].data_validations.dataValidation if f"{col}{sheet.first_row}" in d.sqref]
    assert dv.type == "list" and dv.errorStyle == "information"  # a typed date is kept after the note
    ref = dv.formula1.split("!")[1].replace("$", "")
    values = [c.value for row in wb["Danh mục"][ref] for c in row]
    assert values[:5] == ["Thường xuyên", "Hằng tháng", "Định kỳ hằng quý", "6 tháng", "Hằng năm"]
    assert {"Năm 2024", "Năm 2025", "Quý II/2024", "6 tháng đầu năm 2025"} <= set(values)


def test_the_content_areas_of_the_seeds_have_their_own_groups():
    groups = PLAN.sheet("Nhiệm vụ").field("nhom").enum
    for area in ("Phối hợp với Mặt trận Tổ quốc, các đoàn thể", "Đạo đức công vụ, văn hóa công sở",
                 "Đào tạo, bồi dưỡng, tập huấn", "Hòa giải ở cơ sở"):
        assert area in groups
    # by reading the tasks of the seeds (004 items 7, 6, 10, 9; 001 item 6)
    assert classify("Phối hợp với Khối Dân Vận xã, Ủy ban Mặt trận Tổ quốc, các tổ chức chính trị xã hội theo dõi") \
        == "Phối hợp với Mặt trận Tổ quốc, các đoàn thể"
    assert classify("Nâng cao đạo đức công vụ, tinh thần trách nhiệm, ý thức phục vụ nhân dân") \
        == "Đạo đức công vụ, văn hóa công sở"
    assert classify("Tăng cường công tác đào tạo, tập huấn, bồi dưỡng, bố trí, điều động những cán bộ") \
        == "Đào tạo, bồi dưỡng, tập huấn"
    assert classify("Phát huy hơn nữa vai trò của Tổ hòa giải ở cơ sở") == "Hòa giải ở cơ sở"
    assert classify("Một việc không thuộc nhóm nào") == "Khác"


# --- seed 002: the document into a workbook ----------------------------------------------------------

@pytest.fixture(scope="module")
def seed_book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ke-hoach")
    return import_plan(SEED_002, folder / "ke-hoach-002.xlsx")


def test_seed_002_imports_into_a_valid_workbook(seed_book):
    path = seed_book.path
    r = validate_file(path)
    assert r.status == "ok" and not r.errors, r.errors
    assert {i.code for i in r.warnings} <= {"rule"}  # seed 002 names no lead and no deadline per task
    assert (seed_book.unit.code, seed_book.period.code) == ("403", "2023-Y")  # Như Thanh, its plan of 2023
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kế hoạch").to_python(skip_empty_area=False)
    head = {row[0]: row[2] for row in grid[:16] if row and row[0]}
    assert head["Cơ quan ban hành"] == "Ủy ban nhân dân huyện Như Thanh" and head["Cấp ban hành"] == "Cấp huyện"
    assert head["Số, ký hiệu"] == "/KH-UBND" and head["Địa danh"] == "Như Thanh"
    assert head["Tên kế hoạch"].startswith("Triển khai xây dựng, nhân rộng mô hình")
    assert head["Người ký"] == "Đặng Tiến Dũng"
    # by hand: four bases; the opening's two other paragraphs, 2 purposes, 2 requirements
    bases = rows(path, "Kế hoạch")
    assert [(b["loai"], b["so_hieu"]) for b in bases] == [("Chỉ thị", "33/CT-TTg"), ("Kết luận", "862-KL/TU"),
                                                          ("Kế hoạch", "123/KH-UBND"), ("Kế hoạch", "104-KH/HU")]
    texts = rows(path, "Mục đích, yêu cầu")
    assert [t["phan"] for t in texts] == ["Mở đầu"] * 2 + ["Mục đích"] * 2 + ["Yêu cầu"] * 2
    # 7 tasks: II.1 the model, 2.1 propaganda, 2.2 democracy, 2.3 administrative reform (with ethics and
    # reception), 2.4 the Front, 2.5 and 3.2 inspection and reviews
    tasks = rows(path, "Nhiệm vụ")
    assert sorted(t["nhom"] for t in tasks) == sorted([
        "Chính quyền thân thiện, vì Nhân dân phục vụ", "Tuyên truyền, quán triệt", "Thực hiện dân chủ ở cơ sở",
        "Cải cách hành chính", "Phối hợp với Mặt trận Tổ quốc, các đoàn thể", "Kiểm tra, sơ kết, tổng kết",
        "Kiểm tra, sơ kết, tổng kết"])
    assert all(t["trang_thai"] == "Chưa triển khai" for t in tasks)
    # rollout: 2023 two communes, 2024 four, 2025 three, all found in the registry; 100% by 2025
    road = rows(path, "Lộ trình")
    assert [int(r["nam"]) for r in road] == [2023] * 2 + [2024] * 4 + [2025] * 3
    assert {r["ma_don_vi"] for r in road} == {"16240", "16258", "16228", "16261", "16243", "16246", "16231",
                                              "16267", "16273"}
    funding = rows(path, "Kinh phí")
    assert len(funding) == 1 and "ngân sách Nhà nước" in funding[0]["noi_dung"]
    bodies = rows(path, "Tổ chức thực hiện")
    names = list(dict.fromkeys(b["co_quan"] for b in bodies))
    assert names[0] == "Ban Dân vận Huyện ủy" and names[-1] == "Phòng Nội vụ" and len(names) == 6
    assert [len([b for b in bodies if b["co_quan"] == n]) for n in names] == [3, 2, 3, 1, 1, 1]
    assert [next(b["hinh_thuc"] for b in bodies if b["co_quan"] == n) for n in names] == \
        ["Đề nghị", "Đề nghị", "Giao", "Giao", "Giao", "Giao"]
    # the lead-in of "2. Nhiệm vụ" has no place in the workbook: it is kept, with its line
    [kept] = rows(path, "Chưa xếp được")
    assert kept["noi_dung"].endswith("những nội dung, nhiệm vụ sau đây:") and kept["dong"]
    assert (seed_book.tasks, seed_book.bodies, seed_book.unplaced) == (7, 6, 1)


def test_a_word_plan_imports_too(tmp_path):
    """Seed 004 (xã Hành Thiện, 2025) as a Word file, one paragraph per line: its 12 tasks and 4 bodies
    (hand counts of tests/test_planimport.py), the commune found in the registry of the first half of 2025."""
    doc = Document()
    for line in next(PLANS.glob("004_*.txt")).read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    doc.save(tmp_path / "ke-hoach-004.docx")
    done = import_plan(tmp_path / "ke-hoach-004.docx")
    assert done.path == tmp_path / "ke-hoach-004.xlsx"
    assert (done.tasks, done.bodies, done.unplaced, done.unit.name) == (12, 4, 0, "Xã Hành Thiện")
    assert validate_file(done.path).status == "ok"
    assert [b["hinh_thuc"] for b in rows(done.path, "Tổ chức thực hiện")][-1] == "Đề nghị"


def test_a_blank_plan_has_no_unplaced_sheet(tmp_path):
    path = build_form(PLAN, tmp_path / "trang.xlsx")
    assert not has_sheet(path, "Chưa xếp được") and has_sheet(path, "Tổ chức thực hiện")


# --- seed 002: the workbook into the document ----------------------------------------------------------

@pytest.fixture(scope="module")
def seed_doc(seed_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("van-ban") / "ke-hoach-002.docx"
    written = write_plan(seed_book.path, out=out, md=out.with_suffix(".md"), number="25", date="05/01/2024")
    return written


def _body(docx: Path) -> list:
    return [p for p in Document(str(docx)).paragraphs if p.text.strip()]


def _bold(p) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


SECTION = re.compile(r"^(I|II|III|IV|V|VI)\. [A-ZĐ]")


def _sections(paras) -> dict[str, list]:
    """The paragraphs under each Roman-numbered heading, by heading."""
    out, cur = {}, None
    for p in paras:
        if _bold(p) and SECTION.match(p.text):
            cur = p.text
            out[cur] = []
        elif cur is not None:
            out[cur].append(p)
    return out


def test_the_document_has_the_decree_s_parts(seed_doc):
    paras = _body(seed_doc.docx)
    texts = [p.text for p in paras]
    assert texts[0] == "KẾ HOẠCH" and texts[1].startswith("Triển khai xây dựng, nhân rộng mô hình")
    assert list(_sections(paras)) == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG, NHIỆM VỤ", "III. KINH PHÍ THỰC HIỆN",
                                      "IV. TỔ CHỨC THỰC HIỆN"]
    # the opening cites every legal basis of the workbook, as the seed does
    opening = texts[2]
    assert opening.startswith("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về ")
    for cited in ("Kết luận số 862-KL/TU ngày 01/8/2022 của Ban Thường vụ Tỉnh ủy",
                  "Kế hoạch số 123/KH-UBND ngày 17/5/2023 của UBND tỉnh Thanh Hóa",
                  "Kế hoạch số 104-KH/HU ngày 07/12/2022 của Ban Thường vụ Huyện ủy"):
        assert cited in opening
    assert texts[-1].endswith("./.") and sum(t.endswith("./.") for t in texts) == 1
    doc = Document(str(seed_doc.docx))
    head = doc.tables[0]
    assert [p.text for p in head.cell(0, 0).paragraphs if p.text.strip()] == ["ỦY BAN NHÂN DÂN", "HUYỆN NHƯ THANH",
                                                                            "Số: 25/KH-UBND"]
    assert "Như Thanh, ngày 05 tháng 01 năm 2024" in [p.text for p in head.cell(0, 1).paragraphs]
    foot = doc.tables[-1]
    left = [p.text for p in foot.cell(0, 0).paragraphs if p.text.strip()]
    assert left[0] == "Nơi nhận:" and left[-1] == "- Lưu: VT, NV." and "- Ban Thường vụ Huyện ủy (để b/c);" in left
    right = [p.text for p in foot.cell(0, 1).paragraphs if p.text.strip()]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Đặng Tiến Dũng"]


def test_every_task_appears_once_under_its_group(seed_book, seed_doc):
    tasks = rows(seed_book.path, "Nhiệm vụ")
    part = _sections(_body(seed_doc.docx))["II. NỘI DUNG, NHIỆM VỤ"]
    heading_of, heading = {}, None
    for p in part:
        if _bold(p) and re.match(r"^\d+\. ", p.text):
            heading = p.text
        else:
            heading_of.setdefault(p.text, []).append(heading)
    groups = PLAN.sheet("Nhiệm vụ").field("nhom").enum
    used = [g for g in groups if any(t["nhom"] == g for t in tasks)]  # the workbook's groups, in their order
    seen: dict[str, str] = {}
    for t in tasks:
        content = t["noi_dung"].rstrip(".")
        hits = [(text, h) for text, hs in heading_of.items() for h in hs if content in text]
        assert len(hits) == 1, (content[:60], hits)
        text, h = hits[0]
        g = used.index(t["nhom"]) + 1
        assert h.startswith(f"{g}. ") and re.match(rf"^{g}\.\d+\. ", text), (t["nhom"], h, text[:30])
        assert seen.setdefault(t["nhom"], h) == h  # one heading per group
    assert len(set(seen.values())) == len(used)
    assert any("tuyên truyền, quán triệt" in h for h in seen.values())
    # the rollout closes II: one line per year with its communes
    years = [p.text for p in part if p.text.startswith("- Năm ")]
    assert [y[:10] for y in years] == ["- Năm 2023", "- Năm 2024", "- Năm 2025"]
    assert "04 đơn vị" in years[1] and "thị trấn Bến Sung" in years[1]


def test_every_body_is_under_iv_with_its_responsibilities(seed_book, seed_doc):
    bodies = rows(seed_book.path, "Tổ chức thực hiện")
    part = _sections(_body(seed_doc.docx))["IV. TỔ CHỨC THỰC HIỆN"]
    under: dict[str, list[str]] = {}
    heading = None
    for p in part:
        if _bold(p) and re.match(r"^\d+\. ", p.text):
            heading = re.sub(r"^\d+\. ", "", p.text)
            under[heading] = []
        elif heading:
            under[heading].append(p.text)
    for b in bodies:
        name = b["co_quan"] if b["hinh_thuc"] == "Giao" else f"Đề nghị {b['co_quan']}"
        assert name in under, name
        text = b["noi_dung"].removesuffix("./.").rstrip(".")
        assert any(text in line for line in under[name]), (name, text[:50])
    assert len(under) == len({b["co_quan"] for b in bodies})


def test_pages_are_numbered_from_the_second(seed_doc):
    from lxml import etree

    with zipfile.ZipFile(seed_doc.docx) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = body.find(f"{W}body/{W}sectPr")
        assert sect.find(f"{W}titlePg") is not None
        refs = {h.get(f"{W}type"): targets[h.get(f"{R}id")] for h in sect.findall(f"{W}headerReference")}
        first, default = (etree.fromstring(z.read(f"word/{refs[k]}")) for k in ("first", "default"))
    instr = lambda x: " ".join(t.text or "" for t in x.iter(f"{W}instrText"))  # noqa: E731
    assert "PAGE" not in instr(first) and instr(default).split() == ["PAGE"]
    section = Document(str(seed_doc.docx)).sections[0]
    assert section.different_first_page_header_footer
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)


def test_the_plan_renders_to_pdf_and_png(seed_doc, soffice, tmp_path):
    pdf = convert(soffice, seed_doc.docx, "pdf", tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert first[0].startswith("ỦY BAN NHÂN DÂN") and not first[0].isdigit()  # no number on page 1
    for n, page in enumerate(pages[1:], start=2):
        assert [line.strip() for line in page.splitlines() if line.strip()][0] == str(n)
    assert "KẾ HOẠCH" in pages[0] and "Nơi nhận:" in pages[-1] and "Đặng Tiến Dũng" in pages[-1]
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "trang")], check=True)
    assert len(list(tmp_path.glob("trang*.png"))) == len(pages)


def test_markdown_and_what_was_written(seed_doc):
    md = seed_doc.md.read_text(encoding="utf-8")
    assert "# KẾ HOẠCH" in md and "Số: 25/KH-UBND" in md and "## IV. TỔ CHỨC THỰC HIỆN" in md
    assert (seed_doc.tasks, seed_doc.bodies) == (7, 6)
    assert any("Chưa xếp được" in n for n in seed_doc.notes)


def test_number_date_and_signer(seed_book, tmp_path):
    doc = write_plan(seed_book.path, out=tmp_path / "a.docx", number="12/KH-BCĐ", signer="KT. Lê Văn Bình")
    d = Document(str(doc.docx))
    assert "Số: 12/KH-BCĐ" in [p.text for p in d.tables[0].cell(0, 0).paragraphs]
    place = next(p.text for p in d.tables[0].cell(0, 1).paragraphs if p.text.startswith("Như Thanh"))
    assert re.fullmatch(rf"Như Thanh, ngày\s+tháng\s+năm {date.today().year}", place)  # blank for signing
    right = [p.text for p in d.tables[-1].cell(0, 1).paragraphs if p.text.strip()]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Bình"]
    with pytest.raises(UserError, match="Ngày ký"):
        write_plan(seed_book.path, out=tmp_path / "b.docx", date="31/02/2024")


def test_a_plan_document_open_in_word_goes_beside_it_and_every_adapter_says_so(seed_book, tmp_path, monkeypatch):
    """One result (WrittenPlan) for the CLI, the Excel button and --json: the path the file went to, the
    plan's own notes, then the one saying where it went, all in the status line."""
    target = tmp_path / "kế hoạch.docx"
    target.write_bytes(b"last time's, open in Word")
    open_in_office(monkeypatch, target)
    done = write_plan(seed_book.path, out=target)
    beside = tmp_path / "kế hoạch-ban-moi.docx"
    note = "Tệp kế hoạch.docx đang mở (trong Word hoặc Excel) nên bản mới được ghi thành kế hoạch-ban-moi.docx."
    assert done.docx == beside and beside.is_file() and target.read_bytes() == b"last time's, open in Word"
    assert done.notes[-1] == note and any("Chưa xếp được" in n for n in done.notes[:-1])
    assert done.status_line().startswith("Đã ghi kế hoạch kế hoạch-ban-moi.docx (7 nhiệm vụ, 6 cơ quan")
    assert done.status_line().endswith(f" {note}")
    assert done.to_dict()["out_path"] == str(beside) and done.to_dict()["notes"] == done.notes
    assert done.to_dict()["status_line"] == done.status_line()


def test_a_workbook_with_errors_or_another_form_is_refused(tmp_path):
    bad = _plan_file(tmp_path, _tasks(["không rõ"]))
    with pytest.raises(UserError, match="còn lỗi"):
        write_plan(bad, out=tmp_path / "x.docx")
    report = corpus.write_report(tmp_path)
    with pytest.raises(UserError, match="không phải biểu kế hoạch"):
        write_plan(report, out=tmp_path / "y.docx")


# --- old workbooks, samples, the command and the button -----------------------------------------------

def test_old_plan_workbooks_are_read_with_the_legacy_warning(tmp_path):
    old = sorted(SAMPLE.glob("*ke-hoach*.xlsx"))
    v1 = legacy_layout("ke-hoach", 1).form
    assert old and v1.version == 1
    meta = dict(r[:2] for r in CalamineWorkbook.from_path(str(old[0])).get_sheet_by_name("_dvcq").to_python() if r)
    if int(float(meta["spec_version"])) != 1:
        pytest.skip("the committed samples were regenerated in the current layout")
    for path in old:
        r = validate_file(path)
        assert r.status == "ok" and not r.errors
        [w] = [i for i in r.warnings if i.code == "spec-version"]
        assert "phiên bản 1" in w.message and "ke-hoach.xlsx" in w.message
        # counted as before: the old rows by status, read here in the old layout
        sheet = v1.sheet("Nhiệm vụ")
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        col = sheet.col("trang_thai") - 1
        status = [r[col] for r in grid[sheet.first_row - 1:] if len(r) > col and r[col] != ""]
        m = r.summary.measures
        assert (m["nv_tong"], m["nv_xong"], m["nv_dang"]) == (len(status), status.count("Đã hoàn thành"),
                                                               status.count("Đang triển khai"))
    written = write_plan(old[0], out=tmp_path / "cu.docx")
    assert written.tasks == m_tasks(old[0]) and any("mẫu cũ" in n for n in written.notes)


def m_tasks(path: Path) -> int:
    return validate_file(path).summary.measures["nv_tong"]


def test_samples_are_plans_shaped_on_seed_002(tmp_path):
    kids = ["16231", "16264"]  # Cán Khê launches in 2025, Yên Thọ was a pilot
    write_samples("403", "2024-H1", tmp_path, seed=1, children=kids, forms=("ke-hoach",))
    report = validate_paths([tmp_path])
    assert [f.status for f in report.files] == ["ok", "ok"], [f.issues for f in report.files]
    assert all(not f.warnings for f in report.files)
    for path in sorted(tmp_path.glob("*ke-hoach*.xlsx")):
        tasks = rows(path, "Nhiệm vụ")
        assert 10 <= len(tasks) <= 20 and "Khác" not in {t["nhom"] for t in tasks}
        assert any(isinstance(t["thoi_han"], str) and t["thoi_han"] == "Thường xuyên" for t in tasks)
        assert any(isinstance(t["thoi_han"], (date, datetime)) for t in tasks)
        by_group: dict[str, list] = {}
        for t in tasks:
            by_group.setdefault(t["nhom"], []).append(int(t["stt"]))
        assert all(v == list(range(1, len(v) + 1)) for v in by_group.values())  # numbered within groups
        bodies = {b["co_quan"]: b["hinh_thuc"] for b in rows(path, "Tổ chức thực hiện")}
        assert bodies["Văn phòng - Thống kê"] == "Giao"
        assert bodies[next(b for b in bodies if b.startswith("Ủy ban MTTQ Việt Nam"))] == "Đề nghị"
        assert {t["chu_tri"] for t in tasks} <= set(bodies)
        assert [b["loai"] for b in rows(path, "Kế hoạch")] == ["Chỉ thị", "Kế hoạch"]
        [road] = rows(path, "Lộ trình")
        assert int(road["nam"]) == {"16231": 2025, "16264": 2022}[road["ma_don_vi"]]  # seed 002's years
        doc = write_plan(path, out=tmp_path / f"{path.stem}.docx")
        assert doc.tasks == len(tasks) and doc.notes == []


def test_cli_writes_both_ways(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["plan", "--import", str(SEED_002), "--out", str(tmp_path / "kh.xlsx")])
    assert res.exit_code == 0, res.output
    assert "7 nhiệm vụ, 6 cơ quan, đơn vị được giao, 1 đoạn chưa xếp được" in res.output
    res = runner.invoke(main, ["plan", str(tmp_path / "kh.xlsx"), "--md", str(tmp_path / "kh.md"),
                               "--signer", "Đặng Tiến Dũng"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "kh.docx").exists() and "Đã ghi kế hoạch" in res.output and "Lưu ý:" in res.output
    for args in ([], [str(tmp_path / "kh.xlsx"), "--import", str(SEED_002)]):
        res = runner.invoke(main, ["plan", *args])
        assert res.exit_code == 2 and "Cần đúng một trong hai" in res.output
    res = runner.invoke(main, ["plan", "--import", str(SEED_002), "--signer", "A"])
    assert res.exit_code == 2 and "không dùng với --import" in res.output


def test_help_and_readme_agree():
    """Every option of `dvcq plan` is in its README row and in the Vietnamese guide, and the help says
    what the README says the command does."""
    res = CliRunner().invoke(main, ["plan", "--help"])
    assert res.exit_code == 0
    options = sorted(o for p in main.commands["plan"].params for o in p.opts if o.startswith("--"))
    assert options == ["--date", "--import", "--json", "--md", "--number", "--out", "--period", "--signer", "--unit"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `dvcq plan"))
    guide = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")  # the officials' guide
    for option in options:
        assert option in row, option
        assert option in res.output, option
        assert option in guide or option in ("--md", "--period", "--unit", "--json"), option
    assert "dvcq.documents.planwriter.write_plan" in row and "dvcq.documents.planbook.import_plan" in row
    assert "Xuất kế hoạch" in guide and "dvcq plan" in guide
    assert "Nghị định 30/2020" in res.output and "--import" in res.output


def test_the_button_writes_the_plan(seed_book, tmp_path):
    b = Book(build_control_workbook(tmp_path / "dieu-khien.xlsm"))
    b.names["TepKeHoach"].refers_to_range.value = str(seed_book.path)
    b.names["ThuMucKetQua"].refers_to_range.value = str(tmp_path / "ket-qua")
    xl.run_xuat_ke_hoach(b)
    status = b.names["TrangThai"].refers_to_range.value
    out = Path(b.names["TepVanBanKeHoach"].refers_to_range.value)
    assert status.startswith("Đã ghi kế hoạch") and "7 nhiệm vụ" in status, status
    assert out == tmp_path / "ket-qua" / "ke-hoach-002.docx" and out.exists()
    assert fold("Đặng Tiến Dũng") in fold(" ".join(p.text for t in Document(str(out)).tables for c in t._cells
                                                   for p in c.paragraphs))
    b.names["TepKeHoach"].refers_to_range.value = str(tmp_path / "khong-co.xlsx")
    xl.run_xuat_ke_hoach(b)
    assert b.names["TrangThai"].refers_to_range.value.startswith("Lỗi: Không thấy biểu kế hoạch")
