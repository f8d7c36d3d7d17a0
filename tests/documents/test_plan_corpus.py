"""The plan importer measured on the corpus of tests/documents/plans/corpus (issue 25 §6): twenty plans written
by hand in the shapes portals publish them, as text, Word files with the decree's header table, PDFs with a
text layer and one scanned PDF, each with hand counts in expected.json (its README says how they were
counted; nothing there was computed by the importer).

What is measured, over every readable file of the corpus:
- header fields (issuer, level, number, place, date, year, subject line): at least 98% right;
- tasks placed with the right body (the lead the task names, or the body "Tổ chức thực hiện" gives it by
  number) and the right deadline (the same date, term or words): at least 95%;
- no paragraph lost: every line of the plan's body (from "KẾ HOẠCH" to the closing, headings aside) is found in
  the cells of the workbook `dvcq plan --import` writes, read back with python-calamine, on some sheet or on
  "Chưa xếp được";
- the issuer's unit found whenever the text names it, in the registry of the era the plan was written in.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from python_calamine import CalamineWorkbook

from dvcq.documents.planbook import TARGETS, UNPLACED, import_plan
from dvcq.documents.planimport import read_plan
from dvcq.documents.planwriter import write_plan
from dvcq.errors import UserError
from dvcq.forms.plandoc import parse_deadline
from dvcq.forms.spec import PLAN, REPORT, load_form
from dvcq.intake.validate import validate_file
from dvcq.text import fold, nfc

CORPUS = Path(__file__).resolve().parent / "plans" / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
HEADER_FIELDS = ("issuer", "level", "number", "place", "date", "year", "title")
SCAN = "plans/21_xa-can-khe_2024_scan.pdf"


def _resolve(key: str) -> dict:
    entry = EXPECTED[key]
    if "same_as" not in entry:
        return entry
    return {**EXPECTED[entry["same_as"]], **entry}


FILES = {key: _resolve(key) for key in sorted(EXPECTED) if key != SCAN}
# Hand counts corrected after reading the text (the corpus keeps its own values; the test states why it differs):
# none so far.


@pytest.fixture(scope="module")
def docs():
    return {key: read_plan(CORPUS / key) for key in FILES}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return {key: import_plan(CORPUS / key, out / (Path(key).name.replace(".", "-") + ".xlsx")) for key in FILES}


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return nfc(str(a or "")) == nfc(str(b or ""))
    return a == b


def test_corpus_is_complete():
    formats = [e["format"] for e in FILES.values()]
    assert (formats.count("txt"), formats.count("docx"), formats.count("pdf")) == (20, 9, 7)
    assert sum(1 for p in (CORPUS / "plans").iterdir()) == 37
    # the generated files are committed: the tests need no LibreOffice; under ~1.5 MB in all
    assert sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file()) < 1_600_000


def test_header_fields_at_least_98_percent(docs):
    wrong, total = [], 0
    for key, e in FILES.items():
        h = docs[key].header
        got = {"issuer": h.issuer, "level": h.level, "number": h.number, "place": h.place,
               "date": h.date.isoformat() if h.date else None, "year": h.year, "title": h.title}
        for f in HEADER_FIELDS:
            total += 1
            if not _same(got[f], e["header"][f]):
                wrong.append(f"{key} {f}: {got[f]!r}, expected {e['header'][f]!r}")
    right = 1 - len(wrong) / total
    assert total == 36 * len(HEADER_FIELDS)
    assert right >= 0.98, f"{right:.1%} of {total} header fields right:\n" + "\n".join(wrong)


def _task_id(group: str, number: str) -> str:
    """The corpus's id of a task: "2" ungrouped, "1.1" as written, "4.a" lettered (its README)."""
    if not group or "." in number:
        return number
    return f"{group}.{number}"


def _deadline_right(got, want: str) -> bool:
    if not want:
        return got is None or not got.text
    if got is None:
        return False
    a, b = parse_deadline(want), got
    if a.due or a.term:
        return (a.due, a.term, a.year, a.part) == (b.due, b.term, b.year, b.part)
    return fold(a.text) == fold(b.text)


