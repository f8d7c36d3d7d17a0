"""The roll-up's page header and footer print the same in Excel and LibreOffice (issue 26 §7): they hold no line
break, which Excel prints but a copy saved again stores escaped (openpyxl, for an annotated copy: _x000a_;
Excel: _x000D_) and LibreOffice then prints as it is."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from dvcq.intake.annotate import annotate
from dvcq.intake.validate import validate_file
from dvcq.rollup.consolidate import consolidate_folder

from tests.support.office import convert
from tests.support.paths import SAMPLE

_HF = re.compile(rb"<(odd|even|first)(Header|Footer)>(.*?)</\1\2>", re.S)


def headers(path: Path) -> list[tuple[str, str]]:
    """(part, text) of every header and footer of every sheet, as stored in the XML."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                out += [(name, m.group(3).decode("utf-8")) for m in _HF.finditer(z.read(name))]
    return out


@pytest.fixture(scope="module")
def rollup(tmp_path_factory):
    base = tmp_path_factory.mktemp("header")
    folder = base / "nop"
    folder.mkdir()
    for p in sorted(SAMPLE.glob("1623[14]-*.xlsx")):
        shutil.copy(p, folder / p.name)
    result = consolidate_folder(folder, parent="403", out=base / "tổng hợp.xlsx", db=base / "h.sqlite", workers=1)
    r = validate_file(result.out_path)
    r.issue("duplicate-submission", "in-rollup", used="tong-hop-cu.xlsx")  # any problem: the copy is annotated
    copy = annotate(r, base / "ban-danh-dau-loi")  # saved again by openpyxl
    return base, result.out_path, copy


def test_no_header_or_footer_holds_a_line_break(rollup):
    _, path, copy = rollup
    for f in (path, copy):
        found = headers(f)
        assert any("BIỂU TỔNG HỢP" in t or "&#" in t for _, t in found)
        for part, text in found:
            assert "\n" not in text and "\r" not in text and "&#10;" not in text and "&#xA;" not in text, (f, part)
            assert not re.search(r"_x[0-9A-Fa-f]{4}_", text), (f, part, text)


def test_libreoffice_prints_the_title_and_subtitle_of_the_annotated_copy(rollup, tmp_path, soffice):
    """Both printed by the session's LibreOffice (the soffice fixture; each conversion started its own before)."""
    base, path, copy = rollup
    title = next(t for _, t in headers(path) if "BIỂU TỔNG HỢP" in t)
    title = re.sub(r'&amp;"[^"]*"|&amp;\d+|&amp;[A-Z]', "", title).strip()
    for f in (path, copy):
        pdf = convert(soffice, f, "pdf", tmp_path / f.stem)
        text = subprocess.run(["pdftotext", "-l", "3", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "_x000" not in text
        assert title in text
        assert "Huyện Như Thanh - 6 tháng đầu năm 2024" in text
