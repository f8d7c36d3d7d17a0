"""The history database keys every value by what it is (issue 26 §1): period, part of the period, the
roll-up that stored it, the unit and its role. A district's own row and its row in the province's run are
two records; 16264 Xã Yên Thọ in both eras of a straddling period is two units, never a replaced
submission; next year's comparison finds the right figure in each case; a database written by the
release before (tests/rollup/data/history-v1.sqlite, see make_history_v1.py there) is migrated in place."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from dvcq.calendar.periods import parse
from dvcq.documents.context import build_context
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.intake.readback import load_rollup
from dvcq.model import TargetTally, UnitGroup, Values
from dvcq.rollup import store
from dvcq.rollup.coverage import UnitSet
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import load

from tests.support import corpus
from tests.support.reporttext import report_text

DATA = Path(__file__).parent / "data"
REPORT = spec.load_form("bao-cao-dinh-ky")


def raw_indicator(path: Path, code: str) -> float:
    """An indicator of a periodic report read straight from its cell (python-calamine, not dvcq)."""
    grid = corpus.raw_grid(path, REPORT.main.name)
    return corpus.raw_cell(grid, REPORT.main.indicator_cell(code))


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


# --- migration of a database written by the release before issue 26 ---------------------------------

def test_a_database_of_the_release_before_is_migrated_in_place_and_still_answers(tmp_path):
    db = tmp_path / "lich-su.sqlite"
    shutil.copy(DATA / "history-v1.sqlite", db)
    old = sqlite3.connect(db)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 0
    assert "role" not in [r[1] for r in old.execute("PRAGMA table_info(unit_values)")]
    raw = {}
    for period, parent in old.execute("SELECT DISTINCT period, parent_code FROM rollup_values").fetchall():
        raw[(period, parent)] = Values.from_flat(dict(old.execute(
            "SELECT key, value FROM rollup_values WHERE period=? AND parent_code=?", (period, parent)).fetchall()))
    n_submissions = old.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    n_values = old.execute("SELECT COUNT(*) FROM unit_values").fetchone()[0]
    old.close()

    with store.connect(db) as con:  # the first open migrates
        assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == n_submissions
        assert con.execute("SELECT COUNT(*) FROM unit_values").fetchone()[0] == n_values
        parts = dict(con.execute("SELECT period || ' ' || parent_code, part FROM runs").fetchall())
        # 16264 of 2025-9M went last into the province's run: it is a commune of 2025 there, its part from 1/7/2025
        yen_tho = con.execute("SELECT DISTINCT part, rollup_code FROM submissions WHERE period='2025-9M' AND "
                              "unit_code='16264'").fetchall()
        roles = dict(con.execute("SELECT period || ' ' || unit_code || ' ' || rollup_code, role FROM unit_values "
                                 "GROUP BY 1").fetchall())
    assert parts == {"2024-H1 403": "", "2024-H1 38": "", "2025-9M 403": "legacy", "2025-9M 38": ""}
    assert yen_tho == [("2025", "38")]
    # schema 1 kept one set of values per period and unit: the last run's, now with that run's roll-up and role
    assert roles["2024-H1 403 38"] == UnitGroup.TERRITORIAL.value
    assert roles["2025-9M 403 38"] == UnitGroup.ABOLISHED.value
    assert roles["2025-9M 38-SNV 38"] == UnitGroup.DEPARTMENT.value
    assert roles["2024-H1 16231 403"] == UnitGroup.TERRITORIAL.value
    # every roll-up still answers, with its part
    assert store.rollup_totals(db, "2024-H1", "403") == raw[("2024-H1", "403")]
    assert store.rollup_totals(db, "2024-H1", "38") == raw[("2024-H1", "38")]
    assert store.rollup_totals(db, "2025-9M", "403", "legacy") == raw[("2025-9M", "403")]
    assert store.rollup_totals(db, "2025-9M", "38") == raw[("2025-9M", "38")]
    # opened again: nothing to do, the same answers
    with store.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM unit_values").fetchone()[0] == n_values
    assert store.rollup_totals(db, "2024-H1", "403") == raw[("2024-H1", "403")]


def test_a_migrated_database_gives_next_years_comparison(tmp_path):
    """The district's 2025-H1 roll-up is compared with its 2024-H1 roll-up recorded by the release before."""
    db = tmp_path / "lich-su.sqlite"
    shutil.copy(DATA / "history-v1.sqlite", db)
    before = sqlite3.connect(db)
    tt01 = before.execute("SELECT value FROM rollup_values WHERE period='2024-H1' AND parent_code='403' AND "
                          "key='TT01'").fetchone()[0]
    before.close()
    folder = tmp_path / "nop"
    write_samples("403", "2025-H1", folder, seed=3, children=["16231", "16234"])
    result = consolidate_folder(folder, period="2025-H1", parent="403", out=tmp_path / "th.xlsx", db=db, workers=1)
    assert result.previous is not None and result.previous.counts["TT01"] == tt01


