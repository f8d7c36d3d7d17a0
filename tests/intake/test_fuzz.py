"""Property-based robustness of the command line (issue 11): mutated workbooks never crash, hang, change an
input, leak a citizen's personal data or turn user text into a formula, and never stop a roll-up.

One example = one sample workbook (of any form) mutated by one to three mutations from tests/mutate.py
(values of every type, broken XML, renamed or hidden sheets, missing, duplicated or lying zip members, zip
bombs, far cells, shifted rows and columns, garbled shared strings, structural floods, a LibreOffice
re-save when soffice is installed). It is written into a submissions folder next to good files of two other
communes (make fuzz: the other two forms of its commune and the three forms of two other communes, read by
dvcq's workers; make test: the two other communes' citizen-reception logs, read in-process), in a working
folder whose path has spaces and Vietnamese letters, and ``dvcq`` runs these commands:

  dvcq validate <the mutated file>          dvcq validate <folder> --json
  dvcq consolidate <folder> --out --db      dvcq report <roll-up> --out .docx --md --db
  dvcq report <the mutated file>            (when it is a commune's periodic report)

make fuzz runs each as the installed ``dvcq`` in a subprocess (timeout, 2 GiB address-space cap); make test runs
``consolidate`` so (the command that reads every file, the mutated one included) and the others in-process
(tests/support/cli.dvcq: the same library code, commands and messages; an exception escaping a command is a
problem as a traceback would be): one real process an example instead of three to five.

Properties: exit status 0, 1 or 2 (3, a signal, a timeout or a traceback fail); every input byte-identical
afterwards and nothing added to the submissions folder; no name, address, ID number or case description of
the sample logs' personal columns (read here with openpyxl, columns from so-tiep-cong-dan.yaml) in any
output (xlsx/docx parts, Markdown, SQLite dump and raw bytes) or message; no output formula (or defined
name, or Word field) holding a formula-like text written into a cell; a roll-up written, with the two good
communes counted as submitted.

Quick by default (``make test``): derandomized, so CI is reproducible, and every kind of mutation applied in
every run: one example per group of kinds (GROUPS, four), each applying one drawn mutation of every kind of its
group; DVCQ_FUZZ_EXAMPLES (4) is the total, shared out among the groups. Long (``make fuzz``):
DVCQ_FUZZ_EXAMPLES=300 DVCQ_FUZZ_RANDOM=1, one to three mutations of any kinds per example; the seed is
printed and can be replayed with DVCQ_FUZZ_SEED=N. DVCQ_FUZZ_FINDINGS=DIR keeps every failing example
(mutated file, commands, problems) in DIR. DVCQ_FUZZ_TIMEOUT (s, default 30) and DVCQ_FUZZ_MEM_MB (default
2048) bound each run.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import traceback
import unicodedata
import zipfile
from contextlib import chdir
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from tests.support import mutate as mu
from tests.support.cli import dvcq as dvcq_in_process

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "workbooks" / "sample"
LOG_SPEC = ROOT / "templates" / "forms" / "so-tiep-cong-dan.yaml"
SAMPLES = sorted(SAMPLE.glob("*.xlsx"))

EXAMPLES = int(os.environ.get("DVCQ_FUZZ_EXAMPLES", "4"))
RANDOM = os.environ.get("DVCQ_FUZZ_RANDOM", "") not in ("", "0") or "DVCQ_FUZZ_SEED" in os.environ
SEED = int(os.environ.get("DVCQ_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
TIMEOUT = float(os.environ.get("DVCQ_FUZZ_TIMEOUT", "30"))
MEM_MB = int(os.environ.get("DVCQ_FUZZ_MEM_MB", "2048"))
FINDINGS = os.environ.get("DVCQ_FUZZ_FINDINGS")

# ---------------------------------------------------------------- how dvcq is run


def dvcq_command() -> list[str]:
    """The venv's console script next to this interpreter; ``-m dvcq`` when there is none."""
    for name in ("dvcq", "dvcq.exe"):
        exe = Path(sys.executable).parent / name
        if exe.exists():
            return [str(exe)]
    return [sys.executable, "-m", "dvcq"]


