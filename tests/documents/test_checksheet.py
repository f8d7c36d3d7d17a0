"""The check sheet beside a report, "Bảng đối chiếu số liệu" (issue 22 §2): every figure the report prints is a row,
and every row is recomputed here from the raw cells of the files it counts (tests/support/rawfigures.py reads
them with python-calamine), never through dvcq; each unit's source cell is read back from its own file; the
sentence a row quotes is the report's. Reports: Như Thanh 2024-H1 (the committed samples), Thanh Hóa 2024-Y and
a part of its 2025-Y (a period straddling the reform, partial coverage, last year's figures beside)."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from dvcq.documents.context import build_context
from dvcq.documents.decree import signing_date
from dvcq.documents.narrative import check_path, write_report
from dvcq.forms import spec
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.resources import templates_dir
from dvcq.units.registry import for_period, load
from dvcq.calendar.periods import parse

from tests.support.paths import SAMPLE
from tests.support.rawfigures import Folder, RawCalendar, cell, grid, read_check
from tests.support.thanhhoa import BODIES, DISTRICTS, districts

def close(got, want) -> bool:
    if want is None:
        return got in ("", None)
    return isinstance(got, (int, float)) and abs(got - want) <= 1e-9 * max(1, abs(want))


def verify(check: Path, text: str, raw: Folder, folder: Path) -> dict[str, int]:
    """Every row's figure equals the raw recomputation of its key; its sentence is the report's; each unit's
    source cell holds the value listed; a count's sources add up to it. Returns the rows by kind of key."""
    rows, sources, _ = read_check(check)
    assert rows, "the check sheet lists no figure"
    kinds: dict[str, int] = {}
    for n, r in enumerate(rows, start=1):
        key = r["Mã số liệu"]
        want = raw.expected(key)  # a key the raw side does not know fails here: every figure is recomputed
        assert close(r["Giá trị"], want), (key, r["Giá trị"], want)
        assert r["Câu trong báo cáo"] and r["Câu trong báo cáo"] in text, key
        assert str(r["Số liệu in"]) in r["Câu trong báo cáo"], key
        assert r["Đơn vị có số liệu / phải có"], key  # a figure never without whom it covers
        kinds[key.split(".")[0]] = kinds.get(key.split(".")[0], 0) + 1
        mine = [s for s in sources if s["STT số liệu"] == n]
        assert len(mine) == r["Số nguồn"], key
        for s in mine:
            if not s["Tệp"]:
                continue
            where = str(s["Ô"])
            if re.fullmatch(r"[A-Z]{1,2}\d+", where):  # a cell of the unit's own file
                assert close(cell(grid(folder / s["Tệp"], s["Trang"]), where), s["Giá trị"]), (key, s)
            elif re.fullmatch(r"[A-Z0-9+]+/[A-Z0-9+]+", where):  # a rate: the cells it is computed from
                g = grid(folder / s["Tệp"], s["Trang"])
                num, den = (sum(cell(g, c) or 0 for c in side.split("+")) for side in where.split("/"))
                assert close(num / den if den else None, s["Giá trị"]), (key, s)
        if key.startswith(("i.", "m.")) and mine and key.count(".") == 1 and not key.startswith("i.CC11"):
            ind_kind = r["Cách tính"]
            if ind_kind.startswith("tổng"):  # a count: its units' parts add up to it
                assert close(sum(s["Giá trị"] for s in mine if isinstance(s["Giá trị"], float)), r["Giá trị"]), key
    return kinds


def _groups(parent: str, period: str, era: str | None = None) -> tuple[dict, dict, dict]:
    """Unit code -> group, group -> expected units, group -> route, from the registry (what is expected)."""
    p = parse(period)
    reg = for_period(p, era)
    groups = {u.code: "territorial" for u in reg.children(parent)}
    groups.update({b.code: "department" for b in reg.bodies(parent, p)})
    groups[parent] = "own"
    level = reg.get(parent).level
    child = reg.children(parent)[0].level
    expected = {"territorial": len(reg.children(parent)), "department": len(reg.bodies(parent, p)), "own": 1}
    routes = {"territorial": f"{child}->{level}", "department": f"department->{level}", "own": None}
    return groups, expected, routes


def _report(folder: Path, base: Path, parent: str, period: str, db: Path, date_: str | None = "05/12/2025"):
    result = consolidate_folder(folder, period=period, parent=parent, out=base / "th.xlsx", db=db, workers=1)
    return (result, *_write(result.out_path, base, db, date_))


def _write(rollup: Path, base: Path, db: Path, date_: str | None):
    md = base / "bc.md"
    written = write_report(rollup, out=base / "bc.docx", md=md, db=db, date=date_)
    assert written.check == check_path(base / "bc.docx") and written.check.exists()
    return written, md.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nhu_thanh_report(nhu_thanh_rollup, tmp_path_factory):
    """The report of the committed Như Thanh sample (the session's roll-up, tests/conftest.py), dated 05/07/2024,
    with a copy of its history: (written, Markdown text)."""
    base = tmp_path_factory.mktemp("nhu-thanh-report")
    db = Path(shutil.copy(nhu_thanh_rollup.db_path, base / "db.sqlite"))
    return _write(nhu_thanh_rollup.out_path, base, db, "05/07/2024")


def test_every_figure_of_the_nhu_thanh_report_is_recomputed_from_the_raw_cells(nhu_thanh_report):
    written, text = nhu_thanh_report
    raw = Folder(SAMPLE, "2024-H1", "403", *_groups("403", "2024-H1"))
    kinds = verify(written.check, text, raw, SAMPLE)
    # every kind of figure the district report prints is among them
    for k in ("i", "m", "own", "qh", "rank", "ledger", "pg", "rollout", "target", "cover", "expected", "text",
              "shared"):
        assert kinds.get(k), k
    assert written.rows == sum(kinds.values()) > 150



