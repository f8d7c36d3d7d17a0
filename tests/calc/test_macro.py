"""The LibreOffice buttons' macro without LibreOffice: its functions take plain values (cell texts, the
document's URL, os.name), so the Windows paths of an office PC (a user name with spaces and Vietnamese
letters, dvcq.exe in a venv's Scripts folder, pasted paths, a network share) are tested here with
Windows path rules (ntpath), as the macro applies them when os.name is "nt"."""
from __future__ import annotations

import json
import sys
import types

import pytest
from dvcq import paths
from dvcq.calc import ods
from dvcq.errors import UserError
from dvcq.forms import control

USER = r"C:\Users\Cán bộ"
DOCS = USER + r"\Documents\dvcq"
SCRIPTS = USER + r"\AppData\Local\dvcq\.venv\Scripts"
URL = "file:///C:/Users/C%C3%A1n%20b%E1%BB%99/Documents/dvcq/dvcq-dieu-khien.ods"  # as LibreOffice gives doc.URL


@pytest.fixture(scope="module")
def macro():
    """The macro as `dvcq build` stores it in the document (dvcq's words written in)."""
    module = types.ModuleType("dieukhien")
    exec(compile(ods.macro_source(), "dieukhien.py", "exec"), module.__dict__)
    return module


def _windows(paths):
    """isdir/isfile on a made-up Windows disk holding ``paths`` (folders end with a backslash)."""
    return (lambda p: p + "\\" in paths), (lambda p: p in paths)


def test_the_documents_folder_from_its_url(macro):
    assert macro.document_folder(URL, nt=True) == DOCS
    assert macro.document_folder("file://may-chu/Chia%20s%E1%BA%BB/B%C3%A1o%20c%C3%A1o/dk.ods", nt=True) == \
        r"\\may-chu\Chia sẻ\Báo cáo"  # a network share
    assert macro.document_folder("file:///home/c%C3%A1n%20b%E1%BB%99/dvcq/dk.ods", nt=False) == "/home/cán bộ/dvcq"
    assert macro.document_folder("", nt=True) == ""  # not saved yet
    assert macro.document_folder("https://onedrive.live.com/x/dk.ods", nt=True) == ""


def test_paths_in_cells_as_pasted_and_relative(macro):
    # Explorer's «Copy as path» puts double quotes around; spaces and a non-breaking space around are dropped
    assert macro.absolute(' "D:\\DVCQ\\Biểu nộp 6 tháng" ', DOCS, nt=True) == r"D:\DVCQ\Biểu nộp 6 tháng"
    assert macro.absolute("\u00a0“D:\\Kết quả”", DOCS, nt=True) == r"D:\Kết quả"
    # a relative path is the workbook's folder's, never LibreOffice's working folder
    assert macro.absolute(r"nop\2024-H1", DOCS, nt=True) == DOCS + r"\nop\2024-H1"
    assert macro.absolute(r"..\Kết quả", DOCS, nt=True) == USER + r"\Documents\Kết quả"
    assert macro.absolute(r"\\may-chu\Chia sẻ\nộp", DOCS, nt=True) == r"\\may-chu\Chia sẻ\nộp"
    assert macro.absolute("", DOCS, nt=True) == ""
    assert macro.absolute(r"D:\nộp", "", nt=True) == r"D:\nộp"


def test_a_relative_path_where_the_workbooks_folder_is_unknown_is_refused_as_the_excel_buttons_do(macro, tmp_path):
    """Never LibreOffice's working folder: the same message as dvcq.paths gives the Excel buttons."""
    label = dict((n, l) for n, l, _ in control.INPUTS)["ThuMucNop"]
    with pytest.raises(macro.Problem) as refused:
        macro.command("TongHop", {"ThuMucNop": ' "nop" '}, "", nt=True)
    with pytest.raises(UserError) as excel:
        paths.resolve(' "nop" ', label, lambda: None)
    assert str(refused.value) == control.ERROR.format(message=excel.value.message)
    assert f"Ô «{label}» ghi «nop»" in str(refused.value)
    assert (macro.QUOTES, macro.SPACES) == (paths.QUOTES, paths.SPACES)  # a path is read as pasted, both ways


