"""A Word document's paragraph styles by id, made once and resolved as python-docx's `paragraph.style` resolves them
(no id, or an id that is not a paragraph style's: the default style). python-docx searches the styles part on every
call, about 1.4 ms a paragraph (1.5 s of CPU for a district's report); the report's rules (dvcq.documents.decree) and
the plan importer (dvcq.documents.planimport.word) both look styles up here."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE


class ParagraphStyles:
    """The paragraph styles of ``document``: ``by_id`` and ``default`` (None when the document names none)."""

    def __init__(self, document):
        self.by_id = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
        self.default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)

    def of(self, paragraph):
        """The paragraph's style, as `paragraph.style` gives it."""
        style_id = paragraph._p.style
        return self.default if style_id is None else self.by_id.get(style_id, self.default)
