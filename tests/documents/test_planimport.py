"""The plan importer on the five seed plans, against counts taken by reading them, and on the
ways a plan arrives: Word files (with tables and Word's own numbering), UTF-16 and decomposed
text, files that are no plan, paragraphs it cannot place.

Every expected value below was counted by hand from tests/plans/*.txt (copies of
../shared/seeds/); the comments say how. Nothing is computed with the importer itself.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from dvcq.documents.planimport import read_plan, read_plan_text
from dvcq.documents.planimport.word import _Numbering
from dvcq.errors import UserError
from dvcq.forms.plandoc import RECURRING_TERMS, parse_deadline

PLANS = Path(__file__).resolve().parent / "plans"
SEED = {p.name[:3]: p for p in sorted(PLANS.glob("*.txt"))}

# Hand counts, one entry per seed.
EXPECTED = {
    # 000 (xã Minh Tiến, 2024), copied from a PDF. Sections at lines 21, 69, 271.
    # I: "1. Mục đích." has 2 dash-items (lines 25, 33), "2. Yêu cầu" 3 (41, 49, 57).
    # II has four numbered groups: 1 (line 71) has 1 dash-item (75; the unmarked paragraph at 103
    # goes on with it); 2 (119) has unmarked text before its dashes (123-149, one task) and 4 dash-
    # items (151, 155, 159, 165): 5; 3 (171) has 3 dash-items (175, 209, 221); 4 (227) has 4 (229,
    # 249, 255, 261). 1 + 5 + 3 + 4 = 13.
    # III lists 1, 2, 4, 5 (there is no 3.) with 3, 3, 1 dash-items and 1 plain paragraph.
    # The opening cites Kế hoạch số 19/BDVHU-UBND and công văn số 166-CV/BDVHU; no Kinh phí part.
    "000": dict(
        sections=["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG", "TỔ CHỨC THỰC HIỆN"],
        purposes=2, requirements=3, groups=[1, 5, 3, 4], tasks=13,
        bodies=["Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch", "Công chức Văn hóa - Thông tin",
                "Công chức Tài chính - kế toán"],
        verbs=["giao"] * 4, paragraphs=[3, 3, 1, 1], funding=False,
        bases=2, first_basis=("Kế hoạch", "19/BDVHU-UBND", date(2024, 3, 5)),
        issuer="Ủy ban nhân dân xã Minh Tiến", level="commune", number="", place="", year=None,
        signature=["CHỦ TỊCH"], signer="", recipients=4),
    # 001 (xã Sơn Ninh, 2023), from a PDF. I. MỤC TIÊU has items 1-3; II has items 1-11 with no
    # sub-items ("5.Tổ chức" has no space after the number): 11 tasks in one group. III: "1. Văn
    # phòng UBND xã", "2. Các bộ phận chuyên môn thuộc UBND xã", one paragraph each. The opening
    # ("Nhằm thúc đẩy ...") cites nothing. The signer's name stands beside "- Lưu: VP.".
    "001": dict(
        sections=["MỤC TIÊU", "NỘI DUNG", "TỔ CHỨC THỰC HIỆN"],
        purposes=3, requirements=0, groups=[11], tasks=11,
        bodies=["Văn phòng UBND xã", "Các bộ phận chuyên môn thuộc UBND xã"],
        verbs=["giao", "giao"], paragraphs=[1, 1], funding=False, bases=0, first_basis=None,
        issuer="Ủy ban nhân dân xã Sơn Ninh", level="commune", number="", place="", year=None,
        signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signer="Nguyễn Xuân Huy", recipients=6),
    # 002 (huyện Như Thanh, 2023-2030), Markdown. I: 1.1, 1.2 under "1. Mục đích", 2.1, 2.2 under
    # "2. Yêu cầu". II: "1. Phạm vi, đối tượng" has one plain paragraph (1 task); "2. Nhiệm vụ" a
    # lead-in ending "sau đây:" and 2.1-2.5 (5 tasks); "3. Lộ trình thực hiện": 3.1 sets the target
    # and its three dash-items are the rollout, 3.2 (sơ kết 2025, tổng kết 2030) is one task. 7.
    # III. KINH PHÍ: ngân sách Nhà nước and other sources. IV: six numbered bodies, 1 and 2 "Đề nghị",
    # 6 "Giao phòng Nội vụ ..."; dash-items 3, 2, 3, then one paragraph each for 4, 5, 6.
    # The opening cites Chỉ thị 33/CT-TTg, Kết luận 862-KL/TU, Kế hoạch 123/KH-UBND, Kế hoạch 104-KH/HU.
    "002": dict(
        sections=["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG THỰC HIỆN", "KINH PHÍ THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"],
        purposes=2, requirements=2, groups=[1, 5, 1], tasks=7,
        bodies=["Ban Dân vận Huyện ủy", "MTTQ, các tổ chức chính trị-xã hội cấp huyện", "UBND các xã, thị trấn",
                "Phòng Tài chính – Kế hoạch",
                "Phòng Văn hóa – Thông tin, Trung tâm Văn hóa Thông tin, Thể thao và Du lịch", "Phòng Nội vụ"],
        verbs=["đề nghị", "đề nghị", "giao", "giao", "giao", "giao"], paragraphs=[3, 2, 3, 1, 1, 1],
        funding=True, bases=4, first_basis=("Chỉ thị", "33/CT-TTg", date(2021, 11, 26)),
        issuer="Ủy ban nhân dân huyện Như Thanh", level="district", number="/KH-UBND", place="Như Thanh",
        year=2023, signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signer="Đặng Tiến Dũng", recipients=5),
    # 003 (a province, 2024), from a PDF. I: items 1-3; II: items 1-8 (item 7 follows item 6 with no
    # blank line); III: "1. Các sở, ban, ngành thuộc tỉnh, Ủy ban nhân dân các huyện, thị xã, thành
    # phố căn cứ ..." and "2. Sở Nội vụ thường xuyên theo dõi ...". The opening cites Chỉ thị
    # 33/CT-TTg, Quyết định 407-QĐ/TU and Kế hoạch 49-KH/UBND-BDVTU. Signed KT. CHỦ TỊCH.
    "003": dict(
        sections=["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG NHIỆM VỤ", "TỔ CHỨC THỰC HIỆN"],
        purposes=3, requirements=0, groups=[8], tasks=8,
        bodies=["Các sở, ban, ngành thuộc tỉnh, Ủy ban nhân dân các huyện, thị xã, thành phố", "Sở Nội vụ"],
        verbs=["giao", "giao"], paragraphs=[1, 1], funding=False,
        bases=3, first_basis=("Chỉ thị", "33/CT-TTg", date(2021, 11, 26)),
        issuer="Ủy ban nhân dân tỉnh", level="province", number="", place="", year=None,
        signature=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], signer="Lâm Hải Giang", recipients=8),
    # 004 (xã Hành Thiện, 2025), one paragraph per line, header with issuer, motto, number and date.
    # I: items 1-4; II: items 1-11 with "10." written twice: 12 tasks. III: 1. Văn phòng UBND xã (two
    # paragraphs), 2. Công chức Tư pháp – Hộ tịch xã (one), 3. Công chức VH-XH và Đài Truyền thanh xã
    # (two), 4. "Đề nghị Khối Dân vận xã, UBMTTQ Việt Nam xã và các tổ chức chính trị - xã hội xã
    # phối hợp ..." (one). The opening cites Kế hoạch số 530/KH-UBND ngày 24/3/2025. No signature.
    "004": dict(
        sections=["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"],
        purposes=4, requirements=0, groups=[12], tasks=12,
        bodies=["Văn phòng UBND xã", "Công chức Tư pháp – Hộ tịch xã", "Công chức VH-XH và Đài Truyền thanh xã",
                "Khối Dân vận xã, UBMTTQ Việt Nam xã và các tổ chức chính trị - xã hội xã"],
        verbs=["giao", "giao", "giao", "đề nghị"], paragraphs=[2, 1, 2, 1], funding=False,
        bases=1, first_basis=("Kế hoạch", "530/KH-UBND", date(2025, 3, 24)),
        issuer="Ủy ban nhân dân xã Hành Thiện", level="commune", number="/KH-UBND", place="Hành Thiện",
        year=2025, signature=[], signer="", recipients=0),
}


def check(doc, seed: str):
    e = EXPECTED[seed]
    assert [s.title for s in doc.sections] == e["sections"]
    assert (len(doc.purposes), len(doc.requirements)) == (e["purposes"], e["requirements"])
    assert [len(g.tasks) for g in doc.groups] == e["groups"]
    assert len(doc.tasks) == e["tasks"]
    assert [r.body for r in doc.responsibilities] == e["bodies"]
    assert [r.verb for r in doc.responsibilities] == e["verbs"]
    assert [len(r.paragraphs) for r in doc.responsibilities] == e["paragraphs"]
    assert (doc.funding is not None) == e["funding"]
    assert len(doc.bases) == e["bases"]
    if e["first_basis"]:
        b = doc.bases[0]
        assert (b.kind, b.number, b.date) == e["first_basis"]
    h = doc.header
    assert (h.issuer, h.level, h.number, h.place, h.year) == (e["issuer"], e["level"], e["number"], e["place"],
                                                             e["year"])
    assert list(doc.signature) == e["signature"] and doc.signer == e["signer"]
    assert len(doc.recipients) == e["recipients"]
    assert doc.unplaced == ()  # every paragraph of the seeds has its place


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_plans_match_the_hand_counts(seed):
    assert sorted(SEED) == sorted(EXPECTED)
    doc = read_plan(SEED[seed])
    check(doc, seed)
    assert doc.source == SEED[seed].name


def test_seed_002_rollout_and_target():
    doc = read_plan(SEED["002"])
    # "3.1. Giai đoạn 2023 - 2025: phấn đấu ... đạt 100% ..., cụ thể:" then one dash-item per year
    assert [(e.year, e.count) for e in doc.rollout] == [(2023, 2), (2024, 4), (2025, 3)]
    assert doc.rollout[0].units == ("xã Phương Nghi", "xã Xuân Thái")  # not the two in parentheses
    assert doc.rollout[1].units == ("Thị trấn Bến Sung", "xã Xuân Phúc", "xã Mậu Lâm", "xã Xuân Khang")
    assert doc.rollout[2].units == ("xã Cán Khê", "xã Yên Lạc", "xã Thanh Tân")
    assert [e.target_percent for e in doc.rollout] == [None, None, 100.0]
    assert doc.rollout[2].target_text.startswith("Giai đoạn 2023 - 2025: phấn đấu")
    # the rest of the Lộ trình part is a task of its own group
    last = doc.groups[-1]
    assert (last.number, last.title) == ("3", "Lộ trình thực hiện")
    assert last.tasks[0].number == "3.2" and last.tasks[0].content.startswith("Năm 2025, tiến hành sơ kết")
    nhiem_vu = doc.groups[1]
    assert [t.number for t in nhiem_vu.tasks] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    assert nhiem_vu.intro and nhiem_vu.intro[0].endswith("sau đây:")
    assert doc.funding.sources == ("ngân sách Nhà nước", "các nguồn huy động khác theo quy định")
    assert doc.header.title.startswith("Triển khai xây dựng, nhân rộng mô hình")


def test_seed_000_reads_through_pdf_line_breaks():
    doc = read_plan(SEED["000"])
    # the subject line is printed on two lines (3, 5), the first basis on three (9-13)
    assert doc.header.title == "Thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” năm 2024"
    first = doc.bases[0]
    assert first.issuer == "Ban dân vận Huyện ủy và UBND huyện Ngọc Lặc"
    assert first.title.endswith("trên địa bàn huyện Ngọc Lặc năm 2024")
    # "Kết luận số 43-" / "KL/TW" (lines 75-77) is one number again
    assert "Kết luận số 43-KL/TW ngày 07/01/2019" in doc.groups[0].tasks[0].content
    # the group's plain paragraph (123-149) before its dash-items is a task of its own
    assert doc.groups[1].tasks[0].number == "" and doc.groups[1].tasks[0].line == 123
    assert doc.closing[0].startswith("Trên đây là Kế hoạch")


def test_seed_003_bases_and_bodies_from_sentences():
    doc = read_plan(SEED["003"])
    assert [b.number for b in doc.bases] == ["33/CT-TTg", "407-QĐ/TU", "49-KH/UBND-BDVTU"]
    assert doc.bases[2].issuer == "Ủy ban nhân dân tỉnh và Ban Dân vận Tỉnh ủy"  # "giữa ... và ..."
    assert doc.responsibilities[1].paragraphs[0].startswith("Thường xuyên theo dõi, đôn đốc")


# --- Word files --------------------------------------------------------------------------------

def _seed_004_paragraphs() -> list[str]:
    """Seed 004 from "KẾ HOẠCH" on, one paragraph per line as the seed has it; the subject line's
    second half ("và công tác ...", line 15) joins its first as in the Word original."""
    lines = [s.strip() for s in SEED["004"].read_text(encoding="utf-8").splitlines()[11:] if s.strip()]
    out: list[str] = []
    for s in lines:
        if out and s[0].islower():
            out[-1] += " " + s
        else:
            out.append(s)
    return out


def _header_table(document):
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    table.cell(0, 0).add_paragraph("XÃ HÀNH THIỆN")
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    table.cell(1, 0).text = "Số:        /KH-UBND"
    table.cell(1, 1).text = "Hành Thiện, ngày        tháng 3 năm 2025"


def _shape(doc):
    """What a plan says, without where it says it (lines differ between a .txt and a .docx)."""
    return (doc.header, [(b.kind, b.number, b.date, b.issuer, b.title) for b in doc.bases], doc.opening,
            doc.purposes, doc.requirements, [(s.number, s.title, s.kind) for s in doc.sections],
            [(t.group_number, t.group_title, t.number, t.content) for t in doc.tasks],
            [(r.body, r.verb, r.paragraphs) for r in doc.responsibilities], doc.closing, doc.unplaced)


def test_docx_reads_as_the_text(tmp_path):
    document = docx.Document()
    _header_table(document)
    for text in _seed_004_paragraphs():
        document.add_paragraph(text)
    path = tmp_path / "ke-hoach.docx"
    document.save(path)
    doc = read_plan(path)
    check(doc, "004")
    assert _shape(doc) == _shape(read_plan(SEED["004"]))
    assert doc.source == "ke-hoach.docx"


def _numbering(document, num_id: int):
    """A list numbered by Word: level 0 "I.", "II." ...; level 1 "1.", "2." ... restarting under each."""
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>'
                               '</w:num>'))


def _numbered(paragraph, num_id: int, level: int):
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def test_docx_with_word_numbering(tmp_path):
    """Sections and items numbered by Word have no number in their text; the importer draws them."""
    document = docx.Document()
    _header_table(document)
    _numbering(document, 90)
    for text in _seed_004_paragraphs():
        if text.split(". ", 1)[0] in ("I", "II", "III"):
            _numbered(document.add_paragraph(text.split(". ", 1)[1]), 90, 0)
        elif re.match(r"\d{1,2}\. ", text):
            _numbered(document.add_paragraph(text.split(". ", 1)[1]), 90, 1)
        else:
            document.add_paragraph(text)
    path = tmp_path / "ke-hoach-tu-dong-danh-so.docx"
    document.save(path)
    doc = read_plan(path)
    assert [(s.number, s.title) for s in doc.sections] == [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "NỘI DUNG THỰC HIỆN"),
                                                           ("III", "TỔ CHỨC THỰC HIỆN")]
    assert len(doc.purposes) == 4
    # Word numbers the twelve items 1-12 (the text wrote "10." twice)
    assert [t.number for t in doc.tasks] == [str(n) for n in range(1, 13)]
    assert [r.number for r in doc.responsibilities] == ["1", "2", "3", "4"]
    assert [r.body for r in doc.responsibilities] == EXPECTED["004"]["bodies"]


def test_word_styles_resolve_as_python_docx_resolves_them():
    """The importer looks paragraph styles up in a table made once (dvcq.documents.docstyles, as the report's rules
    do: python-docx searches the styles part on every `paragraph.style`, about 1.4 ms): every paragraph of the corpus's Word plans, and of a plan numbered by its
    styles, gets the style python-docx's own lookup gives, and a list paragraph its style's numbering."""
    paths = sorted((Path(__file__).parent / "plans" / "corpus" / "plans").glob("*.docx"))
    assert paths
    # and a plan whose lists are numbered by their styles (Word's List Number, based on Normal), with headings
    styled = docx.Document()
    for style in ("Heading 1", "List Number", "List Bullet", "List Number 2", "Body Text", "Normal"):
        styled.add_paragraph(f"Mục theo kiểu {style}", style=style)
    documents = [(path.name, docx.Document(str(path))) for path in paths] + [("styled", styled)]
    checked, by_style = 0, 0
    for name, document in documents:
        numbering = _Numbering(document)
        for paragraph in document.paragraphs:
            assert numbering.styles.of(paragraph).name == paragraph.style.name, (name, paragraph.text[:40])
            own = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
            style_pPr = paragraph.style.element.pPr  # python-docx's own lookup
            if not own and style_pPr is not None and style_pPr.numPr is not None:
                assert numbering._num_pr(paragraph)[0] == style_pPr.numPr.numId.val, (name, paragraph.text[:40])
                by_style += 1
            checked += 1
    assert checked > 100 and by_style >= 2  # the styled plan's list paragraphs are numbered by their styles


def test_docx_numbering_that_cannot_be_resolved(tmp_path):
    """A list paragraph whose numbering is missing still reads: upper-case titles are sections, the
    items become bullets."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Thực hiện công tác dân vận chính quyền năm 2025")
    for text, level in (("MỤC ĐÍCH, YÊU CẦU", 0), ("Nâng cao hiệu quả công tác dân vận.", 1),
                        ("NỘI DUNG, NHIỆM VỤ", 0), ("Tuyên truyền Chỉ thị số 33/CT-TTg.", 1),
                        ("Thực hiện tốt công tác tiếp công dân.", 1), ("TỔ CHỨC THỰC HIỆN", 0),
                        ("Văn phòng UBND xã: theo dõi, tổng hợp báo cáo.", 1)):
        _numbered(document.add_paragraph(text), 4242, level)  # no such numbering definition
    path = tmp_path / "khong-ro-danh-so.docx"
    document.save(path)
    doc = read_plan(path)
    assert [s.kind for s in doc.sections] == ["purpose", "tasks", "organisation"]
    assert [t.content for t in doc.tasks] == ["Tuyên truyền Chỉ thị số 33/CT-TTg.",
                                              "Thực hiện tốt công tác tiếp công dân."]
    assert [(r.body, r.paragraphs) for r in doc.responsibilities] == [("Văn phòng UBND xã",
                                                                       ("Theo dõi, tổng hợp báo cáo.",))]


