"""The command line as a newcomer meets it: Vietnamese help and usage errors, status 2, no English."""
from __future__ import annotations

import csv
import subprocess
import sys

import click
import pytest
from dvcq.calendar.periods import parse
from dvcq.cli.commands import forms
from dvcq.forms import spec
from dvcq.units.groups import LIST_LIMIT
from dvcq.units.registry import for_period

from tests.support.cli import dvcq as run
from tests.support.paths import SAMPLE

ENGLISH = ("Usage:", "Error:", "Options:", "Commands:", "Try '", "does not exist", "Missing", "No such")


def dvcq(*args):
    """A real `python -m dvcq` process: for help, a usage error and `unit` (the other tests run the commands in
    this process, tests/support/cli.py)."""
    return subprocess.run([sys.executable, "-m", "dvcq", *map(str, args)], capture_output=True, text=True)


def test_help_is_vietnamese():
    r = dvcq("--help")
    assert r.returncode == 0
    assert "Cách dùng: dvcq [TÙY_CHỌN] LỆNH" in r.stdout and "Tùy chọn:" in r.stdout and "Lệnh:" in r.stdout
    for command in ("build", "forms", "sample", "validate", "consolidate", "report", "unit", "period"):
        assert f"  {command} " in r.stdout, command
    assert not [w for w in ENGLISH if w in r.stdout]


@pytest.mark.parametrize("args,expected", [
    (("validate", "/khong/co/thu-muc"), "không tìm thấy '/khong/co/thu-muc'"),
    (("consolidate",), "Thiếu tham số 'THƯ_MỤC'"),
    (("validte", "x"), "Không có lệnh 'validte'. Có phải ý là 'validate'?"),
    (("forms", "--parent", "403", "--period", "2024-H1", "--out", "x", "--form", "sai"), "'sai' không phải một trong"),
    (("sample", "--parent", "403"), "Thiếu tùy chọn '--period'"),
    (("report", "--khong-co"), "Không có tùy chọn '--khong-co'"),
])
def test_usage_errors_are_one_vietnamese_message_and_status_2(args, expected):
    r = run(*args)
    assert r.returncode == 2
    assert expected in r.stderr and "Lỗi: " in r.stderr and "Traceback" not in r.stderr
    assert not [w for w in ENGLISH if w in r.stderr], r.stderr


def test_a_usage_error_is_the_process_status_2():
    """The same as the process's exit status and standard error (the other usage errors run in-process)."""
    r = dvcq("validte", "x")
    assert r.returncode == 2 and "Lỗi: Không có lệnh 'validte'. Có phải ý là 'validate'?" in r.stderr
    assert not r.stdout and "Traceback" not in r.stderr


def test_a_name_shared_by_several_units_lists_them_with_codes():
    from dvcq.units.registry import DATA, FILES

    with open(DATA / FILES["2025"], encoding="utf-8", newline="") as f:
        same = [r["code"] for r in csv.DictReader(f) if r["level"] == "commune" and r["name"].endswith(" Tân Phú")
                and r["name"].split(" Tân Phú")[0] in ("Xã", "Phường", "Thị trấn", "Đặc khu")]
    assert len(same) > 1
    r = dvcq("unit", "tan phu", "--period", "2025-Y")
    assert r.returncode == 2 and f"Có {len(same)} đơn vị tên «tan phu»" in r.stderr
    assert all(code in r.stderr for code in same)


def test_annotate_without_a_folder_writes_where_the_button_does(tmp_path):
    """`--annotate` alone puts the copies in ket-qua/ban-danh-dau-loi beside the submissions, as the
    Kiểm tra button does (dvcq.outputs); `--annotate DIR` where asked."""
    from dvcq.samples.sample import write_samples

    sub = tmp_path / "Báo cáo 6 tháng" / "nộp"
    write_samples("403", "2024-H1", sub, seed=3, errors=True, children=["16228", "16231"])
    r = run("validate", sub, "--annotate")
    assert r.returncode == 1, r.stderr
    default = sorted((tmp_path / "Báo cáo 6 tháng" / "ket-qua" / "ban-danh-dau-loi").glob("*-can-sua.xlsx"))
    assert default
    run("validate", sub, "--annotate", tmp_path / "sửa")
    assert [p.name for p in sorted((tmp_path / "sửa").glob("*.xlsx"))] == [p.name for p in default]


