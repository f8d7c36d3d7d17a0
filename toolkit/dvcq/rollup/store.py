"""History of consolidations in an embedded SQLite database.

Every stored value is keyed by what it is: the period; the part of the period it covers (``part``: ``''``
the whole period, ``'legacy'`` or ``'2025'`` one part of a period that straddles the 2025 reform,
dvcq.calendar.periods.Part); the roll-up that stored it (``rollup_code``: the parent unit of the run); the
unit; and its role in that roll-up (``role``: a dvcq.model.UnitGroup value: a territorial child, an
abolished district, a declared body, the issuer's own row). So a district's own row in its roll-up and
its row in the province's run are two records, and 16264 Xã Yên Thọ in both eras of a straddling period
is two units, never a replaced submission.

Tables: ``runs`` (one per consolidation), ``submissions`` (latest file per roll-up, unit and form, with the
one it replaced), ``unit_values`` and ``unit_targets`` (each unit's values and target tallies in a
roll-up; ``WITHOUT ROWID``, stored in their keys' order alone: a national run records 532,000 values, a third
cheaper and in half the space than with a row id and a key index beside it; a database created earlier keeps its
tables as they were), ``rollup_values`` and ``rollup_targets`` (the roll-up's totals). Every write is one transaction;
WAL mode and a busy timeout let two runs share a database. A database written before these keys (schema
1: values by period and unit code) is migrated in place when first opened (``_migrate``).

The history and the roll-up workbook agree even when a run is killed between writing them: a run is first
recorded as pending (``record``: its records in the ``pending*`` tables; ``seal`` then adds the SHA-256 of the
roll-up about to be put in place),
then the roll-up is renamed into place, then the run is ``complete``d (its records moved into the tables
above). A run left pending is settled by ``recover`` whenever the history is opened: completed when the file
at its roll-up's path is the one it staged, dropped otherwise (the roll-up in place is then the earlier run's,
whose records are still there).
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dvcq import outputs
from dvcq.calendar.periods import Period, parse
from dvcq.errors import UserError
from dvcq.forms.spec import REPORT, ROLLUP_FORM_ID
from dvcq.model import TargetTally, UnitGroup, Values
from dvcq.units.registry import BODY_LEVEL, Unit, era_of, for_period, unit_part

from .aggregate import add_into
from .coverage import UnitSet, from_roles

# PRAGMA user_version; 0 is a database of schema 1 (or a new file); 3 adds the pending runs; 4 the codes of the units
# a run expected (runs.expected_units: 'code:group' joined by ','; NULL for a run recorded before, read as not known);
# 5 the pending units' records in the history's own shape (pending_unit_*, ``reshape``: moved by one statement each)
SCHEMA_VERSION = 5
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, period TEXT NOT NULL, parent_code TEXT NOT NULL,
    folder TEXT, out_path TEXT, submitted INTEGER, expected INTEGER, part TEXT NOT NULL DEFAULT '',
    expected_units TEXT);
CREATE TABLE IF NOT EXISTS submissions (
    period TEXT NOT NULL, part TEXT NOT NULL, rollup_code TEXT NOT NULL, unit_code TEXT NOT NULL,
    form_id TEXT NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL, file_name TEXT, received TEXT,
    run_id INTEGER, replaced_sha256 TEXT,
    PRIMARY KEY (period, part, rollup_code, unit_code, form_id));
CREATE TABLE IF NOT EXISTS unit_values (
    period TEXT NOT NULL, part TEXT NOT NULL, rollup_code TEXT NOT NULL, unit_code TEXT NOT NULL,
    role TEXT NOT NULL, key TEXT NOT NULL, value REAL, run_id INTEGER,
    PRIMARY KEY (period, part, rollup_code, unit_code, role, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_values (
    period TEXT NOT NULL, part TEXT NOT NULL, parent_code TEXT NOT NULL, key TEXT NOT NULL, value REAL,
    run_id INTEGER,
    PRIMARY KEY (period, part, parent_code, key));
CREATE TABLE IF NOT EXISTS unit_targets (
    period TEXT NOT NULL, part TEXT NOT NULL, rollup_code TEXT NOT NULL, unit_code TEXT NOT NULL,
    role TEXT NOT NULL, code TEXT NOT NULL, tally TEXT NOT NULL, run_id INTEGER,
    PRIMARY KEY (period, part, rollup_code, unit_code, role, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_targets (
    period TEXT NOT NULL, part TEXT NOT NULL, parent_code TEXT NOT NULL, code TEXT NOT NULL,
    tally TEXT NOT NULL, run_id INTEGER,
    PRIMARY KEY (period, part, parent_code, code));
CREATE TABLE IF NOT EXISTS pending (
    run_id INTEGER PRIMARY KEY, period TEXT NOT NULL, part TEXT NOT NULL, parent_code TEXT NOT NULL,
    out_path TEXT NOT NULL, sha256 TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pending_submissions (
    run_id INTEGER NOT NULL, part TEXT NOT NULL, unit_code TEXT NOT NULL, form_id TEXT NOT NULL,
    sha256 TEXT NOT NULL, status TEXT NOT NULL, file_name TEXT, received TEXT);
CREATE TABLE IF NOT EXISTS pending_units (
    run_id INTEGER NOT NULL, unit_code TEXT, part TEXT, role TEXT, keys TEXT NOT NULL, numbers BLOB NOT NULL,
    targets TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_unit_keys (
    run_id INTEGER NOT NULL, part TEXT NOT NULL, unit_code TEXT NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (run_id, part, unit_code, role)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_unit_values (
    run_id INTEGER NOT NULL, part TEXT NOT NULL, unit_code TEXT NOT NULL, role TEXT NOT NULL, key TEXT NOT NULL,
    value REAL, PRIMARY KEY (run_id, part, unit_code, role, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_unit_targets (
    run_id INTEGER NOT NULL, part TEXT NOT NULL, unit_code TEXT NOT NULL, role TEXT NOT NULL, code TEXT NOT NULL,
    tally TEXT NOT NULL, PRIMARY KEY (run_id, part, unit_code, role, code)) WITHOUT ROWID;
"""
PENDING = ("pending", "pending_submissions", "pending_units", "pending_unit_keys", "pending_unit_values",
           "pending_unit_targets")
