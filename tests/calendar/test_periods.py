"""Reporting periods, the reporting calendar and what they do to forms, checks and the report (issue 15).

Every expected date is written out by hand from Nghị định 09/2019/NĐ-CP (data from the 15th of the month
before a period to the 14th of its last month) and from templates/deadlines.yaml as committed; none is
computed with the code under test.
"""
from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from dvcq.calendar import deadlines, periods
from dvcq.documents.context import build_context
from dvcq.errors import UserError
from dvcq.forms import build, spec
from dvcq.forms.build import LISTS_SHEET, Content, build_all, build_form, prefilled_forms
from dvcq.intake.validate import validate_file
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import load
from openpyxl import load_workbook

from tests.support import corpus
from tests.support.cli import dvcq as run
from tests.support.reporttext import report_text
from tests.support.templates import edited_templates

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")
NHU_THANH = load("legacy").children("403")


# --- codes, windows, labels ---------------------------------------------------------------------

PERIODS = [  # code, first day, last day, label
    ("2024-Q1", date(2023, 12, 15), date(2024, 3, 14), "Quý I năm 2024"),
    ("2024-Q2", date(2024, 3, 15), date(2024, 6, 14), "Quý II năm 2024"),
    ("2024-Q3", date(2024, 6, 15), date(2024, 9, 14), "Quý III năm 2024"),
    ("2024-Q4", date(2024, 9, 15), date(2024, 12, 14), "Quý IV năm 2024"),
    ("2024-H1", date(2023, 12, 15), date(2024, 6, 14), "6 tháng đầu năm 2024"),
    ("2024-H2", date(2024, 6, 15), date(2024, 12, 14), "6 tháng cuối năm 2024"),
    ("2024-9M", date(2023, 12, 15), date(2024, 9, 14), "9 tháng năm 2024"),
    ("2024-Y", date(2023, 12, 15), date(2024, 12, 14), "Năm 2024"),
    ("2024-CD:15/03/2024-30/09/2024", date(2024, 3, 15), date(2024, 9, 30), "Chuyên đề từ 15/03/2024 đến 30/09/2024"),
    ("2024-DX:01/08/2024-31/08/2024", date(2024, 8, 1), date(2024, 8, 31), "Đột xuất từ 01/08/2024 đến 31/08/2024"),
    ("2025-CD:01/12/2024-15/01/2025", date(2024, 12, 1), date(2025, 1, 15), "Chuyên đề từ 01/12/2024 đến 15/01/2025"),
]


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("đ", "d")


@pytest.mark.parametrize("code,first,last,label", PERIODS)
def test_every_kind_has_its_window_and_one_label_both_ways(code, first, last, label):
    p = periods.parse(code)
    assert (p.code, p.start, p.end, p.label) == (code, first, last, label)
    for text in (label, label.upper(), label.lower(), unicodedata.normalize("NFD", label), _unaccented(label),
                 p.slug, code.lower()):
        assert periods.parse(text) == p, text


def test_no_label_is_taken_for_another_kind():
    """Every label of four years, the thematic and ad-hoc ones included, parses to its own period only."""
    all_periods = [periods.Period(y, k) for y in range(2023, 2027) for k in periods.PERIODIC]
    all_periods += [periods.parse(code) for code, *_ in PERIODS if ":" in code]
    labels = [p.label for p in all_periods]
    assert len(set(labels)) == len(labels) and len({p.code for p in all_periods}) == len(all_periods)
    for p in all_periods:
        assert periods.parse(p.label) == p and periods.parse(p.code) == p
    for a, b in itertools.combinations(all_periods, 2):
        assert periods.parse(a.label) != b


