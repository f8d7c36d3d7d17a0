"""The decree's form of the báo cáo (Nghị định 30/2020/NĐ-CP): page numbers, rules sized to their
text, the place-date line, recipients and signature as data, unit lists."""
from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.shared import Pt
from dvcq.cli import main
from dvcq.documents import decree
from dvcq.errors import UserError
from dvcq.resources import templates_dir
from dvcq.units.registry import load

from tests.support.office import convert

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
BLANK = "      "


@pytest.fixture(scope="module")
def rollup(nhu_thanh_rollup):
    return nhu_thanh_rollup.out_path  # tests/conftest.py: the committed sample consolidated


SIGNER = "KT. Lê Văn Bình"
SIGNED = ("9/1/2025", "ngày 09 tháng 01 năm 2025")  # the date of the dated report: day and month padded


@pytest.fixture(scope="module")
def district_report(rollup, tmp_path_factory) -> tuple[Path, Path]:
    """The district's report of the shared roll-up as `dvcq report --signer` writes it, without --date: written
    once for the tests that read its pages, its date line, its recipients and signature, its rules (each a
    different part of the same document)."""
    tmp = tmp_path_factory.mktemp("decree")
    res, docx = _report(rollup, tmp, "--signer", SIGNER)
    assert res.exit_code == 0, res.output
    return docx, tmp / "bc.md"


def _report(rollup: Path, tmp: Path, *args: str) -> tuple[object, Path]:
    out = tmp / "bc.docx"
    res = CliRunner().invoke(main, ["report", str(rollup), "--out", str(out), "--md", str(tmp / "bc.md"),
                                    "--db", str(tmp / "db.sqlite"), *args])
    return res, out


def _place_line(docx: Path) -> str:
    head = Document(docx).tables[0].cell(0, 1)
    return next(p.text for p in head.paragraphs if p.text.startswith("Như Thanh, ngày"))


