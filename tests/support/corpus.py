"""A small corpus of filled forms built from the real specifications, and ways to break them.

Each builder writes a valid workbook through dvcq.forms.build; `type_over` then changes one cell the way an
official typing over it in Excel would (the sheet's XML edited in the zip), or `put` with openpyxl's load and
save where a file openpyxl saved is part of the case, so every case is made by code.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.forms.build import Content, build_form
from dvcq.rollup.consolidate import consolidate_folder
from python_calamine import CalamineWorkbook

from tests.support import xlsxcell

PERIOD = parse("2024-H1")
UNIT = ("16240", "Xã Phượng Nghi")


def log_rows() -> list[dict]:
    """Three visits of three cases in the version-2 layout: one accepted and resolved, one accepted and
    still open (a group of six, accepted 5/2/2024: past 30 days at the cut-off), one forwarded."""
    base = {"dia_chi": "Thôn 1, xã Phượng Nghi", "linh_vuc": "Hành chính: đất đai, nhà cửa",
            "hinh_thuc": "Tiếp thường xuyên"}
    return [
        {**base, "stt": 1, "ngay_tiep": date(2024, 1, 10), "ho_ten": "Lê Thị Hoa", "so_giay_to": "038190000111",
         "noi_dung": "Đề nghị cấp giấy chứng nhận quyền sử dụng đất", "phan_loai": "Kiến nghị, phản ánh",
         "so_nguoi": 1, "tham_quyen": "Thuộc thẩm quyền", "thu_ly": "x", "ngay_thu_ly": date(2024, 1, 12),
         "ma_vu_viec": "VV24-001", "ket_qua": "Đã giải quyết", "ngay_giai_quyet": date(2024, 1, 25)},
        {**base, "stt": 2, "ngay_tiep": date(2024, 2, 5), "ho_ten": "Trần Văn Bình", "so_giay_to": "038085000222",
         "noi_dung": "Khiếu nại quyết định thu hồi đất", "phan_loai": "Khiếu nại", "so_nguoi": 6,
         "doan_dong_nguoi": "Có", "tham_quyen": "Thuộc thẩm quyền", "thu_ly": "x", "ngay_thu_ly": date(2024, 2, 5),
         "ma_vu_viec": "VV24-002", "ket_qua": "Đang giải quyết"},
        {**base, "stt": 3, "ngay_tiep": date(2024, 3, 1), "ho_ten": "Phạm Văn Cường", "so_giay_to": "038077000333",
         "noi_dung": "Tố cáo cán bộ có hành vi nhũng nhiễu", "phan_loai": "Tố cáo", "so_nguoi": 1,
         "linh_vuc": "Hành chính: công chức, công vụ", "tham_quyen": "Không thuộc thẩm quyền", "chuyen_don": "x",
         "ma_vu_viec": "VV24-003", "ket_qua": "Đã hướng dẫn, chuyển đơn"},
    ]


PERSONAL = ["Lê Thị Hoa", "Trần Văn Bình", "Phạm Văn Cường", "038190000111", "038085000222", "038077000333"]


def report_values(log: list[dict] | None = None) -> dict:
    """A consistent set of indicator values; reception figures agree with the log."""
    form = spec.load_form("bao-cao-dinh-ky")
    values = {i.code: 0 for i in form.indicators if i.kind == "count"}
    log = log or log_rows()
    values.update({
        "TT01": 4, "TT02": 320, "CC01": 150, "CC02": 140, "CC03": 30, "CC04": 105, "CC05": 5, "CC07": 80,
        "CC08": 60, "CC10": 120, "TD01": 26, "TD02": 26, "TD07": 3, "TD08": 1, "TD09": 1, "TD10": 1, "TD11": 2,
        "TD12": 1, "TD14": 1, "DC03": 900, "DC04": 1000, "DV01": 2, "DV02": 1,
        "TD04": len(log), "TD05": sum(r["so_nguoi"] for r in log), "TD06": sum(1 for r in log if r["so_nguoi"] >= 5),
        "CC12": 120, "CC13": 50, "CC14": 30, "HG01": 10, "HG02": 8, "MT03": 12, "MT04": 10, "BD01": 1, "BD02": 20,
        "KT01": 1, "KT02": 2,
    })
    values["CC11"] = 92.5
    return values


TEXTS = {"KQ": "Hoàn thành tốt các chỉ tiêu.", "HC": "Cơ sở vật chất còn thiếu.", "PH": "Tiếp tục cải cách hành chính.",
         "NN": "Kinh phí hạn chế.", "KN": "Đề nghị hỗ trợ trang thiết bị."}


def header(unit=UNIT, period=PERIOD) -> dict:
    return {"unit_code": unit[0], "unit_name": unit[1], "period": period, "preparer": "Nguyễn Văn Thư",
            "prepared_on": date(2024, 6, 10)}



def complaint(stt: int, ref: str, accepted: date, **extra) -> dict:
    """A log row of a complaint accepted (thụ lý) on ``accepted`` and still being resolved; ``extra`` sets other
    columns (lan_giai_quyet: "Lần hai" for a second complaint)."""
    return {"stt": stt, "ngay_tiep": accepted, "ho_ten": "Nguyễn Văn An", "so_giay_to": f"0380850001{stt:02d}",
            "noi_dung": f"Khiếu nại quyết định số {stt}", "phan_loai": "Khiếu nại", "so_nguoi": 1,
            "linh_vuc": "Hành chính: đất đai, nhà cửa", "hinh_thuc": "Tiếp thường xuyên",
            "tham_quyen": "Thuộc thẩm quyền", "thu_ly": "x", "ngay_thu_ly": accepted, "ma_vu_viec": ref,
            "ket_qua": "Đang giải quyết", **extra}

def write_log(folder: Path, rows=None, unit=UNIT, period=PERIOD, name=None) -> Path:
    form = spec.load_form("so-tiep-cong-dan")
    c = Content(header=header(unit, period), unit_level="commune", rows={form.main.name: rows or log_rows()},
                saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(form, Path(folder) / (name or f"{unit[0]}-so-tiep-cong-dan.xlsx"), c)


def write_report(folder: Path, values=None, unit=UNIT, period=PERIOD, name=None, saved_at=None) -> Path:
    form = spec.load_form("bao-cao-dinh-ky")
    c = Content(header=header(unit, period), unit_level="commune", indicators=values or report_values(),
                texts=dict(TEXTS), saved_at=saved_at or datetime(2024, 6, 12, 9, 0))
    return build_form(form, Path(folder) / (name or f"{unit[0]}-bao-cao-dinh-ky.xlsx"), c)


def write_plan(folder: Path, unit=UNIT, period=PERIOD) -> Path:
    form = spec.load_form("ke-hoach")
    tasks = [
        {"stt": 1, "nhom": "Tuyên truyền, quán triệt", "noi_dung": "Tổ chức hội nghị quán triệt Chỉ thị 33/CT-TTg",
         "chu_tri": "Văn phòng UBND", "thoi_han": date(2024, 3, 31), "trang_thai": "Đã hoàn thành",
         "ngay_hoan_thanh": date(2024, 3, 20)},
        {"stt": 2, "nhom": "Cải cách hành chính", "noi_dung": "Niêm yết công khai thủ tục hành chính",
         "chu_tri": "Bộ phận một cửa", "thoi_han": date(2024, 4, 30), "trang_thai": "Đang triển khai"},
    ]
    road = [{"nam": 2023, "don_vi": unit[1], "ma_don_vi": unit[0], "trang_thai": "Đã ra mắt",
             "ngay_ra_mat": date(2023, 9, 2)}]
    c = Content(header=header(unit, period), unit_level="commune",
                rows={"Nhiệm vụ": tasks, "Lộ trình": road}, extra={"Lộ trình": {"muc_tieu_nam": 2025, "muc_tieu_ty_le": 100}},
                saved_at=datetime(2024, 6, 12, 9, 0))
    return build_form(form, Path(folder) / f"{unit[0]}-ke-hoach.xlsx", c)


def year_on_year(base: Path, units, tt01: tuple[int, int], db: Path, kind: str = "H1") -> Path:
    """The same ``units``' reports of 2023 then 2024 (``kind``: H1, or Y for two annual reports; TT01 ``tt01[0]``
    then ``tt01[1]``, the rest alike), each consolidated into the history ``db``: returns the 2024 roll-up, for a
    report that compares the two."""
    for year, value in zip((2023, 2024), tt01):
        folder = base / str(year)
        folder.mkdir()
        for u in units:
            write_report(folder, dict(report_values(), TT01=value), unit=(u.code, u.name),
                         period=parse(f"{year}-{kind}"), saved_at=datetime(year, 6 if kind == "H1" else 11, 10))
        result = consolidate_folder(folder, db=db, workers=1, out=base / f"th-{year}.xlsx")
    return result.out_path


def put(path: Path, sheet: str, ref: str, value, as_text: bool = False) -> Path:
    """Type a value over one cell and save the whole workbook with openpyxl (text stays text with as_text): for
    the cases where a file another writer saved is part of what is proven. Otherwise ``type_over``."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    cell = wb[sheet][ref]
    cell.value = value
    if as_text:
        cell.data_type = "s"
    wb.save(path)
    return path


