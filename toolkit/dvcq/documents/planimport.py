"""Read an existing kế hoạch (.txt or .docx) into a ``dvcq.forms.plandoc.PlanDocument``.

A plan is read the way a reader reads it:

1. **Paragraphs.** A Word file gives them directly (text in tables in reading order; numbers
   and bullets that Word draws itself, which are not in the text, are rebuilt from the numbering
   definitions). A text file, often copied from a PDF, has one line per printed line: a line
   continues the paragraph unless it starts a numbered or bulleted item, or begins with a capital
   letter after a line that ends a sentence or stops short of the page width. Markdown marks
   (``#``, ``**``) are dropped.
2. **Layout.** What precedes "KẾ HOẠCH" is the header (issuing body, number, place and date);
   the next paragraph is the subject line; then the opening up to section I, which cites the
   legal bases. Sections are Roman-numbered ("I.", "PHẦN II") or, when Word numbers them,
   recognised by their upper-case titles. "Trên đây là ...", "Nơi nhận" and the signature end the
   body.
3. **Items.** Inside a section, numbered ("1.", "1.1.", "a)") and bulleted ("-", "+", "•") items
   form a tree (numbers by depth, bullets by first appearance); a paragraph without a marker
   continues the item above it.
   - Mục đích, yêu cầu: each item is a purpose (or a requirement, under "2. Yêu cầu").
   - Nội dung, nhiệm vụ: when some top items have sub-items, top items are groups and their
     sub-items are tasks (deeper items stay in their task's content); text under a group title
     before its first sub-item is the group's lead-in when it ends with ":", else one more task.
     Otherwise the section is one group and each top item is a task. "Chủ trì: ...", "Phối hợp:
     ...", "Thời gian: ...", "Sản phẩm: ..." lines fill the task's fields.
   - Lộ trình ("Năm 2024: ... tại 04 đơn vị: ..."), Kinh phí: a section or a numbered part of one.
   - Tổ chức thực hiện: each top item is one body's responsibility; the body is the item's title,
     or the words before the colon or before the first verb ("Sở Nội vụ thường xuyên theo dõi").
4. Whatever fits nowhere is kept in ``unplaced`` with its line (paragraph number for Word files).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from dvcq.errors import UserError
from dvcq.forms.plandoc import (
    Funding,
    Header,
    LegalBasis,
    PlanDocument,
    Responsibility,
    RolloutEntry,
    Section,
    Task,
    TaskGroup,
    Unplaced,
    parse_deadline,
)
from dvcq.intake.sniff import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, OLE_MAGIC
from dvcq.text import detect_legacy, fold, nfc, repair_legacy, unit_running

TEXT_SUFFIXES = (".txt", ".md")
WORD_SUFFIXES = (".docx", ".docm")


# --- paragraphs ----------------------------------------------------------------

@dataclass
class _Para:
    text: str
    line: int
    heading: bool = False  # stands alone (a Markdown heading)
    raw: list[str] = field(default_factory=list)  # the lines as written (header parsing)


@dataclass
class _Table:
    rows: list[list[str]]
    line: int


_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_PAGE_NUMBER = re.compile(r"^[-–]?\s*\d{1,3}\s*[-–]?$")
_TERMINAL = re.compile(r"[.:;!?…]['\"”’»)\]\s]*$")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u00ad"), None)


def _starts_upper(s: str) -> bool:
    for c in s:
        if c.isalpha():
            return c.isupper()
        if c.isdigit():
            return False
    return False


def _caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _continues(prev: str, line: str, short: float) -> bool:
    """Whether a text line continues the paragraph whose last line is ``prev``."""
    if _caps(line) != _caps(prev):  # "KẾ HOẠCH" / "Thực hiện ...", "Số: ..." / "KẾ HOẠCH"
        return False
    if _item(line) is not None or _roman(line) is not None:
        # "kinh tế - xã hội" wrapped before the dash: a dash, then lower case, after an open line
        return line[:1] in "-–" and not _starts_upper(line[1:]) and not _TERMINAL.search(prev)
    if prev.endswith(":") and line[:1] in "“\"«":  # 'xây dựng mô hình:' / '“Chính quyền thân thiện ...”'
        return True
    return not (_starts_upper(line) and (_TERMINAL.search(prev) or len(prev) < short))


def _text_paragraphs(text: str) -> list[_Para]:
    cleaned = []
    for no, raw in enumerate(text.splitlines(), 1):
        heading = bool(_MD_HEADING.match(raw))
        raw = _MD_HEADING.sub("", raw).replace("**", "").translate(_INVISIBLE)
        cleaned.append((no, raw, raw.strip(), heading))
    # Copied from a PDF, most lines are about as long as the printed line, and a line well short of
    # it ends its paragraph; otherwise each line is a paragraph unless the next starts in lower case.
    lengths = sorted(len(s) for _, _, s, _ in cleaned if len(s) >= 20)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    printed = sum(1 for n in lengths if 0.8 * width <= n <= 1.1 * width) >= 0.5 * len(lengths) > 0
    short = 0.7 * width if printed else float("inf")
    paras: list[_Para] = []
    cur: _Para | None = None
    last = ""
    for no, raw, s, heading in cleaned:
        if not s or _PAGE_NUMBER.match(s):
            continue
        if cur is not None and not heading and not cur.heading and _continues(last, s, short):
            cur.text += ("" if re.search(r"\d-$", last) else " ") + s  # "763-" / "QĐ/TU" is one number
            cur.raw.append(raw)
        else:
            cur = _Para(s, no, heading, [raw])
            paras.append(cur)
        last = s
    for p in paras:
        p.text = nfc(p.text)
    return paras


# --- Word files ------------------------------------------------------------------

_ROMAN_DIGITS = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN_DIGITS:
        while n >= value:
            out += letters
            n -= value
    return out


def _number_text(fmt: str, n: int) -> str:
    if fmt == "upperRoman":
        return _to_roman(n)
    if fmt == "lowerRoman":
        return _to_roman(n).lower()
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

    @staticmethod
    def _num_pr(paragraph: Paragraph):
        """(numId, ilvl) of the paragraph's own numbering or its style's (following basedOn)."""
        pPr = paragraph._p.pPr
        num_pr = pPr.numPr if pPr is not None else None
        num_id = ilvl = None
        if num_pr is not None:
            num_id = num_pr.numId.val if num_pr.numId is not None else None
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else None
        style, seen = paragraph.style, 0
        while num_id is None and style is not None and seen < 10:
            spPr = style.element.pPr
            if spPr is not None and spPr.numPr is not None:
                if spPr.numPr.numId is not None:
                    num_id = spPr.numPr.numId.val
                if ilvl is None and spPr.numPr.ilvl is not None:
                    ilvl = spPr.numPr.ilvl.val
            style, seen = style.base_style, seen + 1
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


_TASK_COLUMNS = {
    "number": re.compile(r"^(?:stt|tt|so tt|so thu tu)$"),
    "content": re.compile(r"noi dung|nhiem vu|cong viec"),
    "lead": re.compile(r"chu tri|phu trach|(?<!thoi gian )thuc hien|trach nhiem"),
    "coordinating": re.compile(r"phoi hop"),
    "deadline": re.compile(r"thoi gian|thoi han|tien do"),
    "output": re.compile(r"san pham|ket qua"),
}


def _task_columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, when a table's first row heads a task list."""
    cols: dict[str, int] = {}
    for i, cell in enumerate(header):
        f = fold(cell)
        for name, pattern in _TASK_COLUMNS.items():
            if name not in cols and pattern.search(f):
                cols[name] = i
                break
    if "content" in cols and len(set(cols) & {"lead", "coordinating", "deadline", "output"}) >= 1:
        return cols
    return None


