"""The end of a plan: the closing ("Trên đây là Kế hoạch ..."), "Nơi nhận" and its list, the signature block
and the signer's name, whether they stand one per line, side by side on one line (two columns apart by
spaces or "|"), or in a Word table."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dvcq.forms.plandoc import TaskGroup, Unplaced
from dvcq.text import fold, nfc

from .blocks import Para, Table
from .tasks import table_groups

_SIGN_RE = re.compile(r"^(?:(?:TM|KT|TL|TUQ|Q)\.\s*\S.*|(?:PHÓ )?CHỦ TỊCH|(?:PHÓ )?TRƯỞNG BAN|THỦ TRƯỞNG|"
                      r"(?:PHÓ )?GIÁM ĐỐC|(?:PHÓ )?TRƯỞNG PHÒNG)$")
_TRAILING_SIGN = re.compile(r"\s+((?:TM|KT|TL|TUQ)\.\s*\S.*|(?:PHÓ )?CHỦ TỊCH)\s*$")
# two columns side by side: a tab, a wide gap (a justified line's gaps are narrower), a table's "|"
_CELL_SPLIT = re.compile(r"\t+|\s{6,}|\s*\|\s*")


def is_sign(text: str) -> bool:
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
class Footer:
    closing: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signer: str = ""


def _cells(p: Para) -> list[str]:
    """The cells of a footer paragraph: its lines cut where two columns stand side by side."""
    if len(p.raw) <= 1 and not _CELL_SPLIT.search(p.raw[0] if p.raw else ""):
        return [p.text]
    out = []
    for raw in p.raw:
        out += [" ".join(c.split()) for c in _CELL_SPLIT.split(raw.strip()) if c.strip()]
    if not any(_CELL_SPLIT.search(r.strip()) for r in p.raw):
        return [p.text]  # a paragraph wrapped over lines: one cell
    return out


def footer(blocks: list, unplaced: list[Unplaced], groups: list[TaskGroup]) -> Footer:
    out = Footer()
    in_recipients = False
    for b in blocks:
        if isinstance(b, Table):
            groups.extend(table_groups(b, ""))
            continue
        for text in _cells(b):
            sign = _TRAILING_SIGN.search(text)  # "- UBND huyện Hương Sơn; CHỦ TỊCH": two columns on one line
            if sign and sign.group(1).isupper() and not is_sign(text):
                out.signature.append(nfc(sign.group(1).strip()))
                text = text[:sign.start()].strip()
            if fold(text).startswith("noi nhan"):
                in_recipients = True
                text = re.sub(r"^Nơi nhận\s*:?\s*", "", text, flags=re.IGNORECASE)
                if not text:
                    continue
            if is_sign(text):
                out.signature.append(nfc(text))
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