def type_over(path: Path, sheet: str, ref: str, value, as_text: bool = False) -> Path:
    """Type a value over one cell, as an official would in Excel (text stays text with as_text): the sheet's XML
    edited in the zip, every other part as it was (tests/support/xlsxcell.py; a few ms against ``put``'s 0.1-0.5 s)."""
    return xlsxcell.type_over(path, sheet, ref, value, as_text)


def as_xlsm(path: Path) -> Path:
    """The same workbook saved macro-enabled, as an official may do: a VBA project (the one xlwings
    ships, Excel-saved) with its content type and relationship. Returns the new .xlsm path."""
    import zipfile

    from dvcq.excel.xlsm import shipped_vba_project

    out = Path(path).with_suffix(".xlsm")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/'
                                    b'vnd.ms-office.vbaProject"/><Default ', 1)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.'
                                    b'microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            dst.writestr(info, data)
        dst.writestr("xl/vbaProject.bin", shipped_vba_project())
    return out


def raw_grid(path: Path, sheet: str) -> list[list]:
    """A sheet's cells read straight with python-calamine (independent of dvcq.intake.read), from A1."""
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def raw_cell(grid: list[list], ref: str):
    """The value at 'E12' in a grid from ``raw_grid``; '' beyond its used area."""
    row, col = spec.split_cell(ref)
    return grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[row - 1]) else ""