def test_a_mean_of_scores_says_how_many_units_it_averages(nhu_thanh_report):
    """SIPAS in a district's report is a mean over the units that gave it: the sentence said "bình quân của các đơn vị
    có số liệu" without how many (a figure without its basis). The count and the mean come from the raw cells."""
    written, text = nhu_thanh_report
    raw = Folder(SAMPLE, "2024-H1", "403", *_groups("403", "2024-H1"))
    n, mean = raw.expected("i.CC11.n"), raw.expected("i.CC11")
    assert n and mean
    shown = f"{mean:.1f}".replace(".", ",")
    assert f"(SIPAS) bình quân của {int(n)} đơn vị có số liệu đạt {shown}%." in text
    rows = {r["Mã số liệu"]: r for r in read_check(written.check)[0]}
    assert rows["i.CC11.n"]["Giá trị"] == n  # the count is a row of the check sheet, with its basis

COMMUNES = 6  # Thanh Hóa's first communes of 2025 in its 2025-Y samples


@pytest.fixture(scope="module")
def thanh_hoa(thanh_hoa_2024_samples, tmp_path_factory):
    """Thanh Hóa's samples as `dvcq sample --parent 38` writes them, for a part of its units (the whole province
    takes minutes): 2024-Y the run's shared samples (tests/support/thanhhoa.py: its two smallest districts'
    roll-ups, two bodies and its own plan); 2025-Y from the same two districts' roll-ups of the part before
    1/7/2025, six communes of 2025, two bodies and its own plan. Two of each level are what the ranks and the
    groups need (three districts and twelve communes wrote 16 s of samples and consolidations for the same
    cases). (2024 folder, its raw files, 2025 folder, its raw files)."""
    base = tmp_path_factory.mktemp("th")
    new = load("2025").children("38")
    kids = districts() + [u.code for u in new[:COMMUNES]] + list(BODIES) + ["38"]
    y25 = base / "2025"
    write_samples("38", "2025-Y", y25, seed=7, children=kids, raw_dir=base / "raw-2025")
    return thanh_hoa_2024_samples / "2024", thanh_hoa_2024_samples / "raw-2024", y25, base / "raw-2025"


@pytest.fixture(scope="module")
def thanh_hoa_2024(thanh_hoa, tmp_path_factory):
    """The province's 2024-Y consolidated into a new history and its report, undated: (result, written,
    Markdown text); the history is what thanh_hoa_2025 starts from (a report only reads it)."""
    y24, _, _, _ = thanh_hoa
    base = tmp_path_factory.mktemp("th-2024")
    return (base / "db.sqlite", *_report(y24, base, "38", "2024-Y", base / "db.sqlite", None))


@pytest.fixture(scope="module")
def thanh_hoa_2025(thanh_hoa, thanh_hoa_2024, tmp_path_factory):
    """The province's 2025-Y report, with its 2024-Y consolidated first into the same history (a copy of
    thanh_hoa_2024's: last year's figures beside): (result, written, Markdown text)."""
    _, _, y25, _ = thanh_hoa
    base = tmp_path_factory.mktemp("th-2025")
    db = Path(shutil.copy(thanh_hoa_2024[0], base / "db.sqlite"))
    return _report(y25, base, "38", "2025-Y", db)


def test_every_figure_of_the_province_report_is_recomputed_from_the_raw_cells(thanh_hoa, thanh_hoa_2024):
    y24, raw24, _, _ = thanh_hoa
    _, result, written, text = thanh_hoa_2024
    raw = Folder(y24, "2024-Y", "38", *_groups("38", "2024-Y"), raw=raw24)
    kinds = verify(written.check, text, raw, y24)
    for k in ("i", "m", "own", "qh", "rank", "ledger", "pg", "rollout", "target", "cover", "expected", "text",
              "shared"):
        assert kinds.get(k), k
    # a 2024 annual report written in a later year is dated in 2024, its day and month left for signing
    assert re.search(r"\*Thanh Hóa, ngày\s+tháng\s+năm 2024\*", text) and date.today().year != 2024
    # reception days by level, never pooled: the communes' chairmen (in the districts' roll-ups) apart from the
    # heads of the bodies, each against the law's minimum of its level
    assert re.search(r"Chủ tịch UBND cấp xã \(\d+ đơn vị có số liệu\) đã thực hiện [\d.]+ buổi", text)
    assert re.search(r"Thủ trưởng các sở, ban, ngành \(2 đơn vị có số liệu\) đã thực hiện", text)
    assert "Luật Tiếp công dân 2013, Điều 15 khoản 2" in text


def test_the_raw_count_of_units_expected_for_a_form_counts_only_those_that_must_send_it(thanh_hoa, thanh_hoa_2024):
    """rawfigures' 'expected.<form>.<group>' counts the units of a group that must send the form, and of a form the
    group need not send (the bodies' plan, the province's own report and log) only those that sent it, as the
    roll-up's coverage does: the old helper counted the group's whole size (10 bodies expected to send a plan none of
    them sent). Checked against the roll-up for every form and group, and by hand for two of them."""
    y24, raw24, _, _ = thanh_hoa
    _, result, _, _ = thanh_hoa_2024
    groups, expected, routes = _groups("38", "2024-Y")
    raw = Folder(y24, "2024-Y", "38", groups, expected, routes, raw=raw24)
    for form in spec.FORM_IDS:
        pipeline = {g.value: c.expected for g, c in result.coverages(form)}
        for group in expected:
            assert raw.expected(f"expected.{form}.{group}") == pipeline.get(group, 0), (form, group)
    bodies_plans = [p for p in y24.glob("*ke-hoach*.xlsx") if re.match(r"38-[A-Z]+-", p.name)]  # none here
    assert raw.expected("expected.ke-hoach.department") == len(bodies_plans) < expected["department"]
    assert raw.expected("expected.bao-cao-dinh-ky.department") == expected["department"]


