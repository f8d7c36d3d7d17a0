"""Parts within totals (issue 22, §5): every breakdown of a total is declared in the report's specification and
checked per unit, the message naming the cells of both; the samples respect every breakdown they could break."""
from __future__ import annotations

import random

import pytest
from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.intake.validate import validate_file
from dvcq.samples.sample import report_values

from tests.support import corpus

REPORT = spec.load_form("bao-cao-dinh-ky")
RS = REPORT.main
PARTS = RS.parts


def test_every_breakdown_row_of_the_form_is_a_declared_part():
    """The form prints a breakdown as rows under their total ("- Trong đó: ...", "- ..."): each is declared."""
    declared = {c for p in PARTS for c in p.parts}
    rows = [i.code for i in REPORT.indicators if i.title.startswith("-")]
    assert len(rows) == 8 and set(rows) <= declared
    # and a breakdown's rows follow their total on the form
    order = [i.code for i in REPORT.indicators]
    for p in PARTS:
        if any(REPORT.main.indicator(c).title.startswith("-") for c in p.parts):
            assert all(order.index(c) > order.index(p.total) for c in p.parts), p


def test_ben_sung_189_online_procedures_below_their_198_fully_and_partly_online(tmp_path):
    """Thị trấn Bến Sung's report was accepted with 189 online procedures beside 120 fully and 78 partly online."""
    values = dict(corpus.report_values(), CC07=189, CC13=120, CC14=78, CC12=320, CC10=200)
    r = validate_file(corpus.write_report(tmp_path, values, unit=("16228", "Thị trấn Bến Sung")))
    found = [i for i in r.issues if i.code == "parts"]
    assert r.status == "invalid" and [(i.field, i.cell, i.severity) for i in found] == \
        [("CC07", RS.indicator_cell("CC07"), "error")]
    for code in ("CC07", "CC13", "CC14"):
        assert f"(ô {RS.indicator_cell(code)})" in found[0].message, code
    assert "cộng lại 198" in found[0].message and "= 189" in found[0].message


@pytest.mark.parametrize("part", PARTS, ids=lambda p: f"{p.total}>={'+'.join(p.parts)}")
def test_each_breakdown_is_caught_at_its_total_naming_every_cell(part, tmp_path):
    values = corpus.report_values()
    assert all(rule.expr.evaluate(values.get) for rule in RS.checks)  # the corpus respects every relation
    values[part.parts[0]] += values[part.total] - sum(values[c] for c in part.parts) + 1
    r = validate_file(corpus.write_report(tmp_path, values))
    here = [i for i in r.issues if i.code == "parts" and i.field == part.total]
    assert len(here) == 1 and here[0].cell == RS.indicator_cell(part.total) and here[0].severity == "error"
    for code in (part.total, *part.parts):
        assert f"(ô {RS.indicator_cell(code)})" in here[0].message, code


@pytest.mark.parametrize("part", [p for p in PARTS if p.exact], ids=lambda p: p.total)
def test_an_exact_breakdown_below_its_total_is_caught_too(part, tmp_path):
    values = corpus.report_values()
    values[part.total] += 1
    r = validate_file(corpus.write_report(tmp_path, values))
    here = [i for i in r.issues if i.code == "parts" and i.field == part.total]
    assert len(here) == 1 and "không cộng lại bằng tổng" in here[0].message


def test_the_samples_respect_every_breakdown_and_rule():
    """The sample generator's values, over many draws: a breakdown the samples could break would fail here."""
    log = {"luot_tiep": 40, "so_nguoi": 70, "doan_dong_nguoi": 3, "vv_khieu_nai": 6, "vv_to_cao": 2,
           "vv_kien_nghi": 25, "thuoc_tham_quyen": 20, "da_giai_quyet": 15}
    p = parse("2024-H1")
    for seed in range(300):
        v = report_values(REPORT, log, random.Random(seed), seed % 2 == 0, p, None, 26)
        broken = [r.id for r in RS.checks if r.expr.evaluate(v.get) is False]
        assert not broken, (seed, broken)
        assert v["CC13"] + v["CC14"] <= v["CC07"] <= v["CC12"] and v["TT04"] <= v["TT01"], seed
