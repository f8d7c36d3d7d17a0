"""Every file's fate told truly (issue 22, §7): a district's own files in a province's folder are that district's
own row, and the province's roll-up of every raw file equals its roll-up of the districts' roll-ups on every
figure; an exclusion gives its real reason; duplicates are counted and named, with the file kept and why; a note
is never cut without "và N tệp khác"; the roll-up and the history agree when a run is killed between them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from dvcq.calendar.periods import parse
from dvcq.intake.readback import load_rollup
from dvcq.model import UnitGroup
from dvcq.rollup import store
from dvcq.rollup.aggregate import derive
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import load

from tests.support import corpus
from tests.support.cli import dvcq as run

P = parse("2024-Y")
LEGACY = load("legacy")
DISTRICTS = ("403", "404")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Two districts' communes with each district's own plan, report and log; two bodies and the province's plan:
    consolidated flat (every raw file in one folder) and through the districts' roll-ups."""
    base = tmp_path_factory.mktemp("fates")
    flat, via = base / "tất cả tệp", base / "biểu tổng hợp huyện"
    flat.mkdir()
    via.mkdir()
    for d in DISTRICTS:
        unit = LEGACY.get(d)
        f = base / f"huyện {d}"
        write_samples(d, P.code, f, seed=5, children=[u.code for u in LEGACY.children(d)[:3]] + [d])
        corpus.write_report(f, dict(corpus.report_values(), TD01=20, TD02=24), unit=(d, unit.name), period=P)
        corpus.write_log(f, unit=(d, unit.name), period=P)
        consolidate_folder(f, parent=d, period=P.code, db=base / "huyen.sqlite", out=via / f"tong-hop-{d}.xlsx",
                           workers=1)
        for x in f.glob("*.xlsx"):
            shutil.copy(x, flat / x.name)
    write_samples("38", P.code, base / "tỉnh", seed=5, children=["38-SNV", "38-STP", "38"])
    for x in (base / "tỉnh").glob("*.xlsx"):
        shutil.copy(x, flat / x.name)
        shutil.copy(x, via / x.name)
    every = consolidate_folder(flat, parent="38", period=P.code, db=base / "a.sqlite", workers=1)
    rolled = consolidate_folder(via, parent="38", period=P.code, db=base / "b.sqlite", workers=1)
    return base, every, rolled


def test_a_districts_own_files_are_its_own_row_in_a_flat_consolidation(province):
    _, every, _ = province
    assert not every.excluded
    assert not [i.message for f in every.files for i in f.issues if "không trực thuộc" in i.message]
    middle = {r.unit_code: r for r in every.ledger if r.group == UnitGroup.MIDDLE}
    assert set(middle) == {u.code for u in LEGACY.children("38")}  # every district's own row is expected
    for d in DISTRICTS:
        assert middle[d].submitted and middle[d].forms == ["bao-cao-dinh-ky", "ke-hoach", "so-tiep-cong-dan"]
    assert every.group_title(UnitGroup.MIDDLE) == "Cấp huyện"


def test_every_raw_file_and_the_districts_rollups_give_the_same_province(province):
    _, every, rolled = province
    a, b = every.rollup, rolled.rollup
    da, db = derive(a.totals), derive(b.totals)
    assert set(da) == set(db)
    for k in da:
        assert da[k] == pytest.approx(db[k]), k
    assert a.totals.spreads == b.totals.spreads and a.totals.crosstab == b.totals.crosstab
    assert a.reception == b.reception and set(a.reception) == {"commune", "district", "department"}
    assert a.targets == b.targets
    assert sorted(c.ref for c in a.overdue_cases) == sorted(c.ref for c in b.overdue_cases)
    assert sorted(t.ref for t in a.overdue_tasks) == sorted(t.ref for t in b.overdue_tasks)
    by_key = lambda bodies: {x.key: (x.units, x.counts, x.overdue, x.recurring) for x in bodies}  # noqa: E731
    assert by_key(a.bodies) == by_key(b.bodies)
    assert Counter(a.rollout_targets) == Counter(b.rollout_targets)
    assert Counter((t.unit_code, t.code, t.text) for t in a.texts) == \
        Counter((t.unit_code, t.code, t.text) for t in b.texts)