def test_pages_numbered_from_page_two_in_the_top_margin(district_report):
    from lxml import etree

    docx, _ = district_report
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = body.find(f"{W}body/{W}sectPr")
        assert sect.find(f"{W}titlePg") is not None  # a different first page
        refs = {h.get(f"{W}type"): targets[h.get(f"{R}id")] for h in sect.findall(f"{W}headerReference")}
        first, default = (etree.fromstring(z.read(f"word/{refs[k]}")) for k in ("first", "default"))
    instr = lambda x: " ".join(t.text or "" for t in x.iter(f"{W}instrText"))
    assert "PAGE" not in instr(first) and not "".join(first.itertext()).strip()
    assert instr(default).split() == ["PAGE"]
    assert [f.get(f"{W}fldCharType") for f in default.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    assert default.find(f".//{W}jc").get(f"{W}val") == "center"


def test_date_line_blank_for_signing_with_the_year_the_report_is_due(district_report):
    """Issue 22 §3: a 2024-H1 report of the district, due up to the province on 20/06/2024, is dated 2024 whatever
    the year of the computer that writes it (the test machine's is later)."""
    docx, md = district_report
    expected = f"Như Thanh, ngày{BLANK}tháng{BLANK}năm 2024"
    assert date.today().year != 2024  # the year of the computer would be wrong
    assert _place_line(docx) == expected
    assert f"*{expected}*" in md.read_text(encoding="utf-8")


@pytest.mark.parametrize("period,due", [("2024-Y", date(2024, 11, 25)), ("2024-Q4", date(2024, 12, 20)),
                                        ("2024-CD:01/08/2024-31/12/2024", date(2024, 12, 31))])
def test_the_year_of_the_date_line_is_the_years_the_report_is_due(period, due):
    from dvcq.calendar.periods import parse
    from dvcq.documents.context import _period_view
    from dvcq.units.registry import for_period

    p = parse(period)
    reg = for_period(p)
    view = _period_view(p, reg.require("403"), reg, False)
    assert (view.due or view.end) == due
    assert decree.place_date("Như Thanh", p, None, due=view.due or view.end).endswith(f"năm {due.year}")


@pytest.mark.parametrize("given,expected", [("05/02/2025", "ngày 05 tháng 02 năm 2025"),
                                            ("20/11/2024", "ngày 20 tháng 11 năm 2024"),
                                            ("9/1/2025", "ngày 09 tháng 01 năm 2025"),
                                            ("01/3/2025", "ngày 01 tháng 3 năm 2025")])
def test_date_line_with_a_signing_date(given, expected):
    """--date as `dvcq report` reads it (decree.signing_date) and the line it prints (decree.place_date) for a
    2024-H1 report; the next test proves a written report carries that line."""
    from dvcq.calendar.periods import parse

    assert decree.place_date("Như Thanh", parse("2024-H1"), decree.signing_date(given)) == f"Như Thanh, {expected}"


def test_a_report_written_with_a_signing_date_carries_its_date_line(rollup, tmp_path):
    given, expected = SIGNED
    res, docx = _report(rollup, tmp_path, "--date", given)
    assert res.exit_code == 0, res.output
    assert _place_line(docx) == f"Như Thanh, {expected}"
    assert f"*Như Thanh, {expected}*" in (tmp_path / "bc.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("given", ["31/02/2025", "2025-02-05", "5/2/25", "hôm nay", "01/01/2023"])
def test_malformed_or_impossible_date_is_a_vietnamese_usage_error(rollup, tmp_path, given):
    res, docx = _report(rollup, tmp_path, "--date", given)
    assert res.exit_code == 2
    assert "Ngày ký" in res.output and "Traceback" not in res.output
    assert not docx.exists()


@pytest.mark.parametrize("era,code,expected", [
    ("legacy", "16231", ["Ban Thường vụ Huyện ủy (qua Ban Dân vận)", "UBND huyện Như Thanh (qua phòng Nội vụ)",
                         "Thường trực Đảng ủy, HĐND xã", "Chủ tịch, các PCT UBND xã", "Lưu: VT, VP"]),
    ("legacy", "16228", ["Ban Thường vụ Huyện ủy (qua Ban Dân vận)", "UBND huyện Như Thanh (qua phòng Nội vụ)",
                         "Thường trực Đảng ủy, HĐND thị trấn", "Chủ tịch, các PCT UBND thị trấn", "Lưu: VT, VP"]),
    ("legacy", "403", ["UBND tỉnh Thanh Hóa (qua Sở Nội vụ)", "Ban Dân vận Tỉnh ủy", "Ban Thường vụ Huyện ủy (để b/c)",
                       "Ban Dân vận Huyện ủy", "Chủ tịch, các PCT UBND huyện", "Lưu: VT, NV"]),
    ("2025", "16228", ["Ban Thường vụ Tỉnh ủy (qua Ban Tuyên giáo và Dân vận)", "UBND tỉnh Thanh Hóa (qua Sở Nội vụ)",
                       "Thường trực Đảng ủy, HĐND xã", "Chủ tịch, các PCT UBND xã", "Lưu: VT, VP"]),
    ("2025", "01", ["Bộ Nội vụ", "Thường trực Thành ủy", "Ban Tuyên giáo và Dân vận Thành ủy",
                    "Chủ tịch, các PCT UBND thành phố", "Sở Nội vụ", "Lưu: VT, NC"]),
])
def test_recipients_name_the_actual_parent_and_party_bodies(era, code, expected):
    reg = load(era)
    assert decree.recipients(reg.get(code), reg) == expected


def test_district_report_prints_its_recipients_and_signature(district_report):
    docx, _ = district_report
    left, right = Document(docx).tables[-1].rows[0].cells
    lines = [p.text for p in left.paragraphs if p.text.strip()]
    assert lines[0] == "Nơi nhận:"
    assert lines[1] == "- UBND tỉnh Thanh Hóa (qua Sở Nội vụ);" and lines[-1] == "- Lưu: VT, NV."
    sign = [p for p in right.paragraphs if p.text.strip()]
    assert [p.text for p in sign] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Bình"]
    assert all(r.bold for p in sign for r in p.runs if r.text.strip())


def test_the_signature_block_leaves_room_for_the_signature_and_the_seal(district_report):
    """Between the signer's title ("PHÓ CHỦ TỊCH") and the name, the signature and the seal go: about 2.5-3 cm. The
    layout left four empty lines of the body's 14 pt, 2,2 cm in the PDF LibreOffice renders (measured with pdftotext
    -bbox: the title's last line ended at 172,5 pt, the name began at 234,9 pt). Read from the written .docx: the
    empty paragraphs between them (a line of Times New Roman is 1,15 times its size) and the space before the name and
    after the title."""
    docx, _ = district_report
    doc = Document(docx)
    _, right = doc.tables[-1].rows[0].cells
    paras = right.paragraphs
    title = max(i for i, p in enumerate(paras) if p.text.strip() == "PHÓ CHỦ TỊCH")
    name = next(i for i, p in enumerate(paras) if p.text.strip() == "Lê Văn Bình")
    body = doc.styles["Normal"].font.size.pt

    def line(p) -> float:
        sizes = [r.font.size.pt for r in p.runs if r.font.size] or [body]
        return max(sizes) * 1.15

    space = sum(line(p) for p in paras[title + 1:name])
    space += (paras[title].paragraph_format.space_after or Pt(0)).pt
    space += sum((p.paragraph_format.space_before or Pt(0)).pt + (p.paragraph_format.space_after or Pt(0)).pt
                 for p in paras[title + 1:name])
    space += (paras[name].paragraph_format.space_before or Pt(0)).pt
    assert 2.5 <= space / 72 * 2.54 <= 3.2, space / 72 * 2.54


def test_signature_modes_come_from_the_yaml():
    assert decree.signature("Đặng Tiến Dũng") == decree.Signature("TM.", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
                                                                  "CHỦ TỊCH", "Đặng Tiến Dũng")
    kt = decree.signature("kt.Lê Văn Bình")
    assert kt.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and kt.name == "Lê Văn Bình"
    assert decree.signature(None).name == ""


def _spec_with(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((templates_dir() / "report" / decree.RECIPIENTS).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "nguoi-nhan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("change,key", [
    (lambda d: d.update(nguoi_ky="x"), "nguoi_ky"),
    (lambda d: d["recipients"]["legacy"].update(ward=["Lưu: VT"]), "recipients.legacy.ward"),
    (lambda d: d["recipients"]["2025"].update(district=["Lưu: VT"]), "recipients.2025.district"),
    (lambda d: d["recipients"]["legacy"].pop("district"), "recipients.legacy.district"),
    (lambda d: d["signature"].pop("default"), "signature.default"),
    (lambda d: d["signature"].update(default="Q."), "signature.default"),
    (lambda d: d["recipients"]["legacy"]["commune"].append("UBND {cap_tren}"), "recipients.legacy.commune[5]"),
    (lambda d: d["recipients"]["legacy"].update(commune=[]), "recipients.legacy.commune"),
])
def test_recipients_yaml_is_strict(tmp_path, change, key):
    path = _spec_with(tmp_path, change)
    with pytest.raises(UserError) as e:
        decree.load_spec(path)
    assert str(path) in e.value.message and f"«{key}»" in e.value.message


def test_committed_recipients_yaml_loads():
    spec = decree.load_spec()
    assert set(spec["recipients"]) == {"legacy", "2025"}
    assert all(lines[-1].startswith("Lưu: VT") for era in spec["recipients"].values() for lines in era.values())


def test_unit_list_groups_by_district_at_province_level():
    reg = load("legacy")
    names = ["Xã Cán Khê", "xã Xuân Du", "Xã Bãi Trành", "Thị trấn Yên Cát"]
    assert decree.unit_list(names, reg, "38") == (
        "huyện Như Thanh: xã Cán Khê, xã Xuân Du; huyện Như Xuân: xã Bãi Trành, thị trấn Yên Cát")
    assert decree.unit_list(names[:2], reg, "403") == "xã Cán Khê, xã Xuân Du"
    assert decree.unit_list("Xã Cán Khê, Xã Xuân Du", reg, "403") == "xã Cán Khê, xã Xuân Du"


def test_long_unit_lists_are_capped_with_the_number_left_out():
    reg = load("legacy")
    communes = [u for u in reg.communes_under("403") if u.kind == "xã"]  # 13 xã, no thị trấn
    names = [u.name for u in communes]
    full = ", ".join("xã " + u.short_name for u in communes)
    assert len(full) > 120
    got = decree.unit_list(names, reg, "403", limit=120)
    m = re.fullmatch(r"(.+) và (\d+) xã khác", got)
    assert m and len(got) <= 120
    shown = m.group(1).split(", ")
    assert shown == ["xã " + u.short_name for u in communes[:len(shown)]]
    assert len(shown) + int(m.group(2)) == len(communes)
    longer = ", ".join(["xã " + u.short_name for u in communes[:len(shown) + 1]])
    assert len(f"{longer} và {len(communes) - len(shown) - 1} xã khác") > 120  # one more would not fit
    assert decree.unit_list(names[:3], reg, "403") == ", ".join("xã " + u.short_name for u in communes[:3])
    mixed = decree.unit_list([u.name for u in reg.communes_under("403")], reg, "403", limit=60)
    assert mixed.endswith("đơn vị khác") or mixed.endswith("xã khác")


def test_province_report_lists_grouped_by_district(tmp_path):
    from jinja2 import Environment

    env = Environment()
    decree.register(env)
    tpl = env.from_string("({{ names|ds_donvi }}) {{ 'Xã Cán Khê'|donvi }}; {{ 'Huyện Như Thanh'|donvi(true) }}")
    out = tpl.render(names=["Xã Cán Khê", "Xã Bãi Trành"], issuer=SimpleNamespace(code="38", era="legacy"))
    assert out == "(huyện Như Thanh: xã Cán Khê; huyện Như Xuân: xã Bãi Trành) xã Cán Khê; Huyện Như Thanh"


def test_a_list_of_missing_units_is_grouped_by_district_from_their_codes_when_names_repeat():
    """A province receiving communes directly: its lists of units with no figures come from the ledger
    (dvcq.rollup.coverage) with each unit's code, so two "Phường Ba Đình" (of thành phố Thanh Hóa and of thị xã Bỉm
    Sơn) are told apart and the list is grouped by district; a department, under no district, is listed first.
    By names alone neither Ba Đình resolved and the list was not grouped."""
    from jinja2 import Environment

    from dvcq.model import LedgerEntry, UnitGroup
    from dvcq.rollup.coverage import from_ledger

    reg = load("legacy")
    ba_dinh = [u for d in ("380", "381") for u in reg.children(d) if u.name == "Phường Ba Đình"]
    assert len(ba_dinh) == 2  # the same name in two districts of the province
    dept = reg.get("38-STP")
    ledger = [LedgerEntry(u.code, u.name, False, None, "missing", group=g)
              for u, g in ((dept, UnitGroup.DEPARTMENT), (ba_dinh[0], UnitGroup.TERRITORIAL),
                           (ba_dinh[1], UnitGroup.TERRITORIAL))]
    missing = from_ledger(ledger, "bao-cao-dinh-ky").missing
    env = Environment()
    decree.register(env)
    out = env.from_string("{{ names|ds_donvi }}").render(names=missing, issuer=SimpleNamespace(code="38", era="legacy"))
    assert out == (f"sở, ban, ngành: {dept.running_name}; {reg.get('380').running_name}: phường Ba Đình; "
                   f"{reg.get('381').running_name}: phường Ba Đình")
    # names without codes (a template's own list): resolved by name, not grouped when one is ambiguous
    assert decree.unit_list([str(n) for n in missing], reg, "38") == \
        f"{dept.running_name}, phường Ba Đình, phường Ba Đình"


@pytest.mark.parametrize("first", [3, None])
def test_a_long_grouped_list_counts_the_units_it_does_not_name_district_by_district(first):
    """A list of missing units grouped by district and too long for its limit names the first districts in full and
    counts the others district by district ("huyện Như Thanh (14), …"), then how many more: the names and counts
    add up to every unit listed, district by district, from the registry (the old list named one district, then
    "và 538 đơn vị khác"). ``first``: only that many of the first district's communes are missing, so it is named
    in full; else every commune of the province but a few is."""
    from dvcq.model import UnitName

    reg = load("legacy")
    districts = sorted(reg.children("38"), key=lambda d: d.code)
    communes = {d.code: sorted(reg.children(d.code), key=lambda u: u.code) for d in districts}
    missing = [u for d in districts for u in communes[d.code][:first if d is districts[0] else None][1:]]
    dept = reg.get("38-STP")
    names = [UnitName(dept.running_name, dept.code)] + [UnitName(u.name, u.code) for u in missing]
    out = decree.unit_list(names, reg, "38")
    assert len(out) <= decree.LIST_LIMIT, out
    by_district = {d.running_name: [u for u in missing if u.parent_code == d.code] for d in districts}
    named = counted = 0
    head, _, rest = out.rpartition("; ") if re.search(r"\(\d+\)|khác$", out.rpartition("; ")[2]) else (out, "", "")
    for part in head.split("; ") if head else []:  # groups named in full
        district, _, listed = part.rpartition(": ")
        shown = listed.split(", ")
        if district == "sở, ban, ngành":  # the bodies' group
            assert shown == [dept.running_name]
        else:
            assert shown == [u.running_name for u in by_district[district]], part  # the whole district, in order
            named += len(shown)
    more = re.search(r"(?:^| )và ([\d.]+) [^,]+ khác$", rest)
    bodies = 0
    for district, n in re.findall(r"((?:sở, ban, ngành)|[^,(;]+?) \(([\d.]+)\)", rest):  # the groups counted
        district = district.removeprefix("và ").strip()
        if district == "sở, ban, ngành":
            bodies = int(n)
            continue
        assert int(n.replace(".", "")) == len(by_district[district]), (district, n)
        counted += int(n.replace(".", ""))
    left = int(more.group(1).replace(".", "")) if more else 0
    named_body = head.startswith(f"sở, ban, ngành: {dept.running_name}")
    assert named_body or bodies == 1 or left, out  # the department is named, counted as its group, or among "khác"
    loose = 0 if named_body or bodies else 1
    assert named + counted + left == len(missing) + loose, out
    assert counted, out  # some district is counted, not only "và N đơn vị khác"
    if first:
        assert out.startswith(f"sở, ban, ngành: {dept.running_name}; {districts[0].running_name}: "), out


@pytest.mark.parametrize("bodies", [3, None])
def test_a_long_list_of_a_2025_province_names_its_bodies_as_a_group_never_among_the_others(bodies):
    """A province of 2025 (communes and sở both directly under it): a long list of units that sent nothing, in ledger
    order (communes, then bodies), names the bodies as their group first ("sở, ban, ngành: Sở Tư pháp, …", or counted
    "sở, ban, ngành (11)" when their names pass the limit) and the communes as far as the limit allows; the old list
    named the first communes and counted the sở in "và 43 đơn vị khác". The annex's lines (``unit_groups``) put the
    bodies on a line of their own and name every unit once. From the registry."""
    from dvcq.model import UnitName

    reg = load("2025")
    communes = sorted(reg.children("38"), key=lambda u: u.code)[:40]
    depts = reg.bodies("38")[:bodies]
    names = [UnitName(u.name, u.code) for u in communes + depts]
    out = decree.unit_list(names, reg, "38")
    assert len(out) <= decree.LIST_LIMIT, out
    named = ", ".join(d.running_name for d in depts)
    if len(f"sở, ban, ngành: {named}") < decree.LIST_LIMIT // 2:
        assert out.startswith(f"sở, ban, ngành: {named}; {communes[0].running_name}, "), out
    else:
        assert out.startswith(f"sở, ban, ngành ({len(depts)}); {communes[0].running_name}, "), out
    shown = out.split("; ", 1)[1]
    listed, more = re.fullmatch(r"(.+) và (\d+) xã khác", shown).groups()
    assert listed.split(", ") == [u.running_name for u in communes[:len(listed.split(", "))]]
    assert len(listed.split(", ")) + int(more) == len(communes)  # every commune named or counted, no body among them
    lines = decree.unit_groups(names, reg, "38")
    assert lines[0] == f"sở, ban, ngành: {named}"
    assert lines[1:] == [", ".join(u.running_name for u in communes)]


def test_the_report_of_a_2025_province_names_the_bodies_that_sent_nothing(tmp_path):
    """Thanh Hóa 2026-H1 (two-tier): two communes, Sở Nội vụ and the province's own plan sent. The report's line of
    units that sent nothing names the bodies that did not as a group before the communes, and the annex "Các đơn vị
    chưa nộp biểu" names each of them on a line of its own; the bodies expected from templates/co-quan.yaml read with
    PyYAML (a body is expected when the half-year's last day lies within its from/to), the sent units from the
    file names."""
    from dvcq.rollup.consolidate import consolidate_folder
    from dvcq.samples.sample import write_samples
    from tests.support.reporttext import report_text

    reg = load("2025")
    kids = sorted(reg.children("38"), key=lambda u: u.code)
    folder = tmp_path / "nộp"
    write_samples("38", "2026-H1", folder, seed=3, children=[kids[0].code, kids[1].code, "38-SNV", "38"])
    result = consolidate_folder(folder, parent="38", period="2026-H1", out=tmp_path / "th.xlsx",
                                db=tmp_path / "db.sqlite", workers=1)
    text = report_text(result.out_path, tmp_path / "bc.md", db=tmp_path / "db.sqlite")
    sent = {p.name.split("-")[0] if not p.name.startswith("38-") else "-".join(p.name.split("-")[:2])
            for p in folder.glob("*.xlsx")}
    spec = yaml.safe_load((templates_dir() / "co-quan.yaml").read_text(encoding="utf-8"))
    entries = spec["parents"]["38"]["bodies"]
    last = date(2026, 6, 14)

    def alive(e) -> bool:
        day = lambda v: date(*reversed([int(x) for x in str(v).split("/")]))  # noqa: E731
        return (not e.get("from") or day(e["from"]) <= last) and (not e.get("to") or last <= day(e["to"])) and \
            (not e.get("eras") or "2025" in e["eras"])

    missing = [e["name"] for e in entries if alive(e) and e["code"] not in sent]
    assert missing and "38-SNV" in sent
    body, annex = text[:text.index("# PHỤ LỤC")], text[text.index("# PHỤ LỤC"):]
    [line] = [x for x in body.splitlines() if x.startswith("Có ") and "ít nhất một biểu" in x]
    listed = line.split("Chưa nộp: ")[1]
    assert listed.startswith(f"sở, ban, ngành: {', '.join(missing)}; ") or \
        listed.startswith(f"sở, ban, ngành ({len(missing)}); "), listed
    full = annex[annex.index("Các đơn vị chưa nộp biểu"):].splitlines()[1:]
    lines = [x[2:].rstrip(".") for x in full if x.startswith("- ")]
    assert lines[0] == f"Sở, ban, ngành: {', '.join(missing)}", lines[0]


def _dark_runs(pgm: Path, min_len: int) -> list[tuple[int, int, int]]:
    """Horizontal rules in a greyscale page: (row, first column, last column) of long dark runs."""
    data = pgm.read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    runs = []
    for y in range(h):
        row = px[y * w:(y + 1) * w]
        for mm in re.finditer(rb"[\x00-\x60]{%d,}" % min_len, row):
            runs.append((y, mm.start(), mm.end() - 1))
    merged: list[tuple[int, int, int]] = []
    for r in runs:  # a rule two pixels thick is one rule
        if merged and r[0] - merged[-1][0] <= 2 and abs(r[1] - merged[-1][1]) <= 2:
            continue
        merged.append(r)
    return merged


def test_rules_are_sized_to_their_text(district_report, tmp_path, soffice):
    """Rendered by LibreOffice: the rule under the issuing body is 1/3-1/2 of its name line and centred
    under it; the rule under the motto is as long as the motto (measured on the page, not computed)."""
    docx, _ = district_report
    pdf = convert(soffice, docx, "pdf", tmp_path)
    dpi = 150
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    pgm = next(tmp_path.glob("p*.pgm"))
    box = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    lines = {}
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                         box, re.S):
        text = " ".join(re.findall(r">([^<]+)</word>", m.group(5)))
        lines[re.sub(r"\s+", "", text)] = [float(v) * dpi / 72 for v in m.groups()[:4]]
    name = lines["HUYỆNNHƯTHANH"]
    motto = lines["Độclập-Tựdo-Hạnhphúc"]
    rules = _dark_runs(pgm, 30)

    def rule_under(line):
        x0, _, x1, y1 = line
        return next(r for r in rules if y1 < r[0] < y1 + 20 and x0 - 10 < r[1] and r[2] < x1 + 10)

    _, a, b = rule_under(name)
    width = name[2] - name[0]
    assert 1 / 3 - 0.03 <= (b - a) / width <= 1 / 2 + 0.03
    assert abs((a + b) / 2 - (name[0] + name[2]) / 2) < 0.1 * dpi / 2.54  # centred within 1 mm
    _, a, b = rule_under(motto)
    assert abs((b - a) - (motto[2] - motto[0])) <= 0.08 * (motto[2] - motto[0])
    assert abs((a + b) / 2 - (motto[0] + motto[2]) / 2) < 0.1 * dpi / 2.54


@pytest.mark.parametrize("code", ["16228", "14758", "06994"])  # Xã Như Thanh, Phường Hàm Rồng, Đặc khu Vân Đồn
def test_a_commune_level_unit_is_named_by_its_own_type_in_recipients_and_date_line(code):
    reg = load("2025")
    unit = reg.get(code)
    kind = unit.division_type  # "xã", "phường", "đặc khu": the catalogue's type word
    assert unit.name.lower().startswith(kind + " ")
    lines = decree.recipients(unit, reg)
    assert f"Thường trực Đảng ủy, HĐND {kind}" in lines and f"Chủ tịch, các PCT UBND {kind}" in lines
    province = reg.get(unit.parent_code)
    assert any(province.name.lower() in line.lower() for line in lines)  # the unit reported to
    assert decree.place_date(unit.place, None, date(2025, 12, 20)).startswith(unit.name[len(kind) + 1:] + ", ngày")


@pytest.mark.parametrize("era,name,place", [
    ("2025", "Phường 2 Bảo Lộc", "Phường 2 Bảo Lộc"),  # named with a numeral: the full name
    ("2025", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),  # named after a person
    ("legacy", "Quận 1", "Quận 1"),
    ("2025", "Tỉnh Thanh Hóa", "Thanh Hóa"),
    ("2025", "Đặc khu Côn Đảo", "Côn Đảo"),
])
def test_date_line_place_follows_the_decree_for_numbered_and_person_named_units(era, name, place):
    reg = load(era)
    unit = next(u for u in reg.units.values() if u.name == name)
    assert unit.place == place
