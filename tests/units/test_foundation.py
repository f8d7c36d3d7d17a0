"""Specifications, periods and the unit registry."""
from __future__ import annotations

import csv
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from dvcq.calendar import periods
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.forms.build import build_form
from dvcq.units import registry
from openpyxl import load_workbook

from tests.support.budget import examples

UNITS = registry.DATA


# --- periods -----------------------------------------------------------------

@pytest.mark.parametrize("code,start,end,label", [
    ("2024-Q1", date(2023, 12, 15), date(2024, 3, 14), "Quý I năm 2024"),
    ("2024-Q2", date(2024, 3, 15), date(2024, 6, 14), "Quý II năm 2024"),
    ("2024-Q4", date(2024, 9, 15), date(2024, 12, 14), "Quý IV năm 2024"),
    ("2024-H1", date(2023, 12, 15), date(2024, 6, 14), "6 tháng đầu năm 2024"),
    ("2024-9M", date(2023, 12, 15), date(2024, 9, 14), "9 tháng năm 2024"),
    ("2024-Y", date(2023, 12, 15), date(2024, 12, 14), "Năm 2024"),
])
def test_period_cutoffs_follow_decree_09_2019(code, start, end, label):
    p = periods.parse(code)
    assert (p.start, p.end, p.label, p.code) == (start, end, label, code)
    assert periods.parse(label) == p
    assert periods.parse(unicodedata.normalize("NFD", label.upper())) == p


def test_reception_on_20_december_belongs_to_next_reporting_year():
    assert periods.period_of_date(date(2024, 12, 20)).code == "2025-Y"
    assert periods.period_of_date(date(2024, 12, 14)).code == "2024-Y"


def test_era_is_chosen_by_the_period_end():
    assert periods.parse("2025-H1").era == "legacy"   # ends 14/6/2025
    assert periods.parse("2025-9M").era == "2025"     # ends 14/9/2025, after 1/7/2025
    assert periods.parse("2024-Y").era == "legacy"


@pytest.mark.parametrize("bad", ["2024-Q5", "2024-H3", "H1-2024", "quý 5 năm 2024", ""])
def test_malformed_period_is_a_user_error(bad):
    with pytest.raises(UserError) as e:
        periods.parse(bad)
    assert "Kỳ báo cáo không hợp lệ" in e.value.message


# --- registry ----------------------------------------------------------------