def test_a_commune_file_beside_the_district_rollups_is_told_why_it_is_not_added(province, tmp_path):
    base, _, _ = province
    folder = tmp_path / "nộp"
    shutil.copytree(base / "biểu tổng hợp huyện", folder)
    commune = LEGACY.children("403")[0]
    (x,) = (base / "huyện 403").glob(f"{commune.code}-*bao-cao-dinh-ky*.xlsx")
    shutil.copy(x, folder / x.name)
    res = consolidate_folder(folder, parent="38", period=P.code, db=tmp_path / "h.sqlite", workers=1)
    (f,) = [f for f in res.files if f.path.name == x.name]
    (issue,) = [i for i in f.issues if i.code == "unit"]
    assert "không trực thuộc" not in issue.message
    assert commune.name in issue.message and "Huyện Như Thanh" in issue.message and "biểu tổng hợp" in issue.message


def test_a_district_rollup_in_a_flat_folder_is_told_why_it_is_not_added(province, tmp_path):
    base, every, _ = province
    folder = tmp_path / "nộp"
    shutil.copytree(base / "tất cả tệp", folder)
    shutil.copy(base / "biểu tổng hợp huyện" / "tong-hop-403.xlsx", folder / "tong-hop-403.xlsx")
    res = consolidate_folder(folder, parent="38", period=P.code, db=tmp_path / "h.sqlite", workers=1)
    (f,) = [f for f in res.files if f.path.name == "tong-hop-403.xlsx"]
    (issue,) = [i for i in f.issues if i.code == "unit"]
    assert "không trực thuộc" not in issue.message and "tính trùng" in issue.message
    assert derive(res.rollup.totals) == pytest.approx(derive(every.rollup.totals))


def test_a_units_own_earlier_rollup_in_its_folder_is_not_said_to_be_outside_it(tmp_path):
    folder = tmp_path / "nộp"
    kids = [u.code for u in LEGACY.children("403")[:2]]
    write_samples("403", "2024-H1", folder, seed=2, children=kids + ["403"])
    first = consolidate_folder(folder, parent="403", db=tmp_path / "h.sqlite", out=folder / "tong-hop-403.xlsx",
                               workers=1)
    again = consolidate_folder(folder, parent="403", db=tmp_path / "h.sqlite", out=tmp_path / "lai.xlsx", workers=1)
    (f,) = [f for f in again.files if f.path.name == "tong-hop-403.xlsx"]
    (issue,) = [i for i in f.issues if i.code == "unit"]
    assert "không trực thuộc" not in issue.message and "chính Huyện Như Thanh" in issue.message
    assert derive(again.rollup.totals) == derive(first.rollup.totals)


# --- duplicates ---------------------------------------------------------------------------------------

COPIES = 60


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """One commune's report sent again and again under other names (identical bytes), beside another commune."""
    base = tmp_path_factory.mktemp("copies")
    folder = base / "nộp"
    kids = [u.code for u in LEGACY.children("403")[:2]]
    write_samples("403", "2024-H1", folder, seed=4, children=kids)
    (report,) = folder.glob(f"{kids[0]}-*bao-cao-dinh-ky*.xlsx")
    for k in range(1, COPIES):
        shutil.copy(report, folder / f"Bản sao ({k:03d}) của báo cáo gửi lại qua Zalo - {report.name}")
    return folder, report, kids


