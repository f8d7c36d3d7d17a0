"""A roll-up's report speaks for its issuer (issue 24): its own texts first, the units in counts with at most three
named examples, their own sentences complete in the annex after the signature; proposals only the issuer's own.

Expected values are read from the raw cells of the sample files with python-calamine, not through the pipeline."""
from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from dvcq.documents.narrative import write_report
from dvcq.documents.sections import TITLE_OPENINGS, in_sentence
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.text import fold, unit_running
from python_calamine import CalamineWorkbook

from tests.support import corpus
from tests.support.paths import SAMPLE
from tests.support.reporttext import report_text

DISTRICT = ("403", "Huyện Như Thanh")
OWN_TEXTS = {
    "LD": "Ban hành Kế hoạch số 12/KH-UBND ngày 23/01/2024 về công tác dân vận chính quyền năm 2024. "
          "Tổ chức hội nghị quán triệt Chỉ thị 33 ngày 24/03/2024.",
    "KQ": "Công tác dân vận chính quyền của huyện có chuyển biến tích cực.",
    "HC": "Việc đôn đốc các xã cập nhật sổ tiếp công dân chưa thường xuyên.",
    "PH": "Tổ chức sơ kết 5 năm thực hiện Chỉ thị 33 trong tháng 10/2024.",
    "KN": "Đề nghị UBND tỉnh bố trí kinh phí tập huấn kỹ năng dân vận cho cán bộ cấp xã.",
}
SECTIONS = {"LD": ("1. Công tác lãnh đạo, chỉ đạo", "### 2."), "KQ": ("1. Ưu điểm", "### 2. Hạn chế"),
            "HC": ("2. Hạn chế", "### 3."), "KN": ("KIẾN NGHỊ, ĐỀ XUẤT", "Trên đây là báo cáo")}


def _district_report(folder: Path) -> Path:
    """The district's own periodic report, filled by its staff (12 reception days: 2 a month for 6 months)."""
    c = Content(header={**corpus.header(DISTRICT, corpus.PERIOD), "prepared_on": date(2024, 6, 12)},
                unit_level="district", indicators={**corpus.report_values(), "TD01": 12, "TD02": 12},
                texts=dict(OWN_TEXTS), saved_at=datetime(2024, 6, 13, 9))
    return build_form(spec.load_form("bao-cao-dinh-ky"), folder / "403-huyen-nhu-thanh-bao-cao-dinh-ky-2024-H1.xlsx", c)


