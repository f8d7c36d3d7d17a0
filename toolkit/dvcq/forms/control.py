"""The control workbook as officials see it, whichever spreadsheet runs its buttons: its sheet, the input
and output cells (by defined name), the buttons, the results table, and what the buttons say about their
cells. Built for Microsoft Excel by dvcq.excel.xlsm (buttons through xlwings) and for LibreOffice Calc by
dvcq.calc.ods (buttons through a Python macro stored in the document); the buttons' adapters
(dvcq.excel.xl, macros/dieukhien.py) show the same library results with these words.
"""
from __future__ import annotations

from typing import NamedTuple

CONTROL = "Điều khiển"
TITLE = "BẢNG ĐIỀU KHIỂN DVCQ"
INTRO = ["Kiểm tra, tổng hợp biểu công tác dân vận chính quyền, xuất báo cáo và kế hoạch Word",
         "Điền các ô màu vàng rồi bấm nút. Kết quả ghi vào các ô màu xanh và bảng phía dưới."]  # rows 2 and 3
RESULTS_TITLE = "KẾT QUẢ"  # above the results table
INPUTS = [  # (defined name, label, example / hint)
    ("ThuMucNop", "Thư mục chứa biểu các đơn vị nộp", r"D:\DVCQ\2024-H1\nop"),
    ("KyBaoCao", "Kỳ báo cáo (để trống: tự nhận từ biểu)", "2024-H1"),
    ("DonViCapTren", "Mã đơn vị tổng hợp (để trống: tự nhận)", "403"),
    ("ThuMucKetQua", "Thư mục ghi kết quả", r"D:\DVCQ\2024-H1\ket-qua"),
    ("NguoiKy", "Người ký báo cáo", "Nguyễn Văn A"),
    ("SoVanBan", "Số văn bản", ""),
    ("TepKeHoach", "Biểu kế hoạch (để xuất văn bản kế hoạch)", r"D:\DVCQ\ke-hoach-2025.xlsx"),
]
OUTPUTS = [("TrangThai", "Trạng thái"), ("TepTongHop", "Biểu tổng hợp"), ("TepBaoCao", "Báo cáo Word"),
           ("TepDoiChieu", "Bảng đối chiếu số liệu"), ("TepVanBanKeHoach", "Kế hoạch Word")]


class Button(NamedTuple):
    macro: str  # the VBA Sub (Excel) and, in snake case, the Python entry point (dvcq.excel.xl, the .ods macro)
    caption: str

    @property
    def function(self) -> str:
        """'XuatBaoCao' -> 'xuat_bao_cao'."""
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in self.macro).lstrip("_")


BUTTONS = [Button("KiemTra", "Kiểm tra"), Button("TongHop", "Tổng hợp"), Button("XuatBaoCao", "Xuất báo cáo"),
           Button("XuatKeHoach", "Xuất kế hoạch")]
FIRST_INPUT_ROW = 5  # 1-based
RESULTS_ROW = 21  # the named cell KetQua: results tables start here (below the outputs and, in Calc, its program cell)
RESULT_COLUMNS = 10  # a button clears A..J of the results area before writing its table
RESULT_ROWS = 5000

# what a button says about its cells (the adapters put "Lỗi: " before them, as before a library error)
ERROR = "Lỗi: {message}"
NO_FOLDER = "Không thấy thư mục biểu nộp «{path}»; hãy ghi đúng đường dẫn."
NO_ROLLUP = "Chưa có biểu tổng hợp: hãy bấm «Tổng hợp» trước."
NO_PLAN = ("Không thấy biểu kế hoạch «{path}»; hãy ghi đường dẫn tệp kế hoạch (.xlsx) vào ô "
           "«Biểu kế hoạch».")


def output_cells() -> dict[str, str]:
    """Defined name -> 1-based cell address on the control sheet."""
    cells = {name: f"C{FIRST_INPUT_ROW + i}" for i, (name, _, _) in enumerate(INPUTS)}
    row = FIRST_INPUT_ROW + len(INPUTS) + 1
    for i, (name, _) in enumerate(OUTPUTS):
        cells[name] = f"C{row + i}"
    cells["KetQua"] = f"A{RESULTS_ROW}"
    return cells