def test_tasks_placed_with_their_body_and_deadline_at_least_95_percent(docs):
    wrong, total = [], 0
    for key, e in FILES.items():
        doc = docs[key]
        assigned = {t: r["body"] for r in e["responsibilities"] for t in r["tasks"]}
        got = list(doc.tasks)
        total += max(len(e["tasks"]), len(got))
        extra = max(0, len(got) - len(e["tasks"]))
        wrong += [f"{key}: {extra} task(s) more than the plan has"] * extra
        for t in e["tasks"]:
            found = next((g for g in got if g.number == t["number"] and nfc(" ".join(g.content.split())).startswith(
                nfc(t["starts"])) and (not t["group"] or g.group_number == t["group"])), None)
            lead = t["lead"] or assigned.get(_task_id(t["group"], t["number"]), "")
            if found is None:
                wrong.append(f"{key} task {t['number']} «{t['starts']}»: not found")
            elif not _same(found.lead, lead):
                wrong.append(f"{key} task {t['number']}: lead {found.lead!r}, expected {lead!r}")
            elif not _deadline_right(found.deadline, t["deadline"]):
                wrong.append(f"{key} task {t['number']}: deadline {found.deadline}, expected {t['deadline']!r}")
    right = 1 - len(wrong) / total
    assert total > 150
    assert right >= 0.95, f"{right:.1%} of {total} tasks right:\n" + "\n".join(wrong)


def test_structure_matches_the_hand_counts(docs):
    """Sections as written, purposes and requirements, groups, bases, bodies, funding, rollout, footer."""
    wrong, total = [], 0

    def check(key, what, got, want):
        nonlocal total
        total += 1
        if got != want:
            wrong.append(f"{key} {what}: {got!r}, expected {want!r}")

    for key, e in FILES.items():
        doc = docs[key]
        check(key, "sections", [(s.number, nfc(s.title), s.kind) for s in doc.sections],
              [(s["number"], nfc(s["title"]), s["kind"]) for s in e["sections"]])
        check(key, "purposes", (len(doc.purposes), len(doc.requirements)), (e["purposes"], e["requirements"]))
        check(key, "groups", [len(g.tasks) for g in doc.groups], [g["tasks"] for g in e["groups"]])
        check(key, "bases", [(b.kind, b.number, b.date.isoformat() if b.date else None, nfc(b.issuer))
                             for b in doc.bases],
              [(b["kind"], b["number"], b["date"], nfc(b["issuer"])) for b in e["bases"]])
        check(key, "bodies", [(nfc(r.body), r.verb) for r in doc.responsibilities],
              [(nfc(r["body"]), r["verb"]) for r in e["responsibilities"]])
        check(key, "funding", doc.funding.amount if doc.funding else None,
              e["funding"]["amount"] if e["funding"] else None)
        check(key, "rollout", [(r.year, r.count) for r in doc.rollout if r.count],
              [(r["year"], r["count"]) for r in e["rollout"]])
        check(key, "footer", (bool(doc.closing), len(doc.recipients), list(doc.signature), doc.signer),
              (e["closing"], e["recipients"], e["signature"], e["signer"]))
    right = 1 - len(wrong) / total
    assert right >= 0.95, f"{right:.1%} of {total} parts right:\n" + "\n".join(wrong)


# --- no paragraph lost ---------------------------------------------------------------------------

def _shown(v) -> list[str]:
    """A cell's value as a plan writes it: a date in its ways (26/11/2021, 14/7/2015, 16 tháng 6 năm 2025)."""
    if isinstance(v, (date, datetime)):
        return [f"{v.day}/{v.month}/{v.year}", f"{v.day:02d}/{v.month:02d}/{v.year}", f"{v.day:02d}/{v.month}/{v.year}",
                f"{v.day} tháng {v.month} năm {v.year}"]
    if isinstance(v, float):
        return [f"{v:.0f}" if v.is_integer() else str(v)]
    return [str(v)] if v not in ("", None) else []


def _cell_texts(path: Path) -> list[str]:
    """Every cell of every sheet as text, and each legal basis of the sheet "Kế hoạch" as a citation again from
    its cells ("Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về ...")."""
    out = []
    book = CalamineWorkbook.from_path(str(path))
    titles = [f.title for f in load_form(PLAN).sheet("Kế hoạch").fields]
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        for row in rows:
            for v in row:
                out += _shown(v)
        if name != "Kế hoạch":
            continue
        top = next(i for i, row in enumerate(rows) if titles[1] in row)
        col = {t: rows[top].index(t) for t in titles}
        for row in rows[top + 1:]:
            kind, number, when, who, about = (row[col[t]] for t in titles[1:6])
            if kind:
                for day in _shown(when) or [""]:
                    out.append(f"{kind} số {number} ngày {day} của {who} về {about}")
                    out.append(f"{kind} {about} ngày {day}")
    return out


