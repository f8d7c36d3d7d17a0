"""Excel buttons: thin xlwings entry points of the control workbook (macros/DieuKhien.bas).

Each entry point gets the calling workbook, reads the named input cells, calls the same library
function as the CLI and writes the result back. ``run_*`` take any object offering the xlwings
calls used here (``book.names[name].refers_to_range``, ``book.sheets[name].range(addr)``), so
they are tested without Excel. Errors go to the status cell in Vietnamese, never as tracebacks.
"""
from __future__ import annotations

from pathlib import Path

from dvcq import outputs
from dvcq.codes import cell_text
from dvcq.errors import UserError

from .xlsm import CONTROL, RESULTS_ROW, VERSION_NAME, xlwings_version

RESULT_AREA = f"A{RESULTS_ROW}:J{RESULTS_ROW + 5000}"


def _get(book, name: str) -> str:
    """An input cell as text (the cells are Text; a number from an older workbook loses its '.0')."""
    return cell_text(book.names[name].refers_to_range.value)


def _set(book, name: str, value) -> None:
    book.names[name].refers_to_range.value = value


def _table(book, header, rows) -> None:
    sheet = book.sheets[CONTROL]
    sheet.range(RESULT_AREA).clear_contents()
    values = [list(header)] + [list(r) for r in rows]
    # the first column holds unit codes or file names: a Text column, or Excel turns 00004 into the number 4;
    # the others keep their numbers as numbers
    sheet.range(f"A{RESULTS_ROW}:A{RESULTS_ROW + len(rows)}").number_format = "@"
    sheet.range(f"A{RESULTS_ROW}").value = values


def check_xlwings(book) -> None:
    """The workbook's xlwings VBA module must match the installed xlwings package."""
    built = _get(book, VERSION_NAME)
    if built != xlwings_version():
        raise UserError(f"Bảng điều khiển được tạo với xlwings {built or '(không rõ)'}, máy đang dùng xlwings "
                        f"{xlwings_version()}: hai bản phải trùng nhau. Hãy chạy lại lệnh «dvcq build» rồi mở "
                        "bảng điều khiển mới.")


def _guard(book, action):
    try:
        check_xlwings(book)
        action()
    except UserError as exc:
        _set(book, "TrangThai", f"Lỗi: {exc.message}")
    except Exception as exc:  # shown to the official instead of an xlwings traceback
        _set(book, "TrangThai", f"Lỗi nội bộ của dvcq ({type(exc).__name__}: {exc}); hãy báo cho người quản trị.")


def _out_dir(book) -> Path:
    return outputs.writable_dir(outputs.results_dir(_folder(book), _get(book, "ThuMucKetQua") or None))


def _folder(book) -> Path:
    text = _get(book, "ThuMucNop")
    if not text or not Path(text).is_dir():
        raise UserError(f"Không thấy thư mục biểu nộp «{text}»; hãy ghi đúng đường dẫn.")
    return Path(text)


def run_kiem_tra(book) -> None:
    from dvcq.intake.validate import validate_paths  # lazy: each Excel button loads only what it runs

    def action():
        report = validate_paths([_folder(book)], period=_get(book, "KyBaoCao") or None,
                                annotate_dir=outputs.annotated_dir(_out_dir(book)))
        _table(book, report.PROBLEM_HEADER, report.problem_rows())
        _set(book, "TrangThai", report.status_line())

    _guard(book, action)


def run_tong_hop(book) -> None:
    from dvcq.rollup.consolidate import consolidate_folder  # lazy: each Excel button loads only what it runs

    def action():
        out_dir = _out_dir(book)
        result = consolidate_folder(_folder(book), period=_get(book, "KyBaoCao") or None,
                                    parent=_get(book, "DonViCapTren") or None, out=out_dir)
        _table(book, result.LEDGER_HEADER, result.ledger_rows())
        _set(book, "TepTongHop", str(result.out_path))
        _set(book, "TrangThai", result.status_line())

    _guard(book, action)


def run_xuat_bao_cao(book) -> None:
    from dvcq.documents.narrative import write_report  # lazy: each Excel button loads only what it runs

    def action():
        rollup = _get(book, "TepTongHop")
        if not rollup or not Path(rollup).exists():
            raise UserError("Chưa có biểu tổng hợp: hãy bấm «Tổng hợp» trước.")
        written = write_report(Path(rollup), signer=_get(book, "NguoiKy") or None,
                               number=_get(book, "SoVanBan") or None)
        _set(book, "TepBaoCao", str(written.docx))
        _set(book, "TepDoiChieu", str(written.check))
        _set(book, "TrangThai", written.status_line())

    _guard(book, action)


def run_xuat_ke_hoach(book) -> None:
    from dvcq.documents.planwriter import write_plan  # lazy: each Excel button loads only what it runs

    def action():
        text = _get(book, "TepKeHoach")
        if not text or not Path(text).is_file():
            raise UserError(f"Không thấy biểu kế hoạch «{text}»; hãy ghi đường dẫn tệp kế hoạch (.xlsx) vào ô "
                            "«Biểu kế hoạch».")
        workbook = Path(text)
        given = _get(book, "ThuMucKetQua")
        out = outputs.writable_dir(Path(given)) / f"{workbook.stem}.docx" if given else None
        done = write_plan(workbook, out=out)  # number, date and signer: the plan workbook's own
        _set(book, "TepVanBanKeHoach", str(done.docx))
        notes = "".join(f" {n}" for n in done.notes)
        _set(book, "TrangThai", f"Đã ghi kế hoạch {done.docx.name} ({done.tasks} nhiệm vụ, {done.bodies} cơ quan, "
                                f"đơn vị được giao).{notes}")

    _guard(book, action)


def _caller():
    import xlwings  # lazy: xlwings exists only on Windows with Excel; the rest of xl.py is testable without it

    return xlwings.Book.caller()


def kiem_tra() -> None:
    run_kiem_tra(_caller())


def tong_hop() -> None:
    run_tong_hop(_caller())


def xuat_bao_cao() -> None:
    run_xuat_bao_cao(_caller())


def xuat_ke_hoach() -> None:
    run_xuat_ke_hoach(_caller())
