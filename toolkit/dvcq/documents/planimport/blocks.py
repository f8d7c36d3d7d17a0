"""What the readers of a plan file hand to the parser: paragraphs and task tables, with where they stand."""
from __future__ import annotations

from dataclasses import dataclass, field

# characters a copy from a web page or Word leaves in the text that are no text
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u00ad"), None)


@dataclass
class Para:
    """A paragraph as the reader found it: its text, the line (text file) or paragraph (Word file) it starts
    at, whether it stands alone (a Markdown heading), and its lines as written (the header is read from them)."""
    text: str
    line: int
    heading: bool = False
    raw: list[str] = field(default_factory=list)


@dataclass
class Table:
    """A Word table whose first row heads a task list (STT | Nội dung | Chủ trì | ...)."""
    rows: list[list[str]]
    line: int


Block = Para | Table