def test_the_program_path_for_any_account(macro):
    env = {"LOCALAPPDATA": USER + r"\AppData\Local", "USERPROFILE": USER}
    assert macro.program_path(r"%LOCALAPPDATA%\dvcq\.venv\Scripts\dvcq.exe", env, nt=True) == SCRIPTS + r"\dvcq.exe"
    assert macro.program_path(r'"%localappdata%\dvcq\.venv\Scripts\dvcq.exe"', env, nt=True) == SCRIPTS + r"\dvcq.exe"
    assert macro.program_path(SCRIPTS + r"\dvcq.exe", env, nt=True) == SCRIPTS + r"\dvcq.exe"
    assert macro.program_path(r"%KHONG_CO%\dvcq.exe", env, nt=True) == r"%KHONG_CO%\dvcq.exe"
    assert macro.program_path("$HOME/.venv/bin/dvcq", {"HOME": "/home/cán bộ"}, nt=False) == "/home/cán bộ/.venv/bin/dvcq"
    # the builder writes what the macro reads back
    assert macro.program_path(ods.program_beside(SCRIPTS + r"\pythonw.exe"), env, nt=True) == SCRIPTS + r"\dvcq.exe"
    written = ods.for_any_account(SCRIPTS + r"\dvcq.exe", env)
    assert written.startswith("%LOCALAPPDATA%")
    colleague = {"LOCALAPPDATA": r"C:\Users\Nguyễn Thị Hoa\AppData\Local"}  # a colleague's copy of the workbook
    assert macro.program_path(written, colleague, nt=True) == r"C:\Users\Nguyễn Thị Hoa\AppData\Local\dvcq\.venv\Scripts\dvcq.exe"


def test_each_buttons_command_line_on_windows_paths(macro):
    isdir, isfile = _windows({r"D:\DVCQ\Biểu nộp 6 tháng" + "\\", DOCS + r"\ket-qua\tong-hop-403.xlsx",
                              DOCS + r"\Kế hoạch 2025.xlsx"})
    cells = {"ThuMucNop": '"D:\\DVCQ\\Biểu nộp 6 tháng"', "KyBaoCao": " 2024-H1 ", "DonViCapTren": "00403",
             "ThuMucKetQua": "", "NguoiKy": "KT. Lê Văn Bình", "SoVanBan": "125",
             "TepKeHoach": "Kế hoạch 2025.xlsx", "TepTongHop": r"ket-qua\tong-hop-403.xlsx"}

    def line(button, **changed):
        return macro.command(button, {**cells, **changed}, DOCS, True, isdir, isfile)

    folder = r"D:\DVCQ\Biểu nộp 6 tháng"
    assert line("KiemTra") == ["validate", folder, "--json", "--annotate=", "--period", "2024-H1"]
    assert line("KiemTra", ThuMucKetQua=r"E:\Kết quả") == \
        ["validate", folder, "--json", r"--annotate=E:\Kết quả" + "\\" + "ban-danh-dau-loi", "--period", "2024-H1"]
    assert line("TongHop") == ["consolidate", folder, "--json", "--period", "2024-H1", "--parent", "00403"]
    assert line("TongHop", ThuMucKetQua=r"E:\Kết quả", KyBaoCao="") == \
        ["consolidate", folder, "--json", "--parent", "00403", "--out", r"E:\Kết quả"]
    assert line("XuatBaoCao") == ["report", DOCS + r"\ket-qua\tong-hop-403.xlsx", "--json",
                                  "--signer", "KT. Lê Văn Bình", "--number", "125"]
    assert line("XuatKeHoach") == ["plan", DOCS + r"\Kế hoạch 2025.xlsx", "--json"]
    assert line("XuatKeHoach", ThuMucKetQua=r"E:\Kết quả") == \
        ["plan", DOCS + r"\Kế hoạch 2025.xlsx", "--json", "--out", r"E:\Kết quả\Kế hoạch 2025.docx"]
    # every argument is one list item: no shell, no quoting, spaces and Vietnamese letters intact
    assert all(isinstance(a, str) for a in line("TongHop"))


def test_a_cell_naming_nothing_is_said_as_the_excel_buttons_say_it(macro):
    isdir, isfile = _windows(set())
    with pytest.raises(macro.Problem) as e:
        macro.command("TongHop", {"ThuMucNop": r"D:\Không có"}, DOCS, True, isdir, isfile)
    assert str(e.value) == control.ERROR.format(message=control.NO_FOLDER.format(path=r"D:\Không có"))
    with pytest.raises(macro.Problem) as e:
        macro.command("XuatBaoCao", {}, DOCS, True, isdir, isfile)
    assert str(e.value) == control.ERROR.format(message=control.NO_ROLLUP)
    with pytest.raises(macro.Problem) as e:
        macro.command("XuatKeHoach", {"TepKeHoach": "kh.xlsx"}, DOCS, True, isdir, isfile)
    assert str(e.value) == control.ERROR.format(message=control.NO_PLAN.format(path=DOCS + r"\kh.xlsx"))


