"""A reception log filled in the layout before version 2 is still read (issue 14): validated against its
own layout, mapped onto the current layout (templates/forms/cu/), counted as one, with a warning naming the new
template. Expected counts come from the old rows, by hand."""
from __future__ import annotations

from datetime import date

from dvcq.forms.build import Content, build_form
from dvcq.forms.legacy import legacy_layout
from dvcq.forms.spec import load_form
from dvcq.intake.validate import validate_file

from tests.support import corpus

OLD = [  # version 1 rows: hinh_thuc and nguoi_tiep apart, one huong_xu_ly dropdown, lan_tiep per row
    {"stt": 1, "ngay_tiep": date(2024, 1, 10), "ho_ten": "Lê Thị Hoa", "so_giay_to": "038190000111",
     "noi_dung": "Đề nghị cấp giấy chứng nhận", "phan_loai": "Kiến nghị, phản ánh", "linh_vuc": "Tư pháp, hộ tịch",
     "so_nguoi": 1, "hinh_thuc": "Thường xuyên", "nguoi_tiep": "Cán bộ tiếp công dân", "lan_tiep": "Lần đầu",
     "tham_quyen": "Thuộc thẩm quyền", "huong_xu_ly": "Thụ lý để giải quyết", "ket_qua": "Đã giải quyết",
     "ngay_giai_quyet": date(2024, 1, 25)},
    {"stt": 2, "ngay_tiep": date(2024, 2, 5), "ho_ten": "Trần Văn Bình", "so_giay_to": "038085000222",
     "noi_dung": "Khiếu nại quyết định thu hồi đất", "phan_loai": "Khiếu nại", "linh_vuc": "Đất đai",
     "so_nguoi": 6, "hinh_thuc": "Định kỳ", "nguoi_tiep": "Chủ tịch UBND", "lan_tiep": "Nhiều lần",
     "tham_quyen": "Thuộc thẩm quyền", "huong_xu_ly": "Thụ lý để giải quyết", "ket_qua": "Đang giải quyết",
     "phuc_tap": "Có"},
    {"stt": 3, "ngay_tiep": date(2024, 3, 1), "ho_ten": "Phạm Văn Cường", "so_giay_to": "038077000333",
     "noi_dung": "Tố cáo cán bộ", "phan_loai": "Tố cáo", "linh_vuc": "Cán bộ, công chức", "so_nguoi": 1,
     "hinh_thuc": "Đột xuất", "nguoi_tiep": "Người được ủy quyền", "lan_tiep": "Lần đầu",
     "tham_quyen": "Không thuộc thẩm quyền", "huong_xu_ly": "Chuyển đơn đến cơ quan có thẩm quyền",
     "ket_qua": "Đã hướng dẫn, chuyển đơn"},
]


def test_an_old_log_is_read_mapped_and_counted(tmp_path):
    layout = legacy_layout("so-tiep-cong-dan", 1)
    assert layout is not None and layout.form.version == 1 and load_form("so-tiep-cong-dan").version == 3
    path = build_form(layout.form, tmp_path / "so-cu.xlsx",
                      Content(rows={layout.form.main.name: OLD}, header=corpus.header()))
    r = validate_file(path)
    assert r.status == "ok" and r.errors == []
    [warning] = [i for i in r.issues if i.code == "spec-version"]
    assert warning.severity == "warning" and "so-tiep-cong-dan.xlsx" in warning.message
    assert "mỗi lượt tiếp được tính là một vụ việc" in warning.message  # its map's note (cu/so-tiep-cong-dan-v1-map)
    m = r.summary.measures
    # by hand: 3 visits, each its own case; Chủ tịch + Định kỳ is the head's periodic reception, the
    # authorised officer's is "ủy quyền", the rest "thường xuyên"; the second row said "Nhiều lần"
    assert (m["luot_tiep"], m["vu_viec"], m["so_nguoi"]) == (3, 3, 8)
    assert (m["tx_luot"], m["tt_luot"], m["uq_luot"], m["tt_ky"]) == (1, 1, 1, 1)
    assert (m["lan_dau"], m["nhieu_lan"]) == (2, 1)
    assert (m["doan_dong_nguoi"], m["chuyen_don"], m["thuoc_tham_quyen"], m["da_giai_quyet"]) == (1, 1, 2, 1)
    # "Tư pháp, hộ tịch" is administrative: it maps onto "Hành chính: lĩnh vực khác", not "Tư pháp"
    assert r.summary.crosstab == {("Kiến nghị, phản ánh", "Hành chính: lĩnh vực khác"): 1,
                                  ("Khiếu nại", "Hành chính: đất đai, nhà cửa"): 1,
                                  ("Tố cáo", "Hành chính: công chức, công vụ"): 1}
    # the open complaint: its limit runs from the reception date (no acceptance date in the old log), to the day
    # the log's figures run to: its "Ngày lập" (10/06/2024), before the window's end
    [case] = r.summary.overdue_cases
    assert r.summary.as_of == date(2024, 6, 10)
    assert case.status == "open" and case.limit == 45 and case.days_open == (date(2024, 6, 10) - date(2024, 2, 5)).days