UNWRITTEN = ""  # the staged SHA-256 of a roll-up not written yet (``record``): no file has it, a killed run is dropped
WHOLE = ""  # the part key of a whole period

BUSY_SECONDS = 30  # how long a run waits for another run's write to finish


def part_key(part) -> str:
    """How the history names the days a figure covers (a dvcq.calendar.periods.Part): '' for a whole
    period, the era ('legacy', '2025') for one part of a period that straddles the 2025 reform."""
    return part.era if part.partial else WHOLE


def unit_part_key(period: Period, unit: Unit | None) -> str:
    """The part key of a unit's figures of a period (dvcq.units.registry.unit_part)."""
    return part_key(unit_part(period, unit))


@dataclass(frozen=True)
class Submission:
    """One file that went into a roll-up, as the history keeps it."""
    unit_code: str
    form_id: str
    part: str
    sha256: str
    status: str
    file_name: str
    received: str | None


@dataclass(frozen=True)
class UnitRecord:
    """One unit of a roll-up: its role there, the part of the period its figures cover, its values (the
    additive ones and those derived from them) and the tallies of its targets by indicator code."""
    unit_code: str
    role: UnitGroup
    part: str
    values: dict[str, float]
    targets: dict[str, TargetTally] = field(default_factory=dict)


@contextmanager
def connect(path: Path):
    """A connection with the schema in place (an older database migrated first); SQLite failures become a
    Vietnamese UserError."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise _user_error(path, exc) from None
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # written by a later release: its runs may be in a shape this one misreads
            raise UserError(f"Cơ sở dữ liệu lịch sử «{path}» do phiên bản mới hơn của dvcq ghi (cấu trúc {version}, "
                            f"phiên bản này đọc đến cấu trúc {SCHEMA_VERSION}); hãy cài phiên bản dvcq mới nhất "
                            "rồi chạy lại. Tệp lịch sử được giữ nguyên.")
        if version < SCHEMA_VERSION:
            with transaction(con):  # re-checked inside: another run may have migrated it meanwhile
                if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    if _columns(con, "pending") and "part" not in _columns(con, "pending"):
                        _drop_unkeyed_pending(con)
                    if _columns(con, "unit_values") and "role" not in _columns(con, "unit_values"):
                        _migrate(con)
                    _create(con)  # statement by statement: executescript would commit the transaction
                    if "expected_units" not in _columns(con, "runs"):  # schema 3: its runs' units are not known
                        con.execute("ALTER TABLE runs ADD COLUMN expected_units TEXT")
                    con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        recover(con)
        yield con
    except sqlite3.Error as exc:
        raise _user_error(path, exc) from None
    finally:
        con.close()


def _create(con) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)


def _columns(con, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


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


# --- migration from schema 1 (values keyed by period and unit code) ------------------------------------

def _drop_unkeyed_pending(con) -> None:
    """Pending runs staged before the history's keys (a development build's, never released): their records
    have no part or role to complete them with, so they are dropped; the history keeps the runs before them."""
    for table in ("pending", "pending_submissions", "pending_values"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _period(code: str) -> Period | None:
    try:
        return parse(code)
    except UserError:  # a period this release no longer reads: kept as a whole period
        return None


def _part_in(period: Period | None, unit_code: str, hint: str | None = None) -> tuple[str, str]:
    """(era, part key) of a unit's figures of a period, the unit read in ``hint``'s era when both hold it."""
    if period is None:
        return "", WHOLE
    era = era_of(period, unit_code, hint=hint)
    return era, unit_part_key(period, for_period(period, era).get(unit_code))


def _role(period: Period | None, unit_code: str, rollup_code: str, rollup_era: str) -> UnitGroup:
    """The role a unit had in a roll-up of schema 1, from the registry: the issuer's own row, a declared
    body, a province's abolished district (the part before 1/7/2025 of a straddling period), a child."""
    if unit_code == rollup_code:
        return UnitGroup.OWN
    if period is None:
        return UnitGroup.TERRITORIAL
    era, part = _part_in(period, unit_code, rollup_era)
    unit = for_period(period, era).get(unit_code)
    if unit is not None and unit.level == BODY_LEVEL:
        return UnitGroup.DEPARTMENT
    if part == "legacy" and _part_in(period, rollup_code)[1] == WHOLE:
        return UnitGroup.ABOLISHED
    return UnitGroup.TERRITORIAL


