"""Names on the date line (issue 26 §6): a ward or commune named after a person keeps its full name on the
place-date line ("Phường Quang Trung, ngày …"), as Nghị định 30/2020/NĐ-CP (Phụ lục I, I.4) requires for names of
persons and numerals. The flag is data: the registry's seed list (data/units/person_names.csv, with its source)
and a province's additions (templates/dia-danh-ten-nguoi.csv)."""
from __future__ import annotations

import csv
import shutil
from datetime import date

import pytest
from dvcq.calendar.periods import parse
from dvcq.documents import decree
from dvcq.errors import UserError
from dvcq.resources import DATA
from dvcq.text import fold
from dvcq.units import registry
from dvcq.units.registry import load

from tests.support import corpus
from tests.support.paths import ROOT
from tests.support.reporttext import report_text

SEED = DATA / "units" / "person_names.csv"


def seed_rows() -> list[dict]:
    with open(SEED, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_name_of_the_seed_list_is_a_unit_of_the_registry_and_has_its_source():
    rows = seed_rows()
    assert rows and all(r["source"].strip() and r["who"].strip() for r in rows)
    shorts = {fold(u.short_name) for era in ("legacy", "2025") for u in load(era).units.values()}
    assert [r["name"] for r in rows if fold(r["name"]) not in shorts] == []


@pytest.mark.parametrize("era, code, full", [("2025", "14818", "Phường Quang Trung"),
                                             ("legacy", "00214", "Phường Quang Trung"),
                                             ("2025", "79", "Thành phố Hồ Chí Minh")])
def test_a_unit_named_after_a_person_keeps_its_full_name_on_the_date_line(era, code, full):
    unit = load(era).get(code)
    assert unit.name == full and unit.person_named
    assert decree.place_date(unit.place, None, date(2026, 2, 5)) == f"{full}, ngày 05 tháng 02 năm 2026"
    plain = load("2025").get("16228")  # Xã Như Thanh: its name without the type word
    assert decree.place_date(plain.place, None, date(2026, 2, 5)).startswith("Như Thanh, ngày")


def test_the_report_of_a_ward_named_after_a_person_is_dated_with_its_full_name(tmp_path):
    report = corpus.write_report(tmp_path, unit=("14818", "Phường Quang Trung"), period=parse("2026-H1"))
    md = tmp_path / "bc.md"
    report_text([report], md, date="05/07/2026")
    assert "*Phường Quang Trung, ngày 05 tháng 7 năm 2026*" in md.read_text(encoding="utf-8")


@pytest.fixture
def local_names(tmp_path, monkeypatch):
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", root)
    monkeypatch.setenv("DVCQ_TEMPLATES", str(root))
    registry.load.cache_clear()
    registry.person_names.cache_clear()
    yield root / registry.LOCAL_PERSON_NAMES
    monkeypatch.delenv("DVCQ_TEMPLATES")
    registry.load.cache_clear()
    registry.person_names.cache_clear()


def test_a_province_adds_its_own_names(local_names):
    # "Minh Khai" is also an ordinary name: not in the seed list; a province flags its own ward by code
    local_names.write_text("name,code,who,source\n,00697,nhà cách mạng Nguyễn Thị Minh Khai,"
                           "Nghị quyết đặt tên phường của HĐND tỉnh\n", encoding="utf-8")
    reg = load("legacy")
    assert reg.get("00697").place == "Phường Minh Khai"
    assert reg.get("00295").place == "Minh Khai"  # another Minh Khai, not flagged


def test_a_local_name_without_its_source_is_refused_naming_the_line(local_names):
    local_names.write_text("name,code,who,source\nMinh Khai,,,\n", encoding="utf-8")
    unit = load("legacy").get("00697")  # the list is read when a date line is first written, not at load
    with pytest.raises(UserError) as e:
        unit.place
    assert str(local_names) in e.value.message and "dòng 2" in e.value.message