def _docx_blocks(path: Path) -> list[_Para | _Table]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise UserError(f"Tệp «{path.name}» bị hỏng, không mở được như văn bản Word (.docx): {exc}; "
                        "hãy mở bằng Word, lưu lại rồi thử lại.") from None
    numbering = _Numbering(document)
    out: list[_Para | _Table] = []
    count = 0

    def paragraph(p: Paragraph):
        nonlocal count
        count += 1
        marker = numbering.marker(p)
        pieces = [(x, nfc(x.translate(_INVISIBLE))) for x in p.text.split("\n")]
        for i, (raw, s) in enumerate((x, s) for x, s in pieces if s):
            if i == 0 and marker:
                s = f"{marker} {s}"
            out.append(_Para(s, count, raw=[raw]))

    def table(t: Table):
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
        if rows and _task_columns([nfc(c.text) for c in rows[0]]) is not None:
            out.append(_Table([[nfc(c.text) for c in r] for r in rows], count + 1))
            count += len(rows)
            return
        for cells in rows:
            for cell in cells:
                for item in cell.iter_inner_content():
                    (paragraph if isinstance(item, Paragraph) else table)(item)

    for item in document.iter_inner_content():
        (paragraph if isinstance(item, Paragraph) else table)(item)
    return out


# --- files -------------------------------------------------------------------------

def _decode(data: bytes, name: str) -> str:
    """Text of a .txt file: UTF-8 (with or without BOM) or UTF-16 as Windows Notepad writes it."""
    if data.startswith(b"%PDF"):
        raise UserError(f"Tệp «{name}» là tệp PDF, không phải văn bản; hãy mở bằng Word và lưu thành .docx, "
                        "hoặc sao chép nội dung vào Notepad rồi lưu dạng .txt (UTF-8).")
    if data.startswith((b"PK", OLE_MAGIC)):
        raise UserError(f"Tệp «{name}» là văn bản Word đặt đuôi .txt; hãy đổi đuôi thành .docx.")
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        half = len(data) // 2
        if half >= 2 and data[1::2].count(0) > half // 2:
            return data.decode("utf-16-le")
        if half >= 2 and data[0::2].count(0) > half // 2:
            return data.decode("utf-16-be")
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"Tệp «{name}» không phải văn bản Unicode (UTF-8 hoặc UTF-16); hãy mở bằng Notepad, "
                        "chọn Lưu thành (Save As), Encoding «UTF-8», rồi thử lại.") from None