def _migrate(con) -> None:
    """Schema 1 to 2, in the caller's transaction. Runs get their part; a submission's roll-up is its run's
    parent; a unit's values were those of the last run that took its files (schema 1 kept one set per
    period and unit code): that run's parent is their roll-up, the registry tells the role and the part.
    Values schema 1 overwrote (a district's own row under its row in the province's run) are not recovered."""
    runs = {rid: (period, parent) for rid, period, parent in con.execute("SELECT id, period, parent_code FROM runs")}
    periods = {code: _period(code) for code in {p for p, _ in runs.values()} |
               {p for (p,) in con.execute("SELECT DISTINCT period FROM unit_values")} |
               {p for (p,) in con.execute("SELECT DISTINCT period FROM rollup_values")} |
               {p for (p,) in con.execute("SELECT DISTINCT period FROM submissions")}}
    eras = {}  # (period, rollup code) -> (era, part key) of the roll-up

    def rollup_part(period: str, code: str) -> tuple[str, str]:
        if (period, code) not in eras:
            eras[(period, code)] = _part_in(periods[period], code)
        return eras[(period, code)]

    if "part" not in _columns(con, "runs"):
        con.execute("ALTER TABLE runs ADD COLUMN part TEXT NOT NULL DEFAULT ''")
    con.executemany("UPDATE runs SET part=? WHERE id=?",
                    [(rollup_part(period, parent)[1], rid) for rid, (period, parent) in runs.items()])
    for table in ("submissions", "unit_values", "rollup_values"):
        con.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
    _create(con)

    last_run = {}  # (period, unit code) -> the last run that recorded the unit's files
    rows = []
    for period, unit, form, sha, status, name, received, run_id, replaced in con.execute(
            "SELECT period, unit_code, form_id, sha256, status, file_name, received, run_id, replaced_sha256 "
            "FROM submissions_v1"):
        rollup = runs.get(run_id, (period, ""))[1]
        last_run[(period, unit)] = max(run_id or 0, last_run.get((period, unit), 0))
        era = rollup_part(period, rollup)[0] if rollup else None
        rows.append((period, _part_in(periods[period], unit, era)[1], rollup, unit, form, sha, status, name,
                     received, run_id, replaced))
    con.executemany("INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)

    keys = {}  # (period, unit code) -> (part, roll-up, role, run) of its values
    for period, unit in con.execute("SELECT DISTINCT period, unit_code FROM unit_values_v1").fetchall():
        run_id = last_run.get((period, unit)) or max((r for r, (p, _) in runs.items() if p == period), default=None)
        rollup = runs[run_id][1] if run_id in runs else ""
        era = rollup_part(period, rollup)[0] if rollup else None
        keys[(period, unit)] = (_part_in(periods[period], unit, era)[1], rollup,
                                _role(periods[period], unit, rollup, era).value, run_id)
    con.executemany(
        "INSERT OR REPLACE INTO unit_values VALUES (?,?,?,?,?,?,?,?)",
        [(period, keys[(period, unit)][0], keys[(period, unit)][1], unit, keys[(period, unit)][2], key, value,
          keys[(period, unit)][3])
         for period, unit, key, value in con.execute("SELECT period, unit_code, key, value FROM unit_values_v1")])
    last_parent_run = {}
    for rid, (period, parent) in runs.items():
        last_parent_run[(period, parent)] = max(rid, last_parent_run.get((period, parent), 0))
    con.executemany(
        "INSERT OR REPLACE INTO rollup_values VALUES (?,?,?,?,?,?)",
        [(period, rollup_part(period, parent)[1], parent, key, value, last_parent_run.get((period, parent)))
         for period, parent, key, value in con.execute("SELECT period, parent_code, key, value FROM rollup_values_v1")])
    for table in ("submissions", "unit_values", "rollup_values"):
        con.execute(f"DROP TABLE {table}_v1")


# --- writing -------------------------------------------------------------------------------------------

def previous_submissions(path: Path, period: str, rollup_code: str) -> dict[tuple[str, str, str], str]:
    """(part, unit_code, form_id) -> sha256 of the file an earlier run of the same roll-up recorded."""
    if not Path(path).exists():
        return {}
    with connect(path) as con:
        rows = con.execute("SELECT part, unit_code, form_id, sha256 FROM submissions WHERE period=? AND rollup_code=?",
                           (period, rollup_code))
        return {(p, u, f): s for p, u, f, s in rows}


_JSON = json.JSONEncoder(separators=(",", ":"))
_PLAIN_CODE = re.compile(r"[A-Za-z0-9_.-]+")  # an indicator's code, which JSON writes as it is  # json.dumps's output, without a new encoder for every call


def _tally(t: TargetTally) -> str:
    """A tally as stored: ``json.dumps(t.to_json())`` (compact), made directly when its fields are plain ints and
    finite floats, as they are (66,000 tallies a national run: a third of the time of recording it)."""
    parts = []
    for name, v in (("figures", t.figures), ("units", t.units), ("reported", t.reported), ("reached", t.reached),
                    ("target", t.target), ("value", t.value)):
        if not v:
            continue
        if type(v) is int or (type(v) is float and v - v == 0):  # json writes both as their repr
            parts.append(f'"{name}":{v!r}')
        else:
            return _JSON.encode(t.to_json())
    if t.shared:
        return _JSON.encode(t.to_json())
    return "{" + ",".join(parts) + "}"


@dataclass
class Run:
    """A consolidation's records for the history (``record``): its roll-up, the files and units it counted, its
    totals; ``basis``: the units it counted (coverage.unit_set of its ledger); ``owner``: the host and process id of
    the run (the process whose death makes a pending run settled by ``recover``)."""
    period: str
    part: str
    parent_code: str
    folder: Path
    out_path: Path
    submissions: list[Submission]
    units: list[UnitRecord]
    totals: Values
    targets: dict[str, TargetTally]
    basis: UnitSet
    owner: tuple[str, int] = field(default_factory=lambda: (outputs.host(), os.getpid()))


def record(path: Path, run: Run, sha256: str = UNWRITTEN) -> int:
    """Record a consolidation as pending (one transaction), its roll-up's SHA-256 given or not known
    yet (``UNWRITTEN``, then ``seal`` once the roll-up is written). Returns its run id."""
    with connect(path) as con, transaction(con):
        cur = con.execute(
            "INSERT INTO runs (at, period, parent_code, folder, out_path, submitted, expected, part, expected_units) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (datetime.now().isoformat(timespec="seconds"), run.period, run.parent_code, str(run.folder),
             str(run.out_path), run.basis.submitted, run.basis.expected, run.part,
             ",".join(f"{code}:{group.value}" for code, group in run.basis.roles) if run.basis.roles else None))
        run_id = cur.lastrowid
        con.execute("INSERT INTO pending VALUES (?,?,?,?,?,?,?,?,?)",
                    (run_id, run.period, run.part, run.parent_code, str(run.out_path), sha256, *run.owner,
                     time.time()))
        con.executemany("INSERT INTO pending_submissions VALUES (?,?,?,?,?,?,?,?)",
                        [(run_id, s.part, s.unit_code, s.form_id, s.sha256, s.status, s.file_name, s.received)
                         for s in run.submissions])
        # one row per unit, its keys and numbers packed (a national run stages 3,321 rows, not half a million)
        con.executemany("INSERT INTO pending_units VALUES (?,?,?,?,?,?,?)",
                        [(run_id, u.unit_code, u.part, u.role.value, *_pack(u.values), _tallies(u.targets))
                         for u in run.units])
        con.execute("INSERT INTO pending_units VALUES (?,?,?,?,?,?,?)",
                    (run_id, None, None, None, *_pack(run.totals.flat()), _tallies(run.targets)))
    return run_id