def test_docx_task_table(tmp_path):
    """A task list written as a table: STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm."""
    document = docx.Document()
    for text in ("KẾ HOẠCH", "Thực hiện công tác dân vận chính quyền năm 2024", "I. MỤC ĐÍCH, YÊU CẦU",
                 "1. Nâng cao hiệu quả công tác dân vận.", "II. NHIỆM VỤ, GIẢI PHÁP"):
        document.add_paragraph(text)
    rows = [("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Sản phẩm"),
            ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)"),
            ("I", "Tuyên truyền, quán triệt", "", "", "", ""),
            ("1", "Quán triệt Chỉ thị số 33/CT-TTg", "Văn phòng UBND xã", "Công chức Văn hóa - Xã hội",
             "Quý II/2024", "Hội nghị"),
            ("2", "Tuyên truyền trên hệ thống truyền thanh", "Công chức Văn hóa - Xã hội", "", "Thường xuyên", ""),
            ("II", "Tiếp công dân", "", "", "", ""),
            ("1", "Chủ tịch UBND xã tiếp công dân định kỳ", "Chủ tịch UBND xã", "Công chức Tư pháp - Hộ tịch; Công an xã",
             "Hằng tháng", "Sổ tiếp công dân"),
            ("2", "Báo cáo kết quả năm", "Văn phòng UBND xã", "", "trước ngày 15/12/2024", "Báo cáo")]
    table = document.add_table(rows=len(rows), cols=6)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Giao Văn phòng UBND xã theo dõi, đôn đốc thực hiện Kế hoạch này./.")
    path = tmp_path / "bang-nhiem-vu.docx"
    document.save(path)
    doc = read_plan(path)
    assert [(g.number, g.title, len(g.tasks)) for g in doc.groups] == [("I", "Tuyên truyền, quán triệt", 2),
                                                                       ("II", "Tiếp công dân", 2)]
    first, second, third, fourth = doc.tasks
    assert (first.lead, first.coordinating, first.output) == ("Văn phòng UBND xã", ("Công chức Văn hóa - Xã hội",),
                                                             "Hội nghị")
    assert (first.deadline.term, first.deadline.part, first.deadline.year) == ("Quý", 2, 2024)
    assert second.deadline.recurring and second.deadline.label == "Thường xuyên"
    assert third.coordinating == ("Công chức Tư pháp - Hộ tịch", "Công an xã")
    assert third.deadline.label == "Hằng tháng"
    assert fourth.deadline.due == date(2024, 12, 15)
    assert [(r.body, r.verb) for r in doc.responsibilities] == [("Văn phòng UBND xã", "giao")]