@pytest.mark.parametrize("text,code", [
    ("6 tháng cuối năm 2024", "2024-H2"),
    ("6 THÁNG CUỐI NĂM 2024", "2024-H2"),
    ("06 tháng cuối năm 2024", "2024-H2"),
    ("Báo cáo 6 tháng cuối năm 2024", "2024-H2"),
    ("6 tháng đầu năm 2024", "2024-H1"),
    ("6 tháng năm 2024", "2024-H1"),  # the usual name of the mid-year review
    ("9 tháng đầu năm 2024", "2024-9M"),
    ("Quý IV/2024", "2024-Q4"),
    ("quý 3 năm 2024", "2024-Q3"),
    ("cả năm 2024", "2024-Y"),
    ("2024", "2024-Y"),
    ("Báo cáo chuyên đề từ ngày 15/3/2024 đến ngày 30/9/2024", "2024-CD:15/03/2024-30/09/2024"),
    ("đột xuất 01/08/2024 - 31/08/2024", "2024-DX:01/08/2024-31/08/2024"),
    ("2024-cd:1/8/2024-31/8/2024", "2024-CD:01/08/2024-31/08/2024"),
])
def test_labels_as_officials_write_them(text, code):
    assert periods.parse(text).code == code


@pytest.mark.parametrize("bad,says", [
    ("2024-Q5", "Kỳ báo cáo không hợp lệ"),
    ("2024-H3", "Kỳ báo cáo không hợp lệ"),
    ("6 tháng giữa năm 2024", "Kỳ báo cáo không hợp lệ"),
    ("quý V năm 2024", "Kỳ báo cáo không hợp lệ"),
    ("chuyên đề năm 2024", "Kỳ báo cáo không hợp lệ"),  # no window
    ("2024-CD", "Kỳ báo cáo không hợp lệ"),
    ("2024-CD:30/09/2024-15/03/2024", "ngày cuối 15/03/2024 ở trước ngày đầu 30/09/2024"),
    ("2024-DX:01/12/2024-15/01/2025", "dùng 2025-DX:01/12/2024-15/01/2025"),
    ("2024-CD:31/02/2024-30/09/2024", "ngày 31/02/2024 không có"),
])
def test_malformed_periods_say_what_is_wrong(bad, says):
    with pytest.raises(UserError) as e:
        periods.parse(bad)
    assert says in e.value.message and "Kỳ báo cáo không hợp lệ" in e.value.message


def test_thematic_and_adhoc_reports_have_their_own_title_and_file_name():
    cd = periods.parse("2024-CD:15/03/2024-30/09/2024")
    assert cd.slug == "2024-CD-20240315-20240930" and periods.parse(cd.slug) == cd
    assert cd.title == ("Kết quả thực hiện công tác dân vận chính quyền (báo cáo chuyên đề, số liệu từ ngày "
                        "15/03/2024 đến ngày 30/09/2024)")
    dx = periods.parse("2024-DX:01/08/2024-31/08/2024")
    assert "(báo cáo đột xuất, số liệu từ ngày 01/08/2024 đến ngày 31/08/2024)" in dx.title
    assert periods.parse("2024-Q2").title == "Kết quả thực hiện công tác dân vận chính quyền quý II năm 2024"
    assert periods.parse("2024-H2").title == "Kết quả thực hiện công tác dân vận chính quyền 6 tháng cuối năm 2024"
    # the same window a year earlier is "cùng kỳ"; 29/02 falls back to 28/02
    assert cd.previous_year().code == "2023-CD:15/03/2023-30/09/2023"
    assert periods.parse("2024-DX:29/02/2024-31/03/2024").previous_year().code == "2023-DX:28/02/2023-31/03/2023"
    assert cd.era == "legacy" and periods.parse("2025-DX:01/06/2025-15/07/2025").era == "2025"


@pytest.mark.parametrize("code,after", [
    ("2024-H1", "6 tháng cuối năm 2024"), ("2024-H2", "6 tháng đầu năm 2025"), ("2024-9M", "Quý IV năm 2024"),
    ("2024-Y", "Năm 2025"), ("2024-Q4", "Quý I năm 2025"), ("2024-Q2", "Quý III năm 2024"),
    ("2024-CD:15/03/2024-30/09/2024", "thời gian tới"),
])
def test_the_period_ahead(code, after):
    assert periods.parse(code).next_label == after


# --- blank forms: the period dropdown around the year they are built for ------------------------

