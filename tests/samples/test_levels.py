"""Samples by level (issue 22, §9): each unit's reported minimum of reception days follows its level and its own
days; a province of the three-tier era receives its districts' roll-ups, made from their communes' samples,
which validate clean and add up to the province's consolidation of every raw file."""
from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest
from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.intake.readback import load_rollup
from dvcq.intake.validate import validate_paths
from dvcq.rollup.aggregate import derive
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import load

from tests.support import corpus

RS = spec.load_form("bao-cao-dinh-ky").main
LEGACY = load("legacy")
SMALL = "381"  # Thị xã Bỉm Sơn: 7 communes, the smallest district of Thanh Hóa


def weeks(a: date, b: date) -> int:
    return ((b - a).days + 1) // 7


def stated(path) -> tuple:
    grid = corpus.raw_grid(path, RS.name)
    return corpus.raw_cell(grid, RS.indicator_cell("TD01")), corpus.raw_cell(grid, RS.indicator_cell("TD02"))


def test_each_units_stated_minimum_follows_its_level_and_days(tmp_path):
    p = parse("2024-Y")
    write_samples("38", p.code, tmp_path / "a", seed=2, children=["403", "38-SNV", "38"], forms=("bao-cao-dinh-ky",))
    write_samples("403", p.code, tmp_path / "b", seed=2, children=["16231"], forms=("bao-cao-dinh-ky",))
    (district,) = (tmp_path / "a").glob("403-*bao-cao*.xlsx")
    (body,) = (tmp_path / "a").glob("38-SNV-*bao-cao*.xlsx")
    (commune,) = (tmp_path / "b").glob("16231-*bao-cao*.xlsx")
    assert stated(commune)[1] == weeks(p.start, p.end) == 52  # a commune's chairman: a day a week
    assert stated(district)[1] == 2 * 12 == 24  # a district's: two days a month
    assert stated(body)[1] == 12  # a sở's head: a day a month
    for path in (commune, district, body):
        held, due = stated(path)
        assert due - 2 <= held <= due
    # a body created on 01/03/2025 owes the months it exists only
    write_samples("38", "2025-Y", tmp_path / "c", seed=2, children=["38-SNNMT"], forms=("bao-cao-dinh-ky",))
    (merged,) = (tmp_path / "c").glob("38-SNNMT-*bao-cao*.xlsx")
    assert stated(merged)[1] == 9
    report = validate_paths([tmp_path])
    assert not [i.message for f in report.files for i in f.issues if i.code == "legal-minimum" and i.field == "TD02"]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    base = tmp_path_factory.mktemp("levels")
    out, raw = base / "tỉnh nhận", base / "cấp xã"
    paths = write_samples("38", "2024-Y", out, seed=3, children=[SMALL, "38-SNV", "38"], raw_dir=raw)
    return base, out, raw, paths


def test_a_three_tier_province_sample_holds_its_districts_rollups(province):
    base, out, raw, paths = province
    report = validate_paths([out], workers=1)
    forms = sorted((f.unit_code, f.form_id) for f in report.files)
    assert forms == [("38", "ke-hoach"), ("38-SNV", "bao-cao-dinh-ky"), ("38-SNV", "so-tiep-cong-dan"),
                     (SMALL, "tong-hop")]
    assert all(not f.errors and not f.warnings for f in report.files), \
        [(f.path.name, [i.message for i in f.issues]) for f in report.files]
    roll = load_rollup(next(out.glob(f"tong-hop-{SMALL}-*.xlsx")))
    communes = {u.code for u in LEGACY.children(SMALL)}
    assert {u.code for u in roll.units} == communes | {SMALL}  # every commune and the district's own plan
    # sent to the province as a district sends: at its time, on or after the district->province deadline
    (f,) = [f for f in report.files if f.form_id == "tong-hop"]
    assert datetime.fromisoformat(f.received).date() >= date(2024, 11, 20)
    # its communes' files, and the district's own plan, are in raw/<district>
    (folder,) = raw.iterdir()
    assert {x.name.split("-")[0] for x in folder.glob("*.xlsx")} == communes | {SMALL}


def test_the_districts_rollups_add_up_to_every_raw_file(province, tmp_path):
    base, out, raw, _ = province
    flat = tmp_path / "tất cả"
    shutil.copytree(next(raw.iterdir()), flat)
    for x in out.glob("38*.xlsx"):
        shutil.copy(x, flat / x.name)
    every = consolidate_folder(flat, parent="38", period="2024-Y", db=tmp_path / "a.sqlite", workers=1)
    via = consolidate_folder(out, parent="38", period="2024-Y", db=tmp_path / "b.sqlite", workers=1)
    assert not every.excluded and not via.excluded
    a, b = derive(every.rollup.totals), derive(via.rollup.totals)
    assert set(a) == set(b) and all(a[k] == pytest.approx(b[k]) for k in a)
    assert every.rollup.totals.spreads == via.rollup.totals.spreads
    assert every.rollup.reception == via.rollup.reception and set(via.rollup.reception) == {"commune", "department"}
    assert every.rollup.targets == via.rollup.targets
    # recomputed from the raw cells: the days held, and the law's minimum of each level (a year: 52 weeks, 12 months)
    p = parse("2024-Y")
    codes = {u.code for u in LEGACY.children(SMALL)}
    communes = [stated(x)[0] for x in flat.glob("*bao-cao-dinh-ky*.xlsx") if x.name.split("-")[0] in codes]
    c = via.rollup.reception["commune"]
    assert (c.units, c.held, c.required) == (len(codes), sum(communes), weeks(p.start, p.end) * len(codes))
    d = via.rollup.reception["department"]
    assert (d.units, d.held, d.required) == (1, stated(next(flat.glob("38-SNV-*bao-cao*.xlsx")))[0], 12)