def test_dvcqs_answer_is_shown_as_it_is(macro):
    data = {"status_line": "Đã kiểm tra 2 tệp: 1 hợp lệ, 1 có lỗi, 0 không đọc được, 0 bỏ qua.",
            "table": {"header": ["Tệp", "Tình trạng"], "rows": [["00004.xlsx", "Hợp lệ"], ["b.xlsx", "Có lỗi"]]}}
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    assert macro.answer(1, raw, b"") == data  # exit 1: a file has errors, the answer is still the JSON
    cells, rows = macro.shown("KiemTra", data)
    assert cells == {"TrangThai": data["status_line"]}
    assert rows == [["Tệp", "Tình trạng"], ["00004.xlsx", "Hợp lệ"], ["b.xlsx", "Có lỗi"]]  # codes stay text
    cells, rows = macro.shown("TongHop", {"status_line": "x", "out_path": DOCS + r"\t.xlsx", "table": data["table"]})
    assert cells == {"TrangThai": "x", "TepTongHop": DOCS + r"\t.xlsx"}
    cells, rows = macro.shown("XuatBaoCao", {"status_line": "Đã ghi báo cáo b.docx.", "out_path": "b.docx"})
    assert cells == {"TrangThai": "Đã ghi báo cáo b.docx.", "TepBaoCao": "b.docx"} and rows is None  # table kept
    assert macro.grid([["a", 1], ["b"]], 3) == (("a", 1, ""), ("b", "", ""))
    # the results columns fit their longest text, within bounds (1/100 mm)
    assert macro.widths([["Mã đơn vị", "Ghi chú"], ["16228", "x" * 200], [None]], 3) == \
        [9 * macro.CHAR_WIDTH, macro.WIDEST, macro.NARROWEST]
    assert macro.grid([[None, 2.5]], 2) == (("", 2.5),)


def test_when_dvcq_fails_its_own_vietnamese_line_is_shown(macro):
    err = ("Cách dùng: dvcq consolidate ...\n\nLỗi: Không suy ra được kỳ báo cáo từ các tệp (không có tệp hợp lệ); "
           "hãy chỉ rõ --period.\n").encode("utf-8")
    with pytest.raises(macro.Problem) as e:
        macro.answer(2, b"", err)
    assert str(e.value) == "Lỗi: Không suy ra được kỳ báo cáo từ các tệp (không có tệp hợp lệ); hãy chỉ rõ --period."
    with pytest.raises(macro.Problem) as e:
        macro.answer(0, "đây không phải JSON".encode("utf-8"), b"")
    assert str(e.value) == control.ERROR.format(message=ods.MESSAGES["no_output"].format(code=0))
    with pytest.raises(macro.Problem) as e:
        macro.answer(-9, b"", b"")  # killed
    assert "(mã -9)" in str(e.value)


def test_the_program_missing_or_not_startable(macro, tmp_path):
    missing = str(tmp_path / "Cán bộ" / "không có" / "dvcq")
    with pytest.raises(macro.Problem) as e:
        macro.find_program(f'"{missing}"', False, {})
    assert str(e.value) == control.ERROR.format(message=ods.MESSAGES["no_program"].format(path=missing))
    not_a_program = tmp_path / "dvcq thử.txt"
    not_a_program.write_text("không chạy được", encoding="utf-8")
    with pytest.raises(macro.Problem) as e:
        macro.run(str(not_a_program), ["validate"], False, {})
    assert str(e.value).startswith("Lỗi: Không chạy được chương trình dvcq «")
    assert macro.find_program(sys.executable, False, {}) == sys.executable


def test_dvcq_runs_in_utf_8_without_libreoffices_python_settings(macro):
    env = macro.child_environment({"PATH": r"C:\Windows", "PYTHONHOME": r"C:\Program Files\LibreOffice\program\python-core",
                                   "PYTHONPATH": r"C:\Program Files\LibreOffice\program", "pythonpath": "x",
                                   "DVCQ_HOME": r"D:\dvcq", "LOCALAPPDATA": USER + r"\AppData\Local"})
    assert env == {"PATH": r"C:\Windows", "DVCQ_HOME": r"D:\dvcq", "LOCALAPPDATA": USER + r"\AppData\Local",
                   "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}


def test_a_real_dvcq_answers_the_macro(macro, tmp_path):
    """The program the buttons run by default, called as the macro calls it (no LibreOffice)."""
    code, out, err = macro.run(ods.default_program(), ["plan", str(tmp_path / "không có.xlsx"), "--json"], False,
                               {"PATH": "/usr/bin:/bin", "DVCQ_HOME": str(tmp_path)})
    assert code == 2
    with pytest.raises(macro.Problem) as e:
        macro.answer(code, out, err)
    assert str(e.value).startswith("Lỗi: ") and "không có.xlsx" in str(e.value)
