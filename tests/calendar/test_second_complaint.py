"""A second complaint's time limit (Luật Khiếu nại 2011, Điều 37: 45 days, 60 if complex; in remote areas 60,
70 if complex), picked by the log's column (21) Lần giải quyết; a first complaint keeps Điều 28's (30/45,
remote 45/60). The days below answer differently under the two: each number of days is within the second
complaint's limit and past the first's, and one day more is past both. Expected limits are the law's numbers,
written here."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from dvcq import schema
from dvcq.calendar.timelimits import load_rules
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.forms.legacy import legacy_layout
from dvcq.intake import measures
from dvcq.intake.validate import validate_file

from tests.support import corpus

LOG = spec.load_form("so-tiep-cong-dan")
CUT = date(2024, 6, 14)
UNIT = "16240"
# (complex, remote, days since acceptance): within Điều 37's limit, past Điều 28's
CASES = [(False, False, 40, 45, 30), (True, False, 50, 60, 45), (False, True, 55, 60, 45), (True, True, 65, 70, 60)]


def overdue(cases, rules):
    """{ref: OverdueCase} for cases given as (ref, kind, days before the cut-off, level, round)."""
    cols = {f.name: [] for f in LOG.main.fields}
    for ref, kind, days, level, round_ in cases:
        accepted = CUT - timedelta(days=days)
        row = {"ma_vu_viec": ref, "phan_loai": kind, "thu_ly": "x", "ngay_thu_ly": accepted, "ngay_tiep": accepted,
               "phuc_tap": level, "lan_giai_quyet": round_, "linh_vuc": "Khác"}
        for name in cols:
            cols[name].append(row.get(name))
    got = measures.overdue_cases(LOG, {LOG.main.name: cols}, {LOG.main.name: list(range(10, 10 + len(cases)))},
                                 UNIT, CUT, "38", rules)
    return {c.ref.split("-", 1)[1]: c for c in got}


def remote_rules(tmp_path, text: str | None = None):
    """The shipped rules with UNIT a remote area (and thoi-han.yaml's text replaced when given)."""
    root = tmp_path / "t"
    root.mkdir(exist_ok=True)
    (root / "thoi-han.yaml").write_text(text or (spec.templates_dir() / "thoi-han.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    path = tmp_path / "remote.csv"
    path.write_text(f"code,source\n{UNIT},Quyết định 861/QĐ-TTg (xã khu vực III)\n", encoding="utf-8")
    load_rules.cache_clear()
    try:
        return load_rules(str(root), str(path))
    finally:
        load_rules.cache_clear()


@pytest.mark.parametrize("complex_, remote, days, second, first", CASES)
def test_a_second_complaint_has_the_limit_of_article_37(tmp_path, complex_, remote, days, second, first):
    rules = remote_rules(tmp_path) if remote else load_rules()
    level = "Phức tạp" if complex_ else None
    got = overdue([("HAI", "Khiếu nại", days, level, "Lần hai"), ("AT", "Khiếu nại", second, level, "Lần hai"),
                   ("PAST", "Khiếu nại", second + 1, level, "Lần hai"), ("DAU", "Khiếu nại", days, level, "Lần đầu"),
                   ("TRONG", "Khiếu nại", days, level, None), ("DAU1", "Khiếu nại", first + 1, level, None)], rules)
    assert first < days < second  # the day counts sit between the two limits
    assert "HAI" not in got and "AT" not in got  # within Điều 37's limit, up to its last day
    assert got["PAST"].limit == second and got["PAST"].days_open == second + 1  # one day past Điều 37's limit
    assert got["PAST"].rule == "thời hạn luật định" and got["PAST"].status == "open"
    # the same days for a first complaint (said, or the column left empty) are past Điều 28's limit
    assert got["DAU"].limit == first and got["TRONG"].limit == first and got["DAU"].days_open == days
    assert got["DAU1"].limit == first and got["DAU1"].days_open == first + 1


def test_a_second_round_of_a_denunciation_keeps_its_own_limit():
    # Luật Tố cáo 2018 Điều 30: 30 days whatever the log's column (21) says
    got = overdue([("TC", "Tố cáo", 40, None, "Lần hai")], load_rules())
    assert got["TC"].limit == 30


def test_a_resolved_late_second_complaint_names_its_limit():
    accepted = CUT - timedelta(days=100)
    cols = {f.name: [] for f in LOG.main.fields}
    row = {"ma_vu_viec": "L", "phan_loai": "Khiếu nại", "thu_ly": "x", "ngay_thu_ly": accepted, "ngay_tiep": accepted,
           "lan_giai_quyet": "Lần hai", "ngay_giai_quyet": accepted + timedelta(days=46), "linh_vuc": "Khác"}
    for name in cols:
        cols[name].append(row.get(name))
    [case] = measures.overdue_cases(LOG, {LOG.main.name: cols}, {LOG.main.name: [10]}, UNIT, CUT, "38", load_rules())
    assert (case.status, case.limit, case.days_open) == ("late", 45, 46)


def test_a_log_with_the_column_is_read_with_the_second_limit(tmp_path):
    as_of = date(2024, 6, 10)  # the log's Ngày lập (tests.support.corpus.header)
    accepted = as_of - timedelta(days=40)
    rows = corpus.log_rows() + [corpus.complaint(4, "VV24-HAI", accepted, lan_giai_quyet="Lần hai"),
                                corpus.complaint(5, "VV24-DAU", accepted)]
    r = validate_file(corpus.write_log(tmp_path, rows))
    assert r.status == "ok" and r.summary.as_of == as_of
    got = {c.ref: c for c in r.summary.overdue_cases}
    assert "16240-VV24-HAI" not in got  # 40 days of Điều 37's 45
    assert got["16240-VV24-DAU"].limit == 30 and got["16240-VV24-DAU"].days_open == 40


def test_only_a_complaint_may_say_second_round(tmp_path):
    rows = corpus.log_rows()
    rows[2] = {**rows[2], "lan_giai_quyet": "Lần hai"}  # a denunciation
    r = validate_file(corpus.write_log(tmp_path, rows))
    found = [i for i in r.issues if i.field == "lan_giai_quyet" or "Lần giải quyết" in i.message]
    assert [(i.code, i.severity, i.field) for i in found] == [("rule", "warning", "lan_giai_quyet")]
    assert r.status == "ok" and found[0].cell == "W13"  # column (21) of the third row (the table starts at 11)
    assert "Phạm Văn Cường" not in found[0].message  # the denouncer is never named
    ok = validate_file(corpus.write_log(tmp_path / "b", corpus.log_rows()[:1] + [
        {**corpus.log_rows()[1], "lan_giai_quyet": "Lần hai"}]))
    assert not [i for i in ok.issues if "Lần giải quyết" in i.message]


def test_a_version_2_log_is_read_with_the_first_complaints_limits(tmp_path):
    layout = legacy_layout("so-tiep-cong-dan", 2)
    assert layout is not None and layout.form.version == 2 and LOG.version == 3
    assert "lan_giai_quyet" not in {f.name for f in layout.form.main.fields}
    as_of = date(2024, 6, 10)
    rows = corpus.log_rows() + [corpus.complaint(4, "VV24-CU", as_of - timedelta(days=40))]
    path = build_form(layout.form, tmp_path / "so-v2.xlsx",
                      Content(rows={layout.form.main.name: rows}, header=corpus.header(), unit_level="commune"))
    r = validate_file(path)
    assert r.status == "ok" and r.errors == []
    [warning] = [i for i in r.issues if i.code == "spec-version"]
    assert warning.severity == "warning" and "khiếu nại lần đầu" in warning.message and "Điều 28" in warning.message
    assert "mỗi lượt tiếp được tính là một vụ việc" not in warning.message  # version 1's note, not this layout's
    got = {c.ref: c for c in r.summary.overdue_cases}
    # no column (21): every complaint a first one, 30 days (Điều 28); 40 days is past it
    assert got["16240-VV24-CU"].limit == 30 and got["16240-VV24-CU"].days_open == 40
    assert got["16240-VV24-002"].limit == 30


BAD = [
    ("        days: 45\n", "        days: bốn mươi lăm\n", "days"),
    ("      Lần hai:\n", "      Lần 2:\n", "Lần 2"),
    ("        source: Luật Khiếu nại 2011, Điều 37 (giải quyết khiếu nại lần hai)\n", "", "source"),
    ("        remote: {days: 60,", "        remote: {ngày: 60, days: 60,", "ngày"),
]


@pytest.mark.parametrize("old, new, key", BAD)
def test_a_malformed_second_complaint_limit_is_refused(tmp_path, old, new, key):
    text = (spec.templates_dir() / "thoi-han.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    with pytest.raises(UserError) as e:
        remote_rules(tmp_path, text.replace(old, new))
    assert "thoi-han.yaml" in str(e.value) and f"«{key}»" in str(e.value)


def test_the_rounds_with_limits_of_their_own_are_values_the_log_offers():
    """thoi-han.yaml may give limits only to a round the log's column (21) lets an official choose (the schema's list
    of rounds and the specification's dropdown are two files: a round renamed in one alone would never match)."""
    field = LOG.main.field(LOG.main.time_limits["round_field"])
    offered = set(field.enum)
    assert set(schema.LIMIT_ROUNDS) <= offered
    assert set(load_rules().limits["Khiếu nại"]["rounds"]) <= offered