# a field's label, whose value the workbook keeps in its column ("Thời gian thực hiện: Quý I/2024" -> "Quý I/2024")
_LABELS = re.compile(r"(?:\b(?:thời\s+)?gian|\bthời hạn|\b(?:cơ quan\s+)?(?:chủ trì|phối hợp))(?:\s+(?:thực hiện|"
                     r"hoàn thành))?\s*:|[()]", re.IGNORECASE)


def _grams(words: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


_HEADING = re.compile(r"^\s*(?:(?:PHẦN|Phần)\s+[IVX]+|[IVX]+\s*[.\-–:]|[A-H]\.)\s*\S")


def _body_lines(e: dict) -> list[str]:
    """The lines of a plan's body in its hand-written source: from "KẾ HOẠCH" to the closing ("./."), without
    the section headings, the group titles and "KẾ HOẠCH" itself (structure, not text)."""
    name = Path(e.get("same_as", "")).name or None
    source = CORPUS / "sources" / (name or "")
    lines = source.read_text(encoding="utf-8").splitlines()
    start = next(i for i, s in enumerate(lines) if fold(s) == "ke hoach")
    end = next(i for i, s in enumerate(lines) if s.rstrip().endswith("./."))
    groups = {fold(g["title"]) for g in e["groups"] if g["title"]}
    out = []
    for s in lines[start + 1:end + 1]:
        text = nfc(s)
        plain = fold(re.sub(r"^\s*\d+(?:\.\d+)*\.\s*", "", text))
        if not text or _HEADING.match(text) or plain in groups or plain in ("muc dich", "yeu cau") \
                or (plain.startswith(("lo trinh", "kinh phi")) and len(plain) < 60):
            continue
        out.append(text)
    return out


def test_no_paragraph_lost(imported):
    """Every line of each plan's body lands in a cell of the imported workbook: at least half of its word
    triples are in some cell (a line of six words or fewer: its words are), a field's label aside ("Thời gian:",
    whose value has a column); a lost paragraph has none of its own."""
    lost, lines = [], 0
    for key, e in FILES.items():
        e = {**e, "same_as": EXPECTED[key].get("same_as", key)}
        cells = _cell_texts(imported[key].path)
        grams = set().union(*(_grams(fold(c).split()) for c in cells))
        words = {w for c in cells for w in fold(c).split()}
        for line in _body_lines(e):
            lines += 1
            ws = fold(_LABELS.sub(" ", line)).split()
            mine = _grams(ws)
            found = len(mine & grams) >= 0.5 * len(mine) or (len(ws) <= 6 and all(w in words for w in ws))
            if not found:
                lost.append(f"{key}: «{line}»")
    assert lines > 700
    assert not lost, f"{len(lost)} of {lines} lines on no sheet:\n" + "\n".join(lost)


def test_unplaced_paragraphs_say_why(imported):
    """What the importer could not place is on "Chưa xếp được", each with its line and a reason."""
    for key, r in imported.items():
        if not r.unplaced:
            continue
        sheet = CalamineWorkbook.from_path(str(r.path)).get_sheet_by_name(UNPLACED).to_python()
        top = next(i for i, row in enumerate(sheet) if "Nội dung chưa xếp được" in row)
        rows = [row for row in sheet[top + 1:] if isinstance(row[0], float)]
        assert len(rows) == r.unplaced and rows, key
        for row in rows:
            assert isinstance(row[0], float) and row[1] and row[2], (key, row)


# --- the issuer ----------------------------------------------------------------------------------

def test_issuer_found_whenever_the_text_names_it(imported):
    """Every plan of the corpus names its issuer (in the header, or only in its body: 05, 13); its unit is found
    in the registry of the era the plan was written in: Bắc Kạn's plan of 16/01/2025 (merged on 1/7/2025) in
    the three-tier registry, xã Như Thanh's of 7/2025 in the two-tier one (16228 is another unit before)."""
    wrong = []
    for key, e in FILES.items():
        unit = imported[key].unit
        want = e["header"]["unit_code"]
        if unit is None or unit.code != want or unit.era != ("legacy" if e["era"] == "legacy" else "2025"):
            wrong.append(f"{key}: {unit}, expected {want} ({e['era']})")
    assert not wrong, "\n".join(wrong)


def test_period_from_the_title_or_the_date_never_the_clock(imported):
    want = {"01": "2025-Y", "05": "2024-H2", "06": "2025-Y", "12": "2025-H2", "13": "2023-Y", "14": "2026-Y",
            "19": "2025-H2", "20": "2026-Y"}
    for key, r in imported.items():
        number = Path(key).name[:2]
        if number in want:
            assert r.period.code == want[number], key
        assert r.period.year == FILES[key]["period"]["from"], key


def test_imported_workbooks_validate(imported):
    """The workbooks hold what the forms allow: no error, the unit and period as imported."""
    for key in ("plans/01_tinh-bac-kan_2025.txt", "plans/06_xa-tan-phong_2025.txt", "plans/12_xa-nhu-thanh_2025.pdf",
                "plans/17_dac-khu-ly-son_2026.docx", "plans/20_tinh-tuyen-quang_2026.pdf"):
        r = imported[key]
        result = validate_file(r.path)
        assert not result.errors, (key, [(i.location, i.message) for i in result.errors])
        assert (result.unit_code, result.period) == (r.unit.code, r.period.code)


# --- PDF, no task part --------------------------------------------------------------------------

def test_scanned_pdf_is_told_in_vietnamese():
    with pytest.raises(UserError, match="«21_xa-can-khe_2024_scan.pdf» là PDF quét .* không có lớp chữ"):
        read_plan(CORPUS / SCAN)


@pytest.mark.parametrize("key", ["plans/17_dac-khu-ly-son_2026.txt", "plans/17_dac-khu-ly-son_2026.docx",
                                 "plans/19_xa-thai-hoa_2025.txt"])
def test_a_plan_without_tasks_keeps_what_it_has(imported, key):
    """Header, bases, purposes and requirements are imported; the notes say that no task was found."""
    r, e = imported[key], FILES[key]
    assert r.tasks == 0 and r.document.groups == ()
    assert [b.number for b in r.document.bases] == [b["number"] for b in e["bases"]]
    assert (len(r.document.purposes), len(r.document.requirements)) == (e["purposes"], e["requirements"])
    assert any("Không tìm thấy nhiệm vụ" in n for n in r.notes)
    book = CalamineWorkbook.from_path(str(r.path))
    head = [v for row in book.get_sheet_by_name("Kế hoạch").to_python() for v in row]
    assert e["header"]["number"] in head and nfc(e["header"]["title"]) in [nfc(str(v)) for v in head]


# --- targets (issue 26 §5) -------------------------------------------------------------------------

# The targets of the corpus's expected.json that an indicator of the periodic report measures, read by hand:
# rate of files settled on time CC06, of files filed online CC09, of procedures fully online CC15, satisfaction
# CC11, complaints resolved TD13, mediation HG03, dialogues TD17. Left out on purpose: targets for each unit
# below the issuer ("mỗi huyện ... ít nhất 01 mô hình", 01; "UBND các xã ... ít nhất 01 lần", 13), targets no
# indicator measures (02 "thủ tục được công khai", 07 "tin, bài", 08 "vụ việc được tiếp nhận", 15 "Trung tâm ...
# vận hành ổn định", 11 "kiến nghị của cử tri") and the rollout's 100% (it is the sheet Lộ trình's target).
TARGETS_BY_HAND = {
    "01": {"CC15": 100, "CC06": 98, "CC11": 90},
    "02": {"CC09": 50, "TD13": 85},
    "03": {"TD17": 1},
    "04": {"CC06": 100},
    "08": {"HG03": 80},
    "11": {"CC09": 100, "CC11": 90},  # "tỷ lệ hồ sơ thủ tục hành chính trực tuyến toàn trình": files, not procedures
    "12": {"CC06": 100, "CC09": 70},
    "13": {"TD13": 90},
    "14": {"CC11": 95},
    "15": {"CC15": 100, "CC11": 85},
    "16": {"TD13": 100},
    "18": {"CC06": 100, "CC11": 95},
    "20": {"CC15": 100, "CC09": 80, "CC11": 90},
}


def test_targets_picked_onto_the_sheet(imported):
    titles = {i.title: i.code for i in load_form(REPORT).targetable}
    for key, r in imported.items():
        rows = [row for row in CalamineWorkbook.from_path(str(r.path)).get_sheet_by_name(TARGETS).to_python()
                if row and row[0] in titles]
        got = {titles[row[0]]: row[1] for row in rows}
        assert got == TARGETS_BY_HAND.get(Path(key).name[:2], {}), key
        assert all(row[2] == r.period.year for row in rows), key  # no target here names a year of its own
        assert all(row[3] for row in rows), key  # the plan's words beside each
        if rows:
            assert any(f"{len(rows)} chỉ tiêu" in n for n in r.notes)


def test_targets_are_kept_for_the_report(imported):
    """The plan's targets reach its summary, as dvcq.intake.checks reads the sheet: a rate in its scale."""
    r = imported["plans/01_tinh-bac-kan_2025.txt"]
    result = validate_file(r.path)
    assert {c: t.value for c, t in result.summary.targets.items()} == {"CC15": 1.0, "CC06": 0.98, "CC11": 90}


# --- what the text does not say ------------------------------------------------------------------

NO_ISSUER = """KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2024

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức.
II. NHIỆM VỤ
1. Tuyên truyền Chỉ thị số 33/CT-TTg. Thời gian: Quý I/2024.
"""


def test_an_issuer_the_text_does_not_name_is_the_one_cell_to_fill(tmp_path):
    """The import says so and names the cell; `dvcq plan` then names that one cell, not a list of errors."""
    source = tmp_path / "ke hoạch không đơn vị.txt"
    source.write_text(NO_ISSUER, encoding="utf-8")
    r = import_plan(source)
    assert r.unit is None and r.period.code == "2024-Y"
    assert any("văn bản không nêu cơ quan ban hành" in n and "Kế hoạch!C4" in n for n in r.notes)
    with pytest.raises(UserError, match=r"\(Kế hoạch!C4: Chưa ghi mã đơn vị\.\)"):
        write_plan(r.path)
    assert [i.location for i in validate_file(r.path).errors] == ["Kế hoạch!C4"]


def test_a_period_the_text_does_not_name_is_asked_for(tmp_path):
    """No year in the title, no date: the import asks for --period instead of taking the computer's year."""
    source = tmp_path / "ke-hoach.txt"
    source.write_text(NO_ISSUER.replace(" năm 2024", "").replace("/2024", ""), encoding="utf-8")
    with pytest.raises(UserError, match="Không xác định được kỳ của kế hoạch «ke-hoach.txt».*--period"):
        import_plan(source)
    assert import_plan(source, period="2024-H1").period.code == "2024-H1"


# --- the documents written from the imported workbooks ----------------------------------------------

def _docx_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in (c for row in table.rows for c in row.cells):
            out += [p.text for p in cell.paragraphs]
    return [" ".join(t.split()) for t in out if t.strip()]


def test_documents_written_from_imported_plans_print_what_the_plans_say(imported, tmp_path):
    """`dvcq plan` on the imported workbooks prints the header, subject line and bases as the plans have them,
    a steering committee's header and signature as its own, a deadline in the plan's words, the recipients of
    the unit's own era (Bắc Kạn, merged on 1/7/2025, still has its province's recipients)."""
    texts = {}
    for number, key in (("01", "plans/01_tinh-bac-kan_2025.pdf"), ("06", "plans/06_xa-tan-phong_2025.txt"),
                        ("07", "plans/07_huyen-vi-xuyen_2024.docx")):
        written = write_plan(imported[key].path, tmp_path / f"{number}.docx")
        texts[number] = _docx_text(written.docx)
    one = texts["01"]
    assert one[one.index("ỦY BAN NHÂN DÂN") + 1] == "TỈNH BẮC KẠN" and "Số: 21/KH-UBND" in one
    assert "Bắc Kạn, ngày 16 tháng 01 năm 2025" in one
    assert nfc(FILES["plans/01_tinh-bac-kan_2025.pdf"]["header"]["title"]) in one
    assert any(t.startswith("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ") for t in one)
    assert "Chủ trì: Sở Nội vụ; thời gian: quý I/2025." in one  # not "quý i/2025"
    assert any("thời gian: tháng 6/2025 và tháng 12/2025" in t for t in one)  # both months, as the plan says
    assert any(t.startswith("- Bộ Nội vụ") for t in one) and ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"] == \
        [t for t in one if t in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")]
    six = texts["06"]
    assert six[six.index("UBND XÃ TÂN PHONG") + 1] == "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ"
    assert "TM. BAN CHỈ ĐẠO" in six and "TRƯỞNG BAN" in six and "TM. ỦY BAN NHÂN DÂN" not in six
    assert any(t.startswith("- UBND huyện Vũ Thư") for t in six)
    seven = texts["07"]
    assert any("thời gian: từ 01/4/2024 đến 30/9/2024" in t for t in seven)
    assert not any("CHỦ NGHĨA VIỆT NAM ban hành" in t or re.search(r"Kế hoạch [A-ZĐ]+,", t) for t in one + six + seven)
