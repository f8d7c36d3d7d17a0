"""A report's text as `dvcq report` renders it, for the tests that read its sentences only.

`dvcq report` (dvcq.documents.narrative.write_report) builds the report's context from its inputs, renders the
text, writes the Word document, the Markdown and the check sheet beside them. `report_text` does the first two
and the Markdown only: about 0.3 s of CPU for a district's report against 1.3 s for the three files. The
Word document and the check sheet stay proven by the tests that read them (tests/documents/test_narrative.py,
test_decree.py, test_checksheet.py, test_department.py, tests/cli/test_json.py)."""
from __future__ import annotations

from pathlib import Path

from dvcq.documents import decree
from dvcq.documents.context import build_context
from dvcq.documents.narrative import render


def report_text(inputs, md: Path, db: Path | None = None, signer: str | None = None, number: str | None = None,
                date: str | None = None) -> str:
    """The Markdown `dvcq report INPUTS --md MD` writes (``inputs``: a roll-up, a unit's files or folder, as
    write_report takes them), written to ``md`` and returned."""
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    context = build_context(paths, signer=signer, number=number, db=db, date=decree.signing_date(date))
    render(context, None, md)
    return Path(md).read_text(encoding="utf-8")