def reshape(path: Path, run_id: int) -> None:
    """A pending run's units' records unpacked into the history's own shape, sorted by key (one transaction), so
    that ``complete`` moves them by one statement a table: a worker's work beside the roll-up's write
    (dvcq.rollup.beside). Nothing is done to a run completed or dropped meanwhile; a run never reshaped (its worker
    gone) completes from its packed rows all the same."""
    with connect(path) as con, transaction(con):
        if con.execute("SELECT 1 FROM pending WHERE run_id=?", (run_id,)).fetchone() is None:
            return
        units = con.execute("SELECT part, unit_code, role, keys, numbers, targets FROM pending_units "
                            "WHERE run_id=? AND unit_code IS NOT NULL ORDER BY part, unit_code, role",
                            (run_id,)).fetchall()
        con.executemany("INSERT INTO pending_unit_keys VALUES (?,?,?,?)",
                        ((run_id, part, code, role) for part, code, role, *_ in units))
        # rows made as they are inserted, never all at once (a national run's 532,072 values)
        con.executemany("INSERT INTO pending_unit_values VALUES (?,?,?,?,?,?)",
                        ((run_id, part, code, role, k, v) for part, code, role, keys, numbers, _ in units
                         for k, v in sorted(_unpack(keys, numbers))))
        con.executemany("INSERT INTO pending_unit_targets VALUES (?,?,?,?,?,?)",
                        ((run_id, part, code, role, k, t) for part, code, role, _, _, tallies in units
                         for k, t in sorted(json.loads(tallies).items())))
        con.execute("DELETE FROM pending_units WHERE run_id=? AND unit_code IS NOT NULL", (run_id,))


