"""Hardened intake (issue 11): far cells, lying zip headers, one entry point, stale temp files,
structure errors reported once per sheet. Every bad file is made here by code from real workbooks."""
from __future__ import annotations

import io
import json
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from dvcq.intake import sniff as sn
from dvcq.intake.read import MAX_COLS, MAX_ROWS, clip_far_cells, load
from dvcq.intake.validate import validate_file
from dvcq.rollup.consolidate import consolidate_folder

from tests.support import corpus
from tests.support.cli import dvcq as run

FAR = "XFD1048576"


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> part name, from the workbook's own XML (independent of dvcq.intake.read)."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({a: b for b, a in re.findall(r'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    return {n: "xl/" + targets[r].lstrip("/").removeprefix("xl/")
            for n, r in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', wb)}


def rewrite(src: Path, dst: Path, edits: dict[str, bytes]) -> Path:
    """A copy of a workbook with some parts replaced (the zip rewritten by zipfile)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, edits.get(info.filename, zin.read(info.filename)))
    return dst


def with_far_cell(src: Path, dst: Path, part: str, value: str) -> Path:
    """The workbook with one string cell at XFD1048576 ('' is the empty string that aborted calamine)."""
    with zipfile.ZipFile(src) as z:
        xml = z.read(part)
    cell = f'<row r="1048576"><c r="{FAR}" t="inlineStr"><is><t>{value}</t></is></c></row>'.encode()
    if b"<sheetData/>" in xml:
        xml = xml.replace(b"<sheetData/>", b"<sheetData>" + cell + b"</sheetData>")
    else:
        xml = xml.replace(b"</sheetData>", cell + b"</sheetData>")
    return rewrite(src, dst, {part: xml})


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """One workbook of each form and a roll-up of them."""
    base = tmp_path_factory.mktemp("intake")
    folder = base / "nop"
    folder.mkdir()
    forms = [corpus.write_report(folder), corpus.write_log(folder), corpus.write_plan(folder)]
    rollup = consolidate_folder(folder, db=base / "db.sqlite", out=base / "tong-hop.xlsx", workers=1).out_path
    return forms + [Path(rollup)]


def _outcome(path: Path) -> tuple:
    r = validate_file(path)
    return r.status, sorted((i.code, i.sheet, i.cell) for i in r.issues)


RUNNER = """
import json, sys
from dvcq.intake.validate import validate_file
from dvcq.intake.readback import load_rollup
out = []
for p in sys.argv[1:]:
    r = validate_file(p)
    item = {"path": p, "status": r.status, "issues": sorted([i.code, i.sheet, i.cell] for i in r.issues)}
    if r.form_id == "tong-hop":
        item["rollup_units"] = len(load_rollup(p).units)
    out.append(item)
print(json.dumps(out))
"""


def test_a_far_cell_on_any_sheet_costs_nothing(workbooks, tmp_path):
    """XFD1048576 (empty and not) on every sheet of every form and of a roll-up: same outcome as the
    original file. Run in a subprocess with a memory limit, so a regression aborts it, not pytest."""
    cases, expected = [], {}
    for src in workbooks:
        want = _outcome(src)
        for sheet, part in sheet_parts(src).items():
            for value in ("", "x"):
                dst = tmp_path / f"{len(cases):03d}-{src.stem}.xlsx"
                with_far_cell(src, dst, part, value)
                cases.append(dst)
                expected[str(dst)] = (want, src)
    assert len(cases) >= 2 * (5 + 4 + 4 + 8)
    before = {p: p.read_bytes() for p in cases}
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
    proc = subprocess.run([sys.executable, "-c", limit + RUNNER, *map(str, cases)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for item in json.loads(proc.stdout):
        (status, issues), src = expected[item["path"]]
        assert (item["status"], [tuple(i) for i in item["issues"]]) == (status, issues), item["path"]
        if "rollup_units" in item:
            assert item["rollup_units"] == 1
    assert all(p.read_bytes() == b for p, b in before.items())


def test_clipping_drops_only_far_rows_and_cells():
    near = f'<row r="{MAX_ROWS}"><c r="A{MAX_ROWS}"><v>1</v></c><c r="{FAR}" t="str"><v>x</v></c></row>'
    xml = (f'<worksheet><sheetData><row r="1"><c r="A1"><v>2</v></c><c t="str" r="xfd1"><v>y</v></c></row>{near}'
           f'<row r="{MAX_ROWS + 1}" ht="20"><c r="B{MAX_ROWS + 1}"><v>3</v></c></row></sheetData></worksheet>').encode()
    out = clip_far_cells(xml)
    assert out == (f'<worksheet><sheetData><row r="1"><c r="A1"><v>2</v></c></row><row r="{MAX_ROWS}">'
                   f'<c r="A{MAX_ROWS}"><v>1</v></c></row></sheetData></worksheet>').encode()
    normal = b'<sheetData><row r="5"><c r="AQ5"><v>1</v></c></row></sheetData>'
    assert clip_far_cells(normal) is normal and MAX_COLS >= 43


# --- sizes: what is inflated, not what is declared --------------------------------------------

def lie_about_size(path: Path, part: str, declared: int = 0) -> Path:
    """Patch the local and central headers of one part to declare ``declared`` uncompressed bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(part)
    assert data[info.header_offset:info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    start = data.rindex(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, start + 16)[0]
    pos = cd_offset
    while data[pos:pos + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + n].decode() == part:
            struct.pack_into("<I", data, pos + 24, declared)
        pos += 46 + n + m + k
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(part).file_size == declared
    return path


def padded(src: Path, dst: Path, part: str, size: int) -> Path:
    """A copy of the workbook with ``size`` spaces more in one sheet part, deflated at the fastest level (they pack
    about 200 times; 0.1 s of CPU for 64 MiB, the default level 0.35 s)."""
    with zipfile.ZipFile(src) as z:
        xml = z.read(part)
    xml = xml.replace(b"</sheetData>", b" " * size + b"</sheetData>")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            zout.writestr(info, xml if info.filename == part else zin.read(info.filename), compresslevel=1)
    return dst


@pytest.mark.parametrize("sheet", ["Chỉ tiêu", "Danh mục"])
def test_a_part_declared_empty_that_inflates_past_the_part_limit_is_refused(workbooks, tmp_path, sheet):
    """The part inflates one byte past the code's own cap on a part (sn.MAX_PART_BYTES, read here, not copied),
    whatever it declares; the whole file stays under the old guard on the declared sizes. (Was 180 MiB of
    padding: the same refusal, at 2.8 times the deflating and inflating.)"""
    src = workbooks[0]
    part = sheet_parts(src)[sheet]
    bad = lie_about_size(padded(src, tmp_path / "noi-dung-lon.xlsx", part, sn.MAX_PART_BYTES + 1), part)
    before = bad.read_bytes()
    with zipfile.ZipFile(bad) as z:
        assert sum(i.file_size for i in z.infolist()) < sn.MAX_UNCOMPRESSED_BYTES  # the old guard passed it
    s = sn.sniff(bad)
    assert (s.status, s.code) == ("unreadable", "too-large") and bad.name in s.message
    r = validate_file(bad)
    assert r.status == "unreadable" and [i.code for i in r.issues] == ["too-large"]
    assert bad.name in r.issues[0].message and "từ chối" in r.issues[0].message
    assert bad.read_bytes() == before


def test_a_part_whose_header_lies_small_is_corrupt_not_cut(workbooks, tmp_path):
    src = workbooks[0]
    part = sheet_parts(src)["Chỉ tiêu"]
    bad = tmp_path / "khai-sai.xlsx"
    bad.write_bytes(src.read_bytes())
    lie_about_size(bad, part, 0)
    r = validate_file(bad)
    assert r.status == "unreadable" and [i.code for i in r.issues] == ["corrupt"]
    assert bad.name in r.issues[0].message and part in r.issues[0].message


def test_a_normal_workbook_is_proven_small_without_inflating(workbooks, monkeypatch):
    def fail(*a, **k):
        raise AssertionError("inflated")

    monkeypatch.setattr(sn, "inflate", fail)
    assert all(sn.sniff(p).status == "readable" for p in workbooks)


def test_inflate_caps_parts_and_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "nhieu-phan.xlsx"
    blob = os.urandom(1 << 16)  # incompressible: real 64 KiB per part
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for k in range(4):
            z.writestr(f"xl/media/image{k}.bin", blob)
    monkeypatch.setattr(sn, "MAX_PART_BYTES", 1 << 15)
    monkeypatch.setattr(sn, "MAX_UNCOMPRESSED_BYTES", 5 << 16)
    assert sn.sniff(path).code == "too-large"  # each part is over the part cap
    monkeypatch.setattr(sn, "MAX_PART_BYTES", 1 << 17)
    assert sn.sniff(path).status == "readable"
    for k in range(4):
        lie_about_size(path, f"xl/media/image{k}.bin", 0)
    assert sn.sniff(path).code == "corrupt"  # declared 0, inflated within the caps: the headers lie


# --- one entry point for every command --------------------------------------------------------

def test_report_refuses_a_rollup_that_validate_refuses(workbooks, tmp_path):
    src = workbooks[-1]
    bad = tmp_path / "tong-hop-them.xlsx"
    bad.write_bytes(src.read_bytes())
    with zipfile.ZipFile(bad, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:  # fastest: 0.25 s of CPU, not 1 s
        z.writestr("xl/media/them.bin", b"\0" * (199 << 20))
    before = bad.read_bytes()
    assert validate_file(bad).issues[0].code == "too-large"
    proc = run("report", bad, "--out", tmp_path / "bc.docx", env={"DVCQ_DEBUG": None})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and bad.name in proc.stderr and "quá lớn" in proc.stderr
    assert not (tmp_path / "bc.docx").exists()
    assert bad.read_bytes() == before
    with pytest.raises(sn.BookError) as exc:
        load(bad)
    assert exc.value.code == "too-large"


def test_report_names_an_unreadable_commune_file(tmp_path):
    bad = tmp_path / "bao-cao-hong.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    proc = run("report", bad)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and bad.name in proc.stderr


# --- temporary files of killed runs --------------------------------------------------------------

KILLED_WRITER = """
import sys, time
from pathlib import Path
from dvcq.outputs import write_atomic

def writer(tmp):
    tmp.write_bytes(b"PK half a roll-up")
    print(tmp, flush=True)
    time.sleep(600)

write_atomic(Path(sys.argv[1]), writer)
"""


def test_a_killed_runs_temp_file_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "ket-qua" / "tong-hop.xlsx"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(out)], stdout=subprocess.PIPE, text=True)
    tmp = Path(proc.stdout.readline().strip())
    proc.kill()
    proc.wait()
    assert tmp.exists() and tmp.parent == out.parent and tmp.name.startswith(".tmp-")  # what a killed run leaves
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from dvcq.outputs import "
                    "write_atomic; write_atomic(Path(sys.argv[1]), lambda t: t.write_bytes(b'ok'))", str(out)],
                   check=True, timeout=60)
    assert out.read_bytes() == b"ok"
    assert sorted(p.name for p in out.parent.iterdir()) == ["tong-hop.xlsx"]