def _limit_memory():  # runs in the child before exec
    cap = MEM_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run(args: list[str], cwd: Path, real: bool = True) -> dict:
    """``dvcq ARGS`` in ``cwd``: the installed command in a subprocess, or (``real`` false) in this process."""
    if not real:
        return run_in_process(args, cwd)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVCQ_DEBUG")}
    env.setdefault("PYTHONUTF8", "1")
    p = subprocess.Popen(dvcq_command() + args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_limit_memory)
    timed_out = False
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    try:  # workers the command left behind belong to its session: end them
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return {"args": args, "rc": p.returncode, "timed_out": timed_out,
            "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace")}


def run_in_process(args: list[str], cwd: Path) -> dict:
    """``dvcq ARGS`` through click's runner in ``cwd``; an exception that escapes it is reported with its
    traceback (as a crashed process's stderr would show it)."""
    unset = {k: None for k in os.environ if k.startswith("DVCQ_DEBUG")}
    try:
        with chdir(cwd):
            r = dvcq_in_process(*args, env=unset)
        return {"args": args, "rc": r.returncode, "timed_out": False, "out": r.stdout, "err": r.stderr}
    except Exception:
        return {"args": args, "rc": 3, "timed_out": False, "out": "", "err": traceback.format_exc()}


# ---------------------------------------------------------------- personal data of the sample logs

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1)
def personal_values() -> dict[tuple[str, ...], str]:
    """Word sequences of every personal value in the sample logs -> the field it came from.

    The columns are the spec's ``personal: true`` fields except ``ghi_chu``: its sample values are the
    generator's boilerplate notes ("Đoàn đông người", "Giữ bí mật thông tin người tố cáo"), wording the
    outputs may use themselves, not data about a citizen."""
    import openpyxl

    spec = yaml.safe_load(LOG_SPEC.read_text(encoding="utf-8"))
    sheet = next(s for s in spec["sheets"] if s.get("kind") == "table")
    cols = [(i, f["name"]) for i, f in enumerate(sheet["fields"]) if f.get("personal") and f["name"] != "ghi_chu"]
    assert {n for _, n in cols} >= {"ho_ten", "dia_chi", "so_giay_to"}, cols
    titles = [f["title"] for f in sheet["fields"]]
    out: dict[tuple[str, ...], str] = {}
    for path in SAMPLES:
        if "so-tiep-cong-dan" not in path.name:
            continue
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = wb[sheet["name"]].iter_rows(values_only=True)
        for row in rows:  # the header row gives the column positions; data follows the numbering row
            if row and list(row[:len(titles)]) == titles:
                break
        for row in rows:
            for i, name in cols:
                v = row[i] if i < len(row) else None
                if isinstance(v, str) and not v.startswith("("):
                    w = tuple(words(v))
                    if w and len("".join(w)) >= 6:
                        out[w] = name
        wb.close()
    assert sum(1 for f in out.values() if f == "so_giay_to") > 100, "the sample logs should hold ID numbers"
    return out


@lru_cache(maxsize=1)
def _pii_index() -> dict[str, list[tuple[str, ...]]]:
    idx: dict[str, list[tuple[str, ...]]] = {}
    for w in personal_values():
        idx.setdefault(w[0], []).append(w)
    return idx


def find_personal(text: str) -> list[tuple[str, str]]:
    """(field, masked value) of every personal value whose words appear in a row in ``text``."""
    idx, pv, ws, hits = _pii_index(), personal_values(), words(text), []
    for i, w in enumerate(ws):
        for seq in idx.get(w, ()):
            if tuple(ws[i:i + len(seq)]) == seq:
                v = " ".join(seq)
                hits.append((pv[seq], f"{v[:2]}…{v[-2:]} ({len(v)} ký tự)"))  # never print the value itself
    return hits


# ---------------------------------------------------------------- reading outputs


def _xml_text(xml: str, docx: bool) -> str:
    if docx:
        xml = re.sub(r"</w:p>|<w:br/>|<w:tab/>", "\n", xml)
        xml = re.sub(r"<[^>]+>", "", xml)
    else:
        xml = re.sub(r"<[^>]+>", " ", xml)
    return html.unescape(xml)


