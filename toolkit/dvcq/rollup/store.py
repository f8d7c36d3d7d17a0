"""History of consolidations in an embedded SQLite database.

Tables: ``runs`` (one per consolidation), ``submissions`` (latest file seen per unit, form and
period, with the one it replaced), ``unit_values`` (indicator and measure values per unit and
period) and ``rollup_values`` (the totals of each roll-up). Every write is one transaction;
WAL mode and a busy timeout let two runs share a database without corrupting it.

The history and the roll-up workbook agree even when a run is killed between writing them: a run is
first ``stage``d (its values in ``pending_*`` tables with the SHA-256 of the roll-up about to be put in
place), then the roll-up is renamed into place, then the run is ``complete``d (its values moved into the
tables above). A run left pending is settled by ``recover`` before the history is read or written again:
completed when the file at its roll-up's path is the one it staged, dropped otherwise (the roll-up in place
is then the earlier run's, whose history is still there).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from array import array
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from dvcq import outputs
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
CREATE TABLE IF NOT EXISTS pending (
    run_id INTEGER PRIMARY KEY, period TEXT NOT NULL, parent_code TEXT NOT NULL, out_path TEXT NOT NULL,
    sha256 TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pending_submissions (
    run_id INTEGER NOT NULL, unit_code TEXT NOT NULL, form_id TEXT NOT NULL, sha256 TEXT NOT NULL,
    status TEXT NOT NULL, file_name TEXT, received TEXT);
CREATE TABLE IF NOT EXISTS pending_values (
    run_id INTEGER NOT NULL, unit_code TEXT, keys TEXT NOT NULL, numbers BLOB NOT NULL);
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
        recover(con)
        rows = con.execute("SELECT unit_code, form_id, sha256 FROM submissions WHERE period=?", (period,))
        return {(u, f): s for u, f, s in rows}


def stage(path: Path, *, period: str, parent_code: str, folder: Path, out_path: Path, sha256: str,
          submissions: list[dict], unit_values: dict[str, dict[str, float]], totals: Values, expected: int) -> int:
    """Record a run as pending (one transaction): its roll-up, ``sha256``, is not in place yet. Returns its id,
    for ``complete`` once the roll-up is renamed into ``out_path``."""
    with connect(path) as con:
        recover(con)
        with transaction(con):
            cur = con.execute(
                "INSERT INTO runs (at, period, parent_code, folder, out_path, submitted, expected) "
                "VALUES (?,?,?,?,?,?,?)",
                (datetime.now().isoformat(timespec="seconds"), period, parent_code, str(folder), str(out_path),
                 len({s["unit_code"] for s in submissions}), expected))
            run_id = cur.lastrowid
            con.execute("INSERT INTO pending VALUES (?,?,?,?,?,?,?,?)",
                        (run_id, period, parent_code, str(out_path), sha256, outputs.host(), os.getpid(), time.time()))
            con.executemany("INSERT INTO pending_submissions VALUES (?,?,?,?,?,?,?)",
                            [(run_id, s["unit_code"], s["form_id"], s["sha256"], s["status"], s["file_name"],
                              s["received"]) for s in submissions])
            # one row per unit, its keys and its numbers packed (a national run stages 3,321 rows, not 500,000)
            con.executemany("INSERT INTO pending_values VALUES (?,?,?,?)",
                            [(run_id, unit, *_pack(values)) for unit, values in unit_values.items()])
            con.execute("INSERT INTO pending_values VALUES (?,?,?,?)", (run_id, None, *_pack(totals.flat())))
    return run_id


def complete(path: Path, run_id: int) -> None:
    """The staged run's roll-up is in place: move its values into the history (one transaction)."""
    with connect(path) as con, transaction(con):
        _apply(con, run_id)