def _csv(name):
    with open(UNITS / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_same_code_means_different_places_in_the_two_eras():
    assert registry.load("legacy").get("16228").name == "Thị trấn Bến Sung"
    assert registry.load("2025").get("16228").name == "Xã Như Thanh"


def test_registry_counts_match_the_catalogue_files():
    for era, name in registry.FILES.items():
        rows = _csv(name)
        reg = registry.load(era)
        nso = [u for u in reg.units.values() if u.level != registry.BODY_LEVEL]
        assert len(nso) == len(rows) + 1  # plus the virtual national root (declared bodies merged in apart)
        assert {u.code for u in reg.children(registry.NATIONAL)} == {r["code"] for r in rows if r["level"] == "province"}
        communes = [r for r in rows if r["level"] == "commune"]
        assert sum(1 for u in reg.units.values() if u.level == "commune") == len(communes)
    assert sum(1 for u in registry.load("2025").units.values() if u.level == "commune") == 3321


def test_children_of_nhu_thanh_are_its_fourteen_communes():
    expected = sorted(r["code"] for r in _csv(registry.FILES["legacy"]) if r["parent_code"] == "403")
    reg = registry.load("legacy")
    assert sorted(u.code for u in reg.children("403")) == expected
    assert len(expected) == 14
    assert reg.province(reg.get("16240")).code == "38"
    assert reg.levels() == ["province", "district", "commune"]
    assert registry.load("2025").levels() == ["province", "commune"]


@pytest.mark.parametrize("query", ["Phương Nghi", "phuong nghi", "Xã Phượng Nghi", "  xã   PHƯỢNG nghi ",
                                   unicodedata.normalize("NFD", "Phượng Nghi")])
def test_tolerant_name_lookup_reports_what_it_matched(query):
    m = registry.load("legacy").find(query, level="commune", parent="403")
    assert m.unit.code == "16240" and m.unit.name == "Xã Phượng Nghi"
    assert "16240 Xã Phượng Nghi" in m.note


def test_old_tone_placement_matches():
    reg = registry.load("2025")
    hoa = [u for u in reg.units.values() if "Hòa" in u.name and u.level == "province"]
    assert hoa, "catalogue has a province named with 'Hòa'"
    old = hoa[0].name.replace("Hòa", "Hoà")
    assert reg.find(old).unit.code == hoa[0].code


def test_unknown_code_is_a_user_error():
    with pytest.raises(UserError) as e:
        registry.load("2025").require("99999")
    assert "99999" in e.value.message


def test_crosswalk_maps_legacy_communes_to_2025():
    cw = registry.crosswalk()
    rows = _csv("crosswalk_legacy_to_2025.csv")
    assert sum(len(v) for v in cw.values()) == len(rows)
    assert all(registry.load("2025").get(c) for c in cw["16240"])


# --- specifications ----------------------------------------------------------

def test_every_form_has_a_version_and_known_sheets():
    forms = spec.load_forms()
    assert set(forms) == set(spec.FORM_IDS)
    for form in forms.values():
        assert form.version >= 1
        assert len({s.name for s in form.sheets}) == len(form.sheets)


def test_report_has_coded_indicators_and_rules_name_them():
    form = spec.load_form("bao-cao-dinh-ky")
    codes = [i.code for i in form.indicators]
    assert 60 <= len(codes) <= 80 and len(set(codes)) == len(codes)  # the seeds' families (issue 15) included
    for ind in form.indicators:
        assert set(ind.numerator + ind.denominator) <= set(codes)
        if ind.kind == "ratio":
            assert ind.numerator and ind.denominator
    for rule in form.main.checks:
        assert set(rule.expr.names) <= set(codes), rule.id


def test_table_rules_and_measures_name_existing_fields():
    for form in spec.load_forms().values():
        for sheet in form.table_sheets():
            names = {f.name for f in sheet.fields}
            for rule in sheet.rules:
                used = set(rule.when) | set(rule.require) | set(rule.expect) | set(rule.one_of)
                used |= set(rule.expr.names) - {"period_end"} if rule.expr else set()
                assert used <= names, (form.id, rule.id)
            assert set(sheet.duplicate_key) <= names
        for m in form.measures:
            if m.kind == "ratio":
                continue
            names = {f.name for f in form.measure_sheet(m).fields}
            derived = {"lan_tiep"} if form.measure_sheet(m).case_field else set()  # per case (dvcq.intake.measures)
            assert set(m.where) <= names | derived and (m.sum is None or m.sum in names)
            assert m.distinct is None or m.distinct in names


# Mẫu số 03 (Thông tư 04/2021/TT-TTCP) as printed: its 12 numbered columns in order; (3) and (6) each hold
# two values, so two columns share their number
MAU_03 = [("1", "STT"), ("2", "Ngày tiếp"), ("3", "Họ tên"), ("3", "Địa chỉ"), ("4", "CMND"),
          ("5", "Nội dung vụ việc"), ("6", "Phân loại đơn"), ("6", "Số người"), ("7", "Cơ quan đã giải quyết"),
          ("8", "thụ lý để giải quyết"), ("9", "trả lại đơn và hướng dẫn"), ("10", "chuyển đơn"),
          ("11", "Theo dõi kết quả giải quyết"), ("12", "Ghi chú")]


def test_the_blank_log_prints_mau_03_columns_in_order(tmp_path):
    """A fresh build of the blank log: titles and the numbers row under them, read back from the file."""
    form = spec.load_form("so-tiep-cong-dan")
    log = form.main
    path = build_form(form, tmp_path / "so.xlsx")
    ws = load_workbook(path)[log.name]
    titles = [ws.cell(log.header_row, c).value for c in range(1, len(log.fields) + 1)]
    numbers = [ws.cell(log.header_row + 1, c).value for c in range(1, len(log.fields) + 1)]
    for k, (number, words) in enumerate(MAU_03):
        assert numbers[k] == f"({number})" and words.lower() in titles[k].lower(), (k, numbers[k], titles[k])
    # what the standard tables need comes after (12), numbered on from 13
    assert numbers[len(MAU_03):] == [f"({n})" for n in range(13, 13 + len(log.fields) - len(MAU_03))]
    assert "Mã vụ việc" in titles and "Ngày thụ lý" in titles and "Hình thức tiếp" in titles
    assert {f.name for f in log.fields if f.personal} >= {"ho_ten", "dia_chi", "so_giay_to"}


def test_rule_expression_evaluates_and_translates_to_excel():
    e = spec.parse_expr("TD08 + TD09 + TD10 == TD07")
    values = {"TD07": 6, "TD08": 1, "TD09": 2, "TD10": 3}
    assert e.evaluate(values.get) is True
    values["TD10"] = 4
    assert e.evaluate(values.get) is False
    assert e.evaluate({}.get) is None
    assert e.excel(lambda n: f"[{n}]") == "[TD08]+[TD09]+[TD10]=[TD07]"


@settings(derandomize=True, max_examples=examples(75), deadline=None)  # `make fuzz`: 1,000
@given(st.lists(st.tuples(*[st.one_of(st.none(), st.just(""), st.integers(-50, 50), st.floats(-9, 9, allow_nan=False))
                            for _ in range(4)]), max_size=12),
       st.sampled_from(["TD08 + TD09 + 3 == TD07 - TD10", "TD07 <= TD08 + 1.5", "TD07 - TD08 - TD09 >= 0",
                        "TD07 != TD10", "TD08 + TD09 + TD10 == TD07", "TD07 > TD08", "TD07 < 2"]))
def test_rule_expression_over_columns_is_the_expression_row_by_row(rows, text):
    e = spec.parse_expr(text)
    names = ["TD07", "TD08", "TD09", "TD10"]
    columns = {n: [r[k] for r in rows] for k, n in enumerate(names)}
    by_row = [e.evaluate(dict(zip(names, r)).get) for r in rows]
    assert e.evaluate_columns(columns, len(rows)) == by_row


def test_lookup_by_code_or_name_and_ambiguous_names_are_listed():
    reg = registry.load("2025")
    same = [u for u in reg.units.values() if u.level == "commune" and u.short_name == "Tân Phú"]
    assert len(same) > 1
    assert reg.lookup(same[0].code).unit == same[0]
    with pytest.raises(UserError) as e:
        reg.lookup("tan phu")
    assert f"Có {len(same)} đơn vị" in e.value.message and all(u.code in e.value.message for u in same)
    with pytest.raises(UserError) as e:
        reg.lookup("Xã Không Có Thật")
    assert "Không tìm thấy" in e.value.message
