"""Every sentence true for the units it speaks of (issue 22): the found examples, each reproduced on the Như Thanh
samples and checked against their raw cells. A figure over part of the units says which and names the missing;
"không có", "chưa" and zero only over all of them; the best and the worst name every unit at that value; a change
beyond the plausible range is a question, in the report and in the roll-up."""
from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

from dvcq.forms import spec
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.text import unit_running
from dvcq.units.registry import load
from python_calamine import CalamineWorkbook

from tests.support import corpus
from tests.support.paths import SAMPLE
from tests.support.reporttext import report_text

REPORT = spec.load_form("bao-cao-dinh-ky")
NHU_THANH = load("legacy").children("403")


def _report(folder: Path, tmp_path: Path) -> str:
    result = consolidate_folder(folder, period="2024-H1", parent="403", out=tmp_path / "th.xlsx",
                                db=tmp_path / "db.sqlite", workers=1)
    return _text(result.out_path, tmp_path / "db.sqlite", tmp_path)


def _text(rollup: Path, db: Path, tmp_path: Path) -> str:
    """The report's text (these tests read its sentences only: tests/support/reporttext.py)."""
    return report_text(rollup, tmp_path / "bc.md", db=db)


def _body(text: str) -> list[str]:
    """The report's own paragraphs (not the units' quoted sentences, not headings)."""
    start = text.lower().index("thực hiện kế hoạch")
    return [p for p in text[start:text.index("***Nơi nhận")].split("\n\n")
            if p.strip() and not p.startswith(("- ", "+ ", "#"))]


def test_four_of_fourteen_communes_never_say_chua_or_khong(tmp_path):
    """Four communes in, none of them inspected: "Trong kỳ chưa tổ chức kiểm tra" would speak for fourteen.
    Every paragraph of report figures says over whom, and names the ten missing."""
    folder = tmp_path / "nop"
    folder.mkdir()
    four = NHU_THANH[:4]
    for u in four:
        for p in SAMPLE.glob(f"{u.code}-*.xlsx"):
            shutil.copy(p, folder)
        path = next(folder.glob(f"{u.code}-*bao-cao-dinh-ky*.xlsx"))
        for code in ("KT01", "KT02", "TD15", "TD16", "CC18"):
            corpus.type_over(path, REPORT.main.name, REPORT.main.indicator_cell(code), 0)
    text = _report(folder, tmp_path / "out")
    body = "\n".join(_body(text))
    assert "chưa tổ chức kiểm tra" not in body and "Không tiếp nhận kiến nghị" not in body
    assert "Không có cán bộ" not in body and "toàn huyện" not in body
    missing = [unit_running(u.name) for u in NHU_THANH[4:]]
    assert all(m in text for m in missing)
    for p in _body(text):
        if re.search(r"\d", p) and any(w in p for w in ("hồ sơ", "đơn,", "hội nghị", "vụ việc", "lớp")):
            assert "4/14 xã, thị trấn" in p or "Số liệu" in p or "Có 4/14" in p or "trong 4 xã, thị trấn có số liệu" in p, p


def test_a_commune_whose_report_is_rejected_is_never_counted_among_those_that_sent_it(tmp_path):
    """Xuân Du's report has an error (its log and plan are fine); two communes sent no log. The report's
    figures say 13/14 and name Xuân Du; the log's say 12/14 and name their two; the ledger paragraph says
    which form lacks whom, never "14/14 nộp báo cáo" alone."""
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE, folder)
    xuan_du = next(folder.glob("16234-*bao-cao-dinh-ky*.xlsx"))
    corpus.type_over(xuan_du, REPORT.main.name, REPORT.main.indicator_cell("TD12"), 999999)  # solved > received: a rule
    for code in ("16273", "16276"):
        next(folder.glob(f"{code}-*so-tiep-cong-dan*.xlsx")).unlink()
    text = _report(folder, tmp_path / "out")
    assert "Số liệu tổng hợp từ báo cáo hợp lệ của 13/14 xã, thị trấn; chưa có số liệu của xã Xuân Du." in text
    assert "Theo sổ tiếp công dân của 12/14 xã, thị trấn có sổ hợp lệ (chưa có sổ của xã Thanh Tân, xã Thanh Kỳ)" in text
    ledger = next(p for p in _body(text) if p.startswith("Có ") and "đã nộp ít nhất một biểu" in p)
    assert "báo cáo định kỳ của 13/14 xã, thị trấn (chưa có của xã Xuân Du)" in ledger
    assert "sổ tiếp công dân của 12/14 xã, thị trấn (chưa có của xã Thanh Tân, xã Thanh Kỳ)" in ledger


