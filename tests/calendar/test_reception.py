"""The law from the law (issue 22, §4): the head's minimum of periodic reception days per unit, from its level
and the days it reports on (Luật Tiếp công dân 2013), checked against what the unit typed. Expected values are
counted here from the dates, not through dvcq.calendar.reception."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from dvcq.calendar.periods import parse
from dvcq.calendar.reception import minimum, unit_minimum
from dvcq.calendar.timelimits import load_rules
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.intake.validate import validate_file
from dvcq.units.registry import load

from tests.support import corpus

ARTICLES = {"commune": ("Điều 15 khoản 2", 1, "week"), "district": ("Điều 13 khoản 5", 2, "month"),
            "province": ("Điều 12 khoản 5", 1, "month"), "department": ("Điều 18 khoản 2", 1, "month")}


def weeks(a: date, b: date) -> int:
    return ((b - a).days + 1) // 7


def months(a: date, b: date) -> int:
    """Whole calendar months from a to b, counted one by one."""
    n, d = 0, a
    while True:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, d.day)
        if nxt - timedelta(days=1) > b:
            return n
        n, d = n + 1, nxt


def test_every_level_has_the_law_s_floor_with_its_article():
    rules = load_rules()
    assert set(rules.reception) == set(ARTICLES)
    for level, (article, days, per) in ARTICLES.items():
        r = rules.reception[level]
        assert (r.days, r.per) == (days, per) and "Luật Tiếp công dân 2013" in r.source and article in r.source
    assert "Nghị định 64/2014/NĐ-CP, Điều 4 khoản 2" in rules.reception["department"].source


@pytest.mark.parametrize("period", ["2024-H1", "2024-Y", "2024-Q3", "2024-9M"])
def test_the_minimum_of_each_level_over_a_whole_period(period):
    p = parse(period)
    assert minimum("commune", p.start, p.end).days == weeks(p.start, p.end)
    assert minimum("district", p.start, p.end).days == 2 * months(p.start, p.end)
    assert minimum("province", p.start, p.end).days == months(p.start, p.end)
    assert minimum("department", p.start, p.end).days == months(p.start, p.end)
    assert minimum("country", p.start, p.end) is None


def test_about_26_12_and_6_days_in_six_months():
    p = parse("2024-H1")
    assert [minimum(lv, p.start, p.end).days for lv in ("commune", "district", "province", "department")] == \
        [26, 12, 6, 6]


def test_partial_periods_count_only_their_days():
    """A straddling period's parts, and a body that exists from 1/3/2025 (templates/co-quan.yaml)."""
    p = parse("2025-Y")
    old, new = p.part("legacy"), p.part("2025")
    assert (old.end, new.start) == (date(2025, 6, 30), date(2025, 7, 1))
    legacy, current = load("legacy"), load("2025")
    commune_old = unit_minimum(legacy.get("16240"), (old.start, old.end), legacy)
    commune_new = unit_minimum(current.get("16234"), (new.start, new.end), current)
    district = unit_minimum(legacy.get("403"), (old.start, old.end), legacy)
    assert commune_old.days == weeks(old.start, old.end) == 28
    assert commune_new.days == weeks(new.start, new.end) == 23
    assert district.days == 2 * months(old.start, old.end) == 12
    merged = current.get("38-SNNMT")  # Sở Nông nghiệp và Môi trường, from 01/03/2025
    got = unit_minimum(merged, (p.start, p.end), current)
    assert (got.start, got.end) == (date(2025, 3, 1), p.end) and got.days == months(date(2025, 3, 1), p.end) == 9
    assert unit_minimum(current.get("38-SNV"), (p.start, p.end), current).days == months(p.start, p.end) == 12


def _report(tmp_path, unit, values, period=corpus.PERIOD):
    v = dict(corpus.report_values(), **values)
    return validate_file(corpus.write_report(tmp_path, v, unit=unit, period=period))


def test_a_typed_required_figure_other_than_the_law_s_is_a_warning_naming_its_cell(tmp_path):
    """A district typing a commune's 26 days for six months: the law gives its chairman 12."""
    r = _report(tmp_path / "a", ("403", "Huyện Như Thanh"), {"TD01": 12, "TD02": 26})
    found = [i for i in r.issues if i.code == "legal-minimum"]
    cell = spec.load_form("bao-cao-dinh-ky").main.indicator_cell("TD02")
    assert [(i.field, i.cell, i.severity) for i in found] == [("TD02", cell, "warning")] and r.status == "ok"
    assert "26" in found[0].message and "12 buổi" in found[0].message and "Điều 13 khoản 5" in found[0].message
    ok = _report(tmp_path / "b", ("403", "Huyện Như Thanh"), {"TD01": 12, "TD02": 12})
    assert not [i for i in ok.issues if i.code == "legal-minimum"]


def test_a_body_s_head_is_held_to_one_day_a_month(tmp_path):
    p = parse("2024-Y")
    r = _report(tmp_path, ("38-SNV", "Sở Nội vụ"), {"TD01": 10, "TD02": 52}, period=p)
    found = {i.field: i for i in r.issues if i.code == "legal-minimum"}
    assert set(found) == {"TD01", "TD02"}
    assert "dưới mức tối thiểu 12 buổi" in found["TD01"].message and "Điều 18 khoản 2" in found["TD02"].message


def test_the_schema_refuses_an_unknown_level_or_a_rule_without_its_article(tmp_path):
    text = (spec.templates_dir() / "thoi-han.yaml").read_text(encoding="utf-8")
    for broken, key in ((text.replace("    department:", "    ward:"), "ward"),
                        (text.replace(', source: "Luật Tiếp công dân 2013, Điều 15 khoản 2"}', "}"), "source")):
        root = tmp_path / key
        root.mkdir()
        (root / "thoi-han.yaml").write_text(broken, encoding="utf-8")
        load_rules.cache_clear()
        try:
            with pytest.raises(UserError, match=key):
                load_rules(str(root))
        finally:
            load_rules.cache_clear()