# --- encodings -----------------------------------------------------------------------------------

def test_utf16_and_utf8_bom_with_crlf(tmp_path):
    text = SEED["002"].read_text(encoding="utf-8")
    for encoding, name in (("utf-16", "ke-hoach-utf16.txt"), ("utf-8-sig", "ke-hoach-bom.txt"),
                           ("utf-16-le", "ke-hoach-utf16le.txt")):
        path = tmp_path / name
        path.write_bytes(text.replace("\n", "\r\n").encode(encoding))  # as Windows Notepad saves it
        doc = read_plan(path)
        check(doc, "002")
        assert [(e.year, e.count) for e in doc.rollout] == [(2023, 2), (2024, 4), (2025, 3)]


def test_decomposed_text_is_normalised():
    text = unicodedata.normalize("NFD", SEED["004"].read_text(encoding="utf-8"))
    assert text != unicodedata.normalize("NFC", text)
    doc = read_plan_text(text)
    check(doc, "004")
    assert all(unicodedata.is_normalized("NFC", t.content) for t in doc.tasks)
    assert doc.responsibilities[0].body == "Văn phòng UBND xã"


# --- not a plan, unreadable ------------------------------------------------------------------------

REPORT = """UỶ BAN NHÂN DÂN
XÃ CÁN KHÊ

BÁO CÁO
Kết quả công tác dân vận chính quyền 6 tháng đầu năm 2024

I. KẾT QUẢ ĐẠT ĐƯỢC
1. Công tác tuyên truyền: tổ chức 5 hội nghị.
II. PHƯƠNG HƯỚNG
1. Tiếp tục thực hiện tốt công tác tiếp công dân.
"""


