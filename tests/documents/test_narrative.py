"""The narrative report: numbers equal the roll-up, no personal data, NĐ 30/2020 layout."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from dvcq.documents.narrative import write_report
from dvcq.errors import UserError
from dvcq.intake.readback import load_rollup
from dvcq.rollup.consolidate import consolidate_folder

from tests.support import corpus
from tests.support.office import convert
from tests.support.paths import SAMPLE
from tests.support.reporttext import report_text
from tests.support.winlocks import open_in_office


SIGNER, SIGNED = "KT. Đặng Tiến Dũng", "05/07/2024"


@pytest.fixture(scope="module")
def rollup(nhu_thanh_rollup, tmp_path_factory):
    """The Như Thanh district's report of the shared roll-up, as its tests and the golden text read it."""
    base = tmp_path_factory.mktemp("narr")
    result = nhu_thanh_rollup  # tests/conftest.py; its history copied, as the report may write to it
    db = shutil.copy(result.db_path, base / "lich-su.sqlite")
    out = write_report(result.out_path, out=base / "bao-cao.docx", md=base / "bao-cao.md",
                       signer=SIGNER, number="125", db=db, date=SIGNED)  # also the golden text's report
    return base, result, out.docx


def _int(s: str) -> int:
    return int(s.replace(".", ""))


def test_a_report_open_in_word_goes_beside_it_and_every_adapter_says_so(tmp_path, monkeypatch):
    """One result (WrittenReport) for the CLI, the Excel button and --json: the paths the files went to and
    the notes saying so, in the status line too. (A commune's report from its three files: the paths and notes
    are those of any report, and it is written in a third of the district's time.)"""
    target, md = tmp_path / "báo cáo.docx", tmp_path / "báo cáo.md"
    target.write_bytes(b"last time's, open in Word")
    open_in_office(monkeypatch, target)
    done = write_report(sorted(SAMPLE.glob("16231-*.xlsx")), out=target, md=md, db=tmp_path / "lich-su.sqlite")
    beside = tmp_path / "báo cáo-ban-moi.docx"
    note = "Tệp báo cáo.docx đang mở (trong Word hoặc Excel) nên bản mới được ghi thành báo cáo-ban-moi.docx."
    assert done.docx == beside and beside.stat().st_size > 10_000 and target.read_bytes() == b"last time's, open in Word"
    assert done.md == md and md.is_file() and done.notes == [note]
    check = tmp_path / "báo cáo-doi-chieu.xlsx"  # the check sheet at its own name: nothing held it open
    assert done.check == check and check.is_file()
    assert done.status_line() == f"Đã ghi báo cáo báo cáo-ban-moi.docx và bảng đối chiếu số liệu {check.name}. {note}"
    assert done.to_dict() == {"out_path": str(beside), "md_path": str(md), "check_path": str(check),
                              "figures": done.rows, "warnings": [], "notes": [note],
                              "status_line": done.status_line()}


def test_every_number_in_the_text_equals_the_rollup(rollup):
    base, result, _ = rollup
    text = (base / "bao-cao.md").read_text(encoding="utf-8")
    t = load_rollup(result.out_path).totals.counts
    checks = {
        r"tổ chức ([\d.]+) hội nghị": t["TT01"], r"với ([\d.]+) lượt người tham dự": t["TT02"],
        r"Tiếp nhận ([\d.]+) hồ sơ": t["CC01"], r"đã giải quyết ([\d.]+) hồ sơ": t["CC02"],
        r"Đã tiếp ([\d.]+) lượt công dân": t["TD04"], r"với ([\d.]+) người": t["TD05"],
        r"Tiếp nhận ([\d.]+) đơn": t["TD07"], r"gồm ([\d.]+) đơn khiếu nại": t["TD08"],
        r"([\d.]+) đơn tố cáo": t["TD09"], r"([\d.]+) đơn kiến nghị, phản ánh": t["TD10"],
        r"đã ghi ([\d.]+) lượt tiếp": t["luot_tiep"],
        r"Số đơn thuộc thẩm quyền ([\d.]+) đơn": t["TD11"],
    }
    for pattern, expected in checks.items():
        m = re.search(pattern, text)
        assert m, pattern
        assert _int(m.group(1)) == expected, pattern
    m = re.search(r"đã giải quyết ([\d.]+)/([\d.]+), đạt ([\d,]+)%", text)
    assert (_int(m.group(1)), _int(m.group(2))) == (t["TD12"], t["TD11"])
    assert float(m.group(3).replace(",", ".")) == pytest.approx(round(100 * t["TD12"] / t["TD11"], 1))
    overdue = re.search(r"[Cc]òn ([\d.]+) vụ việc", text)
    assert _int(overdue.group(1)) == sum(1 for c in result.overdue_cases if c.status == "open")
    late = re.search(r"([\d.]+) vụ việc đã giải quyết xong nhưng quá thời hạn", text)
    assert _int(late.group(1)) == sum(1 for c in result.overdue_cases if c.status == "late") > 0
    assert "so với cùng kỳ" not in text  # no history: no comparison sentences, no invented zeros


