"""Vietnamese text: Unicode normalisation, tolerant matching keys, legacy 8-bit encodings.

Text arrives in NFC or NFD, with old or new tone placement (hòa / hoà), and sometimes typed
with the legacy font encodings TCVN3 (ABC, .VnTime) or VNI (VNI-Times), which read as Unicode
look like "Céng hoµ x· héi" or "Coäng hoøa xaõ hoäi". These functions make such text comparable
and readable again. Only the standard library is used; tables are data in this module.
"""
from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache
from itertools import compress

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# old-style placement (the catalogue's majority: Hòa, Thụy): mark on o/u of oa, oe, uy without a final
# letter. Only a bare a/e/y qualifies: in NFD the dot below of "ậ", "ệ" precedes the circumflex, and
# "Luật", "Huệ" keep the mark where it is.
_MOVE_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])")
# the same test as _MOVE_TONE, written to be searched fast (the look-behind after the first letter lets the
# engine scan for o/u): whether nfc() would move a tone in a long text
_TONE_TO_MOVE = re.compile(rf"[oOuU](?<![qQ].)[aAeEyY][{_TONES}](?![^\W\d_]|[\u0300-\u036f])")
# in NFC text, where _TONE_TO_MOVE can match in its NFD: o/u (not after q) before a bare a, e, y carrying a tone
# (one precomposed letter) that no letter follows; a column without it has no tone to move
_TONE_SUSPECT = re.compile("[oOuU](?<![qQ].)[àáãảạèéẽẻẹỳýỹỷỵÀÁÃẢẠÈÉẼẺẸỲÝỸỶỴ](?![^\\W\\d_])")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[-‐–—,.;:/()\"'“”‘’!?]+")