def test_the_issuers_own_missing_plan_is_said_apart_from_the_fraction_that_leaves_it_out(tmp_path):
    """Như Thanh without its own plan and one commune's: the ledger's 'kế hoạch của 13/14 xã, thị trấn' counts the
    communes only, so the district is not named in its list of who lacks it ('chưa có của xã Cán Khê, huyện Như
    Thanh', the old text) but apart: 'chưa có kế hoạch của chính Ủy ban nhân dân huyện Như Thanh'."""
    folder = tmp_path / "nop"
    shutil.copytree(SAMPLE, folder)
    issuer = load("legacy").get("403")
    commune = NHU_THANH[1]
    for code in (issuer.code, commune.code):
        next(folder.glob(f"{code}-*ke-hoach*.xlsx")).unlink()
    sent = {p.name.split("-")[0] for p in folder.glob("*ke-hoach*.xlsx")}
    communes = len([u for u in NHU_THANH if u.code in sent])
    text = _report(folder, tmp_path / "out")
    ledger = next(p for p in _body(text) if p.startswith("Có ") and "đã nộp ít nhất một biểu" in p)
    assert (f"kế hoạch của {communes}/{len(NHU_THANH)} xã, thị trấn (chưa có của {unit_running(commune.name)}; chưa "
            f"có kế hoạch của chính Ủy ban nhân dân {unit_running(issuer.name)})") in ledger, ledger
    assert not re.search(r"chưa có của [^);]*" + unit_running(issuer.name), ledger)


def test_the_best_and_the_worst_name_every_unit_at_that_value(tmp_path):
    """Three communes at 100% on-time files, one below: all three are the best, none alone."""
    folder = tmp_path / "nop"
    folder.mkdir()
    for k, u in enumerate(NHU_THANH[:4]):
        v = corpus.report_values()
        if k < 3:
            v.update(CC03=40, CC04=100, CC05=0, CC02=140)
        corpus.write_report(folder, v, unit=(u.code, u.name), saved_at=datetime(2024, 6, 12))
    text = _report(folder, tmp_path / "out")
    line = next(x for x in text.splitlines() if x.startswith("Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn"))
    best = ", ".join(unit_running(u.name) for u in NHU_THANH[:3])
    assert f"cao nhất {best} (100%)" in line, line
    assert f"thấp nhất {unit_running(NHU_THANH[3].name)} (" in line


def test_a_change_beyond_the_plausible_range_is_a_question_not_a_finding(tmp_path):
    """The same two communes a year apart, sessions 3 then 12 each (×4): the report gives last year's figure and
    "cần kiểm tra", never "+300%"; the roll-up's So với cùng kỳ marks it and leaves out the rate of change. A
    plausible change (lượt người) keeps its change."""
    units = NHU_THANH[:2]
    db = tmp_path / "db.sqlite"
    rollup = corpus.year_on_year(tmp_path, units, (3, 12), db)
    text = _text(rollup, db, tmp_path)
    assert "tổ chức 24 hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền (năm 2023: 6 cuộc; cần " \
           "kiểm tra: thay đổi quá 3 lần so với năm 2023)" in text
    assert "300%" not in text
    # the same basis, plausible: compared, last year's figure in brackets (TT02 of the two files, the same each year)
    tt02_last = 2 * corpus.report_values()["TT02"]
    assert re.search(rf"lượt người tham dự, bằng cùng kỳ \(6 tháng đầu năm 2023: {tt02_last} lượt người\)", text)
    rows = CalamineWorkbook.from_path(str(rollup)).get_sheet_by_name("So với cùng kỳ").to_python()
    tt01 = next(r for r in rows if r and r[0] == "TT01")
    assert (tt01[3], tt01[4], tt01[5]) == (24, 6, 18) and tt01[6] == "" and tt01[7].startswith("Cần kiểm tra")
    tt02 = next(r for r in rows if r and r[0] == "TT02")
    assert tt02[7] == ""


def test_the_figures_say_to_what_days_they_run_and_every_counted_row_is_within(nhu_thanh_rollup, tmp_path):
    """Như Thanh's communes prepared their files 10-13/06/2024, before the window's end: the report says the
    range, and no counted log row lies after its unit's day. (The sample consolidated once for the run,
    tests/conftest.py; its history copied.)"""
    db = Path(shutil.copy(nhu_thanh_rollup.db_path, tmp_path / "db.sqlite"))
    text = _text(nhu_thanh_rollup.out_path, db, tmp_path)
    m = re.search(r"Số liệu của các đơn vị tính đến các ngày từ (\d\d/\d\d/\d{4}) đến (\d\d/\d\d/\d{4})", text)
    assert m, "the report does not say to what days its figures run"
    first, last = (datetime.strptime(d, "%d/%m/%Y").date() for d in m.groups())
    log = spec.load_form("so-tiep-cong-dan").main
    days = []
    for path in SAMPLE.glob("*-so-tiep-cong-dan-*.xlsx"):
        g = corpus.raw_grid(path, log.name)
        prepared = corpus.raw_cell(g, spec.load_form("so-tiep-cong-dan").header_cell("prepared_on"))
        rows = [r[log.col("ngay_tiep") - 1] for r in g[log.first_row - 1:] if r[log.col("ngay_tiep") - 1] != ""]
        days.append(max([prepared] + rows))
        assert max(rows) <= last
    assert min(days) >= first and max(days) <= last
