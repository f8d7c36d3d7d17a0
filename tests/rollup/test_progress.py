"""Plan progress by lead body, recurring tasks and the rollout against target (issue 16 §4, §6).

Three communes' plans with hand-counted tasks: the expected figures below are counted from the rows
written here, never from dvcq's output."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from dvcq.documents.context import build_context
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.intake.progress import generic
from dvcq.rollup import progress
from dvcq.intake.readback import DATA_SHEET, load_rollup
from dvcq.intake.validate import validate_file
from dvcq.model import BodyProgress, RolloutTarget
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.text import fold
from dvcq.units.registry import load
from openpyxl import load_workbook

from tests.support import corpus
from tests.support.reporttext import report_text

PLAN = spec.load_form("ke-hoach")
REG = load("legacy")
A, B, C = REG.children("403")[:3]
NOW = datetime(2024, 7, 15, 8, 30)
AS_OF = date(2024, 6, 14)  # the last day of 2024-H1's data window in Thanh Hóa
DAY = corpus.header(("16231", "Xã Cán Khê"))["prepared_on"].strftime("%d/%m/%Y")  # the files' Ngày lập, before AS_OF


def task(i, lead, due, status, done=None):
    row = {"nhom": "Cải cách hành chính", "stt": i, "noi_dung": f"Nhiệm vụ {i}", "chu_tri": lead, "thoi_han": due,
           "trang_thai": status}
    if done:
        row["ngay_hoan_thanh"] = done
    return row


TASKS = {
    A.code: [task(1, "Công an xã", date(2024, 3, 31), "Đang triển khai"),  # overdue
             task(2, "công an  xã", date(2024, 5, 31), "Chưa triển khai"),  # overdue, spelt otherwise
             task(3, "Công an xã", "Thường xuyên", "Đang triển khai"),  # recurring, being carried out
             task(4, "Công chức Văn phòng - Thống kê", date(2024, 2, 28), "Đã hoàn thành", date(2024, 2, 20)),
             task(5, "công chức văn phòng – thống kê", date(2024, 7, 15), "Chưa triển khai"),  # after the period
             task(6, "Công chức Văn phòng - Thống kê", "Hằng năm", "Chưa triển khai"),  # recurring, not begun
             task(7, None, date(2024, 4, 30), "Chưa triển khai"),  # no lead: overdue all the same
             task(8, "Công chức Văn phòng - Thống kê", date(2024, 1, 31), "Tạm dừng")],  # paused: not overdue
    B.code: [task(1, f"CÔNG AN XÃ {B.short_name.upper()}", date(2024, 4, 15), "Đã hoàn thành", date(2024, 4, 10)),
             task(2, "Công an xã", "Định kỳ hằng quý", "Đang triển khai"),
             task(3, "Công chức Tư pháp - Hộ tịch", "Năm 2024", "Đang triển khai")],  # a period, not recurring
    C.code: [task(1, "Công an xã", AS_OF, "Chưa triển khai")],  # due on the window's last day: not yet late
}
LAUNCHED = {A.code: True, B.code: False, C.code: True}
TARGET = {A.code: (2025, 100), B.code: (2025, 100), C.code: None}  # C's plan sets no target


def write_plan(folder: Path, unit, target=None) -> Path:
    road = {"nam": 2024, "don_vi": unit.name, "ma_don_vi": unit.code,
            "trang_thai": "Đã ra mắt" if LAUNCHED[unit.code] else "Kế hoạch"}
    if LAUNCHED[unit.code]:
        road["ngay_ra_mat"] = date(2024, 3, 26)
    extra = {"Lộ trình": {"muc_tieu_nam": target[0], "muc_tieu_ty_le": target[1]}} if target else {}
    c = Content(header=corpus.header((unit.code, unit.name)), unit_level="commune",
                rows={"Nhiệm vụ": TASKS[unit.code], "Lộ trình": [road]}, extra=extra,
                saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(PLAN, folder / f"{unit.code}-ke-hoach.xlsx", c)


def folder_of(base: Path, units, targets=TARGET) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    for u in units:
        write_plan(base, u, targets[u.code])
        corpus.write_report(base, unit=(u.code, u.name))
    return base


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    base = tmp_path_factory.mktemp("progress")
    folder = folder_of(base / "nop thư mục", (A, B, C))
    result = consolidate_folder(folder, parent="403", out=base / "tổng hợp.xlsx", db=base / "h.sqlite", workers=1,
                                now=NOW)
    return base, result


# hand-counted over the three plans: (units, tasks, done, active, not started, paused, overdue, recurring,
# recurring active); bodies matched by their folded names, named as first written
WANT = {
    "Công an xã": (3, 6, 1, 3, 2, 0, 2, 2, 2),  # A1 A2 A3, B1 B2, C1
    "Công chức Văn phòng - Thống kê": (1, 4, 1, 0, 2, 1, 0, 1, 0),  # A4 A5 A6 A8
    "Công chức Tư pháp - Hộ tịch": (1, 1, 0, 1, 0, 0, 0, 0, 0),
    "Chưa ghi đơn vị chủ trì": (1, 1, 0, 0, 1, 0, 1, 0, 0),  # A7
}


def as_tuple(r: progress.BodyRow) -> tuple:
    return (r.units, r.tasks, r.done, r.active, r.not_started, r.paused, r.overdue, r.recurring, r.recurring_active)


def test_one_plan_by_lead_body(tmp_path):
    r = validate_file(write_plan(tmp_path, A, TARGET[A.code]))
    assert r.status == "ok", r.issues
    [warning] = r.issues  # task 7 names no lead: a warning, counted all the same
    assert warning.severity == "warning" and "chủ trì" in warning.message
    bodies = {b.name: b for b in r.summary.bodies}
    assert list(bodies) == ["Công an xã", "Công chức Văn phòng - Thống kê", ""]  # first spellings, first-seen order
    police = bodies["Công an xã"]
    assert police.key == fold("công an xã")
    assert police.counts == {"nv_tong": 3, "nv_chua": 1, "nv_dang": 2, "nv_xong": 0, "nv_dung": 0}
    assert (police.units, police.overdue) == (1, 2)
    assert police.recurring == {"Thường xuyên": {"nv_tong": 1, "nv_chua": 0, "nv_dang": 1, "nv_xong": 0, "nv_dung": 0}}
    office = bodies["Công chức Văn phòng - Thống kê"]
    assert office.overdue == 0  # done, after the period, recurring, paused: none is late
    assert list(office.recurring) == ["Hằng năm"]
    assert bodies[""].overdue == 1
    # the same rule as the overdue task list, which now names the lead
    late = sorted((t.noi_dung, t.chu_tri) for t in r.summary.overdue_tasks)
    assert late == [("Nhiệm vụ 1", "Công an xã"), ("Nhiệm vụ 2", "công an xã"), ("Nhiệm vụ 7", None)]
    assert r.summary.rollout_target == RolloutTarget(2025, 100.0)


def test_a_task_dated_after_the_period_end_is_not_late(tmp_path):
    tasks = [task(1, "Phòng Nội vụ", date(2024, 6, 15), "Chưa triển khai"),  # the day after the window
             task(2, "Phòng Nội vụ", date(2024, 12, 31), "Đang triển khai"),
             task(3, "Phòng Nội vụ", AS_OF, "Chưa triển khai"),
             task(4, "Phòng Nội vụ", date(2024, 6, 13), "Chưa triển khai")]  # the only one late
    c = Content(header={**corpus.header(), "prepared_on": AS_OF}, unit_level="commune", rows={"Nhiệm vụ": tasks},
                saved_at=datetime(2024, 6, 14, 9, 0))
    r = validate_file(build_form(PLAN, tmp_path / "kh.xlsx", c))
    [body] = r.summary.bodies
    assert (body.counts["nv_tong"], body.overdue) == (4, 1)
    assert [t.noi_dung for t in r.summary.overdue_tasks] == ["Nhiệm vụ 4"]
    assert r.summary.rollout_target == RolloutTarget(None, None)  # no target written: none invented
    assert r.summary.as_of == AS_OF


def test_tasks_are_late_at_the_day_the_plan_was_prepared(tmp_path):
    """A plan prepared on 10/06 tells nothing of 11-14/06: a task due 13/06 is not counted late in it (issue 22 §3)."""
    tasks = [task(1, "Phòng Nội vụ", date(2024, 6, 13), "Chưa triển khai"),
             task(2, "Phòng Nội vụ", date(2024, 6, 9), "Chưa triển khai")]
    c = Content(header={**corpus.header(), "prepared_on": date(2024, 6, 10)}, unit_level="commune",
                rows={"Nhiệm vụ": tasks}, saved_at=datetime(2024, 6, 12, 9, 0))
    r = validate_file(build_form(PLAN, tmp_path / "kh.xlsx", c))
    assert r.summary.as_of == date(2024, 6, 10)
    assert [(t.noi_dung, t.days_late) for t in r.summary.overdue_tasks] == [("Nhiệm vụ 2", 1)]


def test_bodies_add_up_across_units_behind_first(three):
    _, result = three
    rows = progress.rows(PLAN, result.rollup.bodies)
    assert {r.name: as_tuple(r) for r in rows} == WANT
    # Công an xã has a third of its tasks overdue; of the bodies without, Tư pháp has done none of its
    # one non-recurring task, Văn phòng 1 of 3; the tasks without a lead come last
    assert [r.name for r in rows] == ["Công an xã", "Công chức Tư pháp - Hộ tịch", "Công chức Văn phòng - Thống kê",
                                      "Chưa ghi đơn vị chủ trì"]
    assert [r.rate for r in rows] == [pytest.approx(1 / 4), 0, pytest.approx(1 / 3), 0]
    # the bodies' tasks are the plans' tasks
    assert sum(r.tasks for r in rows) == result.totals["nv_tong"] == sum(len(t) for t in TASKS.values())
    assert sum(r.overdue for r in rows) == result.totals["nv_qua_han"] == 3


def _table(ws, title: str, width: int) -> list[tuple]:
    """The rows of a table under its title cell on a sheet (header row skipped), until a blank row."""
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    start = next(i for i, row in enumerate(cells) if title in row)
    head = next(i for i in range(start + 1, len(cells)) if cells[i][0] == "STT")
    out = []
    for row in cells[head + 1:]:
        if all(v is None for v in row[:width]):
            break
        out.append(tuple(row[:width]))
    return out


def test_the_plan_sheet_shows_the_bodies_and_the_recurring_tasks(three):
    _, result = three
    ws = load_workbook(result.out_path)["Kế hoạch"]
    rows = _table(ws, "Tiến độ thực hiện nhiệm vụ theo đơn vị chủ trì", 13)
    body_rows, total = rows[:-1], rows[-1]
    assert [r[1] for r in body_rows] == ["Công an xã", "Công chức Tư pháp - Hộ tịch", "Công chức Văn phòng - Thống kê",
                                         "Chưa ghi đơn vị chủ trì"]
    for r in body_rows:
        assert tuple(r[3:12]) == WANT[r[1]], r[1]
    assert body_rows[0][12] == pytest.approx(1 / 4)
    assert total[0] == "Cộng" and total[3] == 3  # the plans the table covers
    assert tuple(total[4:12]) == tuple(sum(w[k] for w in WANT.values()) for k in range(1, 9))
    terms = _table(ws, "Nhiệm vụ thường xuyên, định kỳ", 8)
    assert [(r[1], r[3], r[4], r[5]) for r in terms] == [("Thường xuyên", 1, 1, 0), ("Định kỳ hằng quý", 1, 1, 0),
                                                        ("Hằng năm", 1, 0, 1)]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert (f"2/3 đơn vị có tên trong lộ trình của các kế hoạch đã nộp (3/14 xã, thị trấn; số liệu đến ngày "
            f"{DAY}) đã ra mắt (66,7%), mục tiêu theo kế hoạch của từng đơn vị; 2/3 kế hoạch ghi mục tiêu.") in texts
    assert "100%" not in " ".join(texts)  # different targets are never averaged nor one of them taken
    tasks = load_workbook(result.out_path)["Nhiệm vụ quá hạn"]
    heads = [c.value for c in tasks[4]]
    leads = sorted(str(tasks.cell(r, heads.index("Đơn vị chủ trì") + 1).value) for r in range(5, tasks.max_row + 1))
    assert leads == sorted(["None", "Công an xã", "công an xã"])


def test_bodies_and_targets_round_trip_and_travel_up(three, tmp_path):
    base, result = three
    back = load_rollup(result.out_path)
    assert back == result.rollup
    assert all(isinstance(b, BodyProgress) for b in back.bodies) and len(back.bodies) == 4
    assert sorted(back.rollout_targets, key=str) == sorted([RolloutTarget(2025, 100.0, 2), RolloutTarget(None, None, 1)],
                                                   key=str)
    up = tmp_path / "huyện"
    up.mkdir()
    (up / result.out_path.name).write_bytes(result.out_path.read_bytes())
    province = consolidate_folder(up, parent="38", out=tmp_path / "tỉnh.xlsx", db=tmp_path / "t.sqlite", workers=1)
    assert {r.name: as_tuple(r) for r in progress.rows(PLAN, province.rollup.bodies)} == WANT
    assert sorted(province.rollup.rollout_targets, key=str) == sorted(back.rollout_targets, key=str)


def test_an_old_rollup_without_bodies_still_reads(three, tmp_path):
    """A roll-up written before bodies and typed targets: no body rows, the target in "extra" rows."""
    _, result = three
    wb = load_workbook(result.out_path)
    ws = wb[DATA_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    kept = [r for r in rows if r[0] not in ("body", "rollout", "target")]
    kept += [["extra", "muc_tieu_nam", None, 2025, None], ["extra", "muc_tieu_ty_le", None, 100, None]]
    ws.delete_rows(1, ws.max_row)
    for r in kept:
        ws.append(r)
    old = tmp_path / "cũ.xlsx"
    wb.save(old)
    back = load_rollup(old)
    assert back.bodies == [] and back.units == result.rollup.units
    assert back.rollout_targets == [RolloutTarget(2025, 100.0, 3)]  # taken to cover the roll-up's 3 plans
    up = tmp_path / "huyện"
    up.mkdir()
    (up / "tong-hop-403.xlsx").write_bytes(old.read_bytes())
    province = consolidate_folder(up, parent="38", out=tmp_path / "tỉnh.xlsx", db=tmp_path / "t.sqlite", workers=1)
    assert province.rollup.bodies == []
    texts = [c.value for row in load_workbook(province.out_path, read_only=True)["Kế hoạch"].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("chưa có số liệu tiến độ theo đơn vị chủ trì" in t for t in texts)


def test_the_plan_sheet_says_the_rollouts_basis_as_the_report_does(nhu_thanh_rollup):
    """The committed Như Thanh 2024-H1 samples: the sheet Kế hoạch said "8/14 đơn vị đã ra mắt" without its basis;
    now which units (those on the Lộ trình of the plans that came in), out of whom (the plans counted, as the report
    says them) and up to which day: "8/14 đơn vị có tên trong lộ trình của các kế hoạch đã nộp (14/14 xã, thị trấn và
    cấp huyện; số liệu đến ngày 14/06/2024) đã ra mắt, …", the report's context saying the same sentence. The counts
    from the plans' raw rows (tests/support/rawfigures.py), the day each unit's files run to from their raw header
    cells and the calendar read raw (rawfigures.Folder.as_of), the number of communes from the registry."""
    import re

    from dvcq.documents.context import build_context
    from tests.support.paths import SAMPLE
    from tests.support.rawfigures import Folder

    groups = {u.code: "territorial" for u in REG.children("403")} | {"403": "own"}
    raw = Folder(SAMPLE, "2024-H1", "403", groups, {"territorial": len(REG.children("403")), "own": 1},
                 {"territorial": "commune->district", "own": None})
    listed = {(r.get("ma_don_vi") or r["don_vi"]): r for u in raw.with_form(PLAN.id) for r in u.rollout}
    launched = sum(1 for r in listed.values() if r["trang_thai"] == "Đã ra mắt")
    communes = [u for u in raw.with_form(PLAN.id) if raw.group_of(u) == "territorial"]
    days = [raw.as_of(u, f) for u in raw.units.values() if PLAN.id in u.files for f in u.files]
    day = f"ngày {min(days):%d/%m/%Y}" if min(days) == max(days) else \
        f"các ngày từ {min(days):%d/%m/%Y} đến {max(days):%d/%m/%Y}"
    own = " và cấp huyện" if any(u.code == "403" for u in raw.with_form(PLAN.id)) else ""
    basis = (f"{launched}/{len(listed)} đơn vị có tên trong lộ trình của các kế hoạch đã nộp ({len(communes)}/"
             f"{len(REG.children('403'))} xã, thị trấn{own}; số liệu đến {day}) đã ra mắt")
    texts = [c.value for row in load_workbook(nhu_thanh_rollup.out_path, read_only=True)["Kế hoạch"].iter_rows()
             for c in row if isinstance(c.value, str)]
    [sentence] = [t for t in texts if "đã ra mắt" in t and "lộ trình" in t]
    assert sentence.startswith(basis[:1].upper() + basis[1:]), (sentence, basis)
    assert re.search(r", mục tiêu \d+% năm \d{4}: đạt [\d,]+%\.$", sentence), sentence
    ctx = build_context(nhu_thanh_rollup.out_path)
    assert sentence == ctx.progress.rollout.text[:1].upper() + ctx.progress.rollout.text[1:] + "."


def test_the_report_names_the_bodies_behind(three):
    base, result = three
    md = base / "báo cáo.md"
    report_text(result.out_path, md, db=base / "h.sqlite")
    text = md.read_text(encoding="utf-8")
    assert ("Nhiệm vụ quá hạn theo đơn vị chủ trì: Công an xã (3 đơn vị): 2/6 nhiệm vụ quá hạn; "
            "nhiệm vụ chưa ghi đơn vị chủ trì: 1/1 nhiệm vụ quá hạn.") in text
    assert "Có 2/3 nhiệm vụ thường xuyên, định kỳ đang thực hiện." in text
    assert ("2/3 đơn vị có tên trong lộ trình của các kế hoạch đã nộp (3/14 xã, thị trấn) đã ra mắt (66,7%), mục tiêu "
            "theo kế hoạch của từng đơn vị; 2/3 kế hoạch ghi mục tiêu." in text), text
    assert "Văn phòng - Thống kê:" not in text  # no overdue task: not named


def test_one_target_says_its_year_and_attainment(tmp_path):
    folder = folder_of(tmp_path / "nop", (A, B))
    result = consolidate_folder(folder, parent="403", out=tmp_path / "th.xlsx", db=tmp_path / "h.sqlite", workers=1)
    ctx = build_context(result.out_path, db=tmp_path / "h.sqlite")
    assert ctx.progress.rollout.text == (f"1/2 đơn vị có tên trong lộ trình của các kế hoạch đã nộp (2/14 xã, thị "
                                         f"trấn; số liệu đến ngày {DAY}) đã ra mắt, mục tiêu 100% năm 2025: đạt 50%")
    md = tmp_path / "bc.md"
    report_text(result.out_path, md, db=tmp_path / "h.sqlite")
    # the report says whose plans the rollout counts, its opening the day (the sheet's sentence says both)
    said = ctx.progress.rollout.text.replace(f"; số liệu đến ngày {DAY}", "")
    assert f"theo kế hoạch: {said}." in md.read_text(encoding="utf-8")
    assert f"Số liệu tính đến ngày {DAY}" in md.read_text(encoding="utf-8")


def test_no_target_says_the_share_alone(tmp_path):
    folder = folder_of(tmp_path / "nop", (C,))
    result = consolidate_folder(folder, parent="403", out=tmp_path / "th.xlsx", db=tmp_path / "h.sqlite", workers=1)
    ctx = build_context(result.out_path, db=tmp_path / "h.sqlite")
    assert ctx.progress.rollout.text == (f"1/1 đơn vị có tên trong lộ trình của các kế hoạch đã nộp (1/14 xã, thị "
                                         f"trấn; số liệu đến ngày {DAY}) đã ra mắt (100%)")
    assert ctx.progress.late == [] and ctx.progress.recurring.value == 0


def test_a_units_own_report_says_its_bodies(tmp_path):
    folder = tmp_path / "xã"
    folder.mkdir()
    write_plan(folder, A, TARGET[A.code])
    corpus.write_report(folder, unit=(A.code, A.name))
    ctx = build_context(folder)
    assert [(b.name, b.overdue.value, b.tasks.value, b.units.value) for b in ctx.progress.late] == [
        ("Công an xã", 2, 3, 1), ("Chưa ghi đơn vị chủ trì", 1, 1, 1)]
    assert ctx.progress.rollout.text == "1/1 đơn vị đã ra mắt, mục tiêu 100% năm 2025: đạt 100%"


def test_a_bodys_name_sheds_its_own_units_name():
    assert generic("Công an xã Cán Khê", "Cán Khê") == "Công an xã"
    assert generic("UBND xã Cán Khê", "cán khê") == "UBND xã"
    assert generic("Công an xã Xuân Du", "Cán Khê") == "Công an xã Xuân Du"  # another unit's: kept
    assert generic("Cán Khê", "Cán Khê") == "Cán Khê"
    assert generic("Văn phòng - Thống kê", "") == "Văn phòng - Thống kê"


@pytest.mark.parametrize("targets,want", [
    ([RolloutTarget(2025, 100.0, 14)], "8/14 đơn vị đã ra mắt, mục tiêu 100% năm 2025: đạt 57,1%"),
    ([RolloutTarget(2025, 80.0, 14)], "8/14 đơn vị đã ra mắt, mục tiêu 80% năm 2025: đạt 71,4%"),
    ([RolloutTarget(None, None, 14)], "8/14 đơn vị đã ra mắt (57,1%)"),
    ([], "8/14 đơn vị đã ra mắt (57,1%)"),
    ([RolloutTarget(2025, None, 14)], "8/14 đơn vị đã ra mắt (57,1%), mục tiêu năm 2025 (kế hoạch không ghi tỷ lệ "
                                      "mục tiêu)"),
    ([RolloutTarget(2025, 100.0, 10), RolloutTarget(2026, 100.0, 4)],
     "8/14 đơn vị đã ra mắt (57,1%), mục tiêu theo kế hoạch của từng đơn vị"),
])
def test_rollout_wording(targets, want):
    assert progress.rollout_text(progress.rollout(8, 14, targets)) == want