# --- schema 3 (runs without the codes of the units they expected) ---------------------------------------

# the history's tables as the release before schema 4 created them (PRAGMA user_version 3)
SCHEMA_3 = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, period TEXT NOT NULL, parent_code TEXT NOT NULL,
    folder TEXT, out_path TEXT, submitted INTEGER, expected INTEGER, part TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS submissions (
    period TEXT NOT NULL, part TEXT NOT NULL, rollup_code TEXT NOT NULL, unit_code TEXT NOT NULL,
    form_id TEXT NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL, file_name TEXT, received TEXT,
    run_id INTEGER, replaced_sha256 TEXT,
    PRIMARY KEY (period, part, rollup_code, unit_code, form_id));
CREATE TABLE IF NOT EXISTS unit_values (
    period TEXT NOT NULL, part TEXT NOT NULL, rollup_code TEXT NOT NULL, unit_code TEXT NOT NULL,
    role TEXT NOT NULL, key TEXT NOT NULL, value REAL, run_id INTEGER,
    PRIMARY KEY (period, part, rollup_code, unit_code, role, key));
CREATE TABLE IF NOT EXISTS rollup_values (
    period TEXT NOT NULL, part TEXT NOT NULL, parent_code TEXT NOT NULL, key TEXT NOT NULL, value REAL,
    run_id INTEGER,
    PRIMARY KEY (period, part, parent_code, key));
CREATE TABLE IF NOT EXISTS unit_targets (
    period TEXT NOT NULL, part TEXT NOT NULL, rollup_code TEXT NOT NULL, unit_code TEXT NOT NULL,
    role TEXT NOT NULL, code TEXT NOT NULL, tally TEXT NOT NULL, run_id INTEGER,
    PRIMARY KEY (period, part, rollup_code, unit_code, role, code));
CREATE TABLE IF NOT EXISTS rollup_targets (
    period TEXT NOT NULL, part TEXT NOT NULL, parent_code TEXT NOT NULL, code TEXT NOT NULL,
    tally TEXT NOT NULL, run_id INTEGER,
    PRIMARY KEY (period, part, parent_code, code));
