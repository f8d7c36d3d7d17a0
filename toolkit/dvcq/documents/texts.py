"""The units' own assessment texts in the report: split into sentences, one entry per distinct sentence with the
units that wrote it (dvcq.documents.context puts them in ``ReportContext.texts``)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from dvcq.model import UnitText
from dvcq.text import fold, nfc
from dvcq.text import unit_running as running_name


@dataclass(frozen=True)
class TextPoint:
    """One distinct sentence of a text section with the units that wrote it."""
    text: str
    units: tuple[str, ...]
    unit: str  # the units joined by commas
    bare: str  # the text without its final punctuation


# a sentence ends at . ! ? … (and any closing quote or bracket) before a space and a letter
_SENTENCE_END = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+[\"“«(]?[^\W\d_])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-ZĐ][A-Za-zĐđ]{0,2}|v\.v|Tp|TT)\.$")  # TP. TX. Q. ThS. v.v. end no sentence
_NOTHING = re.compile(r"^(khong co|khong)( (y kien|kien nghi|de xuat|gi|van de gi))?( (khac|them))?$")
# a new point starts at a line break, at a list marker opening a line ("- ", "• ", "1. ", "a) "), or at a
# dash bullet right after a sentence or clause end ("... xong. - Hai ..."); never at a dash inside a
# phrase such as "kinh tế - xã hội"
_ITEM = re.compile(r"\s*\n\s*(?:(?:[-•+*]|\d{1,2}[.)]|[a-zđ]\))\s+)?|^\s*(?:[-•+*]|\d{1,2}[.)]|[a-zđ]\))\s+"
                   r"|(?<=[.!?;:])\s+[-•+*]\s+")


def sentences(text: str) -> list[str]:
    """A unit's text split into sentences, each ending with its punctuation."""
    out: list[str] = []
    for item in _ITEM.split(str(text)):
        item = " ".join(item.split())
        start, pos = len(out), 0
        cuts = [m.end() for m in _SENTENCE_END.finditer(item)] + [len(item)]
        for cut in cuts:
            part = item[pos:cut].strip()
            pos = cut
            if not part:
                continue
            first_letter = next((c for c in part if c.isalpha()), "")
            if len(out) > start and (_ABBREVIATION.search(out[-1]) or not first_letter.isupper()):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return [s if s.rstrip("\"”»’)")[-1:] in (".", "!", "?", "…") else s + "." for s in out]


# how two units' sentences are told to be the same one (a section's shared contents, dvcq.documents.sections): said in
# the report's line and in docs/narrative.md; no merging of merely similar sentences
SAME_RULE = ("câu giống nhau sau khi chuẩn hóa Unicode (NFC, cách đặt dấu thanh), không phân biệt chữ hoa, chữ thường, "
             "khoảng trắng và dấu câu cuối câu")
_TRAILING = ".!?…;:,\"”»’ "


def same(sentence: str) -> str:
    """The key under which two sentences are the same (SAME_RULE): NFC with one tone placement, case folded, single
    spaces, without trailing punctuation. Diacritics are kept: "mà" and "ma" are different words."""
    return nfc(sentence).casefold().rstrip(_TRAILING)


def nothing(sentence: str) -> bool:
    """'Không có kiến nghị.', 'Không.': a sentence that says there is nothing to say."""
    return bool(_NOTHING.match(fold(sentence)))


def texts(items: list[UnitText]) -> dict[str, list[TextPoint]]:
    """Texts by section code, one entry per distinct sentence with the units that wrote it.

    Sentences are the same under SAME_RULE (same(): NFC, case, spacing, final stop; diacritics kept, so "mà" is
    not "ma"), as a section's shared contents are: a point raised by several units appears once, followed by
    their names; points shared by more units come first. "Không có kiến nghị."-like sentences (nothing(), which
    folds) are left out when the section says anything else.
    """
    out: dict[str, list[TextPoint]] = {}
    for code in dict.fromkeys(t.code for t in items):
        groups: dict[str, tuple[str, list[str]]] = {}
        empty: list[str] = []  # sentences that say nothing
        for t in (t for t in items if t.code == code):
            for sentence in sentences(nfc(t.text)):
                if nothing(sentence):
                    empty.append(sentence)
                    continue
                _, names = groups.setdefault(same(sentence), (sentence, []))
                name = running_name(t.unit)
                if name not in names:
                    names.append(name)
        ordered = sorted(groups.values(), key=lambda g: -len(g[1]))  # stable: first seen first among equals
        if not ordered and empty:
            ordered = [(empty[0], [])]
        out[code] = [TextPoint(text, tuple(names), ", ".join(names), text.rstrip(".!? ")) for text, names in ordered]
    return out
