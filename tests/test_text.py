"""Vietnamese text: normalisation, matching keys, legacy encodings (round trips through encoders
written here independently of the decoder)."""
from __future__ import annotations

import csv
import unicodedata

import pytest
from dvcq import text
from hypothesis import given, settings
from hypothesis import strategies as st
from dvcq.units.registry import DATA

from tests.support.budget import examples

VOWELS = "aăâeêioôơuưy"
TONES = {"": "", "\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
CIRC_TONE = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
BREVE_TONE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
I_SINGLE = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def all_letters() -> list[str]:
    return [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]


def vni_encode(s: str) -> str:
    out = []
    for ch in s:
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        upper = base.isupper()
        tone = next((m for m in marks if m in TONES and m), "")
        if base.lower() == "đ" or ch.lower() == "đ":
            out.append("Ñ" if ch.isupper() else "ñ")
            continue
        if base.lower() == "i" and tone:
            out.append(I_SINGLE[tone].upper() if upper else I_SINGLE[tone])
            continue
        if base.lower() == "y" and tone == "\u0323":
            out.append("Î" if upper else "î")
            continue
        if "\u031b" in marks:  # horn: ơ, ư are single bytes
            enc = {"o": "ô", "u": "ö"}[base.lower()]
            out.append((enc.upper() if upper else enc) + (TONES[tone].upper() if upper else TONES[tone]))
            continue
        if "\u0302" in marks:
            m = CIRC_TONE[tone]
        elif "\u0306" in marks:
            m = BREVE_TONE[tone]
        else:
            m = TONES[tone]
        out.append(base + (m.upper() if upper else m))
    return "".join(out)


TCVN3_INVERSE = {v: k for k, v in text.TCVN3.items()}


def tcvn3_encode(s: str) -> str:
    return "".join(TCVN3_INVERSE.get(unicodedata.normalize("NFC", c), c) for c in s)


WORDS = ["Xã Phượng Nghi", "Ủy ban nhân dân", "Tiếp công dân", "Khiếu nại", "Tố cáo", "Kiến nghị, phản ánh",
         "Đất đai", "Người có công", "Chính sách xã hội", "Thường xuyên", "Định kỳ", "Đột xuất",
         "Đã giải quyết", "Chuyển đơn đến cơ quan có thẩm quyền", "Cộng hòa xã hội chủ nghĩa Việt Nam",
         "Độc lập - Tự do - Hạnh phúc", "Dân vận khéo", "Chính quyền thân thiện, vì Nhân dân phục vụ"]


@pytest.mark.parametrize("word", WORDS)
def test_vni_round_trip(word):
    legacy = vni_encode(word)
    assert text.detect_legacy(legacy) == "VNI", legacy
    assert text.repair_legacy(legacy) == text.nfc(word)


@pytest.mark.parametrize("word", [w.lower() for w in WORDS])
def test_tcvn3_round_trip(word):
    legacy = tcvn3_encode(word)
    if sum(1 for c in legacy if c in text._TCVN3_MARKERS) < 2:
        pytest.skip("too little evidence in a very short word")
    assert text.detect_legacy(legacy) == "TCVN3", legacy
    assert text.repair_legacy(legacy) == text.nfc(word)


def test_every_accented_letter_round_trips():
    letters = all_letters()
    assert len(letters) == 73
    for ch in letters:
        assert text.repair_legacy(vni_encode("x" + ch + "x"), "VNI") == text.nfc("x" + ch + "x"), ch
        assert text.repair_legacy(tcvn3_encode("x" + ch + "x"), "TCVN3") == text.nfc("x" + ch + "x"), ch
        up = ch.upper()
        assert text.repair_legacy(vni_encode("X" + up), "VNI") == text.nfc("X" + up), up


def test_known_samples_from_the_domain_brief():
    assert text.repair_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert text.repair_legacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"


def _unit_names():
    with open(DATA / "units_2025.csv", encoding="utf-8") as f:
        return [r["name"] for r in csv.DictReader(f)]


def test_no_false_positives_on_unicode_ascii_or_french():
    names = _unit_names()[:400]
    others = ["Café crème brûlée", "Nguyễn Văn A", "Müller", "12.345", "Xin chào, ça va très bien", "abc"]
    for s in names + others + [unicodedata.normalize("NFD", n) for n in names[:50]]:
        assert text.detect_legacy(s) is None, s


def test_nfc_unifies_forms_and_tone_placement():
    assert text.nfc(unicodedata.normalize("NFD", "Phượng")) == "Phượng"
    assert text.nfc("hoà") == text.nfc("hòa") == "hòa"
    assert text.nfc("Thuỵ") == "Thụy"
    assert text.nfc("khoẻ") == "khỏe"
    assert text.nfc("Hoàng") == "Hoàng" and text.nfc("quý") == "quý"
    assert text.nfc("  Xã\u00a0 Phượng   Nghi ") == "Xã Phượng Nghi"


@pytest.mark.parametrize("word", ["Luật", "thuận", "Huệ", "xuất", "khuyết", "thuở", "hoặc", "tuệ", "Thuận Hoá"])
def test_marked_vowels_keep_their_tone(word):
    expected = word.replace("Hoá", "Hóa")
    assert text.nfc(word) == expected
    assert text.nfc(unicodedata.normalize("NFD", word)) == expected


def test_fold_is_a_tolerant_key():
    assert text.fold("Xã  Phượng Nghi") == "xa phuong nghi"
    assert text.fold("Kiến nghị, phản ánh") == text.fold("kien nghi phan anh") == text.fold("KIẾN NGHỊ - PHẢN ÁNH")
    assert text.fold("Đất đai") == "dat dai"
    assert text.fold("hoà") == text.fold("hòa")


@pytest.mark.parametrize("s,expected", [("=SUM(A1)", True), ("  +84", True), ("-5", True), ("@x", True),
                                        ("Xã", False), ("", False)])
def test_looks_like_formula(s, expected):
    assert text.looks_like_formula(s) is expected


@pytest.mark.parametrize("name,running", [
    ("Xã Cán Khê", "xã Cán Khê"), ("Thị trấn Bến Sung", "thị trấn Bến Sung"), ("Huyện Như Thanh", "huyện Như Thanh"),
    ("Tỉnh Thanh Hóa", "tỉnh Thanh Hóa"), ("Thành phố Hà Nội", "thành phố Hà Nội"), ("Phường 12", "phường 12"),
    ("Thành Phố Bắc Kạn", "thành phố Bắc Kạn"), ("Thị xã Nghi Sơn", "thị xã Nghi Sơn"), ("Đặc khu Phú Quốc", "đặc khu Phú Quốc"),
    ("Xã Xã Hồ", "xã Xã Hồ"), ("Ban Dân vận Huyện ủy", "Ban Dân vận Huyện ủy"), ("Xã Ho\u0300a An", "xã Hòa An"),
])
def test_unit_names_in_running_text_lower_only_the_generic_noun(name, running):
    from dvcq.text import unit_running

    assert unit_running(name) == running
    assert unit_running(name, start=True) == running[0].upper() + running[1:]


def test_registry_units_give_their_running_name():
    from dvcq.units.registry import load

    reg = load("legacy")
    assert [reg.get(c).running_name for c in ("16231", "16228", "403", "38", "01")] == [
        "xã Cán Khê", "thị trấn Bến Sung", "huyện Như Thanh", "tỉnh Thanh Hóa", "thành phố Hà Nội"]


# --- needs_cleaning: a column at a time, the same verdict as nfc() and detect_legacy() cell by cell ---------

# letters and marks that move the verdict: precomposed and decomposed tones, old tone placement (hoà), spaces of
# every kind, NUL (the joint needs_cleaning uses), TCVN3 and VNI bytes, a zero-width space, plain ASCII
ALPHABET = ("a", "o", "u", "y", "e", "q", "H", " ", "ò", "ạ", "à", "ỵ", "oà", "uỵ", "ư", "đ", "Đ", "\u0300", "\u0323", "\u0301", "\t",
            "\n", "\xa0", "\x00", "\u200b", "µ", "·", "é", "ñ", "ö", "ø", "ù", "â", "1", ",", "Ö")
cells = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=8).map("".join)