CREATE TABLE IF NOT EXISTS pending (
    run_id INTEGER PRIMARY KEY, period TEXT NOT NULL, part TEXT NOT NULL, parent_code TEXT NOT NULL,
    out_path TEXT NOT NULL, sha256 TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pending_submissions (
    run_id INTEGER NOT NULL, part TEXT NOT NULL, unit_code TEXT NOT NULL, form_id TEXT NOT NULL,
    sha256 TEXT NOT NULL, status TEXT NOT NULL, file_name TEXT, received TEXT);
CREATE TABLE IF NOT EXISTS pending_units (
    run_id INTEGER NOT NULL, unit_code TEXT, part TEXT, role TEXT, keys TEXT NOT NULL, numbers BLOB NOT NULL,
    targets TEXT NOT NULL);
"""


def test_a_run_recorded_without_its_expected_units_takes_them_from_the_registry_or_is_not_compared(tmp_path):
    """The history keeps which units a run expected (runs.expected_units), not only how many, so a registry changed
    between two years with as many units is not compared as if it were the same. A database of schema 3 (made here
    with its own DDL, holding a 2023 run recorded then) is migrated in place, its run's expected units NULL. They are
    data: the registry's units for that parent and period, used when as many as the run recorded, and the report
    and the roll-up's sheet then compare and say the list was taken from the registry; when the count differs, they
    say the comparison's basis is not known and give no change. A run of schema 4 whose expected units differ from
    this year's, as many of them and the same units sent, is another set and says so."""
    from datetime import datetime

    from openpyxl import load_workbook

    reg = load("legacy")
    a, b, c = sorted(reg.children("403"), key=lambda u: u.code)[:3]

    def consolidate(year: int, db: Path):
        folder = tmp_path / f"{year}-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        for u in (a, b):
            corpus.write_report(folder, dict(corpus.report_values(), TT01=3 if year == 2023 else 5),
                                unit=(u.code, u.name), period=parse(f"{year}-H1"), saved_at=datetime(year, 6, 10))
        return consolidate_folder(folder, db=db, workers=1, out=tmp_path / f"th-{folder.name}.xlsx")

    def yoy_rows(result) -> list:
        """The roll-up's sheet So với cùng kỳ as written (openpyxl), read once for its text and its changes."""
        wb = load_workbook(result.out_path, read_only=True)
        try:
            return list(wb["So với cùng kỳ"].iter_rows(values_only=True))
        finally:
            wb.close()

    def report(result, db: Path) -> tuple[str, str]:
        text = report_text(result.out_path, result.out_path.with_suffix(".md"), db=db)
        sheet = " ".join(str(v) for row in yoy_rows(result) for v in row if v is not None)
        return text, sheet

    def changes(result) -> list:
        """The sheet So với cùng kỳ's columns Tăng (+) / giảm (-) and Tỷ lệ thay đổi, row by row."""
        rows = yoy_rows(result)
        head = next(i for i, r in enumerate(rows) if r and r[0] == "Mã")
        return [r[5:7] for r in rows[head + 1:] if r and r[0] and r[3] is not None and r[4] is not None]

    new = tmp_path / "moi.sqlite"
    consolidate(2023, new)

    def schema_3(name: str, expected_more: int = 0) -> Path:
        """The same 2023 run as schema 3 recorded it (its expected count changed by ``expected_more``)."""
        old = tmp_path / name
        con = sqlite3.connect(old)
        con.executescript(SCHEMA_3)
        con.execute("PRAGMA user_version=3")
        con.execute("ATTACH DATABASE ? AS new", (str(new),))
        columns = [r[1] for r in con.execute("PRAGMA main.table_info(runs)")]
        assert "expected_units" not in columns
        con.execute(f"INSERT INTO main.runs SELECT {', '.join(columns)} FROM new.runs")
        con.execute("UPDATE main.runs SET expected=expected+?", (expected_more,))
        for table in ("submissions", "unit_values", "rollup_values", "unit_targets", "rollup_targets"):
            con.execute(f"INSERT INTO main.{table} SELECT * FROM new.{table}")
        con.commit()
        con.execute("DETACH DATABASE new")
        con.close()
        return old

    # a run of schema 3 whose expected count is the registry's (14 communes and the district's own row): its list is
    # taken from the registry, the figures compared, and the report and the sheet say where the list comes from
    old = schema_3("cu.sqlite")
    con = sqlite3.connect(old)
    assert con.execute("SELECT expected FROM runs").fetchone()[0] == len(reg.children("403")) + 1
    con.close()
    now = consolidate(2024, old)
    text, sheet = report(now, old)
    assert any(d is not None for d, _ in changes(now))  # compared: the sheet gives the changes
    listed = ("Lịch sử không lưu danh sách đơn vị phải báo cáo cùng kỳ năm 2023 (số liệu tổng hợp bằng phiên bản trước "
              "của phần mềm); danh sách này lấy theo danh mục đơn vị (danh mục đơn vị hành chính trước 01/7/2025 (ba "
              "cấp), bản tháng 01/2025), có cùng số đơn vị phải báo cáo với số lịch sử đã lưu.")
    assert listed in text and listed in sheet, text
    assert "chưa rõ" not in text and "chưa rõ" not in sheet
    assert "tăng 4 cuộc so với cùng kỳ" in text, text  # 2 x 5 this year against 2 x 3 last year

    # a schema-3 run that expected one unit more than the registry lists: its basis is still not known
    other = schema_3("cu-16.sqlite", expected_more=1)
    now = consolidate(2024, other)
    text, sheet = report(now, other)
    assert changes(now) and all(c == (None, None) for c in changes(now))  # 'không tính tăng, giảm': none on the sheet
    why = ("Lịch sử không lưu số liệu cùng kỳ năm 2023 được tổng hợp từ những đơn vị nào trong các đơn vị phải báo "
           "cáo (tổng hợp bằng phiên bản trước), nên chưa rõ có cùng tập hợp đơn vị với kỳ này không; không tính "
           "tăng, giảm")
    assert why in text and why in sheet, text
    assert listed not in text
    assert "tăng 4 cuộc so với cùng kỳ" not in text and "quán triệt về công tác dân vận chính quyền (năm 2023: 6 cuộc)" in text
    con = sqlite3.connect(old)  # migrated in place: the old run unknown, the new one with its units
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    stored = dict(con.execute("SELECT period, expected_units FROM runs").fetchall())
    con.close()
    assert stored["2023-H1"] is None
    roles = dict(x.split(":") for x in stored["2024-H1"].split(","))  # each expected unit with its group
    assert roles == {**{u.code: "territorial" for u in reg.children("403")}, "403": "own"}

    # as many units expected as last year, the same two sent, but another unit on last year's list
    con = sqlite3.connect(new)
    listed = con.execute("SELECT expected_units FROM runs WHERE period='2023-H1'").fetchone()[0].split(",")
    assert sorted(x.split(":")[0] for x in listed) == sorted([u.code for u in reg.children("403")] + ["403"])
    con.execute("UPDATE runs SET expected_units=? WHERE period='2023-H1'",
                (",".join(x if x != f"{c.code}:territorial" else "99999:territorial" for x in listed),))
    con.commit()
    con.close()
    now = consolidate(2024, new)
    text, sheet = report(now, new)
    assert changes(now) and all(c == (None, None) for c in changes(now))
    why = (f"Số liệu cùng kỳ năm 2023 và kỳ này cùng tổng hợp từ 2/{len(reg.children('403'))} xã, thị trấn nhưng "
           "danh sách đơn vị phải báo cáo khác nhau (1 đơn vị phải báo cáo kỳ này không có trong danh sách cùng kỳ "
           "năm 2023)")
    assert why in text and why in sheet, text
    assert "tăng 4 cuộc so với cùng kỳ" not in text


# --- a district's own row and its row in the province's run ------------------------------------------

@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """2024-H1 and 2025-H1: the district 403 (two communes, its own plan and its own periodic report) and the
    province 38 from 403's roll-up, all into one history."""
    base = tmp_path_factory.mktemp("history")
    db = base / "lich-su.sqlite"
    out = {}
    for period, own_tt01 in (("2024-H1", 7), ("2025-H1", 9)):
        p = parse(period)
        district = base / f"403-{period}"
        write_samples("403", period, district, seed=26, children=["16231", "16234", "403"])
        values = corpus.report_values()
        values["TT01"] = own_tt01
        own = corpus.write_report(district, values, unit=("403", "Huyện Như Thanh"), period=p,
                                  name=f"403-huyen-nhu-thanh-bao-cao-dinh-ky-{period}.xlsx")
        province = base / f"38-{period}"
        province.mkdir()
        r403 = consolidate_folder(district, period=period, parent="403", db=db, workers=1,
                                  out=province / f"tong-hop-403-{period}.xlsx")
        r38 = consolidate_folder(province, period=period, parent="38", db=db, workers=1,
                                 out=base / f"tong-hop-38-{period}.xlsx")
        out[period] = {"district": district, "own": own, "r403": r403, "r38": r38}
    return db, out


def test_a_districts_own_row_and_its_row_in_the_province_are_two_records(two_years):
    db, years = two_years
    y = years["2024-H1"]
    p, unit = parse("2024-H1"), load("legacy").get("403")
    communes = sum(raw_indicator(only(y["district"], f"{c}-*bao-cao-dinh-ky*.xlsx"), "TT01")
                   for c in ("16231", "16234"))
    own = raw_indicator(y["own"], "TT01")
    assert own == 7
    mine = store.figures(db, p, unit, own=True)
    assert mine.values.counts["TT01"] == own
    rollup = store.figures(db, p, unit, own=False)
    assert rollup.values.counts["TT01"] == communes + own
    as_child = store.unit_figures(db, "2024-H1", "403", rollup_code="38")
    assert as_child.values.counts["TT01"] == communes + own
    assert store.rollup_totals(db, "2024-H1", "38").counts["TT01"] == communes + own


def test_next_years_comparison_finds_each_figure(two_years):
    db, years = two_years
    last = years["2024-H1"]
    y = years["2025-H1"]
    total_last = sum(raw_indicator(only(last["district"], f"{c}-*bao-cao-dinh-ky*.xlsx"), "TT01")
                     for c in ("16231", "16234")) + raw_indicator(last["own"], "TT01")
    # the district's own report (its own files) against its own files of last year
    own = build_context([y["own"], only(y["district"], "403-*ke-hoach*.xlsx")], db=db)
    assert own.own and own.i["TT01"].value == 9 and own.i["TT01"].previous.value == 7
    # the district's report from its roll-up against last year's roll-up
    district = build_context(y["r403"].out_path, db=db)
    assert district.i["TT01"].previous.value == total_last
    # the province's against the province's
    province = build_context(y["r38"].out_path, db=db)
    assert province.i["TT01"].previous.value == total_last
    assert y["r38"].previous.counts["TT01"] == total_last
    # a commune's own report against its own figures of last year (its row in the district's roll-up)
    commune = only(y["district"], "16231-*bao-cao-dinh-ky*.xlsx")
    ctx = build_context([commune], db=db)
    assert ctx.i["TT01"].previous.value == raw_indicator(only(last["district"], "16231-*bao-cao-dinh-ky*.xlsx"), "TT01")


# --- 16264 Xã Yên Thọ in both eras of a straddling period --------------------------------------------

def test_a_code_in_both_eras_of_a_straddling_period_is_two_units(tmp_path):
    db = tmp_path / "lich-su.sqlite"
    district, province = tmp_path / "403", tmp_path / "38"
    write_samples("403", "2025-9M", district, seed=5, children=["16264", "16267"])
    province.mkdir()
    consolidate_folder(district, period="2025-9M", parent="403", db=db, workers=1,
                       out=province / "tong-hop-403-2025-9M.xlsx")
    write_samples("38", "2025-9M", province, seed=5, children=["16264", "16234"])
    result = consolidate_folder(province, period="2025-9M", parent="38", db=db, workers=1, out=tmp_path / "th.xlsx")
    row = {r.unit_code: r for r in result.ledger}["16264"]
    assert row.submitted and "Thay thế" not in row.note  # not a replaced submission
    p = parse("2025-9M")
    old, new = load("legacy").get("16264"), load("2025").get("16264")
    assert old.name == new.name == "Xã Yên Thọ"
    before = store.figures(db, p, old, own=True)
    after = store.figures(db, p, new, own=True)
    assert before.values.counts["TT01"] == raw_indicator(only(district, "16264-*bao-cao-dinh-ky*.xlsx"), "TT01")
    assert after.values.counts["TT01"] == raw_indicator(only(province, "16264-*bao-cao-dinh-ky*.xlsx"), "TT01")
    con = sqlite3.connect(db)
    assert con.execute("SELECT DISTINCT part, rollup_code, role FROM unit_values WHERE unit_code='16264' "
                       "ORDER BY part").fetchall() == [("2025", "38", "territorial"), ("legacy", "403", "territorial")]
    assert con.execute("SELECT COUNT(*) FROM submissions WHERE unit_code='16264' AND replaced_sha256 IS NOT NULL"
                       ).fetchone()[0] == 0
    # the district's roll-up is the part before 1/7/2025, the province's the whole period
    assert store.rollup_totals(db, "2025-9M", "403", "legacy") is not None
    assert store.rollup_totals(db, "2025-9M", "38") == load_rollup(result.out_path).totals

    # next year: the province compares with its whole 2025-9M; a commune of 2025 is not compared with its part
    nxt = tmp_path / "2026"
    write_samples("38", "2026-9M", nxt, seed=5, children=["16264"])
    later = consolidate_folder(nxt, period="2026-9M", parent="38", db=db, workers=1, out=tmp_path / "th-2026.xlsx")
    assert later.previous == load_rollup(result.out_path).totals
    ctx = build_context([only(nxt, "16264-*bao-cao-dinh-ky*.xlsx")], db=db)
    assert ctx.own and not ctx.has_previous


def test_a_new_history_keeps_unit_records_without_row_ids(tmp_path):
    """unit_values and unit_targets are stored in their keys' order alone (a national run records 532,000 values);
    a unit's values recorded again replace its record and read back the same."""
    db = tmp_path / "h.sqlite"
    values = Values({"CC01": 3.0, "CC02": 0.1 + 0.2})
    for n in range(2):
        run = store.record(db, store.Run(
            "2025-Y", "", "38", tmp_path, tmp_path / "x.xlsx", [],
            [store.UnitRecord("16264", UnitGroup.TERRITORIAL, "", values.flat(), {})], values, {},
            UnitSet(frozenset({"16264"}), 1, 1, expected_codes=frozenset({"16264"}),
                    roles=(("16264", UnitGroup.TERRITORIAL),))), "0" * 64)
        store.complete(db, run)
    with sqlite3.connect(db) as con:
        for table in ("unit_values", "unit_targets"):
            with pytest.raises(sqlite3.OperationalError, match="rowid"):
                con.execute(f"SELECT rowid FROM {table}")
        assert con.execute("SELECT key, value FROM unit_values").fetchall() == [("CC01", 3.0), ("CC02", 0.1 + 0.2)]


def test_completing_a_run_leaves_another_pending_run_whole(tmp_path):
    """Two roll-ups staged at once (two processes): completing one empties the pending tables of its records only
    (emptied whole when it is the only run pending); the other completes with all of its own."""
    db = tmp_path / "h.sqlite"
    basis = UnitSet(frozenset({"16264"}), 1, 1, expected_codes=frozenset({"16264"}),
                    roles=(("16264", UnitGroup.TERRITORIAL),))
    runs = []
    for parent, value in (("38", 3.0), ("40", 5.0)):
        values = Values({"CC01": value})
        runs.append(store.record(db, store.Run(
            "2025-Y", "", parent, tmp_path, tmp_path / f"{parent}.xlsx",
            [store.Submission("16264", "bao-cao-dinh-ky", "", parent * 32, "ok", "bc.xlsx", None)],
            [store.UnitRecord("16264", UnitGroup.TERRITORIAL, "", values.flat(), {})], values, {}, basis), "0" * 64))
    store.reshape(db, runs[1])  # one staged the history's own shape, the other packed rows only
    for run in runs:
        store.complete(db, run)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT rollup_code, unit_code, key, value, run_id FROM unit_values "
                           "ORDER BY rollup_code").fetchall() == [("38", "16264", "CC01", 3.0, runs[0]),
                                                                  ("40", "16264", "CC01", 5.0, runs[1])]
        assert con.execute("SELECT rollup_code, sha256 FROM submissions ORDER BY rollup_code").fetchall() == \
            [("38", "38" * 32), ("40", "40" * 32)]
        assert [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in store.PENDING] == \
            [0] * len(store.PENDING)



