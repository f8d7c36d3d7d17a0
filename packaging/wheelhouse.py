"""Offline Windows install bundle: dvcq's wheel, its runtime dependencies' wheels, cai-dat.bat and the guide.

``python packaging/wheelhouse.py [OUT_DIR]`` (``make wheelhouse``) writes ``dist/dvcq-windows/`` and
``dist/dvcq-windows.zip``, to be copied to an office PC without internet. The officials' guide,
docs/huong-dan-su-dung.md, goes in as ``HUONG-DAN.txt`` (plain text: Notepad opens a .txt with a double
click, a .md it does not know) with its pictures in ``hinh/``.

pip evaluates environment markers (``pywin32; platform_system == "Windows"``, ``python_version <
"3.11"``) for the interpreter it runs in, even with ``--platform``; :func:`pip_as_windows` runs pip
with the marker environment of CPython on 64-bit Windows, so the bundle holds what Windows needs.
"""
from __future__ import annotations

import json
import re
import shutil
import textwrap
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = Path(__file__).resolve().with_name("windows")
GUIDE = ROOT / "docs" / "huong-dan-su-dung.md"  # the officials' guide, shipped as GUIDE_NAME
GUIDE_NAME = "HUONG-DAN.txt"
IMAGES = ROOT / "docs" / "img"  # the guide's pictures, shipped in PICTURES
PICTURES = "hinh"
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
DEFAULT_OUT = ROOT / "dist" / "dvcq-windows"

# Not copied when the source tree is staged for the wheel build (in-tree build/lib would go stale).
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "__pycache__", "*.egg-info",
                                     ".pytest_cache", ".cache", "~$*")

# Runs pip with its markers evaluated for the environment given as JSON in argv[1].
_PIP_AS_WINDOWS = """\
import json, sys
from pip._vendor.packaging import markers
target = json.loads(sys.argv.pop(1))
running = markers.default_environment
markers.default_environment = lambda: {**running(), **target}
from pip._internal.cli.main import main
sys.exit(main())
"""


class WheelhouseError(RuntimeError):
    """A step of the bundle build failed; the message says which and quotes pip."""


def windows_environment(python: str) -> dict[str, str]:
    """PEP 508 marker values of CPython ``python`` ("3.12") on 64-bit Windows 10/11."""
    return {"implementation_name": "cpython", "implementation_version": f"{python}.0",
            "os_name": "nt", "platform_machine": "AMD64", "platform_python_implementation": "CPython",
            "platform_release": "10", "platform_system": "Windows", "platform_version": "10.0.19045",
            "python_full_version": f"{python}.0", "python_version": python, "sys_platform": "win32"}


def target_options(python: str) -> list[str]:
    """pip options selecting binary wheels for CPython ``python`` on win_amd64."""
    return ["--only-binary=:all:", "--platform", "win_amd64", "--python-version", python,
            "--implementation", "cp"]


def pip_as_windows(python: str, command: str, *args: str) -> list[str]:
    """The command line running ``pip command args...`` as if on Windows with CPython ``python``."""
    return [sys.executable, "-c", _PIP_AS_WINDOWS, json.dumps(windows_environment(python)), command,
            *target_options(python), *args]


