"""After the 2025 reform (issue 26 §8): the abolished districts' part of a straddling period is sent by whom and
by when the calendar says (templates/deadlines.yaml "abolished", per province with its reason), never on a date
after the districts ended when they send it; and a declared body whose dates ended (Sở Tài nguyên và Môi trường,
28/02/2025) never leads a task, overdue or not, after its end: its tasks go to the body that took them over."""
from __future__ import annotations

from datetime import date, datetime

import pytest
import yaml
from click.testing import CliRunner
from dvcq.calendar import deadlines
from dvcq.calendar.periods import parse
from dvcq.cli import main
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.intake.validate import validate_file
from dvcq.model import UnitGroup
from dvcq.rollup import progress
from dvcq.rollup.consolidate import consolidate_folder

from tests.support import corpus
from tests.support.paths import TEMPLATES
from tests.support.templates import edited_templates

STRADDLING = ("2025-Q3", "2025-9M", "2025-H2", "2025-Y")


def _dmy(text: str) -> date:
    d, m, y = (int(x) for x in text.split("/"))
    return date(y, m, d)


def _default() -> dict:
    return yaml.safe_load((TEMPLATES / "deadlines.yaml").read_text(encoding="utf-8"))["default"]


def test_the_districts_part_is_due_when_the_calendar_says_and_never_after_they_ended():
    setting = _default()["abolished"]
    routes = {r: _dmy(v) for r, v in setting["deadlines"].items()}
    assert setting["sender"] == "district" and setting["source"]
    cal = deadlines.calendar("38")
    for code in STRADDLING:
        p = parse(code)
        for route, due in routes.items():
            assert cal.deadline(p, route) == due <= date(2025, 6, 30)
    # the part from 1/7/2025 and the bodies keep the period's dates; a period on one side is untouched
    days = _default()["deadlines"]
    assert cal.deadline(parse("2025-9M"), "commune->province") == _dmy(days["commune->province"]["9M"] + "/2025")
    assert cal.deadline(parse("2025-Q4"), "commune->province") == _dmy(days["commune->province"]["Q4"] + "/2025")
    assert cal.deadline(parse("2025-H1"), "district->province") == _dmy(days["district->province"]["H1"] + "/2025")


def test_dvcq_period_says_who_sends_the_districts_part():
    out = CliRunner().invoke(main, ["period", "2025-Y", "--parent", "38"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    i = next(k for k, x in enumerate(lines) if x.startswith("  - Huyện gửi tỉnh (phần trước 01/7/2025)"))
    assert lines[i + 1].startswith("    người gửi: Ủy ban nhân dân các huyện, thị xã, thành phố, trước khi kết thúc")
    assert _default()["abolished"]["source"] in lines[i + 1]
    assert not any("người gửi" in x for x in CliRunner().invoke(main, ["period", "2025-Q4", "--parent", "38"]).output
                   .splitlines())


def _templates(tmp_path, monkeypatch, old: str, new: str):
    return edited_templates(tmp_path, monkeypatch, "deadlines.yaml", old, new)


def test_a_province_sets_its_own_sender_and_date_with_its_reason(tmp_path, monkeypatch):
    _templates(tmp_path, monkeypatch, "provinces: {}", '''provinces:
  "38":
    name: tỉnh Thanh Hóa
    source: thử
    abolished:
      sender: province
      deadlines: {district->province: "10/10/2025"}
      source: Công văn số 1/UBND-NC giao Sở Nội vụ tổng hợp''')
    cal = deadlines.calendars()["38"]
    assert cal.deadline(parse("2025-9M"), "district->province") == date(2025, 10, 10)
    assert cal.deadline(parse("2025-9M"), "commune->district") == date(2025, 9, 15)  # not set: the period's
    info = deadlines.describe("2025-9M", "38")
    row = next(r for r in info.routes if r.route == "district->province")
    assert row.sender.startswith("Sở Nội vụ") and "Công văn số 1/UBND-NC" in row.sender
    assert deadlines.calendars()[""].abolished.sender == "district"  # another province keeps the default


def test_districts_cannot_be_due_after_they_ended(tmp_path, monkeypatch):
    path = _templates(tmp_path, monkeypatch, 'district->province: "30/06/2025"}', 'district->province: "20/09/2025"}')
    with pytest.raises(UserError) as e:
        deadlines.calendars()
    assert str(path) in e.value.message and "default.abolished.deadlines.district->province" in e.value.message
    assert "30/06/2025" in e.value.message


def test_the_abolished_districts_are_dated_by_the_setting_in_a_provinces_roll_up(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    corpus.write_report(folder, unit=("16264", "Xã Yên Thọ"), period=parse("2025-9M"))
    result = consolidate_folder(folder, period="2025-9M", parent="38", db=tmp_path / "h.sqlite", workers=1,
                                out=tmp_path / "th.xlsx")
    due = {r.deadline for r in result.ledger if r.group == UnitGroup.ABOLISHED}
    assert due == {_dmy(_default()["abolished"]["deadlines"]["district->province"])}


# --- a body that ended leads no task after its end -------------------------------------------------------

def test_a_body_that_ended_leads_no_task_after_its_end(tmp_path):
    bodies = yaml.safe_load((TEMPLATES / "co-quan.yaml").read_text(encoding="utf-8"))["parents"]["38"]["bodies"]
    ended = next(b for b in bodies if b["code"] == "38-STNMT")
    successor = next(b for b in bodies if b["code"] == ended["successor"])
    assert _dmy(ended["to"]) == date(2025, 2, 28) and successor["name"] == "Sở Nông nghiệp và Môi trường"
    form = spec.load_form("ke-hoach")
    tasks = [{"stt": 1, "nhom": "Cải cách hành chính", "noi_dung": "Số hóa hồ sơ đất đai",
              "chu_tri": "Sở Tài nguyên và Môi trường", "thoi_han": date(2025, 5, 30), "trang_thai": "Đang triển khai"},
             {"stt": 2, "nhom": "Cải cách hành chính", "noi_dung": "Rà soát thủ tục đất đai",
              "chu_tri": "Sở Tài nguyên và Môi trường", "thoi_han": "Thường xuyên", "trang_thai": "Đang triển khai"},
             {"stt": 3, "nhom": "Cải cách hành chính", "noi_dung": "Niêm yết thủ tục",
              "chu_tri": "Sở Tư pháp", "thoi_han": date(2025, 5, 30), "trang_thai": "Đang triển khai"}]
    for period, lead in (("2025-Y", successor["name"]), ("2024-Y", ended["name"])):
        p = parse(period)
        c = Content(header=corpus.header(("38", "Tỉnh Thanh Hóa"), p), unit_level="province", rows={"Nhiệm vụ": tasks},
                    saved_at=datetime(p.end.year, p.end.month, 10))
        plan = build_form(form, tmp_path / f"38-ke-hoach-{period}.xlsx", c)
        r = validate_file(plan)
        assert r.status == "ok", [i.message for i in r.issues]
        names = [b.name for b in r.summary.bodies]
        overdue = {t.chu_tri for t in r.summary.overdue_tasks}
        if period == "2025-Y":  # after 28/02/2025: its tasks are its successor's, overdue or recurring
            assert ended["name"] not in names and ended["name"] not in overdue
            assert lead in names and lead in overdue
        else:  # in 2024 it still led them (its dated task of 30/05/2025 not due yet)
            assert ended["name"] in names
    rows = progress.rows(form, r.summary.bodies)
    assert {b.name for b in rows} >= {ended["name"], "Sở Tư pháp"}