def seal(path: Path, run_id: int, sha256: str) -> None:
    """The SHA-256 of a recorded run's roll-up, now written beside its place (``record``)."""
    with connect(path) as con, transaction(con):
        con.execute("UPDATE pending SET sha256=? WHERE run_id=?", (sha256, run_id))


def complete(path: Path, run_id: int) -> None:
    """The staged run's roll-up is in place: move its records into the history (one transaction)."""
    with connect(path) as con, transaction(con):
        _apply(con, run_id)


def abandon(path: Path, run_id: int) -> None:
    """The staged run's roll-up could not be put in place (open in Excel): drop its records and its line in the
    run log, the history keeps the earlier run's."""
    with connect(path) as con, transaction(con):
        _drop(con, run_id)
        con.execute("DELETE FROM runs WHERE id=?", (run_id,))


def _apply(con, run_id: int) -> None:
    """Move a pending run's records into the history, in the caller's transaction."""
    row = con.execute("SELECT period, part, parent_code FROM pending WHERE run_id=?", (run_id,)).fetchone()
    if row is None:  # completed or dropped by another process meanwhile
        return
    period, part, parent_code = row
    # each file replaces the roll-up's earlier one of its unit and form; the file it replaced is kept (the same file
    # sent again keeps the one it had replaced): one statement, not two a file (a national run's 6,642)
    con.execute("INSERT OR REPLACE INTO submissions "
                "SELECT ?, p.part, ?, p.unit_code, p.form_id, p.sha256, p.status, p.file_name, p.received, ?, "
                "CASE WHEN s.sha256 IS NULL THEN NULL WHEN s.sha256 = p.sha256 THEN s.replaced_sha256 "
                "ELSE s.sha256 END "
                "FROM pending_submissions p LEFT JOIN submissions s ON s.period=? AND s.part=p.part "
                "AND s.rollup_code=? AND s.unit_code=p.unit_code AND s.form_id=p.form_id WHERE p.run_id=? "
                "ORDER BY p.rowid", (period, parent_code, run_id, period, parent_code, run_id))
    # the units' records: in the history's own shape (``reshape``d by a worker), or packed (below)
    records = [(period, u_part, parent_code, unit_code, role) for u_part, unit_code, role in con.execute(
        "SELECT part, unit_code, role FROM pending_unit_keys WHERE run_id=?", (run_id,)).fetchall()]
    for table in ("unit_values", "unit_targets"):  # a unit recorded again replaces its record
        con.executemany(f"DELETE FROM {table} WHERE period=? AND part=? AND rollup_code=? AND unit_code=? AND role=?",
                        records)
    con.execute("INSERT INTO unit_values SELECT ?, part, ?, unit_code, role, key, value, ? FROM pending_unit_values "
                "WHERE run_id=?", (period, parent_code, run_id, run_id))
    con.execute("INSERT INTO unit_targets SELECT ?, part, ?, unit_code, role, code, tally, ? FROM pending_unit_targets "
                "WHERE run_id=?", (period, parent_code, run_id, run_id))
    for unit_code, u_part, role, keys, numbers, tallies in con.execute(
            "SELECT unit_code, part, role, keys, numbers, targets FROM pending_units WHERE run_id=?",
            (run_id,)).fetchall():
        values = _unpack(keys, numbers)
        targets = json.loads(tallies)
        if unit_code is None:  # the roll-up's totals
            for table in ("rollup_values", "rollup_targets"):
                con.execute(f"DELETE FROM {table} WHERE period=? AND part=? AND parent_code=?",
                            (period, part, parent_code))
            con.executemany("INSERT INTO rollup_values VALUES (?,?,?,?,?,?)",
                            [(period, part, parent_code, k, v, run_id) for k, v in values])
            con.executemany("INSERT INTO rollup_targets VALUES (?,?,?,?,?,?)",
                            [(period, part, parent_code, code, t, run_id) for code, t in targets.items()])
            continue
        key = (period, u_part, parent_code, unit_code, role)  # a unit recorded again replaces its record here
        for table in ("unit_values", "unit_targets"):
            con.execute(f"DELETE FROM {table} WHERE period=? AND part=? AND rollup_code=? AND unit_code=? "
                        "AND role=?", key)
        con.executemany("INSERT INTO unit_values VALUES (?,?,?,?,?,?,?,?)",
                        [(*key, k, v, run_id) for k, v in values])
        con.executemany("INSERT INTO unit_targets VALUES (?,?,?,?,?,?,?,?)",
                        [(*key, code, t, run_id) for code, t in targets.items()])
    _drop(con, run_id)


