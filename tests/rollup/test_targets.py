"""Targets (chỉ tiêu) for the indicators a plan can set (issue 15 §1): read from the unit's plan (sheet
"Chỉ tiêu") or its report (column "Chỉ tiêu"), the plan winning with a warning naming both cells; compared
in the roll-up (its sheet recomputed here from the files' raw cells) and in the narrative; carried through
the roll-up's hidden data; the same for a province from its districts' roll-ups as from every commune."""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from dvcq import fmt
from dvcq.documents.narrative import write_report as narrate
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.intake.readback import load_rollup, rollup_from_rows, rollup_rows
from dvcq.intake.validate import validate_file, validate_paths
from dvcq.model import TargetTally
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.rollup.layout import load_layout
from dvcq.rollup.writer import TITLE_ROW, write_rollup
from dvcq.rollup import writer as rollup_writer
from dvcq.units.registry import load
from openpyxl import load_workbook

from tests.support import corpus
from tests.support.sheetcells import SheetCells

REPORT = spec.load_form("bao-cao-dinh-ky")
PLAN = spec.load_form("ke-hoach")
RS = REPORT.main
TS = PLAN.sheet("Chỉ tiêu")
REG = load("legacy")
NHU_THANH = REG.children("403")
TITLE = {i.code: i.title for i in REPORT.indicators}
CODE_OF = {i.title: i.code for i in REPORT.indicators}
SHEET = load_layout().sheet("targets")


def vi_percent(x: float) -> str:
    """A share as the report writes it: one decimal, a whole percentage without ("100%")."""
    pct = x * 100
    return f"{round(pct)}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}".replace(".", ",") + "%"


def write_report(folder, unit, values=None, targets=None, saved=datetime(2024, 6, 12, 9, 0)) -> Path:
    c = Content(header=corpus.header(unit), unit_level="commune", indicators=values or corpus.report_values(),
                texts=dict(corpus.TEXTS), targets=targets or {}, saved_at=saved)
    return build_form(REPORT, Path(folder) / f"{unit[0]}-bao-cao-dinh-ky.xlsx", c)


def write_plan(folder, unit, targets: dict, year=2024) -> Path:
    """A plan whose sheet "Chỉ tiêu" sets ``targets`` (code -> value as a plan writes it: a rate in %)."""
    rows = [{"chi_tieu": TITLE[code], "gia_tri": v, "nam": year, "noi_dung": f"Phấn đấu {v}"}
            for code, v in targets.items()]
    c = Content(header=corpus.header(unit), unit_level="commune", rows={"Chỉ tiêu": rows},
                saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(PLAN, Path(folder) / f"{unit[0]}-ke-hoach.xlsx", c)


def issues(r, code):
    return [i for i in r.issues if i.code == code]


# --- the specification --------------------------------------------------------------------------

def test_targetable_indicators_are_declared_once_and_the_plan_lists_their_titles():
    codes = [i.code for i in REPORT.targetable]
    # those the seeds and domain.md name: online services, the model launched, training, mediation,
    # the chairman's reception days
    assert {"CC15", "CC16", "DV03", "BD01", "BD02", "HG03", "TD01"} <= set(codes)
    assert not {"TD04", "TD07", "CC18", "CC19"} & set(codes)  # brought by citizens, better low, published
    choice = next(f for f in TS.fields if f.targets_of)
    assert choice.enum == [TITLE[c] for c in codes]
    assert TS.optional and TS.write_empty  # plans filled before the sheet existed still read


def test_an_unknown_value_of_target_is_refused_naming_file_and_key(tmp_path):
    import shutil

    from dvcq.errors import UserError

    root = tmp_path / "templates"
    shutil.copytree(spec.templates_dir(), root)
    path = root / "forms" / "bao-cao-dinh-ky.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: lớp, target: true", "unit: lớp, target: có", 1),
                    encoding="utf-8")
    with pytest.raises(UserError) as exc:
        spec.load_form("bao-cao-dinh-ky", str(root))
    assert "bao-cao-dinh-ky.yaml" in str(exc.value) and "«target»" in str(exc.value)


# --- reading ------------------------------------------------------------------------------------

