"""Where dvcq writes what it makes, decided here once for the command line and the Excel buttons.

- results folder: as given (``--out FOLDER``, the «Thư mục ghi kết quả» cell), else ``ket-qua/``
  beside the submissions folder;
- roll-up: ``<results>/tong-hop-<code>-<name>-<period>.xlsx``;
- report: beside its roll-up, ``bao-cao-<roll-up name>.docx``;
- annotated copies: ``<results>/ban-danh-dau-loi/``;
- an output whose file is open in Excel or Word (Windows refuses to replace it): `FileInUse`, a message
  naming the file and saying to close it; documents and annotated copies instead go to a new name beside
  it (``<name>-ban-moi.docx``, `beside_note` says so);
- what `dvcq build` wrote (file -> SHA-256, ``<dvcq home>/da-tao.json``), so a rebuild replaces only
  files nobody changed since (dvcq.kit);
- history: one database per user whatever the folders, ``<dvcq home>/lich-su.sqlite``, so the
  "so với cùng kỳ" comparison finds last year's run from either route. The home is
  ``$DVCQ_HOME``, else ``%LOCALAPPDATA%\\dvcq`` on Windows (beside the installed environment) and
  ``$XDG_DATA_HOME/dvcq`` (``~/.local/share/dvcq``) elsewhere.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import socket
import sys
import tempfile
import time
from pathlib import Path

from dvcq.errors import UserError
from dvcq.resources import home
from dvcq.text import fold

RESULTS = "ket-qua"
ANNOTATED = "ban-danh-dau-loi"
HISTORY = "lich-su.sqlite"


BUILT = "da-tao.json"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


def _built() -> dict[str, str]:
    try:
        data = json.loads((home() / BUILT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def as_built(path: Path) -> bool:
    """Whether ``path`` holds exactly what `dvcq build` last wrote there (nobody typed into it or saved it)."""
    recorded = _built().get(_key(path))
    return recorded is not None and Path(path).is_file() and file_sha256(path) == recorded


def record_built(paths) -> None:
    """Remember what `dvcq build` just wrote at ``paths``."""
    built = {**_built(), **{_key(p): file_sha256(p) for p in paths}}
    write_atomic(home() / BUILT, lambda tmp: tmp.write_text(json.dumps(built, ensure_ascii=False, indent=0),
                                                           encoding="utf-8"))


def history_db(given: Path | None = None) -> Path:
    """The history database: as given, else the user's one."""
    return Path(given) if given else home() / HISTORY


def results_dir(submissions: Path, given: Path | None = None) -> Path:
    """The folder for roll-ups, reports and annotated copies of a folder (or a file) of submissions."""
    if given:
        return Path(given)
    submissions = Path(submissions).resolve()
    folder = submissions if submissions.is_dir() else submissions.parent
    return folder.parent / RESULTS if submissions.is_dir() else folder / RESULTS


def annotated_dir(results: Path) -> Path:
    return Path(results) / ANNOTATED


def file_slug(name: str) -> str:
    """A name as a file name holds it: 'Huyện Như Thanh' -> 'huyen-nhu-thanh'."""
    return "-".join(fold(name).split())


def rollup_path(results: Path, parent, period) -> Path:
    """The roll-up of ``parent`` (a registry Unit) for ``period``, in the results folder."""
    return Path(results) / f"tong-hop-{parent.code}-{file_slug(parent.name)}-{period.slug}.xlsx"


def unit_report_path(source: Path, code: str, name: str, period_slug: str) -> Path:
    """The report a unit writes from its own files: in the results folder of ``source`` (its folder or first
    file); ``period_slug`` is the period as a file name holds it (dvcq.calendar.periods.Period.slug)."""
    return results_dir(source) / f"bao-cao-{code}-{file_slug(name)}-{period_slug}.docx"


def report_path(source: Path) -> Path:
    """The Word report written from a roll-up (or a commune's report): beside it."""
    source = Path(source)
    return source.with_name(f"bao-cao-{source.stem}.docx")


