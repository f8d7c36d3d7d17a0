"""Periods that straddle the 1 July 2025 reform (issue 15 §5): 2025-Q3, 2025-9M, 2025-H2, 2025-Y and such
thematic windows have a part before 1/7/2025, reported in three tiers by the legacy communes and
districts, and a part from it reported by the communes of 2025; a legacy commune's file for a period
wholly after the reform is told which commune of 2025 it became part of (the crosswalk).

Thanh Hóa (38) is the test province: legacy district 403 Như Thanh has 14 communes, the province has 26
legacy districts and 166 communes of 2025. Expected figures are read from the files' raw cells.
"""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from dvcq.calendar.deadlines import calendar
from dvcq.calendar.periods import parse
from dvcq.cli import main
from dvcq.forms import spec
from dvcq.intake.validate import validate_file, validate_paths
from dvcq.model import UnitGroup, Values
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import era_of, load, reporters
from python_calamine import CalamineWorkbook

from tests.support import corpus
from tests.support.reporttext import report_text

LOG = spec.load_form("so-tiep-cong-dan").main
REPORT = spec.load_form("bao-cao-dinh-ky")
NHU_THANH = [u.code for u in load("legacy").children("403")]
NOW = datetime(2025, 10, 1, 8, 0)
UNITS_SHEET = "Tổng hợp chỉ tiêu"  # the roll-up's table of the report's indicators (templates/rollup/tong-hop.yaml)