def test_the_form_choice_of_the_cli_is_the_specs_form_ids():
    """cli.py writes the form ids out (so --help loads no specification); they must stay the specs' ids."""
    option = next(p for p in forms.params if p.name == "form_ids")
    assert tuple(option.type.choices) == spec.FORM_IDS


def test_the_readme_command_table_and_the_help_name_the_same_options():
    """Each command's row of the README's table names exactly its options (a flag pair by either name)."""
    import re

    from dvcq.cli import main

    from tests.support.paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        row = re.search(rf"^\| (`dvcq {name}\b.*?) \| ", readme, re.M)  # the row's first cell, every usage
        assert row, f"README's command table has no row for dvcq {name}"
        written = set(re.findall(r"--[a-z-]+", row.group(1)))
        options = [p for p in command.params if isinstance(p, click.Option) and "--help" not in p.opts]
        for p in options:
            assert written & set(p.opts + p.secondary_opts), (name, p.opts)
        known = {o for p in options for o in p.opts + p.secondary_opts}
        assert written <= known, (name, written - known)
        assert "--help" in run(name, "--help").stdout


def test_the_period_codes_are_in_the_help():
    r = run("--help")
    text = " ".join(r.stdout.split())
    assert "2024-H2 (6 tháng cuối năm)" in text and "2024-CD:15/03/2024-30/09/2024" in text
    assert "period Tên kỳ, khoảng số liệu và hạn gửi của một kỳ báo cáo." in text
    assert "--year NĂM" in run("build", "--help").stdout


def test_consolidate_lists_what_is_missing_by_district_capped(tmp_path):
    """A province consolidating one district's communes directly: «Chưa nộp» is a line per district of the
    others (with its count, at most LIST_LIMIT names and «và N đơn vị khác»), then the districts' own rows
    (each district's own files are its own row: issue 22 §7), the bodies and the issuer, never one line of 500
    names."""
    r = run("consolidate", SAMPLE, "--parent", "38", "--out", tmp_path / "t.xlsx", "--db", tmp_path / "h.sqlite")
    assert r.returncode == 0, r.stderr
    period = parse("2024-H1")
    reg = for_period(period)
    sent = {p.name.split("-")[0] for p in SAMPLE.glob("*.xlsx")}
    by_district: dict[str, int] = {}
    for unit in reg.communes_under("38"):
        if unit.code not in sent:
            district = reg.get(unit.parent_code).running_name  # "Xã, thị trấn của huyện Quan Hóa (15): …"
            by_district[district] = by_district.get(district, 0) + 1
    out = r.stdout.splitlines()
    start = next(i for i, line in enumerate(out) if line.strip().startswith("Chưa nộp ("))
    own_missing = [d for d in reg.children("38") if d.level == "district" and d.code not in sent]
    missing = sum(by_district.values()) + len(own_missing) + len(reg.bodies("38", period)) + 1
    assert out[start].strip() == f"Chưa nộp ({missing} đơn vị):"
    lines = [line.strip() for line in out[start + 1:] if line.startswith("    - ")]
    for district, n in by_district.items():
        line = next(x for x in lines if f" của {district} ({n}):" in x)
        names = line.split("): ", 1)[1]
        assert (f"và {n - LIST_LIMIT} đơn vị khác." in names) == (n > LIST_LIMIT)
        assert names.count(",") + 1 <= LIST_LIMIT
    assert "Huyện Như Thanh" not in r.stdout.split("Chưa nộp")[1]  # all its communes sent
    assert max(len(line) for line in out) < 400


def test_workers_of_the_console_script_do_not_import_the_command_line(tmp_path):
    """Run as a console script (what pip writes for `dvcq`, and dvcq.exe on Windows), the main module is that
    script, which spawned workers ran again before their work: click and the command line in each of them."""
    script = tmp_path / "dvcq"
    script.write_text("import sys\nfrom dvcq.cli import main\nif __name__ == '__main__':\n    sys.exit(main())\n",
                      encoding="utf-8")
    r = subprocess.run([sys.executable, "-X", "importtime", str(script), "validate", str(SAMPLE), "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    assert '"files"' in r.stdout
    loads = [line for line in r.stderr.splitlines() if line.rstrip().endswith("| dvcq.cli")]
    assert len(loads) == 1, loads  # the command's own process only, not its two workers