def test_no_personal_data_from_any_log(rollup):
    from dvcq.forms.spec import load_form
    from python_calamine import CalamineWorkbook

    base, _, docx = rollup
    text = (base / "bao-cao.md").read_text(encoding="utf-8")
    text += "\n".join(p.text for p in Document(docx).paragraphs)
    log = load_form("so-tiep-cong-dan").main
    secrets = set()
    for path in SAMPLE.glob("*so-tiep-cong-dan*.xlsx"):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(log.name).to_python()
        for r in rows[log.first_row - 1:]:
            for f in ("ho_ten", "so_giay_to", "dia_chi"):
                v = r[log.col(f) - 1]
                if v:
                    secrets.add(str(v))
    assert secrets
    leaked = [s for s in secrets if s in text]
    assert not leaked, leaked[:5]


@pytest.mark.parametrize("code,title", [("HC", "Hạn chế"), ("KN", "Kiến nghị, đề xuất")])
def test_units_texts_appear_in_the_annex_once_under_the_unit_that_wrote_them(rollup, code, title):
    """A roll-up's body counts its units (tests/documents/test_sections.py); each unit's own sentences are in the
    annex after the signature, once each, under the unit's name and the section's title."""
    from dvcq.forms.spec import load_form, split_cell
    from dvcq.text import fold
    from python_calamine import CalamineWorkbook

    base, _, _ = rollup
    sheet = load_form("bao-cao-dinh-ky").sheet("Đánh giá")
    row, col = split_cell(sheet.text_cell(code))
    expected: dict[str, list] = {}
    for path in SAMPLE.glob("*bao-cao-dinh-ky*.xlsx"):
        book = CalamineWorkbook.from_path(str(path))
        unit = book.get_sheet_by_name("Chỉ tiêu").to_python()[2][2]
        cell = book.get_sheet_by_name(sheet.name).to_python()[row - 1][col - 1]
        expected[unit] = [fold(s) for s in re.split(r"(?<=\.)\s+", cell.strip())]
    text = (base / "bao-cao.md").read_text(encoding="utf-8")
    annex = text[text.index("# PHỤ LỤC"):]
    assert text.index("***Nơi nhận:***") < text.index("# PHỤ LỤC")
    for block in re.split(r"^### ", annex, flags=re.M)[1:]:
        unit = block.splitlines()[0].strip()
        part = block[block.index(f"*{title}"):] if f"*{title}" in block else ""
        part = part[:part.index("\n*", 1)] if "\n*" in part[1:] else part
        got = [fold(line[2:]) for line in part.splitlines() if line.startswith("- ")]
        assert got == expected.pop(unit), unit
    assert not expected  # every unit's block is there


