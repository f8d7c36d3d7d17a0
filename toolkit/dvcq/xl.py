"""Excel buttons: thin xlwings entry points of the control workbook (macros/DieuKhien.bas).

Each entry point gets the calling workbook, reads the named input cells, calls the same library
function as the CLI and writes the result back. ``run_*`` take any object offering the xlwings
calls used here (``book.names[name].refers_to_range``, ``book.sheets[name].range(addr)``), so
they are tested without Excel. Errors go to the status cell in Vietnamese, never as tracebacks.
"""
from __future__ import annotations

from pathlib import Path

from .xlsm import CONTROL, RESULTS_ROW

RESULT_AREA = f"A{RESULTS_ROW}:J{RESULTS_ROW + 5000}"


def _get(book, name: str) -> str:
    v = book.names[name].refers_to_range.value
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()


def _set(book, name: str, value) -> None:
    book.names[name].refers_to_range.value = value


def _table(book, header, rows) -> None:
    sheet = book.sheets[CONTROL]
    sheet.range(RESULT_AREA).clear_contents()
    sheet.range(f"A{RESULTS_ROW}").value = [list(header)] + [list(r) for r in rows]


def _guard(book, action):
    from .errors import UserError

    try:
        action()
    except UserError as exc:
        _set(book, "TrangThai", f"Lỗi: {exc.message}")
    except Exception as exc:  # shown to the official instead of an xlwings traceback
        _set(book, "TrangThai", f"Lỗi nội bộ của dvcq ({type(exc).__name__}: {exc}); hãy báo cho người quản trị.")


def _out_dir(book) -> Path:
    from .build import writable_dir

    return writable_dir(Path(_get(book, "ThuMucKetQua") or Path(_get(book, "ThuMucNop")).parent / "ket-qua"))


def _folder(book) -> Path:
    from .errors import UserError

    text = _get(book, "ThuMucNop")
    if not text or not Path(text).is_dir():
        raise UserError(f"Không thấy thư mục biểu nộp «{text}»; hãy ghi đúng đường dẫn.")
    return Path(text)


def run_kiem_tra(book) -> None:
    from .validate import validate_paths

    def action():
        report = validate_paths([_folder(book)], period=_get(book, "KyBaoCao") or None,
                                annotate_dir=_out_dir(book) / "ban-danh-dau-loi")
        _table(book, report.PROBLEM_HEADER, report.problem_rows())
        _set(book, "TrangThai", report.status_line())

    _guard(book, action)


def run_tong_hop(book) -> None:
    from .consolidate import consolidate_folder

    def action():
        out_dir = _out_dir(book)
        result = consolidate_folder(_folder(book), period=_get(book, "KyBaoCao") or None,
                                    parent=_get(book, "DonViCapTren") or None, db=out_dir / "dvcq-lich-su.sqlite",
                                    out=out_dir)
        _table(book, result.LEDGER_HEADER, result.ledger_rows())
        _set(book, "TepTongHop", str(result.out_path))
        _set(book, "TrangThai", result.status_line())

    _guard(book, action)


def run_xuat_bao_cao(book) -> None:
    from .errors import UserError
    from .narrative import write_report

    def action():
        rollup = _get(book, "TepTongHop")
        if not rollup or not Path(rollup).exists():
            raise UserError("Chưa có biểu tổng hợp: hãy bấm «Tổng hợp» trước.")
        out_dir = _out_dir(book)
        path = write_report(Path(rollup), out=out_dir / f"bao-cao-{Path(rollup).stem}.docx",
                            signer=_get(book, "NguoiKy") or None, number=_get(book, "SoVanBan") or None,
                            db=out_dir / "dvcq-lich-su.sqlite")
        _set(book, "TepBaoCao", str(path))
        _set(book, "TrangThai", f"Đã ghi báo cáo {path.name}.")

    _guard(book, action)


def _caller():
    import xlwings

    return xlwings.Book.caller()


def kiem_tra() -> None:
    run_kiem_tra(_caller())


def tong_hop() -> None:
    run_tong_hop(_caller())


def xuat_bao_cao() -> None:
    run_xuat_bao_cao(_caller())
