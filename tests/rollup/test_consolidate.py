"""Consolidation: totals from raw cells, the ledger, privacy, the level invariant, history."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from dvcq.forms import spec
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.rollup.layout import load_layout
from dvcq.units.registry import load
from openpyxl import load_workbook

from tests.support import corpus
from tests.support.reporttext import report_text
from tests.support.sheetcells import SheetCells

REPORT = spec.load_form("bao-cao-dinh-ky")
RS = REPORT.main
REG = load("legacy")
NHU_THANH = REG.children("403")


def varied_values(k: int) -> dict:
    v = corpus.report_values()
    v.update({"TT01": 3 + k, "TT02": 200 + 17 * k, "CC01": 150 + 9 * k, "CC08": 40 + 3 * k, "DC04": 1000 + 50 * k,
              "DC03": 700 + 31 * k})
    return v


def make_folder(folder: Path, units, late=(), skip_log=()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, u in enumerate(units):
        saved = datetime(2024, 6, 20, 8, 0) if u.code in late else datetime(2024, 6, 12, 9, 0)
        corpus.write_report(folder, varied_values(k), unit=(u.code, u.name), saved_at=saved)
        if u.code not in skip_log:
            corpus.write_log(folder, unit=(u.code, u.name))
        corpus.write_plan(folder, unit=(u.code, u.name))
    return folder


def raw_indicators(folder: Path) -> list[dict]:
    """Indicator values read straight from the report files' cells (independent of dvcq.intake.read)."""
    out = []
    for path in sorted(folder.glob("*bao-cao-dinh-ky*.xlsx")):
        ws = SheetCells(path, RS.name)
        out.append({i.code: ws[RS.indicator_cell(i.code)] for i in REPORT.indicators if i.kind != "ratio"})
    return out


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("district")
    folder = make_folder(base / "nop", NHU_THANH[:6], late={NHU_THANH[1].code})
    result = consolidate_folder(folder, db=base / "lich-su.sqlite", workers=1)
    return folder, result


def test_totals_equal_sums_of_the_raw_cells(district):
    folder, result = district
    raws = raw_indicators(folder)
    spreads = result.rollup.totals.spreads
    for ind in REPORT.indicators:
        if ind.kind == "count" and ind.additive:
            assert result.totals[ind.code] == sum(r[ind.code] for r in raws), ind.code
        elif ind.kind == "count":  # a catalogue's size: never summed, the smallest and largest unit's
            assert result.totals.get(ind.code) is None, ind.code
            got = spreads[ind.code]
            assert (got.lo, got.hi, got.n) == (min(r[ind.code] for r in raws), max(r[ind.code] for r in raws),
                                               len(raws)), ind.code
        elif ind.kind == "ratio" and ind.additive:
            num = sum(r[c] for r in raws for c in ind.numerator)
            den = sum(r[c] for r in raws for c in ind.denominator)
            assert result.totals[ind.code] == pytest.approx(num / den if den else None)
        elif ind.kind == "ratio":  # a rate of catalogues: each unit's own rate, as a range
            rates = [sum(r[c] for c in ind.numerator) / sum(r[c] for c in ind.denominator) for r in raws]
            assert result.totals[ind.code] is None and spreads[ind.code].lo == pytest.approx(min(rates))
            assert spreads[ind.code].hi == pytest.approx(max(rates)), ind.code
    mean = sum(r["CC11"] for r in raws) / len(raws)
    assert result.totals["CC11"] == pytest.approx(mean)


def test_rollup_sheet_total_row_and_ratios_are_recomputed_not_averaged(district):
    _, result = district
    ws = load_workbook(result.out_path)[load_layout().units_sheet(spec.REPORT).name]
    codes = [c.value for c in ws[5]]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    total = [r for r in rows if str(r[2]).startswith("Tổng cộng")][0]
    units = [r for r in rows if r[1] and not str(r[2]).startswith("Tổng cộng")]
    assert len(units) < len(NHU_THANH)  # some communes did not report: the total says whom it covers
    assert total[2] == f"Tổng cộng ({len(units)}/{len(NHU_THANH)} đơn vị)"
    # under the table (in the columns printed on every page): the sheet's note, then the coverage line
    notes = [r[0] for r in rows[rows.index(total) + 1:] if r[0]]
    assert len(notes) == 3 and notes[0].startswith("Tỷ lệ của dòng Tổng cộng")
    note = notes[1]
    # then the non-additive columns (catalogues, a unit's own statement): every one the specification declares
    ranged = [i.code for i in spec.load_form(spec.REPORT).main.indicators if not i.additive and i.code in codes]
    assert notes[2].startswith(", ".join(ranged) + ":") and "không cộng được" in notes[2]
    missing = [u.name for u in NHU_THANH if u.code not in {r[1] for r in units}]
    assert note.startswith(f"Số liệu tổng hợp từ {len(units)}/{len(NHU_THANH)} đơn vị; chưa có: ")
    assert all(name in note for name in missing)
    col = codes.index("CC09")
    num = sum(r[codes.index("CC08")] for r in units)
    den = sum(r[codes.index("CC01")] for r in units)
    assert total[col] == pytest.approx(num / den)
    naive = sum(r[col] for r in units) / len(units)
    assert total[col] != pytest.approx(naive)


