"""The report's subject line names the next period's focus (issue 24 §3): "… 6 tháng đầu năm, phương hướng, nhiệm vụ
6 tháng cuối năm 2024", a setting per province in templates/deadlines.yaml (next_focus, with its source), checked
strictly at load."""
from __future__ import annotations

import pytest
from dvcq.calendar import deadlines, periods
from dvcq.errors import UserError

from tests.support.paths import SAMPLE
from tests.support.reporttext import report_text
from tests.support.templates import edited_templates

PREFIX = "Kết quả thực hiện công tác dân vận chính quyền "


@pytest.mark.parametrize("code,title", [
    ("2024-H1", "6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối năm 2024"),
    ("2024-9M", "9 tháng đầu năm, phương hướng, nhiệm vụ quý IV năm 2024"),
    ("2024-Y", "năm 2024, phương hướng, nhiệm vụ năm 2025"),
    ("2024-H2", "6 tháng cuối năm 2024, phương hướng, nhiệm vụ 6 tháng đầu năm 2025"),
])
def test_half_year_nine_month_and_annual_titles_name_the_next_periods_focus(code, title):
    p = periods.parse(code)
    cal = deadlines.calendar("38")
    assert cal.names_next(p) and cal.focus_source  # on by default, with its source
    assert p.title_ahead() == PREFIX + title


def test_quarters_and_requested_reports_keep_their_plain_title():
    cal = deadlines.calendar("38")
    assert not cal.names_next(periods.parse("2024-Q2"))
    assert not cal.names_next(periods.parse("2024-CD:15/03/2024-30/09/2024"))


PROVINCE = '''provinces:
  "38":
    name: tỉnh Thanh Hóa
    source: thử
    next_focus: {periods: [Y], source: Công văn thử của UBND tỉnh}
'''


def _own_report(tmp_path) -> str:
    files = sorted(SAMPLE.glob("16231-*.xlsx"))
    return report_text(files, tmp_path / "bc.md")


def test_the_report_takes_its_provinces_setting(tmp_path, monkeypatch):
    assert f"**{PREFIX}6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối năm 2024**" in _own_report(tmp_path)
    edited_templates(tmp_path, monkeypatch, "deadlines.yaml", "provinces: {}\n", PROVINCE)
    assert deadlines.calendar("38").focus_source == "Công văn thử của UBND tỉnh"
    text = _own_report(tmp_path / "off")
    assert f"**{PREFIX}6 tháng đầu năm 2024**" in text and "phương hướng, nhiệm vụ 6 tháng" not in text


@pytest.mark.parametrize("new,says", [
    ('provinces:\n  "38": {name: x, source: y, next_focus: {periods: [H1], nguon: z}}\n', "khóa «nguon»"),
    ('provinces:\n  "38": {name: x, source: y, next_focus: {periods: [H3], source: z}}\n', "khóa «periods»: cần một "
     "trong Q1, Q2, Q3, Q4, H1, H2, 9M, Y, không phải «H3»"),
    ('provinces:\n  "38": {name: x, source: y, next_focus: {periods: [H1]}}\n', "source"),
])
def test_a_malformed_setting_is_refused_naming_file_and_key(tmp_path, monkeypatch, new, says):
    path = edited_templates(tmp_path, monkeypatch, "deadlines.yaml", "provinces: {}\n", new)
    with pytest.raises(UserError) as e:
        deadlines.calendars()
    line = path.read_text(encoding="utf-8").splitlines().index(new.splitlines()[-1]) + 1  # the line of next_focus
    assert e.value.message.startswith(f"Tệp {path}, dòng {line}") and says in e.value.message, e.value.message


def test_dvcq_period_shows_the_title_and_whether_it_names_the_next_period_with_its_source(tmp_path, monkeypatch):
    """As it shows the deadlines: the report's title, the next period, and whether the title names it under
    next_focus with the setting's source (the default's, then a province's own that names only the year's)."""
    from click.testing import CliRunner
    from dvcq.cli import main

    def shown(*args: str) -> list[str]:
        r = CliRunner().invoke(main, ["period", *args])
        assert r.exit_code == 0, r.output
        return [line for line in r.output.splitlines() if line.startswith(("Tên báo cáo", "Kỳ tới"))]

    setting = "thiết lập next_focus trong deadlines.yaml"
    source = deadlines.calendar("38").focus_source
    assert shown("2024-9M", "--parent", "403") == [
        f"Tên báo cáo: {PREFIX}9 tháng đầu năm, phương hướng, nhiệm vụ quý IV năm 2024",
        f"Kỳ tới nêu trong tên báo cáo: Quý IV năm 2024 (theo {setting}: {source})"]
    assert shown("2024-Q2") == [f"Tên báo cáo: {PREFIX}quý II năm 2024",
                                f"Kỳ tới: Quý III năm 2024, không nêu trong tên báo cáo (theo {setting}: {source})"]
    assert shown("2025-Y", "--parent", "403") == [  # the district's part before 1/7/2025: not its next period
        f"Tên báo cáo: {PREFIX}năm 2025, phần trước 01/7/2025",
        "Kỳ tới: Năm 2026, không nêu trong tên báo cáo một phần của kỳ"]
    assert shown("2024-DX:01/08/2024-31/08/2024")[1:] == []  # a requested report has no next period
    edited_templates(tmp_path, monkeypatch, "deadlines.yaml", "provinces: {}\n", PROVINCE)
    assert shown("2024-H1", "--parent", "403") == [
        f"Tên báo cáo: {PREFIX}6 tháng đầu năm 2024",
        f"Kỳ tới: 6 tháng cuối năm 2024, không nêu trong tên báo cáo (theo {setting}: Công văn thử của UBND tỉnh)"]