def output_texts(path: Path) -> dict[str, str]:
    """Searchable text of an output file: each zip part, the SQLite dump, or the file's text."""
    data = path.read_bytes()
    texts: dict[str, str] = {}
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    raw = z.read(name).decode("utf-8", "replace")
                    texts[f"{path.name}:{name}"] = raw
                    texts[f"{path.name}:{name} (chữ)"] = _xml_text(raw, docx=name.startswith("word/"))
        except zipfile.BadZipFile as e:
            texts[path.name] = f"(không mở được: {e})"
    elif data[:16] == b"SQLite format 3\x00":
        with tempfile.TemporaryDirectory() as d:
            copy = Path(d) / "db.sqlite"
            for suffix in ("", "-wal"):
                if Path(str(path) + suffix).exists():
                    shutil.copy(str(path) + suffix, str(copy) + suffix)
            con = sqlite3.connect(copy)
            try:
                texts[f"{path.name} (dump)"] = "\n".join(con.iterdump())
            finally:
                con.close()
        texts[f"{path.name} (bytes)"] = data.decode("utf-8", "replace")
    else:
        texts[path.name] = data.decode("utf-8", "replace")
    return texts


def message_text(s: str) -> str:
    try:  # JSON output may escape Vietnamese letters (\u1ec5)
        return s + "\n" + json.dumps(json.loads(s), ensure_ascii=False)
    except ValueError:
        return s


_F = re.compile(r"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>|<definedName\b[^>]*>(.*?)</definedName>"
                r"|<w:instrText\b[^>]*>(.*?)</w:instrText>|\binstr=\"([^\"]*)\"", re.S)


def formulas(raw_xml: str) -> list[str]:
    return [html.unescape(next(g for g in m.groups() if g is not None)) for m in _F.finditer(raw_xml)]


def submitted_units(rollup: Path) -> dict[str, str] | None:
    """Unit code -> 'Đã nộp' from the roll-up's 'Tiến độ nộp báo cáo' sheet; None when it is missing."""
    import openpyxl

    wb = openpyxl.load_workbook(rollup, read_only=True)
    try:
        if "Tiến độ nộp báo cáo" not in wb.sheetnames:
            return None
        out, cols = {}, None
        for row in wb["Tiến độ nộp báo cáo"].iter_rows(values_only=True):
            if cols is None:
                if "Mã đơn vị" in row and "Đã nộp" in row:
                    cols = (row.index("Mã đơn vị"), row.index("Đã nộp"))
                continue
            if len(row) > max(cols) and row[cols[0]]:
                out[str(row[cols[0]])] = row[cols[1]]
        return out
    finally:
        wb.close()


# ---------------------------------------------------------------- one example


def unit_of(path: Path) -> str:
    return path.name.split("-", 1)[0]


