"""Generate bao-cao.docx, the docxtpl template of the narrative report (Nghị định 30/2020/NĐ-CP).

Run once after editing this script: `python templates/report/make_template.py`. The layout then
lives in the .docx: an officer may open it in Word and change fonts, header or recipients
without touching Python. The jinja tags it holds are documented in README ("Narrative templates").
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
OUT = Path(__file__).with_name("bao-cao.docx")


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


def rule(p, width_pct=40):
    """A short horizontal line under a centred paragraph (a bottom border on a narrow paragraph)."""
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)
    margin = Cm((100 - width_pct) / 100 * 7.5 / 2)
    p.paragraph_format.left_indent = margin
    p.paragraph_format.right_indent = margin


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


def build(out: Path = OUT) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    C = WD_ALIGN_PARAGRAPH.CENTER
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(head)
    widths(head, 6.3, 10.2)
    left, right = head.rows[0].cells
    for c in (left, right):
        cell_clear(c)
    para(left, "{{ issuer.body }}", 13, bold=True, align=C)
    para(left, "{{ issuer.unit_name }}", 13, bold=True, align=C)
    rule(para(left, "", 3, align=C), 30)
    para(left, "Số: {{ number or '       ' }}/BC-UBND", 13, align=C, before=6)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=C)
    para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, align=C)
    rule(para(right, "", 3, align=C), 62)
    para(right, "{{ place_date }}", 13, italic=True, align=C, before=6)

    para(doc, "BÁO CÁO", 14, bold=True, align=C, before=18)
    para(doc, "Kết quả thực hiện công tác dân vận chính quyền {{ period.label | lower }}", 14, bold=True, align=C)
    rule(para(doc, "", 6, align=C, after=12), 18)

    J = WD_ALIGN_PARAGRAPH.JUSTIFY
    para(doc, "{%p for p in paragraphs %}", 2)
    para(doc, "{%p if p.style == 'h1' %}", 2)
    para(doc, "{{ p.text }}", 14, bold=True, align=J, indent=True, after=6, before=6, keep=True)
    para(doc, "{%p elif p.style == 'h2' %}", 2)
    para(doc, "{{ p.text }}", 14, bold=True, italic=True, align=J, indent=True, after=6, keep=True)
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
    para(left, "Nơi nhận:", 12, bold=True, italic=True, before=12)
    para(left, "{%p for r in recipients %}", 2)
    para(left, "- {{ r }}{{ '.' if loop.last else ';' }}", 11)
    para(left, "{%p endfor %}", 2)
    para(right, "TM. ỦY BAN NHÂN DÂN", 13, bold=True, align=C, before=12)
    para(right, "{%p if signer.mode == 'KT.' %}", 2)
    para(right, "KT. CHỦ TỊCH", 13, bold=True, align=C)
    para(right, "PHÓ CHỦ TỊCH", 13, bold=True, align=C)
    para(right, "{%p else %}", 2)
    para(right, "CHỦ TỊCH", 13, bold=True, align=C)
    para(right, "{%p endif %}", 2)
    for _ in range(4):
        para(right, "", 13)
    para(right, "{{ signer.name }}", 13, bold=True, align=C)
    doc.save(out)
    return out


if __name__ == "__main__":
    print(build())
