"""`--json` as programs read it (the LibreOffice buttons' macro first): one UTF-8 document on standard
output whatever the console's code page, with the paths written and the words a control workbook's
button shows (``status_line``, ``table``), as the library's result objects give them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dvcq.intake.issues import Report
from dvcq.rollup.consolidate import ConsolidationResult
from dvcq.samples.sample import write_samples
from python_calamine import CalamineWorkbook

from tests.support.cli import dvcq as run
from tests.support.paths import SAMPLE
from tests.support.rawfigures import read_check

CHILDREN = ["16228", "16231"]


def dvcq(*args, encoding: str | None = None, home: Path | None = None):
    """Run dvcq; ``encoding``: the code page of its standard output (a Windows console's, cp1252)."""
    env = dict(os.environ)
    env.pop("PYTHONUTF8", None)
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    if home:
        env["DVCQ_HOME"] = str(home)
    r = subprocess.run([sys.executable, "-m", "dvcq", *map(str, args)], capture_output=True, env=env)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("json") / "Biểu nộp"
    write_samples("403", "2024-H1", folder, seed=3, errors=True, children=CHILDREN)
    return folder


def test_validate_json_is_utf_8_on_a_windows_code_page(submissions):
    """A Windows console's code page (cp1252 has no "ầ", "ể"): without UTF-8 forced, the JSON came out in that
    code page, Vietnamese letters replaced, and a program reading UTF-8 could not read it. The macro passes
    --annotate= for an empty «Thư mục ghi kết quả»: the copies go where the Excel button puts them."""
    code, out, err = dvcq("validate", submissions, "--json", "--annotate=", encoding="cp1252")
    assert code == 1, err
    data = json.loads(out.decode("utf-8"))
    assert any("ể" in i["message"] for f in data["files"] for i in f["issues"])
    names = sorted(p.name for p in submissions.iterdir())  # the workbooks and the list of injected errors
    assert sorted(Path(f["path"]).name for f in data["files"]) == names
    bad = sum(1 for f in data["files"] if f["errors"])
    c = data["counts"]
    assert bad and c["invalid"] == bad and c["skipped"] == 1
    assert data["status_line"] == (f"Đã kiểm tra {len(names)} tệp: {c['ok']} hợp lệ, {bad} có lỗi, 0 không đọc được, "
                                   "1 bỏ qua.")
    assert data["table"]["header"] == list(Report.PROBLEM_HEADER)
    issues = sum(max(1, len(f["issues"])) for f in data["files"])
    assert len(data["table"]["rows"]) == issues  # a row per problem, one for a file without any
    annotated = [Path(f["annotated_path"]) for f in data["files"] if f["annotated_path"]]
    assert annotated and {p.parent for p in annotated} == {submissions.parent / "ket-qua" / "ban-danh-dau-loi"}


def test_consolidate_json_has_the_ledger_unit_by_unit(submissions, tmp_path):
    code, out, err = dvcq("consolidate", submissions, "--json", "--out", tmp_path / "kết quả", encoding="cp1252",
                          home=tmp_path)
    assert code == 0, err
    data = json.loads(out.decode("utf-8"))
    assert Path(data["out_path"]).parent == tmp_path / "kết quả" and Path(data["out_path"]).is_file()
    table = data["table"]
    assert table["header"] == list(ConsolidationResult.LEDGER_HEADER)
    by_code = {row[0]: row for row in table["rows"]}
    assert len(by_code) == data["units"]["expected"] == len(table["rows"])
    sent = {p.name.split("-")[0] for p in submissions.glob("*.xlsx")}  # unit codes lead the file names
    assert {c for c, row in by_code.items() if row[2] == "Có"} <= sent
    assert {c for c, row in by_code.items() if row[2] == "Chưa"} == set(data["missing"])
    assert data["status_line"].startswith(f"Tổng hợp {data['parent']['name']}, {data['period_label']}: ")


def test_report_and_plan_print_the_paths_they_wrote(submissions, tmp_path):
    # the roll-up to report on, consolidated in this process (the previous test runs consolidate's process)
    made = run("consolidate", submissions, "--json", "--out", tmp_path / "tong-hop.xlsx", env={"DVCQ_HOME": str(tmp_path)})
    rollup = Path(json.loads(made.stdout)["out_path"])
    code, out, err = dvcq("report", rollup, "--json", "--md", tmp_path / "bao cáo.md", encoding="cp1252",
                          home=tmp_path)
    assert code == 0, err
    data = json.loads(out.decode("utf-8"))
    check = tmp_path / "bao-cao-tong-hop-doi-chieu.xlsx"  # the check sheet beside the report (issue 22)
    figures, _, _ = read_check(check)
    assert data == {"out_path": str(tmp_path / "bao-cao-tong-hop.docx"), "md_path": str(tmp_path / "bao cáo.md"),
                    "check_path": str(check), "figures": len(figures), "warnings": [], "notes": [],
                    "status_line": f"Đã ghi báo cáo bao-cao-tong-hop.docx và bảng đối chiếu số liệu {check.name}."}
    assert Path(data["out_path"]).stat().st_size > 10_000 and Path(data["md_path"]).is_file()

    plan = next(SAMPLE.glob("403-*-ke-hoach-*.xlsx"))
    code, out, err = dvcq("plan", plan, "--json", "--out", tmp_path / "kế hoạch.docx", encoding="cp1252")
    assert code == 0, err
    data = json.loads(out.decode("utf-8"))
    rows = CalamineWorkbook.from_path(str(plan)).get_sheet_by_name("Nhiệm vụ").to_python()
    numbered = next(i for i, row in enumerate(rows) if row[0] == "(1)")
    tasks = sum(1 for row in rows[numbered + 1:] if str(row[2]).strip())
    assert data["out_path"] == str(tmp_path / "kế hoạch.docx") and Path(data["out_path"]).is_file()
    assert data["tasks"] == tasks and data["md_path"] is None
    assert data["status_line"].startswith(f"Đã ghi kế hoạch kế hoạch.docx ({tasks} nhiệm vụ, {data['bodies']} cơ quan")

    # plan --import in this process (plan's process just ran): the same --json printer
    r = run("plan", "--import", next(Path(__file__).parents[1].glob("documents/plans/*.txt")),
            "--out", tmp_path / "nhập.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["out_path"] == str(tmp_path / "nhập.xlsx") and Path(data["out_path"]).is_file()
    assert {"tasks", "bodies", "unplaced", "notes", "period", "unit"} <= set(data)
