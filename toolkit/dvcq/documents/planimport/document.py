"""A plan's blocks (paragraphs and task tables, from a text, Word or PDF file) read as a PlanDocument.

What precedes "KẾ HOẠCH" is the header (dvcq.documents.planimport.header); the paragraphs after it up to the
first basis, heading or opening sentence are the subject line, however many lines it takes; then the
opening up to the first heading, which cites the legal bases. Sections are headed "I.", "I-", "Phần I",
"A." (a heading broken over two lines is one), or, when Word numbers them, recognised by their upper-case
titles. A plan whose heading "I." is missing has its purposes right after the opening; a plan without
headings has its numbered tasks there. "Trên đây là ...", "Nơi nhận" and the signature end the body.
Whatever fits nowhere is kept in ``unplaced`` with its line and the reason, so nothing is lost.
"""
from __future__ import annotations

import re

from dvcq.errors import UserError
from dvcq.forms.plandoc import Header, PlanDocument, Unplaced
from dvcq.text import fold

from .bases import basis, opening
from .blocks import Para, Table
from .footer import footer, is_sign
from .header import NUMBER, PLACE_DATE, header, level, running_issuer
from .lines import TERMINAL
from .markers import caps, caps_section, item, roman, section_kind
from .refs import assign_leads
from .sections import Body

_OTHER_KINDS = {"bao cao": "báo cáo", "quyet dinh": "quyết định", "to trinh": "tờ trình", "thong bao": "thông báo",
                "cong van": "công văn", "bien ban": "biên bản", "nghi quyet": "nghị quyết"}
_MOTTO = ("cong hoa xa hoi", "doc lap tu do")
_OPEN_END = re.compile(r"(?:,|\b(?:của|và|về|với|trên|tại|cho|các|đến|trong|-))$", re.IGNORECASE)
_CLOSING_ISSUER = re.compile(r"của\s+((?:UBND|Ủy ban nhân dân|Ban Chỉ đạo|Sở|Phòng)\s+[^,;.]+)")
# the sections of a plan the workbook has a place for; a text with none of them (and no numbered task) is no plan
_PLAN_KINDS = ("purpose", "tasks", "rollout", "funding", "organisation")


def _is_title(p) -> bool:
    return isinstance(p, Para) and (fold(p.text) == "ke hoach"
                                    or (p.text.startswith("KẾ HOẠCH ") and len(p.text) < 300))


def _is_footer(p, prev) -> bool:
    if isinstance(p, Table):
        return False
    f = fold(p.text)
    if f.startswith(("tren day la", "noi nhan")) or is_sign(p.text):
        return True
    return prev is not None and isinstance(prev, Para) and prev.text.rstrip().endswith("./.")


def _heading(p) -> bool:
    return isinstance(p, Para) and (roman(p.text) is not None or caps_section(p.text))


def _title_line(p, so_far: str) -> bool:
    """Whether a paragraph after "KẾ HOẠCH" is (more of) the subject line: no basis, heading or item, no
    sentence ending with ":" or ";"; after the first line, one that goes on from it (lower case, a digit, the
    same capitals, or after a line left open)."""
    if not isinstance(p, Para) or roman(p.text) or item(p.text) or len(p.text) > 300:
        return False
    text = p.text
    if caps_section(text) and (so_far or len(text) < 30 or section_kind(text) == "purpose"):
        return False  # a section's title; "KẾ HOẠCH" / "THỰC HIỆN NHIỆM VỤ ... NĂM 2025" is a subject line
    cited = basis(text, 0)
    if fold(text).startswith("can cu") or (cited is not None and cited.date is not None):
        return False
    if not so_far:
        return not text.rstrip().endswith((":", ";"))
    if TERMINAL.search(so_far) and not so_far.endswith(")"):
        return False
    first = text.lstrip("“\"(")[:1]
    return first.islower() or first.isdigit() or (caps(so_far) and caps(text)) or bool(_OPEN_END.search(so_far))


def _merge_headings(blocks: list) -> list:
    """A heading broken over two lines ("I. MỤC ĐÍCH," / "YÊU CẦU") as one paragraph."""
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Para) and isinstance(prev, Para) and roman(prev.text) and _OPEN_END.search(prev.text) \
                and caps(b.text) and len(b.text) <= 80 and not roman(b.text) and item(b.text) is None:
            out[-1] = Para(f"{prev.text} {b.text}", prev.line, prev.heading, prev.raw + b.raw)
            continue
        out.append(b)
    return out