def test_a_count_of_units_from_the_districts_roll_ups_is_over_the_units_in_them(thanh_hoa, thanh_hoa_2025):
    """2025-Y: the abolished districts sent roll-ups, whose "Số đơn vị đã ra mắt mô hình" (DV03) counts their
    communes. The sentence said "Có 519/26 huyện, thị xã, thành phố (trước sắp xếp) … đã ra mắt" (the communes over
    the districts); now "N/M đơn vị trong báo cáo tổng hợp của các huyện, thị xã, thành phố (trước sắp xếp)": N the
    communes' DV03 and M the communes with a periodic report, from the districts' raw files (raw-2025), and the
    2025 communes and the bodies over themselves, from their own files."""
    _, _, y25, raw25 = thanh_hoa
    _, _, text = thanh_hoa_2025
    cell_ = spec.load_form("bao-cao-dinh-ky").main.indicator_cell("DV03")
    sheet = spec.load_form("bao-cao-dinh-ky").main.name

    def dv03(paths) -> tuple[int, int]:
        values = [cell(grid(p, sheet), cell_) for p in paths]
        return int(sum(v for v in values if isinstance(v, (int, float)))), len(values)

    inner = dv03(p for d in raw25.iterdir() for p in d.glob("*bao-cao-dinh-ky*.xlsx"))
    communes = dv03(p for p in y25.glob("*bao-cao-dinh-ky*.xlsx") if p.name.split("-")[0] in
                    {u.code for u in load("2025").children("38")})
    bodies = dv03(p for p in y25.glob("38-*bao-cao-dinh-ky*.xlsx") if re.match(r"38-[A-Z]+-", p.name))
    [line] = [x for x in text.splitlines() if "(có báo cáo) đã ra mắt mô hình" in x]
    assert (f"Có {inner[0]}/{inner[1]} đơn vị trong báo cáo tổng hợp của các huyện, thị xã, thành phố (trước sắp "
            f"xếp), {communes[0]}/{communes[1]} xã, phường và {bodies[0]}/{bodies[1]} sở, ban, ngành (có báo cáo) đã "
            "ra mắt mô hình") in line, line
    assert inner[1] > DISTRICTS


def test_a_comparison_inside_brackets_gives_last_years_figure(tmp_path_factory):
    """The Như Thanh 2024-H1 report over a history of 2023-H1 (as `make demo` builds it): the log's visits were
    compared inside their brackets as "(…; tăng 685 lượt, tương ứng 51,2%, so với cùng kỳ năm 2023)", the one
    comparison of the report without last year's figure. It now follows it: "… so với cùng kỳ năm 2023: 1.338 lượt)",
    both years' visits counted from the logs' raw rows (rawfigures), and its check-sheet row is last year's."""
    base = tmp_path_factory.mktemp("nt-2023")
    db = base / "db.sqlite"
    write_samples("403", "2023-H1", base / "2023", seed=2023)
    consolidate_folder(base / "2023", period="2023-H1", parent="403", out=base / "th-2023.xlsx", db=db, workers=1)
    written, text = _report(SAMPLE, base, "403", "2024-H1", db, "05/07/2024")[1:]
    now = Folder(SAMPLE, "2024-H1", "403", *_groups("403", "2024-H1")).expected("m.luot_tiep")
    last = Folder(base / "2023", "2023-H1", "403", *_groups("403", "2023-H1")).expected("m.luot_tiep")
    assert now > last > 0

    def dots(n) -> str:
        return f"{int(n):,}".replace(",", ".")

    line = next(x for x in text.splitlines() if " lượt tiếp (" in x)
    said = re.search(r"đã ghi ([\d.]+) lượt tiếp \(([^()]*)\)", line)
    assert said and said.group(1) == dots(now), line
    assert re.search(rf"; tăng {dots(now - last)} lượt, tương ứng [\d,]+%, so với cùng kỳ năm 2023: {dots(last)} lượt$",
                     said.group(2)), said.group(2)
    rows = {r["Mã số liệu"]: r for r in read_check(written.check)[0]}
    start, end = RawCalendar("38").window("H1", 2023)
    assert rows["prev.luot_tiep"]["Giá trị"] == last
    assert rows["prev.luot_tiep"]["Khoảng số liệu"] == f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"


def test_the_heads_reception_days_against_targets_are_never_pooled_across_levels(thanh_hoa, thanh_hoa_2025):
    """2025-Y: the targets' line of "Số buổi tiếp công dân định kỳ của Chủ tịch UBND đã thực hiện" (TD01) added the sở
    heads' days to the commune chairmen's under the chairman's title (Thanh Hóa's 18.834 buổi: 18.755 of communes and
    79 of sở). The law binds those days to a level (legal_minimum), so the line is one per group: the districts'
    roll-ups, the communes of 2025, "Thủ trưởng các sở, ban, ngành", each its own figure and targets. The sở line's
    days from the bodies' raw TD01 cells; every such figure of the check sheet recomputed group by group by
    rawfigures (verify, in the test above)."""
    _, _, y25, _ = thanh_hoa
    _, written, text = thanh_hoa_2025
    lines = [x for x in text.splitlines() if x.startswith("- Số buổi tiếp công dân định kỳ")]
    assert lines and not any(x.startswith("- Số buổi tiếp công dân định kỳ của Chủ tịch UBND đã thực hiện:")
                             for x in lines), lines
    sheet = spec.load_form("bao-cao-dinh-ky").main
    _, _, _, raw25 = thanh_hoa
    new = {u.code for u in load("2025").children("38")}
    files = {"Thủ trưởng các sở, ban, ngành": [p for p in y25.glob("*bao-cao-dinh-ky*.xlsx")
                                               if re.match(r"38-[A-Z]+-", p.name)],
             "Chủ tịch UBND các xã, phường": [p for p in y25.glob("*bao-cao-dinh-ky*.xlsx")
                                             if p.name.split("-")[0] in new],
             "Chủ tịch UBND đã thực hiện (các đơn vị trong báo cáo tổng hợp của các huyện, thị xã, thành phố (trước "
             "sắp xếp))": [p for d in raw25.iterdir() for p in d.glob("*bao-cao-dinh-ky*.xlsx")]}
    said = 0
    for who, paths in files.items():
        held = sum(cell(grid(p, sheet.name), sheet.indicator_cell("TD01")) or 0 for p in paths)
        mine = [x for x in lines if who in x]
        if mine:  # a group whose units set a target for it
            assert re.match(rf"- Số buổi tiếp công dân định kỳ của {re.escape(who)}(?: đã thực hiện)?: "
                            rf"{int(held):,} buổi; ".replace(",", "."), mine[0]), (who, mine[0])
            said += 1
    assert said == len(lines) >= 2, lines
    keys = {r["Mã số liệu"] for r in read_check(written.check)[0]}
    assert "target.TD01.territorial.value" in keys and "target.TD01.value" not in keys