def test_document_layout_follows_decree_30(rollup):
    _, _, docx = rollup
    doc = Document(docx)
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    mm = lambda v: round(v.mm, 1)
    assert 20 <= mm(sec.top_margin) <= 25 and 20 <= mm(sec.bottom_margin) <= 25
    assert 30 <= mm(sec.left_margin) <= 35 and 15 <= mm(sec.right_margin) <= 20
    head = doc.tables[0]
    assert len(head.columns) == 2
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in head.cell(0, 1).text
    assert "Số: 125/BC-UBND" in head.cell(0, 0).text and "HUYỆN NHƯ THANH" in head.cell(0, 0).text
    place = [p for p in head.cell(0, 1).paragraphs if p.text.startswith("Như Thanh, ngày")][0]
    assert all(r.italic for r in place.runs if r.text.strip())
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    fonts |= {r.font.name for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    body = [p for p in doc.paragraphs if p.text.startswith("Trong kỳ, toàn huyện")][0]
    assert body.alignment == 3 and body.paragraph_format.first_line_indent is not None  # justified
    sign = doc.tables[-1].cell(0, 1).text
    assert "TM. ỦY BAN NHÂN DÂN" in sign and "Đặng Tiến Dũng" in sign
    assert "Nơi nhận:" in doc.tables[-1].cell(0, 0).text


def test_year_over_year_sentences_with_history(tmp_path):
    from dvcq.units.registry import load

    units = load("legacy").children("403")[:2]
    db = tmp_path / "db.sqlite"
    rollup = corpus.year_on_year(tmp_path, units, (3, 5), db)
    text = report_text(rollup, tmp_path / "bc.md", db=db)
    assert "tổ chức 10 hội nghị" in text
    # the comparison sits right after the figure it compares, in that figure's unit, as such reports write it:
    # the change, then last year's figure in brackets (2 units × 5 now, 2 × 3 last year)
    assert re.search(r"tổ chức 10 hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền, "
                     r"tăng 4 cuộc so với cùng kỳ \(6 tháng đầu năm 2023: 6 cuộc\), với [\d.]+ lượt người tham dự", text)


def test_last_year_is_compared_only_on_the_same_units_however_many_files_they_sent(tmp_path):
    """The set a comparison stands on is the units that sent (each once) out of those expected
    (dvcq.rollup.coverage.unit_set), for the roll-up's sheet, the report and the history alike: the same two communes
    as last year, one of them sending its report twice, are compared; two communes again but not the same two are
    not, and the report says why (the old counts, 2 sent both years, compared them as if they were the same)."""
    from dvcq.calendar.periods import parse
    from dvcq.units.registry import load
    from openpyxl import load_workbook

    a, b, c = sorted(load("legacy").children("403"), key=lambda u: u.code)[:3]
    db = tmp_path / "db.sqlite"

    def consolidate(year: int, units, twice=()):
        folder = tmp_path / f"{year}-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        for u in units:
            corpus.write_report(folder, dict(corpus.report_values(), TT01=3 if year == 2023 else 5),
                                unit=(u.code, u.name), period=parse(f"{year}-H1"), saved_at=datetime(year, 6, 10))
        for u in twice:  # the same unit's report again, saved a day later under another name
            corpus.write_report(folder, dict(corpus.report_values(), TT01=5), unit=(u.code, u.name),
                                period=parse(f"{year}-H1"), name=f"{u.code}-gui-lai.xlsx",
                                saved_at=datetime(year, 6, 11))
        return consolidate_folder(folder, db=db, workers=1, out=tmp_path / f"th-{folder.name}.xlsx")

    def report(rollup: Path) -> str:
        return report_text(rollup, rollup.with_suffix(".md"), db=db)

    def yoy_sheet(rollup: Path) -> str:
        wb = load_workbook(rollup, read_only=True)  # the one sheet, values only
        try:
            return " ".join(str(v) for row in wb["So với cùng kỳ"].iter_rows(values_only=True) for v in row
                            if v is not None)
        finally:
            wb.close()

    consolidate(2023, (a, b))
    same = consolidate(2024, (a, b), twice=(a,))
    assert same.duplicates  # the second report of a was left out, a counted once
    text = report(same.out_path)
    assert re.search(r"tổ chức 10 hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền, "
                     r"tăng 4 cuộc so với cùng kỳ \(6 tháng đầu năm 2023: 6 cuộc\)", text), text
    assert "khác tập hợp đơn vị" not in text and "khác tập hợp đơn vị" not in yoy_sheet(same.out_path)

    other = consolidate(2024, (a, c))  # as many units as last year, not the same ones
    text, sheet = report(other.out_path), yoy_sheet(other.out_path)
    communes = load("legacy").children("403")
    kinds = Counter(u.kind.lower() for u in communes)  # the body's noun: the communes' kinds, most frequent first
    noun = ", ".join(k for k, _ in sorted(kinds.items(), key=lambda kv: -kv[1]))
    body = f"2/{len(communes)} {noun}"  # the communes that sent, out of the district's communes (its own row apart)
    assert f"Theo báo cáo của {body}," in text, text
    why = (f"Số liệu cùng kỳ năm 2023 và kỳ này cùng tổng hợp từ {body} nhưng không cùng các đơn vị "
           "(1 đơn vị có số liệu kỳ này không có trong số liệu cùng kỳ năm 2023), khác tập hợp đơn vị báo cáo, nên "
           "không tính tăng, giảm; số liệu năm trước ghi kèm để tham khảo.")
    assert why in text and why in sheet, text
    assert "tăng 4 cuộc so với cùng kỳ" not in text
    # every count of units in the note is over the body's units: the issuer's own row is not one of them
    note = next(p for p in text.split("\n") if p.startswith("Số liệu cùng kỳ năm 2023"))
    assert set(re.findall(r"\d+/(\d+)", note)) == {str(len(communes))}, note

    fewer = consolidate(2024, (a,))  # last year's set is named in the same words, over the same units
    text, sheet = report(fewer.out_path), yoy_sheet(fewer.out_path)
    why = (f"Số liệu cùng kỳ năm 2023 tổng hợp từ 2/{len(communes)} {noun}, kỳ này từ 1/{len(communes)} {noun}, "
           "khác tập hợp đơn vị báo cáo")
    assert f"Theo báo cáo của 1/{len(communes)} {noun}," in text
    assert why in text and why in sheet, text


def test_annual_reports_compare_with_the_previous_year(tmp_path):
    """An annual report compares with the year before as a whole: 'so với năm 2023', never 'cùng kỳ'."""
    from dvcq.units.registry import load

    units = load("legacy").children("403")[:2]
    db = tmp_path / "db.sqlite"
    rollup = corpus.year_on_year(tmp_path, units, (3, 5), db, kind="Y")
    text = report_text(rollup, tmp_path / "bc.md", db=db)
    # 2 units × 5 this year, 2 × 3 the year before
    assert re.search(r"tổ chức 10 hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền, "
                     r"tăng 4 cuộc so với năm 2023 \(năm 2023: 6 cuộc\), với [\d.]+ lượt người tham dự", text)
    assert "so với cùng kỳ" not in text


def test_commune_can_write_its_own_report(tmp_path):
    path = corpus.write_report(tmp_path)
    text = report_text(path, tmp_path / "xa.md")
    assert "XÃ PHƯỢNG NGHI" in text and "Trong kỳ, xã Phượng Nghi đã tổ chức" in text
    assert f"Tiếp nhận {corpus.report_values()['TD07']} đơn" in text
    assert "Chủ tịch UBND xã Phượng Nghi đã thực hiện" in text
    # only the report was given: nothing is said of the log or the plan but that they are missing
    assert "Chưa có sổ tiếp công dân của kỳ này" in text and "Chưa có kế hoạch của đơn vị" in text
    assert "Không có vụ việc" not in text and "toàn xã" not in text


def test_bad_inputs_name_the_file_or_template_line(tmp_path):
    with pytest.raises(UserError) as e:
        write_report(corpus.write_log(tmp_path), out=tmp_path / "x.docx")
    assert "so-tiep-cong-dan" in e.value.message
    from dvcq.resources import templates_dir

    tpl = tmp_path / "mau"
    shutil.copytree(templates_dir() / "report", tpl)
    text = (tpl / "noi-dung.md.j2").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(text) if line.startswith("{%- set y0"))  # after the opening comment
    text.insert(at, "Dòng sai {{ khong_co_bien }}")
    (tpl / "noi-dung.md.j2").write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(UserError) as e:
        write_report(corpus.write_report(tmp_path / "r"), out=tmp_path / "y.docx", template=str(tpl))
    assert "khong_co_bien" in e.value.message and f"dòng {at + 1}" in e.value.message


