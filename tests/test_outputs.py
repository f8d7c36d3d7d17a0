"""Writing outputs when Windows holds the target open (Excel, Word): a message naming the file, or a new
name beside it for documents; nothing half-written, no temporary file left."""
from __future__ import annotations

import pytest
from dvcq import outputs
from dvcq.errors import UserError

from tests.support.winlocks import open_in_office


def _temps(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(outputs.TMP_PREFIX)]


def test_an_open_output_is_named_and_the_user_asked_to_close_it(tmp_path, monkeypatch):
    target = tmp_path / "Báo cáo 6 tháng" / "tong-hop-403.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"last time")
    open_in_office(monkeypatch, target)
    with pytest.raises(outputs.FileInUse) as caught:
        outputs.write_atomic(target, lambda tmp: tmp.write_bytes(b"new"))
    assert isinstance(caught.value, UserError) and caught.value.exit_code == 2
    assert f"«{target}»" in caught.value.message and "đang mở" in caught.value.message
    assert "hãy đóng tệp rồi làm lại" in caught.value.message
    assert target.read_bytes() == b"last time" and _temps(target.parent) == []


def test_a_document_goes_beside_its_open_namesake(tmp_path, monkeypatch):
    target = tmp_path / "bao-cao-tong-hop.docx"
    target.write_bytes(b"signed copy")
    open_in_office(monkeypatch, target)
    first = outputs.write_atomic(target, lambda tmp: tmp.write_bytes(b"1"), beside=True)
    assert first == tmp_path / "bao-cao-tong-hop-ban-moi.docx" and first.read_bytes() == b"1"
    open_in_office(monkeypatch, target, first)
    second = outputs.write_atomic(target, lambda tmp: tmp.write_bytes(b"2"), beside=True)
    assert second == tmp_path / "bao-cao-tong-hop-ban-moi-2.docx" and second.read_bytes() == b"2"
    assert target.read_bytes() == b"signed copy" and _temps(tmp_path) == []
    assert outputs.beside_note(second) == ("Tệp bao-cao-tong-hop.docx đang mở (trong Word hoặc Excel) nên bản mới "
                                           "được ghi thành bao-cao-tong-hop-ban-moi-2.docx.")
    assert outputs.beside_note(target) == ""


def test_when_every_name_beside_is_open_too_the_message_names_the_file(tmp_path, monkeypatch):
    target = tmp_path / "x.docx"
    names = [target, *list(zip(range(outputs.BESIDE_TRIES), outputs.beside_names(target)))]
    open_in_office(monkeypatch, target, *[p for _, p in names[1:]])
    with pytest.raises(outputs.FileInUse, match="x.docx"):
        outputs.write_atomic(target, lambda tmp: tmp.write_bytes(b"1"), beside=True)
    assert _temps(tmp_path) == []