def grid(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def log_days(path) -> list[date]:
    """The reception dates of a log, read from its raw cells."""
    col = LOG.col("ngay_tiep") - 1
    out = []
    for row in grid(path, LOG.name)[LOG.first_row - 1:]:
        v = row[col] if len(row) > col else ""
        if v != "":
            out.append(v.date() if isinstance(v, datetime) else v)
    return out


def indicator(path, code):
    """An indicator's value from the report's raw cell (its place from the specification)."""
    row, col = spec.split_cell(REPORT.main.indicator_cell(code))
    return grid(path, REPORT.main.name)[row - 1][col - 1]


def meta(path) -> dict:
    return {r[0]: r[1] for r in grid(path, "_dvcq") if r and r[0]}


# --- 1. a period knows its parts ---------------------------------------------------------------

@pytest.mark.parametrize("code, first, cut, last", [
    ("2025-Q3", date(2025, 6, 15), date(2025, 6, 30), date(2025, 9, 14)),
    ("2025-9M", date(2024, 12, 15), date(2025, 6, 30), date(2025, 9, 14)),
    ("2025-H2", date(2025, 6, 15), date(2025, 6, 30), date(2025, 12, 14)),
    ("2025-Y", date(2024, 12, 15), date(2025, 6, 30), date(2025, 12, 14)),
    ("2025-CD:01/06/2025-15/07/2025", date(2025, 6, 1), date(2025, 6, 30), date(2025, 7, 15)),
])
def test_a_straddling_period_has_a_part_on_each_side_of_the_reform(code, first, cut, last):
    p = parse(code)
    assert p.straddles and p.era == "2025"
    before, after = p.parts
    assert (before.era, before.start, before.end) == ("legacy", first, cut)
    assert (after.era, after.start, after.end) == ("2025", date(2025, 7, 1), last)
    assert before.label == "phần trước 01/7/2025" and after.label == "phần từ 01/7/2025"
    assert before.span == f"từ {first:%d/%m/%Y} đến 30/06/2025"
    assert before.name == f"{p.label}, phần trước 01/7/2025"


@pytest.mark.parametrize("code", ["2025-H1", "2025-Q2", "2025-Q4", "2026-H1", "2024-Y",
                                  "2025-CD:01/07/2025-15/07/2025", "2025-DX:01/06/2025-30/06/2025"])
def test_a_period_on_one_side_is_its_one_part(code):
    p = parse(code)
    assert not p.straddles
    (whole,) = p.parts
    assert (whole.era, whole.start, whole.end, whole.label, whole.name) == (p.era, p.start, p.end, "", p.label)


def test_the_calendar_clips_a_window_to_the_part():
    cal, p = calendar("38"), parse("2025-9M")
    assert cal.window(p) == (date(2024, 12, 15), date(2025, 9, 14))
    assert cal.window(p, "legacy") == (date(2024, 12, 15), date(2025, 6, 30))
    assert cal.window(p, "2025") == (date(2025, 7, 1), date(2025, 9, 14))
    assert cal.window(parse("2025-Q4"), "legacy") == (date(2025, 9, 15), date(2025, 12, 14))  # no part: whole


def test_the_era_of_a_units_file_in_a_straddling_period():
    p = parse("2025-9M")
    assert era_of(p, "403") == "legacy"  # districts are three-tier only
    assert era_of(p, "16240", "Xã Phượng Nghi") == "legacy"  # merged into Xuân Du: three-tier only
    assert era_of(p, "16228", "Thị trấn Bến Sung") == "legacy"  # 16228 is Xã Như Thanh in 2025
    assert era_of(p, "16228", "Xã Như Thanh") == "2025"
    assert era_of(p, "16264", "Xã Yên Thọ") == "2025"  # both registries, same name: the period's era...
    assert era_of(p, "16264", "Xã Yên Thọ", "legacy") == "legacy"  # ...unless the file or parent says
    assert era_of(p, "38") == "2025"
    assert era_of(parse("2025-Q4"), "403") == "2025" and era_of(parse("2025-H1"), "16228") == "legacy"


def test_who_reports_to_a_parent_in_each_part():
    p = parse("2025-9M")
    (district,) = reporters(p, "403")
    assert district.era == "legacy" and [u.code for u in district.units] == NHU_THANH and len(NHU_THANH) == 14
    before, after = reporters(p, "38")
    assert before.era == "legacy" and len(before.units) == 26 and all(u.level == "district" for u in before.units)
    assert after.era == "2025" and len(after.units) == 166 and all(u.level == "commune" for u in after.units)
    (whole,) = reporters(parse("2025-Q4"), "38")
    assert len(whole.units) == 166


def test_dvcq_period_says_the_parts_and_who_reports_each():
    out = CliRunner().invoke(main, ["period", "2025-9M", "--parent", "38"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert ("Kỳ gồm hai phần (sắp xếp đơn vị hành chính từ 01/7/2025): phần trước 01/7/2025 từ 15/12/2024 đến "
            "30/06/2025; phần từ 01/7/2025 từ 01/07/2025 đến 14/09/2025") in lines
    # the districts' part has the calendar's dates for it (issue 26 §8: test_abolished.py), the rest the period's
    assert [x for x in lines if x.startswith("  - ")] == [
        "  - Huyện gửi tỉnh (phần trước 01/7/2025): 30/06/2025, trước khi hết kỳ: số liệu tính đến ngày 25/06/2025 "
        "(hạn xã gửi huyện)", "  - Xã gửi tỉnh (phần từ 01/7/2025): 20/09/2025",
        "  - Sở, ban, ngành gửi tỉnh: 20/09/2025"]
    district = CliRunner().invoke(main, ["period", "2025-9M", "--parent", "403"])
    assert district.exit_code == 0 and "  - Xã gửi huyện (phần trước 01/7/2025): 25/06/2025" in district.output


# --- 2. the part before the reform: validated in three tiers, its window clipped -----------------

def rows_2025(*days):
    rows = corpus.log_rows()
    out = []
    for r, d in zip(rows, days):
        shift = d - r["ngay_tiep"]
        out.append(dict(r, ngay_tiep=d, **{k: r[k] + shift for k in ("ngay_thu_ly", "ngay_giai_quyet") if r.get(k)}))
    return out


def test_a_legacy_communes_log_of_2025_9m_runs_to_30_june(tmp_path):
    rows = rows_2025(date(2025, 3, 10), date(2025, 6, 2), date(2025, 7, 3))
    path = corpus.write_log(tmp_path, rows, unit=("16240", "Xã Phượng Nghi"), period=parse("2025-9M"))
    r = validate_file(path)
    assert r.era == "legacy" and r.unit_name == "Xã Phượng Nghi"
    (outside,) = [i for i in r.issues if i.code == "period"]
    assert outside.cell == f"{spec.col_letter(LOG.col('ngay_tiep'))}{LOG.first_row + 2}"  # the July row only
    assert "03/07/2025" in outside.message and "phần trước 01/7/2025" in outside.message
    assert "15/12/2024 - 30/06/2025" in outside.message
    assert not [i for i in r.issues if i.code == "unit"]


def test_a_2025_communes_log_of_2025_9m_starts_on_1_july(tmp_path):
    rows = rows_2025(date(2025, 6, 20), date(2025, 7, 2), date(2025, 8, 1))
    path = corpus.write_log(tmp_path, rows, unit=("16234", "Xã Xuân Du"), period=parse("2025-9M"))
    r = validate_file(path)
    assert r.era == "2025"
    (outside,) = [i for i in r.issues if i.code == "period"]
    assert outside.cell.endswith(str(LOG.first_row)) and "20/06/2025" in outside.message
    assert "01/07/2025 - 14/09/2025" in outside.message and "phần từ 01/7/2025" in outside.message


@pytest.fixture(scope="module")
def nhu_thanh_9m(tmp_path_factory):
    """`dvcq sample --parent 403 --period 2025-9M`: Như Thanh's legacy communes, the part before 1/7/2025."""
    base = tmp_path_factory.mktemp("straddle-403")
    out = base / "nhu thanh 9 tháng"
    result = CliRunner().invoke(main, ["sample", "--parent", "403", "--period", "2025-9M", "--out", str(out),
                                       "--seed", "5"])
    assert result.exit_code == 0, result.output
    return base, out


def test_the_samples_of_the_part_before_the_reform(nhu_thanh_9m):
    _, out = nhu_thanh_9m
    files = sorted(out.glob("*.xlsx"))
    own = [f for f in files if f.name.startswith("403-")]  # the district's own plan (its own row)
    assert [f.name for f in own] == ["403-huyen-nhu-thanh-ke-hoach-2025-9M.xlsx"]
    files = [f for f in files if f not in own]
    assert len(files) == 42 and {f.name.split("-")[0] for f in files} == set(NHU_THANH)
    logs = [f for f in files if "-so-tiep-cong-dan-" in f.name]
    days = [d for f in logs for d in log_days(f)]
    assert days and min(days) >= date(2024, 12, 15) and max(days) <= date(2025, 6, 30)
    assert all(meta(f)["period"] == "2025-9M" and meta(f)["era"] == "legacy" for f in files)
    report = validate_paths([out], workers=1)
    assert all(f.status == "ok" and f.era == "legacy" for f in report.files), \
        [(f.path.name, [i.message for i in f.errors]) for f in report.files if f.errors]


@pytest.fixture(scope="module")
def district_9m(nhu_thanh_9m):
    """Như Thanh's part consolidated by the district (--parent 403), for its test and the province's folder."""
    base, out = nhu_thanh_9m
    return consolidate_folder(out, period="2025-9M", parent="403", out=base / "th.xlsx", db=base / "db.sqlite",
                              workers=1, now=NOW)


def test_a_legacy_district_consolidates_its_communes_part(nhu_thanh_9m, district_9m):
    base, out = nhu_thanh_9m
    result = district_9m
    assert result.parent.code == "403" and result.era == "legacy" and result.part.end == date(2025, 6, 30)
    communes = result.rollup.group_ledger(UnitGroup.TERRITORIAL)
    assert [e.unit_code for e in communes] == NHU_THANH and all(e.submitted for e in communes)
    assert sum(e.on_time is False for e in communes) == 2 and not result.excluded
    assert UnitGroup.ABOLISHED not in result.groups  # a district's roll-up has one part
    reports = sorted(out.glob("*-bao-cao-dinh-ky-*.xlsx"))
    assert result.totals["TD04"] == sum(indicator(f, "TD04") for f in reports)
    assert result.totals["luot_tiep"] == sum(len(log_days(f)) for f in out.glob("*-so-tiep-cong-dan-*.xlsx"))
    sub = grid(result.out_path, UNITS_SHEET)[1][0]
    assert "phần trước 01/7/2025" in sub and "30/06/2025" in sub
    assert meta(result.out_path)["era"] == "legacy"
    # without --parent the district is inferred from the files, in the three-tier registry
    again = consolidate_folder(out, period="2025-9M", out=base / "th2.xlsx", db=base / "db2.sqlite", workers=1, now=NOW)
    assert again.parent.code == "403" and again.totals == result.totals


def test_the_district_part_is_written_as_a_report(nhu_thanh_9m, tmp_path):
    base, out = nhu_thanh_9m
    roll = tmp_path / "tổng hợp 403.xlsx"
    cli = CliRunner().invoke(main, ["consolidate", str(out), "--parent", "403", "--period", "2025-9M", "--out", str(roll),
                                    "--db", str(base / "db3.sqlite")])
    assert cli.exit_code == 0, cli.output
    assert ("Tổng hợp Huyện Như Thanh, 9 tháng năm 2025, phần trước 01/7/2025 (số liệu từ 15/12/2024 đến "
            "30/06/2025).") in cli.output and roll.exists()
    md = tmp_path / "bc.md"
    cli = CliRunner().invoke(main, ["report", str(roll), "--out", str(tmp_path / "bc.docx"),
                                    "--md", str(md), "--db", str(base / "db3.sqlite")])
    assert cli.exit_code == 0, cli.output
    text = md.read_text(encoding="utf-8")
    assert "HUYỆN NHƯ THANH" in text
    assert "kết quả thực hiện 9 tháng năm 2025, phần trước 01/7/2025 (số liệu từ 15/12/2024 đến 30/06/2025)" in text
    assert "14/14 xã, thị trấn" in text


def test_forms_of_each_part(tmp_path):
    cli = CliRunner().invoke(main, ["forms", "--parent", "403", "--period", "2025-9M", "--out", str(tmp_path / "a"),
                                    "--form", "bao-cao-dinh-ky"])
    assert cli.exit_code == 0, cli.output
    files = sorted((tmp_path / "a").glob("*.xlsx"))
    assert {f.name.split("-")[0] for f in files} == set(NHU_THANH) | {"403"}  # and the district's own copy
    assert {meta(f)["era"] for f in files} == {"legacy"}
    one = CliRunner().invoke(main, ["forms", "--unit", "Phượng Nghi", "--period", "2025-9M", "--out",
                                    str(tmp_path / "b"), "--form", "so-tiep-cong-dan"])
    assert one.exit_code == 0, one.output
    (copy,) = (tmp_path / "b").glob("*.xlsx")
    assert copy.name.startswith("16240-") and meta(copy)["era"] == "legacy"


def test_a_provinces_samples_of_a_straddling_period(tmp_path):
    """`dvcq sample --parent 38 --period 2025-9M`: the communes of 2025 for the part from 1/7/2025 and the
    legacy districts for the part before (two of each here)."""
    kids = ["403", "404", "16234", "16264"]
    paths = write_samples("38", "2025-9M", tmp_path, seed=3, forms=("so-tiep-cong-dan",), children=kids)
    by_code = {p.name.split("-")[0]: p for p in paths}
    assert set(by_code) == set(kids)
    for code, era, lo, hi in (("403", "legacy", date(2024, 12, 15), date(2025, 6, 30)),
                              ("16264", "2025", date(2025, 7, 1), date(2025, 9, 14))):
        days = log_days(by_code[code])
        assert meta(by_code[code])["era"] == era and lo <= min(days) and max(days) <= hi
    results = {r.unit_code: r for r in validate_paths([tmp_path], workers=1).files}
    assert {c: (r.status, r.era) for c, r in results.items()} == {
        "403": ("ok", "legacy"), "404": ("ok", "legacy"), "16234": ("ok", "2025"), "16264": ("ok", "2025")}


# --- 4. the crosswalk in validation ------------------------------------------------------------

@pytest.mark.parametrize("period", ["2025-Q4", "2026-H1"])
def test_a_merged_commune_in_a_period_after_the_reform_is_told_its_new_commune(tmp_path, period):
    path = corpus.write_report(tmp_path, unit=("16240", "Xã Phượng Nghi"), period=parse(period))
    r = validate_file(path)
    (unit,) = [i for i in r.issues if i.code == "unit"]
    assert unit.severity == "error" and r.status == "invalid"
    assert unit.message.startswith("Xã Phượng Nghi (16240) đã sáp nhập vào Xã Xuân Du (16234) từ 01/07/2025: "
                                   "hãy lập biểu theo đơn vị mới")
    assert unit.cell == REPORT.header_cell("unit_code")


def test_a_code_reused_in_2025_is_told_by_its_old_name(tmp_path):
    old = corpus.write_report(tmp_path, unit=("16228", "Thị trấn Bến Sung"), period=parse("2025-Q4"), name="a.xlsx")
    (unit,) = [i for i in validate_file(old).issues if i.code == "unit"]
    assert "Thị trấn Bến Sung (16228) đã sáp nhập vào Xã Như Thanh (16228)" in unit.message
    new = corpus.write_report(tmp_path, unit=("16228", "Xã Như Thanh"), period=parse("2025-Q4"), name="b.xlsx")
    assert not [i for i in validate_file(new).issues if i.code == "unit"]
    same = corpus.write_report(tmp_path, unit=("16264", "Xã Yên Thọ"), period=parse("2025-Q4"), name="c.xlsx")
    assert not [i for i in validate_file(same).issues if i.code == "unit"]  # kept its code and name


def test_a_district_after_the_reform_is_told_districts_are_gone(tmp_path):
    path = corpus.write_report(tmp_path, unit=("403", "Huyện Như Thanh"), period=parse("2025-Q4"))
    (unit,) = [i for i in validate_file(path).issues if i.code == "unit"]
    assert unit.message.startswith("Huyện Như Thanh (403) không còn từ 01/07/2025")
    # the same district's file of the part before the reform of 2025-9M is its own
    ok = corpus.write_report(tmp_path, unit=("403", "Huyện Như Thanh"), period=parse("2025-9M"), name="9m.xlsx")
    r = validate_file(ok)
    assert r.era == "legacy" and not [i for i in r.issues if i.code == "unit"]


# --- 3. a province's roll-up of a straddling period: both parts, apart, and said ------------------

@pytest.fixture(scope="module")
def thanh_hoa_9m(nhu_thanh_9m, district_9m, tmp_path_factory):
    """Thanh Hóa's 2025-9M folder: district 403's roll-up of its part (from the Như Thanh sample: district_9m's,
    copied), the reports of districts 404 and 406 for theirs, the reports and logs of three communes of 2025 for
    the rest; consolidated by the province."""
    base403, out403 = nhu_thanh_9m
    base = tmp_path_factory.mktemp("straddle-38")
    folder = base / "tỉnh 9 tháng"
    folder.mkdir()
    roll403 = district_9m
    shutil.copy(roll403.out_path, folder / "tong-hop-403.xlsx")
    districts = write_samples("38", "2025-9M", folder, seed=7, forms=("bao-cao-dinh-ky",), children=["404", "406"])
    communes = write_samples("38", "2025-9M", folder, seed=7, forms=("bao-cao-dinh-ky", "so-tiep-cong-dan"),
                             children=["14758", "16228", "16264"])
    result = consolidate_folder(folder, period="2025-9M", parent="38", out=base / "th.xlsx", db=base / "db.sqlite",
                                workers=1, now=NOW)
    return base, out403, roll403, districts, communes, result


def table_rows(path, sheet=UNITS_SHEET) -> dict[str, dict]:
    """A roll-up unit table read with openpyxl: the row whose column C holds a label, by that label, as
    {indicator code: value} (codes from the code row under the titles)."""
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    codes = rows[4]
    return {r[2]: {c: v for c, v in zip(codes, r) if c} for r in rows[5:] if r and isinstance(r[2], str)}


def test_a_provinces_roll_up_keeps_the_parts_apart(thanh_hoa_9m):
    _, out403, _, districts, communes, result = thanh_hoa_9m
    assert result.groups[:2] == [UnitGroup.ABOLISHED, UnitGroup.TERRITORIAL]
    old, new = result.rollup.group_ledger(UnitGroup.ABOLISHED), result.rollup.group_ledger(UnitGroup.TERRITORIAL)
    assert len(old) == 26 and len(new) == 166
    assert {e.unit_code for e in old if e.submitted} == {"403", "404", "406"}
    assert {e.unit_code for e in new if e.submitted} == {"14758", "16228", "16264"}
    assert next(e for e in old if e.unit_code == "403").forms == ("tong-hop",)
    # each group dated by its own route (templates/deadlines.yaml: district->province, commune->province)
    cal = calendar("38")
    p = parse("2025-9M")
    assert {r.deadline for r in result.ledger if r.group == UnitGroup.ABOLISHED} == {cal.deadline(p, "district->province")}
    assert {r.deadline for r in result.ledger if r.group == UnitGroup.TERRITORIAL} == {cal.deadline(p, "commune->province")}
    # subtotals and total from the raw cells of the files: 403's communes, the two districts, the communes
    old_reports = sorted(out403.glob("*-bao-cao-dinh-ky-*.xlsx")) + [d for d in districts if "bao-cao" in d.name]
    new_reports = [c for c in communes if "bao-cao" in c.name]
    rows = table_rows(result.out_path)
    for code in ("TD04", "TT01", "CC01"):
        want_old = sum(indicator(f, code) for f in old_reports)
        want_new = sum(indicator(f, code) for f in new_reports)
        assert rows["Cộng huyện, thị xã, thành phố (trước sắp xếp) (3/26)"][code] == want_old
        assert rows["Cộng xã, phường (3/166)"][code] == want_new
        total = next(v for k, v in rows.items() if k.startswith("Tổng cộng"))
        assert total[code] == want_old + want_new == result.totals[code]  # territory unchanged: the sum
    assert rows["Huyện Như Thanh"]["TD04"] == sum(indicator(f, "TD04") for f in sorted(out403.glob("*-bao-cao-*")))


def test_the_roll_up_says_its_two_parts(thanh_hoa_9m):
    *_, result = thanh_hoa_9m
    sentence = ("Số liệu kỳ gồm hai phần: từ 15/12/2024 đến 30/06/2025 do các huyện, thị xã, thành phố (trước sắp "
                "xếp) báo cáo: 3/26 đã nộp; từ 01/07/2025 đến 14/09/2025 do các xã, phường báo cáo: 3/166 đã nộp.")
    assert result.parts.sentence == sentence
    for sheet in (UNITS_SHEET, "Tiến độ nộp báo cáo"):
        assert grid(result.out_path, sheet)[2][0] == sentence
    heads = [r[0] for r in grid(result.out_path, "Tiến độ nộp báo cáo") if r and str(r[0]).startswith(("Huyện", "Xã"))]
    assert heads[:2] == ["Huyện, thị xã, thành phố (trước sắp xếp) (3/26 đã nộp)", "Xã, phường (3/166 đã nộp)"]


def test_the_provinces_roll_up_reads_back_equal(thanh_hoa_9m):
    from dvcq.intake.readback import load_rollup

    *_, result = thanh_hoa_9m
    back = load_rollup(result.out_path)
    # a sum of scores may carry float noise beyond the 15 digits Excel keeps (1746.1000000000001 is read
    # back 1746.1): the numbers are compared to that precision, everything else exactly
    flat = lambda v: pytest.approx(v.flat(), rel=1e-14)  # noqa: E731
    assert back.totals.flat() == flat(result.rollup.totals)
    assert [(u.code, u.group, u.values.flat()) for u in back.units] == \
        [(u.code, u.group, flat(u.values)) for u in result.rollup.units]
    bare = lambda r: replace(r, totals=Values(), units=[replace(u, values=Values()) for u in r.units])  # noqa: E731
    assert bare(back) == bare(result.rollup)  # every other field: ledger, cases, texts, targets...
    assert {u.code for u in back.group_units(UnitGroup.ABOLISHED)} == {"403", "404", "406"}


def test_the_report_says_its_two_parts(thanh_hoa_9m, tmp_path):
    base, *_, result = thanh_hoa_9m
    # its text only (tests/support/reporttext.py); `dvcq report` of a straddling roll-up runs whole in
    # test_the_district_part_is_written_as_a_report
    text = report_text(result.out_path, tmp_path / "bc.md", db=base / "db.sqlite")
    assert result.parts.sentence in text
    assert "3/26 huyện, thị xã, thành phố (trước sắp xếp)" in text  # who the figures cover, group by group
    assert "(số liệu từ 15/12/2024 đến 14/09/2025)" in text  # the province's window is whole


# --- 5. comparisons across the reform ------------------------------------------------------------

def test_a_straddling_period_is_compared_per_province_only_and_labelled(thanh_hoa_9m, tmp_path):
    """Thanh Hóa's 2025-9M beside its 2024-9M (three tiers): labelled, counts of units never compared; a
    district's part before the reform and a commune of 2025 are not compared at all."""
    from dvcq.forms.labels import reform_note
    from dvcq.rollup.compare import Sets, reason

    base, out403, *_ = thanh_hoa_9m
    db = tmp_path / "lich-su.sqlite"
    last = tmp_path / "2024"
    write_samples("38", "2024-9M", last, seed=3, forms=("bao-cao-dinh-ky",), children=["403", "404"])
    consolidate_folder(last, period="2024-9M", parent="38", db=db, out=tmp_path / "th-2024.xlsx", workers=1, now=NOW)
    write_samples("403", "2024-9M", tmp_path / "403-2024", seed=3, forms=("bao-cao-dinh-ky",))
    consolidate_folder(tmp_path / "403-2024", period="2024-9M", parent="403", db=db, out=tmp_path / "403-2024.xlsx",
                       workers=1, now=NOW)
    result = consolidate_folder(base / "tỉnh 9 tháng", period="2025-9M", parent="38", db=db,
                                out=tmp_path / "th-2025.xlsx", workers=1, now=NOW)
    note = reform_note(2024)
    assert note.startswith("Số liệu cùng kỳ năm 2024 là")  # a nine-month report: the same period of 2024
    assert result.across_reform and note in result.notes
    yoy = grid(result.out_path, "So với cùng kỳ")
    assert yoy[2][0] == note
    dv03 = next(r for r in yoy if r and r[0] == "DV03")
    assert dv03[3] != "" and dv03[4] != "" and dv03[5] == "" and dv03[6] == ""  # both shown, no growth
    td04 = next(r for r in yoy if r and r[0] == "TD04")
    assert td04[5] == td04[3] - td04[4]
    md = tmp_path / "bc.md"
    report_text(result.out_path, md, db=db)
    text = md.read_text(encoding="utf-8")
    # issue 22 §6: across the reform the report says why once and gives last year's figures without a change
    assert reason(Sets(None, None, True), 2024) in text
    assert "so với cùng kỳ năm 2024" not in text and "(năm 2024: " in text
    dv03_text = next(s for line in text.splitlines() for s in line.split(". ") if "đã ra mắt" in s)
    assert "năm 2024" not in dv03_text
    # district 403: its part before the reform is not its 2024-9M (another window, and it is gone)
    own = consolidate_folder(out403, period="2025-9M", parent="403", db=db, out=tmp_path / "403.xlsx", workers=1,
                             now=NOW)
    assert own.previous is None and not own.across_reform
    assert "So với cùng kỳ" not in CalamineWorkbook.from_path(str(own.out_path)).sheet_names
