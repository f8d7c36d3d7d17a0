# dvcq offline installer, run by cai-dat.bat with the Python it found (standard library only).
#
#   python cai-dat.py --kiem-tra     is this Python one the bundle can install into? (exit 0 / 1, says why)
#   python cai-dat.py --moi-truong   run by an existing environment's own python: is it still usable?
#   python cai-dat.py [--lam-lai]    install: reuse or rebuild %LOCALAPPDATA%\dvcq\.venv, install dvcq from
#                                    the wheels beside this file, write the forms and the control workbook
#                                    into the Documents folder (OneDrive's when Documents moved there)
#
# Everything printed is Vietnamese: an officer reads it. Kept to syntax that any Python 3 parses, so an
# old Python found on the PC is told why it is not used instead of failing with a traceback.
import argparse
import os
import platform
import shutil
import stat
import struct
import subprocess
import sys
from pathlib import Path

SUPPORTED = ((3, 10), (3, 14))  # the bundle's wheels: CPython 3.10 to 3.14, 64-bit (packaging/wheelhouse.py)
HERE = Path(__file__).resolve().parent
WINDOWS = os.name == "nt"
REINSTALL = "Hãy đóng Excel rồi bấm đúp lại tệp cai-dat.bat."


def say(text=""):
    print(text, flush=True)


def label(version=None):
    v = version or sys.version_info
    return "Python {}.{}.{} {}-bit".format(v[0], v[1], v[2], struct.calcsize("P") * 8)


def problems(version=None, bits=None, implementation=None, base=None, windows=None, machine=None):
    """Why a Python cannot hold dvcq ([] when it can); the facts default to the running Python's."""
    version = tuple(version or sys.version_info)[:2]
    bits = bits or struct.calcsize("P") * 8
    implementation = implementation or sys.implementation.name
    base = base or " ".join(str(p) for p in (sys.base_prefix, sys.executable, getattr(sys, "_base_executable", "")))
    windows = WINDOWS if windows is None else windows
    machine = machine or platform.machine()
    lo, hi = SUPPORTED
    found = []
    if implementation != "cpython":
        found.append("không phải Python chuẩn (CPython) của python.org")
    if not lo <= version <= hi:
        found.append("bộ cài có gói cho Python {}.{} đến {}.{}".format(lo[0], lo[1], hi[0], hi[1]))
    if bits != 64:
        found.append("đây là bản 32-bit, bộ cài chỉ có gói cho Python 64-bit")
    elif windows and machine.upper() != "AMD64":
        found.append("đây là bản cho máy {}, bộ cài chỉ có gói cho Python 64-bit loại thường (AMD64)".format(machine))
    if "WindowsApps" in base:  # the Microsoft Store's: writes under %LOCALAPPDATA% go to its private folder
        found.append("Python cài từ Microsoft Store ghi các tệp trong thư mục AppData vào thư mục riêng của nó, "
                     "Excel không thấy được")
    return found


def check_this_python():
    found = problems()
    where = sys.executable
    if found:
        say("      Bỏ qua {} ({}): {}.".format(label(), where, "; ".join(found)))
        return 1
    say("      Dùng {} ({}).".format(label(), where))
    return 0


def check_environment():
    """Run by an environment's own python: usable when this Python is, its base Python is still there
    and pip works."""
    found = problems()
    base = getattr(sys, "_base_executable", sys.executable)
    if base and not Path(base).exists():
        found.append("không còn Python đã tạo ra nó ({})".format(base))
    try:
        import pip  # noqa: F401
    except ImportError:
        found.append("thiếu pip")
    if found:
        say("; ".join(found))
        return 1
    say(label())
    return 0


def bin_dir(venv):
    return venv / ("Scripts" if WINDOWS else "bin")


def exe(venv, name):
    return bin_dir(venv) / (name + ".exe" if WINDOWS else name)


