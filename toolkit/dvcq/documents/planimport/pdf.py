"""The text of a plan published as a PDF with a text layer (pypdf, layout mode: each printed line as a
line of text, the header's two columns side by side, a paragraph's first-line indent kept), for
dvcq.documents.planimport.lines. A scanned PDF (pages that are pictures) has no text to read: it is told
so, in Vietnamese, with what to do instead."""
from __future__ import annotations

import io
import re

from dvcq.errors import UserError

# a page with fewer letters than this holds no text layer worth reading (a scan, a stamp, a page number)
MIN_LETTERS = 40
_FORM_FEED = re.compile(r"[\f\r]")


def pdf_text(data: bytes, name: str) -> str:
    """The text of the PDF's pages, page after page; a UserError for a PDF that cannot be read, is
    protected, or has no text (a scan)."""
    import pypdf  # lazy: only a plan given as a PDF needs it (about 0.5 s to import)
    from pypdf.errors import PyPdfError  # lazy: as above

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UserError(f"Tệp «{name}» là PDF có đặt mật khẩu; hãy mở bằng trình đọc PDF, bỏ mật khẩu "
                            "(hoặc xin tệp Word của văn bản) rồi thử lại.")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except UserError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UserError(f"Tệp «{name}» là PDF bị hỏng hoặc không đọc được ({type(exc).__name__}); hãy tải lại "
                        "văn bản, hoặc dùng tệp Word (.docx) của văn bản.") from None
    letters = sum(sum(c.isalpha() for c in p) for p in pages)
    if not pages or letters < MIN_LETTERS * len(pages) // 2:
        raise UserError(f"Tệp «{name}» là PDF quét (ảnh chụp trang giấy), không có lớp chữ nên không đọc được "
                        "nội dung. Hãy dùng tệp Word (.docx) hoặc PDF có chữ của văn bản (PDF tải từ Cổng thông "
                        "tin điện tử thường có chữ), hoặc nhận dạng chữ (OCR) rồi lưu thành .docx.")
    return "\n".join(_FORM_FEED.sub("\n", p).rstrip() for p in pages)
