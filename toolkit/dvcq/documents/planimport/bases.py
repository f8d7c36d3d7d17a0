"""The legal bases a plan's opening cites ("Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính
phủ về ...;", several in one sentence: "..., Kết luận số 114-KL/TW ... và Kế hoạch số 12-KH/BDVTU ..."), and
the issuer the opening names ("UBND xã Minh Tiến xây dựng kế hoạch ...")."""
from __future__ import annotations

import re
from datetime import date

from dvcq.forms.plandoc import LegalBasis

from .blocks import Para
from .bodies import cap

KINDS = ("Kế hoạch", "Chỉ thị", "Nghị quyết", "Nghị định", "Quyết định", "Kết luận", "Thông tư", "Bộ luật", "Luật",
         "Công văn", "Văn bản", "Hướng dẫn", "Chương trình", "Đề án", "Thông báo", "Công điện", "Pháp lệnh",
         "Quy định", "Quy chế", "Hiến pháp")
_KIND = "|".join(KINDS)
_LEAD_WORDS = r"(?:và|thực hiện|căn cứ|triển khai|theo|trên cơ sở)"
_CITE = re.compile(rf"^(?:{_LEAD_WORDS}\s+)*({_KIND})\b\s*", re.IGNORECASE)
# a citation inside a sentence: the kind, up to three words ("phối hợp"), then its number; a law by its name
_CITE_START = re.compile(rf"(?=\b(?:(?:{_KIND})(?:\s+[a-zà-ỹđ]+){{0,3}}?\s+số\s*\d|"
                         rf"(?:Luật|Bộ luật)\s+[A-ZĐÀ-Ỹ][^,;]{{0,80}}?"
                         r"\s+ngày\s+\d))")
# what may stand before a citation that starts a new basis: the start, a comma or semicolon, "và", a lead word
_SEPARATED = re.compile(rf"(?:^|[,;]|\bvà)\s*(?:{_LEAD_WORDS}\s*)?$", re.IGNORECASE)
_LEADING = re.compile(rf"\s*(?:{_LEAD_WORDS}\s*)*", re.IGNORECASE)
_CITE_NUMBER = re.compile(r"(?:[a-zà-ỹđ]+\s+){0,3}?(?:số\s*)(\d+(?:\s*[/-]\s*[0-9A-Za-zĐđ]+)+)\s*|"
                          r"(\d+(?:\s*[/-]\s*[0-9A-Za-zĐđ]+)+)\s*", re.IGNORECASE)
_CITE_DATE = re.compile(r"[\s,]*ngày\s+(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})\s*", re.IGNORECASE)
_CITE_ISSUER = re.compile(r"[\s,]*(?:của|giữa)\s+(.+?)(?=\s+(?:về|V/v|v/v|thực hiện|triển khai|ban hành|"
                          r"hướng dẫn|quy định)\b|,|$)\s*")
_ABOUT = re.compile(r"^(?:về việc|về|V/v|v/v)\s+", re.IGNORECASE)
ISSUER_CLAUSE = re.compile(r"(?:^|[,.;]\s*)(?:căn cứ [^,;]*,\s*)?((?:UBND|Ủy ban nhân dân|Sở|Phòng|Ban|Văn phòng)\s"
                           r"[^,;:.]{0,80}?)\s+(?:xây dựng|ban hành|thống nhất ban hành)\s+[Kk]ế hoạch")


def basis(chunk: str, line: int) -> LegalBasis | None:
    """The document a citation names, or None when the text is no citation (no number, or a law without date)."""
    m = _CITE.match(chunk)
    if not m:
        return None
    kind = next(k for k in KINDS if k.lower() == m.group(1).lower())
    pos = m.end()
    number, when, issuer, name = "", None, "", ""
    n = _CITE_NUMBER.match(chunk, pos)
    if n:
        number, pos = re.sub(r"\s+", "", n.group(1) or n.group(2)), n.end()
    elif kind in ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"):  # cited by name, then its date
        d = _CITE_DATE.search(chunk, pos)
        if d:
            name, pos = chunk[pos:d.start()].strip(" ,"), d.start()
    else:
        return None  # "kế hoạch của Ủy ban nhân dân tỉnh ..." without a number is no citation
    d = _CITE_DATE.match(chunk, pos)
    if d:
        try:
            when = date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
        except ValueError:
            pass
        pos = d.end()
    i = _CITE_ISSUER.match(chunk, pos)
    if i:
        issuer, pos = i.group(1).strip(), i.end()
    about = name or _ABOUT.sub("", chunk[pos:].strip(" ,")).rstrip(" .;,")
    return LegalBasis(kind, number, when, issuer, about, chunk.rstrip(" .;,"), line)


def citations(text: str) -> list[str]:
    """The citations of one sentence, each from its start to the next's: "Chỉ thị ... của Thủ tướng Chính phủ,
    Kết luận ... của Ban Bí thư và Kế hoạch ..." is three (a document named inside a subject is not split off:
    "... về thực hiện Chỉ thị số 33/CT-TTg")."""
    starts = [m.start() for m in _CITE_START.finditer(text) if m.start() == 0 or _SEPARATED.search(text[:m.start()])]
    if starts and _LEADING.fullmatch(text[:starts[0]]):
        starts = starts[1:]  # "Thực hiện Chỉ thị ...": the lead words belong to the first citation
    bounds = [0] + [s for s in starts if s > 0] + [len(text)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b].strip()
        piece = re.sub(r"(?:[,;]|\s+và)\s*$", "", piece).strip()
        if piece:
            out.append(piece)
    return out


def opening(paras: list[Para]) -> tuple[list[LegalBasis], str, list[str]]:
    """The legal bases the opening cites, the issuer it names ("UBND xã X ban hành kế hoạch"), and the opening's
    paragraphs without their citations (the bases are kept as bases): "..., Ủy ban nhân dân tỉnh Hà Giang xây
    dựng Kế hoạch ... như sau:" stays, a paragraph that only cites goes."""
    found, issuer, rest = [], "", []
    for p in paras:
        kept = []
        for whole in re.split(r";\s*", p.text):
            m = ISSUER_CLAUSE.search(whole)
            clause, chunk = (whole[m.start():].lstrip(" ,.;"), whole[:m.start()]) if m else ("", whole)
            if m:
                issuer = issuer or m.group(1)
            pieces = citations(chunk.strip())
            cited = [basis(piece, p.line) for piece in pieces]
            if not any(cited):
                kept.append(whole)
                continue
            found += [b for b in cited if b]
            kept += [piece for piece, b in zip(pieces, cited) if b is None and piece.strip(" ,.;")]
            if clause:
                kept.append(clause)
        text = "; ".join(k.strip() for k in kept)
        if text:
            rest.append(cap(text) if text != p.text else text)
    return found, issuer, rest


__all__ = ["basis", "cap", "citations", "opening"]
