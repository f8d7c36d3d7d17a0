"""Time limits as the laws say (issue 14): from ngày thụ lý, by classification and complexity, longer in
remote areas, a province's own limit for kiến nghị, phản ánh, calendar or working days, and cases
resolved late counted beside the open ones. Expected days are computed here from the dates."""
from __future__ import annotations

from datetime import date

import pytest
from dvcq.calendar.timelimits import PROVINCE_RULE, load_rules
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.intake import measures
from dvcq.intake.validate import validate_file

from tests.support import corpus

LOG = spec.load_form("so-tiep-cong-dan")
CUT = date(2024, 6, 14)


def columns(*cases):
    """Log columns for cases given as (ref, kind, accepted, level, resolved)."""
    cols = {f.name: [] for f in LOG.main.fields}
    for ref, kind, accepted, level, resolved in cases:
        row = {"ma_vu_viec": ref, "phan_loai": kind, "thu_ly": "x", "ngay_thu_ly": accepted, "ngay_tiep": accepted,
               "phuc_tap": level, "ngay_giai_quyet": resolved, "linh_vuc": "Khác"}
        for name in cols:
            cols[name].append(row.get(name))
    return {LOG.main.name: cols}, {LOG.main.name: list(range(10, 10 + len(cases)))}


def overdue(cases, unit="16240", province="38", rules=None):
    cols, rows = columns(*cases)
    return {c.ref.split("-", 1)[1]: c for c in measures.overdue_cases(LOG, cols, rows, unit, CUT, province, rules)}


def rules_with(tmp_path, yaml_extra: str = "", remote: str = "", days: str = "calendar"):
    root = tmp_path / "t"
    root.mkdir()
    text = (spec.templates_dir() / "thoi-han.yaml").read_text(encoding="utf-8")
    text = text.replace("days: calendar", f"days: {days}").replace("provinces: {}", "provinces:" + (yaml_extra or " {}"))
    (root / "thoi-han.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / "remote.csv"
    path.write_text("code,source\n" + remote, encoding="utf-8")
    load_rules.cache_clear()
    try:
        return load_rules(str(root), str(path))
    finally:
        load_rules.cache_clear()


def test_tiers_of_complaints_and_denunciations():
    start = date(2024, 4, 20)  # 55 days before the cut-off
    elapsed = (CUT - start).days
    got = overdue([("A", "Khiếu nại", start, None, None), ("B", "Khiếu nại", start, "Phức tạp", None),
                   ("C", "Tố cáo", start, "Phức tạp", None), ("D", "Tố cáo", date(2024, 3, 20), "Phức tạp", None),
                   ("E", "Tố cáo", date(2024, 3, 20), "Đặc biệt phức tạp", None)])
    assert elapsed == 55
    assert got["A"].limit == 30 and got["B"].limit == 45 and got["A"].days_open == elapsed
    assert "C" not in got  # 55 days of a complex denunciation's 60
    # 86 days: past the 60 of a complex denunciation, within the 90 of an especially complex one
    assert (CUT - date(2024, 3, 20)).days == 86 and got["D"].limit == 60 and "E" not in got
    assert got["D"].date is None and got["D"].linh_vuc is None  # a denunciation: reference only


def test_limits_run_from_acceptance_not_reception():
    cols, rows = columns(("A", "Khiếu nại", date(2024, 5, 20), None, None))
    cols[LOG.main.name]["ngay_tiep"] = [date(2024, 1, 2)]  # received long before it was accepted
    assert measures.overdue_cases(LOG, cols, rows, "16240", CUT) == []  # 25 days since acceptance


def test_resolved_late_is_counted_apart_from_open_cases():
    got = overdue([("L", "Khiếu nại", date(2024, 1, 2), None, date(2024, 3, 1)),
                   ("K", "Khiếu nại", date(2024, 1, 2), None, date(2024, 1, 20))])
    assert got["L"].status == "late" and got["L"].days_open == (date(2024, 3, 1) - date(2024, 1, 2)).days
    assert "K" not in got  # resolved within 30 days


def test_kien_nghi_has_a_limit_only_where_the_province_sets_one(tmp_path):
    case = [("P", "Kiến nghị, phản ánh", date(2024, 1, 2), None, None)]
    assert overdue(case) == {}  # no law sets one
    rules = rules_with(tmp_path, '\n  "38": {"Kiến nghị, phản ánh": {days: 15, source: "Quyết định số 1/QĐ-UBND"}}')
    got = overdue(case, rules=rules)
    assert got["P"].limit == 15 and got["P"].rule == PROVINCE_RULE
    assert overdue(case, province="40", rules=rules) == {}  # another province's rule does not apply


def test_remote_units_get_the_longer_limits(tmp_path):
    case = [("R", "Khiếu nại", date(2024, 5, 5), None, None)]
    assert (CUT - date(2024, 5, 5)).days == 40 and overdue(case)["R"].limit == 30
    rules = rules_with(tmp_path, remote="16240,Quyết định 861/QĐ-TTg (xã khu vực III)\n")
    assert overdue(case, rules=rules) == {}  # within the 45 days of a remote area
    assert overdue(case, unit="16243", rules=rules)["R"].limit == 30  # a unit not listed keeps 30

def test_working_days_skip_weekends_and_holidays(tmp_path):
    rules = rules_with(tmp_path, days="working")
    # Monday 3/6/2024 to Friday 14/6/2024: 9 working days after the start
    assert rules.elapsed(date(2024, 6, 3), CUT) == 9
    assert load_rules().elapsed(date(2024, 6, 3), CUT) == 11


def test_a_remote_list_without_its_source_is_refused(tmp_path):
    with pytest.raises(UserError, match="căn cứ"):
        rules_with(tmp_path, remote="16240,\n")


def test_the_chairmans_reception_days_below_the_minimum_are_a_warning(tmp_path):
    """Luật Tiếp công dân 2013 Điều 15: a commune's chairman receives at least one day a week; the
    six months of 2024-H1 (15/12/2023 - 14/6/2024, 183 days) hold 26 weeks."""
    assert (date(2024, 6, 14) - date(2023, 12, 15)).days + 1 == 183 and 183 // 7 == 26
    values = dict(corpus.report_values(), TD01=6, TD02=26)
    r = validate_file(corpus.write_report(tmp_path, values))
    found = [i for i in r.issues if i.code == "legal-minimum"]
    assert [(i.field, i.severity) for i in found] == [("TD01", "warning")] and r.status == "ok"
    assert "26" in found[0].message and "Điều 15" in found[0].message
    ok = validate_file(corpus.write_report(tmp_path / "b", dict(corpus.report_values(), TD01=26, TD02=26)))
    assert not [i for i in ok.issues if i.code == "legal-minimum"]