def test_last_years_reception_days_against_targets_are_never_pooled_across_levels(thanh_hoa, thanh_hoa_2024,
                                                                                    thanh_hoa_2025):
    """2025-Y: the sentence of last year's targets ("Chỉ tiêu năm 2024: …") said "Số buổi tiếp công dân định kỳ của
    Chủ tịch UBND đã thực hiện chưa đạt chỉ tiêu trên 10/17 đơn vị … (472 buổi/480 buổi)", the sở heads' days added to
    those of the communes in the districts' roll-ups, under the chairman's title. Now one clause per group of last
    year's units, in last year's words (the districts of 2024, not the communes of 2025), from the history's record of
    each unit; the 2024 report's own line no longer calls the communes' days in the districts' roll-ups the districts'
    chairmen's. The sở clause's days and targets recomputed from the 2024 raw cells (rawfigures, group by group)."""
    y24, raw24, _, _ = thanh_hoa
    _, written, text = thanh_hoa_2025
    line = next(x for x in text.splitlines() if x.startswith("Chỉ tiêu năm 2024: "))
    clauses = [c for c in line.split("; ") if "số buổi tiếp công dân định kỳ" in c]  # in lower case in the list
    pooled = ("số buổi tiếp công dân định kỳ của Chủ tịch UBND đã thực hiện đạt",
              "số buổi tiếp công dân định kỳ của Chủ tịch UBND đã thực hiện chưa")
    assert len(clauses) >= 2 and not any(c.startswith(pooled) for c in clauses), clauses
    previous = Folder(y24, "2024-Y", "38", *_groups("38", "2024-Y"), raw=raw24)
    bodies = next(c for c in clauses if "của Thủ trưởng các sở, ban, ngành đã thực hiện" in c)
    value, target = (previous.expected(f"target.TD01.department.{k}") for k in ("part_value", "part_target"))
    held = sum(cell(grid(p, spec.load_form("bao-cao-dinh-ky").main.name),
                    spec.load_form("bao-cao-dinh-ky").main.indicator_cell("TD01")) or 0
               for p in y24.glob("*bao-cao-dinh-ky*.xlsx") if re.match(r"38-[A-Z]+-", p.name))
    assert 0 < value <= held and f"({int(value)} buổi/{int(target)} buổi)" in bodies, (bodies, value, target, held)
    rollups = next(c for c in clauses if "(các đơn vị trong báo cáo tổng hợp của các huyện, thị xã" in c)
    assert "xã, phường)" not in rollups  # last year's districts, never this year's communes
    keys = {r["Mã số liệu"] for r in read_check(written.check)[0]}
    assert "prevtarget.TD01.department.part_value" in keys and "prevtarget.TD01.part_value" not in keys
    _, _, _, text24 = thanh_hoa_2024
    assert not any(x.startswith("- Số buổi tiếp công dân định kỳ của Chủ tịch UBND các huyện") for x in
                   text24.splitlines())


def test_last_years_rate_of_catalogues_against_targets_is_never_said_missing(thanh_hoa, thanh_hoa_2025):
    """2025-Y, "Chỉ tiêu năm 2024: …": a rate of catalogues (CC15, ``additive: false``) has no total, so its clause said
    "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến toàn trình chưa có số liệu để so với chỉ tiêu" though units had
    the figure and a target (missing said where data was). It now says how many reached their own, as
    rollup.targets.outcome does: "R/N đơn vị đạt chỉ tiêu của mình", R and N from the 2024 raw cells (rawfigures)."""
    y24, raw24, _, _ = thanh_hoa
    _, _, text = thanh_hoa_2025
    line = next(x for x in text.splitlines() if x.startswith("Chỉ tiêu năm 2024: "))
    [clause] = [c for c in line.split("; ") if "dịch vụ công trực tuyến toàn trình" in c]
    previous = Folder(y24, "2024-Y", "38", *_groups("38", "2024-Y"), raw=raw24)
    reached, reported = (int(previous.expected(f"target.CC15.{k}")) for k in ("reached", "reported"))
    assert reported > 0 and clause.endswith(f"toàn trình {reached}/{reported} đơn vị đạt chỉ tiêu của mình"), \
        (clause, reached, reported)


def test_last_years_targets_are_listed_in_lower_case(thanh_hoa_2025):
    """2025-Y: "Chỉ tiêu năm 2024: Số hội nghị …; Tỷ lệ hồ sơ …; Số buổi …" capitalised every item of the list after
    its colon and semicolons. A list's items run on in lower case ("Chỉ tiêu năm 2024: số hội nghị …; tỷ lệ hồ sơ
    …"), a name kept ("… của Chủ tịch UBND …"): each clause is an indicator title of the report's specification
    (read with PyYAML), its first letter lowered."""
    _, _, text = thanh_hoa_2025
    line = next(x for x in text.splitlines() if x.startswith("Chỉ tiêu năm 2024: "))
    clauses = line.removeprefix("Chỉ tiêu năm 2024: ").rstrip(".").split("; ")
    with open(templates_dir() / "forms" / "bao-cao-dinh-ky.yaml", encoding="utf-8") as f:
        titles = re.findall(r"title: (\"[^\"]+\"|'[^']+'|[^,}]+)", f.read())
    titles = [t for t in (x.strip().strip("'\"") for x in titles) if t[:1].isupper()]
    assert len(clauses) >= 5
    for c in clauses:
        assert c[:1].islower(), c
        assert any(c.startswith(" ".join((t[:1].lower() + t[1:]).split()[:3]) + " ") for t in titles), c
    assert any("Chủ tịch UBND" in c for c in clauses), clauses


