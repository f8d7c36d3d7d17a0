"""The paragraphs of a plan as text: one line per printed line (copied from a PDF or a web page), or one
paragraph per line (Word's "save as text"), with or without blank lines between.

A line continues the paragraph above it unless it starts a numbered or bulleted item or a heading, or
begins with a capital letter after a line that ends a sentence or stops short of the printed width. Three
signs of layout are read when the text shows them: a first-line indent (pdftotext -layout, a PDF's text
layer) starts a paragraph and a line at the margin continues one; in a text with a blank line after every
line (a PDF copied line by line) two blank lines end a paragraph; a line that ends on a word that cannot end
a sentence ("của", "và", "ngày", a comma) always goes on. Markdown marks (``#``, ``**``) are dropped.
"""
from __future__ import annotations

import re

from dvcq.text import nfc

from .blocks import INVISIBLE, Para
from .markers import caps, item, roman, starts_upper

_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_PAGE_NUMBER = re.compile(r"^[-–]?\s*\d{1,3}\s*[-–]?$")
TERMINAL = re.compile(r"[.:;!?…]['\"”’»)\]\s]*$")
# words after which a sentence cannot end: the line goes on ("... ngày 26/11/2021 của" / "Thủ tướng Chính phủ")
_OPEN_END = re.compile(r"(?:,|\b(?:của|và|về|với|ngày|số|các|những|tại|theo|cho|trong|trên|đến|để|từ|do|là|"
                       r"được|có|bằng|giữa|hoặc|thuộc|đối|vào|ở|khi|nhằm|gồm|như|tháng|năm|giai đoạn))$",
                       re.IGNORECASE)
_INDENT = re.compile(r"^[ \t]{2,}\S")
# a field's label whose value is on the next line ("... Thời gian:" / "Thường xuyên.")
_LABEL_END = re.compile(r"\b(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành|triển khai))?\s*:$",
                        re.IGNORECASE)


def _continues(prev: str, line: str, short: float) -> bool:
    """Whether a text line continues the paragraph whose last line is ``prev``."""
    if item(line) is not None or roman(line) is not None:
        # "kinh tế - xã hội" wrapped before the dash: a dash, then lower case, after an open line
        return line[:1] in "-–" and not starts_upper(line[1:]) and not TERMINAL.search(prev)
    if caps(line) != caps(prev):  # "KẾ HOẠCH" / "Thực hiện ...", "Số: ..." / "KẾ HOẠCH"
        return False
    if _OPEN_END.search(prev) or _LABEL_END.search(prev):
        return True
    if prev.endswith(":") and line[:1] in "“\"«":  # 'xây dựng mô hình:' / '“Chính quyền thân thiện ...”'
        return True
    return not (starts_upper(line) and (TERMINAL.search(prev) or len(prev) < short))


def _cleaned(text: str) -> list[tuple[int, str, str, bool]]:
    out = []
    for no, raw in enumerate(text.splitlines(), 1):
        heading = bool(_MD_HEADING.match(raw))
        raw = _MD_HEADING.sub("", raw).replace("**", "").translate(INVISIBLE).rstrip()
        out.append((no, raw, " ".join(raw.split()), heading))
    return out


def _double_spaced(cleaned) -> bool:
    """Whether nearly every line is followed by one blank line (a PDF copied line by line)."""
    gaps, runs, run = 0, [], 0
    for _, _, s, _ in cleaned:
        if s:
            if run:
                runs.append(run)
            run = 0
            gaps += 1
        else:
            run += 1
    return gaps >= 8 and sum(1 for r in runs if r == 1) >= 0.7 * gaps


def _indented(cleaned) -> bool:
    """Whether paragraphs start with an indent and their wrapped lines at the margin (pdftotext -layout)."""
    lines = [raw for _, raw, s, _ in cleaned if s and not _PAGE_NUMBER.match(s)]
    if len(lines) < 8:
        return False
    indented = sum(1 for raw in lines if _INDENT.match(raw))
    margin = sum(1 for raw in lines if raw[:1].strip() and item(raw) is None and roman(raw) is None)
    return indented >= 0.15 * len(lines) and margin >= 0.15 * len(lines)


def text_paragraphs(text: str) -> list[Para]:
    cleaned = _cleaned(text)
    # Copied from a PDF, most lines are about as long as the printed line, and a line well short of
    # it ends its paragraph; otherwise each line is a paragraph unless the next starts in lower case.
    lengths = sorted(len(s) for _, _, s, _ in cleaned if len(s) >= 20)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    printed = sum(1 for n in lengths if 0.8 * width <= n <= 1.1 * width) >= 0.5 * len(lengths) > 0
    short = 0.7 * width if printed else float("inf")
    double, indented = _double_spaced(cleaned), _indented(cleaned)
    paras: list[Para] = []
    cur: Para | None = None
    last, blanks = "", 0
    for no, raw, s, heading in cleaned:
        if not s or _PAGE_NUMBER.match(s):
            blanks += not s
            continue
        joins = cur is not None and not heading and not cur.heading and not (double and blanks >= 2)
        if joins and indented:
            joins = not _INDENT.match(raw) and item(s) is None and roman(s) is None and caps(s) == caps(last) \
                and not last.endswith("./.")
        elif joins:
            joins = _continues(last, s, short)
        blanks = 0
        if joins:
            cur.text += ("" if re.search(r"\d-$", last) else " ") + s  # "763-" / "QĐ/TU" is one number
            cur.raw.append(raw)
        else:
            cur = Para(s, no, heading, [raw])
            paras.append(cur)
        last = s
    for p in paras:
        p.text = nfc(p.text)
    return paras