def test_a_template_changed_between_two_reports_of_one_process_is_read_again(tmp_path):
    """The templates' compiled code is kept for the process (dvcq.documents.narrative._compiled): a template file
    edited after a report (a button pressed again after an official changed the wording) is compiled again, and
    the same template's second report is the first's text."""
    from dvcq.documents import decree
    from dvcq.documents.context import build_context
    from dvcq.documents.narrative import render_text
    from dvcq.resources import templates_dir

    tpl = tmp_path / "mau"
    shutil.copytree(templates_dir() / "report", tpl)
    context = build_context(sorted(SAMPLE.glob("16231-*.xlsx")), db=tmp_path / "none.sqlite",
                            date=decree.signing_date(None))
    first = render_text(context, tpl)
    assert render_text(context, tpl) == first and "Dòng thêm của mẫu đã sửa" not in first
    source = (tpl / "noi-dung.md.j2").read_text(encoding="utf-8")
    (tpl / "noi-dung.md.j2").write_text(source + "\nDòng thêm của mẫu đã sửa\n", encoding="utf-8")
    assert render_text(context, tpl).rstrip().endswith("Dòng thêm của mẫu đã sửa")


def test_report_renders_to_pdf(rollup, soffice, tmp_path):
    _, _, docx = rollup
    pdf = convert(soffice, Path(docx), "pdf", tmp_path)
    assert pdf.stat().st_size > 10_000