_NUMBERS = frozenset((int, float))  # the values' usual types, told apart at once (``_pack``: 532,072 nationally)


def _pack(values: dict) -> tuple[str, bytes]:
    """A unit's numbers as (keys one a line, their values as doubles): staged compactly, read back exactly."""
    kept = {k: v for k, v in values.items()
            if type(v) in _NUMBERS or (isinstance(v, (int, float)) and not isinstance(v, bool))}
    return "\n".join(kept), array("d", kept.values()).tobytes()


def _unpack(keys: str, numbers: bytes) -> list[tuple[str, float]]:
    return list(zip(keys.split("\n"), array("d", numbers))) if keys else []


def _tallies(targets: dict[str, TargetTally]) -> str:
    """Target tallies by code as one JSON object of their stored texts (``_tally``)."""
    texts = {code: _tally(t) for code, t in targets.items()}
    if all(_PLAIN_CODE.fullmatch(code) and "\\" not in text for code, text in texts.items()):  # json's, made directly
        return "{" + ",".join(f'"{code}":"{text.replace(chr(34), chr(92) + chr(34))}"'
                              for code, text in texts.items()) + "}"
    return _JSON.encode(texts)


def _drop(con, run_id: int) -> None:
    """A pending run's records gone (in the caller's transaction). When it is the only run pending (the usual case:
    another run's process would hold it meanwhile) its tables are emptied whole, which SQLite does page by page
    without visiting each row: a national run's 532,072 reshaped values, 0.3 s less at the end of every run."""
    alone = con.execute("SELECT COUNT(*), MAX(run_id = ?) FROM pending", (run_id,)).fetchone() in ((1, 1), (0, None))
    for table in PENDING:
        if alone:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(f"DELETE FROM {table} WHERE run_id=?", (run_id,))


def recover(con) -> None:
    """Settle the runs a killed process left pending: complete those whose roll-up is in place (the file at its
    path has the staged SHA-256), drop the others and their line in the run log (their roll-up never replaced
    the earlier one). A run still in progress (its process alive on this machine, or staged less than
    dvcq.outputs.STALE_SECONDS ago elsewhere) is left alone."""
    for run_id, out_path, sha, host, pid, at in con.execute(
            "SELECT run_id, out_path, sha256, host, pid, at FROM pending").fetchall():
        gone = (host == outputs.host() and pid != os.getpid() and outputs.pid_gone(pid)) or \
            time.time() - at > outputs.STALE_SECONDS
        if not gone:
            continue
        with transaction(con):
            if _sha256(Path(out_path)) == sha:
                _apply(con, run_id)
            elif con.execute("SELECT 1 FROM pending WHERE run_id=?", (run_id,)).fetchone():
                _drop(con, run_id)
                con.execute("DELETE FROM runs WHERE id=?", (run_id,))