def _labels(year: int) -> list[str]:
    out = []
    for y in range(year - 2, year + 2):
        out += [f"Quý I năm {y}", f"Quý II năm {y}", f"Quý III năm {y}", f"Quý IV năm {y}",
                f"6 tháng đầu năm {y}", f"6 tháng cuối năm {y}", f"9 tháng năm {y}", f"Năm {y}"]
    return out


def _period_list(path: Path) -> list[str]:
    ws = load_workbook(path)[LISTS_SHEET]
    assert ws["A1"].value == "period"
    return [c.value for (c,) in ws.iter_rows(min_row=2, min_col=1, max_col=1) if c.value is not None]


class _Day2026(date):
    @classmethod
    def today(cls):
        return cls(2026, 3, 2)


def test_a_build_in_2026_offers_2024_to_2027(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "date", _Day2026)
    paths = build_all(tmp_path)
    assert len(paths) == 3
    for path in paths:
        values = _period_list(path)
        assert values == _labels(2026) and values[0] == "Quý I năm 2024" and values[-1] == "Năm 2027"


def test_build_year_option_and_the_settings_of_chung_yaml(tmp_path, monkeypatch):
    r = run("build", "--year", "2030", "--no-xlsm", "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    assert _period_list(tmp_path / "bao-cao-dinh-ky.xlsx") == _labels(2030)
    # one year back, none ahead: 2029 and 2030 only
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    chung = root / "forms" / "chung.yaml"
    text = chung.read_text(encoding="utf-8")
    chung.write_text(text.replace("period_years_back: 2", "period_years_back: 1")
                     .replace("period_years_forward: 1", "period_years_forward: 0"), encoding="utf-8")
    monkeypatch.setenv("DVCQ_TEMPLATES", str(root))
    form = spec.load_form("bao-cao-dinh-ky", str(root))
    path = build_form(form, tmp_path / "one.xlsx", build_year=2030)
    assert _period_list(path) == _labels(2030)[8:24]


def test_a_thematic_period_is_stamped_and_offered_on_its_forms(tmp_path):
    paths = prefilled_forms("403", "2024-CD:15/03/2024-30/09/2024", tmp_path, ["bao-cao-dinh-ky"])
    first = NHU_THANH[0]
    assert paths[0].name == f"{first.code}-thi-tran-ben-sung-bao-cao-dinh-ky-2024-CD-20240315-20240930.xlsx"
    wb = load_workbook(paths[0])
    assert wb[REPORT.main.name][REPORT.header_cell("period")].value == "Chuyên đề từ 15/03/2024 đến 30/09/2024"
    assert _period_list(paths[0])[-1] == "Chuyên đề từ 15/03/2024 đến 30/09/2024"
    meta = {r[0].value: r[1].value for r in wb[REPORT.meta_sheet].iter_rows(min_col=1, max_col=2)}
    assert meta["period"] == "2024-CD:15/03/2024-30/09/2024"
    assert validate_file(paths[0]).period == "2024-CD:15/03/2024-30/09/2024"


# --- the reporting calendar ---------------------------------------------------------------------

@pytest.mark.parametrize("code,route,due", [
    # seed 002's 6-month date for communes; seed 003's dates to the province
    ("2024-H1", "commune->district", date(2024, 6, 15)),
    ("2024-H1", "district->province", date(2024, 6, 20)),
    ("2024-9M", "commune->district", date(2024, 9, 15)),
    ("2024-9M", "district->province", date(2024, 9, 20)),
    # the annual chain: communes five days before their district (not seed 002's 15/12)
    ("2024-Y", "commune->district", date(2024, 11, 20)),
    ("2024-Y", "district->province", date(2024, 11, 25)),
    ("2024-H2", "commune->district", date(2024, 11, 20)),
    ("2024-H2", "district->province", date(2024, 11, 25)),
    ("2025-Y", "commune->province", date(2025, 11, 25)),
    ("2025-Y", "department->province", date(2025, 11, 25)),
    ("2024-Q1", "commune->district", date(2024, 3, 15)),
    ("2024-Q4", "district->province", date(2024, 12, 20)),
])
def test_default_deadlines(code, route, due):
    assert deadlines.calendar().deadline(periods.parse(code), route) == due


def test_the_default_chain_is_possible():
    """A commune is due before its district in every period kind, the committed file read as text."""
    import yaml

    doc = yaml.safe_load((TEMPLATES / "deadlines.yaml").read_text(encoding="utf-8"))["default"]["deadlines"]

    def day(text: str) -> tuple[int, int]:
        d, m = text.split("/")
        return int(m), int(d)

    for kind in ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "Y"):
        assert day(doc["commune->district"][kind]) < day(doc["district->province"][kind]), kind
    assert deadlines.calendar().deadline(periods.parse("2024-CD:15/03/2024-30/09/2024"), "commune->district") is None


