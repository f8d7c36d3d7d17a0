"""Sample submissions: deterministic, inside the period, reports agree with logs, rules hold, errors where listed.

Everything is read back from the written files (python-calamine) and recomputed here, independently
of dvcq.intake.measures: the test counts rows, people and groups itself.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

import pytest
from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.forms.legacy import legacy_layout
from dvcq.samples.sample import OFFICIALS, write_samples
from dvcq.units.registry import load
from python_calamine import CalamineWorkbook

from tests.support.paths import SAMPLE

LOG = spec.load_form("so-tiep-cong-dan").main
REPORT = spec.load_form("bao-cao-dinh-ky")
RS = REPORT.main
PLAN = spec.load_form("ke-hoach")
GROUP = spec.load_form("so-tiep-cong-dan").settings["group_threshold"]
PERIOD = parse("2024-H1")
NHU_THANH = load("legacy").children("403")
KIDS = [u.code for u in NHU_THANH][:2]


def grid(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def all_cells(path) -> dict:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def table(path, sheet):
    g = grid(path, sheet.name)
    key = sheet.col(next(f.name for f in sheet.fields if f.required)) - 1
    rows = [r for r in g[sheet.first_row - 1:] if len(r) > key and r[key] != ""]
    return [{f.name: (r[i] if i < len(r) else "") for i, f in enumerate(sheet.fields)} for r in rows]


def indicators(path):
    g = grid(path, RS.name)
    out = {}
    for ind in REPORT.indicators:
        row, col = spec.split_cell(RS.indicator_cell(ind.code))
        out[ind.code] = g[row - 1][col - 1]
    return out


def as_date(v):
    return v.date() if isinstance(v, datetime) else v


def plan_sheet(path, name):
    """A sheet of a plan workbook in the layout the file was written in (the committed samples may still be
    in version 1, read through dvcq.forms.legacy)."""
    meta = dict((r[0], r[1]) for r in grid(path, "_dvcq") if r and r[0])
    version = int(float(meta["spec_version"]))
    form = PLAN if version == PLAN.version else legacy_layout(PLAN.id, version).form
    return form.sheet(name)


def files_of(folder, code):
    return {fid: folder / name for fid in spec.FORM_IDS
            for name in [p.name for p in folder.glob(f"{code}-*-{fid}-*.xlsx")]}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    base = tmp_path_factory.mktemp("samples")
    out = {}
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        out[name] = write_samples("403", "2024-H1", base / name, seed=seed, children=KIDS)
    return out


def test_same_seed_same_cells_other_seed_other_cells(pair):
    a, b, c = pair["a"], pair["b"], pair["c"]
    assert [p.name for p in a] == [p.name for p in b] == [p.name for p in c]
    assert len(a) == 3 * len(KIDS)
    for pa, pb, pc in zip(a, b, c):
        assert all_cells(pa) == all_cells(pb), pa.name
        assert pa.read_bytes() == pb.read_bytes(), pa.name
        assert all_cells(pa) != all_cells(pc), pa.name


def test_children_only_and_both_eras(tmp_path):
    # a legacy province's children are its districts, not their communes
    reg = load("legacy")
    districts = reg.children("38")
    assert all(u.level == "district" for u in districts) and "403" in {u.code for u in districts}
    paths = write_samples("38", "2024-H1", tmp_path / "tinh", forms=("bao-cao-dinh-ky",), children=["403"])
    assert [p.name for p in paths] == ["403-huyen-nhu-thanh-bao-cao-dinh-ky-2024-H1.xlsx"]
    # since 1/7/2025 communes report straight to the province
    kid = load("2025").children("38")[0]
    paths = write_samples("38", "2025-Y", tmp_path / "moi", forms=("so-tiep-cong-dan",), children=[kid.code])
    rows = table(paths[0], LOG)
    period = parse("2025-Y")
    assert rows and all(period.start <= as_date(r["ngay_tiep"]) <= period.end for r in rows)


def test_committed_sample_set():
    assert {u.code for u in NHU_THANH} == {"16228", "16231", "16234", "16240", "16243", "16246", "16249", "16252",
                                             "16258", "16261", "16264", "16267", "16273", "16276"}
    files = sorted(SAMPLE.glob("*.xlsx"))
    assert len(files) == 42 + 1 and sum(p.stat().st_size for p in files) < 3_000_000  # and the district's own plan
    assert [p.name for p in files if p.name.startswith("403-")] == ["403-huyen-nhu-thanh-ke-hoach-2024-H1.xlsx"]
    assert not (SAMPLE / "_loi-co-y.json").exists()
    sizes, late = [], 0
    for u in NHU_THANH:
        f = files_of(SAMPLE, u.code)
        assert set(f) == set(spec.FORM_IDS), u.code
        rows = table(f["so-tiep-cong-dan"], LOG)
        sizes.append(len(rows))
        assert 20 <= len(rows) <= 500
        assert [r["stt"] for r in rows] == list(range(1, len(rows) + 1))
        days = [as_date(r["ngay_tiep"]) for r in rows]
        assert days == sorted(days)
        assert all(isinstance(d, date) and PERIOD.start <= d <= PERIOD.end for d in days)
        keys = [(r["ngay_tiep"], r["so_giay_to"], r["ho_ten"], r["noi_dung"]) for r in rows]
        assert len(set(keys)) == len(keys)
        for r in rows:
            cccd = r["so_giay_to"]
            assert isinstance(cccd, str) and len(cccd) == 12 and cccd.startswith("038") and cccd.isdigit()
            assert r["ho_ten"] not in OFFICIALS and u.name in r["dia_chi"]
            for fl in LOG.fields:
                if fl.enum and r[fl.name] != "":
                    assert r[fl.name] in fl.enum, (u.code, fl.name, r[fl.name])
            if r["ket_qua"] == "Đã giải quyết":
                assert r["ngay_tiep"] <= r["ngay_giai_quyet"] and as_date(r["ngay_giai_quyet"]) <= PERIOD.end
            assert sum(r[k] == "x" for k in ("thu_ly", "tra_lai", "chuyen_don")) == 1  # one handling column
            if r["thu_ly"] == "x":
                assert r["tham_quyen"] == "Thuộc thẩm quyền"
                assert r["ngay_tiep"] <= r["ngay_thu_ly"] and as_date(r["ngay_thu_ly"]) <= PERIOD.end
        overdue = [r for r in rows if r["ket_qua"] == "Đang giải quyết" and r["thu_ly"] == "x"
                   and (PERIOD.end - as_date(r["ngay_thu_ly"])).days > 30]
        assert overdue, u.code
        # cases: some come back (several visits share a reference), most are seen once
        visits = Counter(r["ma_vu_viec"] for r in rows)
        assert len(visits) < len(rows) and max(visits.values()) >= 2, u.code
        forms = Counter(r["hinh_thuc"] for r in rows)
        assert forms["Tiếp thường xuyên"] > len(rows) / 2 and forms["Thủ trưởng tiếp định kỳ"] > 0, u.code

        v = indicators(f["bao-cao-dinh-ky"])
        assert v["TD04"] == len(rows)
        assert v["TD05"] == sum(r["so_nguoi"] for r in rows)
        assert v["TD06"] == sum(1 for r in rows if r["doan_dong_nguoi"] == "Có")
        assert all(r["doan_dong_nguoi"] == "Có" for r in rows if r["so_nguoi"] >= GROUP)
        # the chairman's reception days: at or near the law's minimum of one a week (26 in six months)
        assert v["TD02"] == 26 and 24 <= v["TD01"] <= 26
        assert v["CC03"] + v["CC04"] + v["CC05"] == v["CC02"]
        assert v["TD08"] + v["TD09"] + v["TD10"] == v["TD07"]
        assert v["TD12"] <= v["TD11"] <= v["TD07"] and v["TD11"] + v["TD14"] <= v["TD07"]
        assert 85 <= v["CC11"] <= 99
        for ind in REPORT.indicators:
            if ind.kind == "count":
                assert isinstance(v[ind.code], (int, float)) and v[ind.code] >= 0, ind.code
        for rule in RS.checks:  # the rules and every total's breakdowns (parts)
            assert rule.expr.evaluate(v.get) is True, (u.code, rule.id)
        texts = grid(f["bao-cao-dinh-ky"], REPORT.sheet("Đánh giá").name)
        names = {r["ho_ten"] for r in rows}
        for t in REPORT.sheet("Đánh giá").texts:
            row, col = spec.split_cell(REPORT.sheet("Đánh giá").text_cell(t.name))
            text = texts[row - 1][col - 1]
            assert text and not any(n in text for n in names)

        tasks = table(f["ke-hoach"], plan_sheet(f["ke-hoach"], "Nhiệm vụ"))
        assert 8 <= len(tasks) <= 20
        for t in tasks:
            assert t["nhom"] in plan_sheet(f["ke-hoach"], "Nhiệm vụ").field("nhom").enum
            if t["trang_thai"] == "Đã hoàn thành":
                assert as_date(t["ngay_hoan_thanh"]) <= PERIOD.end
        road = table(f["ke-hoach"], plan_sheet(f["ke-hoach"], "Lộ trình"))
        assert 1 <= len(road) <= 2 and road[0]["ma_don_vi"] == u.code

        meta = dict((r[0], r[1]) for r in grid(f["so-tiep-cong-dan"], "_dvcq") if r and r[0])
        late += datetime.fromisoformat(meta["saved_at"]).date() > date(2024, 6, 15)  # communes' 6-month deadline
    assert 1 <= late <= 2
    assert max(sizes) > 150 and min(sizes) < 150


def test_rollout_follows_seed_plan_002():
    launched = {}
    for u in NHU_THANH:
        plan = files_of(SAMPLE, u.code)["ke-hoach"]
        road = table(plan, plan_sheet(plan, "Lộ trình"))[0]
        launched.setdefault(int(road["nam"]), []).append(u.code)
    assert len(launched[2023]) == 2 and len(launched[2024]) == 4 and len(launched[2025]) == 3
    assert sum(len(v) for k, v in launched.items() if k < 2023) == 5


def test_texts_share_some_sentences():
    seen = {}
    for p in SAMPLE.glob("*bao-cao-dinh-ky*.xlsx"):
        sheet = REPORT.sheet("Đánh giá")
        row, col = spec.split_cell(sheet.text_cell("KQ"))
        seen.setdefault(grid(p, sheet.name)[row - 1][col - 1], []).append(p.name)
    assert len(seen) > 3  # varied, with sentences re-used by several units (split into sentences)
    sentences = {}
    for text in seen:
        for s in text.split(". "):
            sentences[s.rstrip(".")] = sentences.get(s.rstrip("."), 0) + len(seen[text])
    assert max(sentences.values()) >= 3


def test_injected_errors_are_where_the_sidecar_says(tmp_path):
    write_samples("403", "2024-H1", tmp_path, seed=2, errors=True, children=[u.code for u in NHU_THANH][:3])
    injected = json.loads((tmp_path / "_loi-co-y.json").read_text(encoding="utf-8"))
    assert sorted(e["code"] for e in injected) == sorted(["enum", "required", "type", "range", "parts", "period", "rule"])
    for e in injected:
        g = grid(tmp_path / e["file"], e["sheet"])
        row, col = spec.split_cell(e["cell"])
        cell = g[row - 1][col - 1] if row <= len(g) and col <= len(g[row - 1]) else ""
        if e["code"] == "enum":
            assert cell == e["value"] and cell not in LOG.field("phan_loai").enum
        elif e["code"] == "required":
            assert cell == ""
        elif e["code"] == "type":
            assert cell == "mười hai"
        elif e["code"] == "range":
            assert cell < 0
        elif e["code"] == "period":
            assert not PERIOD.contains(as_date(cell))
        elif e["sheet"] == LOG.name:  # resolution before reception
            received = g[row - 1][LOG.col("ngay_tiep") - 1]
            assert as_date(cell) < as_date(received) and as_date(cell).isoformat() == e["value"]
        else:  # TD08 + TD09 + TD10 != TD07
            v = indicators(tmp_path / e["file"])
            assert v["TD08"] + v["TD09"] + v["TD10"] != v["TD07"] == cell