def _sha256(path: Path) -> str | None:
    try:
        return outputs.file_sha256(path)
    except OSError:
        return None


# --- reading -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """What the history holds of one report's subject in one period: its additive values and its targets."""
    values: Values
    targets: dict[str, TargetTally]


def rollup_totals(path: Path | None, period: str, parent_code: str, part: str = WHOLE) -> Values | None:
    """The additive totals recorded for a roll-up, or None when that period (part) was never consolidated."""
    found = _rollup(path, period, parent_code, part)
    return found.values if found else None


def _rollup(path: Path | None, period: str, parent_code: str, part: str) -> Figures | None:
    if path is None or not Path(path).exists():
        return None
    with connect(path) as con:
        rows = con.execute("SELECT key, value FROM rollup_values WHERE period=? AND part=? AND parent_code=?",
                           (period, part, parent_code)).fetchall()
        tallies = con.execute("SELECT code, tally FROM rollup_targets WHERE period=? AND part=? AND parent_code=?",
                              (period, part, parent_code)).fetchall()
    if not rows:
        return None
    return Figures(Values.from_flat({k: v for k, v in rows}),
                   {code: TargetTally.from_json(json.loads(t)) for code, t in tallies})


def unit_figures(path: Path | None, period: str, unit_code: str, part: str = WHOLE,
                 rollup_code: str | None = None, roles: tuple[UnitGroup, ...] = tuple(UnitGroup)) -> Figures | None:
    """A unit's values and targets as a roll-up recorded them (``rollup_code``, or the latest run that recorded
    the unit in one of ``roles``), or None."""
    if path is None or not Path(path).exists():
        return None
    where = "period=? AND part=? AND unit_code=? AND role IN (%s)" % ",".join("?" * len(roles))
    args = [period, part, unit_code, *(r.value for r in roles)]
    if rollup_code is not None:
        where += " AND rollup_code=?"
        args.append(rollup_code)
    with connect(path) as con:
        found = con.execute(f"SELECT rollup_code, role FROM unit_values WHERE {where} "
                            "GROUP BY rollup_code, role ORDER BY MAX(run_id) DESC LIMIT 1", args).fetchone()
        if found is None:
            return None
        key = (period, part, found[0], unit_code, found[1])
        cond = "period=? AND part=? AND rollup_code=? AND unit_code=? AND role=?"
        values = con.execute(f"SELECT key, value FROM unit_values WHERE {cond}", key).fetchall()
        tallies = con.execute(f"SELECT code, tally FROM unit_targets WHERE {cond}", key).fetchall()
    return Figures(Values.from_flat({k: v for k, v in values}),
                   {code: TargetTally.from_json(json.loads(t)) for code, t in tallies})


@dataclass(frozen=True)
class GroupFigures:
    """One group's units of a recorded roll-up, their values and target tallies summed (``group_figures``)."""
    figures: Figures
    from_rollups: bool  # its units sent roll-ups, not their own reports: the figures are the units' in them
    codes: frozenset[str] = frozenset()  # its units' codes (in that period's registry)


