"""Excel buttons: thin xlwings entry points of the control workbook (macros/DieuKhien.bas).

Each entry point gets the calling workbook, reads the named input cells, calls the same library
function as the CLI and writes the result back. ``run_*`` take any object offering the xlwings
calls used here (``book.names[name].refers_to_range``, ``book.sheets[name].range(addr)``,
``book.fullname``), so they are tested without Excel. Errors go to the status cell in Vietnamese,
never as tracebacks. Paths in cells are read as pasted (quotes and spaces around them dropped),
a relative one in the control workbook's folder (dvcq.paths), never in Python's working folder
(xlwings starts Python in the environment's Scripts folder).
"""
from __future__ import annotations

from pathlib import Path

from dvcq import outputs, paths
from dvcq.codes import cell_text
from dvcq.errors import UserError
from dvcq.forms.control import (CONTROL, ERROR, INPUTS, NO_FOLDER, NO_PLAN, NO_ROLLUP, OUTPUTS, RESULT_COLUMNS,
                                RESULT_ROWS, RESULTS_ROW)

from .xlsm import VERSION_NAME, xlwings_version

RESULT_AREA = f"A{RESULTS_ROW}:{chr(ord('A') + RESULT_COLUMNS - 1)}{RESULTS_ROW + RESULT_ROWS}"


def _get(book, name: str) -> str:
    """An input cell as text (the cells are Text; a number from an older workbook loses its '.0')."""
    return cell_text(book.names[name].refers_to_range.value)


LABELS = {name: label for name, label, *_ in INPUTS + OUTPUTS}


def _path(book, name: str) -> Path | None:
    """The path in an input cell, as pasted; relative to the control workbook's folder."""
    return paths.resolve(_get(book, name), LABELS[name], lambda: _book_folder(book))


def _book_folder(book) -> Path | None:
    """The control workbook's folder; None when Excel knows it only as a web address (OneDrive, SharePoint)."""
    try:
        full = book.fullname  # xlwings maps a OneDrive address to the local file when it can
    except Exception:  # xlwings could not (XlwingsError, or its own UnboundLocalError for some SharePoint sites)
        return None
    return None if not full or "://" in full else Path(full).parent


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
                        f"{xlwings_version()}: hai bản phải trùng nhau. Hãy đóng Excel, bấm đúp tệp cai-dat.bat "
                        "trong thư mục bộ cài dvcq, rồi mở bảng điều khiển mà cai-dat.bat báo ở cuối "
                        "(dvcq-dieu-khien.xlsm).")


def _guard(book, action):
    try:
        check_xlwings(book)
        action()
    except UserError as exc:
        _set(book, "TrangThai", ERROR.format(message=exc.message))
    except Exception as exc:  # shown to the official instead of an xlwings traceback
        _set(book, "TrangThai", f"Lỗi nội bộ của dvcq ({type(exc).__name__}: {exc}); hãy báo cho người quản trị.")


def _out_dir(book) -> Path:
    return outputs.writable_dir(outputs.results_dir(_folder(book), _path(book, "ThuMucKetQua")))


def _folder(book) -> Path:
    folder = _path(book, "ThuMucNop")
    if folder is None or not folder.is_dir():
        raise UserError(NO_FOLDER.format(path=folder or ""))
    return folder


def run_kiem_tra(book) -> None:
    from dvcq.intake.early import started  # lazy: each Excel button loads only what it runs

    def action():
        folder, period = _folder(book), _get(book, "KyBaoCao") or None
        with started([folder], period=period) as early:  # the workers first, as the command line's (dvcq.intake.early)
            from dvcq.intake.validate import validate_paths  # lazy: each Excel button loads only what it runs

            report = validate_paths([folder], period=period, annotate_dir=outputs.annotated_dir(_out_dir(book)),
                                    early=early)
        _table(book, report.PROBLEM_HEADER, report.problem_rows())
        _set(book, "TrangThai", report.status_line())

    _guard(book, action)


def run_tong_hop(book) -> None:
    from dvcq.intake.early import started  # lazy: each Excel button loads only what it runs

    def action():
        folder, period, parent = _folder(book), _get(book, "KyBaoCao") or None, _get(book, "DonViCapTren") or None
        with started([folder], period=period, parent=parent) as early:  # the workers first, as the command line's
            from dvcq.rollup.consolidate import consolidate_folder  # lazy: each Excel button loads only what it runs

            result = consolidate_folder(folder, period=period, parent=parent, out=_out_dir(book), early=early)
        _table(book, result.LEDGER_HEADER, result.ledger_rows())
        _set(book, "TepTongHop", str(result.out_path))
        _set(book, "TrangThai", result.status_line())

    _guard(book, action)


def run_xuat_bao_cao(book) -> None:
    from dvcq.documents.narrative import write_report  # lazy: each Excel button loads only what it runs

    def action():
        rollup = _path(book, "TepTongHop")
        if rollup is None or not rollup.exists():
            raise UserError(NO_ROLLUP)
        written = write_report(rollup, signer=_get(book, "NguoiKy") or None, number=_get(book, "SoVanBan") or None)
        _set(book, "TepBaoCao", str(written.docx))
        _set(book, "TepDoiChieu", str(written.check))
        _set(book, "TrangThai", written.status_line())

    _guard(book, action)


def run_xuat_ke_hoach(book) -> None:
    from dvcq.documents.planwriter import write_plan  # lazy: each Excel button loads only what it runs

    def action():
        workbook = _path(book, "TepKeHoach")
        if workbook is None or not workbook.is_file():
            raise UserError(NO_PLAN.format(path=workbook or ""))
        given = _path(book, "ThuMucKetQua")
        out = outputs.writable_dir(given) / f"{workbook.stem}.docx" if given else None
        done = write_plan(workbook, out=out)  # number, date and signer: the plan workbook's own
        _set(book, "TepVanBanKeHoach", str(done.docx))
        _set(book, "TrangThai", done.status_line())

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