def test_a_target_entered_in_the_report_is_read_in_its_scale(tmp_path):
    r = validate_file(write_report(tmp_path, corpus.UNIT, targets={"CC15": 1.0, "BD01": 2}))
    assert r.status == "ok", [i.message for i in r.issues]
    t = r.summary.targets
    assert (t["CC15"].value, t["CC15"].source, t["CC15"].cell) == (1.0, "report", RS.target_cell("CC15"))
    assert t["BD01"].value == 2 and "HG03" not in t  # blank: no target, never zero
    wb = load_workbook(write_report(tmp_path / "b", corpus.UNIT, targets={"CC15": 1.0}))
    ws = wb[RS.name]
    assert ws.cell(RS.header_row, RS.column_of("target")).value == "Chỉ tiêu"
    assert ws[RS.target_cell("CC15")].number_format == "0.0%"  # typed as 100%, kept as 1


@pytest.mark.parametrize("code,value,issue", [("CC15", 1.5, "range"), ("HG03", -0.1, "range"),
                                              ("BD01", 2.5, "type"), ("TT01", "nhiều", "type")])
def test_a_report_target_of_the_wrong_kind_is_an_error_at_its_cell(tmp_path, code, value, issue):
    path = write_report(tmp_path, corpus.UNIT)
    typed = corpus.put if code == "CC15" else corpus.type_over  # one openpyxl-saved, the others typed in the XML
    typed(path, RS.name, RS.target_cell(code), value, as_text=isinstance(value, str))
    r = validate_file(path)
    [i] = issues(r, issue)
    assert (i.cell, i.field, r.status) == (RS.target_cell(code), code, "invalid")
    if code == "CC15":
        assert "từ 0% đến 100%" in i.message and "150%" in i.message


def test_a_target_from_the_plan_of_the_report_year_only(tmp_path):
    path = write_plan(tmp_path, corpus.UNIT, {"CC15": 100, "BD01": 3, "HG03": 85})
    wb = load_workbook(path)
    ws = wb[TS.name]
    nxt = TS.first_row + 3  # a target of another year is not this report's
    for col, v in ((1, TITLE["TT01"]), (2, 9), (3, 2025)):
        ws.cell(nxt, col, v)
    wb.save(path)
    r = validate_file(path)
    assert r.status == "ok", [i.message for i in r.issues]
    t = r.summary.targets
    assert t["CC15"].value == 1.0 and t["HG03"].value == pytest.approx(0.85) and t["BD01"].value == 3
    assert t["BD01"].source == "plan" and t["BD01"].cell == f"B{TS.first_row + 1}" and t["BD01"].text == "Phấn đấu 3"
    assert "TT01" not in t


def test_a_plan_rate_above_100_is_an_error_at_its_cell(tmp_path):
    r = validate_file(write_plan(tmp_path, corpus.UNIT, {"HG03": 150}))
    [i] = issues(r, "range")
    assert i.cell == f"B{TS.first_row}" and "150%" in i.message and r.status == "invalid"


def test_a_report_of_layout_2_is_read_without_targets(tmp_path):
    from dvcq.forms.legacy import legacy_layout

    layout = legacy_layout("bao-cao-dinh-ky", 2)
    assert layout is not None and not layout.form.main.has_targets and REPORT.version == 3
    c = Content(header=corpus.header(), unit_level="commune", indicators=corpus.report_values(),
                texts=dict(corpus.TEXTS), saved_at=datetime(2024, 6, 12, 9, 0))
    r = validate_file(build_form(layout.form, tmp_path / "bc-v2.xlsx", c))
    assert r.status == "ok", [i.message for i in r.errors]
    assert [i.severity for i in issues(r, "spec-version")] == ["warning"]
    assert r.summary.targets == {} and r.summary.indicators["BD01"] == corpus.report_values()["BD01"]


def test_a_plan_without_the_sheet_still_reads(tmp_path):
    path = corpus.write_plan(tmp_path)
    wb = load_workbook(path)
    del wb[TS.name]
    wb.save(path)
    r = validate_file(path)
    assert r.status == "ok" and r.summary.targets == {}, [i.message for i in r.issues]