def cell_by_cell(texts: list[str]) -> list[int]:
    return [i for i, s in enumerate(texts) if text.nfc(s) != s or text.detect_legacy(s)]


@settings(derandomize=True, max_examples=examples(100), deadline=None)  # `make fuzz`: 1,000
@given(st.lists(cells, max_size=8))
def test_needs_cleaning_agrees_with_the_cell_by_cell_checks(texts):
    assert text.needs_cleaning(texts) == cell_by_cell(texts)


GOOD = ["Nguyễn Văn An", "Thôn 3, xã Cán Khê", "Khiếu nại về đất đai", "Hòa", "abc"]
ODD = [unicodedata.normalize("NFD", "Lê Thị Bình"), "Hoà Thuỵ", "hai  dấu cách", " đầu", "cuối ", " ", "Céng hoµ x· héi",
       "Coäng hoøa xaõ hoäi", "tab\there", "xuống\ndòng", "a\xa0b"]


def test_a_canonical_column_needs_no_cleaning():
    assert text.needs_cleaning(GOOD) == [] == cell_by_cell(GOOD)


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("at", [0, 2, 5])
def test_needs_cleaning_finds_one_odd_cell_anywhere_in_a_canonical_column(odd, at):
    texts = GOOD[:at] + [odd] + GOOD[at:]
    assert text.needs_cleaning(texts) == [at] == cell_by_cell(texts)


def test_a_nul_in_a_cell_is_kept_but_sends_the_column_cell_by_cell():
    """NUL is the joint: a cell holding one is text nfc() keeps, and the column is then read cell by cell."""
    texts = GOOD + ["a\x00b", "Hoà"]
    assert text.needs_cleaning(texts) == [len(GOOD) + 1] == cell_by_cell(texts)


@settings(derandomize=True, max_examples=examples(100), deadline=None)  # `make fuzz`: 1,000
@given(st.lists(st.sampled_from(["q", "Q", "o", "O", "u", "a", "e", "y", "Y", "h", " ", "\n", "1", "_", "\u0300", "\u0323",
                                 "\u0302", "\u0306", "\u0301"]), max_size=10).map("".join))
def test_the_fast_tone_search_finds_what_nfc_would_move(s):
    assert bool(text._TONE_TO_MOVE.search(s)) == bool(text._MOVE_TONE.search(s))