def test_not_a_plan(tmp_path):
    path = tmp_path / "bao-cao.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(UserError, match="«bao-cao.txt» là báo cáo, không phải kế hoạch"):
        read_plan(path)
    with pytest.raises(UserError, match="không phải kế hoạch"):
        read_plan_text("Danh sách cán bộ, công chức xã\nNguyễn Văn A\nTrần Thị B\n")
    with pytest.raises(UserError, match="không phải kế hoạch"):  # a title, but no part of a plan
        read_plan_text("KẾ HOẠCH\nTổ chức Hội nghị\nI. THÀNH PHẦN\nCán bộ, công chức xã.\n")


@pytest.mark.parametrize("name, data, message", [
    ("ke-hoach.docx", b"not a zip at all", "«ke-hoach.docx» không phải văn bản Word .docx"),
    ("ke-hoach.txt", b"K\xea ho\xe0ch \x81", "«ke-hoach.txt» không phải văn bản Unicode"),
    ("ke-hoach.txt", b"%PDF-1.7\n...", "«ke-hoach.txt» là tệp PDF đặt đuôi .txt"),
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "«ke-hoach.doc» là định dạng Word 97-2003"),
    ("ke-hoach.pdf", b"%PDF-1.7\n", "«ke-hoach.pdf» là PDF bị hỏng"),
    ("ke-hoach.pdf", b"<html>", "«ke-hoach.pdf» đặt đuôi .pdf nhưng không phải tệp PDF"),
    ("ke-hoach.rtf", b"{\\rtf1", "«ke-hoach.rtf» không phải kế hoạch dạng Word"),
    ("rong.txt", b"", "«rong.txt» rỗng"),
])
def test_unreadable_files_are_user_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UserError, match=message):
        read_plan(path)
    with pytest.raises(UserError, match="Không tìm thấy tệp kế hoạch"):
        read_plan(tmp_path / "khong-co.docx")


