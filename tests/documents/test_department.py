"""A department's report and plan in its own name (issue 26 §4): a sở's report is numbered with its own
abbreviation ("Số: 12/BC-SNV", templates/co-quan.yaml) and signed by its head ("GIÁM ĐỐC"; a deputy "KT. GIÁM ĐỐC /
PHÓ GIÁM ĐỐC"), never "BC-UBND" nor "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"; its plan document likewise ("KH-SNV"); its
sample texts speak of a department's work, not of villages, crops and rain."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from docx import Document
from dvcq.calendar.periods import parse
from dvcq.documents import decree
from dvcq.documents.narrative import write_report
from dvcq.documents.planwriter import write_plan
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.samples.sample import write_samples
from dvcq.units.bodies import parse_bodies
from dvcq.units.registry import load

from tests.support import corpus
from tests.support.paths import ROOT

TEMPLATES = ROOT / "templates"
PERIOD = "2026-H1"
RURAL = ("mưa", "mùa vụ", "nông nghiệp", "nông thôn", "thôn", "lúa", "kênh mương", "đồng ruộng")


def declared(code: str) -> dict:
    """A body's entry in templates/co-quan.yaml, read with yaml (not through dvcq)."""
    doc = yaml.safe_load((TEMPLATES / "co-quan.yaml").read_text(encoding="utf-8"))
    return next(b for p in doc["parents"].values() for b in p["bodies"] if b["code"] == code)


def heads(kind: str) -> list[str]:
    doc = yaml.safe_load((TEMPLATES / "report" / "nguoi-nhan.yaml").read_text(encoding="utf-8"))
    return doc["signature"]["heads"][kind]


@pytest.fixture(scope="module")
def bodies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("so")
    write_samples("38", PERIOD, folder, seed=4, children=["38-SNV", "38-TTT", "38-STP"])
    return folder


def _signature_block(docx: Path) -> list[str]:
    right = Document(docx).tables[-1].rows[0].cells[-1]
    return [p.text for p in right.paragraphs if p.text.strip()]


@pytest.mark.parametrize("code", ["38-SNV", "38-TTT"])
def test_a_bodys_report_is_numbered_and_signed_in_its_own_name(bodies, tmp_path, code):
    entry = declared(code)
    head, deputy = heads(entry["kind"])
    files = sorted(bodies.glob(f"{code}-*.xlsx"))
    md, docx = tmp_path / "bc.md", tmp_path / "bc.docx"
    write_report(files, out=docx, md=md, number="12", signer="Nguyễn Văn An")
    text = md.read_text(encoding="utf-8")
    assert f"Số: 12/BC-{entry['abbreviation']}" in text
    assert "BC-UBND" not in text and "ỦY BAN NHÂN DÂN" not in text.split("***Nơi nhận:***")[1]
    assert _signature_block(docx) == [head, "Nguyễn Văn An"]
    header = " ".join(p.text for c in Document(docx).tables[0].rows[0].cells for p in c.paragraphs)
    assert f"Số: 12/BC-{entry['abbreviation']}" in header
    write_report(files, out=docx, md=md, signer="KT. Lê Văn Bình")
    assert _signature_block(docx) == [f"KT. {head}", deputy, "Lê Văn Bình"]
    assert f"Số:    /BC-{entry['abbreviation']}" in md.read_text(encoding="utf-8")


def test_a_communes_report_keeps_the_committees_number_and_signature(tmp_path):
    sig = decree.signature("KT. Lê Văn Bình", unit=load("2025").get("16228"))
    assert sig.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert decree.symbol("BC", load("2025").get("16228"), load("2025")) == "BC-UBND"


def test_a_bodys_plan_document_is_its_own(tmp_path):
    p = parse("2026-Y")
    entry = declared("38-SNV")
    head, _ = heads(entry["kind"])
    form = spec.load_form("ke-hoach")
    tasks = [{"stt": 1, "nhom": "Cải cách hành chính", "noi_dung": "Rà soát thủ tục hành chính thuộc thẩm quyền",
              "chu_tri": "Văn phòng Sở", "thoi_han": "Thường xuyên", "trang_thai": "Đang triển khai"}]
    c = Content(header=corpus.header(("38-SNV", "Sở Nội vụ"), p), unit_level="department", rows={"Nhiệm vụ": tasks},
                saved_at=datetime(2026, 1, 10, 9, 0))
    plan = build_form(form, tmp_path / "38-SNV-ke-hoach.xlsx", c)
    md, docx = tmp_path / "kh.md", tmp_path / "kh.docx"
    write_plan(plan, out=docx, md=md, number="3", signer="Nguyễn Văn An")
    text = md.read_text(encoding="utf-8")
    assert text.startswith("**UBND TỈNH THANH HÓA**  \n**SỞ NỘI VỤ**")
    assert f"Số: 3/KH-{entry['abbreviation']}" in text and "KH-UBND" not in text
    assert "Sở Nội vụ ban hành Kế hoạch" in text and "Ủy ban nhân dân Sở" not in text
    assert _signature_block(docx) == [head, "Nguyễn Văn An"]


def test_a_bodys_sample_texts_speak_of_a_departments_work(bodies):
    report = spec.load_form("bao-cao-dinh-ky")
    sheet = next(s for s in report.sheets if s.kind == "texts")
    for code, name in (("38-SNV", "Sở Nội vụ"), ("38-STP", "Sở Tư pháp")):
        path = next(bodies.glob(f"{code}-*bao-cao*.xlsx"))
        grid = corpus.raw_grid(path, sheet.name)
        written = [corpus.raw_cell(grid, sheet.text_cell(t.name)) for t in sheet.texts]
        words = " ".join(str(w) for w in written if w).lower()
        assert words and not [w for w in RURAL if re.search(rf"\b{w}\b", words)], words
        assert name.lower() in words


def test_an_abbreviation_is_checked_where_it_is_declared(tmp_path):
    path = tmp_path / "co-quan.yaml"
    path.write_text('parents:\n  "38":\n    name: Tỉnh Thanh Hóa\n    bodies:\n'
                    '      - {code: 38-SNV, name: Sở Nội vụ, kind: sở, abbreviation: "BC/SNV"}\n', encoding="utf-8")
    with pytest.raises(UserError) as exc:
        parse_bodies(path)
    assert "abbreviation" in exc.value.message and "dòng 5" in exc.value.message and str(path) in exc.value.message
