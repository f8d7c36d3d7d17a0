"""A plan in a Word file (.docx): its paragraphs in reading order, the text in tables included, and the
numbers and bullets that Word draws itself (which are not in the text) rebuilt from the numbering
definitions; a table whose first row heads a task list is kept as a table."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from dvcq.errors import UserError
from dvcq.text import nfc

from ..docstyles import ParagraphStyles
from .blocks import INVISIBLE, Block, Para, Table
from .markers import to_roman
from .tasks import task_columns


def _number_text(fmt: str, n: int) -> str:
    if fmt == "upperRoman":
        return to_roman(n)
    if fmt == "lowerRoman":
        return to_roman(n).lower()
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """The numbers and bullets Word draws for list paragraphs (numbering.xml), in document order.

    Counters belong to the abstract numbering, as in Word, and restart below the level that
    advances. A list Word would number but that cannot be resolved reads as a bullet item.
    """

    def __init__(self, document):
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        self.styles = ParagraphStyles(document)
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt, text, start = self._val(lvl, "w:numFmt", "decimal"), self._val(lvl, "w:lvlText", ""), \
                    self._val(lvl, "w:start", "1")
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (fmt, text, int(start) if start.isdigit() else 1)
            self.levels[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId"))
            overrides = {}
            for o in num.findall(qn("w:lvlOverride")):
                start = o.find(qn("w:startOverride"))
                if start is not None and start.get(qn("w:val"), "").isdigit():
                    overrides[int(o.get(qn("w:ilvl"), "0"))] = int(start.get(qn("w:val")))
            if abstract is not None:
                self.nums[num.get(qn("w:numId"))] = (abstract.get(qn("w:val")), overrides)

    @staticmethod
    def _val(el, tag: str, default: str) -> str:
        child = el.find(qn(tag))
        return default if child is None else child.get(qn("w:val"), default)

    def _num_pr(self, paragraph: Paragraph):
        """(numId, ilvl) of the paragraph's own numbering or its style's (following basedOn)."""
        pPr = paragraph._p.pPr
        num_pr = pPr.numPr if pPr is not None else None
        num_id = ilvl = None
        if num_pr is not None:
            num_id = num_pr.numId.val if num_pr.numId is not None else None
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else None
        style, seen = (self.styles.of(paragraph) if num_id is None else None), 0
        while num_id is None and style is not None and seen < 10:
            spPr = style.element.pPr
            if spPr is not None and spPr.numPr is not None:
                if spPr.numPr.numId is not None:
                    num_id = spPr.numPr.numId.val
                if ilvl is None and spPr.numPr.ilvl is not None:
                    ilvl = spPr.numPr.ilvl.val
            base = style.element.basedOn_val
            style, seen = (None if base is None else self.styles.by_id.get(base)), seen + 1
        return num_id, ilvl or 0

    def marker(self, paragraph: Paragraph) -> str:
        num_id, ilvl = self._num_pr(paragraph)
        if num_id is None or num_id == 0:
            return ""
        num = self.nums.get(str(num_id))
        levels = self.levels.get(num[0]) if num else None
        if not levels or ilvl not in levels:
            return "•"
        abstract, overrides = num
        fmt, text, _ = levels[ilvl]
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return text if text in ("-", "–", "+") else "•"
        state = self.counters.setdefault(abstract, [None] * 9)
        if str(num_id) not in self.started:
            self.started.add(str(num_id))
            for lvl, start in overrides.items():
                if lvl < 9:
                    state[lvl] = start - 1
        if state[ilvl] is None:
            state[ilvl] = levels[ilvl][2] - 1
        state[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            state[deeper] = None
        for k in range(9):
            if f"%{k + 1}" in text:
                lvl = levels.get(k, ("decimal", "", 1))
                count = state[k] if state[k] is not None else lvl[2]
                text = text.replace(f"%{k + 1}", _number_text(lvl[0] if k != ilvl else fmt, count))
        return text


def docx_blocks(path: Path) -> list[Block]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise UserError(f"Tệp «{path.name}» bị hỏng, không mở được như văn bản Word (.docx): {exc}; "
                        "hãy mở bằng Word, lưu lại rồi thử lại.") from None
    numbering = _Numbering(document)
    out: list[Block] = []
    count = 0

    def paragraph(p: Paragraph):
        nonlocal count
        count += 1
        marker = numbering.marker(p)
        pieces = [(x, nfc(x.translate(INVISIBLE))) for x in p.text.split("\n")]
        for i, (raw, s) in enumerate((x, s) for x, s in pieces if s):
            if i == 0 and marker:
                s = f"{marker} {s}"
            out.append(Para(s, count, raw=[raw]))

    def table(t: WordTable):
        nonlocal count
        rows = []
        for row in t.rows:
            seen, cells = set(), []
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(cell)
            rows.append(cells)
        if rows and task_columns([nfc(c.text) for c in rows[0]]) is not None:
            out.append(Table([[nfc(c.text) for c in r] for r in rows], count + 1))
            count += len(rows)
            return
        for cells in rows:
            for cell in cells:
                for item in cell.iter_inner_content():
                    (paragraph if isinstance(item, Paragraph) else table)(item)

    for item in document.iter_inner_content():
        (paragraph if isinstance(item, Paragraph) else table)(item)
    return out