def test_the_plan_wins_over_the_report_with_a_warning_naming_both_cells(tmp_path):
    write_report(tmp_path, corpus.UNIT, targets={"BD01": 2, "CC15": 1.0})
    write_plan(tmp_path, corpus.UNIT, {"BD01": 4, "CC15": 100})  # BD01 differs, CC15 agrees
    files = {r.form_id: r for r in validate_paths([tmp_path], workers=1).files}
    [w] = issues(files["bao-cao-dinh-ky"], "target-conflict")
    assert w.severity == "warning" and files["bao-cao-dinh-ky"].status == "ok"
    assert (w.sheet, w.cell, w.field) == (RS.name, RS.target_cell("BD01"), "BD01")
    assert RS.target_cell("BD01") in w.message and f"ô B{TS.first_row}" in w.message and "ke-hoach" in w.message
    result = consolidate_folder(tmp_path, parent="403", db=tmp_path / "db.sqlite", out=tmp_path / "th.xlsx",
                                workers=1)
    assert result.rollup.targets["BD01"].target == 4  # the plan's


# --- the roll-up --------------------------------------------------------------------------------

# per unit: (where its targets are written, the targets); report values vary with k
SETUP = [("plan", {"CC15": 1.0, "BD01": 2, "HG03": 0.8}), ("report", {"CC15": 1.0, "BD01": 1, "HG03": 0.9}),
         ("both", {"CC15": 1.0, "BD01": 3}), ("report", {"CC15": 1.0}), ("none", {})]


def values(k: int) -> dict:
    v = corpus.report_values()
    v.update({"BD01": 1 + k % 3, "BD02": 30, "HG01": 10, "HG02": 6 + k, "CC12": 100 + 10 * k, "CC13": 40 + 5 * k,
              "CC07": 70 + 5 * k})  # online procedures: the fully (CC13) and the partly (CC14: 30) online
    return v


def make_folder(folder: Path, units) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, u in enumerate(units):
        where, targets = SETUP[k % len(SETUP)]
        unit = (u.code, u.name)
        write_report(folder, unit, values(k), targets if where in ("report", "both") else None)
        corpus.write_log(folder, unit=unit)
        if where in ("plan", "both"):
            write_plan(folder, unit, {c: (v * 100 if c in ("CC15", "HG03") else v) for c, v in targets.items()})
    return folder


def raw(folder: Path) -> dict[str, dict]:
    """Per unit, read straight from the files' cells: report values and targets, the plan's targets."""
    out = {}
    for path in sorted(folder.glob("*bao-cao-dinh-ky*.xlsx")):
        ws = SheetCells(path, RS.name)
        code = path.name.split("-")[0]
        out[code] = {"v": {i.code: ws[RS.indicator_cell(i.code)] for i in REPORT.indicators if i.kind != "ratio"},
                     "t": {i.code: ws[RS.target_cell(i.code)] for i in REPORT.targetable
                           if ws[RS.target_cell(i.code)] is not None}, "plan": {}}
    for path in sorted(folder.glob("*ke-hoach*.xlsx")):
        ws = load_workbook(path, read_only=True)[TS.name]
        plan = out[path.name.split("-")[0]]["plan"]
        for row in ws.iter_rows(min_row=TS.first_row, max_col=3, values_only=True):
            if row[0]:
                code = CODE_OF[row[0]]
                plan[code] = row[1] / 100 if code in ("CC15", "HG03") else row[1]
    return out


def sheet_blocks(path: Path) -> dict[str, list[tuple]]:
    """The sheet "So với chỉ tiêu" by indicator code: its rows (unit or total label, then the columns)."""
    ws = load_workbook(path, read_only=True)[SHEET.name]  # values only
    heads = [c.value for c in ws[TITLE_ROW]]
    assert heads[5:] == [c.title for c in SHEET.target_columns]
    blocks, code = {}, None
    for row in ws.iter_rows(min_row=TITLE_ROW + 1, values_only=True):
        if row[1]:
            code = row[1]
        if code and row[4]:
            blocks.setdefault(code, []).append((row[4],) + tuple(row[5:]))
    return blocks


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("targets")
    folder = make_folder(base / "nop", NHU_THANH[:5])
    result = consolidate_folder(folder, db=base / "db.sqlite", out=base / "tong-hop.xlsx", workers=1)
    return folder, result