def run(cmd: list[str], what: str) -> subprocess.CompletedProcess:
    """Run ``cmd``; a failure raises WheelhouseError naming ``what`` with pip's last output lines."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise WheelhouseError(f"{what} failed (exit {proc.returncode}; is PyPI reachable?):\n{tail}")
    return proc


def build_wheel(out_dir: Path, isolated: bool = True) -> Path:
    """Build dvcq's wheel from a clean copy of the source tree into ``out_dir``; return its path.
    ``isolated``: in a fresh build environment with pyproject.toml's build requirements (downloaded); else
    with this environment's setuptools (the tests' way: no download)."""
    with tempfile.TemporaryDirectory(prefix="dvcq-wheel-") as tmp:
        src, wheels = Path(tmp) / "src", Path(tmp) / "wheels"
        shutil.copytree(ROOT, src, ignore=_NOT_SOURCE)
        isolation = [] if isolated else ["--no-build-isolation"]
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "--quiet", "--wheel-dir", str(wheels),
             str(src)], "building the dvcq wheel")
        (wheel,) = wheels.glob("dvcq-*.whl")
        return Path(shutil.move(str(wheel), out_dir / wheel.name))


_IMAGE = re.compile(r"!\[(.+?)\]\((?:img/)?([^)\s]+)\)", re.S)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_PICTURE = "\x00"  # marks a line that holds a picture's caption, rewrapped at the end


def _table(rows: list[str]) -> list[str]:
    """A Markdown table as columns aligned with spaces (its |---| row left out)."""
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows if not re.match(r"^\|[-:| ]+\|$", r)]
    widths = [max(len(r[i]) for r in cells if i < len(r)) for i in range(max(map(len, cells)))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]


def guide_text(markdown: str) -> str:
    """The guide as plain text for Notepad: headings underlined, code blocks indented, tables aligned, no
    Markdown marks; a link is its text (a web address kept beside it), a picture its caption and its file
    in the bundle's ``hinh`` folder (``PICTURES``)."""
    text = _IMAGE.sub(lambda m: f"{_PICTURE}(Hình: {' '.join(m.group(1).split())}. Tệp {PICTURES}\\{m.group(2)})",
                      markdown)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2).startswith("http") else m.group(1), text)
    out: list[str] = []
    lines, i, code = text.splitlines(), 0, False
    while i < len(lines):
        line = lines[i] if code or lines[i].startswith("```") else _BOLD.sub(r"\1", lines[i]).replace("`", "")
        if line.startswith("```"):
            code = not code
        elif code:
            out.append("    " + line)
        elif line.lstrip().startswith("|"):  # a table, maybe inside a list item (indented)
            indent, rows = line[:len(line) - len(line.lstrip())], []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_BOLD.sub(r"\1", lines[i].strip()).replace("`", ""))
                i += 1
            out += [indent + row for row in _table(rows)]
            continue
        elif line.startswith("#"):
            level, title = len(line) - len(line.lstrip("#")), line.lstrip("#").strip()
            title = title.upper() if level == 1 else title
            out += [title, ("=" if level == 1 else "-") * len(title)] if level <= 2 else [title]
        elif _PICTURE in line:
            indent = line[:len(line) - len(line.lstrip())]
            out += textwrap.wrap(line.replace(_PICTURE, "").strip(), 100, initial_indent=indent,
                                 subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
        else:
            out.append(line.rstrip())
        i += 1
    return "\n".join(out).rstrip() + "\n"


def copy_texts(out_dir: Path) -> None:
    """Write the Windows texts with CRLF line endings: cai-dat.bat (packaging/windows/), the guide as
    HUONG-DAN.txt, and the guide's pictures into hinh/."""
    for template in sorted(TEXTS.iterdir()):
        text = template.read_text(encoding="utf-8")
        (out_dir / template.name).write_text(text, encoding="utf-8", newline="\r\n")
    (out_dir / GUIDE_NAME).write_text(guide_text(GUIDE.read_text(encoding="utf-8")), encoding="utf-8",
                                      newline="\r\n")
    pictures = out_dir / PICTURES
    pictures.mkdir(exist_ok=True)
    for image in sorted(IMAGES.glob("*.png")):
        shutil.copy2(image, pictures / image.name)


def build_wheelhouse(out_dir: Path = DEFAULT_OUT, pythons: tuple[str, ...] = PYTHONS) -> Path:
    """Write the bundle into ``out_dir`` (emptied first): wheels for every Python of ``pythons``."""
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    wheel = build_wheel(out_dir)
    for python in pythons:
        run(pip_as_windows(python, "download", "--quiet", "--dest", str(out_dir), str(wheel)),
            f"pip download for Windows, Python {python}")
    copy_texts(out_dir)
    return out_dir


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else DEFAULT_OUT
    try:
        folder = build_wheelhouse(out_dir)
    except WheelhouseError as exc:
        print(exc, file=sys.stderr)
        return 1
    archive = shutil.make_archive(str(folder), "zip", folder.parent, folder.name)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    print(f"{folder} ({len(list(folder.glob('*.whl')))} wheels, {size:.0f} MB) and {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