def read_plan(path: Path) -> PlanDocument:
    """The plan in a .docx or .txt file; a file that cannot be read or is no plan raises UserError."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp kế hoạch «{path}».")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise UserError(f"Tệp «{name}» là định dạng Word 97-2003 (.doc) cũ; hãy mở bằng Word, chọn Lưu thành "
                        "(Save As) «Word Document (*.docx)» rồi thử lại.")
    if suffix not in TEXT_SUFFIXES + WORD_SUFFIXES:
        raise UserError(f"Tệp «{name}» không phải kế hoạch dạng Word (.docx) hay văn bản (.txt).")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"Tệp «{name}» quá lớn ({size // 2**20} MB, tối đa {MAX_FILE_BYTES // 2**20} MB).")
        if size == 0:
            raise UserError(f"Tệp «{name}» rỗng (0 byte).")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Không đọc được tệp «{name}»: {exc.strerror or exc}.") from None
    if suffix in TEXT_SUFFIXES:
        return read_plan_text(_decode(data, name), source=name)
    if data.startswith(OLE_MAGIC):
        raise UserError(f"Tệp «{name}» được đặt mật khẩu hoặc là định dạng Word cũ; hãy bỏ mật khẩu và lưu "
                        "thành «Word Document (*.docx)» rồi thử lại.")
    try:
        total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    except (zipfile.BadZipFile, OSError):
        raise UserError(f"Tệp «{name}» không phải văn bản Word .docx (hoặc bị hỏng, gửi chưa hết); "
                        "hãy mở bằng Word, lưu lại dạng .docx rồi thử lại.") from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UserError(f"Tệp «{name}» khi giải nén quá lớn ({total // 2**20} MB); từ chối đọc.")
    return _parse(_docx_blocks(path), name)


def read_plan_text(text: str, source: str = "") -> PlanDocument:
    """The plan in a text (NFC-normalised; TCVN3/VNI legacy encodings repaired). ``source`` names
    the file in messages; a text that is no plan raises UserError."""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE).replace("\u00a0", " "))
    legacy = detect_legacy(text[:20000])
    if legacy:
        text = "\n".join(repair_legacy(line, legacy) if line.strip() else "" for line in text.splitlines())
    return _parse(_text_paragraphs(text), source)


# --- markers -------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^(?:(?:PHẦN|Phần)\s+(?:THỨ\s+|thứ\s+)?([IVX]{1,4})\b\s*[.:)\-–]?|([IVX]{1,4})\s*[.)]|"
                       r"([IVX]{1,4})\s+[-–:]\s)\s*(\S.*)$")
_ITEMS = (
    ("arabic3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\.?(?=\s|[^\W\d_])\s*(.*)$")),
    ("arabic2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?(?=\s|[^\W\d_])\s*(.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.)](?=\s|[^\W\d_])\s*(.*)$")),
    ("alpha", re.compile(r"^([a-zđ])\)\s*(.*)$|^([a-zđ])\.\s+(?=[^\W\d_])(.*)$")),
    ("dash", re.compile(r"^()[-–—−](?:\s*[-–—−](?=\s))*\s*(.*)$")),
    ("plus", re.compile(r"^()\+\s*(.*)$")),
    ("bullet", re.compile(r"^()[•·●▪■○◦◆❖➢✓*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8]\s*(.*)$")),
)
_NUMBERED_RANK = {"arabic": 1, "arabic2": 2, "arabic3": 3, "alpha": 4}
_VALID_ROMAN = {_to_roman(n) for n in range(1, 21)}


def _roman(text: str) -> tuple[str, str] | None:
    """(numeral, title) of a section heading "II. NỘI DUNG", "PHẦN II: ..."; None otherwise."""
    m = _ROMAN_RE.match(text)
    if not m:
        return None
    numeral = m.group(1) or m.group(2) or m.group(3)
    return (numeral, m.group(4)) if numeral in _VALID_ROMAN else None


def _item(text: str) -> tuple[str, str, str] | None:
    """(style, number as written, rest) of a numbered or bulleted item; None for plain text."""
    for style, pattern in _ITEMS:
        m = pattern.match(text)
        if m:
            number, rest = [g for g in m.groups() if g is not None]  # alpha has two alternatives
            if rest or style not in ("dash", "plus", "bullet"):
                return style, number, rest
    return None


# --- sections -----------------------------------------------------------------------------

def _section_kind(title: str) -> str:
    f = fold(title)
    if "to chuc thuc hien" in f or f.startswith(("phan cong", "trach nhiem")):
        return "organisation"
    if f.startswith(("kinh phi", "nguon kinh phi")):
        return "funding"
    if f.startswith("lo trinh"):
        return "rollout"
    if f.startswith(("muc dich", "muc tieu", "yeu cau")):
        return "purpose"
    if f.startswith("can cu"):
        return "bases"
    if any(k in f for k in ("noi dung", "nhiem vu", "giai phap", "hoat dong")):
        return "tasks"
    return "other"


def _caps_section(text: str) -> bool:
    """An unnumbered upper-case title of a known section ("TỔ CHỨC THỰC HIỆN"), as Word numbers them."""
    item = _item(text)
    if item is not None and item[0] in ("bullet", "dash"):
        text = item[2]
    elif item is not None:
        return False
    letters = [c for c in text if c.isalpha()]
    return 0 < len(text) <= 80 and all(c.isupper() for c in letters) and _section_kind(text) != "other"


@dataclass
class _Node:
    style: str
    number: str
    marker: str
    text: str
    line: int
    rank: int = 0
    cont: list[_Para] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def descendants(self):
        for c in self.children:
            yield c
            yield from c.descendants()


def _tree(paras: list[_Para]) -> tuple[list[_Para], list[_Node]]:
    """(paragraphs before the first item, top items) of a section's paragraphs."""
    intro: list[_Para] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    bullet_rank: dict[str, int] = {}
    for p in paras:
        item = _item(p.text)
        if item is None:
            (stack[-1].cont if stack else intro).append(p)
            continue
        style, number, rest = item
        rank = _NUMBERED_RANK.get(style) or bullet_rank.setdefault(style, 10 + len(bullet_rank))
        marker = p.text[:len(p.text) - len(rest)].strip() if rest else p.text.strip()
        node = _Node(style, number, marker, rest, p.line, rank)
        while stack and stack[-1].rank >= rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return intro, roots


def _lines(node: _Node, own: bool = True) -> list[tuple[str, _Para | _Node]]:
    """The texts under a node, in order, each with its marker: its own text, continuations, sub-items."""
    out = [(node.text, node)] if own else []
    out += [(p.text, p) for p in node.cont]
    for c in node.children:
        out.append((f"{c.marker} {c.text}".strip(), c))
        out += [(p.text, p) for p in c.cont]
        for d in c.descendants():
            out.append((f"{d.marker} {d.text}".strip(), d))
            out += [(p.text, p) for p in d.cont]
    return out


def _heading_of(node: _Node) -> str:
    """The part a numbered heading opens inside a section: purposes, requirements, rollout, funding."""
    f = fold(node.text)
    if len(node.text) > 100:
        return ""
    if f.startswith(("muc dich", "muc tieu")):
        return "purposes"
    if f.startswith("yeu cau"):
        return "requirements"
    if f.startswith("lo trinh"):
        return "rollout"
    if f.startswith(("kinh phi", "nguon kinh phi")):
        return "funding"
    return ""


# --- tasks -------------------------------------------------------------------------------------

_FIELD_LABELS = (
    ("lead", re.compile(r"(?:(?:co quan|don vi|bo phan|nguoi|can bo|cong chuc) )?(?:chu tri|phu trach|thuc hien|"
                        r"tham muu)(?: thuc hien)?|trach nhiem(?: thuc hien)?")),
    ("coordinating", re.compile(r"(?:(?:co quan|don vi|bo phan) )?phoi hop(?: thuc hien)?")),
    ("deadline", re.compile(r"thoi gian(?: (?:thuc hien|hoan thanh|trien khai))?|thoi han(?: hoan thanh)?|"
                            r"tien do(?: thuc hien)?")),
    ("output", re.compile(r"san pham(?: (?:du kien|dau ra))?|ket qua(?: (?:du kien|dau ra|can dat))?")),
)


def _field(text: str) -> tuple[str, str] | None:
    """("lead", "Văn phòng UBND xã") of a line "Cơ quan chủ trì: Văn phòng UBND xã"; None otherwise."""
    i = text.find(":")
    if not 0 < i <= 40:
        return None
    label = fold(text[:i])
    for name, pattern in _FIELD_LABELS:
        if pattern.fullmatch(label):
            return name, text[i + 1:].strip().rstrip(".;").strip()
    return None


def _bodies(value: str) -> tuple[str, ...]:
    parts = value.split(";") if ";" in value else value.split(",")
    return tuple(p.strip(" .") for p in parts if p.strip(" ."))


_TRAILING_FIELDS = re.compile(r"\s*\(([^()]*:[^()]*)\)\s*[.;]?\s*$")