def good_files(victim: Path, full: bool | None = None) -> tuple[list[Path], list[str]]:
    """The good files beside the mutated one, and the two other communes they come from. Long run (make fuzz,
    ``full``): the victim's commune's other forms and all forms of the first two other communes (seven files:
    dvcq reads them on its workers, as a district's folder). Quick run (make test): the citizen-reception logs of
    the first two other communes (three files: read in-process, the mutated one on a worker when its sniff finds
    it unusual; no pool of workers to start, and citizens' personal data in every example's folder)."""
    full = RANDOM if full is None else full
    others = sorted({unit_of(p) for p in SAMPLES} - {unit_of(victim)})[:2]
    if not full:
        return [p for p in SAMPLES if unit_of(p) in others and "so-tiep-cong-dan" in p.name], others
    same = [p for p in SAMPLES if unit_of(p) == unit_of(victim) and p != victim]
    return same + [p for p in SAMPLES if unit_of(p) in others], others


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def check_case(victim: Path, mutations: list, base: Path, keep: bool = False) -> tuple[list[str], Path, list]:
    """Run every command on one mutated workbook; the problems found (empty when all properties hold)."""
    data = mu.apply_all(victim.read_bytes(), mutations)
    work = Path(tempfile.mkdtemp(prefix="ví dụ ", dir=base))
    nop = work / "Nộp báo cáo"
    nop.mkdir()
    mutated = nop / victim.name
    mutated.write_bytes(data)
    goods, other_units = good_files(victim)
    for g in goods:
        shutil.copyfile(g, nop / g.name)
    before = digest(nop)
    target = str(mutated.relative_to(work))
    rollup, db = "Tổng hợp huyện.xlsx", "Lịch sử tổng hợp.sqlite"
    real = RANDOM  # make test: consolidate alone in a real process (module docstring)
    runs = [run(["validate", target], work, real), run(["validate", nop.name, "--json"], work, real),
            run(["consolidate", nop.name, "--out", rollup, "--db", db], work)]
    if (work / rollup).exists():
        runs.append(run(["report", rollup, "--out", "Báo cáo huyện.docx", "--md", "Báo cáo huyện.md", "--db", db],
                        work, real))
    if "bao-cao-dinh-ky" in victim.name:
        runs.append(run(["report", target, "--out", "Báo cáo xã.docx", "--md", "Báo cáo xã.md"], work, real))

    problems: list[str] = []
    for r in runs:
        cmd = "dvcq " + " ".join(r["args"])
        both = r["out"] + r["err"]
        if r["timed_out"]:
            problems.append(f"{cmd}: treo quá {TIMEOUT:g} s")
        elif r["rc"] not in (0, 1, 2):
            problems.append(f"{cmd}: mã thoát {r['rc']}" + (" (tín hiệu)" if r["rc"] < 0 else "")
                            + f"; stderr: {r['err'][-600:]!r}")
        if "Traceback" in both or "Lỗi nội bộ" in both:
            problems.append(f"{cmd}: traceback / lỗi nội bộ: {both[-600:]!r}")
        for field, masked in find_personal(message_text(r["out"]) + "\n" + message_text(r["err"]))[:3]:
            problems.append(f"{cmd}: thông báo chứa dữ liệu cá nhân ({field} {masked})")

    after = digest(nop)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        problems.append(f"tệp đầu vào bị sửa, thêm hoặc xoá: {changed}")

    payloads = [b for m in mutations for p in m.payloads if len(b := p.lstrip(" \t\r\n=+-@")) >= 3]
    for out in sorted(p for p in work.rglob("*") if p.is_file() and nop not in p.parents):
        for where, text in output_texts(out).items():
            for field, masked in find_personal(text)[:3]:
                problems.append(f"{where}: chứa dữ liệu cá nhân ({field} {masked})")
            if payloads and not where.endswith(")"):  # the raw parts (formulas live in the XML markup)
                for f in formulas(text):
                    for b in payloads:
                        if b in f:
                            problems.append(f"{where}: công thức từ chữ người dùng: {f[:120]!r}")

    if not (work / rollup).exists():
        problems.append(f"dvcq consolidate không ghi bảng tổng hợp (mã thoát {runs[2]['rc']}): {runs[2]['err'][-400:]!r}")
    else:
        units = submitted_units(work / rollup)
        if units is None:
            problems.append("bảng tổng hợp không có trang 'Tiến độ nộp báo cáo'")
        else:
            for u in other_units:
                if units.get(u) != "Có":
                    problems.append(f"bảng tổng hợp không tính đơn vị {u} (tệp tốt): {units.get(u)!r}")

    if problems and FINDINGS:
        save_finding(Path(FINDINGS), victim, mutations, data, problems, runs)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return problems, work, runs


