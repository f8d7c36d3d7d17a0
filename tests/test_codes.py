"""The catalogue of issue codes: what the program can emit, what issues.CODES labels, what the README
documents for programs reading `--json` are one and the same list."""
from __future__ import annotations

import re

from dvcq.issues import CODES

from .conftest import ROOT

SOURCES = sorted((ROOT / "toolkit" / "dvcq").glob("*.py"))
EMIT = [re.compile(r'\b(?:add|issue|issue_at)\(\s*"([a-z][a-z-]*)"'),  # FileResult.add/.issue, Ctx.issue, issue_at
        re.compile(r'\bBookError\(\s*"([a-z][a-z-]*)"'),
        re.compile(r'\bout\(\s*"[a-z-]+",\s*"(?:unreadable|skipped)",\s*"([a-z][a-z-]*)"')]  # sniff results


def emitted() -> dict[str, str]:
    found = {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for pattern in EMIT:
            for m in pattern.finditer(text):
                found.setdefault(m.group(1), path.name)
    return found


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("Issue `code`s are stable:"):readme.index("Messages never quote")]
    return set(re.findall(r"`([a-z][a-z-]*)`", part)) - {"code"}


def test_every_emitted_code_is_in_the_catalogue():
    found = emitted()
    assert len(found) > 20  # the patterns do find the emitting calls
    unknown = {c: f for c, f in found.items() if c not in CODES}
    assert not unknown, f"codes emitted but not in issues.CODES: {unknown}"


def test_every_catalogued_code_can_be_emitted():
    assert not set(CODES) - set(emitted()), "codes in issues.CODES that nothing emits"


def test_readme_documents_exactly_the_catalogue():
    assert documented() == set(CODES), (sorted(set(CODES) - documented()), sorted(documented() - set(CODES)))