def test_ledger_names_missing_and_late_units(district):
    _, result = district
    ws = load_workbook(result.out_path, read_only=True)[load_layout().sheet("ledger").name]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] and str(r[1]).isdigit()}
    # the communes, then the district's own row (its own plan is expected, and not in the folder)
    assert set(rows) == {u.code for u in NHU_THANH} | {"403"}
    for u in NHU_THANH[6:]:
        assert rows[u.code][3] == "Chưa" and rows[u.code][2] == u.name
    assert rows["403"][2:4] == ("Huyện Như Thanh", "Chưa") and rows["403"][8] is None  # own files have no deadline
    heads = [r[0] for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], str) and "đã nộp" in r[0]]
    assert heads == ["Xã, thị trấn (6/14 đã nộp)", "Cấp huyện (0/1 đã nộp)"]
    assert rows[NHU_THANH[1].code][9] == "Trễ hạn"
    assert rows[NHU_THANH[0].code][9] == "Đúng hạn"
    report_file = sorted(p for p in Path(district[0]).glob(f"{NHU_THANH[0].code}-bao-cao*"))[0]
    assert rows[NHU_THANH[0].code][6] == hashlib.sha256(report_file.read_bytes()).hexdigest()
    s = result.summary_dict()["units"]
    assert (s["expected"], s["submitted"], s["late"], s["missing"]) == (15, 6, 1, 9)


def test_no_personal_data_in_any_cell_of_the_rollup(district):
    _, result = district
    wb = load_workbook(result.out_path, read_only=True)  # every sheet's values, without their styles
    text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    for secret in corpus.PERSONAL:
        assert secret not in text
    for row in corpus.log_rows():
        assert row["noi_dung"] not in text


def test_overdue_cases_carry_references_only(district):
    _, result = district
    cases = result.overdue_cases
    assert cases and all(c.ref and c.days_open > c.limit for c in cases)
    assert all(c.ref.split("-")[0] in {u.code for u in NHU_THANH} for c in cases)


def test_invalid_and_duplicate_submissions(tmp_path):
    folder = make_folder(tmp_path / "nop", NHU_THANH[:3])
    bad = NHU_THANH[2]
    corpus.type_over(folder / f"{bad.code}-bao-cao-dinh-ky.xlsx", RS.name, RS.indicator_cell("TD08"), 50)
    dup = NHU_THANH[0]
    newer = varied_values(9)
    corpus.write_report(folder, newer, unit=(dup.code, dup.name), name=f"{dup.code}-bao-cao-nop-lai.xlsx",
                        saved_at=datetime(2024, 6, 13, 9, 0))
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", workers=1)
    led = {r.unit_code: r for r in result.ledger}
    assert led[bad.code].status == "invalid" and "Tệp có lỗi" in led[bad.code].note
    assert [f.path.name for f in result.excluded] == [f"{bad.code}-bao-cao-dinh-ky.xlsx"]
    assert led[dup.code].file_name == f"{dup.code}-bao-cao-nop-lai.xlsx"
    assert "Nộp trùng" in led[dup.code].note
    dups = [f for f in result.files if any(i.code == "duplicate-submission" for i in f.issues)]
    assert [f.unit_code for f in dups] == [dup.code]  # the file left out says so, in the JSON report too
    assert result.totals["TT01"] == newer["TT01"] + varied_values(1)["TT01"]
    strict = consolidate_folder(folder, db=tmp_path / "db.sqlite", strict=True, workers=1)
    assert strict.exit_code == 1


