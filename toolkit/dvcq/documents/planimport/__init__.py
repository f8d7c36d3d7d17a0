"""Read an existing kế hoạch (.txt, .docx or .pdf) into a ``dvcq.forms.plandoc.PlanDocument``.

A plan is read the way a reader reads it: its paragraphs (``lines`` for a text, ``word`` for a Word file,
``pdf`` for a PDF's text layer), its header (``header``), subject line, opening and bases (``bases``), its
sections (``sections``: purposes, tasks (``tasks``), rollout and funding (``rollout``), the bodies of "Tổ chức
thực hiện" (``bodies``, ``refs``)), and its end (``footer``); ``document`` puts them together. Whatever fits
nowhere is kept in ``unplaced`` with its line (paragraph number for Word files) and the reason.
``targets`` finds the quantified targets a plan's text sets ("tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%").
"""
from __future__ import annotations

import codecs
import unicodedata
import zipfile
from pathlib import Path

from dvcq.errors import UserError
from dvcq.forms.plandoc import PlanDocument
from dvcq.intake.sniff import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, OLE_MAGIC
from dvcq.text import detect_legacy, repair_legacy

from .blocks import INVISIBLE
from .document import parse
from .lines import text_paragraphs
from .pdf import pdf_text
from .word import docx_blocks

TEXT_SUFFIXES = (".txt", ".md")
WORD_SUFFIXES = (".docx", ".docm")
PDF_SUFFIXES = (".pdf",)


def _decode(data: bytes, name: str) -> str:
    """Text of a .txt file: UTF-8 (with or without BOM) or UTF-16 as Windows Notepad writes it."""
    if data.startswith(b"%PDF"):
        raise UserError(f"Tệp «{name}» là tệp PDF đặt đuôi .txt; hãy đổi đuôi thành .pdf rồi thử lại.")
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
    """The plan in a .docx, .pdf (with a text layer) or .txt file; a file that cannot be read or is no plan raises
    UserError."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp kế hoạch «{path}».")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise UserError(f"Tệp «{name}» là định dạng Word 97-2003 (.doc) cũ; hãy mở bằng Word, chọn Lưu thành "
                        "(Save As) «Word Document (*.docx)» rồi thử lại.")
    if suffix not in TEXT_SUFFIXES + WORD_SUFFIXES + PDF_SUFFIXES:
        raise UserError(f"Tệp «{name}» không phải kế hoạch dạng Word (.docx), PDF (.pdf) hay văn bản (.txt).")
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
    if suffix in PDF_SUFFIXES:
        if not data.startswith(b"%PDF"):
            raise UserError(f"Tệp «{name}» đặt đuôi .pdf nhưng không phải tệp PDF (hoặc bị hỏng, gửi chưa hết).")
        return read_plan_text(pdf_text(data, name), source=name)
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
    return parse(docx_blocks(path), name)


def read_plan_text(text: str, source: str = "") -> PlanDocument:
    """The plan in a text (NFC-normalised; TCVN3/VNI legacy encodings repaired). ``source`` names
    the file in messages; a text that is no plan raises UserError."""
    text = unicodedata.normalize("NFC", text.translate(INVISIBLE).replace("\u00a0", " "))
    legacy = detect_legacy(text[:20000])
    if legacy:
        text = "\n".join(repair_legacy(line, legacy) if line.strip() else "" for line in text.splitlines())
    return parse(text_paragraphs(text), source)


__all__ = ["read_plan", "read_plan_text", "TEXT_SUFFIXES", "WORD_SUFFIXES", "PDF_SUFFIXES"]