@pytest.mark.parametrize("codes", [("CC01", "CC03"), ("CC01", "CC02", "CC03", "Đ1", 'C"4')])
def test_target_tallies_are_stored_as_json_writes_them(codes):
    """The tallies' texts made directly are json.dumps's, whatever the numbers (fractions, shares, NaN, large
    integers, -0.0) and codes (plain, or ones JSON escapes)."""
    tallies = {"CC01": TargetTally(1, 2, 1, 1, 0.1 + 0.2, 1e-7, ((5.0, 2),)), "CC02": TargetTally(1, value=float("nan")),
               "CC03": TargetTally(3, 1, 1, 0, 12345678901234567890, -0.0), "Đ1": TargetTally(1),
               'C"4': TargetTally(2, 1, 1, 0, 3.5, 1e22)}
    chosen = {c: tallies[c] for c in codes}
    compact = {"separators": (",", ":")}
    assert store._tallies(chosen) == json.dumps({c: json.dumps(t.to_json(), **compact) for c, t in chosen.items()},
                                                **compact)

def test_a_files_replaced_submission_is_kept_when_the_same_file_comes_again(tmp_path):
    """Each run's file of a unit and form replaces the earlier one, which the history keeps (``replaced_sha256``);
    the same file sent again keeps the one it had replaced; another unit's file is not touched."""
    db = tmp_path / "h.sqlite"
    basis = UnitSet(frozenset({"16264"}), 1, 1, expected_codes=frozenset({"16264"}),
                    roles=(("16264", UnitGroup.TERRITORIAL),))
    seen = []
    for sent in [("a", "x"), ("b", "x"), ("b", None), ("c", "x")]:
        files = [store.Submission("16264", "bao-cao-dinh-ky", "", sent[0] * 64, "ok", "bc.xlsx", None)]
        if sent[1]:
            files.append(store.Submission("16265", "bao-cao-dinh-ky", "", sent[1] * 64, "ok", "k.xlsx", None))
        run = store.record(db, store.Run("2025-Y", "", "38", tmp_path, tmp_path / "x.xlsx", files, [], Values(), {},
                                         basis), "0" * 64)
        store.complete(db, run)
        with sqlite3.connect(db) as con:
            seen.append(con.execute("SELECT unit_code, sha256, replaced_sha256, run_id FROM submissions "
                                    "ORDER BY unit_code").fetchall())
    a, b, c, x = ("a" * 64, "b" * 64, "c" * 64, "x" * 64)
    assert seen == [[("16264", a, None, 1), ("16265", x, None, 1)],
                    [("16264", b, a, 2), ("16265", x, None, 2)],
                    [("16264", b, a, 3), ("16265", x, None, 2)],
                    [("16264", c, b, 4), ("16265", x, None, 4)]]


def test_a_database_of_a_later_release_is_refused_and_kept_as_it_is(tmp_path):
    """An older release must not complete a later one's pending run in a shape it misreads: it says which version
    to install, and the file stays byte for byte."""
    db = tmp_path / "Lịch sử" / "lich-su.sqlite"
    with store.connect(db):
        pass
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version={store.SCHEMA_VERSION + 1}")
    con.close()
    before = db.read_bytes()
    with pytest.raises(UserError) as err:
        with store.connect(db):
            pass
    message = str(err.value)
    assert str(db) in message and "phiên bản mới hơn" in message and f"cấu trúc {store.SCHEMA_VERSION + 1}" in message
    assert db.read_bytes() == before
