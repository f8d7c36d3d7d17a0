"""The offline Windows bundle (make wheelhouse): complete for every supported Python, and its installer."""
from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.packaging.scripts import wheelhouse
from tests.support.paths import ROOT
from tests.support.vietnamese import english_words

PATH_VARS = re.compile(r"%(?:VENV|OUT|BUNDLE|LOCALAPPDATA|USERPROFILE|~dp0)%?")


def offline_env() -> dict[str, str]:
    """This process's environment without any pip configuration (no extra index, no find-links)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return {**env, "PIP_CONFIG_FILE": os.devnull}


def unmet_requirements(chosen: dict[str, dict], python: str) -> list[str]:
    """Requirements of the chosen distributions, for Windows + ``python``, that the choice lacks."""
    environment = {**wheelhouse.windows_environment(python), "extra": ""}
    missing = []
    for item in chosen.values():
        for req in map(Requirement, item["metadata"].get("requires_dist", [])):
            if req.marker is not None and not req.marker.evaluate(environment):
                continue
            dist = chosen.get(canonicalize_name(req.name))
            if dist is None or not req.specifier.contains(dist["metadata"]["version"], prereleases=True):
                missing.append(f"{item['metadata']['name']} needs {req}")
    return missing


def test_bundle_installs_dvcq_without_index_on_python_3_10_to_3_14(ram_path, monkeypatch):
    # One test, so that the download (PyPI) happens once even under pytest-xdist. The bundle (75 MB) and pip's
    # temporary files (the isolated build's environment, the downloads before they reach the bundle) in memory.
    tmp_path = ram_path
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))  # read by the pip processes (tempfile)
    try:
        bundle = wheelhouse.build_wheelhouse(tmp_path / "dvcq-windows")
    except wheelhouse.WheelhouseError as exc:
        pytest.fail(f"building the Windows bundle failed; this test needs PyPI:\n{exc}")
    (dvcq_wheel,) = bundle.glob("dvcq-*.whl")
    runs = {}
    assert wheelhouse.PYTHONS == ("3.10", "3.11", "3.12", "3.13", "3.14")  # python.org's default is 3.14
    for python in wheelhouse.PYTHONS:  # the dry runs at once
        report = tmp_path / f"report-{python}.json"
        cmd = wheelhouse.pip_as_windows(python, "install", "--dry-run", "--ignore-installed", "--no-index",
                                        "--find-links", str(bundle), "--target", str(tmp_path / "target"),
                                        "--report", str(report), "--quiet", "dvcq")
        runs[python] = report, subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=offline_env())
    for python, (report, proc) in runs.items():
        stderr = proc.communicate()[1]
        assert proc.returncode == 0, f"Python {python}: the bundle does not resolve:\n{stderr}"
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
        chosen = {canonicalize_name(i["metadata"]["name"]): i for i in installs}
        assert chosen["dvcq"]["download_info"]["url"] == dvcq_wheel.as_uri()
        assert {Path(i["download_info"]["url"]).parent.name for i in installs} == {bundle.name}
        assert "pywin32" in chosen, "xlwings needs pywin32 on Windows: markers were evaluated for Linux"
        assert unmet_requirements(chosen, python) == [], python
    assert (bundle / "cai-dat.bat").read_bytes().count(b"\r\n") > 50
    assert {"cai-dat.bat", "cai-dat.py", "cai-lai-tu-dau.bat", "HUONG-DAN.txt"} <= {p.name for p in bundle.iterdir()}
    shutil.rmtree(bundle)  # 75 MB; kept when the test fails on disk (ram_path removes its folder anyway)


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("texts")
    wheelhouse.copy_texts(out)
    return out


@pytest.mark.parametrize("name", ["cai-dat.bat", "cai-lai-tu-dau.bat", "cai-dat.py", "HUONG-DAN.txt"])
def test_texts_are_crlf_utf8_without_bom(texts, name):
    raw = (texts / name).read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") > 4
    assert not raw.startswith(codecs.BOM_UTF8)
    raw.decode("utf-8")  # strict


def test_installer_switches_to_utf8_before_any_vietnamese_text(texts):
    raw = (texts / "cai-dat.bat").read_bytes()
    first_lines = raw.split(b"\r\n")[:2]
    assert first_lines == [b"@echo off", b"chcp 65001 >nul"]
    assert raw.decode("utf-8").count("Python") > 5 and max(raw) > 127  # Vietnamese, so really UTF-8


@pytest.mark.parametrize("name", ["cai-dat.bat", "cai-lai-tu-dau.bat"])
def test_installer_quotes_every_path(texts, name):
    lines = (texts / name).read_text(encoding="utf-8").splitlines()
    code = [line.strip() for line in lines if not line.strip().lower().startswith("rem ")]
    for line in code:
        outside_quotes = line.split('"')[::2]
        assert not any(PATH_VARS.search(part) for part in outside_quotes), f"unquoted path: {line}"
    text = "\n".join(code)
    assert '"%~dp0"' not in text  # a trailing \ escapes the quote
    if name == "cai-dat.bat":
        assert 'set "VENV=%LOCALAPPDATA%\\dvcq\\.venv"' in text and 'set "BUNDLE=%~dp0."' in text
        assert "pause" in code


def test_installer_installs_offline_from_the_bundle():
    source = (ROOT / "packaging" / "windows" / "cai-dat.py").read_text(encoding="utf-8")
    assert '"--no-index", "--find-links", str(BUNDLE)' in source
    assert 'env["PIP_CONFIG_FILE"] = os.devnull' in source  # no pip.ini of the PC sends pip to the internet
    assert 'Path(local) / "dvcq" / ".venv"' in source


def test_installer_stops_at_every_failed_step(texts):
    code = [line.strip() for line in (texts / "cai-dat.bat").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    run = next(i for i, line in enumerate(code) if line.startswith('%PY% "%BUNDLE%\\cai-dat.py"'))
    assert code[run + 1] == "if errorlevel 1 goto :fail"
    for i, line in enumerate(code):
        if line.endswith("(") and line.startswith("if ") and "goto :fail" in code[i + 1:code.index(")", i)]:
            block = code[i + 1:code.index(")", i)]  # every failing check says [LỖI] and goes to :fail
            assert block[0].startswith("echo [LỖI]") and block[-1] == "goto :fail", line


def test_installer_parentheses_are_balanced_and_escaped_inside_blocks(texts):
    # cmd ends a parenthesized block at the first bare ")", even in an echo line.
    depth = 0
    for line in (texts / "cai-dat.bat").read_text(encoding="utf-8").splitlines():
        bare = "".join(line.strip().split('"')[::2]).replace("^(", "").replace("^)", "")
        if bare.lower().startswith("rem "):
            continue
        if depth and bare.lower().startswith("echo"):
            assert ")" not in bare, line
        depth += bare.count("(") - bare.count(")")
        assert depth >= 0, line
    assert depth == 0


def test_guide_tells_to_unblock_and_that_buttons_need_excel(texts):
    guide = (texts / "HUONG-DAN.txt").read_text(encoding="utf-8")
    for needed in ("cai-dat.bat", "cai-lai-tu-dau.bat", "Bỏ chặn", "Thuộc tính", "Microsoft Excel", "LibreOffice",
                   "dvcq-dieu-khien.xlsm", "Giải nén tất cả", "python.org", "py.exe", "python-3.13", "-amd64.exe",
                   "Microsoft Store", "dvcq-dieu-khien.ods", "Trusted File Locations"):
        assert needed in guide, needed


def _walk(guide: str) -> str:
    """The guide's way from a fresh PC to a first report: section 1 (install, the first click) and section 7
    (the buttons), as HUONG-DAN.txt has them."""
    def section(n: int) -> str:
        start = re.search(rf"^{n}\. .+\n-+\n", guide, re.M)
        end = re.search(rf"^{n + 1}\. .+\n-+\n", guide, re.M)
        return guide[start.start():end.start()]

    return section(1) + section(7)


def test_the_way_from_a_fresh_pc_to_a_first_report_has_no_english_word(texts):
    walk = _walk((texts / "HUONG-DAN.txt").read_text(encoding="utf-8"))
    assert "cai-dat.bat" in walk and "Bật nội dung" in walk and "Xuất báo cáo" in walk and len(walk) > 8000
    assert english_words(walk) == []


def test_the_first_click_checklist_covers_blocked_files_macros_and_python(texts):
    walk = " ".join(_walk((texts / "HUONG-DAN.txt").read_text(encoding="utf-8")).split())
    checklist = walk[walk.index("Lần đầu bấm nút trên một máy mới Mở"):]
    for seen, fix in (("RỦI RO BẢO MẬT", "Bỏ chặn"), ("CẢNH BÁO BẢO MẬT", "Bật nội dung"),
                      ("Tắt tất cả macro có thông báo", "Vị trí Tin cậy"),
                      ("Không thấy Python của dvcq", "cai-dat.bat"), ("Python không nạp được dvcq", "cai-lai-tu-dau.bat"),
                      ("Không thấy thư mục biểu nộp", "sẵn sàng")):
        assert seen in checklist and fix in checklist, seen


def test_guide_is_the_docs_guide_as_plain_text_with_its_pictures(texts):
    # HUONG-DAN.txt is docs/huong-dan-su-dung.md for Notepad: no Markdown left, every picture it names shipped
    guide = (texts / "HUONG-DAN.txt").read_text(encoding="utf-8")
    source = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    for mark in ("](", "**", "`", "](#", "|---"):
        assert mark not in guide, mark
    titles = re.findall(r"^## (.+)$", source, re.M)
    assert len(titles) == 9 and all(f"{t}\n{'-' * len(t)}\n" in guide for t in titles)
    named = re.findall(r"hinh\\([\w.-]+\.png)", guide)
    assert sorted(set(named)) == sorted(re.findall(r"\(img/([\w.-]+\.png)\)", source))
    assert named and all((texts / "hinh" / name).stat().st_size > 1000 for name in named)
