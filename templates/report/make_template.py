"""Generate the docxtpl Word templates of the documents dvcq writes (Nghị định 30/2020/NĐ-CP): bao-cao.docx,
the narrative report, and ../plan/ke-hoach.docx, the plan (kế hoạch). Both share one layout (header block,
title and subject line, paragraphs, Nơi nhận and signature); they differ in the title, the number and
subject lines and the paragraph styles (``Layout``).

Run once after editing this script: `python templates/report/make_template.py [report|plan]` (both by
default). The layout then lives in the .docx: an officer may open it in Word and change fonts, header or
recipients without touching Python. The jinja tags it holds are documented in README ("Narrative
templates", "The plan document").
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dvcq.documents.decree import CELL_MARGINS_CM, RULE_FULL, RULE_RATIO, RULE_SHORT, rule_indent_cm

FONT = "Times New Roman"
OUT = Path(__file__).with_name("bao-cao.docx")
PLAN_OUT = Path(__file__).resolve().parent.parent / "plan" / "ke-hoach.docx"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LEFT_CM, RIGHT_CM = 6.3, 10.2  # header columns (issuing body; national title, motto and date)
BODY_CM = 21.0 - 3.0 - 1.5  # A4 width less the left and right margins
SIGNATURE_SPACE_PT = 80  # above the signer's name: 2.8 cm for the signature and the seal (4 blank lines were 2.2 cm)


def _font(run, size, bold=False, italic=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def para(container, text, size=14, bold=False, italic=False, align=None, indent=False, after=0, before=0,
         keep=False):
    p = container.add_paragraph()
    if text:
        _font(p.add_run(text), size, bold, italic)
    f = p.paragraph_format
    f.space_after, f.space_before = Pt(after), Pt(before)
    f.line_spacing = 1.15 if indent else 1.0
    if align is not None:
        p.alignment = align
    if indent:
        f.first_line_indent = Cm(1.27)
    if keep:
        f.keep_with_next = True
    return p


def rule_style(doc, name):
    """A paragraph style drawing a rule: a bottom border on an empty 2 pt paragraph. Its indents are
    set per paragraph (dvcq.documents.decree.size_rules measures the line above when the report is rendered)."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(2)
    f = style.paragraph_format
    f.space_before = f.space_after = Pt(0)
    f.line_spacing = 1.0
    f.alignment = WD_ALIGN_PARAGRAPH.CENTER
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    style.element.get_or_add_pPr().append(borders)


def rule(container, style, line, size, available_cm):
    """A rule paragraph under ``line`` (its sample text at ``size`` pt) centred in ``available_cm``."""
    p = container.add_paragraph(style=style)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(
        rule_indent_cm(line, size, available_cm, RULE_RATIO[style]))
    return p


def page_numbers(sec):
    """Arabic page numbers centred in the top margin from page 2; none on page 1 (Nghị định 30/2020)."""
    sec.different_first_page_header_footer = True
    sec.first_page_header.is_linked_to_previous = False
    sec.header.is_linked_to_previous = False
    p = sec.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def preserve_spaces(p):
    """Keep runs of spaces (the blank day and month of the date line) as typed."""
    for t in p._p.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")
    return p


def no_borders(table):
    tbl = table._tbl
    pr = tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), "nil")
        b.append(e)
    pr.append(b)


def widths(table, *cm):
    """Fixed column widths (Word and LibreOffice otherwise share the width equally)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for col, w in zip(table.columns, cm):
        col.width = Cm(w)
        for cell in col.cells:
            cell.width = Cm(w)


def keep_row_together(row):
    """The recipients and signature block never break across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def cell_clear(cell):
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)


@dataclass(frozen=True)
class Layout:
    """What a document's template says beyond the shared layout."""
    out: Path
    title: str  # "BÁO CÁO", "KẾ HOẠCH"
    number: str  # the number line, jinja
    subject: str  # the subject line under the title, jinja
    subject_sample: str  # a typical subject, to size its rule before the first rendering
    h2_italic: bool = True  # level-2 headings bold italic (the report) or bold (the plan's "1. Mục đích")
    detail: bool = False  # a "detail" paragraph style in italics (a plan task's lead, deadline, output)
    annex: bool = False  # a roll-up's annex after the signature: the units' own texts, by unit (issue 24)


REPORT = Layout(OUT, "BÁO CÁO", "Số: {{ number or '       ' }}/{{ symbol }}",
                "{{ period.title }}",
                "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2024", annex=True)
PLAN = Layout(PLAN_OUT, "KẾ HOẠCH", "Số: {{ number }}", "{{ subject }}",
              "Thực hiện công tác dân vận chính quyền năm 2025", h2_italic=False, detail=True)
LAYOUTS = {"report": REPORT, "plan": PLAN}