def save_finding(folder: Path, victim: Path, mutations, data: bytes, problems: list[str], runs: list) -> Path:
    key = hashlib.sha256((victim.name + repr(mutations)).encode()).hexdigest()[:12]
    d = folder / key
    d.mkdir(parents=True, exist_ok=True)
    (d / victim.name).write_bytes(data)
    (d / "case.json").write_text(json.dumps({
        "victim": victim.name, "mutations": [repr(m) for m in mutations], "problems": problems,
        "runs": [{**r, "out": r["out"][-3000:], "err": r["err"][-3000:]} for r in runs]},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return d


# ---------------------------------------------------------------- strategies

CONTROL = [chr(i) for i in range(32)]
NAN_LIKE = ["NaN", "nan", "-nan", "inf", "-Infinity", "1e400", "-1e400", "#N/A", "N/A", "null", "None", "", " ",
            "1.000.000", "12,5", "1,234.5", "٣", "１２", "0x1F", "1_000", "+5", "--5", "5-", "1e-400", "0000123"]
DATES_AS_TEXT = ["15/03/2024", "2024-03-15", "31/02/2024", "15.03.2024", "3/15/2024", "15/03/24",
                 "ngày 15 tháng 3 năm 2024", "2024-03-15T25:61:00", "00/00/0000", "15/13/2024", "1/1/10000",
                 "45366", "tháng 3/2024"]
FORMULA_TEXTS = ['=HYPERLINK("http://dvcq-fuzz.invalid/x","Bấm vào đây")', "=1+1", "+cmd|' /C calc'!A0",
                 "@SUM(1)", "-2+3+cmd|' /C notepad'!A1", '=CONCATENATE("dvcq","fuzz")', "\t=1+2",
                 '=DDE("cmd";"/C calc";"x")', "=WEBSERVICE(\"http://dvcq-fuzz.invalid\")"]
FORMULAS = ['HYPERLINK("http://dvcq-fuzz.invalid/y","xem")', "1+1", "SUM(1)", "NOW()", "A1/0", "'Chỉ tiêu'!E12*2",
            "[1]Sheet1!A1", "INDIRECT(\"A1\")"]
NUMBERS = ["1e308", "-1e308", "1E+400", "-5", "-0", "NaN", "inf", "99999999999999999999", "0.1", "1.5", "45000.5",
           "2958466", "-1", "60", "0", "1048576", "12345678901234567890123", "4.9e-324", "1,5", " 7 ", "0x10"]

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(CONTROL + list("aăâđêôơưÁẠệ&<>\"'_x0123")), max_size=30),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["A", "ệ", "x ", "\x01"]),
              st.sampled_from([256, 1001, 5000, 32767, 32768, 100_000])),
    st.sampled_from(NAN_LIKE + DATES_AS_TEXT + FORMULA_TEXTS),
)
values = st.one_of(
    st.builds(mu.CellValue, kind=st.just("text"), value=texts, storage=st.sampled_from(["inline", "shared"]),
              control=st.sampled_from(["excel", "raw"])),
    st.builds(mu.CellValue, kind=st.just("number"),
              value=st.one_of(st.sampled_from(NUMBERS), st.integers(-10**20, 10**20).map(str),
                              st.floats(allow_nan=True, allow_infinity=True).map(repr))),
    st.builds(mu.CellValue, kind=st.just("bool"), value=st.sampled_from(["0", "1", "2", "true", ""])),
    st.builds(mu.CellValue, kind=st.just("error"),
              value=st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!",
                                     "#GETTING_DATA", "#SPILL!", "lỗi"])),
    st.builds(mu.CellValue, kind=st.just("formula"), value=st.sampled_from(FORMULAS)),
    st.just(mu.CellValue("empty")),
)
idx = st.integers(0, 10_000)
injection = st.builds(mu.SetCell, sheet=idx, cell=idx, area=st.just("text"),
                      value=st.builds(mu.CellValue, kind=st.just("text"), value=st.sampled_from(FORMULA_TEXTS),
                                      storage=st.sampled_from(["inline", "shared"])))