def writable_dir(path: Path) -> Path:
    """Create the output folder, or fail with a Vietnamese message (exit status 2)."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".dvcq-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        raise UserError(f"Không ghi được vào thư mục «{path}»: kiểm tra đường dẫn và quyền ghi.") from None
    return path


TMP_PREFIX = ".tmp-dvcq-"
STALE_SECONDS = 15 * 60  # the longest write (a national roll-up) takes seconds
_TMP_NAME = re.compile(r"^\.tmp-dvcq-([0-9a-f]{8})-([0-9]+)-[a-z0-9_]{8}(?:\.[A-Za-z0-9]{1,8})?$")
_LEGACY_TMP_NAME = re.compile(r"^\.tmp-[a-z0-9_]{8}\.(?:xlsx|xlsm|docx|md)$")  # before the host and PID tag
_cleaned: set[Path] = set()


def host() -> str:
    """A short tag of this machine (temporary files, the history's pending runs)."""
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def pid_gone(pid: int) -> bool:
    """Whether a process of this machine no longer exists (never known on Windows: False)."""
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there: rely on age alone
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def clean_stale_temp(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files that killed dvcq runs left in ``folder``; returns what was removed.

    Only dvcq's own names (``.tmp-dvcq-<host>-<pid>-<random>.<ext>``, and the older
    ``.tmp-<random>.xlsx|xlsm|docx|md``) are touched, and only when older than STALE_SECONDS or
    written on this machine by a process that no longer exists: another run's file in progress stays.
    """
    now = time.time() if now is None else now
    here, removed = host(), []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for e in entries:
        own = _TMP_NAME.match(e.name)
        if not own and not _LEGACY_TMP_NAME.match(e.name):
            continue
        try:
            if not e.is_file(follow_symlinks=False):
                continue
            old = now - e.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            orphan = bool(own) and own.group(1) == here and int(own.group(2)) != os.getpid() \
                and pid_gone(int(own.group(2)))
            if old or orphan:
                os.unlink(e.path)
                removed.append(Path(e.path))
        except OSError:
            continue
    return removed


class FileInUse(UserError):
    """An output could not replace its file: Windows refuses while Excel or Word has it open (WinError 32
    or 5), as it does for a read-only file."""

    def __init__(self, path: Path):
        super().__init__(f"Không ghi được tệp «{path}» vì tệp đang mở trong Excel, Word hoặc chương trình khác "
                         "(hoặc tệp chỉ cho phép đọc): hãy đóng tệp rồi làm lại.")
        self.path = Path(path)


BESIDE = "ban-moi"  # the mark of a document written beside its open namesake
_BESIDE_STEM = re.compile(rf"^(?P<stem>.+)-{BESIDE}(?:-(?P<n>[0-9]+))?$")
BESIDE_TRIES = 20


def beside_names(path: Path):
    """The names a document takes when its own file is open: ``x-ban-moi.docx``, ``x-ban-moi-2.docx``, ..."""
    path = Path(path)
    yield path.with_name(f"{path.stem}-{BESIDE}{path.suffix}")
    for n in itertools.count(2):
        yield path.with_name(f"{path.stem}-{BESIDE}-{n}{path.suffix}")


def beside_note(path: Path) -> str:
    """The Vietnamese sentence saying a document went beside its open namesake ('' for a file at its own name)."""
    path = Path(path)
    m = _BESIDE_STEM.match(path.stem)
    if not m:
        return ""
    return (f"Tệp {m['stem']}{path.suffix} đang mở (trong Word hoặc Excel) nên bản mới được ghi thành "
            f"{path.name}.")


def write_atomic(path: Path, writer, beside: bool = False) -> Path:
    """Call ``writer(tmp_path)`` then rename into place, so a reader never sees half a file; returns the
    path written.

    Windows refuses the rename while the target is open in Excel or Word: then `FileInUse` is raised,
    or, with ``beside`` (documents, annotated copies: outputs nobody types into), the file goes to the
    first free name of `beside_names`. The hidden temporary file carries this machine's and process's tag;
    the first write into a folder removes the ones killed runs left there (`clean_stale_temp`).
    """
    return put_in_place(write_beside(path, writer), path, beside)


def write_beside(path: Path, writer) -> Path:
    """Call ``writer(tmp_path)`` on a hidden temporary file beside ``path`` and return it, not yet in place
    (``put_in_place`` renames it; a consolidation records its history in between)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent.resolve()
    if folder not in _cleaned:
        _cleaned.add(folder)
        clean_stale_temp(folder)
    fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{host()}-{os.getpid()}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def put_in_place(tmp: Path, path: Path, beside: bool = False) -> Path:
    """Rename a file written by ``write_beside`` over ``path`` (atomic on one volume) and return where it went:
    ``path``, or with ``beside`` the first free name of `beside_names` when ``path`` is open; `FileInUse` (the
    temporary file removed) when it cannot be placed."""
    try:
        return _place(Path(tmp), Path(path), beside)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _place(tmp: Path, path: Path, beside: bool) -> Path:
    targets = itertools.chain([path], itertools.islice(beside_names(path), BESIDE_TRIES) if beside else [])
    for target in targets:
        try:
            os.replace(tmp, target)
            return target
        except PermissionError:  # open in Excel or Word, or read-only
            continue
    raise FileInUse(path)
