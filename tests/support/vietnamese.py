"""Is a text for officials free of English words?

A word counts as Vietnamese when, without its diacritics, it has the shape of a Vietnamese syllable
(an initial consonant group, one to three vowels, a final consonant group: "nghiêng", "khuyến", "đường").
English words rarely do ("Enable", "Content", "Unblock", "Properties", "Error", "Press", "file").
Names are not words: file names, paths, variables, commands and codes (anything with a dot, slash,
backslash, percent, digit, hyphen or underscore) and the product names of ALLOWED.
"""
from __future__ import annotations

import re

from dvcq.text import fold

ALLOWED = {"dvcq", "python", "excel", "word", "windows", "microsoft", "office", "onedrive", "sharepoint",
           "libreoffice", "wps", "xlwings", "pip", "ok", "usb", "zip", "store", "temp", "wscript", "vba", "unicode",
           "localappdata", "userprofile", "smartscreen", "internet", "email", "zalo", "chrome", "edge", "cmd",
           "macro"}  # Vietnamese Office's own word: «Bật nội dung» enables «macro»
_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnptiyou])?$")
_NAME = re.compile(r"[.\\/%0-9_\-:~@]")
_TOKEN = re.compile(r"[^\s«»\"'“”‘’()\[\],;!?…*`|=+&]+")


def english_words(text: str) -> list[str]:
    """The words of ``text`` that are neither Vietnamese syllables nor allowed names, in order."""
    found = []
    for token in _TOKEN.findall(text):
        word = token.strip(".:")
        if not word or _NAME.search(word) or word.lower() in ALLOWED:
            continue
        if not _SYLLABLE.match(fold(word).lower()):
            found.append(word)
    return found