KINDS = {  # each kind of mutation, by name (the quick run groups them by these names)
    "SetCell": st.builds(mu.SetCell, sheet=idx, cell=idx, value=values,
                         area=st.sampled_from(["any", "data", "text"])),
    "injection": injection,
    "TruncatePart": st.builds(mu.TruncatePart, part=idx, fraction=st.floats(0, 0.999), sheets_only=st.booleans()),
    "BreakXml": st.builds(mu.BreakXml, sheet=idx, variant=st.sampled_from(
        ["unclosed-row", "unclosed-cell", "no-sheetdata-end", "stray-close", "bad-entity", "bad-prefix",
         "bom-garbage"])),
    "RenameSheet": st.builds(mu.RenameSheet, sheet=idx, how=st.sampled_from(
        ["upper", "trailing-space", "nfd", "no-accents", "swap", "empty", "sheet1", "long", "text"]),
        text=st.text(max_size=40)),
    "SheetState": st.builds(mu.SheetState, sheet=idx,
                            state=st.sampled_from(["hidden", "veryHidden", "visible", "bogus"])),
    "RemovePart": st.builds(mu.RemovePart, part=idx),
    "DuplicatePart": st.builds(mu.DuplicatePart, part=idx, variant=st.sampled_from(
        ["same", "second-empty", "first-garbled", "second-garbled"])),
    "LieHeader": st.builds(mu.LieHeader, part=idx, field=st.sampled_from(["usize", "csize", "crc"]),
                           value=st.sampled_from(["zero", "one", "huge", "half"]),
                           where=st.sampled_from(["local", "central", "both"])),
    "Bomb": st.builds(mu.Bomb, sheet=idx, mb=st.sampled_from([64, 256, 1024]), lie=st.booleans()),
    "FarCell": st.builds(mu.FarCell, sheet=idx, ref=st.sampled_from(
        ["XFD1048576", "XFD1", "A1048576", "XFD12", "XFE1", "A1048577", "AAAA1", "A0"]),
        content=st.sampled_from(["number", "text", "styled-empty", "dimension-only"]), dimension=st.booleans()),
    "ShiftRefs": st.builds(mu.ShiftRefs, sheet=idx, axis=st.sampled_from(["col", "row"]), at=st.integers(1, 60),
                           op=st.sampled_from(["insert", "delete"])),
    "GarbleSharedStrings": st.builds(mu.GarbleSharedStrings, variant=st.sampled_from(
        ["shuffle", "drop-tail", "count-lie", "empty-si", "rich-text", "phonetic", "bad-entity", "unclosed"]),
        seed=idx),
    "Flood": st.builds(mu.Flood, sheet=idx, kind=st.sampled_from(
        ["rows", "wide-row", "styled-block", "merges", "validations", "sheets", "strings", "names"]),
        n=st.sampled_from([1000, 100_000, 1_000_000])),
    "TruncateFile": st.builds(mu.TruncateFile, fraction=st.floats(0, 0.999)),
}
if mu.soffice():
    KINDS["LibreOfficeResave"] = st.builds(mu.LibreOfficeResave, n=st.integers(0, 3))
mutation = st.one_of(*KINDS.values())