def test_the_rollups_sheet_of_targets_keeps_the_heads_reception_days_by_level(thanh_hoa, thanh_hoa_2025):
    """2025-Y, the roll-up's sheet "So với chỉ tiêu": TD01's first row was "Tổng cộng", the days of the communes of
    2025 and of those in the districts' roll-ups (and of the sở heads, where they set targets) added up against their
    targets pooled. Now a row per group of units with targets (their own days, targets, units reaching theirs), no
    pooled total, and a note saying why; the communes' row's days are their raw TD01 cells."""
    _, _, y25, _ = thanh_hoa
    result, _, _ = thanh_hoa_2025
    rows = grid(result.out_path, "So với chỉ tiêu")
    head = next(i for i, r in enumerate(rows) if "Mã số" in r)
    col = {h: j for j, h in enumerate(rows[head]) if h}
    mine, code = [], ""
    for r in rows[head + 1:]:
        code = r[col["Mã số"]] or (code if not r[0] or isinstance(r[0], str) and not r[0].strip() else "")
        if code == "TD01":
            mine.append(r)
    labels = [r[4] for r in mine]
    assert not any(str(x).startswith("Tổng cộng") for x in labels), labels
    communes = next(r for r in mine if str(r[4]).startswith("Xã, phường"))
    sheet = spec.load_form("bao-cao-dinh-ky").main
    new = {u.code for u in load("2025").children("38")}
    held = sum(cell(grid(p, sheet.name), sheet.indicator_cell("TD01")) or 0
               for p in y25.glob("*bao-cao-dinh-ky*.xlsx") if p.name.split("-")[0] in new)
    assert held and communes[5] == held, (communes, held)
    assert any(str(x).startswith("Huyện, thị xã, thành phố (trước sắp xếp)") for x in labels), labels
    assert any("không cộng chung" in str(c) for r in rows for c in r if c)


def test_the_sheet_of_targets_titles_its_unit_column_by_the_levels_it_lists(thanh_hoa, thanh_hoa_2025,
                                                                           nhu_thanh_rollup):
    """2025-Y, the roll-up's sheet "So với chỉ tiêu": the unit column was titled "Huyện" (the first unit's level: an
    abolished district of the part before 1/7/2025) over the communes of 2025 and the sở, though the province has no
    districts since the reform. The column lists units of several levels of their registries (the three-tier
    registry's districts, the 2025 registry's communes, the bodies), so it is "Đơn vị"; the Như Thanh roll-up, whose
    rows are all communes of its registry, keeps "Xã". The levels from the registries' raw unit lists, by name."""
    result, _, _ = thanh_hoa_2025

    def column(path) -> tuple[str, set[str]]:
        rows = grid(path, "So với chỉ tiêu")
        head = next(i for i, r in enumerate(rows) if "Mã số" in r)
        return rows[head][4], {str(r[4]) for r in rows[head + 1:] if r[4]}

    title, listed = column(result.out_path)
    old_districts = {u.name for u in load("legacy").children("38")}
    new_communes = {u.name for u in load("2025").children("38")}
    assert listed & old_districts and listed & new_communes, listed
    assert title == "Đơn vị", title
    title, listed = column(nhu_thanh_rollup.out_path)
    communes = {u.name for u in load("legacy").children("403")}
    named = {x for x in listed if not x.startswith(("Tổng cộng", "Các đơn vị có chỉ tiêu"))}
    assert named and named <= communes and title == "Xã", (title, named - communes)


def test_last_years_figures_and_targets_carry_last_years_basis_in_the_check_sheet(thanh_hoa, thanh_hoa_2025):
    """2025-Y, the check sheet: the rows of last year's targets ("Chỉ tiêu năm 2024: …", keys prevtarget.*) and of last
    year's figures beside this year's ("(năm 2024: 129 cuộc)", keys prev.*) carried
    this year's basis: 2/26 districts, 6/166 communes and 2/7 sở of 2025, the window 15/12/2024 - 14/12/2025 and the
    days the 2025 files run to. Now last year's: the 2024 units that sent out of those expected (the three-tier
    registry's districts, the 2024 bodies), last year's window, and no day (the history keeps none), group by group
    for the heads' reception days. Counts from the 2024 folder's files and the registries; the window from
    templates/deadlines.yaml and the law's months (rawfigures.RawCalendar)."""
    y24, _, _, _ = thanh_hoa
    _, written, _ = thanh_hoa_2025
    rows = [r for r in read_check(written.check)[0] if r["Mã số liệu"].startswith(("prevtarget.", "prev."))]
    assert any(r["Mã số liệu"].startswith("prev.") for r in rows) and any(r["Mã số liệu"].startswith("prevtarget.")
                                                                          for r in rows)
    groups, expected, _ = _groups("38", "2024-Y")
    sent = {p.name.split("-")[2] if p.name.startswith("tong-hop-") else "-".join(p.name.split("-")[:2])
            for p in y24.glob("*.xlsx")}
    districts_sent = len({c for c in sent if groups.get(c) == "territorial"})
    bodies_sent = len({c for c in sent if groups.get(c) == "department"})
    start, end = RawCalendar("38").window("Y", 2024)
    for r in rows:
        key, who = r["Mã số liệu"], str(r["Đơn vị có số liệu / phải có"])
        assert r["Khoảng số liệu"] == f"{start:%d/%m/%Y} - {end:%d/%m/%Y}", (key, r["Khoảng số liệu"])
        assert r["Số liệu tính đến ngày"] in ("", None), (key, r["Số liệu tính đến ngày"])
        bodies = f"{bodies_sent}/{expected['department']} sở, ban, ngành"
        if key.startswith("prevtarget.TD01.department."):
            assert who == bodies, (key, who)
        elif key.startswith("prevtarget.TD01.territorial."):
            assert who.startswith(f"{districts_sent}/{expected['territorial']} ") and "sở" not in who, (key, who)
        else:
            assert who.startswith(f"{districts_sent}/{expected['territorial']} ") and who.endswith(f" và {bodies}"), \
                (key, who)
        assert "xã, phường" not in who, (key, who)  # never this year's communes