def test_the_rollup_sheet_recomputed_from_raw_cells(district):
    folder, result = district
    cells = raw(folder)
    blocks = sheet_blocks(result.out_path)
    col = {c.key: i + 1 for i, c in enumerate(SHEET.target_columns)}  # after the label
    names = {u.code: u.name for u in NHU_THANH}
    assert set(blocks) == {"CC15", "HG03", "BD01"}  # no unit set any other: no row, no "0%"

    def own(code, unit):
        return cells[unit]["plan"].get(code, cells[unit]["t"].get(code))

    # a count: BD01, set by 3 of 5 units -> the total is not compared; the units that set one are, below it
    rows = {r[0]: r for r in blocks["BD01"]}
    targeted = [u for u in cells if own("BD01", u) is not None]
    assert len(targeted) == 3
    total = rows[next(k for k in rows if k.startswith("Tổng cộng"))]
    assert total[col["value"]] == sum(cells[u]["v"]["BD01"] for u in cells)
    assert total[col["target"]] is None and total[col["percent"]] is None
    assert total[col["units"]] == 3
    assert total[col["reached"]] == sum(cells[u]["v"]["BD01"] >= own("BD01", u) for u in targeted)
    part = rows[next(k for k in rows if k.startswith("Các đơn vị có chỉ tiêu"))]
    pv, pt = sum(cells[u]["v"]["BD01"] for u in targeted), sum(own("BD01", u) for u in targeted)
    assert (part[col["value"]], part[col["target"]]) == (pv, pt)
    assert part[col["percent"]] == pytest.approx(pv / pt)
    for u in cells:
        r = rows[names[u]]
        assert r[col["value"]] == cells[u]["v"]["BD01"] and r[col["target"]] == own("BD01", u)
        if own("BD01", u) is None:
            assert r[col["percent"]] is None and r[col["units"]] == 0 and r[col["reached"]] is None
        else:
            assert r[col["percent"]] == pytest.approx(cells[u]["v"]["BD01"] / own("BD01", u))
            assert r[col["reached"]] == int(cells[u]["v"]["BD01"] >= own("BD01", u))
    # a rate every unit with a target shares but one unit has none: no total target, units reaching theirs
    rows = {r[0]: r for r in blocks["CC15"]}
    total = rows[next(k for k in rows if k.startswith("Tổng cộng"))]
    rates = [cells[u]["v"]["CC13"] / cells[u]["v"]["CC12"] for u in cells]  # a rate of catalogues: a range
    assert total[col["value"]] == f"{fmt.percent(min(rates))} – {fmt.percent(max(rates))}"
    assert total[col["target"]] is None
    assert total[col["units"]] == 4 and total[col["reached"]] == 0
    for u in cells:
        mine = cells[u]["v"]["CC13"] / cells[u]["v"]["CC12"]
        assert rows[names[u]][col["value"]] == pytest.approx(mine)
        if own("CC15", u) is not None:
            assert rows[names[u]][col["percent"]] == pytest.approx(mine / own("CC15", u))
    # rates with different targets: per unit against its own
    rows = {r[0]: r for r in blocks["HG03"]}
    for u in cells:
        t = own("HG03", u)
        mine = cells[u]["v"]["HG02"] / cells[u]["v"]["HG01"]
        assert rows[names[u]][col["target"]] == (pytest.approx(t) if t is not None else None)
        if t is not None:
            assert rows[names[u]][col["reached"]] == int(mine >= t)


def test_a_rollup_of_more_units_than_the_layout_lists_gives_the_totals_only(district, tmp_path, monkeypatch):
    """unit_rows_max in tong-hop.yaml: past it the sheet keeps each indicator's total rows and says why."""
    _, result = district
    layout = load_layout()
    small = replace(layout, sheets=tuple(replace(s, unit_rows_max=3) if s.kind == "targets" else s
                                         for s in layout.sheets))
    monkeypatch.setattr(rollup_writer, "load_layout", lambda *a: small)
    big = replace(result, out_path=tmp_path / "lon.xlsx")
    write_rollup(big)
    blocks = sheet_blocks(big.out_path)
    assert set(blocks) == set(sheet_blocks(result.out_path))  # the same indicators
    assert all(r[0].startswith(("Tổng cộng", "Các đơn vị có chỉ tiêu")) for rows in blocks.values() for r in rows)
    ws = load_workbook(big.out_path, read_only=True)[SHEET.name]
    said = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Biểu tổng hợp 5 đơn vị nên trang này chỉ ghi dòng tổng") for t in said)
    assert load_layout().sheet("targets").unit_rows_max == 300  # the committed layout lists a province's units