# The quick run (make test) spends its few examples so that every kind is applied in every run: one example per
# group, each applying one drawn mutation of every kind of its group, in a drawn order. The groups keep kinds
# that would hide one another apart: the first two leave a workbook that still opens, so dvcq reads the values,
# sheets and strings they change (and the formula-like texts injected) through to the roll-up and the report;
# the zip-member lies come next; the kinds that break the bytes (and make dvcq refuse the file) go last.
GROUPS = {
    "cells": ("SetCell", "injection", "FarCell", "ShiftRefs", "LibreOfficeResave"),
    "sheets-strings": ("RenameSheet", "SheetState", "GarbleSharedStrings", "Flood"),
    "zip-members": ("DuplicatePart", "RemovePart", "LieHeader"),
    "broken-bytes": ("BreakXml", "TruncatePart", "Bomb", "TruncateFile"),
}
assert sorted(k for g in GROUPS.values() for k in g) == sorted(KINDS.keys() | {"LibreOfficeResave"}), "a kind left out"
# derandomized, every group's example draws from the same random bytes: its sample is taken from the list turned
# by a quarter per group, so that the four examples fall on four different samples
TURN = {name: i * len(SAMPLES) // len(GROUPS) for i, name in enumerate(GROUPS)}


def group_of(name: str):
    """One drawn mutation of each kind of the group, in a drawn order (LibreOfficeResave only with soffice)."""
    kinds = [KINDS[k] for k in GROUPS[name] if k in KINDS]
    return st.tuples(*kinds).flatmap(lambda ms: st.permutations(list(ms)))


settings.register_profile("dvcq-quick", max_examples=max(1, EXAMPLES // len(GROUPS)), derandomize=True,
                          database=None, deadline=None, print_blob=True, suppress_health_check=list(HealthCheck))
settings.register_profile("dvcq-long", max_examples=EXAMPLES, derandomize=False, database=None, deadline=None,
                          print_blob=True, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz") / "Báo cáo 6 tháng"
    base.mkdir()
    return base


def test_personal_columns_are_read_from_the_spec():
    pv = personal_values()
    assert {"ho_ten", "dia_chi", "so_giay_to", "noi_dung"} <= set(pv.values())
    # the finder sees a value inside other text and through XML escaping, and masks it in its report
    name = next(" ".join(w) for w, f in pv.items() if f == "ho_ten")
    hits = find_personal(_xml_text(f"<t>Ông {html.escape(name)}, Thôn 1</t>", docx=False))
    assert hits and hits[0][0] == "ho_ten" and name not in hits[0][1]


def test_mutations_apply_to_every_form():
    """Each mutation kind changes a workbook of each form (so the fuzz test exercises what it claims)."""
    kinds = [mu.SetCell(1, 5, mu.CellValue("text", "=1+1")), mu.TruncatePart(1, 0.5), mu.BreakXml(1, "unclosed-row"),
             mu.RenameSheet(1, "nfd"), mu.SheetState(1, "hidden"), mu.RemovePart(3), mu.DuplicatePart(3, "same"),
             mu.LieHeader(4, "usize", "zero", "both"), mu.FarCell(1, "XFD1048576", "number"),
             mu.ShiftRefs(1, "col", 3, "insert"), mu.ShiftRefs(1, "row", 12, "delete"),
             mu.GarbleSharedStrings("shuffle", 1), mu.Flood(1, "rows", 1000), mu.TruncateFile(0.5)]
    for form in ("bao-cao-dinh-ky", "ke-hoach", "so-tiep-cong-dan"):
        src = next(p for p in SAMPLES if form in p.name).read_bytes()
        for m in kinds:
            assert m.apply(src) != src, (form, m)
    assert mu.SetCell(1, 5, mu.CellValue("text", "=1+1")).payloads == ("=1+1",)


def _check(fuzz_base, victim, mutations):
    note(f"mẫu: {victim.name}; đột biến: {mutations!r}")
    problems, _, _ = check_case(victim, mutations, fuzz_base)
    assert not problems, (f"{victim.name} {mutations!r}" + (f" (DVCQ_FUZZ_SEED={SEED})" if RANDOM else "")
                          + "\n  - " + "\n  - ".join(problems))


if RANDOM:  # make fuzz: 1 to 3 mutations of any kinds, as many examples as asked, the seed printed
    print(f"dvcq fuzz: DVCQ_FUZZ_SEED={SEED}", file=sys.stderr)

    @hypothesis_seed(SEED)
    @settings(settings.get_profile("dvcq-long"))
    @given(victim=st.sampled_from(SAMPLES), mutations=st.lists(mutation, min_size=1, max_size=3))
    def test_cli_survives_mutated_workbooks(fuzz_base, victim, mutations):
        _check(fuzz_base, victim, mutations)
else:  # make test: every kind in every run, derandomized (the same examples every time)

    @pytest.mark.parametrize("group", GROUPS)
    @settings(settings.get_profile("dvcq-quick"))
    @given(data=st.data())
    def test_cli_survives_mutated_workbooks(fuzz_base, group, data):
        # Hypothesis tries the simplest example first (every choice at its least: empty texts, sheet 0, part 0);
        # with one example a group the quick run would see only that one: it takes a drawn example instead
        assume(data.draw(st.integers(0, 255), label="salt") != 0)
        victim = data.draw(st.sampled_from(SAMPLES[TURN[group]:] + SAMPLES[:TURN[group]]), label="victim")
        _check(fuzz_base, victim, data.draw(group_of(group), label="mutations"))