def test_a_quoted_sentence_opens_in_lower_case_unless_it_opens_a_name(thanh_hoa_2024):
    """2024-Y: the sections' shared sentences printed '7/17 đơn vị: Thực hiện tốt Luật Thực hiện dân chủ ở cơ sở năm
    2022' with a capital mid-line (a unit wrote 'Luật Thực hiện …' elsewhere, so 'Thực' was taken for a name). Every
    sentence quoted after 'N/M đơn vị: ' now opens in lower case unless its first word is an acronym, it opens with a
    name or title of sections.TITLE_OPENINGS, or its second word is capitalised (a name)."""
    _, _, _, text = thanh_hoa_2024
    quoted = re.findall(r"\d+/\d+ đơn vị: ([^;]+)", text)
    assert quoted and "thực hiện tốt Luật Thực hiện dân chủ ở cơ sở năm 2022" in quoted, quoted
    from dvcq.documents.sections import TITLE_OPENINGS  # after the case itself: the old code had no such list
    for q in quoted:
        first, second = (q.split() + ["", ""])[:2]
        named = (first.isupper() and len(first) > 1) or (second[:1].isupper() and not second.isupper()) or \
            any(q.startswith(t + " ") for t in TITLE_OPENINGS)
        assert named or first[:1].islower(), q


def test_a_code_of_both_registries_is_two_units_of_the_rollout(thanh_hoa, thanh_hoa_2025):
    """2025-Y: a commune code of 2025 may also be a commune of the three-tier registry (14812: Phường Ba Đình of Bỉm
    Sơn to 30/6/2025, then Phường Bỉm Sơn; 14848 Xã Tam Chung in both). The rollout counted each code once, merging
    the two units (Thanh Hóa: '525/549 đơn vị có tên trong lộ trình', its plans listing 715 units, 685 launched, which
    the plan sheet's own total row showed). Now each plan's listings keep the registry they were read in: the counts
    are the rows of every plan's sheet Lộ trình by (part, code), read raw from the 2025 folder and the districts' raw
    files."""
    from tests.support.rawfigures import PLAN as RAW_PLAN

    _, _, y25, raw25 = thanh_hoa
    _, _, text = thanh_hoa_2025
    lt = RAW_PLAN.sheet("Lộ trình")
    listed: dict[tuple[str, str], list[str]] = {}
    legacy = {u.code for u in load("legacy").children("38")} | {u.code for d in load("legacy").children("38")
                                                                  for u in load("legacy").children(d.code)}
    paths = [(p, "2025") for p in y25.glob("*ke-hoach*.xlsx")] + \
        [(p, "legacy") for d in raw25.iterdir() for p in d.glob("*ke-hoach*.xlsx")]
    for path, era in paths:
        g = grid(path, lt.name)
        for row in g[lt.first_row - 1:]:
            code, status = str(row[lt.col("ma_don_vi") - 1] or "").strip(), row[lt.col("trang_thai") - 1]
            if code:
                listed.setdefault((era, code), []).append(status)
    launched = sum(1 for v in listed.values() if "Đã ra mắt" in v)
    both = {c for e, c in listed if e == "2025"} & {c for e, c in listed if e == "legacy"}
    assert both and both <= legacy  # codes of both registries are listed: the case this test is about
    assert (f"{launched}/{len(listed)} đơn vị có tên trong lộ trình của các kế hoạch đã nộp") in text, \
        [x for x in text.splitlines() if "lộ trình" in x]


def test_the_communes_requests_in_the_districts_roll_ups_are_to_their_district(thanh_hoa, thanh_hoa_2024):
    """2024-Y, the province from its districts' roll-ups: the communes' "Kiến nghị, đề xuất" were addressed to their
    district ("đề nghị cấp trên …"), yet the report counted them "với Ủy ban nhân dân tỉnh Thanh Hóa" with the bodies'
    (review.md, "Who did it?"). Now the communes in the roll-ups are said apart, "với Ủy ban nhân dân cấp huyện", and
    the requests to the province are the bodies' (and the districts' own). Counts from the raw KN cells: a unit asks
    when its cell holds a sentence that is not "Không có …"."""
    y24, raw24, _, _ = thanh_hoa
    _, _, _, text = thanh_hoa_2024
    rating = spec.load_form("bao-cao-dinh-ky").sheet("Đánh giá")

    def asks(path) -> bool:
        v = str(cell(grid(path, rating.name), rating.text_cell("KN")) or "").strip()
        return bool(v) and not re.fullmatch(r"(?i)không có[^.]*\.?", v)

    communes = [p for d in raw24.iterdir() for p in d.glob("*bao-cao-dinh-ky*.xlsx")
                if load("legacy").get(p.name.split("-")[0]) is not None
                and load("legacy").get(p.name.split("-")[0]).level == "commune"]
    bodies = [p for p in y24.glob("*bao-cao-dinh-ky*.xlsx") if re.match(r"38-[A-Z]+-", p.name)]
    body = text[:text.index("# PHỤ LỤC")]
    [below] = [x for x in body.splitlines() if "với Ủy ban nhân dân cấp huyện (trong báo cáo tổng hợp" in x]
    assert below.startswith("Kiến nghị, đề xuất của các đơn vị cấp xã của các "), below
    assert below.endswith(f"tổng cộng {sum(map(asks, communes))}/{len(communes)} đơn vị có kiến nghị, đề xuất với Ủy "
                          "ban nhân dân cấp huyện.") or f" {sum(map(asks, communes))}/{len(communes)} đơn vị có" in below
    to_province = [x for x in body.splitlines() if x.startswith("Kiến nghị, đề xuất của các đơn vị với Ủy ban nhân dân "
                                                                 "tỉnh Thanh Hóa")]
    if any(map(asks, bodies)):
        assert to_province and to_province[0].endswith(
            f"{sum(map(asks, bodies))}/{len(bodies)} sở, ban, ngành có kiến nghị, đề xuất với Ủy ban nhân dân tỉnh "
            "Thanh Hóa."), to_province
    else:
        assert not to_province


