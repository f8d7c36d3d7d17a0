"""The indicator families the seed plans ask units to count (issue 15, deliverable 1): each is a field of
the periodic report with its unit and kind, the rules that tie them hold, an old report (layout 1) is
still read with them left empty (not reported, never zero), and the narrative speaks of them."""
from __future__ import annotations

import pytest
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.forms.legacy import legacy_layout
from dvcq.intake.validate import validate_file

from tests.support import corpus

REPORT = spec.load_form("bao-cao-dinh-ky")

# requirement of the seeds -> the indicator codes that hold it (and the kind of the first)
FAMILIES = {
    "hòa giải ở cơ sở": (["HG01", "HG02", "HG03"], "count"),
    "Ban Thanh tra nhân dân, giám sát đầu tư của cộng đồng": (["GS01", "GS02"], "count"),
    "hương ước, quy ước": (["GS03"], "count"),
    "giám sát, phản biện xã hội, góp ý của Mặt trận và đoàn thể (và số được tiếp thu)": (["MT01", "MT02", "MT03", "MT04", "MT05"], "count"),
    "bồi dưỡng cán bộ, công chức, cán bộ thôn và người có uy tín": (["BD01", "BD02", "BD03"], "count"),
    "kỷ luật cán bộ nhũng nhiễu": (["CC18"], "count"),
    "kiểm tra": (["KT01", "KT02"], "count"),
    "sơ kết, tổng kết": (["SK01"], "count"),
    "truyền thông, vùng đồng bào dân tộc, tôn giáo": (["TT03", "TT04"], "count"),
    "dịch vụ công trực tuyến toàn trình, một phần trên tổng số thủ tục": (["CC12", "CC13", "CC14", "CC15", "CC16"], "count"),
    "PAPI và chỉ số khác": (["CC19", "CC20"], "score"),
    "thủ tục phân cấp, ủy quyền": (["CC17"], "count"),
    "kinh phí": (["KP01"], "count"),
}


def test_every_family_has_its_indicators():
    codes = {i.code: i for i in REPORT.indicators}
    for family, (wanted, kind) in FAMILIES.items():
        assert all(c in codes for c in wanted), family
        assert codes[wanted[0]].kind == kind and codes[wanted[0]].unit, family
    for ratio, (num, den) in {"HG03": ("HG02", "HG01"), "MT05": ("MT04", "MT03"), "CC15": ("CC13", "CC12"),
                              "CC16": ("CC14", "CC12")}.items():
        assert codes[ratio].kind == "ratio" and codes[ratio].numerator == (num,) and codes[ratio].denominator == (den,)


@pytest.mark.parametrize("changes,target", [
    ({"HG01": 5, "HG02": 6}, "HG01"),  # more successful mediations than mediated cases
    ({"MT03": 4, "MT04": 9}, "MT03"),
    ({"CC12": 10, "CC07": 13, "CC13": 8, "CC14": 5}, "CC12"),  # more online procedures than the whole catalogue
    ({"CC12": 20, "CC07": 10, "CC13": 8, "CC14": 5}, "CC07"),  # fully and partly online above the online ones
])
def test_parts_tie_the_families(tmp_path, changes, target):
    """A part above its total is told at the total's cell (dvcq.intake.checks.check_parts)."""
    values = {**corpus.report_values(), **changes}
    r = validate_file(corpus.write_report(tmp_path, values))
    parts = [i for i in r.issues if i.code == "parts"]
    assert parts and r.status == "invalid", [i.message for i in r.issues]
    assert [i.field for i in parts] == [target]


def test_an_old_report_is_read_and_its_new_indicators_are_not_reported(tmp_path):
    layout = legacy_layout("bao-cao-dinh-ky", 1)
    old = {k: v for k, v in corpus.report_values().items() if k in {i.code for i in layout.form.indicators}}
    path = build_form(layout.form, tmp_path / "bc-cu.xlsx",
                      Content(indicators=old, texts=corpus.TEXTS, header=corpus.header()))
    r = validate_file(path)
    assert r.status == "ok", [i.message for i in r.errors]
    assert [i.severity for i in r.issues if i.code == "spec-version"] == ["warning"]
    assert r.summary.indicators["TT01"] == old["TT01"]
    assert r.summary.indicators.get("HG01") is None  # not reported, not zero