# --- what cannot be placed ---------------------------------------------------------------------------

def test_unplaced_paragraphs_keep_their_lines():
    lines = SEED["003"].read_text(encoding="utf-8").splitlines()
    # before "Trên đây là" (line 186): a section no plan workbook has room for; and a lead-in
    # under "III. TỔ CHỨC THỰC HIỆN" (line 166) that names no body
    closing = next(i for i, s in enumerate(lines) if s.startswith("Trên đây là"))
    lines[closing:closing] = ["IV. ĐIỀU KHOẢN THI HÀNH", "", "Kế hoạch này có hiệu lực kể từ ngày ký.", ""]
    org = lines.index("III. TỔ CHỨC THỰC HIỆN ")
    lines[org + 1:org + 1] = ["", "Giao các cơ quan thực hiện những việc sau:"]
    doc = read_plan_text("\n".join(lines), source="ke-hoach.txt")
    # lines count from 1: the lead-in stands two lines below the heading (line 168); the new
    # section's paragraph two lines below its heading, which the lead-in moved down by two
    assert (org + 1, closing + 1) == (166, 186)
    assert [(u.line, u.text) for u in doc.unplaced] == [
        (168, "Giao các cơ quan thực hiện những việc sau:"),
        (186 + 2 + 2, "Kế hoạch này có hiệu lực kể từ ngày ký.")]
    assert "ĐIỀU KHOẢN THI HÀNH" in doc.unplaced[1].reason
    assert [s.title for s in doc.sections][-1] == "ĐIỀU KHOẢN THI HÀNH"
    # and the rest still reads as before
    assert len(doc.tasks) == 8 and [r.body for r in doc.responsibilities] == EXPECTED["003"]["bodies"]
    assert doc.closing[0].startswith("Trên đây là Kế hoạch")


