"""The standard tables of Thông tư 01/2024/TT-TTCP in the roll-up (Biểu 01/TCD, 01/XLD, 01/KQGQ).

Every identity the MS row prints holds on every unit row and on the total row; the figures equal a
count made here from the raw log rows and report cells (openpyxl, by the printed column titles, not
through dvcq's measures); blank columns are empty, never 0, and say why under the table; a province
consolidated from two district roll-ups shows each district as its roll-up's total row, and the same
totals as consolidating the communes directly.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.rollup.layout import load_layout
from dvcq.rollup.writer import blank_notes
from dvcq.samples.sample import write_samples
from dvcq.units.registry import load
from openpyxl import load_workbook

from tests.support.office import convert
from tests.support.paths import SAMPLE
from tests.support.sheetcells import SheetCells

PERIOD = "2024-H1"
REG = load("legacy")
NHU_THANH = REG.children("403")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TCD, XLD, KQGQ = "Biểu 01-TCD", "Biểu 01-XLD", "Biểu 01-KQGQ"
# the identities issue 14 names, as the MS row must print them
PRINTED = {TCD: {"1=4+13+22", "2=5+14+23", "3=6+7+15+16+24+25"},
           XLD: {"1=2+3=4+5", "6=8+9+10=11+12+13=14+18", "14=15+16+17", "18=19+20+21"},
           KQGQ: {"1=2+3"}}
FORMS_OF_RECEPTION = {"tx": ("Tiếp thường xuyên",), "tt": ("Thủ trưởng tiếp định kỳ", "Thủ trưởng tiếp đột xuất"),
                      "uq": ("Ủy quyền tiếp",)}


@dataclass
class Table:
    """A standard sheet as printed: the MS row, the unit rows and total row by their first cell, Ghi chú."""
    ms: dict[int, str]  # column number -> the MS cell's text (line breaks removed)
    rows: dict[str, dict[int, float | None]]  # unit name (and the total row's label) -> number -> value
    notes: dict[str, str | None]  # row label -> its Ghi chú cell
    lines: list[str] = field(default_factory=list)  # the notes under the table, without "- "
    total: str = ""  # the total row's label

    @property
    def totals(self) -> dict[int, float | None]:
        return self.rows[self.total]


@lru_cache(maxsize=4)
def _loaded(path: Path, stamp: tuple[int, int]):
    """A roll-up opened once for its three tables (read-only); ``stamp`` tells a rewritten file."""
    return load_workbook(path, read_only=True)  # values only: each table's sheet parsed when read


def read_table(path: Path, name: str) -> Table:
    stat = Path(path).stat()
    ws = _loaded(Path(path), (stat.st_mtime_ns, stat.st_size))[name]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    ms_at = next(i for i, r in enumerate(grid) if r[0] == "MS")
    head = grid[ms_at]
    numbers = {j: int(str(v).split("=")[0]) for j, v in enumerate(head[1:-1], start=1)}
    note_col = len(head) - 1
    assert head[note_col] == str(note_col), "Ghi chú is the last column, numbered after the others"
    table = Table({n: str(head[j]).replace("\n", "") for j, n in numbers.items()}, {}, {})
    i = ms_at + 1
    while True:
        r = grid[i]
        table.rows[r[0]] = {n: r[j] for j, n in numbers.items()}
        table.notes[r[0]] = r[note_col]
        i += 1
        if str(r[0]).startswith("Tổng cộng"):
            table.total = r[0]
            break
    table.lines = [r[0][2:] for r in grid[i:] if isinstance(r[0], str) and r[0].startswith("- ")]
    return table


def sides(ms: str) -> list[list[int]]:
    """'6=8+9+10=14+18' -> [[6], [8, 9, 10], [14, 18]]."""
    return [[int(t) for t in side.split("+")] for side in ms.split("=")]


def standard_sheets():
    return [s for s in load_layout().sheets if s.kind == "standard"]


# --- an independent count of the raw files ------------------------------------------------------

LOG_TITLES = {"ngay": "Ngày tiếp", "loai": "Phân loại đơn", "nguoi": "Số người", "vv": "Mã vụ việc",
              "hinh_thuc": "Hình thức tiếp", "doan": "Đoàn đông người", "tq": "Thẩm quyền",
              "chuyen": "Hướng xử lý: chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền",
              "thu_ly": "Hướng xử lý: thụ lý để giải quyết", "ngay_thu_ly": "Ngày thụ lý",
              "ket_qua": "Theo dõi kết quả giải quyết", "ngay_gq": "Ngày giải quyết", "phuc_tap": "Mức độ phức tạp",
              "lan": "Lần giải quyết"}


def log_rows(path: Path) -> list[dict]:
    """The visits of one log, by the printed column titles."""
    ws = load_workbook(path, read_only=True)[spec.load_form("so-tiep-cong-dan").main.name]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "STT")
    col = {k: rows[at].index(t) for k, t in LOG_TITLES.items()}
    return [{k: r[j] for k, j in col.items()} for r in rows[at + 2:] if r[col["ngay"]] is not None]


def complaints_by_limit(rows: list[dict]) -> tuple[int, int]:
    """Complaints within competence resolved, split by Luật Khiếu nại 2011's limit counted by hand: 30 calendar
    days from the first acceptance, 45 for a complex case (Điều 28); a second complaint («Lần hai») 45 and 60
    (Điều 37). No remote unit in the samples."""
    cases: dict[str, dict] = {}
    for r in rows:
        if r["loai"] != "Khiếu nại" or r["tq"] != "Thuộc thẩm quyền":
            continue
        c = cases.setdefault(r["vv"], {"start": None, "end": None, "done": False, "complex": False, "second": False})
        if r["thu_ly"] == "x" and r["ngay_thu_ly"] and (c["start"] is None or r["ngay_thu_ly"] < c["start"]):
            c["start"], c["complex"], c["second"] = r["ngay_thu_ly"], r["phuc_tap"] is not None, r["lan"] == "Lần hai"
        if r["ngay_gq"]:
            c["end"] = max(c["end"] or r["ngay_gq"], r["ngay_gq"])
        c["done"] |= r["ket_qua"] == "Đã giải quyết"
    done = [c for c in cases.values() if c["done"]]
    limit = {(False, False): 30, (True, False): 45, (False, True): 45, (True, True): 60}  # (complex, second)
    late = sum(1 for c in done if c["start"] and c["end"] and (c["end"] - c["start"]).days > limit[c["complex"], c["second"]])
    return len(done) - late, late


def count_tcd(rows: list[dict]) -> dict[int, int]:
    """Biểu 01/TCD counted by hand: a visit is in the group of its form of reception; a case is "nhiều
    lần" when it has two or more visits in the log; số kỳ tiếp = distinct days of the group's visits."""
    visits = Counter(r["vv"] for r in rows)
    out = {}
    base = {"tx": 4, "tt": 12, "uq": 21}
    for g, forms in FORMS_OF_RECEPTION.items():
        mine = [r for r in rows if r["hinh_thuc"] in forms]
        group = [r for r in mine if r["doan"] == "Có"]
        first = lambda rs: len({r["vv"] for r in rs if visits[r["vv"]] == 1})  # noqa: E731
        again = lambda rs: len({r["vv"] for r in rs if visits[r["vv"]] > 1})  # noqa: E731
        figures = [len(mine), sum(r["nguoi"] for r in mine), first(mine), again(mine),
                   len(group), sum(r["nguoi"] for r in group), first(group), again(group)]
        if g != "tx":
            figures.insert(0, len({r["ngay"] for r in mine}))
        for k, v in enumerate(figures):
            out[base[g] + k] = v
    out[1] = out[4] + out[13] + out[22]
    out[2] = out[5] + out[14] + out[23]
    out[3] = out[6] + out[7] + out[15] + out[16] + out[24] + out[25]
    assert out[1] == len(rows) and out[2] == sum(r["nguoi"] for r in rows)  # every visit has one form
    return out