def test_a_rate_all_units_share_is_compared_at_the_total(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    for k, u in enumerate(NHU_THANH[:3]):
        write_report(folder, (u.code, u.name), values(k), {"HG03": 0.9, "CC15": 1.0})
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", out=tmp_path / "th.xlsx", workers=1)
    blocks = sheet_blocks(result.out_path)
    total = blocks["HG03"][0]
    col = {c.key: i + 1 for i, c in enumerate(SHEET.target_columns)}
    rate = sum(values(k)["HG02"] for k in range(3)) / sum(values(k)["HG01"] for k in range(3))
    assert total[col["target"]] == 0.9 and total[col["percent"]] == pytest.approx(rate / 0.9)
    assert (total[col["units"]], total[col["reached"]]) == (3, 0)
    # a rate of catalogues (CC13 / CC12) is each unit's own: the total gives the range, compared with no target
    rates = [values(k)["CC13"] / values(k)["CC12"] for k in range(3)]
    online = blocks["CC15"][0]
    assert online[col["value"]] == f"{fmt.percent(min(rates))} – {fmt.percent(max(rates))}"
    assert online[col["percent"]] in (None, "") and (online[col["units"]], online[col["reached"]]) == (3, 0)
    md = tmp_path / "bc.md"
    narrate(result.out_path, out=tmp_path / "bc.docx", md=md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    pct, share = (vi_percent(x) for x in (rate, rate / 0.9))
    assert f"{TITLE['HG03']}: {pct}, chỉ tiêu 90%: đạt {share} chỉ tiêu; 0/3 đơn vị đạt chỉ tiêu." in text
    assert (f"{TITLE['CC15']}: từ {fmt.percent(min(rates))} đến {fmt.percent(max(rates))} tùy đơn vị (không tính "
            "chung cho các đơn vị), chỉ tiêu 100%; 0/3 đơn vị đạt chỉ tiêu.") in text


def test_the_narrative_sentences_sit_on_their_figures(district, tmp_path):
    folder, result = district
    cells = raw(folder)
    md = tmp_path / "bc.md"
    narrate(result.out_path, out=tmp_path / "bc.docx", md=md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    own = {u: cells[u]["plan"].get("BD01", cells[u]["t"].get("BD01")) for u in cells}
    targeted = [u for u, t in own.items() if t is not None]
    value = sum(cells[u]["v"]["BD01"] for u in cells)
    pv, pt = sum(cells[u]["v"]["BD01"] for u in targeted), sum(own[u] for u in targeted)
    reached = sum(cells[u]["v"]["BD01"] >= own[u] for u in targeted)
    pct = vi_percent(pv / pt)
    assert (f"- {TITLE['BD01']}: {value} lớp; {len(targeted)}/{len(cells)} đơn vị có số liệu trong báo cáo định kỳ có "
            f"chỉ tiêu, đạt {pv}/{pt} lớp, "
            f"bằng {pct} chỉ tiêu ({reached}/{len(targeted)} đơn vị đạt chỉ tiêu).") in text
    assert f"- {TITLE['TT01']}" not in text and "đạt 0,0% chỉ tiêu" not in text and "đạt 0% chỉ tiêu" not in text  # no target: no comparison
    assert "Thực hiện các chỉ tiêu kế hoạch" in text


def test_a_unit_report_compares_with_its_plan_and_says_what_is_missing(tmp_path):
    v = values(0)
    write_report(tmp_path, corpus.UNIT, v, {"BD01": 5})
    write_plan(tmp_path, corpus.UNIT, {"BD01": 2, "CC15": 100})
    md = tmp_path / "bc.md"
    write_report_files = sorted(tmp_path.glob("*.xlsx"))
    narrate(write_report_files, out=tmp_path / "bc.docx", md=md, db=tmp_path / "db.sqlite")
    text = md.read_text(encoding="utf-8")
    pct = vi_percent(v['BD01'] / 2)
    assert f"- {TITLE['BD01']}: {v['BD01']} lớp, đạt {pct} chỉ tiêu (2 lớp)." in text  # the plan's, not 5
    rate = v["CC13"] / v["CC12"]
    share = vi_percent(rate)
    assert f"- {TITLE['CC15']}: {share}, chỉ tiêu 100%: đạt {share} chỉ tiêu." in text


def test_a_target_without_its_figure_is_said_missing_never_zero(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    a, b = NHU_THANH[:2]
    write_report(folder, (a.code, a.name), values(0), {"BD01": 2})
    write_plan(folder, (b.code, b.name), {"BD01": 3})  # b's report did not come
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", out=tmp_path / "th.xlsx", workers=1)
    t = result.rollup.targets["BD01"]
    assert (t.figures, t.units, t.reported, t.target) == (1, 2, 1, 2)
    rows = {r[0]: r for r in sheet_blocks(result.out_path)["BD01"]}
    note = {c.key: i + 1 for i, c in enumerate(SHEET.target_columns)}["note"]
    assert rows[b.name][note] == "Chưa có số liệu" and rows[b.name][1] is None
    md = tmp_path / "bc.md"
    narrate(result.out_path, out=tmp_path / "bc.docx", md=md, db=tmp_path / "db.sqlite")
    line = next(x for x in md.read_text(encoding="utf-8").splitlines() if x.startswith(f"- {TITLE['BD01']}"))
    assert "1 đơn vị có chỉ tiêu chưa có số liệu" in line and " 0 lớp" not in line


# --- hidden data and levels ---------------------------------------------------------------------

def test_targets_round_trip_through_the_hidden_data(district):
    _, result = district
    back = load_rollup(result.out_path)
    assert back.targets == result.rollup.targets and back.targets["BD01"].units == 3
    assert [u.targets for u in back.units] == [u.targets for u in result.rollup.units]
    assert all(isinstance(t, TargetTally) for u in back.units for t in u.targets.values())
    # totals are the sum of the units' tallies
    for code, t in back.targets.items():
        assert sum((u.targets.get(code, TargetTally()) for u in back.units), TargetTally()) == t


def test_a_rollup_written_before_targets_still_reads(district):
    _, result = district
    rows = [r for r in rollup_rows(result.rollup) if r[0] != "target"]
    old = [(s, k, c, v, b.replace(',"targets":', ',"_":') if s == "unit" else b) for s, k, c, v, b in rows]
    back = rollup_from_rows(old, result.rollup.unit_code, result.rollup.unit_name, result.rollup.period)
    assert back.targets == {} and all(u.targets == {} for u in back.units)
    assert back.totals == result.rollup.totals


def test_a_province_from_district_rollups_equals_the_flat_consolidation(tmp_path):
    other = [d for d in REG.children("38") if d.code != "403" and 3 <= len(REG.children(d.code)) <= 8][0]
    groups = (("403", NHU_THANH[:5]), (other.code, REG.children(other.code)[:3]))
    communes = tmp_path / "communes"  # every commune's files: the districts' folders copied together
    communes.mkdir()
    rollups = tmp_path / "huyen"
    rollups.mkdir()
    for d, units in groups:
        f = make_folder(tmp_path / f"nop-{d}", units)
        for p in f.glob("*.xlsx"):
            shutil.copy(p, communes / p.name)
        consolidate_folder(f, parent=d, db=tmp_path / "b.sqlite", out=rollups / f"tong-hop-{d}.xlsx", workers=1)
    direct = consolidate_folder(communes, parent="38", db=tmp_path / "a.sqlite", out=tmp_path / "direct.xlsx",
                                workers=1)
    via = consolidate_folder(rollups, parent="38", db=tmp_path / "c.sqlite", out=tmp_path / "via.xlsx", workers=1)
    assert direct.rollup.targets == via.rollup.targets and direct.rollup.targets["BD01"].units == 6
    flat, levels = sheet_blocks(direct.out_path), sheet_blocks(via.out_path)
    assert set(flat) == set(levels)
    same = lambda row: [round(x, 9) if isinstance(x, float) else x for x in row[1:]]  # noqa: E731
    for code in flat:  # the total rows agree
        assert same(flat[code][0]) == same(levels[code][0])
