#!/usr/bin/env python3
"""Build the plan corpus (plans/) from the hand-written sources (sources/), deterministically.

    .venv/bin/python tests/documents/plans/corpus/make_corpus.py            # build plans/ (txt, docx, pdf, scanned pdf)
    .venv/bin/python tests/documents/plans/corpus/make_corpus.py --check    # build, then check expected.json against the files
    .venv/bin/python tests/documents/plans/corpus/make_corpus.py --no-pdf   # txt and docx only (no LibreOffice needed)

What it does, per document (table SPEC below):
  * plans/NN_slug.txt   : the source text, byte for byte, or with the one transformation SPEC names
                          ("nfd": Unicode NFD; "crlf": Windows line ends). The sources are NFC, LF.
  * plans/NN_slug.docx  : for documents with a "docx" entry: the decree's header as a real 2x2 table
                          (left: issuing body / number; right: motto / place-date, the cells stated by hand
                          below), then one paragraph per non-empty source line from the "KẾ HOẠCH" line on
                          (these sources are written one paragraph per line), optionally the "Nơi nhận" /
                          signature part as a 2-column table (footer_table). Always NFC.
  * plans/NN_slug.pdf   : for documents with pdf=True: the .docx converted by LibreOffice (text layer).
  * plans/21_..._scan.pdf: pages of one PDF rendered by pdftoppm to greyscale JPEG and wrapped in a new
                          PDF with no text at all (a "scanned" plan).

Determinism: zip entries of the .docx get a fixed timestamp and the core properties fixed dates; the
PDFs' /CreationDate, /ModDate, /ID and /DocChecksum are overwritten with fixed values of the same
length (so the xref offsets stay valid). Running the script twice gives identical bytes: it prints a
hash of plans/ to compare (with the same LibreOffice, poppler and fonts).

--check never runs the dvcq importer: it only verifies that the hand-written expected.json is
consistent with the text (line and paragraph counts, every quoted snippet present in the document).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
PLANS = HERE / "plans"
EXPECTED = HERE / "expected.json"
LO_PROFILE = "file:///tmp/lo-corpus"
FIXED_DATE = datetime(2026, 1, 1, 0, 0, 0)

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

# One entry per document. "header" gives the docx header cells by hand: (left lines, number line, date line).
SPEC = {
    "01_tinh-bac-kan_2025": dict(
        docx=dict(left=["ỦY BAN NHÂN DÂN", "TỈNH BẮC KẠN"], number="Số: 21/KH-UBND",
                  date="Bắc Kạn, ngày 16 tháng 01 năm 2025", footer_table=True), pdf=True),
    "02_tinh-ha-giang_2024": dict(
        docx=dict(left=["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG"], number="Số: 35/KH-UBND",
                  date="Hà Giang, ngày 22 tháng 01 năm 2024"), pdf=True),
    "03_xa-can-khe_2024": dict(
        docx=dict(left=["UBND HUYỆN NHƯ THANH", "ỦY BAN NHÂN DÂN XÃ CÁN KHÊ"], number="Số:      /KH-UBND",
                  date="Cán Khê, ngày      tháng 3 năm 2024"), pdf=True),
    "04_huyen-nhu-thanh_2024": dict(),
    "05_xa-minh-tien_2024": dict(),
    "06_xa-tan-phong_2025": dict(),
    "07_huyen-vi-xuyen_2024": dict(
        docx=dict(left=["ỦY BAN NHÂN DÂN", "HUYỆN VỊ XUYÊN"], number="Số:        /KH-UBND",
                  date="Vị Xuyên, ngày      tháng 02 năm 2024"), pdf=True),
    "08_xa-thuy-hai_2024": dict(),
    "09_thi-xa-nghi-son_2023": dict(),
    "10_xa-son-ninh_2024": dict(txt="crlf"),
    "11_huyen-hoa-vang_2024": dict(),
    "12_xa-nhu-thanh_2025": dict(
        docx=dict(left=["ỦY BAN NHÂN DÂN", "XÃ NHƯ THANH"], number="Số:       /KH-UBND",
                  date="Như Thanh, ngày       tháng 7 năm 2025"), pdf=True),
    "13_huyen-ngoc-lac_2023": dict(),
    "14_xa-ngoc-lac_2026": dict(
        docx=dict(left=["ỦY BAN NHÂN DÂN", "XÃ NGỌC LẶC"], number="Số: 214/KH-UBND",
                  date="Ngọc Lặc, ngày 10 tháng 12 năm 2025")),
    "15_tinh-thai-nguyen_2025": dict(
        txt="nfd",
        docx=dict(left=["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"], number="Số: 158/KH-UBND",
                  date="Thái Nguyên, ngày 14 tháng 8 năm 2025", footer_table=True), pdf=True),
    "16_xa-nghia-hanh_2026": dict(),
    "17_dac-khu-ly-son_2026": dict(
        txt="crlf",
        docx=dict(left=["ỦY BAN NHÂN DÂN", "ĐẶC KHU LÝ SƠN"], number="Số: 06/KH-UBND",
                  date="Lý Sơn, ngày 15 tháng 01 năm 2026")),
    "18_phuong-hac-thanh_2026": dict(),
    "19_xa-thai-hoa_2025": dict(txt="nfd"),
    "20_tinh-tuyen-quang_2026": dict(
        docx=dict(left=["ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG"], number="Số: 14/KH-UBND",
                  date="Tuyên Quang, ngày 12 tháng 01 năm 2026", footer_table=True), pdf=True),
}
SCAN = ("03_xa-can-khe_2024", "21_xa-can-khe_2024_scan")  # (rendered from, name of the scanned PDF)


# --- text ------------------------------------------------------------------------------------------

def source_text(slug: str) -> str:
    data = (SOURCES / f"{slug}.txt").read_bytes()
    text = data.decode("utf-8")
    assert "\r" not in text, f"{slug}: sources are LF"
    assert unicodedata.is_normalized("NFC", text), f"{slug}: sources are NFC"
    return text


def txt_bytes(slug: str) -> bytes:
    text = source_text(slug)
    kind = SPEC[slug].get("txt")
    if kind == "nfd":
        text = unicodedata.normalize("NFD", text)
    elif kind == "crlf":
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def body_lines(slug: str) -> list[str]:
    """Non-empty lines from the "KẾ HOẠCH" line on, stripped: the docx body, one paragraph each."""
    lines = source_text(slug).split("\n")
    start = next(i for i, s in enumerate(lines) if s.strip() == "KẾ HOẠCH")
    return [s.strip() for s in lines[start:] if s.strip()]


# --- docx ------------------------------------------------------------------------------------------

_ROMAN_HEAD = re.compile(r"^(?:I|II|III|IV|V|VI)[.\-]\s|^(?:PHẦN|Phần) [IVX]+|^[A-D]\.\s")
_SIGN = re.compile(r"^(?:TM\.|KT\.|PHÓ CHỦ TỊCH|CHỦ TỊCH|TRƯỞNG BAN)")


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_DATE, in the same order, so builds are identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_docx(slug: str) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt

    spec = SPEC[slug]["docx"]
    document = docx.Document()
    core = document.core_properties
    core.author = "dvcq test corpus"
    core.last_modified_by = "dvcq test corpus"
    core.title = ""
    core.revision = 1
    core.created = FIXED_DATE
    core.modified = FIXED_DATE
    core.last_printed = FIXED_DATE

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    # page numbers from the second page on, centred in the top margin (Nghị định 30/2020)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)

    def put(cell_or_doc, text, *, bold=False, italic=False, size=None, align=None, first=False, indent=None):
        if first:  # the first paragraph a table cell already has
            p = cell_or_doc.paragraphs[0]
        else:
            p = cell_or_doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if indent is not None:
            p.paragraph_format.first_line_indent = indent
        return p

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY

    def widths(table, cols):
        """Fixed column widths that Word and LibreOffice both keep: grid, then every cell."""
        table.autofit = False
        for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), cols):
            col.set(qn("w:w"), str(int(w.twips)))
        for row in table.rows:
            for cell, w in zip(row.cells, cols):
                cell.width = w

    # the header: a 2x2 table without borders (python-docx's default table style has none)
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, (Cm(6.3), Cm(10.2)))
    for i, line in enumerate(spec["left"]):
        put(table.cell(0, 0), line, bold=i > 0 or len(spec["left"]) == 1, size=13, align=center, first=i == 0)
    for i, line in enumerate(MOTTO):
        put(table.cell(0, 1), line, bold=True, size=13 if i == 0 else 14, align=center, first=i == 0)
    put(table.cell(1, 0), spec["number"], size=13, align=center, first=True)
    put(table.cell(1, 1), spec["date"], italic=True, size=14, align=center, first=True)

    lines = body_lines(slug)
    footer_at = len(lines)
    if spec.get("footer_table"):
        footer_at = next(i for i, s in enumerate(lines) if s.startswith("Nơi nhận"))
    subject = True
    for i, text in enumerate(lines[:footer_at]):
        if i == 0:
            put(document, text, bold=True, align=center)  # KẾ HOẠCH
            continue
        if subject:
            # the subject line(s): the lines right after "KẾ HOẠCH" up to the first blank source line
            src = source_text(slug).split("\n")
            k = next(j for j, s in enumerate(src) if s.strip() == "KẾ HOẠCH")
            subject_lines = []
            for s in src[k + 1:]:
                if not s.strip():
                    break
                subject_lines.append(s.strip())
            if text in subject_lines:
                put(document, text, bold=True, align=center)
                continue
            subject = False
        if _ROMAN_HEAD.match(text) or (text.isupper() and len(text) < 40 and not _SIGN.match(text)):
            put(document, text, bold=True, align=justify)
        elif text.startswith("Nơi nhận"):
            put(document, text, bold=True, italic=True, size=12)
        elif text.startswith("- ") and i > footer_at - 12 and any(x.startswith("Nơi nhận") for x in lines[:i]):
            put(document, text, size=11)
        elif _SIGN.match(text) or (i == len(lines) - 1 and not spec.get("footer_table")):
            p = put(document, text, bold=True, align=center)
            p.paragraph_format.left_indent = Cm(8)
        else:
            put(document, text, align=justify, indent=Cm(1))
    if spec.get("footer_table"):
        rest = lines[footer_at:]
        recipients = [s for s in rest if s.startswith("Nơi nhận") or s.startswith("- ")]
        signature = [s for s in rest if s not in recipients]
        foot = document.add_table(rows=1, cols=2)
        widths(foot, (Cm(8.0), Cm(8.5)))
        for j, s in enumerate(recipients):
            put(foot.cell(0, 0), s, bold=j == 0, italic=j == 0, size=12 if j == 0 else 11, first=j == 0)
        for j, s in enumerate(signature[:-1]):
            put(foot.cell(0, 1), s, bold=True, size=13, align=center, first=j == 0)
        for _ in range(3):  # room for the signature and seal: empty paragraphs, as offices leave them
            foot.cell(0, 1).add_paragraph()
        put(foot.cell(0, 1), signature[-1], bold=True, size=14, align=center)

    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


# --- pdf -------------------------------------------------------------------------------------------

def _pin_pdf(data: bytes) -> bytes:
    """Overwrite LibreOffice's dates, document ID and DocChecksum with fixed values of the same length."""
    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()(D:\d{14})", rb"\1D:20260101000000", data)
    def zero(m):
        ident = m.group(0)
        for g in (m.group(1), m.group(2)):
            ident = ident.replace(g, b"0" * len(g))
        return ident
    data = re.sub(rb"/DocChecksum\s*/([0-9A-Fa-f]+)", lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))),
                  data)
    return re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]", zero, data)


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice is needed for the PDFs: apt-get install -y --no-install-recommends "
                 "libreoffice-writer fonts-liberation2 (or run with --no-pdf)")
    return exe