@lru_cache(maxsize=65536)
def nfc(s: str) -> str:
    """NFC, one tone placement (hòa, thụy), single spaces, stripped."""
    d = unicodedata.normalize("NFD", str(s))
    if any(t in d for t in _TONES):
        d = _MOVE_TONE.sub(r"\1\3\2", d)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", d)).strip()


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Matching key: lower case, no diacritics (đ -> d), punctuation as spaces, single spaces."""
    d = unicodedata.normalize("NFD", str(s).lower()).replace("đ", "d").replace("\u0111", "d")
    d = "".join(c for c in d if not unicodedata.combining(c))
    return _SPACE.sub(" ", _PUNCT.sub(" ", d)).strip()


# Generic nouns that begin a unit's name, two-word nouns first ("thị trấn" before a bare "xã").
UNIT_NOUNS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã", "cả nước")


def unit_running(name: str, start: bool = False) -> str:
    """A unit's name as running text writes it (Nghị định 30/2020): the generic noun in lower case, the
    proper name as registered: 'Xã Cán Khê' -> 'xã Cán Khê', 'Thành phố Hà Nội' -> 'thành phố Hà Nội'.

    ``start`` capitalises the first letter (a sentence begins with the name). Other text is unchanged.
    """
    name = nfc(name)
    low = name.lower()
    noun = next((n for n in UNIT_NOUNS if low == n or low.startswith(n + " ")), None)
    if noun is not None:
        name = noun + name[len(noun):]
    return name[:1].upper() + name[1:] if start else name


def looks_like_formula(s: str) -> bool:
    """Text that a spreadsheet would take for a formula if written carelessly."""
    return isinstance(s, str) and s.lstrip()[:1] in ("=", "+", "-", "@")


def clean_cell_text(s: str) -> str:
    return nfc(s)


# --- legacy encodings --------------------------------------------------------

# TCVN3 (TCVN 5712:1993, "ABC" fonts .VnTime): one byte per accented lower-case letter;
# upper-case accented letters live in the separate .VnTimeH fonts and read as their lower-case.
TCVN3 = {
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "«": "ô", "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "\xad": "ư", "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư",
}
_TCVN3_TABLE = str.maketrans(TCVN3)

# VNI (VNI-Windows): a base letter followed by marks; a few letters are single bytes.
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "ö": "ư", "Ö": "Ư", "ô": "ơ", "Ô": "Ơ",
               "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "Ì": "Ì", "Í": "Í", "Æ": "Ỉ", "Ó": "Ĩ",
               "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}
_VNI_TONE = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
# circumflex (â ê ô) with a tone, and breve (ă) with a tone, each as one mark byte
_VNI_CIRC = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_MARKS = set(_VNI_TONE) | set(_VNI_CIRC) | set(_VNI_BREVE)
_VNI_MARKS |= {m.upper() for m in _VNI_MARKS}
_VNI_RE = re.compile("([aeiouyAEIOUYơưƠƯ])([" + "".join(sorted(_VNI_MARKS)) + "]{1,2})")

_UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_VIET_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TCVN3_MARKERS = set(TCVN3) - _VIET_LATIN1


def _vni_marks(base: str, marks: str) -> str:
    out = base
    for m in marks:
        low = m.lower()
        if low in _VNI_CIRC and base.lower() in "aeo":
            out += "\u0302" + _VNI_CIRC[low]
        elif low in _VNI_BREVE and base.lower() == "a":
            out += "\u0306" + _VNI_BREVE[low]
        elif low in _VNI_TONE:
            out += _VNI_TONE[low]
        else:
            return base + marks
    return unicodedata.normalize("NFC", out)


def _from_vni(s: str) -> str:
    s = "".join(_VNI_SINGLE.get(c, c) for c in s)
    return _VNI_RE.sub(lambda m: _vni_marks(m.group(1), m.group(2)), s)


_VNI_BYTES = "øûïäåëüöñæîÑÖØÛÏÄÅËÜÆÎ"
# byte pairs that VNI produces and correct Unicode Vietnamese never contains
_VNI_STRONG = re.compile(f"[{_VNI_BYTES}]|[aeoAEO][âÂ]|[aA][êÊèéÈÉ]|[aeAE][àáãÀÁÃ]|[aeiouyAEIOUY][ùúÙÚ]")
_ODD = set(TCVN3) - _VIET_LATIN1 | set(_VNI_BYTES)
# what detect_legacy needs to see in a text's NFC to find it legacy: a TCVN3 marker or a VNI byte, or a pair of
# _VNI_STRONG (written with its second letter first, so that the engine scans for it)
_LEGACY_CHAR = re.compile("[" + re.escape("".join(sorted(_TCVN3_MARKERS | set(_VNI_BYTES)))) + "]")
_VNI_PAIR = re.compile("[âÂêÊèéÈÉàáãÀÁÃùúÙÚ](?:(?<=[aeoAEO][âÂ])|(?<=[aA][êÊèéÈÉ])|(?<=[aeAE][àáãÀÁÃ])"
                       "|(?<=[aeiouyAEIOUY][ùúÙÚ]))")


def _vni_changes(s: str) -> int:
    sub = "".join(_VNI_SINGLE.get(c, c) if c in "ñÑöÖô" else c for c in s)
    singles = sum(s.count(c) for c in "ñÑöÖ")
    return singles + sum(1 for m in _VNI_RE.finditer(sub) if _vni_marks(m.group(1), m.group(2)) != m.group(0))


def _residue(converted: str) -> int:
    """Signs a conversion went wrong: bytes left unconverted, syllables with two tone marks."""
    odd = sum(1 for c in converted if c in _ODD)
    extra = 0
    for word in unicodedata.normalize("NFD", converted).split():
        extra += max(0, sum(1 for c in word if c in _TONES) - 1)
    return odd + extra


def detect_legacy(s: str) -> str | None:
    """'TCVN3' or 'VNI' when the text was typed in a legacy 8-bit font encoding, else None.

    Needs at least two pieces of evidence, so a single odd letter in a foreign name is left alone.
    """
    if not isinstance(s, str) or s.isascii() or _UNICODE_ONLY.search(s):
        return None
    s = unicodedata.normalize("NFC", s)
    if _UNICODE_ONLY.search(s):
        return None
    vni = bool(_VNI_STRONG.search(s)) and _vni_changes(s) >= 2
    tcvn = sum(1 for c in s if c in _TCVN3_MARKERS) >= 2
    if vni and tcvn:
        rv, rt = _residue(_from_vni(s)), _residue(s.translate(_TCVN3_TABLE))
        if rv != rt:
            return "VNI" if rv < rt else "TCVN3"
        tcvn_only = sum(1 for c in s if c in _TCVN3_MARKERS and c not in _VNI_BYTES)
        return "VNI" if len(_VNI_STRONG.findall(s)) >= tcvn_only else "TCVN3"
    return "VNI" if vni else ("TCVN3" if tcvn else None)


_CLEAN_SEEN: set[str] = set()  # texts needs_cleaning found canonical and not legacy (a verdict that never changes)
_CLEAN_SEEN_MAX = 32768  # emptied beyond this, as nfc()'s cache is bounded


def needs_cleaning(texts: list[str]) -> list[int]:
    """Indices of the strings ``nfc()`` would change or ``detect_legacy()`` finds typed in a legacy encoding.

    A text found clean once is remembered (values repeat across a log's rows and a folder's files); the others
    are checked column-wise by ``_column_needs_cleaning``.
    """
    seen = list(map(_CLEAN_SEEN.__contains__, texts))  # in C: a column of names is mostly unseen, a dropdown seen
    if all(seen):
        return []
    # each text once (a commune's villages repeat down an address column): the verdict is the text's own
    fresh = list(dict.fromkeys(compress(texts, map(operator.not_, seen))))
    bad = {fresh[k] for k in _column_needs_cleaning(fresh)}
    if len(_CLEAN_SEEN) > _CLEAN_SEEN_MAX:
        _CLEAN_SEEN.clear()
    if not bad:
        _CLEAN_SEEN.update(fresh)
        return []
    _CLEAN_SEEN.update(s for s in fresh if s not in bad)
    return [i for i, s in enumerate(texts) if s in bad]


def _column_needs_cleaning(texts: list[str]) -> list[int]:
    """``needs_cleaning`` without the memory. Column-wise: a column already canonical (NFC, one tone placement, single spaces, no space at either end:
    what dvcq's forms and Excel's Unicode input give) is told so by a few passes in C over its joined text,
    instead of ``nfc()`` on each cell; ``detect_legacy()`` runs only on cells holding no letter that only
    Unicode has (its own first test). The joints are NUL, which normalisation and the tone pattern treat as a
    word boundary, so the joined text is canonical exactly when every cell is (a NUL inside a cell can only
    make a space look like a cell's first or last character: the column is then read cell by cell).
    """
    if not texts:
        return []
    joined = "\x00".join(texts)
    plain = joined.replace("\x00", "")
    canonical = (plain.isprintable()  # no whitespace but the space (and no control character)
                 and "  " not in joined and not joined.startswith(" ") and not joined.endswith(" ")
                 and "\x00 " not in joined and " \x00" not in joined
                 and unicodedata.is_normalized("NFC", joined))
    if canonical and _TONE_SUSPECT.search(joined):  # NFC already: a tone to move shows as o/u before à, ý...
        canonical = not _TONE_TO_MOVE.search(unicodedata.normalize("NFD", joined))
    changed = set() if canonical else {i for i, s in enumerate(texts) if nfc(s) != s}
    # detect_legacy's own first test, then its two others at once over the cells left: a legacy text shows a TCVN3
    # marker or a VNI byte or pair in its NFC (the joints, NUL, are in neither). Asked first of the whole column
    # (its NFC is its cells' NFCs joined: nothing composes with NUL): a column without either has no cell to
    # look at one by one, which is what a column of correct Vietnamese costs
    if joined.isascii():
        return sorted(changed)
    whole = joined if canonical else unicodedata.normalize("NFC", joined)
    if not (_LEGACY_CHAR.search(whole) or _VNI_PAIR.search(whole)):
        return sorted(changed)
    maybe = [i for i, s in enumerate(texts) if not s.isascii() and not _UNICODE_ONLY.search(s)]
    if maybe:
        some = "\x00".join(texts[i] for i in maybe)
        some = some if canonical else unicodedata.normalize("NFC", some)
        if _LEGACY_CHAR.search(some) or _VNI_PAIR.search(some):
            changed.update(i for i in maybe if detect_legacy(texts[i]))
    return sorted(changed)


def repair_legacy(s: str, encoding: str | None = None) -> str:
    """Unicode (NFC, canonical tone placement) from TCVN3 or VNI text; unchanged when not legacy."""
    encoding = encoding or detect_legacy(s)
    if encoding == "TCVN3":
        return nfc(s.translate(_TCVN3_TABLE))
    if encoding == "VNI":
        return nfc(_from_vni(s))
    return s
