"""`dvcq build` over a LibreOffice control workbook an officer typed into and saved, with LibreOffice itself
(every reinstall runs one): the officer's file is kept under a dated name, and the new one, read back by
LibreOffice, holds the same input cells."""
from __future__ import annotations

import os
from datetime import date

from dvcq.calc import ods
from dvcq.kit import CALC_NAME, build_kit

# the input cells as an officer fills them: a leading zero, Vietnamese letters, a run of spaces
TYPED = {"ThuMucNop": r"D:\DVCQ\2024-H1\nộp", "KyBaoCao": "2024-H1", "DonViCapTren": "0403",
         "ThuMucKetQua": "kết quả  cuối kỳ", "NguoiKy": "Nguyễn Văn A", "TepKeHoach": r"D:\DVCQ\kế hoạch 2025.xlsx"}


def test_a_saved_workbook_is_kept_and_its_typed_cells_go_into_the_new_one(office, tmp_path):
    out = tmp_path / "Tài liệu" / "dvcq"
    build_kit(out, xlsm=False)
    doc = out / CALC_NAME
    saved = office.press(doc, values=TYPED, out=tmp_path / "đã lưu.ods")["saved"]  # no button: typed, saved
    os.replace(saved, doc)

    kit = build_kit(out, xlsm=False, today=date(2026, 11, 20))
    kept = out / "dvcq-dieu-khien-cu-20261120.ods"
    assert [k.message for k in kit.kept] == [
        "Giữ lại bảng điều khiển cũ (đã có thay đổi) thành dvcq-dieu-khien-cu-20261120.ods; bảng điều khiển mới "
        "dvcq-dieu-khien.ods lấy lại các ô đã điền của nó."]
    old = office.press(kept, out=tmp_path / "cũ.ods")["cells"]
    new = office.press(doc, out=tmp_path / "mới.ods")["cells"]
    assert {n: old[n] for n in TYPED} == TYPED  # the officer's file, as it was
    assert {n: new[n] for n in TYPED} == TYPED and new["SoVanBan"] == ""
    assert new["ChuongTrinh"] == ods.for_any_account(ods.default_program(), os.environ)
    assert build_kit(out, xlsm=False).kept == []  # the new one is as built: replaced next time


def test_the_input_cells_are_read_back_from_the_file_as_built(tmp_path):
    built = ods.build_calc_workbook(tmp_path / CALC_NAME, "dvcq", TYPED)
    assert ods.control_inputs(built) == TYPED
    (tmp_path / "hỏng.ods").write_bytes(b"PK\x03\x04 not a zip")
    assert ods.control_inputs(tmp_path / "hỏng.ods") == {}