def _with_field(task: Task, name: str, value: str) -> Task:
    """The task with a field it states ("Chủ trì: ..."), unless that field is already filled."""
    if name == "lead" and not task.lead:
        return replace(task, lead=value)
    if name == "coordinating" and not task.coordinating:
        return replace(task, coordinating=_bodies(value))
    if name == "deadline" and task.deadline is None and value:
        return replace(task, deadline=parse_deadline(value))
    if name == "output" and not task.output:
        return replace(task, output=value)
    return task


def _task(group: tuple[str, str], number: str, lines: list[tuple[str, object]], line: int) -> Task:
    """A task from its texts: field lines ("Chủ trì: ...") and a trailing "(Chủ trì: ...; Thời gian:
    ...)" fill the fields, everything else is the content."""
    fields: list[tuple[str, str]] = []
    content = []
    for i, (text, _) in enumerate(lines):
        item = _item(text) if i else None
        f = _field(item[2] if item else text) if i else None
        if f:
            fields.append(f)
            continue
        m = _TRAILING_FIELDS.search(text)
        parsed = [_field(part.strip()) for part in m.group(1).split(";")] if m else []
        if parsed and all(parsed):
            fields += parsed
            text = text[:m.start()].rstrip() + "."
        content.append(text)
    task = Task(group[0], group[1], number, "\n".join(content), line=line)
    for name, value in fields:
        task = _with_field(task, name, value)
    return task


def _tasks(group: tuple[str, str], nodes: list[_Node], out: list[Task] | None = None) -> list[Task]:
    """A task per item, after ``out``; an item that only states a field ("- Thời gian: Thường
    xuyên") belongs to the task above it."""
    out = list(out or [])
    for n in nodes:
        f = _field(n.text)
        if f and out and not n.children and not n.cont:
            out[-1] = _with_field(out[-1], *f)
        else:
            out.append(_task(group, n.number, _lines(n), n.line))
    return out


def _title(text: str) -> str:
    return text.strip().rstrip(":").strip()


def _table_groups(table: _Table, title: str) -> list[TaskGroup]:
    """Task groups from a table headed STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm."""
    cols = _task_columns(table.rows[0]) or {}
    groups: list[TaskGroup] = []
    number, gtitle, tasks, gline = "", _title(title), [], table.line

    def cell(row, name):
        i = cols.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    def close():
        if tasks:
            groups.append(TaskGroup(number, gtitle, tuple(tasks), (), gline))

    for k, row in enumerate(table.rows[1:], 1):
        content = cell(row, "content")
        if not content or re.fullmatch(r"[\d\s()]+", content):
            continue  # empty rows, the row numbering the columns
        others = [cell(row, n) for n in ("lead", "coordinating", "deadline", "output")]
        if all(o in ("", content) for o in others):  # a group row: its title merged across the columns
            close()
            number, gtitle, tasks, gline = cell(row, "number").rstrip("."), _title(content), [], table.line + k
            continue
        deadline = parse_deadline(cell(row, "deadline")) if cell(row, "deadline") else None
        tasks.append(Task(number, gtitle, cell(row, "number").rstrip("."), content, cell(row, "lead"),
                          _bodies(cell(row, "coordinating")), deadline, cell(row, "output"), table.line + k))
    close()
    return groups


# --- rollout and funding -----------------------------------------------------------------------

_ENTRY = re.compile(r"^(?:Năm|năm|Trong năm|trong năm)\s+(\d{4})\s*[:\-–]\s*(.*)$")
_COUNT = re.compile(r"(?<![\d/])(\d{1,3})\s+(?:đơn vị|xã|phường|thị trấn|cơ quan|địa phương|thôn|tổ dân phố)")
_UNIT_START = re.compile(r"^(?:xã|phường|thị trấn|thị xã|thành phố|huyện|quận|đặc khu|thôn|khu phố|tổ dân phố|"
                         r"UBND|Ủy ban)\b", re.IGNORECASE)
_TARGET = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_PHASE_END = re.compile(r"(?:giai đoạn|từ năm)\s+\d{4}\s*[-–]\s*(\d{4})|(?:đến|vào|trong)\s+năm\s+(\d{4})|"
                        r"^năm\s+(\d{4})", re.IGNORECASE)


def _entry(text: str, line: int) -> RolloutEntry | None:
    m = _ENTRY.match(text)
    if not m:
        return None
    rest = m.group(2)
    count = _COUNT.search(rest)
    after = rest.split(":")[-1] if ":" in rest else rest
    after = re.sub(r"\([^()]*\)", "", after).strip().rstrip(".;").strip()
    parts = [p.strip() for p in re.split(r";|,|\s+và\s+(?=(?:xã|phường|thị trấn)\b)", after) if p.strip()]
    units = tuple(p for p in parts if _UNIT_START.match(p))
    return RolloutEntry(int(m.group(1)), units, int(count.group(1)) if count else None, text, line=line)


def _rollout(items: list[tuple[str, int]], group: tuple[str, str]) -> tuple[list[RolloutEntry], list[Task]]:
    """Year entries and targets of a Lộ trình part; its other items are tasks of a group of its own."""
    entries: list[RolloutEntry] = []
    targets: list[tuple[int, float, str]] = []
    tasks: list[Task] = []
    for text, line in items:
        plain = _item(text)[2] if _item(text) else text
        e = _entry(plain, line)
        if e:
            entries.append(e)
            continue
        pct, end = _TARGET.search(plain), _PHASE_END.search(plain)
        if pct and end:
            year = int(next(g for g in end.groups() if g))
            targets.append((year, float(pct.group(1).replace(",", ".")), plain))
            continue
        number = _item(text)[1] if _item(text) else ""
        tasks.append(Task(group[0], group[1], number, plain, line=line))
    for year, pct, text in targets:
        i = next((k for k, e in enumerate(entries) if e.year == year), None)
        if i is None:
            entries.append(RolloutEntry(year, target_text=text, target_percent=pct))
        else:
            e = entries[i]
            entries[i] = RolloutEntry(e.year, e.units, e.count, e.text, text, pct, e.line)
    entries.sort(key=lambda e: e.year)
    return entries, tasks


_SOURCE_FROM = re.compile(r"(?:từ|bằng)\s+(?:các\s+)?(?:nguồn\s*:?\s*)?(.+?)(?:[.;]|$)", re.IGNORECASE)
_SOURCE_BY = re.compile(r"\bdo\s+(ngân sách.+?)\s+(?:đảm bảo|bảo đảm|chi trả|bố trí|cấp)", re.IGNORECASE)
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn)?\s*đồng")