def test_duplicates_are_counted_and_named_with_the_file_kept_and_why(copies, tmp_path):
    folder, report, kids = copies
    r = run("consolidate", folder, "--parent", "403", "--period", "2024-H1", "--db", tmp_path / "h.sqlite", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    (dup,) = data["duplicates"]
    copies_ = sorted(p.name for p in folder.glob(f"*{report.name}"))
    assert dup["unit_code"] == kids[0] and dup["form_id"] == "bao-cao-dinh-ky" and dup["files"] == COPIES
    assert Path(dup["kept"]).name == copies_[0] and "giống hệt" in dup["why"]
    assert sorted(Path(p).name for p in dup["left_out"]) == copies_[1:]
    assert data["units"]["duplicates"] == COPIES - 1 and data["units"]["excluded"] == 0
    text = run("consolidate", folder, "--parent", "403", "--period", "2024-H1", "--db", tmp_path / "h.sqlite").stdout
    assert f"{COPIES - 1} tệp nộp trùng không dùng" in text
    line = next(x for x in text.splitlines() if "Nộp trùng" in x)
    assert copies_[0] in line and f"{COPIES} tệp" in line and "tệp khác" in line


def test_a_note_listing_many_files_ends_with_how_many_more(copies, tmp_path):
    folder, report, kids = copies
    res = consolidate_folder(folder, parent="403", period="2024-H1", db=tmp_path / "h.sqlite", workers=1)
    (row,) = [r for r in res.ledger if r.unit_code == kids[0]]
    left = sorted(p.name for p in folder.glob(f"*{report.name}"))[1:]  # the first by name is the one used
    shown = [n for n in left if n in row.note]
    more = len(left) - len(shown)
    assert len(row.note) < 2000 and shown and more > 0
    assert row.note.endswith(f"và {more} tệp khác")
    grid = corpus.raw_grid(res.out_path, "Tiến độ nộp báo cáo")
    assert any(str(c).endswith(f"và {more} tệp khác") for r in grid for c in r)


# --- the roll-up and the history agree ------------------------------------------------------------------

KILL = """
import os, signal, sys
from pathlib import Path
from dvcq.rollup import consolidate, store
where = sys.argv[1]
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
if where == "before-history":  # the roll-up written, the history not
    store.complete = die
else:  # the history written as pending, the roll-up not yet in place
    consolidate.finish_rollup = die
consolidate.consolidate_folder(Path(sys.argv[2]), parent="403", period="2024-H1", db=Path(sys.argv[3]),
                               out=Path(sys.argv[4]), workers=1)
"""


KILLED_KIDS = [u.code for u in LEGACY.children("403")[:3]]


@pytest.fixture(scope="module")
def killed_samples(tmp_path_factory):
    """Three communes' samples for the killed runs, written once (the generator gives the same bytes each time)."""
    folder = tmp_path_factory.mktemp("killed") / "mẫu"
    write_samples("403", "2024-H1", folder, seed=6, children=KILLED_KIDS)
    return folder


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
@pytest.mark.parametrize("where", ["before-history", "before-rollup"])
def test_a_run_killed_between_the_rollup_and_the_history_leaves_them_agreeing(where, tmp_path, killed_samples):
    folder = shutil.copytree(killed_samples, tmp_path / "nộp")  # its own copy: a report is replaced below
    kids = KILLED_KIDS
    db, out = tmp_path / "h.sqlite", tmp_path / "tong-hop.xlsx"
    first = consolidate_folder(folder, parent="403", period="2024-H1", db=db, out=out, workers=1)
    # a unit's report replaced by a different one: the next run's totals differ
    (old,) = folder.glob(f"{kids[0]}-*bao-cao-dinh-ky*.xlsx")
    corpus.write_report(folder, corpus.report_values(), unit=(kids[0], LEGACY.get(kids[0]).name),
                        name=old.name)
    r = subprocess.run([sys.executable, "-c", KILL, where, str(folder), str(db), str(out)], capture_output=True,
                       text=True)
    assert r.returncode == -9, r.stderr
    on_disk = load_rollup(out).totals
    recorded = store.rollup_totals(db, "2024-H1", "403")
    assert recorded is not None and recorded.flat() == on_disk.flat()
    changed = on_disk.flat() != first.rollup.totals.flat()
    assert changed == (where == "before-history")  # the roll-up is new only once it was put in place


def test_a_file_of_the_other_part_of_a_straddling_period_says_so(tmp_path):
    """A commune of 2025's file in a district's consolidation of its part before 1/7/2025 (Xã Xuân Du keeps its
    code 16234 in both registries): it belongs to the province's part from 1/7/2025, not under the district."""
    folder = tmp_path / "nộp"
    write_samples("403", "2025-9M", folder, seed=2, children=["16231", "403"])
    write_samples("38", "2025-9M", folder, seed=2, children=["16234"], forms=("bao-cao-dinh-ky",))
    res = consolidate_folder(folder, parent="403", period="2025-9M", db=tmp_path / "h.sqlite", workers=1)
    (f,) = [f for f in res.files if f.unit_code == "16234"]
    (issue,) = [i for i in f.issues if i.code == "unit"]
    assert f.era == "2025" and "thuộc Huyện Như Thanh" not in issue.message and "không trực thuộc" not in issue.message
    assert "phần từ 01/7/2025" in issue.message and "phần trước 01/7/2025" in issue.message