def build(out: Path = OUT, layout: Layout = REPORT) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    page_numbers(sec)
    for style in (RULE_SHORT, RULE_FULL):
        rule_style(doc, style)

    C = WD_ALIGN_PARAGRAPH.CENTER
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(head)
    widths(head, LEFT_CM, RIGHT_CM)
    left, right = head.rows[0].cells
    for c in (left, right):
        cell_clear(c)
    para(left, "{{ issuer.body }}", 13, bold=True, align=C)
    para(left, "{{ issuer.unit_name }}", 13, bold=True, align=C)
    rule(left, RULE_SHORT, "HUYỆN NHƯ THANH", 13, LEFT_CM - CELL_MARGINS_CM)
    para(left, layout.number, 13, align=C, before=6)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=C)
    para(right, MOTTO, 13, bold=True, align=C)
    rule(right, RULE_FULL, MOTTO, 13, RIGHT_CM - CELL_MARGINS_CM)
    preserve_spaces(para(right, "{{ place_date }}", 13, italic=True, align=C, before=6))

    para(doc, layout.title, 14, bold=True, align=C, before=18)
    para(doc, layout.subject, 14, bold=True, align=C)
    rule(doc, RULE_SHORT, layout.subject_sample, 14, BODY_CM)
    para(doc, "", 6, after=6)

    J = WD_ALIGN_PARAGRAPH.JUSTIFY
    para(doc, "{%p for p in paragraphs %}", 2)
    para(doc, "{%p if p.style == 'h1' %}", 2)
    para(doc, "{{ p.text }}", 14, bold=True, align=J, indent=True, after=6, before=6, keep=True)
    para(doc, "{%p elif p.style == 'h2' %}", 2)
    para(doc, "{{ p.text }}", 14, bold=True, italic=layout.h2_italic, align=J, indent=True, after=6, keep=True)
    if layout.detail:
        para(doc, "{%p elif p.style == 'detail' %}", 2)
        para(doc, "{{ p.text }}", 14, italic=True, align=J, indent=True, after=6)
    para(doc, "{%p elif p.style == 'closing' %}", 2)
    para(doc, "{{ p.text }}", 14, align=J, indent=True, after=6, keep=True)
    para(doc, "{%p else %}", 2)
    para(doc, "{{ p.text }}", 14, align=J, indent=True, after=6)
    para(doc, "{%p endif %}", 2)
    para(doc, "{%p endfor %}", 2)

    foot = doc.add_table(rows=1, cols=2)
    no_borders(foot)
    keep_row_together(foot.rows[0])
    widths(foot, 8.0, 8.5)
    left, right = foot.rows[0].cells
    for c in (left, right):
        cell_clear(c)
    for c in (left, right):
        para(c, "", 2, before=10)  # the same space above "Nơi nhận:" and the signature block, so they align
    para(left, "Nơi nhận:", 12, bold=True, italic=True)
    para(left, "{%p for r in recipients %}", 2)
    para(left, "- {{ r }}{{ '.' if loop.last else ';' }}", 11)
    para(left, "{%p endfor %}", 2)
    para(right, "{%p for line in signer.lines %}", 2)
    para(right, "{{ line }}", 13, bold=True, align=C)
    para(right, "{%p endfor %}", 2)
    # room for the signature and the seal between the title and the name (Nghị định 30/2020/NĐ-CP, Phụ lục I: the
    # signer's name under the signature; usually 2.5-3 cm): one space, measured the same by Word and LibreOffice
    para(right, "{{ signer.name }}", 13, bold=True, align=C, before=SIGNATURE_SPACE_PT)
    if layout.annex:
        annex(doc)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def annex(doc) -> None:
    """The annex on a new page after the signature block: title, the report it goes with, then the paragraphs
    of ``annex`` (dvcq.documents.narrative.annex_paragraphs): h1 a district, h2 a unit, detail a section's title."""
    C, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    para(doc, "{%p if annex %}", 2)
    title = para(doc, "PHỤ LỤC", 14, bold=True, align=C)
    title.paragraph_format.page_break_before = True
    para(doc, "{{ annex_title }}", 14, bold=True, align=C)
    para(doc, "{{ annex_note }}", 13, italic=True, align=C, after=12)
    para(doc, "{%p for p in annex %}", 2)
    para(doc, "{%p if p.style == 'h1' %}", 2)
    para(doc, "{{ p.text }}", 14, bold=True, align=J, after=6, before=6, keep=True)
    para(doc, "{%p elif p.style == 'h2' %}", 2)
    para(doc, "{{ p.text }}", 14, bold=True, italic=True, align=J, after=3, before=6, keep=True)
    para(doc, "{%p elif p.style == 'detail' %}", 2)
    para(doc, "{{ p.text }}", 13, italic=True, align=J, indent=True, keep=True)
    para(doc, "{%p else %}", 2)
    para(doc, "{{ p.text }}", 13, align=J, indent=True, after=3)
    para(doc, "{%p endif %}", 2)
    para(doc, "{%p endfor %}", 2)
    para(doc, "{%p endif %}", 2)


if __name__ == "__main__":
    for name in sys.argv[1:] or list(LAYOUTS):
        print(build(LAYOUTS[name].out, LAYOUTS[name]))