def group_figures(path: Path | None, period: Period, unit: Unit) -> dict[UnitGroup, GroupFigures]:
    """Last year's roll-up of ``unit`` (as ``previous_figures``; its latest run) group by group, for a figure the law
    binds to a level (the heads' reception days), never pooled across groups. Empty when not recorded."""
    before = period.previous_year()
    if path is None or not Path(path).exists() or \
            (unit_part_key(period, unit) == WHOLE) != (unit_part_key(before, unit) == WHOLE):
        return {}
    key = (before.code, unit_part_key(before, unit), unit.code)
    latest = "(SELECT MAX(run_id) FROM rollup_values WHERE period=? AND part=? AND parent_code=?)"
    cond = f"period=? AND part=? AND rollup_code=? AND run_id={latest}"
    with connect(path) as con:
        values = con.execute(f"SELECT unit_code, role, key, value FROM unit_values WHERE {cond}", key * 2).fetchall()
        tallies = con.execute(f"SELECT role, code, tally FROM unit_targets WHERE {cond}", key * 2).fetchall()
        sent = con.execute("SELECT unit_code, form_id FROM submissions WHERE period=? AND part=? AND rollup_code=?",
                           key).fetchall()
    reports = {c for c, f in sent if f == REPORT}
    rollups = {c for c, f in sent if f == ROLLUP_FORM_ID} - reports
    units: dict[tuple[str, str], dict[str, float]] = {}
    for code, role, k, v in values:
        units.setdefault((code, role), {})[k] = v
    summed: dict[UnitGroup, Figures] = {}
    for (_, role), flat in units.items():
        add_into(summed.setdefault(UnitGroup(role), Figures(Values(), {})).values, Values.from_flat(flat))
    for role, code, t in tallies:
        got = summed.setdefault(UnitGroup(role), Figures(Values(), {})).targets
        got[code] = got.get(code, TargetTally()) + TargetTally.from_json(json.loads(t))
    out = {}
    for g, f in summed.items():
        codes = frozenset(c for c, r in units if r == g.value)
        out[g] = GroupFigures(f, bool(codes & rollups) and not codes & reports, codes)
    return out


LEAF_LEVELS = ("commune", BODY_LEVEL)  # units that never consolidate: their own files are their row in a roll-up
CHILD_ROLES = (UnitGroup.TERRITORIAL, UnitGroup.ABOLISHED, UnitGroup.DEPARTMENT)


def figures(path: Path | None, period: Period, unit: Unit, own: bool) -> Figures | None:
    """What a report of ``unit`` for ``period`` is made of, as recorded: its roll-up's totals (``own`` False);
    or its own files (``own`` True): a district's or province's own row in its roll-up, a commune's or a
    body's row in the roll-up it went into (its parent's, else the latest). None when not recorded."""
    part = unit_part_key(period, unit)
    if not own:
        return _rollup(path, period.code, unit.code, part)
    if unit.level not in LEAF_LEVELS:
        return unit_figures(path, period.code, unit.code, part, unit.code, (UnitGroup.OWN,))
    return (unit_figures(path, period.code, unit.code, part, unit.parent_code, CHILD_ROLES)
            or unit_figures(path, period.code, unit.code, part, None, CHILD_ROLES))


def previous_figures(path: Path | None, period: Period, unit: Unit, own: bool) -> Figures | None:
    """The same period of the year before (``figures``) when it covers the same kind of days: a whole period
    against a whole one, a part against a part (a commune of 2025 in 2026 is not compared with its part of
    2025 from 1/7/2025 only). Whether the units compare at all is dvcq.units.registry.comparison's call."""
    before = period.previous_year()
    if (unit_part_key(period, unit) == WHOLE) != (unit_part_key(before, unit) == WHOLE):
        return None
    return figures(path, before, unit, own)


def rollup_run(path: Path | None, period: str, parent_code: str, part: str = WHOLE) -> UnitSet | None:
    """The units the latest consolidation of a period (part) whose totals are in the history counted (completed, not
    pending or dropped), or None: as many as ``record`` recorded, the codes of the units whose files that run
    recorded (a unit's file carries the run that last counted it); without such codes (a run of an earlier release)
    the counts alone."""
    if path is None or not Path(path).exists():
        return None
    with connect(path) as con:
        row = con.execute("SELECT id, submitted, expected, expected_units FROM runs WHERE period=? AND part=? "
                          "AND parent_code=? "
                          "AND id NOT IN (SELECT run_id FROM pending) AND id IN (SELECT run_id FROM rollup_values "
                          "WHERE period=? AND part=? AND parent_code=?) ORDER BY id DESC LIMIT 1",
                          (period, part, parent_code, period, part, parent_code)).fetchone()
        if not row or row[1] is None or row[2] is None:
            return None
        sent = frozenset(c for (c,) in con.execute(
            "SELECT DISTINCT unit_code FROM submissions WHERE period=? AND rollup_code=? AND run_id=?",
            (period, parent_code, row[0])))
    known = sent if len(sent) == row[1] else None
    if row[3] is None:  # a run recorded before schema 4: which units it expected is not known
        return UnitSet(known, int(row[1]), int(row[2]))
    roles = [(c, UnitGroup(g)) for c, _, g in (x.rpartition(":") for x in row[3].split(",") if x)]
    if known is None:
        return UnitSet(None, int(row[1]), int(row[2]), expected_codes=frozenset(c for c, _ in roles))
    return from_roles(known, roles)