def _calendar_error(tmp_path, monkeypatch, old: str, new: str) -> tuple[str, Path, int]:
    path = edited_templates(tmp_path, monkeypatch, "deadlines.yaml", old, new)
    with pytest.raises(UserError) as e:
        deadlines.calendars()
    written = path.read_text(encoding="utf-8")
    line = written[:written.index(new.splitlines()[-1])].count("\n") + 1  # the last line written
    return e.value.message, path, line


PROVINCE = '''provinces:
  "38":
    name: tỉnh Thanh Hóa
    source: thử
    deadlines:
      commune->district: {Y: "15/12"}
'''


def test_a_commune_due_after_its_district_is_refused_naming_file_line_and_key(tmp_path, monkeypatch):
    message, path, line = _calendar_error(tmp_path, monkeypatch, "provinces: {}\n", PROVINCE)
    assert message == (f"Tệp {path}, dòng {line}, khóa «provinces.38.deadlines.commune->district.Y»: hạn nộp xã "
                       "gửi huyện kỳ năm (15/12) phải trước hạn nộp huyện gửi tỉnh (25/11): cấp dưới nộp trước để "
                       "cấp trên kịp tổng hợp (tỉnh Thanh Hóa).")


def test_a_broken_default_chain_is_refused(tmp_path, monkeypatch):
    old = 'H2: "20/11", 9M: "15/09", Y: "20/11"}'
    message, path, line = _calendar_error(tmp_path, monkeypatch, old, old.replace('Y: "20/11"', 'Y: "30/11"'))
    assert message.startswith(f"Tệp {path}, dòng {line}, khóa «default.deadlines.commune->district.Y»: hạn nộp xã "
                              "gửi huyện kỳ năm (30/11) phải trước hạn nộp huyện gửi tỉnh (25/11)")


@pytest.mark.parametrize("old,new,says", [
    ('{Q1: "15/03", Q2: "15/06"', '{Q1: "15/03", Q2: "10/03"', "khóa «default.deadlines.commune->district.Q2»: hạn "
     "nộp xã gửi huyện kỳ quý II (10/03) phải sau ngày đầu khoảng số liệu của kỳ (15/03)"),
    ('{Q1: "15/03", Q2: "15/06"', '{Q1: "31/02", Q2: "15/06"', "khóa «default.deadlines.commune->district.Q1»: cần một "
     "ngày dạng ngày/tháng"),
    ("provinces: {}\n", 'provinces:\n  "38": {name: x, source: y, mau: đỏ}\n', "khóa «mau»: khóa không được biết đến"),
    ("provinces: {}\n", 'provinces:\n  "Thanh Hóa": {name: x, source: y}\n', "cần mã tỉnh hai chữ số"),
    ("provinces: {}\n", 'provinces:\n  "38": {name: x, source: y, windows: {Y: {from: "14/12", to: "15/12-1"}}}\n',
     "ngày cuối khoảng số liệu (15/12-1) phải sau ngày đầu (14/12)"),
])
def test_the_calendar_is_checked_at_load(tmp_path, monkeypatch, old, new, says):
    message, path, _ = _calendar_error(tmp_path, monkeypatch, old, new)
    assert message.startswith(f"Tệp {path}, dòng ") and says in message, message