def test_the_commune_chairmen_of_both_parts_are_said_by_their_level(thanh_hoa, thanh_hoa_2025):
    """2025-Y: the communes' reception days count the communes of 2025 and those in the abolished districts' roll-ups
    (xã, phường, thị trấn of the three-tier registry); the sentence said "Chủ tịch UBND các xã, phường (N đơn vị …)",
    the kinds of the province's own communes only. Now "Chủ tịch UBND cấp xã (N đơn vị có số liệu)", N the communes'
    reports of both parts, from the raw files."""
    _, _, y25, raw25 = thanh_hoa
    _, _, text = thanh_hoa_2025
    new = {u.code for u in load("2025").children("38")}
    old = {u.code for d in load("legacy").children("38") for u in load("legacy").children(d.code)}
    n = len([p for p in y25.glob("*bao-cao-dinh-ky*.xlsx") if p.name.split("-")[0] in new]) + \
        len([p for d in raw25.iterdir() for p in d.glob("*bao-cao-dinh-ky*.xlsx") if p.name.split("-")[0] in old])
    assert f"Chủ tịch UBND cấp xã ({n} đơn vị có số liệu) đã thực hiện" in text
    assert "Chủ tịch UBND các xã, phường (" not in text


def test_a_province_part_of_2025_beside_its_2024(thanh_hoa, thanh_hoa_2025):
    """2025-Y straddles the reform: the abolished districts' part is told at its last day in the past tense,
    units of different parts are never ranked together, coverage is partial and said paragraph by paragraph,
    and last year's figures (the three-tier province) are given beside this year's without a change."""
    y24, raw24, y25, raw25 = thanh_hoa
    result, written, text = thanh_hoa_2025
    groups, expected, routes = _groups("38", "2025-Y")
    legacy = load("legacy").children("38")
    groups.update({u.code: "abolished" for u in legacy})
    expected["abolished"] = len(legacy)
    routes["abolished"] = "district->province"
    previous = Folder(y24, "2024-Y", "38", *_groups("38", "2024-Y"), raw=raw24)
    raw = Folder(y25, "2025-Y", "38", groups, expected, routes, previous=previous, raw=raw25)
    kinds = verify(written.check, text, raw, y25)
    assert kinds.get("prev") and not kinds.get("change")  # across the reform: beside, never a change
    # an annual report: last year as a whole, "năm 2024", never "cùng kỳ" (issue 24 §3)
    assert "cùng kỳ năm 2024" not in text and "Số liệu năm 2024 là của toàn tỉnh trước khi sắp xếp" in text
    # the abolished districts' part at its last days (each log's, up to 30/06/2025), in the past tense; never "Còn"
    assert re.search(r"Đến ngày (30/06/2025|số liệu của sổ từng đơn vị \(từ \d\d/0[56]/2025 đến 30/06/2025\)), "
                     r"các huyện, thị xã, thành phố \(trước sắp xếp\) (có|không có) ", text)
    # ranks within one part: a district of the part before 1/7/2025 never beside a commune of 2025
    for line in (x for x in text.splitlines() if "cao nhất" in x):
        district = re.search(r"\b(huyện|thị xã|thành phố) [A-ZĐ]", line)  # a name, not "3 huyện, thị xã, ..."
        commune = re.search(r"(?<!thị )\b(xã|phường) [A-ZĐ]", line)
        assert not (district and commune), line
    # partial coverage: each paragraph of the reports' figures says over whom
    n = len(legacy)
    assert f"Theo báo cáo của {DISTRICTS}/{n} huyện, thị xã, thành phố (trước sắp xếp), {COMMUNES}/" in text
    assert "Trong kỳ, toàn tỉnh" not in text and f"Trong kỳ, {DISTRICTS}/{n} huyện" in text
    # the communes of 2025 are the province's own: one group, "xã, phường", never by a former district
    assert all(" - " not in line.title for line in result.missing_lists())
    reported = len([p for p in y25.glob("*bao-cao-dinh-ky*.xlsx") if load("2025").get(p.name.split("-")[0])
                    and load("2025").get(p.name.split("-")[0]).level == "commune"])
    lines = [x for x in text[:text.index("# PHỤ LỤC")].splitlines() if x.startswith("Ở các đơn vị")]
    assert lines and all(f"; {reported}/{reported} xã, phường" in x for x in lines), lines


def test_a_report_dated_before_a_file_it_counts_was_received_says_so(nhu_thanh_rollup, tmp_path):
    result = nhu_thanh_rollup  # tests/conftest.py: the committed sample consolidated; its history copied
    shutil.copy(result.db_path, tmp_path / "db.sqlite")
    written = write_report(result.out_path, out=tmp_path / "bc.docx", db=tmp_path / "db.sqlite", date="14/06/2024")
    latest = max(grid_saved(p) for p in SAMPLE.glob("*.xlsx"))
    assert latest.date() > date(2024, 6, 14)  # the samples hold files saved after that day
    [w] = written.warnings
    assert w.code == "dated-before-received" and latest.strftime("%d/%m/%Y") in w.message
    _, _, warnings = read_check(written.check)
    assert warnings == [f"Cảnh báo: {w.message}"]
    assert written.to_dict()["warnings"] == [{"code": w.code, "message": w.message}]
    # dated after every file: no warning (the warnings write_report returns are its context's: the context alone)
    assert build_context([result.out_path], db=tmp_path / "db.sqlite", date=signing_date("05/07/2024")).warnings == ()


def grid_saved(path: Path):
    from datetime import datetime

    meta = dict((r[0], r[1]) for r in grid(path, "_dvcq") if len(r) > 1)
    return datetime.fromisoformat(meta["saved_at"])


DATE = re.compile(r"\d+/[A-ZĐ]+-[A-ZĐ]+|\d{2}/\d{2}/\d{4}|năm \d{4}|\d+ tháng|Điều \d+( khoản \d+)?|\d+/\d{4}/[A-ZĐ-]+|\d+ ngày mỗi "
                  r"(tuần|tháng)|Luật [A-ZĐ][^;,)]*? \d{4}")  # dates, a period's name, the law a rule cites
LISTED = re.compile(r"và \d+ (xã|đơn vị|huyện|sở|phường)[^;,.)]* khác")  # a capped list of names (ds_donvi)
NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")


