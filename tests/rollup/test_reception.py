"""Reception days by level (issue 22, §4): a roll-up states the heads' periodic reception days level by level,
against the law's minimum computed per unit, never what units typed and never a district chairman's days pooled
with the communes' chairmen's. Expected values come from the raw cells and the dates, not through the pipeline."""
from __future__ import annotations


import pytest
from dvcq.forms import spec
from dvcq.intake.readback import load_rollup
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.units.registry import load

from tests.support import corpus
from tests.support.reporttext import report_text

RS = spec.load_form("bao-cao-dinh-ky").main
REG = load("legacy")
COMMUNES = REG.children("403")[:3]
START, END = corpus.PERIOD.start, corpus.PERIOD.end
WEEKS = ((END - START).days + 1) // 7  # 26: a commune's chairman, one day a week
MONTHS = 6  # 15/12/2023 - 14/06/2024: a district's chairman, two days a month


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("reception")
    folder = base / "nop"
    held = [25, 26, 27]
    typed = [26, 52, 26]  # the second commune types a year's 52 for six months
    for u, h, t in zip(COMMUNES, held, typed):
        corpus.write_report(folder, dict(corpus.report_values(), TD01=h, TD02=t), unit=(u.code, u.name))
    # the district's own report: its chairman held 11 days and typed a commune's 26 as his duty
    corpus.write_report(folder, dict(corpus.report_values(), TD01=11, TD02=26), unit=("403", "Huyện Như Thanh"))
    corpus.write_plan(folder, unit=("403", "Huyện Như Thanh"))
    result = consolidate_folder(folder, parent="403", period="2024-H1", db=base / "h.sqlite", workers=1)
    return folder, result


def _raw(folder, code):
    path = next(folder.glob(f"{code}-bao-cao-dinh-ky.xlsx"))
    grid = corpus.raw_grid(path, RS.name)
    return {c: corpus.raw_cell(grid, RS.indicator_cell(c)) for c in ("TD01", "TD02")}


def test_each_level_is_counted_apart_against_the_law(district):
    folder, result = district
    communes = [_raw(folder, u.code) for u in COMMUNES]
    own = _raw(folder, "403")
    tallies = result.rollup.reception
    assert set(tallies) == {"commune", "district"}
    c, d = tallies["commune"], tallies["district"]
    assert (c.units, c.held, c.required) == (3, sum(r["TD01"] for r in communes), 3 * WEEKS)
    assert c.reached == sum(r["TD01"] >= WEEKS for r in communes) == 2
    assert c.stated == sum(r["TD02"] != WEEKS for r in communes) == 1
    assert (d.units, d.held, d.required, d.reached, d.stated) == (1, own["TD01"], 2 * MONTHS, 0, 1)


def test_the_rollup_reads_back_its_levels_and_prints_them(district):
    _, result = district
    assert load_rollup(result.out_path).reception == result.rollup.reception
    grid = corpus.raw_grid(result.out_path, "Tiếp định kỳ theo cấp")  # a sheet of its own (the wide table's)
    rows = {r[0]: r for r in grid if isinstance(r[0], str) and r[0].startswith("Chủ tịch UBND")}
    assert rows["Chủ tịch UBND các xã, thị trấn"][1:4] == [3, 78, 3 * WEEKS]
    assert rows["Chủ tịch UBND huyện Như Thanh"][1:4] == [1, 11, 12]
    assert "Điều 13 khoản 5" in rows["Chủ tịch UBND huyện Như Thanh"][7]


def test_the_report_states_each_level_in_its_own_sentence(district, tmp_path):
    _, result = district
    md = tmp_path / "r.md"
    report_text([result.out_path], md, db=tmp_path / "none.sqlite")
    text = md.read_text(encoding="utf-8")
    assert ("Chủ tịch UBND huyện Như Thanh đã thực hiện 11 buổi tiếp công dân định kỳ; mức tối thiểu theo quy định là "
            "12 buổi (2 ngày mỗi tháng; Luật Tiếp công dân 2013, Điều 13 khoản 5).") in text
    assert "Chủ tịch UBND các xã, thị trấn (3 đơn vị có số liệu) đã thực hiện 78 buổi" in text and f"là {3 * WEEKS} buổi" in text
    assert "89" not in text.split("Tiếp công dân, giải quyết")[1].split("Đã tiếp")[0]  # never 78 + 11 pooled