def count_xld(rows: list[dict], report: dict) -> dict[int, int]:
    """Biểu 01/XLD: 1-5 from the report's cells, 6-20 from the log's cases by hand (one letter per case and
    kind; within competence if a visit says so; not within competence: forwarded if a visit says so)."""
    kinds = defaultdict(set)  # (case, kind) -> what its visits say
    for r in rows:
        kinds[(r["vv"], r["loai"])] |= {r["tq"], "chuyển" if r["chuyen"] == "x" else ""}
    within = {k for k, said in kinds.items() if "Thuộc thẩm quyền" in said}
    outside = set(kinds) - within
    by_kind = lambda ks, kind: sum(1 for k in ks if k[1] == kind)  # noqa: E731
    td = report
    out = {1: td["TD07"], 3: td["TD07"], 4: td["TD11"] + td["TD14"], 5: td["TD07"] - td["TD11"] - td["TD14"],
           6: len(kinds), 7: len({r["vv"] for r in rows}),
           8: by_kind(kinds, "Khiếu nại"), 9: by_kind(kinds, "Tố cáo"), 10: by_kind(kinds, "Kiến nghị, phản ánh"),
           14: len(within), 15: by_kind(within, "Khiếu nại"), 16: by_kind(within, "Tố cáo"),
           17: by_kind(within, "Kiến nghị, phản ánh"), 18: len(outside),
           19: sum(1 for k in outside if "chuyển" not in kinds[k]), 20: sum(1 for k in outside if "chuyển" in kinds[k])}
    return out