def unmarked_numbers(text: str, check: Path) -> list[str]:
    """The numbers of the report's own paragraphs that no row of its check sheet accounts for (dates, years,
    months of a period's name, the law a rule cites, a document's number and the count closing a capped list of names
    aside)."""
    rows, _, _ = read_check(check)
    start = text.lower().index("thực hiện kế hoạch")
    body = [p for p in text[start:text.index("***Nơi nhận")].split("\n\n")
            if p.strip() and not p.startswith(("- ", "+ ", "#"))]  # a unit's sentences, a plan's tasks: quoted
    left = []
    for p in body:
        tokens = NUMBER.findall(LISTED.sub("", DATE.sub("", p)))
        for r in rows:
            if r["Câu trong báo cáo"] in p:
                for n in NUMBER.findall(str(r["Số liệu in"])):
                    if n in tokens:
                        tokens.remove(n)
        left += [f"{n} in «{p[:80]}…»" for n in tokens]
    return left


def test_every_number_the_nhu_thanh_report_prints_is_in_its_check_sheet(nhu_thanh_report):
    written, text = nhu_thanh_report
    assert unmarked_numbers(text, written.check) == []


def test_every_number_the_province_report_prints_is_in_its_check_sheet(thanh_hoa_2025):
    _, written, text = thanh_hoa_2025
    assert unmarked_numbers(text, written.check) == []


def test_a_levels_reception_days_cover_only_the_units_of_that_level(thanh_hoa, thanh_hoa_2024):
    """2024-Y: the check sheet's rows of the sở heads' reception days ("Thủ trưởng các sở, ban, ngành (2 đơn vị có số
    liệu) đã thực hiện …") said they covered "2/26 huyện, thị xã, thành phố và 2/10 sở, ban, ngành" at "cấp huyện; sở,
    ban, ngành", and listed the districts' roll-ups among their sources (4 sources for 2 sở): the basis of the whole
    roll-up, not of the level. Now each level's rows cover its own units' groups: the sở rows the bodies only, their
    sources the bodies' files, whose raw TD01 cells add up to the figure; the communes' rows the districts'
    roll-ups only."""
    y24, _, _, _ = thanh_hoa
    _, _, written, _ = thanh_hoa_2024
    rows, sources, _ = read_check(written.check)
    sheet = spec.load_form("bao-cao-dinh-ky").main
    bodies = [p for p in y24.glob("*bao-cao-dinh-ky*.xlsx") if re.match(r"38-[A-Z]+-", p.name)]
    held = sum(cell(grid(p, sheet.name), sheet.indicator_cell("TD01")) or 0 for p in bodies)
    rollups = list(y24.glob("tong-hop-*.xlsx"))
    assert len(bodies) == len(BODIES) and len(rollups) == DISTRICTS and held
    seen = set()
    for n, r in enumerate(rows, start=1):
        key = r["Mã số liệu"]
        if not key.startswith(("rec.department.", "rec.commune.")):
            continue
        seen.add(key)
        who, mine = r["Đơn vị có số liệu / phải có"], [s for s in sources if s["STT số liệu"] == n]
        if key.startswith("rec.department."):
            assert re.fullmatch(rf"{len(bodies)}/\d+ sở, ban, ngành", who), (key, who)  # the bodies expected: registry
            if key == "rec.department.held":
                assert r["Giá trị"] == held and sorted(s["Tệp"] for s in mine) == sorted(p.name for p in bodies)
        else:
            assert "sở" not in who and "huyện" in who, (key, who)
            if key == "rec.commune.held":
                assert sorted(s["Tệp"] for s in mine) == sorted(p.name for p in rollups), mine
    assert {"rec.department.held", "rec.commune.held"} <= seen, seen


def test_the_overdue_cases_after_the_districts_part_say_whose_they_are(thanh_hoa, thanh_hoa_2025):
    """2025-Y: the overdue cases are told part by part, the abolished districts' first ("Đến ngày …, các huyện, thị
    xã, thành phố (trước sắp xếp) …"); the next sentence ("Tính đến …, còn N vụ việc …") covered other units and did
    not say which. Now it names the groups whose logs it counts: the communes of 2025 and the sở, ban, ngành whose
    log files are in the folder (found here by their names)."""
    _, _, y25, _ = thanh_hoa
    _, _, text = thanh_hoa_2025
    new = {u.code for u in load("2025").children("38")}
    logs = list(y25.glob("*so-tiep-cong-dan*.xlsx"))
    communes = [p for p in logs if p.name.split("-")[0] in new]
    bodies = [p for p in logs if re.match(r"38-[A-Z]+-", p.name)]
    assert communes and bodies
    said = [s for s in re.split(r"(?<=\.)\s+", text) if s.startswith("Tính đến") and "quá thời hạn" in s]
    assert len(said) == 1, said
    head = said[0].split(" vụ việc")[0]
    assert "các xã, phường" in head and "các sở, ban, ngành" in head, said[0]


def test_last_years_figures_say_the_units_they_count(thanh_hoa, thanh_hoa_2025):
    """2025-Y beside 2024-Y: each "prev.<code>" row (last year's figure) said "tổng hợp cùng kỳ năm trước từ 5/37 đơn
    vị" while its units column said "2/26 huyện … và 2/10 sở, ban, ngành": the count was every unit that sent any
    form last year (the province's own plan among them), not the units last year's figures count. Now the rule names
    last year's basis, the units column's own words; its units are last year's periodic reports and roll-ups (found
    here by their files: the province's own plan is no figure of them)."""
    y24, _, _, _ = thanh_hoa
    _, written, _ = thanh_hoa_2025
    rows, _, _ = read_check(written.check)
    prev = [r for r in rows if r["Mã số liệu"].startswith("prev.")]
    assert prev
    reports = [p for p in y24.glob("*.xlsx") if "bao-cao-dinh-ky" in p.name or p.name.startswith("tong-hop-")]
    for r in prev:
        who = r["Đơn vị có số liệu / phải có"]
        assert sum(int(a) for a, _ in re.findall(r"(\d+)/(\d+)", who)) == len(reports), (who, reports)
        assert f"từ {who} (" in r["Cách tính"], (r["Mã số liệu"], who, r["Cách tính"])