def _report(base: Path, folder: Path) -> str:
    result = consolidate_folder(folder, out=base / "th.xlsx", db=base / "db.sqlite", workers=1)
    write_report(result.out_path, out=base / "bc.docx", md=base / "bc.md", signer="Đặng Tiến Dũng", number="125",
                 db=base / "db.sqlite", date="05/07/2024")
    return (base / "bc.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def with_own(tmp_path_factory):
    base = tmp_path_factory.mktemp("own")
    shutil.copytree(SAMPLE, base / "in")
    _district_report(base / "in")
    return base, _report(base, base / "in")


@pytest.fixture(scope="module")
def without_own(nhu_thanh_rollup, tmp_path_factory):
    """The committed sample's report (its text: the test reads its sentences), from the run's shared
    consolidation of it (tests/conftest.py), its history copied."""
    base = tmp_path_factory.mktemp("noown")
    db = shutil.copy(nhu_thanh_rollup.db_path, base / "db.sqlite")
    return base, report_text(nhu_thanh_rollup.out_path, base / "bc.md", db=db, signer="Đặng Tiến Dũng", number="125",
                             date="05/07/2024")


def _raw_texts() -> dict[str, dict[str, str]]:
    """Each commune's text cells, by section code, from its report file: {code: {unit name: text}}."""
    sheet = spec.load_form("bao-cao-dinh-ky").sheet("Đánh giá")
    out: dict[str, dict[str, str]] = {}
    for path in sorted(SAMPLE.glob("*bao-cao-dinh-ky*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        unit = book.get_sheet_by_name("Chỉ tiêu").to_python()[2][2]
        grid = book.get_sheet_by_name(sheet.name).to_python()
        for t in sheet.texts:
            row, col = spec.split_cell(sheet.text_cell(t.name))
            value = grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else ""
            if str(value).strip():
                out.setdefault(t.name, {})[unit] = str(value).strip()
    return out


def _same(sentence: str) -> str:
    """Two units' sentences are one when equal after NFC, case folding, single spaces, without trailing stops."""
    return " ".join(unicodedata.normalize("NFC", sentence).casefold().split()).rstrip(".!?…;:, ")


def _shared(code: str) -> list[tuple[str, set[str]]]:
    """The sentences of a section two communes or more wrote (at most three): most units first, then the order in
    which they first come reading the files by unit code (their names start with it)."""
    sheet = spec.load_form("bao-cao-dinh-ky").sheet("Đánh giá")
    row, col = spec.split_cell(sheet.text_cell(code))
    seen: dict[str, tuple[str, set[str]]] = {}
    for path in sorted(SAMPLE.glob("*bao-cao-dinh-ky*.xlsx"), key=lambda p: p.name.split("-")[0]):
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.name).to_python()
        value = grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else ""
        for sentence in _split(str(value)):
            seen.setdefault(_same(sentence), (sentence, set()))[1].add(path.name.split("-")[0])
    order = list(seen)
    ranked = sorted((k for k in seen if len(seen[k][1]) > 1), key=lambda k: (-len(seen[k][1]), order.index(k)))
    return [seen[k] for k in ranked[:3]]


def _split(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=\.)\s+", text) if s.strip()]


def _section(text: str, code: str) -> str:
    body = text[:text.index("# PHỤ LỤC")]
    start, stop = SECTIONS[code]
    part = body[body.index(start):]
    return part[:part.index(stop)]


def _annex(text: str) -> str:
    return text[text.index("# PHỤ LỤC"):]


@pytest.mark.parametrize("code", ["LD", "KQ", "HC"])
def test_a_section_opens_with_the_issuers_text_then_counts_its_units(with_own, code):
    _, text = with_own
    raw = _raw_texts()[code]
    reports = len(list(SAMPLE.glob("*bao-cao-dinh-ky*.xlsx")))
    section = _section(text, code)
    bullets = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert bullets == _split(OWN_TEXTS[code])  # the issuer's own sentences, first, as its staff wrote them
    lines = [line for line in section.splitlines() if line.startswith("Ở các đơn vị")]
    assert len(lines) == 1, section
    m = re.match(r"Ở các đơn vị: (\d+)/(\d+) xã, thị trấn nêu nội dung này; nội dung nhiều đơn vị cùng nêu"
                 r"(?: \(chọn nội dung nhiều đơn vị nêu nhất, cùng số đơn vị thì theo thứ tự nêu; các mục sau chọn "
                 r"như vậy\))?: (.+); nội dung của từng đơn vị tại Phụ lục\.$", lines[0])
    assert m, lines[0]
    assert (int(m.group(1)), int(m.group(2))) == (len(raw), reports)
    # the contents most units share, each with how many wrote it out of those that reported, by the stated rule
    items = re.findall(r"(\d+)/(\d+) xã, thị trấn: (.+?)(?=; \d+/\d+ xã, thị trấn: |$)", m.group(3))
    want = _shared(code)
    assert [(int(n), int(of), fold(what)) for n, of, what in items] == \
        [(len(units), reports, fold(sentence.rstrip("."))) for sentence, units in want]
    # the rule is stated once, in the first line that gives shared contents
    first = next(x for x in text.splitlines() if x.startswith("Ở các đơn vị") and "cùng nêu" in x)
    assert ("(chọn nội dung nhiều đơn vị nêu nhất" in lines[0]) == (lines[0] == first)
    shared = {_same(sentence) for sentence, _ in want}
    for unit_text in raw.values():
        if len(_split(unit_text)) > 1:  # never a unit's whole text in the body
            assert fold(unit_text) not in fold(section)
        for sentence in _split(unit_text):  # a unit's sentence only when shared, with its count
            if _same(sentence) not in shared:
                assert fold(sentence.rstrip(".")) not in fold(section), sentence


def test_the_annex_holds_every_units_sentences_under_its_name(with_own):
    _, text = with_own
    annex = _annex(text)
    body = text[:text.index("# PHỤ LỤC")]
    assert body.index("***Nơi nhận:***") < len(body)  # the annex comes after the signature
    blocks = re.split(r"^### ", annex, flags=re.M)[1:]
    by_unit = {b.splitlines()[0].strip(): b for b in blocks}
    raw = _raw_texts()
    units = {u for texts in raw.values() for u in texts}
    assert set(by_unit) == units  # every commune, never the district itself
    for code, texts in raw.items():
        for unit, cell in texts.items():
            for sentence in _split(cell):
                assert fold(sentence) in fold(by_unit[unit]), (unit, sentence)
    for sentence in _split(" ".join(OWN_TEXTS.values())):
        assert fold(sentence) not in fold(annex)


def test_proposals_are_the_issuers_own_and_the_units_requests_are_counted(with_own):
    _, text = with_own
    section = _section(text, "KN")
    bullets = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert bullets == [OWN_TEXTS["KN"]]
    raw = _raw_texts()["KN"]
    asked: dict[str, set] = {}
    for unit, cell in raw.items():
        for sentence in _split(cell):
            if fold(sentence) != "khong co kien nghi":
                asked.setdefault(_same(sentence), set()).add(unit)
    reports = len(list(SAMPLE.glob("*bao-cao-dinh-ky*.xlsx")))
    shared = {k: len(v) for k, v in asked.items() if len(v) > 1}
    assert shared
    for key, n in shared.items():
        what = key.split(" ", 2)[2]  # without "đề nghị"
        assert re.search(rf"{n}/{reports} xã, thị trấn đề nghị", section)
        assert what in section.casefold(), key
    askers = {u for v in asked.values() for u in v}
    assert f"tổng cộng {len(askers)}/{reports} xã, thị trấn có kiến nghị, đề xuất với Ủy ban nhân dân huyện Như Thanh" \
        in section
    for key in asked:  # never a unit's request as a bullet, as if the district asked it
        assert not any(_same(b) == key for b in bullets)


def test_without_the_issuers_own_report_its_proposals_are_said_to_be_missing(without_own):
    _, text = without_own
    section = _section(text, "KN")
    assert not [line for line in section.splitlines() if line.startswith("- ")]
    assert "Chưa có báo cáo định kỳ của chính Ủy ban nhân dân huyện Như Thanh trong số liệu tổng hợp, nên chưa có " \
           "kiến nghị, đề xuất của Ủy ban nhân dân huyện Như Thanh." in section
    assert "Chưa có báo cáo định kỳ của chính Ủy ban nhân dân huyện Như Thanh" in text[:text.index("## I.")]


def test_the_docx_prints_the_annex_after_the_signature_and_the_counts_are_in_the_check_sheet(with_own):
    from openpyxl import load_workbook

    base, _ = with_own
    doc = Document(base / "bc.docx")
    body = doc.element.body
    kinds = [(el.tag.split("}")[1], Paragraph(el, doc).text if el.tag.endswith("}p") else "")
             for el in body.iterchildren()]
    foot = max(i for i, (k, _) in enumerate(kinds) if k == "tbl")
    after = [t for k, t in kinds[foot + 1:] if k == "p" and t.strip()]
    assert after[:2] == ["PHỤ LỤC", "KẾT QUẢ THỰC HIỆN CỦA CÁC ĐƠN VỊ"]
    raw = _raw_texts()
    assert {u for texts in raw.values() for u in texts} <= set(after)
    wb = load_workbook(base / "bc-doi-chieu.xlsx", read_only=True)
    cells = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "Lãnh đạo, chỉ đạo (văn bản đã ban hành): xã, thị trấn: số đơn vị nêu nội dung" in cells
    assert "Số đơn vị có kiến nghị, đề xuất" in cells


def test_shared_contents_are_the_same_sentence_under_the_stated_rule_and_else_examples_are_named(tmp_path):
    """Case, spacing and the final stop do not make two sentences different; a diacritic does ("thoai" is not
    "thoại"). A section where no two units wrote the same sentence names examples by its rule instead."""
    from dvcq.units.registry import load

    folder = tmp_path / "in"
    folder.mkdir()
    a, b, c = sorted(load("legacy").children("403"), key=lambda u: u.code)[:3]
    texts = {a: {"LD": "Tổ chức hội nghị đối thoại với Nhân dân. Ban hành quy chế dân chủ ở cơ sở.",
                 "KQ": "Hoàn thành tốt các chỉ tiêu."},
             b: {"LD": "tổ chức  hội nghị đối thoại với nhân dân", "KQ": "Cải cách hành chính chuyển biến rõ."},
             c: {"LD": "Tổ chức hội nghị đối thoai với Nhân dân!", "KQ": "Người dân hài lòng khi giao dịch."}}
    for u, t in texts.items():
        build_form(spec.load_form("bao-cao-dinh-ky"), folder / f"{u.code}-bao-cao-dinh-ky-2024-H1.xlsx",
                   Content(header=corpus.header((u.code, u.name), corpus.PERIOD), unit_level="commune",
                           indicators=corpus.report_values(), texts={**corpus.TEXTS, **t}, saved_at=datetime(2024, 6, 12, 9)))
    result = consolidate_folder(folder, out=tmp_path / "th.xlsx", db=tmp_path / "db.sqlite", workers=1)
    text = report_text(result.out_path, tmp_path / "bc.md", db=tmp_path / "db.sqlite", signer="Đặng Tiến Dũng",
                       number="125", date="05/07/2024")  # its sentences only (tests/support/reporttext.py)
    body = text[:text.index("# PHỤ LỤC")]
    [ld] = [x for x in _section(text, "LD").splitlines() if x.startswith("Ở các đơn vị")]
    # 3 of the 14 communes reported: the line says over whom before its counts
    assert re.fullmatch(r"Ở các đơn vị đã có báo cáo \(3/14 xã, thị trấn\): 3/3 [^:;]+ nêu nội dung này; nội dung nhiều đơn vị cùng nêu \(chọn nội dung "
                        r"nhiều đơn vị nêu nhất, cùng số đơn vị thì theo thứ tự nêu; các mục sau chọn như vậy\): "
                        r"2/3 [^:;]+: tổ chức hội nghị "
                        r"đối thoại với Nhân dân; nội dung của từng đơn vị tại Phụ lục\.", ld), ld
    assert "đối thoai" not in body and "quy chế dân chủ" not in body  # one unit's sentences stay in the annex
    [kq] = [x for x in _section(text, "KQ").splitlines() if x.startswith("Ở các đơn vị")]
    names = ", ".join(unit_running(u.name) for u in (a, b, c))
    assert kq == (f"Ở các đơn vị đã có báo cáo (3/14 xã, thị trấn): 3/3 xã, thị trấn nêu nội dung này, như {names} (các đơn vị "
                  "nêu cùng số nội dung, chọn theo thứ tự mã đơn vị); nội dung của từng đơn vị tại Phụ lục.")


def test_sentences_that_differ_only_by_diacritics_are_different_points_in_every_list(tmp_path):
    """One rule (texts.same: diacritics kept) for the shared contents, the requests and a unit's own points: a
    commune that typed "ma" is not counted as asking what two others asked with "mà", and a unit's own two
    sentences that differ only by a tone mark are both printed (folding merged them and dropped one)."""
    from dvcq.units.registry import load

    folder = tmp_path / "in"
    folder.mkdir()
    a, b, c = sorted(load("legacy").children("403"), key=lambda u: u.code)[:3]
    asked, typed = "Đề nghị tỉnh hỗ trợ kinh phí tập huấn mà xã chưa bố trí được.", \
        "De nghi tinh ho tro kinh phi tap huan ma xa chua bo tri duoc."
    texts = {a: {"KN": asked}, b: {"KN": asked.upper()}, c: {"KN": typed}}
    for u, t in texts.items():
        build_form(spec.load_form("bao-cao-dinh-ky"), folder / f"{u.code}-bao-cao-dinh-ky-2024-H1.xlsx",
                   Content(header=corpus.header((u.code, u.name), corpus.PERIOD), unit_level="commune",
                           indicators=corpus.report_values(), texts={**corpus.TEXTS, **t},
                           saved_at=datetime(2024, 6, 12, 9)))
    section = _section(_report(tmp_path / "out", folder), "KN")
    # two communes wrote the same sentence under the stated rule (case aside); the third wrote other words
    assert "2/3 xã, thị trấn đề nghị tỉnh hỗ trợ kinh phí tập huấn mà xã chưa bố trí được; " \
           "tổng cộng 3/3 xã, thị trấn có kiến nghị" in section, section
    assert "3/3 xã, thị trấn đề nghị" not in section

    # a unit's own report: its two sentences, one letter's tone apart, are two points
    own = tmp_path / "own"
    own.mkdir()
    path = build_form(spec.load_form("bao-cao-dinh-ky"), own / f"{a.code}-bao-cao-dinh-ky-2024-H1.xlsx",
                      Content(header=corpus.header((a.code, a.name), corpus.PERIOD), unit_level="commune",
                              indicators=corpus.report_values(),
                              texts={**corpus.TEXTS, "HC": "Tăng ca trực chưa đều. Tang ca truc chua deu."},
                              saved_at=datetime(2024, 6, 12, 9)))
    hc = report_text(path, own / "xa.md")
    hc = hc[hc.index("2. Hạn chế"):]
    hc = hc[:hc.index("### 3.")]
    assert [line for line in hc.splitlines() if line.startswith("- ")] == \
        ["- Tăng ca trực chưa đều.", "- Tang ca truc chua deu."], hc


def test_the_annex_opens_with_each_sections_line_as_the_body_says_it_and_its_counts_are_in_the_check_sheet(with_own):
    """Before the units' texts, the annex says for each section how many units wrote on it and what most of them
    share: the body's own line, word for word, and every count a row of the check sheet."""
    from openpyxl import load_workbook

    base, text = with_own
    body, annex = text[:text.index("# PHỤ LỤC")], _annex(text)
    lines = annex[:annex.index("## Nội dung của từng đơn vị")].split("\n\n")
    summary = {lines[i - 1].strip("*:"): lines[i] for i in range(1, len(lines)) if lines[i - 1].startswith("*")}
    titles = {t.name: t.title for t in spec.load_form("bao-cao-dinh-ky").sheet("Đánh giá").texts}
    raw = _raw_texts()
    for code, title in titles.items():
        if code == "KN" or code not in raw:
            continue
        [line] = [x for x in body.splitlines() if x.startswith("Ở các đơn vị")
                  and x in _section_of(body, code)] if code in SECTIONS else [None]
        assert summary[title].startswith(f"{len(raw[code])}/{len(list(SAMPLE.glob('*bao-cao-dinh-ky*.xlsx')))} xã")
        if line:
            assert summary[title] == line.removeprefix("Ở các đơn vị: ").replace(
                "nội dung của từng đơn vị tại Phụ lục.", "nội dung của từng đơn vị dưới đây.")
    assert [k for k in summary if k.startswith("Kiến nghị, đề xuất với")]
    wb = load_workbook(base / "bc-doi-chieu.xlsx", read_only=True)
    rows = [r for r in wb.worksheets[0].iter_rows(values_only=True) if r and any(r)]
    head = next(i for i, r in enumerate(rows) if "Mã số liệu" in r)
    col, sec = rows[head].index("Mã số liệu"), rows[head].index(next(c for c in rows[head] if c and "Mục" in str(c)))
    annex_keys = {r[col] for r in rows[head + 1:] if str(r[sec]).startswith("Phụ lục")}
    assert {k.split(".")[0] for k in annex_keys} >= {"text", "shared", "request"}


def _section_of(body: str, code: str) -> str:
    start, stop = SECTIONS[code]
    part = body[body.index(start):]
    return part[:part.index(stop)]


@pytest.fixture(scope="module")
def direct(tmp_path_factory, thanh_hoa_2024_samples):
    """Thanh Hóa 2024-Y consolidated from raw files, without district roll-ups: the communes of thị xã Bỉm Sơn (381)
    and huyện Mường Lát (384), those two districts' own files, Sở Nội vụ's and the province's own. The communes'
    files are the run's shared 2024-Y samples' raw files (tests/support/thanhhoa.py: the same seed, the same
    bytes as `write_samples(d, "2024-Y", children=its communes)` writes), copied."""
    from dvcq.samples.sample import write_samples
    from dvcq.units.registry import load

    base = tmp_path_factory.mktemp("direct")
    folder = base / "in"
    write_samples("38", "2024-Y", folder, children=["381", "384", "38-SNV", "38"], district_rollups=False)
    raw = sorted((thanh_hoa_2024_samples / "raw-2024").iterdir())
    assert [d.name.split("-")[0] for d in raw] == ["381", "384"]
    communes = {u.code for d in ("381", "384") for u in load("legacy").children(d)}
    for path in (p for d in raw for p in d.glob("*.xlsx") if p.name.split("-")[0] in communes):
        shutil.copy(path, folder / path.name)
    result = consolidate_folder(folder, period="2024-Y", parent="38", out=base / "th.xlsx", db=base / "db.sqlite",
                                workers=1)
    write_report(result.out_path, out=base / "bc.docx", md=base / "bc.md", db=base / "db.sqlite")
    return base, folder, result, (base / "bc.md").read_text(encoding="utf-8")


def _commune_reports(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The communes' text cells by district, from the raw files: {district code: {unit name: {code: text}}}."""
    from dvcq.units.registry import load

    reg, sheet = load("legacy"), spec.load_form("bao-cao-dinh-ky").sheet("Đánh giá")
    out: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(folder.glob("*bao-cao-dinh-ky*.xlsx")):
        unit = reg.get(path.name.split("-")[0])
        if unit is None or unit.level != "commune":
            continue
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.name).to_python()
        texts = {}
        for t in sheet.texts:
            row, col = spec.split_cell(sheet.text_cell(t.name))
            value = grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else ""
            if str(value).strip():
                texts[t.name] = str(value).strip()
        out.setdefault(unit.parent_code, {})[unit.name] = texts
    return out


def test_a_province_consolidating_communes_directly_names_them_by_district(direct):
    """The communes of a three-tier period a province receives directly are grouped under their district, named
    once as level and district: in the console's list of who sent nothing, in each section's line, in the annex;
    the counts are recomputed from the raw cells."""
    from dvcq.units.registry import load

    from tests.documents.test_checksheet import close
    from tests.support.rawfigures import Folder, read_check

    base, folder, result, text = direct
    reg = load("legacy")
    raw = _commune_reports(folder)
    assert set(raw) == {"381", "384"}
    sent = {p.name.split("-")[0] for p in folder.glob("*.xlsx")}
    for line in result.missing_lists():  # "Xã, thị trấn của huyện Quan Hóa", never "Xã, phường, thị trấn - Huyện …"
        assert " - " not in line.title, line.title
        if " của " in line.title:
            kinds, district = line.title.split(" của ")
            [d] = [d for d in reg.children("38") if d.running_name == district]
            missing = [u for u in reg.children(d.code) if u.code not in sent]
            assert set(kinds.lower().split(", ")) == {u.kind.lower() for u in missing}
            assert line.total == len(missing)
    body, annex = text[:text.index("# PHỤ LỤC")], _annex(text)
    lines = [x for x in body.splitlines() if x.startswith("Ở các đơn vị")]
    assert lines
    for code in ("LD", "KQ", "HC"):
        want = "; ".join(f"{len([u for u in raw[d].values() if code in u])}/{len(raw[d])} đơn vị cấp xã của "
                         f"{reg.get(d).running_name}" for d in ("381", "384"))
        [line] = [x for x in lines if x.startswith("Ở các đơn vị") and want in x and x in _body_section(body, code)]
        assert "2/2 cấp huyện" in line
    for d in ("381", "384"):  # the annex: each district's communes under one heading, naming it once
        part = annex.split(f"## Các đơn vị cấp xã của {reg.get(d).running_name}\n")[1].split("\n## ")[0]
        assert re.findall(r"^### (.+)$", part, flags=re.M) == \
            [u.name for u in sorted(reg.children(d), key=lambda u: u.code) if u.name in raw[d]]
    groups = {u.code: "territorial" for u in reg.communes_under("38")}
    groups.update({u.code: "middle" for u in reg.children("38")}, **{"38-SNV": "department", "38": "own"})
    expected = {"territorial": len(reg.communes_under("38")), "middle": len(reg.children("38")), "department": 1,
                "own": 1}
    figures = Folder(folder, "2024-Y", "38", groups, expected, {})
    rows, _, _ = read_check(base / "bc-doi-chieu.xlsx")
    keys = [r for r in rows if r["Mã số liệu"].split(".")[0] in ("text", "shared", "request")]
    assert {r["Mã số liệu"].split(".")[0] for r in keys} == {"text", "shared", "request"}
    for r in keys:
        assert close(r["Giá trị"], figures.expected(r["Mã số liệu"])), (r["Mã số liệu"], r["Giá trị"])


def test_a_count_of_districts_says_what_it_counts_when_they_need_not_send_the_form(direct):
    """A province receiving communes directly: the districts' own rows must send a plan only, so the periodic
    report's figures count the districts that sent one as a count of those ("2 cấp huyện có gửi báo cáo định kỳ (không
    bắt buộc)"), never "2/2 cấp huyện" beside the ledger's "2/26 cấp huyện", which counts the districts that sent at
    least one form out of every district. Both recomputed from the raw files' header cells and the registry."""
    base, folder, result, text = direct
    sent, districts, communes, bodies = _direct_units(folder)
    reporting = [d for d in districts if "bao-cao-dinh-ky" in sent.get(d, ())]
    assert len(reporting) == 2 < len(districts)
    body = text[:text.index("# PHỤ LỤC")]
    optional = f"{len(reporting)} cấp huyện có gửi báo cáo định kỳ (không bắt buộc)"
    c_sent = len([c for c in communes if "bao-cao-dinh-ky" in sent.get(c, ())])
    b_sent = len([b for b in bodies if "bao-cao-dinh-ky" in sent.get(b, ())])
    assert (f"Số liệu tổng hợp từ báo cáo hợp lệ của {c_sent}/{len(communes)} xã, phường, thị trấn, {optional} và "
            f"{b_sent}/{len(bodies)} sở, ban, ngành;") in body
    assert f"Theo báo cáo của {c_sent}/{len(communes)} xã, phường, thị trấn, {optional} và " in body
    # (a section's line counts the districts that wrote on it over those whose report is in, under its opening
    # "Ở các đơn vị đã có báo cáo (…)", and a count of units that did something over those "(có báo cáo)": both say so)
    figures = "\n".join(x for x in body.splitlines() if not x.startswith("Ở các đơn vị đã có báo cáo"))
    figures = re.sub(r"[^.]*\(có báo cáo\)[^.]*", "", figures)
    assert not re.search(r"\b(\d+)/\1 cấp huyện\b", figures), "a count of districts over themselves"
    any_form = lambda codes: len([c for c in codes if sent.get(c)])  # noqa: E731
    assert (f"Có {any_form(communes)}/{len(communes)} xã, phường, thị trấn, {any_form(districts)}/{len(districts)} "
            f"cấp huyện và {any_form(bodies)}/{len(bodies)} sở, ban, ngành đã nộp ít nhất một biểu") in body


def test_the_list_of_units_that_sent_nothing_counts_by_district_and_the_annex_names_them_all(direct):
    """Thanh Hóa 2024-Y received directly: the body's list of units that sent nothing is too long, so it counts the
    districts' communes district by district; the counts (and "và N đơn vị khác") add up to the units that sent
    nothing, each district's count to its communes that sent nothing, and the annex names every one of them. The
    districts' own rows that sent nothing are a group, 'cấp huyện', in both (they were in 'và N đơn vị khác' and the
    annex's first line, unheaded), and each annex line starts with a capital ('- Thành phố Thanh Hóa: …', not '-
    thành phố …'). All from the files' header cells and the registry."""
    from dvcq.calendar.periods import parse
    from dvcq.units.registry import load

    base, folder, result, text = direct
    reg, period = load("legacy"), parse("2024-Y")
    sent = set()
    for path in folder.glob("*.xlsx"):
        form = spec.load_form(next(f for f in spec.FORM_IDS if f in path.name))
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(form.main.name).to_python()
        row, col = spec.split_cell(form.header_cell("unit_code"))
        sent.add(str(grid[row - 1][col - 1]))
    expected = [u for u in reg.communes_under("38")] + list(reg.children("38")) + list(reg.bodies("38", period))
    missing = [u for u in expected if u.code not in sent]
    body, annex = text[:text.index("# PHỤ LỤC")], text[text.index("# PHỤ LỤC"):]
    [line] = [x for x in body.splitlines() if x.startswith("Có ") and "ít nhất một biểu" in x]
    listed = line.split("Chưa nộp: ")[1].rstrip(".")
    counted = 0
    own_rows = [u for u in missing if u.level == "district"]  # the districts' own rows: a group, 'cấp huyện'
    assert own_rows
    bodies = [u for u in missing if u.level == "department"]  # the sở: a group, 'sở, ban, ngành', named or counted
    if listed.startswith("sở, ban, ngành: "):
        named = listed.split("; ", 1)[0].removeprefix("sở, ban, ngành: ").split(", ")
        assert named == [u.running_name for u in bodies], listed
        counted += len(named)
    for district, n in re.findall(r"(?:^|, )(sở, ban, ngành|[^,(;:]+?) \(([\d.]+)\)", listed):
        if district == "sở, ban, ngành":
            assert int(n.replace(".", "")) == len(bodies), listed
        elif district == "cấp huyện":
            assert int(n.replace(".", "")) == len(own_rows), listed
        else:
            [d] = [d for d in reg.children("38") if d.running_name == district]
            assert int(n.replace(".", "")) == len([u for u in missing if u.parent_code == d.code]), district
        counted += int(n.replace(".", ""))
    assert re.search(r"(^|; |, )cấp huyện[ :(]", listed), listed  # named as a group, not in 'và N đơn vị khác'
    more = re.search(r"và ([\d.]+) [^,]+ khác$", listed)
    assert counted and more, listed
    assert counted + int(more.group(1).replace(".", "")) == len(missing), listed
    full = annex[annex.index("Các đơn vị chưa nộp biểu"):].splitlines()[1:]
    lines = [x[2:] for x in full if x.startswith("- ")]
    names = [n for x in lines for n in x.rstrip(".").split(": ")[-1].split(", ")]
    assert sorted(names) == sorted(u.running_name for u in missing)
    assert all(x[:1] == x[:1].upper() for x in lines), lines  # each line begins with a capital, as the annex's lists
    assert bodies and lines[0].rstrip(".") == f"Sở, ban, ngành: {', '.join(u.running_name for u in bodies)}", lines[0]
    [districts] = [x for x in lines if x.startswith("Cấp huyện: ")]
    assert districts.rstrip(".").split(": ")[1].split(", ") == [u.running_name for u in own_rows]


def _body_section(body: str, code: str) -> str:
    start, stop = SECTIONS[code]
    part = body[body.index(start):]
    return part[:part.index(stop)]


def test_a_template_folder_without_the_shared_macros_uses_the_defaults_and_a_missing_one_is_named(tmp_path):
    """The line over the units lives in muc.md.j2, which the report and its annex import: a template folder holding
    only its own noi-dung.md.j2 takes it from the default templates; a file imported from nowhere is named, in
    Vietnamese, without a traceback."""
    from dvcq.documents.narrative import render_text
    from dvcq.errors import UserError
    from dvcq.resources import templates_dir

    folder = tmp_path / "mau rieng"
    folder.mkdir()
    (folder / "noi-dung.md.j2").write_text('{% from "muc.md.j2" import units_line %}có {{ units_line is defined }}',
                                          encoding="utf-8")
    context = type("C", (), {"variables": lambda self: {}})()
    assert render_text(context, folder).strip() == "có True"
    assert not (folder / "muc.md.j2").exists() and (templates_dir() / "report" / "muc.md.j2").exists()
    (folder / "noi-dung.md.j2").write_text('{% from "khong-co.md.j2" import x %}', encoding="utf-8")
    with pytest.raises(UserError, match="không tìm thấy tệp mẫu «khong-co.md.j2»"):
        render_text(context, folder)


def test_a_quoted_sentence_keeps_a_capital_only_where_it_opens_a_name():
    """The issuer's line quotes a shared sentence in lower case ('10/14 xã: thời tiết …'). A capital stays where the
    sentence opens a name: an acronym, a name or title of TITLE_OPENINGS (Mặt trận, Nhân dân, Chủ tịch), or a second
    word capitalised (Hội Nông dân, Luật Đất đai, a place). A common word loses it even where the units capitalise it
    inside a name elsewhere: the Thanh Hóa report printed '7/17 đơn vị: Thực hiện tốt Luật Thực hiện dân chủ …' and
    '10/23 đơn vị: Công tác tuyên truyền …' (the old rule kept any word seen capitalised inside a sentence)."""
    assert in_sentence("Thực hiện tốt Luật Thực hiện dân chủ ở cơ sở năm 2022.") == \
        "thực hiện tốt Luật Thực hiện dân chủ ở cơ sở năm 2022"
    assert in_sentence("Công tác tuyên truyền ở một số thôn vùng sâu còn hạn chế.") == \
        "công tác tuyên truyền ở một số thôn vùng sâu còn hạn chế"
    assert in_sentence("Thời tiết diễn biến phức tạp.") == "thời tiết diễn biến phức tạp"
    assert in_sentence("Các UBND xã ban hành kế hoạch.") == "các UBND xã ban hành kế hoạch"  # an acronym second: common
    for kept in ("UBND ban hành kế hoạch", "Mặt trận và các đoàn thể giám sát bộ phận một cửa",
                 "Nhân dân đồng tình, hưởng ứng", "Chủ tịch UBND duy trì tiếp công dân định kỳ",
                 "Hội Nông dân xã phối hợp tuyên truyền", "Luật Đất đai năm 2024 được phổ biến",
                 "Xuân Du hoàn thành mô hình"):
        assert in_sentence(kept + ".") == kept
    # a title spelt with the old tone placement, or typed decomposed (NFD), is still a title
    for kept in ("Uỷ ban nhân dân xã chỉ đạo quyết liệt", unicodedata.normalize("NFD", "Mặt trận giám sát")):
        assert in_sentence(kept + ".") == kept
    assert "Mặt trận" in TITLE_OPENINGS and {"Thực", "Thực hiện", "Công", "Công tác", "Bộ"}.isdisjoint(TITLE_OPENINGS)


def test_the_rollout_and_the_targets_say_which_units_they_count(direct):
    """Thanh Hóa 2024-Y received directly: the rollout's 'N/M đơn vị đã ra mắt' counts the units on the Lộ trình of the
    plans that came in and says whose plans ('có tên trong lộ trình của các kế hoạch đã nộp (15/549 xã, phường, thị
    trấn, 2/26 cấp huyện và cấp tỉnh)'); each target line's 'N/M đơn vị có chỉ tiêu' counts over the units whose
    periodic report has the figure, said in the line and, with who they are, in the section's opening. The old text:
    '16/17 đơn vị đã ra mắt' and '6/18 đơn vị có chỉ tiêu', two bases without names. Counts from the files' header
    cells and the registry."""
    base, folder, result, text = direct
    sent, districts, communes, bodies = _direct_units(folder)
    with_form = lambda codes, f: len([c for c in codes if f in sent.get(c, ())])  # noqa: E731
    body = text[:text.index("# PHỤ LỤC")]
    plans = (f"{with_form(communes, 'ke-hoach')}/{len(communes)} xã, phường, thị trấn, "
             f"{with_form(districts, 'ke-hoach')}/{len(districts)} cấp huyện và cấp tỉnh")
    assert "ke-hoach" in sent["38"]
    [rollout] = re.findall(r"theo kế hoạch: (\d+)/(\d+) đơn vị có tên trong lộ trình của các kế hoạch đã nộp \((.+?)"
                           r"; số liệu đến (?:ngày|các ngày từ) (\d\d/\d\d/\d{4})(?: đến (\d\d/\d\d/\d{4}))?\) đã ra mắt", body)
    assert rollout[2] == plans and int(rollout[0]) <= int(rollout[1])  # and up to which day, as the sheet says
    reports = sum(with_form(codes, "bao-cao-dinh-ky") for codes in (communes, districts, bodies, ["38"]))
    opening = ("Số đơn vị có chỉ tiêu tính trên các đơn vị có số liệu của chỉ tiêu đó trong báo cáo định kỳ hợp lệ ("
               f"{with_form(communes, 'bao-cao-dinh-ky')}/{len(communes)} xã, phường, thị trấn, "
               f"{with_form(districts, 'bao-cao-dinh-ky')} cấp huyện có gửi báo cáo định kỳ (không bắt buộc) và "
               f"{with_form(bodies, 'bao-cao-dinh-ky')}/{len(bodies)} sở, ban, ngành).")
    assert opening in body
    counts = re.findall(r"(\d+)/(\d+) đơn vị có (số liệu trong báo cáo định kỳ có )?chỉ tiêu", body)
    assert counts
    for n, of, said in counts:
        assert said and int(n) <= int(of) <= reports, (n, of)


def _direct_units(folder):
    """The Thanh Hóa 2024-Y direct set as the raw files say it: each unit code's forms (from each file's header cell),
    and the registry's districts, communes and bodies of the province."""
    from dvcq.calendar.periods import parse
    from dvcq.units.registry import load

    reg, period = load("legacy"), parse("2024-Y")
    sent: dict[str, set[str]] = {}  # unit code -> the forms it sent, from each file's header cell
    for path in folder.glob("*.xlsx"):
        form = spec.load_form(next(f for f in spec.FORM_IDS if f in path.name))
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(form.main.name).to_python()
        row, col = spec.split_cell(form.header_cell("unit_code"))
        sent.setdefault(str(grid[row - 1][col - 1]), set()).add(form.id)
    return (sent, [u.code for u in reg.children("38")], [u.code for u in reg.communes_under("38")],
            [b.code for b in reg.bodies("38", period)])


def test_past_three_districts_a_sections_line_counts_their_communes_together(tmp_path):
    """A province receiving four districts' roll-ups: each section's line counted the communes district by district
    ("1/2 đơn vị cấp xã của huyện A; 2/2 … của huyện B; …", 26 counts in every section of Thanh Hóa's 2025-Y report);
    past DISTRICTS_COUNTED districts it counts them together, "N/M đơn vị cấp xã của các huyện, …" (N the communes
    with a text in the section, M those with a periodic report, from the raw files of every district), the annex
    still naming each unit's text under its district. The check sheet's keys text.<code>.districts.* are recomputed
    by tests/support/rawfigures.py (test_checksheet)."""
    from dvcq.documents import sections
    from dvcq.samples.sample import write_samples
    from dvcq.units.registry import load

    reg = load("legacy")
    districts = sorted(reg.children("38"), key=lambda d: d.code)[:4]
    assert len(districts) > getattr(sections, "DISTRICTS_COUNTED", 3)
    up = tmp_path / "tỉnh"
    up.mkdir()
    raw = tmp_path / "raw"
    for d in districts:
        kids = [u.code for u in reg.children(d.code)[:2]]
        write_samples(d.code, "2024-Y", raw / d.code, seed=9, children=kids + [d.code])
        consolidate_folder(raw / d.code, parent=d.code, period="2024-Y", out=up / f"tong-hop-{d.code}.xlsx",
                           db=tmp_path / "db.sqlite", workers=1)
    result = consolidate_folder(up, parent="38", period="2024-Y", out=tmp_path / "th.xlsx", db=tmp_path / "db.sqlite",
                                workers=1)
    text = report_text(result.out_path, tmp_path / "bc.md", db=tmp_path / "db.sqlite")
    reports = {code: units for d in districts for code, units in _commune_reports(raw / d.code).items()}
    body = text[:text.index("# PHỤ LỤC")]
    for code in ("LD", "KQ"):
        wrote = sum(1 for units in reports.values() for texts in units.values() if texts.get(code))
        of = sum(len(units) for units in reports.values())
        line = next(x for x in _body_section(body, code).splitlines() if x.startswith("Ở các đơn vị"))
        assert re.search(rf"(: |; ){wrote}/{of} đơn vị cấp xã của các [^;]+ nêu nội dung này", line), line
        assert not any(f"của {d.running_name}" in line.split(" nêu nội dung này")[0] for d in districts), line
    annex = text[text.index("# PHỤ LỤC"):]
    assert all(d.running_name in annex for d in districts)