def report_cells(path: Path) -> dict:
    form = spec.load_form("bao-cao-dinh-ky")
    ws = SheetCells(path, form.main.name)
    return {c: ws[form.main.indicator_cell(c)] for c in ("TD07", "TD11", "TD14")}


# --- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nhu_thanh() -> Path:
    """The committed Như Thanh sample (`dvcq sample --parent 403 --period 2024-H1 --seed 1`, as `make workbooks`
    writes it: the module regenerated the same files before), for the district and the province; only read."""
    return SAMPLE


@pytest.fixture(scope="module")
def district(nhu_thanh, nhu_thanh_rollup):
    """The Như Thanh sample consolidated (the run's shared consolidation, tests/conftest.py), its standard
    tables read back."""
    tables = {s.name: read_table(nhu_thanh_rollup.out_path, s.name) for s in standard_sheets()}
    return nhu_thanh, nhu_thanh_rollup, tables


def files_of(folder: Path, unit, form_id: str) -> Path:
    return next(folder.glob(f"{unit.code}-*{form_id}*.xlsx"))


# --- the tests --------------------------------------------------------------------------------------

def test_the_roll_up_holds_the_three_tables_with_their_printed_identities(district):
    _, result, tables = district
    assert set(tables) == {TCD, XLD, KQGQ}
    for name, table in tables.items():
        assert PRINTED[name] <= set(table.ms.values()), name
        assert set(table.ms) == set(range(1, len(table.ms) + 1))
        # the district's own row sent its plan only: the tables of the log and the report list the communes
        assert [u.name for u, _ in result.units if u.code != "403"] == [k for k in table.rows if k != table.total]
    assert len(tables[TCD].ms) == 29 and len(tables[XLD].ms) == 22 and len(tables[KQGQ].ms) == 26
    ws = load_workbook(result.out_path)[TCD]
    assert ws["A3"].value == "TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN THƯỜNG XUYÊN, ĐỊNH KỲ VÀ ĐỘT XUẤT"
    assert any(c.value == "Biểu số 01/TCD" for c in ws[1])
    header = {c.value for row in ws.iter_rows(min_row=5, max_row=9) for c in row}
    assert {"Đơn vị", "Tiếp thường xuyên", "Tiếp định kỳ và đột xuất của Thủ trưởng", "Thủ trưởng tiếp",
            "Ủy quyền tiếp", "Trong đó đoàn đông người", "Số kỳ tiếp", "Tiếp lần đầu", "Ghi chú"} <= header
    # merged group cells: "Tiếp thường xuyên" spans its eight columns (4-11)
    spans = {str(r) for r in ws.merged_cells.ranges}
    assert "E5:L5" in spans


