"""What a file really is: every bad file gets a status, a stable code and a Vietnamese message."""
from __future__ import annotations

import hashlib

import pytest
from dvcq.intake import sniff as sn

from tests.support import badfiles, corpus

CASES = [
    ("empty_file", "unreadable", "empty-file"),
    ("not_zip", "unreadable", "not-zip"),
    ("truncated_xlsx", "unreadable", "corrupt"),
    ("corrupt_member_xlsx", "unreadable", "corrupt"),
    ("encrypted_xlsx", "unreadable", "encrypted"),
    ("html_as_xls", "unreadable", "xls-legacy"),
    ("ods_file", "unreadable", "unsupported-format"),
    ("xlsb_file", "unreadable", "unsupported-format"),
    ("lock_file", "skipped", "lock-file"),
    ("hidden_file", "skipped", "hidden-file"),
    ("not_spreadsheet", "skipped", "not-spreadsheet"),
    ("zip_bomb", "unreadable", "too-large"),
]


@pytest.mark.parametrize("builder,status,code", CASES)
def test_bad_file(tmp_path, builder, status, code):
    path = getattr(badfiles, builder)(tmp_path)
    before = path.read_bytes()
    s = sn.sniff(path)
    assert (s.status, s.code) == (status, code)
    assert path.name in s.message
    if status == "unreadable":
        assert any(w in s.message for w in ("hãy", "từ chối"))
    assert path.read_bytes() == before


def test_old_binary_xls_is_told_apart_from_an_encrypted_workbook(tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(sn.OLE_MAGIC + b"\x00" * 1024)
    s = sn.sniff(path)
    assert s.code == "xls-legacy" and ".xlsx" in s.message


def test_oversized_file_is_refused_without_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(sn, "MAX_FILE_BYTES", 1000)
    path = corpus.write_report(tmp_path)
    s = sn.sniff(path)
    assert s.code == "too-large" and s.sha256 == ""


def test_valid_workbook_and_one_renamed_xls_are_readable(tmp_path):
    path = corpus.write_report(tmp_path)
    s = sn.sniff(path)
    assert s.status == "readable" and s.kind == "xlsx"
    assert s.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    renamed = path.with_suffix(".xls")
    renamed.write_bytes(path.read_bytes())
    assert sn.sniff(renamed).status == "readable"


def test_candidates_are_every_file_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    made = [badfiles.empty_file(tmp_path), badfiles.lock_file(tmp_path / "b"), badfiles.not_zip(tmp_path)]
    assert list(sn.iter_candidates([tmp_path])) == sorted(made, key=lambda p: (p.parent != tmp_path, p.name))