@pytest.mark.parametrize("text,expected", [
    ("Kinh phí còn hạn hẹp. Hồ sơ thiếu giấy tờ", ["Kinh phí còn hạn hẹp.", "Hồ sơ thiếu giấy tờ."]),
    ("Dân chủ được thực hiện; các khoản thu được công khai. Tốt!", ["Dân chủ được thực hiện; các khoản thu được công khai.", "Tốt!"]),
    ("Phối hợp với TP. Thanh Hóa tổ chức 1.234 buổi.", ["Phối hợp với TP. Thanh Hóa tổ chức 1.234 buổi."]),
    ('Ba!  "Dân vận khéo" được nhân rộng.', ["Ba!", '"Dân vận khéo" được nhân rộng.']),
    ("- Một ý. - Hai ý", ["Một ý.", "Hai ý."]),
    ("- Một ý.\n- Hai ý\n\n+ ba ý. 2-3 buổi", ["Một ý.", "Hai ý.", "ba ý. 2-3 buổi."]),
    ("Gắn với phát triển kinh tế - xã hội của địa phương. Nhân dân đồng tình",
     ["Gắn với phát triển kinh tế - xã hội của địa phương.", "Nhân dân đồng tình."]),
    ("Văn phòng - Thống kê phối hợp với Tư pháp - Hộ tịch", ["Văn phòng - Thống kê phối hợp với Tư pháp - Hộ tịch."]),
    ("Tổ chức văn nghệ, thể thao, v.v. và nhiều hoạt động khác.", ["Tổ chức văn nghệ, thể thao, v.v. và nhiều hoạt động khác."]),
    ('Người dân nói "rất hài lòng." Sau đó góp ý thêm.', ['Người dân nói "rất hài lòng."', "Sau đó góp ý thêm."]),
    ("1. Tuyên truyền.\n2. Cải cách hành chính\na) Tiếp dân", ["Tuyên truyền.", "Cải cách hành chính.", "Tiếp dân."]),
    ("1. Tuyên truyền sâu rộng 2.000 lượt", ["Tuyên truyền sâu rộng 2.000 lượt."]),
])
def test_sentences_split_where_a_reader_would(text, expected):
    from dvcq.documents.texts import sentences

    assert sentences(text) == expected


def _overdue_in(text: str) -> int:
    """Open cases past their limit, as the text says (0 said in words, never left out)."""
    m = re.search(r"[Cc]òn ([\d.]+) vụ việc đã thụ lý quá thời hạn", text)
    if m:
        return _int(m.group(1))
    assert ("không có vụ việc quá thời hạn giải quyết." in text
            or "không còn vụ việc đã thụ lý quá thời hạn chưa giải quyết" in text), "the report says nothing about overdue cases"
    return 0


def test_each_communes_own_report_counts_its_overdue_cases_as_the_district_rollup(rollup, tmp_path):
    """A commune's report from its three files says what its log says, and the district roll-up agrees. Each
    commune's text is rendered as `dvcq report` renders it (tests/support/reporttext.py), without the Word
    document and check sheet that test_a_communes_folder_is_read_like_its_files writes for a commune."""
    _, result, _ = rollup
    by_unit: dict[str, int] = {}
    for c in result.overdue_cases:
        if c.status == "open":
            by_unit[c.unit_code] = by_unit.get(c.unit_code, 0) + 1
    codes = sorted({p.name[:5] for p in SAMPLE.glob("*.xlsx") if p.name[:5].isdigit()})  # not the district's own plan
    assert len(codes) == 14 and sum(by_unit.values()) > 0
    for code in codes:
        files = sorted(SAMPLE.glob(f"{code}-*.xlsx"))
        assert len(files) == 3
        text = report_text(files, tmp_path / f"{code}.md", db=tmp_path / "none.sqlite")
        assert _overdue_in(text) == by_unit.get(code, 0), code
        assert "Chưa có sổ tiếp công dân" not in text and "Chưa có kế hoạch" not in text


def test_a_communes_folder_is_read_like_its_files(tmp_path):
    folder = tmp_path / "Xã Cán Khê"
    folder.mkdir()
    for p in SAMPLE.glob("16231-*.xlsx"):
        shutil.copy(p, folder)
    out = write_report([folder], md=tmp_path / "x.md").docx
    assert out.parent == tmp_path / "ket-qua" and out.name.startswith("bao-cao-16231-")
    assert "Theo sổ tiếp công dân, đã ghi" in (tmp_path / "x.md").read_text(encoding="utf-8")


