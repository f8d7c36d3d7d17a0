"""History of consolidations in an embedded SQLite database.

Tables: ``runs`` (one per consolidation), ``submissions`` (latest file seen per unit, form and
period, with the one it replaced), ``unit_values`` (indicator and measure values per unit and
period) and ``rollup_values`` (the totals of each roll-up). Every write is one transaction;
WAL mode and a busy timeout let two runs share a database without corrupting it.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from dvcq.errors import UserError
from dvcq.model import Values

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, period TEXT NOT NULL, parent_code TEXT NOT NULL,
    folder TEXT, out_path TEXT, submitted INTEGER, expected INTEGER);
CREATE TABLE IF NOT EXISTS submissions (
    period TEXT NOT NULL, unit_code TEXT NOT NULL, form_id TEXT NOT NULL, sha256 TEXT NOT NULL,
    status TEXT NOT NULL, file_name TEXT, received TEXT, run_id INTEGER, replaced_sha256 TEXT,
    PRIMARY KEY (period, unit_code, form_id));
CREATE TABLE IF NOT EXISTS unit_values (
    period TEXT NOT NULL, unit_code TEXT NOT NULL, key TEXT NOT NULL, value REAL,
    PRIMARY KEY (period, unit_code, key));
CREATE TABLE IF NOT EXISTS rollup_values (
    period TEXT NOT NULL, parent_code TEXT NOT NULL, key TEXT NOT NULL, value REAL,
    PRIMARY KEY (period, parent_code, key));
"""


BUSY_SECONDS = 30  # how long a run waits for another run's write to finish


@contextmanager
def connect(path: Path):
    """A connection with the schema in place; SQLite failures become a Vietnamese UserError."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise _user_error(path, exc) from None
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        con.executescript(SCHEMA)
        yield con
    except sqlite3.Error as exc:
        raise _user_error(path, exc) from None
    finally:
        con.close()


def _user_error(path: Path, exc: Exception):
    if "locked" in str(exc) or "busy" in str(exc):
        why = (f"tệp đang bận quá {BUSY_SECONDS} giây (một lần tổng hợp khác hoặc phần mềm khác đang mở tệp); "
               "hãy chờ rồi chạy lại")
    else:
        why = "không mở hoặc không ghi được tệp (kiểm tra đường dẫn, quyền ghi, hoặc tệp không phải cơ sở dữ liệu dvcq)"
    return UserError(f"Cơ sở dữ liệu lịch sử «{path}»: {why}.")


@contextmanager
def transaction(con):
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def previous_submissions(path: Path, period: str) -> dict[tuple[str, str], str]:
    """(unit_code, form_id) -> sha256 of the file recorded earlier for this period."""
    if not Path(path).exists():
        return {}
    with connect(path) as con:
        rows = con.execute("SELECT unit_code, form_id, sha256 FROM submissions WHERE period=?", (period,))
        return {(u, f): s for u, f, s in rows}


def record(path: Path, *, period: str, parent_code: str, folder: Path, out_path: Path,
           submissions: list[dict], unit_values: dict[str, dict[str, float]], totals: Values,
           expected: int) -> int:
    """Record one consolidation; re-running on the same files changes nothing but the run log."""
    with connect(path) as con, transaction(con):
        cur = con.execute(
            "INSERT INTO runs (at, period, parent_code, folder, out_path, submitted, expected) VALUES (?,?,?,?,?,?,?)",
            (datetime.now().isoformat(timespec="seconds"), period, parent_code, str(folder), str(out_path),
             len({s["unit_code"] for s in submissions}), expected))
        run_id = cur.lastrowid
        for s in submissions:
            old = con.execute("SELECT sha256, replaced_sha256 FROM submissions WHERE period=? AND unit_code=? AND form_id=?",
                              (period, s["unit_code"], s["form_id"])).fetchone()
            replaced = (old[1] if old and old[0] == s["sha256"] else (old[0] if old else None))
            con.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?,?)",
                (period, s["unit_code"], s["form_id"], s["sha256"], s["status"], s["file_name"], s["received"],
                 run_id, replaced))
        for unit, values in unit_values.items():
            con.execute("DELETE FROM unit_values WHERE period=? AND unit_code=?", (period, unit))
            con.executemany("INSERT INTO unit_values VALUES (?,?,?,?)",
                            [(period, unit, k, v) for k, v in values.items() if isinstance(v, (int, float))])
        con.execute("DELETE FROM rollup_values WHERE period=? AND parent_code=?", (period, parent_code))
        con.executemany("INSERT INTO rollup_values VALUES (?,?,?,?)",
                        [(period, parent_code, k, v) for k, v in totals.flat().items()])
    return run_id


def rollup_totals(path: Path | None, period: str, parent_code: str) -> Values | None:
    """The additive totals recorded for a roll-up, or None when that period was never consolidated."""
    if path is None or not Path(path).exists():
        return None
    with connect(path) as con:
        rows = con.execute("SELECT key, value FROM rollup_values WHERE period=? AND parent_code=?",
                           (period, parent_code)).fetchall()
    return Values.from_flat({k: v for k, v in rows}) if rows else None


def rollup_run(path: Path | None, period: str, parent_code: str) -> tuple[int, int] | None:
    """The units that sent and the units expected in the latest consolidation of a period, or None."""
    if path is None or not Path(path).exists():
        return None
    with connect(path) as con:
        row = con.execute("SELECT submitted, expected FROM runs WHERE period=? AND parent_code=? ORDER BY id DESC "
                          "LIMIT 1", (period, parent_code)).fetchone()
    return (int(row[0]), int(row[1])) if row and row[0] is not None and row[1] is not None else None
