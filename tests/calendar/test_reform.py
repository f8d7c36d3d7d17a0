"""The 2025 reform, explicitly (issue 15, part 5): districts were abolished on 1 July 2025. A province's
figures are compared across it only with a label and never as a growth of unit counts; a commune's
are not compared at all; a commune abolished then is found and told where it went."""
from __future__ import annotations

from click.testing import CliRunner
from dvcq.calendar.periods import parse
from dvcq.cli import main
from dvcq.forms.labels import reform_note
from dvcq.rollup.compare import Sets, reason
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.samples.sample import write_samples
from dvcq.units.registry import ACROSS_REFORM, NOT_COMPARABLE, SAME_UNITS, comparison, load

from tests.support.reporttext import report_text


def test_what_can_be_compared_with_the_year_before():
    y25, y24 = parse("2025-Y"), parse("2024-Y")
    new, old = load("2025"), load("legacy")
    assert comparison(y25, y24, new.get("38")) == ACROSS_REFORM  # Thanh Hóa: the same territory
    commune = new.children("38")[0]
    assert comparison(y25, y24, commune) == NOT_COMPARABLE  # a 2025 commune merged several old ones
    assert comparison(y24, parse("2023-Y"), old.get("403")) == SAME_UNITS


def test_a_province_across_the_reform_is_compared_with_a_label_and_no_unit_counts(tmp_path):
    db = tmp_path / "lich-su.sqlite"
    # 2024-Y: Thanh Hóa from the communes of one district (three-tier era)
    old = tmp_path / "2024"
    write_samples("403", "2024-Y", old, seed=3, forms=("bao-cao-dinh-ky",))
    consolidate_folder(old, period="2024-Y", parent="38", db=db, out=tmp_path / "th-2024.xlsx", workers=1)
    # 2025-Y: Thanh Hóa from three of its 2025 communes (two-tier era)
    kids = [u.code for u in load("2025").children("38")[:3]]
    new = tmp_path / "2025"
    write_samples("38", "2025-Y", new, seed=4, forms=("bao-cao-dinh-ky",), children=kids)
    result = consolidate_folder(new, period="2025-Y", parent="38", db=db, out=tmp_path / "th-2025.xlsx", workers=1)
    note = reform_note(2024, annual=True)
    # an annual report speaks of the previous year as a whole, never of "cùng kỳ" (issue 24 §3)
    assert note.startswith("Số liệu năm 2024 là") and "cùng kỳ" not in note
    assert result.previous is not None and note in result.notes
    md = tmp_path / "bc.md"
    report_text(result.out_path, md, db=db)
    text = md.read_text(encoding="utf-8")
    # issue 22 §6: another set of units (the reform) is said once, last year's figures given beside this year's,
    # never a change in percent across it
    assert reason(Sets(None, None, True), 2024, annual=True) in text
    assert "cùng kỳ năm 2024" not in text
    assert "so với cùng kỳ" not in text and "(năm 2024: " in text
    dv03 = next(s for line in text.splitlines() for s in line.split(". ") if "đã ra mắt" in s)
    assert "năm 2024" not in dv03  # a count of units is never set beside last year's across the reform


def test_a_commune_abolished_in_2025_is_found_with_where_it_went():
    out = CliRunner().invoke(main, ["unit", "Phượng Nghi", "--period", "2025-Y"])
    assert out.exit_code == 0, out.output
    assert "Xã Phượng Nghi (16240) đã sáp nhập vào Xã Xuân Du (16234) từ 01/07/2025." in out.output