def test_every_ms_identity_holds_on_every_row(district):
    """1 = 4+13+22, 2 = 5+14+23, 3 = 6+7+15+16+24+25; 1 = 2+3 = 4+5, 6 = 8+9+10 = 11+12+13 = 14+18,
    14 = 15+16+17, 18 = 19+20+21; and every other identity printed. A side made only of blank columns
    (11+12+13) is not counted and must be empty; a blank column in a sum adds nothing."""
    _, _, tables = district
    checked = Counter()
    for sheet in standard_sheets():
        table = tables[sheet.name]
        blank = {c.number for c in sheet.table if c.blank}
        for label, row in table.rows.items():
            for n, ms in table.ms.items():
                for side in sides(ms)[1:]:
                    if set(side) <= blank:
                        assert all(row[t] is None for t in side), (sheet.name, label, side)
                        continue
                    assert all(row[t] is not None for t in side if t not in blank), (sheet.name, label, side)
                    assert row[n] == sum(row[t] for t in side if t not in blank), (sheet.name, label, ms)
                    checked[sheet.name, ms] += 1
    for name, identities in PRINTED.items():
        for ms in identities:
            assert checked[name, ms] >= len(NHU_THANH) + 1, (name, ms)  # every unit row and the total row


def test_the_total_row_is_the_sum_of_the_unit_rows(district):
    _, _, tables = district
    for name, table in tables.items():
        units = [r for k, r in table.rows.items() if k != table.total]
        for n in table.ms:
            values = [r[n] for r in units]
            if all(v is None for v in values):
                assert table.totals[n] is None, (name, n)
            else:
                assert table.totals[n] == sum(values), (name, n)


def test_the_figures_equal_a_count_of_the_raw_log_rows_and_report_cells(district):
    folder, result, tables = district
    for unit in NHU_THANH:
        rows = log_rows(files_of(folder, unit, "so-tiep-cong-dan"))
        tcd = count_tcd(rows)
        assert {n: tables[TCD].rows[unit.name][n] for n in tcd} == tcd, unit.name
        assert tables[TCD].notes[unit.name] is None
        xld = count_xld(rows, report_cells(files_of(folder, unit, "bao-cao-dinh-ky")))
        assert {n: tables[XLD].rows[unit.name][n] for n in xld} == xld, unit.name
        complaints = len({r["vv"] for r in rows if r["loai"] == "Khiếu nại" and r["tq"] == "Thuộc thẩm quyền"})
        assert [tables[KQGQ].rows[unit.name][n] for n in (1, 3, 4)] == [complaints] * 3, unit.name
        on_time, late = complaints_by_limit(rows)
        assert [tables[KQGQ].rows[unit.name][n] for n in (25, 26)] == [on_time, late], unit.name
    assert tables[KQGQ].totals[26] > 0 and tables[KQGQ].totals[25] > tables[KQGQ].totals[26]
    # the samples send the chairman's days and some groups and returning cases: nothing is trivially 0
    totals = tables[TCD].totals
    assert all(totals[n] > 0 for n in (6, 7, 8, 10, 12, 13, 15, 16, 17, 21, 22, 24))
    # a case received under two forms of reception is one case in each group (column 3 says so)
    distinct = sum(len({r["vv"] for r in log_rows(files_of(folder, u, "so-tiep-cong-dan"))}) for u in NHU_THANH)
    assert totals[3] >= distinct == result.totals["vu_viec"]


