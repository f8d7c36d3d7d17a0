"""Targets kept wherever they belong (issue 26 §5, without the importer's part): the plan document prints the
plan's targets (sheet "Chỉ tiêu"), and the history keeps targets, so a year's report says whether the same
period's targets of the year before were met."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from dvcq.calendar.periods import parse
from dvcq.documents.context import build_context
from dvcq.documents.planwriter import write_plan
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.rollup.consolidate import consolidate_folder
from openpyxl import load_workbook

from tests.support import corpus
from tests.support.reporttext import report_text

PLAN = spec.load_form("ke-hoach")
REPORT = spec.load_form("bao-cao-dinh-ky")
TARGETS = PLAN.sheet("Chỉ tiêu")
UNIT = ("16231", "Xã Cán Khê")


def plan_with_targets(folder: Path, period, rows: list[dict]) -> Path:
    """A commune's plan whose sheet "Chỉ tiêu" holds ``rows`` (chi_tieu, gia_tri, nam, noi_dung)."""
    tasks = [{"stt": 1, "nhom": "Tuyên truyền, quán triệt", "noi_dung": "Tổ chức hội nghị quán triệt Chỉ thị 33/CT-TTg",
              "chu_tri": "Văn phòng - Thống kê", "thoi_han": "Thường xuyên", "trang_thai": "Đang triển khai"}]
    c = Content(header=corpus.header(UNIT, period), unit_level="commune", rows={"Nhiệm vụ": tasks, TARGETS.name: rows},
                saved_at=datetime(period.end.year, period.end.month, 10, 9, 0))
    return build_form(PLAN, Path(folder) / f"{UNIT[0]}-ke-hoach-{period.code}.xlsx", c)


def raw_target_rows(path: Path) -> list[tuple]:
    """(title, value as stored, number format, year, words) of each filled row, read with openpyxl."""
    ws = load_workbook(path)[TARGETS.name]
    col = {f.name: TARGETS.col(f.name) for f in TARGETS.fields}
    out = []
    for r in range(TARGETS.first_row, TARGETS.first_row + 20):
        title = ws.cell(r, col["chi_tieu"]).value
        if title:
            v = ws.cell(r, col["gia_tri"])
            out.append((title, v.value, v.number_format, ws.cell(r, col["nam"]).value,
                        ws.cell(r, col["noi_dung"]).value))
    return out


def test_the_plan_document_prints_the_plans_targets(tmp_path):
    p = parse("2025-Y")
    cc15, bd01, cc06 = (REPORT.main.indicator(c).title for c in ("CC15", "BD01", "CC06"))
    plan = plan_with_targets(tmp_path, p, [
        {"chi_tieu": cc15, "gia_tri": 100, "nam": 2025,
         "noi_dung": "Tăng số lượng các dịch vụ công được cung cấp trực tuyến toàn trình đạt tỉ lệ 100%"},
        {"chi_tieu": bd01, "gia_tri": 3, "nam": 2025},
        {"chi_tieu": cc06, "gia_tri": 95, "nam": 2026}])
    # the third typed "95%" over the cell, as Excel keeps it: 0.95 with a percent format
    wb = load_workbook(plan)
    wb[TARGETS.name].cell(TARGETS.first_row + 2, TARGETS.col("gia_tri")).value = 0.95
    wb[TARGETS.name].cell(TARGETS.first_row + 2, TARGETS.col("gia_tri")).number_format = "0%"
    wb.save(plan)
    raw = raw_target_rows(plan)
    assert [r[1:3] for r in raw][2] == (0.95, "0%")
    md = tmp_path / "kh.md"
    write_plan(plan, out=tmp_path / "kh.docx", md=md)
    text = md.read_text(encoding="utf-8")
    section = text.split("CHỈ TIÊU", 1)[1].split("\n## ", 1)[0]
    lines = [ln[2:] for ln in section.splitlines() if ln.startswith("- ")]
    assert len(lines) == len(raw) == 3
    assert lines[0] == raw[0][4] + "."  # the plan's own words, which say the value
    assert lines[1] == f"{raw[1][0]} năm {raw[1][3]}: {raw[1][1]} lớp."
    shown = round(raw[2][1] * 100)  # what the percent cell shows
    assert lines[2] == f"{raw[2][0]} năm {raw[2][3]}: {shown}%."


def test_a_years_report_says_whether_last_years_targets_were_met(tmp_path):
    db = tmp_path / "lich-su.sqlite"
    bd01, cc06 = (REPORT.main.indicator(c).title for c in ("BD01", "CC06"))
    met = {}
    for period, courses, aim in (("2023-H1", 2, 3), ("2024-H1", 4, 3)):
        p = parse(period)
        folder = tmp_path / period
        folder.mkdir()
        values = corpus.report_values()
        values["BD01"], values["BD02"] = courses, 40
        report = corpus.write_report(folder, values, unit=UNIT, period=p, saved_at=datetime(p.end.year, 6, 12))
        plan_with_targets(folder, p, [{"chi_tieu": bd01, "gia_tri": aim, "nam": p.year},
                                      {"chi_tieu": cc06, "gia_tri": 95, "nam": p.year}])
        consolidate_folder(folder, period=period, parent="403", db=db, workers=1, out=tmp_path / f"th-{period}.xlsx")
        grid = corpus.raw_grid(report, REPORT.main.name)
        value = lambda code: corpus.raw_cell(grid, REPORT.main.indicator_cell(code))  # noqa: E731
        met[period] = {"BD01": (value("BD01"), aim),
                       "CC06": ((value("CC03") + value("CC04")) / value("CC02"), 0.95)}
    last = met["2023-H1"]
    ctx = build_context([tmp_path / "2024-H1" / f"{UNIT[0]}-bao-cao-dinh-ky.xlsx",
                         tmp_path / "2024-H1" / f"{UNIT[0]}-ke-hoach-2024-H1.xlsx"], db=db)
    said = {c.title: c.outcome for c in ctx.previous_targets}
    v, t = int(last["BD01"][0]), last["BD01"][1]
    assert v < t and said[bd01] == f"chưa đạt chỉ tiêu ({v} lớp/{t} lớp)"
    rate, aim = last["CC06"]
    assert said[cc06].startswith("đạt chỉ tiêu" if rate >= aim else "chưa đạt chỉ tiêu")
    md = tmp_path / "bc.md"
    report_text([tmp_path / "2024-H1" / f"{UNIT[0]}-bao-cao-dinh-ky.xlsx"], md, db=db)
    text = md.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("Chỉ tiêu 6 tháng đầu năm 2023: "))
    # the titles run on in lower case inside the sentence (filter giua_cau)
    running = {x: x[:1].lower() + x[1:] for x in (bd01, cc06)}
    assert f"{running[bd01]} chưa đạt chỉ tiêu ({v} lớp/{t} lớp)" in line and running[cc06] in line
    # the district's report from its roll-up says it of the district's targets of last year
    district = build_context(tmp_path / "th-2024-H1.xlsx", db=db)
    assert {c.title: c.outcome for c in district.previous_targets}[bd01] == f"chưa đạt chỉ tiêu ({v} lớp/{t} lớp)"