def made_by(venv):
    """The Python that made an environment, as its pyvenv.cfg says ("Python 3.12.1 (C:\\...)")."""
    values = {}
    try:
        for line in (venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                values[key.strip().lower()] = value.strip()
    except OSError:
        return "không rõ"
    version = values.get("version") or values.get("version_info") or "?"
    return "Python {} ({})".format(version, values.get("home", "?"))


def usable(venv):
    """(True, what it runs) when the environment's python starts and passes check_environment, else
    (False, why)."""
    python = exe(venv, "python")
    if not python.exists():
        return False, "thiếu {}".format(python.name)
    try:
        run = subprocess.run([str(python), str(Path(__file__).resolve()), "--moi-truong"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=utf8_env(), timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, "không chạy được ({})".format(exc.__class__.__name__)
    text = run.stdout.decode("utf-8", "replace").strip()
    if run.returncode != 0:
        return False, text.splitlines()[-1] if text and "Traceback" not in text else "không chạy được"
    return True, text


def remove(venv):
    def writable(func, path, _):
        os.chmod(path, stat.S_IWRITE)
        func(path)

    try:
        shutil.rmtree(str(venv), onerror=writable)
    except OSError:
        say("[LỖI] Không xóa được môi trường cũ \"{}\": có chương trình đang dùng nó (Excel đang chạy một nút "
            "của dvcq?). {}".format(venv, REINSTALL))
        return False
    return True


def utf8_env():
    """Python children write UTF-8 to pipes (else the ANSI code page drops Vietnamese letters)."""
    env = dict(os.environ)
    env["PYTHONUTF8"] = "1"
    return env


def pip_env():
    """No pip setting of the PC (index, proxy, find-links) changes what an offline install does."""
    env = {k: v for k, v in utf8_env().items() if not k.upper().startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def pip(venv, *args):
    command = [str(exe(venv, "python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "--no-warn-script-location", "--no-index", "--find-links", str(BUNDLE)] + list(args)
    return subprocess.run(command, env=pip_env(), stdin=subprocess.DEVNULL).returncode == 0


def documents():
    """The user's Documents folder where Windows keeps it (moved into OneDrive on many PCs)."""
    if WINDOWS:
        import ctypes
        from ctypes import wintypes

        class GUID(ctypes.Structure):
            _fields_ = [("Data1", wintypes.DWORD), ("Data2", wintypes.WORD), ("Data3", wintypes.WORD),
                        ("Data4", ctypes.c_ubyte * 8)]

        folder_id = GUID(0xFDD39AD0, 0x238F, 0x46AF,
                         (ctypes.c_ubyte * 8)(0xAD, 0xB4, 0x6C, 0x85, 0x48, 0x03, 0x69, 0xC7))  # FOLDERID_Documents
        found = ctypes.c_wchar_p()
        if ctypes.windll.shell32.SHGetKnownFolderPath(ctypes.byref(folder_id), 0, None, ctypes.byref(found)) == 0:
            try:
                return Path(found.value)
            finally:
                ctypes.windll.ole32.CoTaskMemFree(found)
    return Path.home() / "Documents"


def install(venv, out, fresh):
    say("[2/4] Môi trường Python riêng của dvcq tại \"{}\"...".format(venv))
    if fresh and venv.exists():
        say("      Cài lại từ đầu: xóa môi trường cũ (lịch sử tổng hợp vẫn giữ nguyên).")
        if not remove(venv):
            return 1
    if venv.exists():
        ok, what = usable(venv)
        if ok:
            say("      Đã có, do {} tạo, còn dùng được: cài đè phiên bản mới.".format(made_by(venv)))
        else:
            say("      Môi trường có sẵn (do {} tạo) không dùng được: {}. Xóa và tạo lại.".format(made_by(venv), what))
            if not remove(venv):
                return 1
    if not venv.exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        if subprocess.run([sys.executable, "-m", "venv", str(venv)], stdin=subprocess.DEVNULL).returncode != 0:
            say("[LỖI] Không tạo được môi trường Python tại \"{}\".".format(venv))
            return 1
        ok, what = usable(venv)
        if not ok:
            say("[LỖI] Môi trường vừa tạo tại \"{}\" không dùng được: {}.".format(venv, what))
            return 1
        say("      Đã tạo bằng {}.".format(label()))

    say("[3/4] Cài dvcq từ thư mục \"{}\" (không cần mạng)...".format(BUNDLE))
    # --force-reinstall --no-deps: the bundle's dvcq replaces the installed one even at the same version
    if not (pip(venv, "--upgrade", "dvcq") and pip(venv, "--force-reinstall", "--no-deps", "dvcq")):
        say("[LỖI] Cài dvcq không thành công (xem thông báo của pip ở trên). Bộ cài này có gói cho Python "
            "{}.{} đến {}.{}, Windows 64-bit; hãy giải nén lại toàn bộ bộ cài rồi chạy lại cai-dat.bat."
            .format(SUPPORTED[0][0], SUPPORTED[0][1], SUPPORTED[1][0], SUPPORTED[1][1]))
        return 1
    check = subprocess.run([str(exe(venv, "python")), "-c", "import dvcq.excel.xl, xlwings"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=utf8_env())
    if check.returncode != 0:
        say("[LỖI] dvcq đã cài nhưng không nạp được. Hãy chạy tệp cai-lai-tu-dau.bat để cài lại từ đầu.")
        say(check.stderr.decode("utf-8", "replace").strip().splitlines()[-1] if check.stderr else "")
        return 1

    say("[4/4] Tạo biểu mẫu và bảng điều khiển trong \"{}\"...".format(out))
    build = subprocess.run([str(exe(venv, "dvcq")), "build", "--out", str(out)], stdin=subprocess.DEVNULL,
                           env=utf8_env())
    if build.returncode != 0:
        say("[LỖI] Không tạo được biểu mẫu và bảng điều khiển (xem thông báo ở trên).")
        return 1
    say()
    say("=" * 60)
    say("  CÀI ĐẶT XONG.")
    say("  Bảng điều khiển: \"{}\"".format(out / "dvcq-dieu-khien.xlsm"))
    say("  Mở tệp này bằng Microsoft Excel, bấm nút Bật nội dung trên thanh màu vàng,")
    say("  rồi dùng các nút Kiểm tra, Tổng hợp, Xuất báo cáo.")
    say("  Máy dùng LibreOffice: mở \"{}\" (HUONG-DAN.txt, mục 9).".format(out / "dvcq-dieu-khien.ods"))
    say("=" * 60)
    if WINDOWS:
        os.startfile(str(out))
    return 0


def main(argv=None):
    global BUNDLE
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--kiem-tra", action="store_true")
    parser.add_argument("--moi-truong", action="store_true")
    parser.add_argument("--lam-lai", action="store_true")
    parser.add_argument("--bundle", type=Path, default=HERE)
    parser.add_argument("--venv", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.kiem_tra:
        return check_this_python()
    if args.moi_truong:
        return check_environment()
    BUNDLE = args.bundle.resolve()
    local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    venv = args.venv or Path(local) / "dvcq" / ".venv"
    out = args.out or documents() / "dvcq"
    return install(venv, out, args.lam_lai)


BUNDLE = HERE

if __name__ == "__main__":
    sys.exit(main())