def test_only_dvcq_temp_files_of_dead_or_old_writers_are_removed(tmp_path):
    from dvcq import outputs

    host = outputs.host()
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = {
            f".tmp-dvcq-{host}-{dead}-abcd1234.xlsx": True,  # its writer is gone
            f".tmp-dvcq-{host}-{alive.pid}-abcd1234.xlsx": False,  # another run, still writing
            f".tmp-dvcq-{host}-{alive.pid}-old_1234.docx": True,  # alive PID but an hour old: reused PID
            f".tmp-dvcq-0000beef-{dead}-abcd1234.xlsx": False,  # another machine's run on a shared folder
            ".tmp-k2j4_9zq.xlsx": True,  # an older dvcq's name, an hour old
            ".tmp-fresh123.xlsx": False,  # an older dvcq's name, maybe still being written
            ".tmp-ghi-chu.xlsx": False,  # not dvcq's pattern
            "bao-cao.xlsx": False,
        }
        now = time.time()
        for name in names:
            p = tmp_path / name
            p.write_bytes(b"x")
            age = 3600 if ("old_" in name or name == ".tmp-k2j4_9zq.xlsx" or name in (".tmp-ghi-chu.xlsx",
                                                                                       "bao-cao.xlsx")) else 5
            os.utime(p, (now - age, now - age))
        removed = outputs.clean_stale_temp(tmp_path, now=now)
        assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, gone in names.items() if not gone)
    finally:
        alive.kill()
        alive.wait()


