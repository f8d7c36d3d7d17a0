"""Golden comparisons, XlsxWriter style: each blank form and the Như Thanh 2024-H1 roll-up, part by part.

Every XML part of a freshly written workbook is compared with the copy stored under
tests/golden/<name>/<part>, so any change of a cell, style, validation, chart or print setting shows in
review. The stored form is the part with one tag per line (a newline put between every ``><``, which
only occurs between tags: ``<`` is always escaped in text) and the volatile bits normalised: the dates
of docProps/core.xml and dvcq's version. ``DVCQ_UPDATE_GOLDEN=1`` rewrites the golden copies; check
the diff before committing it. Blank forms are built for 2024, so that their period list does not move
with the calendar.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from dvcq import __version__
from dvcq.forms import spec
from dvcq.forms.build import build_form
from dvcq.rollup.consolidate import consolidate_folder

from tests.support.paths import SAMPLE

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("DVCQ_UPDATE_GOLDEN") == "1"
NOW = datetime(2024, 7, 15, 8, 30, 0)  # the roll-up's injected clock
BUILD_YEAR = 2024  # the blank forms' period list: 2022..2025 (a blank form is otherwise built for this year)
BLANK_FORMS = ("ke-hoach", "so-tiep-cong-dan", "bao-cao-dinh-ky")
ROLLUP = "tong-hop-nhu-thanh-2024-H1"
_DATES = re.compile(rb"(<dcterms:(?:created|modified) xsi:type=\"dcterms:W3CDTF\">)[^<]*(</dcterms:)")


def normalise(name: str, data: bytes) -> bytes:
    """A part as stored under tests/golden: one tag per line, volatile values replaced by placeholders."""
    if not (name.endswith(".xml") or name.endswith(".rels")):
        return b"sha256 " + hashlib.sha256(data).hexdigest().encode() + b"\n"  # a binary part, by its hash
    if name == "docProps/core.xml":
        data = _DATES.sub(rb"\1{date}\2", data)
    data = data.replace(f"dvcq {__version__}".encode(), b"dvcq {version}")
    return data.replace(b"><", b">\n<").rstrip(b"\n") + b"\n"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: normalise(n, z.read(n)) for n in z.namelist() if not n.endswith("/")}


def _short_diff(name: str, want: bytes, got: bytes, limit: int = 40) -> str:
    diff = list(difflib.unified_diff(want.decode("utf-8", "replace").splitlines(),
                                     got.decode("utf-8", "replace").splitlines(),
                                     f"golden/{name}", f"built/{name}", n=2, lineterm=""))
    more = f"\n... {len(diff) - limit} more diff lines" if len(diff) > limit else ""
    return "\n".join(diff[:limit]) + more


def compare_with_golden(path: Path, golden_name: str, root: Path = GOLDEN, update: bool = UPDATE) -> None:
    got = parts(path)
    folder = root / golden_name
    if update:
        shutil.rmtree(folder, ignore_errors=True)
        for name, data in got.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        return
    assert folder.is_dir(), f"no golden copy at {folder}: run with DVCQ_UPDATE_GOLDEN=1 and review it"
    want = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert sorted(got) == sorted(want), (
        f"{golden_name}: parts differ; only built: {sorted(set(got) - set(want))}, "
        f"only golden: {sorted(set(want) - set(got))}")
    changed = [n for n in sorted(want) if want[n] != got[n]]
    if changed:
        first = changed[0]
        pytest.fail(f"{golden_name}: {len(changed)} part(s) differ from tests/golden/{golden_name}: {changed}\n"
                    f"{_short_diff(first, want[first], got[first])}\n"
                    "(if the change is intended: DVCQ_UPDATE_GOLDEN=1 and review the diff)", pytrace=False)


@pytest.mark.parametrize("form_id", BLANK_FORMS)
def test_blank_form_equals_its_golden_parts(tmp_path, form_id):
    path = build_form(spec.load_form(form_id), tmp_path / f"{form_id}.xlsx", build_year=BUILD_YEAR)
    compare_with_golden(path, form_id)


def test_blank_form_build_is_byte_stable(tmp_path):
    for form_id in BLANK_FORMS:
        a = build_form(spec.load_form(form_id), tmp_path / "a" / f"{form_id}.xlsx", build_year=BUILD_YEAR)
        b = build_form(spec.load_form(form_id), tmp_path / "b" / f"{form_id}.xlsx", build_year=BUILD_YEAR)
        assert a.read_bytes() == b.read_bytes(), form_id


@pytest.fixture(scope="module")
def nhu_thanh_rollup(nhu_thanh_rollup):
    """The session's Như Thanh roll-up (tests/conftest.py, its clock at NOW), as its file."""
    result = nhu_thanh_rollup
    assert (result.parent.name, result.period.code) == ("Huyện Như Thanh", "2024-H1")
    return result.out_path


def test_nhu_thanh_rollup_equals_its_golden_parts(nhu_thanh_rollup):
    compare_with_golden(nhu_thanh_rollup, ROLLUP)


def test_rollup_clock_is_the_injected_one_and_output_is_byte_stable(nhu_thanh_rollup, tmp_path):
    with zipfile.ZipFile(nhu_thanh_rollup) as z:
        core = z.read("docProps/core.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-07-15T08:30:00Z</dcterms:created>" in core
    assert "2024-07-15T08:30:00" in strings  # the hidden metadata's saved_at
    again = consolidate_folder(SAMPLE, out=tmp_path / "th.xlsx", db=tmp_path / "db.sqlite", workers=1, now=NOW)
    assert again.out_path.read_bytes() == nhu_thanh_rollup.read_bytes()


def test_a_changed_part_is_named_with_a_short_diff(tmp_path):
    """The comparison itself fails when it should: one changed cell names its part and shows the line."""
    src = build_form(spec.load_form("ke-hoach"), tmp_path / "ke-hoach.xlsx")
    golden = tmp_path / "golden"
    for name, data in parts(src).items():
        (golden / name).parent.mkdir(parents=True, exist_ok=True)
        (golden / name).write_bytes(data)
    with zipfile.ZipFile(src) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"<workbookPr", b"<workbookPr date1904=\"1\"", 1)
            z.writestr(info, data)
    with pytest.raises(pytest.fail.Exception) as err:
        compare_with_golden(bad, "golden", root=tmp_path, update=False)
    msg = str(err.value)
    assert "['xl/workbook.xml']" in msg and "+<workbookPr date1904=\"1\"" in msg, msg
