"""Builders of bad files, made by code (no committed binaries): each writes one file and returns its path."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path


def _xlsx_bytes() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("Chỉ tiêu").write(0, 0, "x")
    wb.close()
    return buf.getvalue()


def empty_file(d: Path) -> Path:
    p = Path(d) / "rong.xlsx"
    p.write_bytes(b"")
    return p


def not_zip(d: Path) -> Path:
    p = Path(d) / "khong-phai-excel.xlsx"
    p.write_text("Báo cáo 6 tháng, xem tệp đính kèm", encoding="utf-8")
    return p


def truncated_xlsx(d: Path) -> Path:
    data = _xlsx_bytes()
    p = Path(d) / "gui-do-dang.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


def corrupt_member_xlsx(d: Path) -> Path:
    src = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    p = Path(d) / "hong-noi-dung.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        for n in src.namelist():
            if n != "xl/workbook.xml":
                z.writestr(n, src.read(n))
    return p


def encrypted_xlsx(d: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    p = Path(d) / "co-mat-khau.xlsx"
    with open(p, "wb") as out:
        OOXMLFile(io.BytesIO(_xlsx_bytes())).encrypt("123456", out)
    return p


def html_as_xls(d: Path) -> Path:
    p = Path(d) / "xuat-tu-phan-mem.xls"
    p.write_text("<html><body><table><tr><td>Số liệu</td></tr></table></body></html>", encoding="utf-8")
    return p


def ods_file(d: Path) -> Path:
    p = Path(d) / "bang-tinh.ods"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return p


def xlsb_file(d: Path) -> Path:
    p = Path(d) / "nhi-phan.xlsb"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x00\x01")
    return p


def lock_file(d: Path, name: str = "~$bao-cao.xlsx") -> Path:
    p = Path(d) / name
    p.write_bytes(b"\x0bNguyen Van A" + b" " * 152)
    return p


def hidden_file(d: Path) -> Path:
    p = Path(d) / ".DS_Store"
    p.write_bytes(b"\x00\x00\x00\x01Bud1")
    return p


def not_spreadsheet(d: Path) -> Path:
    p = Path(d) / "cong-van.pdf"
    p.write_bytes(b"%PDF-1.4\n%...")
    return p


def zip_bomb(d: Path, megabytes: int = 300) -> Path:
    src = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    p = Path(d) / "qua-lon.xlsx"
    chunk = b"\x00" * (1 << 20)
    # deflate's fastest level: 300 MiB of zeros in 0.4 s of CPU, not 1.5 s, still over 200 times smaller (1.3 MiB)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n in src.namelist():
            z.writestr(n, src.read(n))
        with z.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as f:
            for _ in range(megabytes):
                f.write(chunk)
    return p


def damaged_sheet_xlsx(d: Path, source: Path) -> Path:
    """A real submission whose zip directory is intact but one sheet's compressed data is garbled
    (a transfer error): only a reader that decompresses the part can tell."""
    data = bytearray(Path(source).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = max((i for i in z.infolist() if i.filename.startswith("xl/worksheets/")), key=lambda i: i.compress_size)
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(start + info.compress_size // 3, start + info.compress_size // 3 + 64):
        data[k] ^= 0x5A
    p = Path(d) / "hong-du-lieu-nen.xlsx"
    p.write_bytes(bytes(data))
    return p


def million_rows_xlsx(d: Path, source: Path, sheet_part: str = "xl/worksheets/sheet2.xml") -> Path:
    """A real submission (30 KB) whose sheet holds a million rows and 16,380 cells written without their r=
    reference, then one value: python-calamine sizes the sheet's grid from them (about 17 billion cells) and
    the process aborts ("memory allocation of 549399344896 bytes failed"). The reader's far-cell clipping
    looks at r= references and cannot see it; only a worker process keeps the run alive."""
    p = Path(d) / "trieu-dong.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                far = (b"<row/>" * 1_048_000 + b"<row>" + b"<c/>" * 16_380
                       + b'<c t="inlineStr"><is><t>x</t></is></c></row>')
                data = data.replace(b"</sheetData>", far + b"</sheetData>")
            out.writestr(info, data)
    return p