def test_text_starting_with_equals_stays_text(tmp_path):
    folder = make_folder(tmp_path / "nop", NHU_THANH[:1])
    path = folder / f"{NHU_THANH[0].code}-bao-cao-dinh-ky.xlsx"
    corpus.type_over(path, "Đánh giá", REPORT.sheet("Đánh giá").text_cell("KN"), '=HYPERLINK("http://x","y")', True)
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", workers=1)
    wb = load_workbook(result.out_path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_district_rollups_give_the_same_province_totals_as_communes(tmp_path):
    other = [d for d in REG.children("38") if d.code != "403" and 3 <= len(REG.children(d.code)) <= 8][0]
    communes = tmp_path / "communes"  # every commune's files: the two districts' folders copied together
    communes.mkdir()
    rollups = tmp_path / "huyen"
    rollups.mkdir()
    for d, units in (("403", NHU_THANH[:4]), (other.code, REG.children(other.code)[:3])):
        f = make_folder(tmp_path / f"nop-{d}", units)
        for p in f.glob("*.xlsx"):
            shutil.copy(p, communes / p.name)
        consolidate_folder(f, parent=d, db=tmp_path / "b.sqlite", out=rollups / f"tong-hop-{d}.xlsx", workers=1)
    direct = consolidate_folder(communes, parent="38", db=tmp_path / "a.sqlite", out=tmp_path / "direct.xlsx",
                                workers=1)
    via = consolidate_folder(rollups, parent="38", db=tmp_path / "c.sqlite", out=tmp_path / "via.xlsx", workers=1)
    assert via.summary_dict()["units"]["submitted"] == 2
    keys = set(direct.totals) | set(via.totals)
    for k in keys:
        assert direct.totals.get(k) == pytest.approx(via.totals.get(k)), k
    assert sorted(c.ref for c in direct.overdue_cases) == sorted(c.ref for c in via.overdue_cases)
    # each district roll-up holds only some of its communes: the province's figures are partial, and say so
    cov = via.coverage("bao-cao-dinh-ky")
    assert (cov.covered, cov.complete) == (2, False)
    assert cov.partial_counts == {REG.get("403").name: (4, len(NHU_THANH)),
                                  other.name: (3, len(REG.children(other.code)))}
    md = tmp_path / "tinh.md"
    report_text(via.out_path, md, db=tmp_path / "c.sqlite")
    text = md.read_text(encoding="utf-8")
    assert "toàn tỉnh" not in text
    assert f"huyện Như Thanh (4/{len(NHU_THANH)})" in text


def test_two_tier_era_communes_straight_to_province(tmp_path):
    from dvcq.calendar.periods import parse

    p = parse("2026-H1")  # wholly after the reform (2025-Y straddles it: tests/test_straddle.py)
    reg = load("2025")
    units = reg.children("38")[:3]
    folder = tmp_path / "nop"
    folder.mkdir()
    for k, u in enumerate(units):
        rows = [dict(r, ngay_tiep=r["ngay_tiep"].replace(year=2026),
                     **({"ngay_giai_quyet": r["ngay_giai_quyet"].replace(year=2026)} if r.get("ngay_giai_quyet") else {}))
                for r in corpus.log_rows()]
        corpus.write_report(folder, varied_values(k), unit=(u.code, u.name), period=p)
        corpus.write_log(folder, rows, unit=(u.code, u.name), period=p)
    result = consolidate_folder(folder, db=tmp_path / "db.sqlite", workers=1)
    assert result.parent.code == "38" and result.period.code == "2026-H1"
    # the communes, the province's declared bodies of that year (templates/co-quan.yaml) and its own row
    assert result.summary_dict()["units"]["expected"] == len(reg.children("38")) + len(reg.bodies("38", p)) + 1
    assert result.totals["TT01"] == sum(varied_values(k)["TT01"] for k in range(3))


def test_history_is_idempotent_and_gives_same_period_last_year(tmp_path):
    from dvcq.calendar.periods import parse

    db = tmp_path / "lich-su.sqlite"
    units = NHU_THANH[:2]
    last_year = tmp_path / "2023"
    last_year.mkdir()
    p23 = parse("2023-H1")
    for k, u in enumerate(units):
        v = varied_values(k)
        v["TT01"] = 2
        corpus.write_report(last_year, v, unit=(u.code, u.name), period=p23, saved_at=datetime(2023, 6, 10))
    consolidate_folder(last_year, db=db, workers=1)
    folder = make_folder(tmp_path / "2024", units)
    first = consolidate_folder(folder, db=db, workers=1)
    again = consolidate_folder(folder, db=db, workers=1)
    assert first.totals == again.totals
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM submissions WHERE period='2024-H1'").fetchone()[0] == 6
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 3
    assert first.previous.counts["TT01"] == 4
    assert "So với cùng kỳ" in load_workbook(first.out_path, read_only=True).sheetnames
    # a re-submitted file replaces the unit's earlier values
    v = varied_values(0)
    v["TT01"] = 40
    corpus.write_report(folder, v, unit=(units[0].code, units[0].name), saved_at=datetime(2024, 6, 14))
    third = consolidate_folder(folder, db=db, workers=1)
    row = {r.unit_code: r for r in third.ledger}[units[0].code]
    assert "Thay thế" in row.note
    stored = con.execute("SELECT value FROM unit_values WHERE period='2024-H1' AND unit_code=? AND key='TT01'",
                         (units[0].code,)).fetchone()[0]
    assert stored == 40


def test_inputs_untouched_and_output_replaced_atomically(district, tmp_path):
    folder, result = district
    before = {p: p.read_bytes() for p in folder.iterdir()}
    consolidate_folder(folder, db=tmp_path / "x.sqlite", out=result.out_path, workers=1)
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    assert not list(result.out_path.parent.glob(".tmp-*"))


def test_two_runs_at_once_share_the_history_database(tmp_path):
    """Two `dvcq consolidate` processes reach their writes while a third writer holds the lock."""
    import subprocess
    import sys
    import time

    from dvcq.rollup import store

    db = tmp_path / "lich-su.sqlite"
    folders = [make_folder(tmp_path / f"nop{k}", NHU_THANH[2 * k:2 * k + 2]) for k in range(2)]
    with store.connect(db) as con:
        con.execute("BEGIN IMMEDIATE")
        runs = [subprocess.Popen([sys.executable, "-m", "dvcq", "consolidate", str(f), "--db", str(db),
                                  "--out", str(tmp_path / f"th{k}.xlsx"), "--json"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for k, f in enumerate(folders)]
        time.sleep(2)
        con.execute("COMMIT")
    outcomes = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [err for _, err in outcomes]
    assert [json.loads(out)["units"]["submitted"] for out, _ in outcomes] == [2, 2]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2
    stored = {u for (u,) in con.execute("SELECT DISTINCT unit_code FROM unit_values WHERE period='2024-H1'")}
    assert stored == {u.code for u in NHU_THANH[:4]}


def test_a_history_file_that_is_not_a_database_is_a_clear_error(district, tmp_path):
    import subprocess
    import sys

    folder, _ = district
    db = tmp_path / "lich-su.sqlite"
    db.write_text("ghi chú, không phải cơ sở dữ liệu", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "dvcq", "consolidate", str(folder), "--db", str(db),
                        "--out", str(tmp_path / "th.xlsx")], capture_output=True, text=True)
    assert r.returncode == 2
    assert str(db) in r.stderr and "Cơ sở dữ liệu lịch sử" in r.stderr and "Traceback" not in r.stderr
    assert db.read_text(encoding="utf-8") == "ghi chú, không phải cơ sở dữ liệu"


@pytest.mark.parametrize("saved_at", [True, "hôm qua", 45000])
def test_a_damaged_saved_at_in_the_metadata_costs_nothing(tmp_path, saved_at):
    """Found by the fuzz test: any value in the hidden 'saved_at' cell stopped the whole consolidation."""
    from tests.support.paths import SAMPLE

    folder = tmp_path / "nop"
    folder.mkdir()
    for p in sorted(SAMPLE.glob("1623[14]-*.xlsx")):
        (folder / p.name).write_bytes(p.read_bytes())
    victim = sorted(folder.glob("16231-*bao-cao-dinh-ky*.xlsx"))[0]
    wb = load_workbook(victim)
    meta = wb["_dvcq"]
    row = next(r for r in meta.iter_rows() if r[0].value == "saved_at")
    row[1].value = saved_at
    wb.save(victim)
    result = consolidate_folder(folder, parent="403", out=tmp_path / "th.xlsx", db=tmp_path / "db.sqlite", workers=1)
    assert result.out_path.exists()
    ledger = {r.unit_code: r for r in result.ledger}
    assert ledger["16231"].submitted and ledger["16234"].submitted
    assert ledger["16231"].received  # from the workbook's own saved time instead