def parse(blocks: list, source: str) -> PlanDocument:
    name = f"«{source}»" if source else "Văn bản"
    paras = [b for b in blocks if isinstance(b, Para)]
    if not paras:
        raise UserError(f"{name} không có nội dung.")
    blocks = _merge_headings(blocks)
    unplaced: list[Unplaced] = []
    t = next((i for i, b in enumerate(blocks) if _is_title(b)), None)
    if t is not None and fold(blocks[t].text) != "ke hoach":  # "KẾ HOẠCH THỰC HIỆN ..." on one line
        title_para = blocks[t]
        subject = Para(title_para.text[len("KẾ HOẠCH "):].strip(), title_para.line)
        blocks = blocks[:t] + [Para("KẾ HOẠCH", title_para.line), subject] + blocks[t + 1:]
    if t is None:
        for b in paras[:15]:
            kind = _OTHER_KINDS.get(fold(b.text))
            if kind:
                raise UserError(f"{name} là {kind}, không phải kế hoạch.")
    start = 0 if t is None else t + 1

    # the subject line, over as many paragraphs as it takes
    title, opening_from = "", start
    if t is not None:
        while opening_from < len(blocks) and _title_line(blocks[opening_from], title):
            title = f"{title} {blocks[opening_from].text}".strip()
            opening_from += 1
    heads = [i for i in range(opening_from, len(blocks)) if _heading(blocks[i])]
    end = next((i for i in range(opening_from + 1, len(blocks)) if _is_footer(blocks[i], blocks[i - 1])), len(blocks))
    heads = [i for i in heads if i < end]

    # header, and in a text without "KẾ HOẠCH" the header lines that stand before the opening
    h = header([b for b in blocks[:t if t is not None else 0] if isinstance(b, Para)], unplaced)
    first_head = heads[0] if heads else end
    region = [i for i in range(opening_from, first_head) if isinstance(blocks[i], Para)]
    if t is None:
        kept = []
        for i in region:
            p = blocks[i]
            if NUMBER.search(p.text) or PLACE_DATE.search(p.text) or fold(p.text).startswith(_MOTTO) \
                    or p.text.isupper():
                extra = header([p], unplaced)
                h.number, h.place, h.date_text = h.number or extra.number, h.place or extra.place, \
                    h.date_text or extra.date_text
                h.date, h.year, h.month = h.date or extra.date, h.year or extra.year, h.month or extra.month
                h.bodies += extra.bodies
            else:
                kept.append(i)
        region = kept

    # an unheaded part right after the opening: the purposes of a plan whose "I." is missing, or the tasks of
    # a plan without headings
    implicit = ""
    items_at = next((i for i in region if item(blocks[i].text) is not None), None)
    numbered = roman(blocks[heads[0]].text) if heads else None
    if items_at is not None and numbered is not None and numbered[0] in ("II", "B"):
        implicit = "purpose"
    elif items_at is not None and not heads:
        implicit = "tasks"
    stop = items_at if implicit else first_head
    opening_paras = [blocks[i] for i in region if i < (stop if stop is not None else first_head)]
    bases, opening_issuer, opening_texts = opening(opening_paras)

    body = Body(unplaced)
    if implicit:
        body.section(None, [b for b in blocks[items_at:first_head] if b is not None], implicit)
    for k, i in enumerate(heads):
        body.section(blocks[i], blocks[i + 1:heads[k + 1] if k + 1 < len(heads) else end])
    if not implicit and not any(s.kind in _PLAN_KINDS for s in body.sections):
        raise UserError(f"{name} không phải kế hoạch: không tìm thấy các phần của kế hoạch (Mục đích, yêu cầu; "
                        "Nội dung, nhiệm vụ; Tổ chức thực hiện) hay các nhiệm vụ đánh số.")
    bases += body.bases
    foot = footer(blocks[end:], unplaced, body.groups)

    closing_issuer = ""
    for text in foot.closing:
        m = _CLOSING_ISSUER.search(text)
        if m:
            closing_issuer = m.group(1).strip()
    issuer = _issuer(h.issuer, running_issuer(opening_issuer) if opening_issuer else "",
                     running_issuer(closing_issuer) if closing_issuer else "")
    header_ = Header(issuer, level(issuer), h.number, h.date, h.date_text, h.place, h.year, title,
                     tuple(h.bodies[:-1]))
    groups = assign_leads(body.groups, body.responsibilities)
    return PlanDocument(header_, tuple(bases), tuple(opening_texts), tuple(body.purposes),
                        tuple(body.requirements), tuple(groups), tuple(sorted(body.rollout, key=lambda e: e.year)),
                        body.funding, tuple(body.responsibilities), tuple(foot.closing), tuple(foot.recipients),
                        tuple(foot.signature), foot.signer, tuple(body.sections),
                        tuple(sorted(unplaced, key=lambda u: u.line)), source)


def _issuer(from_header: str, from_opening: str, from_closing: str) -> str:
    """The issuer: the header's, written as the opening or the closing spells it when they name the same body
    (the header's capitals lose the case of a body's name and its abbreviations: "BAN CHỈ ĐẠO THỰC HIỆN QCDC"
    is the opening's "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở xã Tân Phong"); else the opening's or the
    closing's."""
    others = [s for s in (from_opening, from_closing) if s]
    if not from_header:
        return others[0] if others else ""
    same = next((s for s in others if fold(s) == fold(from_header)), None)
    if same:
        return same
    if not fold(from_header).startswith(("uy ban nhan dan", "ubnd")):
        words = fold(from_header).split()[:3]
        spelled = next((s for s in others if fold(s).split()[:3] == words), None)
        if spelled:
            return spelled
    return from_header