# --- structure first ---------------------------------------------------------------------------

def _mutated(src: Path, dst: Path, edit) -> Path:
    """A copy edited with openpyxl (as an official's Excel would), or just re-saved when edit is None."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    if edit:
        edit(wb)
    wb.save(dst)
    return dst


def _validated(path: Path):
    before = path.read_bytes()
    r = validate_file(path)
    assert path.read_bytes() == before
    return r


LOG, INDICATORS, PLAN_TASKS = "Sổ tiếp công dân", "Chỉ tiêu", "Nhiệm vụ"


@pytest.mark.parametrize("form", ["log", "report", "plan"])
def test_a_resave_alone_is_clean(workbooks, tmp_path, form):
    src = dict(zip(["report", "log", "plan"], workbooks))[form]
    assert _validated(_mutated(src, tmp_path / "luu-lai.xlsx", None)).errors == []


@pytest.mark.parametrize("at", [1, 7, 12])
def test_an_inserted_log_column_is_one_error_naming_the_column(workbooks, tmp_path, at):
    from dvcq.forms.spec import col_letter

    r = _validated(_mutated(workbooks[1], tmp_path / "chen-cot.xlsx", lambda wb: wb[LOG].insert_cols(at)))
    assert [(i.code, i.sheet) for i in r.errors] == [("structure", LOG)], [i.message for i in r.errors]
    assert f"có một cột được chèn trước cột {col_letter(at)}" in r.errors[0].message
    assert len(r.issues) <= 1 + len(r.warnings) and not [w for w in r.warnings if w.sheet == LOG]


def test_a_deleted_log_column_is_one_error(workbooks, tmp_path):
    r = _validated(_mutated(workbooks[1], tmp_path / "xoa-cot.xlsx", lambda wb: wb[LOG].delete_cols(5)))
    assert [i.code for i in r.errors] == ["structure"] and "có một cột bị xóa trước cột F" in r.errors[0].message


@pytest.mark.parametrize("row", [12, 20, 30])
def test_a_deleted_indicator_row_is_one_error_and_no_overwritten_formula(workbooks, tmp_path, row):
    from dvcq.forms.spec import load_form

    sheet = load_form("bao-cao-dinh-ky").sheet(INDICATORS)
    rows = {i.row for i in sheet.indicators}
    # content of the first spec row below the deleted one that is an indicator moved up by one
    moved = min(r for r in rows if r > row)
    r = _validated(_mutated(workbooks[0], tmp_path / "xoa-dong.xlsx", lambda wb: wb[INDICATORS].delete_rows(row)))
    assert [(i.code, i.sheet) for i in r.errors] == [("structure", INDICATORS)], [i.message for i in r.errors]
    assert f"có một dòng bị xóa trước dòng {moved}" in r.errors[0].message
    assert not [i for i in r.issues if i.code in ("formula-altered", "rule", "required")]


def test_an_inserted_row_above_the_titles_is_found(workbooks, tmp_path):
    from dvcq.forms.spec import load_form

    header_row = load_form("so-tiep-cong-dan").sheet(LOG).header_row
    r = _validated(_mutated(workbooks[1], tmp_path / "chen-dong.xlsx", lambda wb: wb[LOG].insert_rows(2)))
    assert [i.code for i in r.errors] == ["structure"]
    assert f"có một dòng được chèn trước dòng {header_row}" in r.errors[0].message


def test_other_sheets_are_still_checked_when_one_moved(workbooks, tmp_path):
    def edit(wb):
        wb[INDICATORS].delete_rows(30)
        wb["Đánh giá"]["C11"].value = None  # a required assessment text left empty

    r = _validated(_mutated(workbooks[0], tmp_path / "hai-loi.xlsx", edit))
    assert sorted((i.code, i.sheet) for i in r.errors) == [("required", "Đánh giá"), ("structure", INDICATORS)]


@pytest.mark.parametrize("form,sheet", [("report", INDICATORS), ("plan", PLAN_TASKS), ("log", LOG)])
def test_a_renamed_sheet_is_named(workbooks, tmp_path, form, sheet):
    src = dict(zip(["report", "log", "plan"], workbooks))[form]

    def edit(wb):
        wb[sheet].title = "Sheet1"

    r = _validated(_mutated(src, tmp_path / "doi-ten.xlsx", edit))
    assert [i.code for i in r.errors] == ["structure"], [i.message for i in r.errors]
    assert r.errors[0].message.startswith(f"Trang «Sheet1» có vẻ là trang «{sheet}» bị đổi tên")


def test_report_on_a_commune_report_with_a_far_cell(workbooks, tmp_path):
    src = workbooks[0]
    far = with_far_cell(src, tmp_path / "bao-cao-o-xa.xlsx", sheet_parts(src)["Chỉ tiêu"], "")
    before = far.read_bytes()
    limit = "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)); "
    cmd = limit + "sys.argv = ['dvcq'] + sys.argv[1:]; runpy.run_module('dvcq', run_name='__main__')"
    out = tmp_path / "bc.docx"
    proc = subprocess.run([sys.executable, "-c", cmd, "report", str(far), "--out", str(out)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.stat().st_size > 0 and far.read_bytes() == before