def _funding(texts: list[str], line: int) -> Funding:
    whole = " ".join(texts)
    sources: list[str] = []
    for pattern in (_SOURCE_BY, _SOURCE_FROM):
        m = pattern.search(whole)
        if m:
            sources = [s.strip(" ,") for s in re.split(r",|\s+và\s+", m.group(1)) if s.strip(" ,")]
            break
    amount = _AMOUNT.search(whole)
    return Funding(tuple(texts), tuple(sources), amount.group(0) if amount else "", line)


# --- bodies -------------------------------------------------------------------------------------

_VERBS = ("chủ trì", "phối hợp", "căn cứ", "thường xuyên", "có trách nhiệm", "chịu trách nhiệm", "tham mưu",
          "chủ động", "tổ chức", "theo dõi", "hướng dẫn", "triển khai", "thực hiện", "chỉ đạo", "xây dựng",
          "đôn đốc", "kiểm tra", "tăng cường", "đẩy mạnh", "tuyên truyền", "bố trí", "nghiên cứu", "là cơ quan",
          "làm đầu mối", "giúp", "cân đối", "rà soát", "quan tâm", "phát huy", "tập trung", "định kỳ", "hằng năm",
          "hàng năm", "đảm bảo", "bảo đảm", "lãnh đạo", "vận động", "giám sát", "tiếp tục", "nâng cao",
          "cung cấp", "phổ biến")
# "các tổ chức chính trị - xã hội" is a body, not the verb "tổ chức"
_VERB_RE = re.compile(r"(?<![\w])(?<!các )(?<!những )(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) +
                      r")(?![\w])(?! chính trị| đoàn thể| xã hội| thành viên| cơ sở đảng)")
_ASK = re.compile(r"^(Giao|giao|Đề nghị|đề nghị|Yêu cầu|yêu cầu)\s+(?:cho\s+)?")
# bodies the issuer cannot order: the Front, mass organisations, Party bodies, the People's Council
_REQUESTED = re.compile(r"\b(?:mat tran|mttq|ubmttq|doan the|chinh tri xa hoi|hoi nong dan|phu nu|cuu chien binh|"
                        r"doan thanh nien|doan tncs|lien doan lao dong|dan van|huyen uy|tinh uy|thanh uy|dang uy|"
                        r"thi uy|quan uy|cap uy|ban tuyen giao|uy ban kiem tra|hdnd|hoi dong nhan dan|chi bo)\b")
_UNDER_ISSUER = ("van phong hdnd", "van phong hoi dong nhan dan", "phong ", "so ", "uy ban nhan dan", "ubnd")


def _verb(body: str) -> str:
    # commas kept as a word of their own: "thuộc tỉnh, Ủy ban nhân dân" is no "Tỉnh ủy"
    f = fold(re.sub(r"[,;]", " ¦ ", body))
    if f.startswith(_UNDER_ISSUER):
        return "giao"
    return "đề nghị" if _REQUESTED.search(f) else "giao"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _body(text: str) -> tuple[str, str, str] | None:
    """(body, verb, rest of the sentence) of a "Tổ chức thực hiện" item; None when no body is found."""
    s = text.strip()
    asked = None
    m = _ASK.match(s)
    if m:
        asked = "đề nghị" if fold(m.group(1)) == "de nghi" else "giao"
        s = s[m.end():]
    # "Ban Chỉ đạo thực hiện Quy chế dân chủ ..." is a name, its "thực hiện" no verb
    verb = next((v for v in _VERB_RE.finditer(s) if not fold(s[:v.start()]).endswith("ban chi dao")), None)
    colon = s.find(":")
    if verb and verb.start() > 0 and (colon < 0 or verb.start() < colon) and _starts_upper_word(s[:verb.start()]):
        body, rest = s[:verb.start()], s[verb.start():]
    elif 0 < colon <= 150:
        body, rest = s[:colon], s[colon + 1:]
    elif len(s) <= 150 and not s.rstrip().endswith("."):
        body, rest = s, ""
    else:
        return None
    body = body.strip(" .:;,-–")
    if not body:
        return None
    return _cap(body), asked or _verb(body), _cap(rest.strip())


def _starts_upper_word(s: str) -> bool:
    return any(w[:1].isupper() for w in s.split())


# --- header, opening and footer ------------------------------------------------------------------

_NUMBER_RE = re.compile(r"Số\s*[:.]?\s*(\d*)\s*(/\s*[0-9A-Za-zĐđ][0-9A-Za-zĐđ\-/.]*)")
_PLACE_DATE = re.compile(r"([^\t,]*?)\s*,\s*ngày[\s.…_]*(\d{0,2})[\s.…_]*tháng[\s.…_]*(\d{0,2})[\s.…_]*năm[\s.…_]*"
                         r"(\d{4})")
_MOTTO = ("cong hoa xa hoi", "doc lap tu do")
_CAPS_ISSUER = re.compile(r"(?:ỦY BAN NHÂN DÂN|UBND)\s*(.*)$")
_ISSUER_CLAUSE = re.compile(r"(?:^|[,.;]\s*)((?:UBND|Ủy ban nhân dân|Sở|Phòng|Ban|Văn phòng)\s[^,;:.]{0,80}?)\s+"
                            r"(?:xây dựng|ban hành|thống nhất ban hành)\s+[Kk]ế hoạch")
_CENTRAL_CITIES = ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")


def _level(issuer: str) -> str | None:
    f = fold(issuer)
    m = re.match(r"(?:uy ban nhan dan|ubnd) (.*)", f)
    rest = m.group(1) if m else ""
    if rest.startswith(("huyen", "quan ", "thi xa")):
        return "district"
    if rest.startswith(("xa ", "phuong", "thi tran", "dac khu")):
        return "commune"
    if rest.startswith("tinh"):
        return "province"
    if rest.startswith("thanh pho"):
        return "province" if rest[len("thanh pho "):].startswith(_CENTRAL_CITIES) else "district"
    if f.startswith("so "):
        return "province"
    if f.startswith("phong "):
        return "district"
    return None


_UNIT_NOUN = re.compile(r"^(?:XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ|THÀNH PHỐ|TỈNH)\b")