def build_pdfs(slugs: list[str]) -> None:
    """Convert the given plans/*.docx to plans/*.pdf in one LibreOffice run."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [soffice(), f"-env:UserInstallation={LO_PROFILE}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp] + [str(PLANS / f"{s}.docx") for s in slugs]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "TZ": "UTC", "SOURCE_DATE_EPOCH": "1767225600"})
        for s in slugs:
            (PLANS / f"{s}.pdf").write_bytes(_pin_pdf((Path(tmp) / f"{s}.pdf").read_bytes()))


def _jpeg_size(data: bytes) -> tuple[int, int, int]:
    """(width, height, components) from the JPEG's frame header."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return (int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big"),
                    data[i + 9])
        i += 2 + length
    raise ValueError("no JPEG frame header")


def image_pdf(jpegs: list[bytes]) -> bytes:
    """A minimal PDF: one A4 page per JPEG (grey or RGB), no fonts, no text."""
    objs: list[bytes] = []
    kids = []
    n = len(jpegs)
    # 1 catalog, 2 pages, then per page: page, image, content
    for k, jpg in enumerate(jpegs):
        w, h, components = _jpeg_size(jpg)
        space = "/DeviceGray" if components == 1 else "/DeviceRGB"
        page, img, content = 3 + 3 * k, 4 + 3 * k, 5 + 3 * k
        kids.append(f"{page} 0 R")
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"
        objs.append((page, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject "
                           f"<< /Im0 {img} 0 R >> >> /Contents {content} 0 R >>".encode()))
        objs.append((img, f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {space} "
                          f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>\nstream\n".encode()
                     + jpg + b"\nendstream"))
        objs.append((content, f"<< /Length {len(draw)} >>\nstream\n".encode() + draw + b"endstream"))
    objs.insert(0, (2, f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n} >>".encode()))
    objs.insert(0, (1, b"<< /Type /Catalog /Pages 2 0 R >>"))
    objs.sort()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num, body in objs:
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for num in range(1, len(objs) + 1):
        out += f"{offsets[num]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def build_scan() -> None:
    src, name = SCAN
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-jpeg", "-jpegopt", "quality=70",
                        str(PLANS / f"{src}.pdf"), str(Path(tmp) / "p")], check=True)
        pages = [p.read_bytes() for p in sorted(Path(tmp).glob("p-*.jpg"))]
    (PLANS / f"{name}.pdf").write_bytes(image_pdf(pages))