def test_task_fields_written_under_a_task():
    text = """KẾ HOẠCH
Công tác dân vận chính quyền năm 2024

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiệu quả công tác dân vận chính quyền.
II. NHIỆM VỤ
1. Tuyên truyền, quán triệt
1.1. Quán triệt Chỉ thị số 33/CT-TTg đến cán bộ, công chức.
- Chủ trì: Văn phòng UBND xã.
- Phối hợp: Công chức Văn hóa - Xã hội; Đài Truyền thanh xã.
- Thời gian thực hiện: Quý I/2024.
- Sản phẩm: Hội nghị quán triệt.
1.2. Tuyên truyền trên loa truyền thanh (Chủ trì: Đài Truyền thanh xã; Thời gian: Thường xuyên).
2. Tiếp công dân
- Chủ tịch UBND xã tiếp công dân định kỳ.
+ Ghi sổ tiếp công dân đầy đủ.
III. TỔ CHỨC THỰC HIỆN
Đề nghị Ủy ban MTTQ Việt Nam xã phối hợp giám sát việc thực hiện.
"""
    doc = read_plan_text(text)
    a, b, c = doc.tasks
    assert (a.group_number, a.group_title, a.number) == ("1", "Tuyên truyền, quán triệt", "1.1")
    assert a.content == "Quán triệt Chỉ thị số 33/CT-TTg đến cán bộ, công chức."
    assert (a.lead, a.coordinating, a.output) == ("Văn phòng UBND xã",
                                                 ("Công chức Văn hóa - Xã hội", "Đài Truyền thanh xã"),
                                                 "Hội nghị quán triệt")
    assert a.deadline.label == "Quý I/2024" and not a.deadline.dated
    assert b.content == "Tuyên truyền trên loa truyền thanh." and b.lead == "Đài Truyền thanh xã"
    assert b.deadline.term == "Thường xuyên"
    # a "+" under a "-" stays in its task's content
    assert c.content == "Chủ tịch UBND xã tiếp công dân định kỳ.\n+ Ghi sổ tiếp công dân đầy đủ."
    assert [(r.body, r.verb) for r in doc.responsibilities] == [("Ủy ban MTTQ Việt Nam xã", "đề nghị")]
    assert doc.header.title == "Công tác dân vận chính quyền năm 2024"