def test_blank_columns_are_empty_and_say_why(district):
    _, _, tables = district
    for sheet in standard_sheets():
        table = tables[sheet.name]
        blank = [c for c in sheet.table if c.blank]
        for c in blank:
            assert all(row[c.number] is None for row in table.rows.values()), (sheet.name, c.number)
        for line in blank_notes(sheet.table):
            assert line in table.lines, line
        assert "Ô màu xám: chưa có số liệu, không phải số 0." in table.lines
    lines = tables[XLD].lines
    assert any(x.startswith("Cột 2 (kỳ trước chuyển sang) chưa có số liệu: ") for x in lines)
    assert any(x.startswith("Cột 11 đến 13 chưa có số liệu: ") for x in lines)
    assert any(x.startswith("Cột 7 đến 19 chưa có số liệu: ") for x in tables[KQGQ].lines)
    assert not any("25" in x.split(" chưa có số liệu")[0] for x in tables[KQGQ].lines if "chưa có số liệu" in x)
    assert {c.number for s in standard_sheets() if s.name == XLD for c in s.table if c.blank} == {2, 11, 12, 13, 21, 22}


def test_a_unit_without_its_log_is_blank_and_says_so(district, tmp_path):
    folder, _, _ = district
    copy = tmp_path / "nop"
    shutil.copytree(folder, copy)
    gone = NHU_THANH[3]
    files_of(copy, gone, "so-tiep-cong-dan").unlink()
    result = consolidate_folder(copy, out=tmp_path / "th.xlsx", db=tmp_path / "h.sqlite", workers=1)
    tcd, xld = read_table(result.out_path, TCD), read_table(result.out_path, XLD)
    assert all(v is None for v in tcd.rows[gone.name].values())
    assert tcd.notes[gone.name] == "Chưa có số liệu sổ tiếp công dân"
    assert tcd.total == f"Tổng cộng (13/{len(NHU_THANH)} đơn vị)"
    assert any(x.startswith("Sổ tiếp công dân: Số liệu tổng hợp từ 13/14") and gone.name in x for x in tcd.lines)
    row = xld.rows[gone.name]
    assert all(row[n] is not None for n in (1, 3, 4, 5)) and all(row[n] is None for n in range(6, 21))
    assert xld.notes[gone.name] == "Chưa có số liệu sổ tiếp công dân"


@pytest.fixture(scope="module")
def province(nhu_thanh, district, tmp_path_factory):
    """Two districts' samples consolidated each (Như Thanh's is the district fixture's roll-up, copied), then
    the province from the two roll-ups, and the province from the communes directly."""
    base = tmp_path_factory.mktemp("tinh")
    other = [d for d in REG.children("38") if d.code != "403" and 3 <= len(REG.children(d.code)) <= 8][0]
    rollups, communes = base / "huyen", base / "xa"
    rollups.mkdir()
    communes.mkdir()
    districts = {}
    for d in (REG.get("403"), other):
        folder = nhu_thanh if d.code == "403" else base / f"nop-{d.code}"
        if folder != nhu_thanh:
            write_samples(d.code, PERIOD, folder, seed=1)
        for f in folder.glob("*.xlsx"):
            shutil.copy(f, communes / f.name)
        if folder == nhu_thanh:  # the same files, the same parent: the district fixture's roll-up and tables
            shutil.copy(district[1].out_path, rollups / f"tong-hop-{d.code}.xlsx")
            districts[d.name] = district[2]
            continue
        res = consolidate_folder(folder, parent=d.code, out=rollups / f"tong-hop-{d.code}.xlsx", db=base / "a.sqlite",
                                 workers=1)
        districts[d.name] = {s.name: read_table(res.out_path, s.name) for s in standard_sheets()}
    via = consolidate_folder(rollups, parent="38", out=base / "via.xlsx", db=base / "b.sqlite", workers=1)
    direct = consolidate_folder(communes, parent="38", out=base / "direct.xlsx", db=base / "c.sqlite", workers=1)
    read = lambda r: {s.name: read_table(r.out_path, s.name) for s in standard_sheets()}  # noqa: E731
    return districts, read(via), read(direct)