# --- build -----------------------------------------------------------------------------------------

def build(with_pdf: bool) -> dict[str, float]:
    timings = {}
    PLANS.mkdir(exist_ok=True)
    t = time.perf_counter()
    for slug in SPEC:
        (PLANS / f"{slug}.txt").write_bytes(txt_bytes(slug))
    timings["txt"] = time.perf_counter() - t
    t = time.perf_counter()
    for slug, spec in SPEC.items():
        if "docx" in spec:
            (PLANS / f"{slug}.docx").write_bytes(build_docx(slug))
    timings["docx"] = time.perf_counter() - t
    if with_pdf:
        t = time.perf_counter()
        build_pdfs([s for s, spec in SPEC.items() if spec.get("pdf")])
        timings["pdf"] = time.perf_counter() - t
        t = time.perf_counter()
        build_scan()
        timings["scan"] = time.perf_counter() - t
    return timings


# --- check expected.json against the files (no importer involved) ---------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_MOVE_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])")


def norm(s: str) -> str:
    """NFC, tone on the first vowel of oa/oe/uy (hòa, thủy, Ủy), whitespace runs as one space."""
    d = unicodedata.normalize("NFD", s)
    d = _MOVE_TONE.sub(r"\1\3\2", d)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", d)).strip()


def resolved(files: dict, key: str) -> dict:
    entry = dict(files[key])
    if "same_as" in entry:
        base = resolved(files, entry.pop("same_as"))
        base.update(entry)
        return base
    return entry