OWN = '''provinces:
  "38":
    name: tỉnh Thanh Hóa
    source: Kế hoạch thử của tỉnh
    deadlines:
      commune->district: {Y: "05/11"}
      district->province: {Y: "10/11"}
    windows:
      Y: {from: "15/11-1", to: "14/11"}
    texts_optional: {periods: [], source: Kế hoạch thử của tỉnh}
'''


@pytest.fixture
def thanh_hoa(tmp_path, monkeypatch):
    """A templates folder whose calendar gives Thanh Hóa (38) its own annual dates, window and texts rule."""
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    path = root / "deadlines.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("provinces: {}\n", OWN), encoding="utf-8")
    monkeypatch.setenv("DVCQ_TEMPLATES", str(root))
    spec._load_yaml.cache_clear()
    yield root
    spec._load_yaml.cache_clear()


def test_a_province_has_its_own_dates_window_and_texts_rule(thanh_hoa):
    y = periods.parse("2024-Y")
    cal = deadlines.calendar("38")
    assert cal.deadline(y, "commune->district") == date(2024, 11, 5)
    assert cal.deadline(y, "district->province") == date(2024, 11, 10)
    assert cal.deadline(periods.parse("2024-H1"), "commune->district") == date(2024, 6, 15)  # from the default
    assert cal.window(y) == (date(2023, 11, 15), date(2024, 11, 14))
    assert cal.texts_required(periods.parse("2024-Q2"))
    assert deadlines.calendar("40").deadline(y, "commune->district") == date(2024, 11, 20)  # Nghệ An: default
    info = deadlines.describe("2024-Y", "403")
    assert (info.start, info.end) == (date(2023, 11, 15), date(2024, 11, 14))
    assert [(r.route, r.due, r.figures_to) for r in info.routes] == [
        ("commune->district", date(2024, 11, 5), date(2024, 11, 5)),
        ("district->province", date(2024, 11, 10), date(2024, 11, 5))]


@pytest.mark.parametrize("own", [False, True], ids=["default", "province"])
def test_the_check_sheets_raw_calendar_reads_deadlines_yaml_as_dvcq_does(own, request):
    """tests/support/rawfigures.RawCalendar, which the check sheet's recomputation uses, reads
    templates/deadlines.yaml raw and computes windows, deadlines and the next period itself: it must give dvcq's
    days for every periodic kind, route and year around the reform (with a province's own block too), else one of
    the two is wrong."""
    from tests.support.rawfigures import RawCalendar

    if own:
        request.getfixturevalue("thanh_hoa")
    raw, cal = RawCalendar("38"), deadlines.calendar("38")
    routes = ("commune->district", "district->province", "commune->province", "department->province")
    for year, kind in itertools.product((2024, 2025, 2026), periods.PERIODIC):
        p = periods.parse(f"{year}-{kind}")
        assert raw.window(kind, year) == cal.window(p), p.code
        assert raw.straddles(kind, year) == p.straddles, p.code
        assert raw.following(kind, year) == (p.following().kind, p.following().year), p.code
        assert raw.names_next(kind) == cal.names_next(p), p.code
        for route in routes:
            assert raw.deadline(kind, year, route) == cal.deadline(p, route), (p.code, route)
    if own:
        assert raw.window("Y", 2024) == (date(2023, 11, 15), date(2024, 11, 14))  # the province's own window


def test_validation_uses_the_provinces_window(thanh_hoa, tmp_path):
    rows = corpus.log_rows()
    rows[2] = {**rows[2], "ngay_tiep": date(2024, 11, 20)}  # inside 2024-Y by the decree, after Thanh Hóa's 14/11
    path = corpus.write_log(tmp_path, rows, period=periods.parse("2024-Y"))
    cell = f"{spec.col_letter(LOG.main.col('ngay_tiep'))}{LOG.main.first_row + 2}"
    found = [i for i in validate_file(path).issues if i.cell == cell]
    assert [(i.code, i.severity) for i in found] == [("period", "error")]
    assert "nằm ngoài kỳ Năm 2024 (15/11/2023 - 14/11/2024)" in found[0].message