def test_a_province_table_is_the_sum_of_its_districts(province):
    districts, via, direct = province
    for sheet in standard_sheets():
        name = sheet.name
        table = via[name]
        assert table.total.startswith("Tổng cộng (2/")  # two of the province's districts sent a roll-up
        for district_name, tables in districts.items():
            assert table.rows[district_name] == tables[name].totals, (name, district_name)
        for n in table.ms:
            values = [t[name].totals[n] for t in districts.values()]
            expected = None if all(v is None for v in values) else sum(values)
            assert table.totals[n] == expected, (name, n)
            # the same totals as consolidating every commune directly
            assert direct[name].totals[n] == expected, (name, n)


def test_layout_errors_name_the_file_and_the_key(tmp_path):
    cases = [("value: 4+13+22}", "value: 4+13+99}", "biểu «Biểu 01-TCD», cột 1: cột 99 không có trong biểu"),
             ("value: tx_luot}", "value: tx_luot_moi}", "biểu «Biểu 01-TCD», cột 4: «tx_luot_moi» không phải số "
                                                         "liệu cộng được của đơn vị"),
             ("value: TD07}", "value: TD13}", "biểu «Biểu 01-XLD», cột 3: «TD13» không phải số liệu cộng được"),
             ("value: TD07}", "value: 1-2}", "biểu «Biểu 01-XLD»: các cột tính vòng quanh (1 → 3 → 1)"),
             ("equals: [4+5]}", "equals: [4+6+99]}", "biểu «Biểu 01-XLD», cột 1: cột 99 không có trong biểu"),
             ("{number: 22, title: Số văn bản", "{number: 23, title: Số văn bản", "biểu «Biểu 01-XLD»: các cột phải "
                                                                                  "đánh số liên tiếp")]
    for k, (old, new, expected) in enumerate(cases):
        root = tmp_path / str(k) / "templates"
        shutil.copytree(TEMPLATES, root)
        path = root / "rollup" / "tong-hop.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
        load_layout.cache_clear()
        try:
            with pytest.raises(UserError) as exc:
                load_layout(str(root))
        finally:
            load_layout.cache_clear()
        message = exc.value.message
        key = "equals" if "equals" in new else "number" if "number: 23" in new else "value"
        assert message.startswith(f"Tệp {path}, khóa «{key}»: "), message
        assert expected in message, message


def test_a_standard_table_prints_on_one_landscape_page_with_its_header(district, soffice, tmp_path):
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")
    _, result, _ = district
    # a copy: LibreOffice writes its lock file (.~lock.tong-hop.xlsx#) beside what it opens, and the shared
    # roll-up's folder must stay as built (tests/conftest.py nhu_thanh_rollup)
    src = Path(shutil.copy(result.out_path, tmp_path / result.out_path.name))
    pdf = convert(soffice, src, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    sizes = dict(re.findall(r"Page\s+(\d+) size:\s+([\d.]+ x [\d.]+)", info))
    found = []
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = re.sub(r"\s+", "", text)
        if "Biểusố01/TCD" in flat:
            found.append((n, flat))
    assert len(found) == 1, "14 communes: the table fits one page, tall and wide"
    n, flat = found[0]
    width, height = (float(x) for x in sizes[str(n)].split(" x "))
    assert width > height  # A4 landscape
    for text in ("TỔNGHỢPKẾTQUẢTIẾPCÔNGDÂN", "3=6+7+15+16+24+25", "Ủyquyềntiếp", "Ghichú", "Tổngcộng",
                 NHU_THANH[-1].name.replace(" ", "")):
        assert text in flat, text