def docx_paragraphs(path: Path) -> dict[str, int]:
    import docx
    d = docx.Document(path)
    tables = d.tables
    counts = {"header_table": 0, "body": 0, "footer_table": 0}
    counts["body"] = sum(1 for p in d.paragraphs if p.text.strip())
    for k, t in enumerate(tables):
        n = sum(1 for row in t.rows for c in row.cells for p in c.paragraphs if p.text.strip())
        counts["header_table" if k == 0 else "footer_table"] += n
    return counts


def docx_text(path: Path) -> str:
    import docx
    d = docx.Document(path)
    parts = [p.text for t in d.tables[:1] for row in t.rows for c in row.cells for p in c.paragraphs]
    parts += [p.text for p in d.paragraphs]
    parts += [p.text for t in d.tables[1:] for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(parts)


def check() -> int:
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    files = data["files"]
    problems = []
    on_disk = sorted(p.name for p in PLANS.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
    listed = sorted(Path(k).name for k in files)
    if on_disk != listed:
        problems.append(f"files on disk and in expected.json differ: {sorted(set(on_disk) ^ set(listed))}")
    for key in files:
        e = resolved(files, key)
        path = HERE / key
        fmt = e["format"]
        if fmt == "txt":
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            if e["encoding"]["newline"] == "CRLF" and "\r\n" not in text:
                problems.append(f"{key}: not CRLF")
            if e["encoding"]["unicode"] == "NFD" and unicodedata.is_normalized("NFC", text):
                problems.append(f"{key}: not NFD")
            lines = text.replace("\r\n", "\n").split("\n")
            nonempty = [s for s in lines if s.strip()]
            start = next((i for i, s in enumerate(lines) if norm(s) == "KẾ HOẠCH"), 0)
            counts = {"nonempty_lines": len(nonempty), "body_lines": sum(1 for s in lines[start:] if s.strip())}
        elif fmt == "docx":
            text = docx_text(path)
            counts = docx_paragraphs(path)
        else:
            # -layout keeps a hyphen that ends a line (plain pdftotext drops it and joins: '08-' / 'CTr/HU'
            # becomes '08CTr/HU'); a hyphen after a word joins the next line, one after a space stays ' - '
            out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                 check=True)
            text = re.sub(r"(?<=\S)-[ \t]*\n\s*", "-", out.stdout.decode("utf-8"))
            has_text = bool(text.strip())
            if has_text != e["text_layer"]:
                problems.append(f"{key}: text layer {has_text}, expected {e['text_layer']}")
            counts = None
        if counts is not None and counts != e["counts"]:
            problems.append(f"{key}: counts {counts} != expected {e['counts']}")
        if fmt == "pdf" and not e["text_layer"]:
            continue
        flat = norm(text)
        # PDF text lines break inside words' neighbourhood only at spaces; a hyphen at a line end is kept
        snippets = [e["header"]["title"]]
        snippets += [t["starts"] for t in e.get("tasks", [])]
        snippets += [t["deadline"] for t in e.get("tasks", []) if t["deadline"]]
        snippets += [t["lead"] for t in e.get("tasks", []) if t["lead"]]
        snippets += [t["actor"] for t in e.get("tasks", []) if t["actor"]]
        snippets += [r["body"][1:] for r in e.get("responsibilities", [])]  # case of the first letter aside
        snippets += [t["text"] for t in e.get("targets", [])]
        snippets += [b["number"] for b in e.get("bases", []) if b["number"]]
        snippets += [b["issuer"] for b in e.get("bases", []) if b["issuer"]]
        snippets += [e["signer"]] if e.get("signer") else []
        snippets += [s for s in e.get("signature", [])]
        for unit in (u for r in e.get("rollout", []) for u in r["units"]):
            snippets.append(unit)
        number = e["header"]["number"]
        if number and number != "/KH-UBND":
            snippets.append(number)
        folded_title = norm(e["header"]["title"])
        for s in snippets:
            if norm(s) not in flat and not (s == e["header"]["title"] and folded_title in flat):
                problems.append(f"{key}: not found in the text: {s!r}")
        if len(e.get("tasks", [])) != sum(g["tasks"] for g in e.get("groups", [])):
            problems.append(f"{key}: tasks and groups disagree")
        if e.get("section_kinds") and e.get("sections"):
            kinds = [s["kind"] for s in e["sections"]]
            if any(k not in e["section_kinds"] for k in kinds):
                problems.append(f"{key}: a section's kind is missing from section_kinds")
    for p in problems:
        print("PROBLEM", p)
    print(f"checked {len(files)} entries: {len(problems)} problem(s)")
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="after building, check expected.json")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDFs (no LibreOffice)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    timings = build(with_pdf=not args.no_pdf)
    total = time.perf_counter() - t0
    print("built plans/ in %.1f s (%s)" % (total, ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())))
    digest = hashlib.sha256()
    for p in sorted(PLANS.iterdir()):
        digest.update(p.name.encode() + p.read_bytes())
    print("sha256 of plans/:", digest.hexdigest()[:16])
    if args.check:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