def _header_issuer(lines: list[str]) -> str:
    """The issuing body of the header's upper-case lines: the last one ("UBND HUYỆN X" above
    "ỦY BAN NHÂN DÂN XÃ Y" names the level above), with the line before when it only names the
    unit ("ỦY BAN NHÂN DÂN" / "XÃ HÀNH THIỆN")."""
    if not lines:
        return ""
    if len(lines) >= 2 and _UNIT_NOUN.match(lines[-1]) and fold(lines[-2]) in ("uy ban nhan dan", "ubnd"):
        return f"{lines[-2]} {lines[-1]}"
    return lines[-1]


def _running_issuer(s: str) -> str:
    s = nfc(s)
    m = _CAPS_ISSUER.search(s)
    if m and s.isupper():
        unit = " ".join(w.capitalize() for w in m.group(1).split())
        return ("Ủy ban nhân dân " + unit_running(unit)).strip()
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", s)


@dataclass
class _HeaderParts:
    number: str = ""
    place: str = ""
    date_text: str = ""
    date: date | None = None
    year: int | None = None
    issuer_lines: list[str] = field(default_factory=list)


def _header(paras: list[_Para], unplaced: list[Unplaced]) -> _HeaderParts:
    h = _HeaderParts()
    for p in paras:
        rest_of_para = []
        for raw in p.raw:
            line = unicodedata.normalize("NFC", raw.replace("\u00a0", " "))
            m = _NUMBER_RE.search(line)
            if m and not h.number:
                h.number = (m.group(1) + m.group(2)).replace(" ", "")
                line = line[:m.start()] + "\t" + line[m.end():]
            m = _PLACE_DATE.search(line)
            if m and not h.date_text:
                h.place = nfc(m.group(1))
                h.date_text = nfc(m.group(0))
                h.year = int(m.group(4))
                if m.group(2) and m.group(3):
                    try:
                        h.date = date(h.year, int(m.group(3)), int(m.group(2)))
                    except ValueError:
                        pass
                line = line[:m.start()] + "\t" + line[m.end():]
            for cell in (nfc(c) for c in re.split(r"\t|\s{3,}", line)):
                if not cell or fold(cell).startswith(_MOTTO):
                    continue
                if cell.isupper() or fold(cell).startswith(("uy ban nhan dan", "ubnd")):
                    h.issuer_lines.append(cell)
                else:
                    rest_of_para.append(cell)
        if rest_of_para:
            unplaced.append(Unplaced(p.line, " ".join(rest_of_para), "phần đầu văn bản chưa rõ"))
    return h


_KINDS = ("Kế hoạch", "Chỉ thị", "Nghị quyết", "Nghị định", "Quyết định", "Kết luận", "Thông tư", "Bộ luật", "Luật",
          "Công văn", "Văn bản", "Hướng dẫn", "Chương trình", "Đề án", "Thông báo", "Công điện", "Pháp lệnh",
          "Quy định", "Quy chế", "Hiến pháp")
_CITE = re.compile(r"^(?:(?:và|thực hiện|căn cứ|triển khai|theo|trên cơ sở)\s+)*(" + "|".join(_KINDS) + r")\b\s*",
                   re.IGNORECASE)
_CITE_NUMBER = re.compile(r"(?:số\s*)?(\d+(?:\s*[/-]\s*[0-9A-Za-zĐđ]+)+)\s*", re.IGNORECASE)
_CITE_DATE = re.compile(r"[\s,]*ngày\s+(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})\s*", re.IGNORECASE)
_CITE_ISSUER = re.compile(r"[\s,]*(?:của|giữa)\s+(.+?)(?=\s+(?:về|V/v|v/v|thực hiện|triển khai|ban hành|"
                          r"hướng dẫn|quy định)\b|,|$)\s*")
_ABOUT = re.compile(r"^(?:về việc|về|V/v|v/v)\s+", re.IGNORECASE)


def _basis(chunk: str, line: int) -> LegalBasis | None:
    m = _CITE.match(chunk)
    if not m:
        return None
    kind = _cap(m.group(1).lower())
    kind = next(k for k in _KINDS if k.lower() == kind.lower())
    pos = m.end()
    number, when, issuer = "", None, ""
    n = _CITE_NUMBER.match(chunk, pos)
    name = ""
    if n:
        number, pos = re.sub(r"\s+", "", n.group(1)), n.end()
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
    title = name or _ABOUT.sub("", chunk[pos:].strip(" ,")).rstrip(" .;,")
    return LegalBasis(kind, number, when, issuer, title, chunk.rstrip(" .;,"), line)


def _opening(paras: list[_Para]) -> tuple[list[LegalBasis], str]:
    """The legal bases the opening cites, and the issuer it names ("UBND xã X ban hành kế hoạch")."""
    bases, issuer = [], ""
    for p in paras:
        for chunk in re.split(r";\s*", p.text):
            m = _ISSUER_CLAUSE.search(chunk)
            if m:
                issuer = issuer or m.group(1)
                chunk = chunk[:m.start()]
            b = _basis(chunk.strip(), p.line)
            if b:
                bases.append(b)
    return bases, issuer


_SIGN_RE = re.compile(r"^(?:(?:TM|KT|TL|TUQ|Q)\.\s*\S.*|(?:PHÓ )?CHỦ TỊCH|(?:PHÓ )?TRƯỞNG BAN|THỦ TRƯỞNG)$")
_TRAILING_SIGN = re.compile(r"\s+((?:TM|KT|TL|TUQ)\.\s*\S.*|(?:PHÓ )?CHỦ TỊCH)\s*$")


def _is_sign(text: str) -> bool:
    """A line of the signature block: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"."""
    return bool(_SIGN_RE.match(text)) and text.isupper()


def _name_words(words: list[str]) -> bool:
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words)


def _trailing_name(s: str) -> tuple[str, str]:
    """("Lưu: VP.", "Nguyễn Xuân Huy") when a name written beside the last recipient ends the line."""
    words = s.split()
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper() and words[k - 1][1:].islower() and words[k - 1].isalpha():
        k -= 1
    if _name_words(words[k:]) and k > 0:
        return " ".join(words[:k]), " ".join(words[k:])
    return s, ""


@dataclass
class _Footer:
    closing: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signer: str = ""


