"""Where dvcq writes what it makes, decided here once for the command line and the Excel buttons.

- results folder: as given (``--out FOLDER``, the «Thư mục ghi kết quả» cell), else ``ket-qua/``
  beside the submissions folder;
- roll-up: ``<results>/tong-hop-<code>-<name>-<period>.xlsx``;
- report: beside its roll-up, ``bao-cao-<roll-up name>.docx``;
- annotated copies: ``<results>/ban-danh-dau-loi/``;
- history: one database per user whatever the folders, ``<dvcq home>/lich-su.sqlite``, so the
  "so với cùng kỳ" comparison finds last year's run from either route. The home is
  ``$DVCQ_HOME``, else ``%LOCALAPPDATA%\\dvcq`` on Windows (beside the installed environment) and
  ``$XDG_DATA_HOME/dvcq`` (``~/.local/share/dvcq``) elsewhere.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError
from .text import fold

RESULTS = "ket-qua"
ANNOTATED = "ban-danh-dau-loi"
HISTORY = "lich-su.sqlite"


def home() -> Path:
    """The per-user folder of dvcq's own data (the history database)."""
    env = os.environ.get("DVCQ_HOME")
    if env:
        return Path(env)
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "dvcq"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "dvcq"


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


def _slug(name: str) -> str:
    return "-".join(fold(name).split())


def rollup_path(results: Path, parent, period) -> Path:
    """The roll-up of ``parent`` (a registry Unit) for ``period``, in the results folder."""
    return Path(results) / f"tong-hop-{parent.code}-{_slug(parent.name)}-{period.slug}.xlsx"


def unit_report_path(source: Path, code: str, name: str, period_slug: str) -> Path:
    """The report a unit writes from its own files: in the results folder of ``source`` (its folder or first
    file); ``period_slug`` is the period as a file name holds it (dvcq.periods.Period.slug)."""
    return results_dir(source) / f"bao-cao-{code}-{_slug(name)}-{period_slug}.docx"


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