def test_a_partial_district_never_says_toan_huyen(tmp_path):
    """Four communes' reports are rejected: the text says how many units its figures cover and who is missing."""
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE, folder)
    bad = sorted(folder.glob("*bao-cao-dinh-ky*.xlsx"))[:4]
    for p in bad:
        p.write_bytes(b"PK\x03\x04 not a workbook")
    result = consolidate_folder(folder, out=tmp_path / "th.xlsx", db=tmp_path / "db.sqlite", workers=1)
    text = report_text(result.out_path, tmp_path / "th.md", db=tmp_path / "db.sqlite")
    assert "toàn huyện" not in text
    assert "Số liệu tổng hợp từ báo cáo hợp lệ của 10/14 xã, thị trấn; chưa có số liệu của " in text
    from dvcq.text import unit_running
    from dvcq.units.registry import load

    reg = load("legacy")
    for p in bad:
        assert unit_running(reg.get(p.name[:5]).name) in text
    assert "Trong kỳ, 10/14 xã, thị trấn có số liệu đã tổ chức" in text


GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bao-cao-nhu-thanh-2024-H1.md"


def test_nhu_thanh_report_equals_its_golden_text(rollup):
    """The whole wording of the Như Thanh district report, so any change of a sentence shows in review.
    After a deliberate change: DVCQ_UPDATE_GOLDEN=1 make test, then read the diff of the golden file.
    (The module's report: the shared roll-up, its history of that period only copied, signed by
    KT. Đặng Tiến Dũng on 05/07/2024, number 125.)"""
    import difflib
    import os

    base, _, _ = rollup
    text = (base / "bao-cao.md").read_text(encoding="utf-8")
    if os.environ.get("DVCQ_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(want.splitlines(), text.splitlines(), "golden", "now", lineterm=""))
    assert text == want, diff


def test_a_list_ends_with_va_never_with_a_semicolon(rollup, tmp_path, monkeypatch):
    """Vietnamese lists end "…, A và B": the overdue tasks by lead body, past the bodies named (LATE_BODIES), ended
    "…; Văn phòng - Thống kê (14 đơn vị): 7/126 nhiệm vụ quá hạn; và 1 đơn vị chủ trì khác …". With two bodies named
    the Như Thanh report's list ends "… nhiệm vụ quá hạn và 1 đơn vị chủ trì khác có nhiệm vụ quá hạn." (the report
    at the default names its three bodies: the rest is 3 - 2), and no report text holds "; và"."""
    from dvcq.documents import context

    base, result, _ = rollup
    full = (base / "bao-cao.md").read_text(encoding="utf-8")
    [line] = [x for x in full.splitlines() if "Nhiệm vụ quá hạn theo đơn vị chủ trì: " in x]
    listed = line.split("Nhiệm vụ quá hạn theo đơn vị chủ trì: ", 1)[1].split(". ", 1)[0]
    bodies = listed.count(" nhiệm vụ quá hạn")
    assert bodies == 3 and "; và" not in full, listed
    monkeypatch.setattr(context, "LATE_BODIES", 2)
    db = shutil.copy(result.db_path, tmp_path / "lich-su.sqlite")
    write_report(result.out_path, out=tmp_path / "bc.docx", md=tmp_path / "bc.md", db=db, date=SIGNED)
    text = (tmp_path / "bc.md").read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if "Nhiệm vụ quá hạn theo đơn vị chủ trì: " in x]
    assert "; và" not in text, line
    assert re.search(rf"nhiệm vụ quá hạn và {bodies - 2} đơn vị chủ trì khác có nhiệm vụ quá hạn\.", line), line


def test_an_unusable_rollup_says_why_instead_of_passing_for_a_commune_report(rollup, tmp_path):
    """A roll-up of another format version used to be re-read as a commune's report, and the message
    said it was no dvcq file at all."""
    from openpyxl import load_workbook

    _, result, _ = rollup
    copy = tmp_path / "tong-hop-cu.xlsx"
    copy.write_bytes(result.out_path.read_bytes())
    wb = load_workbook(copy)
    row = next(r for r in wb["_dvcq"].iter_rows() if r[0].value == "spec_version")
    row[1].value = 99
    wb.save(copy)
    with pytest.raises(UserError) as e:
        write_report(copy, out=tmp_path / "x.docx")
    assert "tong-hop-cu.xlsx" in e.value.message and "phiên bản 99" in e.value.message
    assert "không có biểu tổng hợp hay báo cáo định kỳ" not in e.value.message