def _footer(blocks: list, unplaced: list[Unplaced], groups: list[TaskGroup]) -> _Footer:
    out = _Footer()
    in_recipients = False
    for b in blocks:
        if isinstance(b, _Table):
            groups.extend(_table_groups(b, ""))
            continue
        text = b.text
        f = fold(text)
        if f.startswith("noi nhan"):
            in_recipients = True
            text = re.sub(r"^Nơi nhận\s*:?\s*", "", text, flags=re.IGNORECASE)
            if not text:
                continue
        sign = _TRAILING_SIGN.search(text)  # "- UBND huyện Hương Sơn; CHỦ TỊCH": two columns on one line
        if sign and sign.group(1).isupper() and not _is_sign(text):
            out.signature.append(sign.group(1).strip())
            text = text[:sign.start()].strip()
        if _is_sign(text):
            out.signature.append(text)
        elif text[:1] in "-–+•":
            in_recipients = True
            recipient = re.sub(r"^(?:[-–+•]\s*)+", "", text)
            if fold(recipient).startswith("luu"):
                recipient, name = _trailing_name(recipient)
                out.signer = out.signer or name
            out.recipients.append(recipient)
        elif _name_words(text.split()) and (out.signature or in_recipients):
            out.signer = text
        elif not in_recipients and not out.signature:
            out.closing.append(text)
        else:
            unplaced.append(Unplaced(b.line, text, "phần cuối văn bản chưa rõ"))
    return out


# --- the sections -------------------------------------------------------------------------------

def _texts(lines) -> list[str]:
    return [t for t, _ in lines]


class _Body:
    """Reads the sections one by one into the parts of a PlanDocument."""

    def __init__(self, unplaced: list[Unplaced]):
        self.unplaced = unplaced
        self.sections: list[Section] = []
        self.bases: list[LegalBasis] = []
        self.purposes: list[str] = []
        self.requirements: list[str] = []
        self.groups: list[TaskGroup] = []
        self.rollout: list[RolloutEntry] = []
        self.funding: Funding | None = None
        self.responsibilities: list[Responsibility] = []

    def lost(self, lines, reason: str):
        for text, where in lines:
            self.unplaced.append(Unplaced(where.line, text, reason))

    def section(self, head: _Para, blocks: list):
        roman = _roman(head.text)
        number, title = roman if roman else ("", _item(head.text)[2] if _item(head.text) else head.text)
        if len(title) > 120 and ":" in title[:120]:  # "III. KINH PHÍ: Kinh phí ... từ ngân sách ..."
            title, tail = title.split(":", 1)
            blocks = [_Para(nfc(tail), head.line)] + blocks
        title = _title(title).rstrip(".")
        kind = _section_kind(title)
        self.sections.append(Section(number, title, kind, head.line))
        for table in (b for b in blocks if isinstance(b, _Table)):
            self.groups.extend(_table_groups(table, title))
        paras = [b for b in blocks if isinstance(b, _Para)]
        intro, roots = _tree(paras)
        handler = {"purpose": self.purpose, "tasks": self.tasks, "rollout": self.rollout_part,
                   "funding": self.funding_part, "organisation": self.organisation}.get(kind)
        if kind == "bases":
            found, _ = _opening(paras)
            self.bases.extend(found)
            cited = {b.line for b in found}
            self.lost([(p.text, p) for p in paras if p.line not in cited], f"đoạn không phải căn cứ ở phần «{title}»")
        elif handler is None:
            self.lost([(p.text, p) for p in paras], f"phần «{title}» chưa có chỗ trong biểu kế hoạch")
        else:
            handler(number, title, head.line, intro, roots)

    def special(self, root: _Node, kind: str) -> bool:
        """A numbered part that opens a rollout or a funding part inside another section."""
        part = _heading_of(root)
        if part == "rollout":
            self.rollout_part(root.number, _title(root.text), root.line, root.cont, root.children)
            return True
        if part == "funding" and kind != "funding":
            self.funding_part(root.number, _title(root.text), root.line, root.cont, root.children)
            return True
        return False

    def purpose(self, number, title, line, intro, roots):
        target = self.requirements if fold(title).startswith("yeu cau") else self.purposes
        target.extend(p.text for p in intro)
        for r in roots:
            if self.special(r, "purpose"):
                continue
            part = _heading_of(r)
            if part in ("purposes", "requirements"):  # "1. Mục đích", "2. Yêu cầu"
                target = self.purposes if part == "purposes" else self.requirements
                if ":" in r.text and r.text.split(":", 1)[1].strip():
                    target.append(r.text.split(":", 1)[1].strip())
                target.extend(p.text for p in r.cont)
                target.extend("\n".join(_texts(_lines(c))) for c in r.children)
            else:
                target.append("\n".join(_texts(_lines(r))))

    def tasks(self, number, title, line, intro, roots):
        regular = [r for r in roots if _heading_of(r) not in ("rollout", "funding")]
        if not any(r.children for r in regular):  # one group: the section, each top item a task
            g = (number, title)
            if regular:
                tasks = _tasks(g, regular)
                lead_in = tuple(p.text for p in intro)
            else:
                tasks, lead_in = [_task(g, "", [(p.text, p)], p.line) for p in intro], ()
            if tasks:
                self.groups.append(TaskGroup(number, title, tuple(tasks), lead_in, line))
            for r in roots:
                if r not in regular:
                    self.special(r, "tasks")
            return
        self.lost([(p.text, p) for p in intro], f"đoạn mở đầu phần «{title}»")
        for r in roots:
            if self.special(r, "tasks"):
                continue
            g = (r.number, _title(r.text))
            tasks, lead_in = [], ()
            cont = [(p.text, p) for p in r.cont]
            if r.children and cont and cont[-1][0].rstrip().endswith(":"):
                lead_in = tuple(_texts(cont))
            elif cont:
                tasks.append(_task(g, "", cont, r.cont[0].line))
            tasks = _tasks(g, r.children, tasks)
            if not tasks:
                tasks.append(_task(g, "", [(r.text, r)], r.line))
            self.groups.append(TaskGroup(g[0], g[1], tuple(tasks), lead_in, r.line))

    def rollout_part(self, number, title, line, intro, roots):
        items = [(p.text, p.line) for p in intro]
        for r in roots:
            items += [(f"{r.marker} {r.text}".strip(), r.line)] + [(t, src.line) for t, src in _lines(r)[1:]]
        entries, extra = _rollout(items, (number, title))
        self.rollout.extend(entries)
        if extra:
            self.groups.append(TaskGroup(number, title, tuple(extra), (), line))

    def funding_part(self, number, title, line, intro, roots):
        texts = [p.text for p in intro]
        for r in roots:
            texts += _texts(_lines(r))
        self.funding = _funding(texts, line)

    def organisation(self, number, title, line, intro, roots):
        unknown = f"không rõ cơ quan, đơn vị ở phần «{title}»"
        if not roots:  # bodies written as sentences: "Giao Văn phòng UBND xã chủ trì ..."
            for p in intro:
                found = _body(p.text) if _ASK.match(p.text) else None
                if found is None:
                    self.unplaced.append(Unplaced(p.line, p.text, unknown))
                else:
                    body, verb, rest = found
                    self.responsibilities.append(Responsibility(body, verb, (rest,) if rest else (), "", p.line))
            return
        self.lost([(p.text, p) for p in intro], f"đoạn mở đầu phần «{title}»")
        for r in roots:
            if self.special(r, "organisation"):
                continue
            found = _body(r.text)
            if found is None:
                self.lost(_lines(r), unknown)
                continue
            body, verb, rest = found
            texts = ([rest] if rest else []) + [p.text for p in r.cont]
            for c in r.children:
                texts += _texts(_lines(c))
            self.responsibilities.append(Responsibility(body, verb, tuple(texts), r.number, r.line))