def _apply(con, run_id: int) -> None:
    row = con.execute("SELECT period, parent_code FROM pending WHERE run_id=?", (run_id,)).fetchone()
    if row is None:
        return
    period, parent_code = row
    for unit_code, form_id, sha, status, file_name, received in con.execute(
            "SELECT unit_code, form_id, sha256, status, file_name, received FROM pending_submissions WHERE run_id=?",
            (run_id,)).fetchall():
        old = con.execute("SELECT sha256, replaced_sha256 FROM submissions WHERE period=? AND unit_code=? AND form_id=?",
                          (period, unit_code, form_id)).fetchone()
        replaced = (old[1] if old and old[0] == sha else (old[0] if old else None))
        con.execute("INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?,?)",
                    (period, unit_code, form_id, sha, status, file_name, received, run_id, replaced))
    for unit, keys, numbers in con.execute("SELECT unit_code, keys, numbers FROM pending_values WHERE run_id=?",
                                           (run_id,)).fetchall():
        pairs = zip(keys.split("\n"), array("d", numbers))
        if unit is None:
            con.execute("DELETE FROM rollup_values WHERE period=? AND parent_code=?", (period, parent_code))
            con.executemany("INSERT INTO rollup_values VALUES (?,?,?,?)", [(period, parent_code, k, v) for k, v in pairs])
        else:
            con.execute("DELETE FROM unit_values WHERE period=? AND unit_code=?", (period, unit))
            con.executemany("INSERT INTO unit_values VALUES (?,?,?,?)", [(period, unit, k, v) for k, v in pairs])
    _drop(con, run_id)


def _pack(values: dict) -> tuple[str, bytes]:
    """A unit's numbers as (keys one a line, their values as doubles): staged compactly, read back exactly."""
    kept = {k: v for k, v in values.items() if isinstance(v, (int, float))}
    return "\n".join(kept), array("d", kept.values()).tobytes()


def _drop(con, run_id: int) -> None:
    for table in ("pending", "pending_submissions", "pending_values"):
        con.execute(f"DELETE FROM {table} WHERE run_id=?", (run_id,))


def recover(con) -> None:
    """Settle the runs a killed process left pending: complete those whose roll-up is in place (the file at its
    path has the staged SHA-256), drop the others (their roll-up never replaced the earlier one). A run still in
    progress (its process alive on this machine, or staged less than STALE_SECONDS ago elsewhere) is left alone."""
    pending = con.execute("SELECT run_id, out_path, sha256, host, pid, at FROM pending").fetchall()
    for run_id, out_path, sha, host, pid, at in pending:
        gone = (host == outputs.host() and pid != os.getpid() and outputs.pid_gone(pid)) or \
            time.time() - at > outputs.STALE_SECONDS
        if not gone:
            continue
        with transaction(con):
            if _sha256(Path(out_path)) == sha:
                _apply(con, run_id)
            else:
                _drop(con, run_id)


def _sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
                else hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def rollup_totals(path: Path | None, period: str, parent_code: str) -> Values | None:
    """The additive totals recorded for a roll-up, or None when that period was never consolidated."""
    if path is None or not Path(path).exists():
        return None
    with connect(path) as con:
        recover(con)
        rows = con.execute("SELECT key, value FROM rollup_values WHERE period=? AND parent_code=?",
                           (period, parent_code)).fetchall()
    return Values.from_flat({k: v for k, v in rows}) if rows else None


def rollup_run(path: Path | None, period: str, parent_code: str) -> tuple[int, int] | None:
    """The units that sent and the units expected in the latest consolidation of a period whose values are in the
    history (completed, not pending or dropped), or None."""
    if path is None or not Path(path).exists():
        return None
    with connect(path) as con:
        recover(con)
        row = con.execute("SELECT submitted, expected FROM runs WHERE period=? AND parent_code=? "
                          "AND id NOT IN (SELECT run_id FROM pending) "
                          "AND id IN (SELECT run_id FROM submissions WHERE period=?) ORDER BY id DESC LIMIT 1",
                          (period, parent_code, period)).fetchone()
    return (int(row[0]), int(row[1])) if row and row[0] is not None and row[1] is not None else None