VARIANT = """UBND HUYỆN NGHĨA HÀNH
ỦY BAN NHÂN DÂN XÃ HÀNH PHƯỚC\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 12/KH-UBND\t\tHành Phước, ngày 05 tháng 02 năm 2024

KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2024

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ ở cơ quan hành chính;
UBND xã Hành Phước ban hành Kế hoạch như sau:

PHẦN I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích: Nâng cao chất lượng công tác dân vận.
2. Yêu cầu: Bám sát chỉ đạo của cấp trên.
PHẦN II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Công tác tuyên truyền
a) Tuyên truyền pháp luật
• Tổ chức hội nghị quán triệt.
• Phát thanh trên loa.
b) Tuyên truyền mô hình Dân vận khéo.
2. Cải cách hành chính
- Niêm yết thủ tục hành chính.
- Thời gian: Thường xuyên.
PHẦN III. KINH PHÍ
Kinh phí thực hiện do ngân sách xã đảm bảo, dự kiến 15.000.000 đồng.
PHẦN IV. TỔ CHỨC THỰC HIỆN
1. Công an xã: Giữ gìn an ninh trật tự.
2. Đề nghị Hội Liên hiệp Phụ nữ xã tuyên truyền hội viên.
3. Ban Chỉ đạo thực hiện Quy chế dân chủ xã theo dõi, đôn đốc.
Trên đây là Kế hoạch của UBND xã Hành Phước./.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Phạm Văn Bình
"""


def test_variant_layout():
    """"PHẦN I", "a)" with "•" under it, a header of two levels with tabs, a law cited by name."""
    doc = read_plan_text(VARIANT)
    h = doc.header
    assert (h.issuer, h.level, h.number, h.date, h.place) == ("Ủy ban nhân dân xã Hành Phước", "commune",
                                                              "12/KH-UBND", date(2024, 2, 5), "Hành Phước")
    assert h.title == "Thực hiện công tác dân vận chính quyền năm 2024"
    law = doc.bases[0]
    assert (law.kind, law.number, law.date, law.title) == ("Luật", "", date(2015, 6, 19), "Tổ chức chính quyền địa phương")
    assert doc.bases[1].number == "04/2015/NĐ-CP" and doc.bases[1].issuer == "Chính phủ"
    assert [s.number for s in doc.sections] == ["I", "II", "III", "IV"]
    assert doc.purposes == ("Nâng cao chất lượng công tác dân vận.",)
    assert doc.requirements == ("Bám sát chỉ đạo của cấp trên.",)
    # group 1: a) with its two bullets as content, b); group 2: one task, its deadline the line below it
    assert [(t.group_number, t.number) for t in doc.tasks] == [("1", "a"), ("1", "b"), ("2", "")]
    assert doc.tasks[0].content == "Tuyên truyền pháp luật\n• Tổ chức hội nghị quán triệt.\n• Phát thanh trên loa."
    assert doc.tasks[2].deadline.term == "Thường xuyên"
    assert (doc.funding.sources, doc.funding.amount) == (("ngân sách xã",), "15.000.000 đồng")
    assert [(r.body, r.verb) for r in doc.responsibilities] == [
        ("Công an xã", "giao"), ("Hội Liên hiệp Phụ nữ xã", "đề nghị"),
        ("Ban Chỉ đạo thực hiện Quy chế dân chủ xã", "giao")]
    assert doc.signer == "Phạm Văn Bình" and doc.unplaced == ()


def test_title_and_subject_on_one_line():
    """"KẾ HOẠCH" with its subject on one line; an upper-case subject naming tasks is no section."""
    doc = read_plan_text("KẾ HOẠCH THỰC HIỆN NHIỆM VỤ DÂN VẬN NĂM 2025\nI. MỤC ĐÍCH\n1. Nâng cao nhận thức.\n"
                         "II. NHIỆM VỤ\n1. Tuyên truyền.\n2. Tiếp công dân.\n")
    assert doc.header.title == "THỰC HIỆN NHIỆM VỤ DÂN VẬN NĂM 2025"
    assert [s.title for s in doc.sections] == ["MỤC ĐÍCH", "NHIỆM VỤ"]
    assert [t.content for t in doc.tasks] == ["Tuyên truyền.", "Tiếp công dân."]