def test_consolidation_dates_the_ledger_by_the_provinces_calendar(thanh_hoa, tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    for u in NHU_THANH[:2]:
        corpus.write_report(folder, unit=(u.code, u.name), period=periods.parse("2024-Y"),
                            saved_at=datetime(2024, 11, 6, 9, 0))
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", workers=1, out=tmp_path / "th.xlsx")
    assert {r.deadline for r in result.ledger if r.unit_code != "403"} == {date(2024, 11, 5)}
    assert [r.deadline for r in result.ledger if r.unit_code == "403"] == [None]  # the district's own row
    assert not [r for r in result.ledger if r.submitted and r.on_time]  # sent 6/11, due 5/11


def test_dvcq_period_prints_label_window_and_deadlines():
    """The first in a real `python -m dvcq` process (the command's shell), the others in this one."""
    r = subprocess.run([sys.executable, "-m", "dvcq", "period", "6 tháng cuối năm 2024", "--parent", "403"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "Kỳ báo cáo: 6 tháng cuối năm 2024 (mã 2024-H2)",
        "Khoảng số liệu: từ 15/06/2024 đến 14/12/2024 (theo Nghị định 09/2019/NĐ-CP)",
        "Đơn vị: Huyện Như Thanh (403)",
        "Lịch báo cáo: lịch mặc định của dvcq (Kế hoạch mẫu 002 (huyện Như Thanh) và 003 (cấp tỉnh); hạn báo cáo "
        "quý theo thông lệ)",
        "Hạn gửi báo cáo:",
        "  - Xã gửi huyện: 20/11/2024, trước khi hết kỳ: số liệu tính đến ngày 20/11/2024",
        "  - Huyện gửi tỉnh: 25/11/2024, trước khi hết kỳ: số liệu tính đến ngày 20/11/2024 (hạn xã gửi huyện)",
        "Tên báo cáo: Kết quả thực hiện công tác dân vận chính quyền 6 tháng cuối năm 2024, phương hướng, nhiệm vụ "
        "6 tháng đầu năm 2025",
        "Kỳ tới nêu trong tên báo cáo: 6 tháng đầu năm 2025 (theo thiết lập next_focus trong deadlines.yaml: "
        f"{deadlines.calendar('38').focus_source})",
        "Nội dung đánh giá: bắt buộc",
    ]
    r = run("period", "2025-Q4")
    assert r.returncode == 0, r.stderr
    assert "  - Xã gửi tỉnh: 20/12/2025" in r.stdout and "  - Sở, ban, ngành gửi tỉnh: 20/12/2025" in r.stdout
    assert "Xã gửi huyện" not in r.stdout  # no districts after 1/7/2025 (2025-Q3 straddles: test_straddle.py)
    assert ("Nội dung đánh giá: không bắt buộc, chỉ cần các bảng số liệu (theo Thông tư 01/2024/TT-TTCP)"
            in r.stdout)
    r = run("period", "2024-DX:01/08/2024-31/08/2024")
    assert "Khoảng số liệu: từ 01/08/2024 đến 31/08/2024 (theo văn bản yêu cầu báo cáo)" in r.stdout
    assert "  - Xã gửi huyện: theo văn bản yêu cầu báo cáo" in r.stdout
    r = run("period", "2024-H3")
    assert r.returncode == 2 and r.stderr.startswith("Lỗi: Kỳ báo cáo không hợp lệ: «2024-H3»")


def test_describe_is_typed_and_without_a_parent_lists_the_eras_routes():
    info = deadlines.describe(periods.parse("2024-Y"))
    assert [r.route for r in info.routes] == ["commune->district", "district->province", "department->province"]
    assert [r.due for r in info.routes] == [date(2024, 11, 20), date(2024, 11, 25), date(2024, 11, 25)]
    assert info.parent == "" and info.texts_required
    assert [r.route for r in deadlines.describe("2025-Q4").routes] == ["commune->province", "department->province"]
    h1 = deadlines.describe("2024-H1", "403")
    assert [(r.due, r.figures_to) for r in h1.routes] == [(date(2024, 6, 15), None), (date(2024, 6, 20), None)]


# --- checks: rows after "Ngày lập", texts of quarters II-IV -------------------------------------

def test_a_row_after_the_files_date_is_a_warning_with_its_cell(tmp_path):
    rows = corpus.log_rows()  # prepared on 10/06/2024 (corpus.header)
    rows[1] = {**rows[1], "ngay_tiep": date(2024, 6, 9), "ngay_thu_ly": date(2024, 6, 9)}
    rows[2] = {**rows[2], "ngay_tiep": date(2024, 6, 12)}
    path = corpus.write_log(tmp_path, rows)
    r = validate_file(path)
    col = spec.col_letter(LOG.main.col("ngay_tiep"))
    after = [i for i in r.issues if i.code == "after-prepared"]
    assert [(i.severity, i.sheet, i.cell) for i in after] == [("warning", LOG.main.name,
                                                               f"{col}{LOG.main.first_row + 2}")]
    assert after[0].message == (f"«Ngày tiếp» 12/06/2024 ở sau ngày lập biểu 10/06/2024 (ô "
                                f"{LOG.header_cell('prepared_on')} trang «{LOG.main.name}»); kiểm tra lại ngày của "
                                "dòng, hoặc ghi lại ngày lập khi biểu được cập nhật đến ngày này.")
    assert r.status == "ok"
    # after the window too: the out-of-period error alone
    rows[2] = {**rows[2], "ngay_tiep": date(2024, 6, 20)}
    r = validate_file(corpus.write_log(tmp_path / "b", rows))
    at = [(i.code, i.severity) for i in r.issues if i.cell == f"{col}{LOG.main.first_row + 2}"]
    assert at == [("period", "error")]


def test_a_typed_date_of_preparation_counts_too(tmp_path):
    rows = corpus.log_rows()
    path = corpus.write_log(tmp_path, rows)
    corpus.type_over(path, LOG.main.name, LOG.header_cell("prepared_on"), "05/02/2024", as_text=True)
    cells = sorted(i.cell for i in validate_file(path).issues if i.code == "after-prepared")
    col = spec.col_letter(LOG.main.col("ngay_tiep"))
    assert cells == [f"{col}{LOG.main.first_row + 2}"]  # 01/03/2024 only; 05/02/2024 is the day itself


def _report_without_texts(folder: Path, code: str) -> Path:
    c = Content(header=corpus.header(period=periods.parse(code)), unit_level="commune",
                indicators=corpus.report_values(), texts={}, saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(REPORT, folder / f"{code}.xlsx", c)


@pytest.mark.parametrize("code,required", [("2024-Q1", True), ("2024-Q2", False), ("2024-Q3", False),
                                           ("2024-Q4", False), ("2024-H1", True), ("2024-Y", True),
                                           ("2024-CD:15/03/2024-30/09/2024", True)])
def test_quarters_two_to_four_need_no_texts_under_the_circular(tmp_path, code, required):
    r = validate_file(_report_without_texts(tmp_path, code))
    missing = [i for i in r.issues if i.code == "required" and i.sheet == "Đánh giá"]
    assert bool(missing) == required, [i.message for i in missing]


def test_a_province_may_ask_for_texts_every_quarter(thanh_hoa, tmp_path):
    r = validate_file(_report_without_texts(tmp_path, "2024-Q2"))  # Phượng Nghi lies in Thanh Hóa
    assert [i.message for i in r.issues if i.code == "required"] == [
        "Chưa ghi nội dung «Kết quả nổi bật».", "Chưa ghi nội dung «Hạn chế».",
        "Chưa ghi nội dung «Phương hướng, nhiệm vụ kỳ tới»."]


def test_prefilled_quarter_forms_say_which_texts_are_required(tmp_path):
    [q2] = prefilled_forms("403", "2024-Q2", tmp_path / "q2", ["bao-cao-dinh-ky"])[:1]
    [h1] = prefilled_forms("403", "2024-H1", tmp_path / "h1", ["bao-cao-dinh-ky"])[:1]
    titles = lambda p: [c.value for (c,) in load_workbook(p)["Đánh giá"].iter_rows(min_col=2, max_col=2)]  # noqa: E731
    assert "Kết quả nổi bật" in titles(q2) and "Kết quả nổi bật (bắt buộc)" not in titles(q2)
    assert "Kết quả nổi bật (bắt buộc)" in titles(h1)


# --- the report: to what date the figures run --------------------------------------------------

def test_an_annual_report_says_to_what_date_its_figures_run(tmp_path):
    folder = tmp_path / "nop"
    write_samples("403", "2024-Y", folder, seed=5, children=[u.code for u in NHU_THANH[:2]])
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", workers=1, out=tmp_path / "th.xlsx")
    context = build_context(result.out_path, db=tmp_path / "db.sqlite")
    assert context.period.figures_to == date(2024, 11, 20)  # communes' annual deadline, before 14/12
    md = tmp_path / "bc.md"
    report_text(result.out_path, md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    # each commune's figures run to its deadline (20/11), or to its files' "Ngày lập" when earlier, or on to a
    # log row dated later: the days read here from the raw cells, the district's own plan left out
    days = []
    for path in folder.glob("*.xlsx"):
        form = spec.load_form(next(f for f in spec.FORM_IDS if f in path.name))
        grid = corpus.raw_grid(path, form.main.name)
        if corpus.raw_cell(grid, form.header_cell("unit_code")) == "403":
            continue
        prepared = corpus.raw_cell(grid, form.header_cell("prepared_on"))
        day = min(date(2024, 11, 20), prepared) if isinstance(prepared, date) else date(2024, 11, 20)
        if form.id == "so-tiep-cong-dan":
            col = form.main.col("ngay_tiep") - 1
            rows = [r[col] for r in grid[form.main.first_row - 1:] if len(r) > col and isinstance(r[col], date)]
            day = max([day] + [d for d in rows if d <= date(2024, 12, 14)])
        days.append(day)
    first, last = min(days), max(days)
    fmt = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
    said = (f"Số liệu tính đến ngày {fmt(first)}" if first == last
            else f"Số liệu của các đơn vị tính đến các ngày từ {fmt(first)} đến {fmt(last)}")
    assert said in text and "chưa gồm những ngày còn lại của kỳ, đến ngày 14/12/2024" in text
    assert "**Kết quả thực hiện công tác dân vận chính quyền năm 2024, phương hướng, nhiệm vụ năm 2025**" in text


def test_a_communes_own_annual_report_of_2025_runs_to_the_provinces_date(tmp_path):
    two_tier = load("2025")
    commune = two_tier.children("38")[0]
    write_samples("38", "2025-Y", tmp_path, seed=2, children=[commune.code], forms=("bao-cao-dinh-ky",))
    context = build_context(sorted(tmp_path.glob("*.xlsx")))
    assert context.own and context.period.figures_to == date(2025, 11, 25)


def test_a_six_month_report_covers_its_window_whole(tmp_path):
    context = build_context(corpus.write_report(tmp_path))
    assert context.period.figures_to is None  # communes due 15/06, the window ends 14/06


def test_a_thematic_report_has_its_title_and_window(tmp_path):
    code = "2024-CD:15/03/2024-30/09/2024"
    folder = tmp_path / "nop"
    write_samples("403", code, folder, seed=4, children=[u.code for u in NHU_THANH[:2]])
    assert all(p.name.endswith("-2024-CD-20240315-20240930.xlsx") for p in folder.glob("*.xlsx"))
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", workers=1)
    assert result.out_path.name == "tong-hop-403-huyen-nhu-thanh-2024-CD-20240315-20240930.xlsx"
    md = tmp_path / "bc.md"
    report_text(result.out_path, md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    assert ("**Kết quả thực hiện công tác dân vận chính quyền (báo cáo chuyên đề, số liệu từ ngày 15/03/2024 đến "
            "ngày 30/09/2024)**") in text
    assert "báo cáo chuyên đề về kết quả thực hiện (số liệu từ 15/03/2024 đến 30/09/2024) như sau:" in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in text and "Số liệu tính đến ngày" not in text