# --- the document ---------------------------------------------------------------------------------

_OTHER_KINDS = {"bao cao": "báo cáo", "quyet dinh": "quyết định", "to trinh": "tờ trình", "thong bao": "thông báo",
                "cong van": "công văn", "bien ban": "biên bản", "nghi quyet": "nghị quyết"}


def _is_title(p: _Para) -> bool:
    return fold(p.text) == "ke hoach" or (p.text.startswith("KẾ HOẠCH ") and len(p.text) < 300)


def _is_footer(p, prev) -> bool:
    if isinstance(p, _Table):
        return False
    f = fold(p.text)
    if f.startswith(("tren day la", "noi nhan")) or _is_sign(p.text):
        return True
    return prev is not None and isinstance(prev, _Para) and prev.text.rstrip().endswith("./.")


def _parse(blocks: list, source: str) -> PlanDocument:
    name = f"«{source}»" if source else "Văn bản"
    paras = [b for b in blocks if isinstance(b, _Para)]
    if not paras:
        raise UserError(f"{name} không có nội dung.")
    unplaced: list[Unplaced] = []
    t = next((i for i, b in enumerate(blocks) if isinstance(b, _Para) and _is_title(b)), None)
    if t is not None and fold(blocks[t].text) != "ke hoach":  # "KẾ HOẠCH THỰC HIỆN ..." on one line
        title_para = blocks[t]
        subject = _Para(title_para.text[len("KẾ HOẠCH "):].strip(), title_para.line)
        blocks = blocks[:t] + [_Para("KẾ HOẠCH", title_para.line), subject] + blocks[t + 1:]
    if t is None:
        for b in paras[:15]:
            kind = _OTHER_KINDS.get(fold(b.text))
            if kind:
                raise UserError(f"{name} là {kind}, không phải kế hoạch.")
    start = 0 if t is None else t + 1
    heads = [i for i in range(start, len(blocks)) if isinstance(blocks[i], _Para)
             and (_roman(blocks[i].text) or (_caps_section(blocks[i].text) and (t is None or i > start)))]
    if not heads:
        raise UserError(f"{name} không phải kế hoạch: không tìm thấy các phần đánh số La Mã (I. Mục đích, yêu cầu; "
                        "II. Nội dung, nhiệm vụ; ... Tổ chức thực hiện).")
    end = next((i for i in range(heads[0] + 1, len(blocks)) if _is_footer(blocks[i], blocks[i - 1])), len(blocks))
    heads = [i for i in heads if i < end]

    # header, subject line, opening
    header_paras = [b for b in blocks[:t if t is not None else 0] if isinstance(b, _Para)]
    h = _header(header_paras, unplaced)
    title, opening_from = "", start
    if t is not None and start < heads[0] and isinstance(blocks[start], _Para) \
            and _basis(blocks[start].text, 0) is None and not fold(blocks[start].text).startswith("can cu"):
        title, opening_from = blocks[start].text, start + 1
    opening = [b for b in blocks[opening_from:heads[0]] if isinstance(b, _Para)]
    if t is None:  # no title: header lines may stand before the opening
        keep = []
        for p in opening:
            if _NUMBER_RE.search(p.text) or _PLACE_DATE.search(p.text) or fold(p.text).startswith(_MOTTO) \
                    or p.text.isupper():
                extra = _header([p], unplaced)
                h.number, h.place, h.date_text = h.number or extra.number, h.place or extra.place, \
                    h.date_text or extra.date_text
                h.date, h.year = h.date or extra.date, h.year or extra.year
                h.issuer_lines += extra.issuer_lines
            else:
                keep.append(p)
        opening = keep
    bases, opening_issuer = _opening(opening)

    body = _Body(unplaced)
    for k, i in enumerate(heads):
        body.section(blocks[i], blocks[i + 1:heads[k + 1] if k + 1 < len(heads) else end])
    if not any(s.kind in ("tasks", "organisation") for s in body.sections):
        raise UserError(f"{name} không phải kế hoạch: không tìm thấy phần «Nội dung, nhiệm vụ» hay "
                        "«Tổ chức thực hiện».")
    bases += body.bases
    foot = _footer(blocks[end:], unplaced, body.groups)

    closing_issuer = ""
    for text in foot.closing:
        m = re.search(r"của\s+((?:UBND|Ủy ban nhân dân)\s+[^,;.]+)", text)
        if m:
            closing_issuer = m.group(1).strip()
    candidates = [_running_issuer(s) for s in (_header_issuer(h.issuer_lines), opening_issuer, closing_issuer) if s]
    issuer = candidates[0] if candidates else ""
    # the header's upper case loses the proper case of bodies other than a People's Committee
    issuer = next((c for c in candidates[1:] if fold(c) == fold(issuer)), issuer)
    header = Header(issuer, _level(issuer), h.number, h.date, h.date_text, h.place, h.year, title)
    return PlanDocument(header, tuple(bases), tuple(p.text for p in opening), tuple(body.purposes),
                        tuple(body.requirements), tuple(body.groups), tuple(sorted(body.rollout, key=lambda e: e.year)),
                        body.funding, tuple(body.responsibilities), tuple(foot.closing), tuple(foot.recipients),
                        tuple(foot.signature), foot.signer, tuple(body.sections),
                        tuple(sorted(unplaced, key=lambda u: u.line)), source)