@pytest.mark.parametrize("text, due, term, label", [
    ("15/6/2024", date(2024, 6, 15), None, "15/06/2024"),
    ("Trước ngày 15 tháng 12 năm 2024", date(2024, 12, 15), None, "15/12/2024"),
    ("Từ 01/3/2024 đến 30/6/2024", date(2024, 6, 30), None, "30/06/2024"),
    ("Quý II/2024", None, "Quý", "Quý II/2024"),
    ("quý 3 năm 2025", None, "Quý", "Quý III/2025"),
    ("Tháng 6/2024", None, "Tháng", "Tháng 6/2024"),
    ("6 tháng đầu năm 2024", None, "6 tháng đầu năm", "6 tháng đầu năm 2024"),
    ("Trong năm 2024", None, "Trong năm", "Trong năm 2024"),
    ("Năm 2025", None, "Năm", "Năm 2025"),
    ("Thường xuyên", None, "Thường xuyên", "Thường xuyên"),
    ("Hằng tháng", None, "Hằng tháng", "Hằng tháng"),
    ("Định kỳ hằng quý", None, "Định kỳ hằng quý", "Định kỳ hằng quý"),
    ("Hàng quý", None, "Định kỳ hằng quý", "Định kỳ hằng quý"),
    ("Định kỳ 6 tháng", None, "6 tháng", "6 tháng"),
    ("Hàng năm (trước ngày 15/12)", None, "Hằng năm", "Hằng năm"),
    ("Giai đoạn 2023 - 2030", None, None, "Giai đoạn 2023 - 2030"),
    ("31/02/2024", None, None, "31/02/2024"),
])
def test_parse_deadline(text, due, term, label):
    d = parse_deadline(text)
    assert (d.due, d.term, d.label, d.text) == (due, term, label, text)
    assert d.dated == (due is not None)
    assert d.recurring == (term in RECURRING_TERMS)


# --- the header in the shapes it arrives in (issue 25 §1) -----------------------------------------------

BODY = """KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2024
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức.
II. NHIỆM VỤ
1. Tuyên truyền Chỉ thị số 33/CT-TTg.
"""


@pytest.mark.parametrize("header, issuer, governing, number, day, place", [
    # a web table pasted cell by cell, motto split, separators of its own, the date over two rows
    ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA\nTỈNH BẮC KẠN | VIỆT NAM\n------- | Độc lập - Tự do - Hạnh phúc\n"
     "Số: 21/KH-UBND | ---------------\n | Bắc Kạn, ngày 16\n | tháng 01 năm 2024",
     "Ủy ban nhân dân tỉnh Bắc Kạn", (), "21/KH-UBND", date(2024, 1, 16), "Bắc Kạn"),
    # both columns joined by single spaces (a PDF read without its layout)
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN NHƯ THANH Độc lập - Tự do - Hạnh phúc\n"
     "Số: 45/KH-UBND Như Thanh, ngày 20 tháng 02 năm 2024",
     "Ủy ban nhân dân huyện Như Thanh", (), "45/KH-UBND", date(2024, 2, 20), "Như Thanh"),
    # the issuer's name and the place-date in one cell, the number below, a governing body above
    ("UBND HUYỆN NHƯ THANH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "ỦY BAN NHÂN DÂN XÃ CÁN KHÊ Cán Khê, ngày 05 tháng 3 năm 2024\nSố: 12/KH-UBND",
     "Ủy ban nhân dân xã Cán Khê", ("UBND HUYỆN NHƯ THANH",), "12/KH-UBND", date(2024, 3, 5), "Cán Khê"),
    # right column first, the issuer's name wrapped inside the unit's name, number and day left blank
    ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nThuỵ Hải, ngày      tháng 02\nnăm 2024\n"
     "ỦY BAN NHÂN DÂN XÃ\nTHUỴ HẢI\nSố:      /KH-UBND",
     "Ủy ban nhân dân xã Thụy Hải", (), "/KH-UBND", None, "Thụy Hải"),
])
def test_header_shapes(header, issuer, governing, number, day, place):
    doc = read_plan_text(header + "\n\n" + BODY)
    h = doc.header
    assert (h.issuer, h.governing, h.number, h.date, h.place, h.year) == (issuer, governing, number, day, place, 2024)
    assert h.title == "Thực hiện công tác dân vận chính quyền năm 2024"
    assert doc.unplaced == ()  # separators and the motto are no text


def test_title_broken_inside_a_word_group():
    """"KẾ HOẠCH" / "THỰC" / "HIỆN CÔNG TÁC ...": the subject line is all of it, not "THỰC"."""
    doc = read_plan_text(BODY.replace("Thực hiện công tác dân vận chính quyền năm 2024",
                                      "THỰC\nHIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN TRÊN ĐỊA\nBÀN XÃ NĂM 2024"))
    assert doc.header.title == "THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN TRÊN ĐỊA BÀN XÃ NĂM 2024"
    assert [s.number for s in doc.sections] == ["I", "II"]
