"""Paths as officials type or paste them into a cell.

Explorer's «Copy as path» puts the path in double quotes, other copies bring curly quotes or spaces;
a path without a drive or root ("ket-qua", "nop\\2024") means the folder of the workbook it is written
in. The Excel buttons run Python in the environment's Scripts folder (xlwings starts it there), so a
relative path must never be left to the working folder.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dvcq.errors import UserError

QUOTES = "\"'“”‘’«»"  # straight, curly and guillemet quotes around a pasted path
SPACES = " \t\r\n\u00a0\u200b\ufeff"  # and the invisible ones a copy from a web page or a document brings
# a relative path in a workbook whose folder is unknown (the LibreOffice buttons say it too: dvcq.calc.ods)
NOT_FULL = ("Ô «{what}» ghi «{path}», chưa phải đường dẫn đầy đủ, và bảng điều khiển đang mở từ OneDrive hoặc "
            "SharePoint nên không biết thư mục của nó: hãy ghi đường dẫn đầy đủ (bắt đầu bằng ổ đĩa, ví dụ "
            "D:\\DVCQ\\nop).")


def pasted(text: str) -> str:
    """The path in ``text`` without the spaces and quotes around it (quotes inside are kept)."""
    return text.strip(SPACES + QUOTES)


def resolve(text: str, what: str, folder: Callable[[], Path | None]) -> Path | None:
    """The path typed into the cell labelled ``what``: None when empty; a relative path is taken in
    ``folder()`` (the workbook's folder, None when unknown: a workbook opened from OneDrive or
    SharePoint as a web address), else refused with a message."""
    clean = pasted(text)
    if not clean:
        return None
    path = Path(clean)
    if path.is_absolute():
        return path
    base = folder()
    if base is None:
        raise UserError(NOT_FULL.format(what=what, path=clean))
    return base / path
