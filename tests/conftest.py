"""Shared set-up: the run as on Windows (no fork), a fresh dvcq home, LibreOffice (skipped locally when
missing, required in CI), and what several test files build alike, built once per session (per xdist worker).
Paths and helpers are in tests/support/.

Shared fixtures are read, never written: a test that changes a file (or writes a report with a shared
history) copies it first; each shared folder is checked unchanged when the session ends."""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

# Bytecode: where the environment forbids writing it (PYTHONDONTWRITEBYTECODE=1, as on the shared development
# machine), each pytest process compiled and assertion-rewrote every test module again at collection (about 6 s
# of CPU per xdist worker: 10 s -> 3.7 s for a collection). This process keeps its bytecode under
# .pytest_cache/pycache instead (outside the source folders, as the variable intends); the processes the tests
# start keep the environment as it is.
if sys.dont_write_bytecode:
    sys.pycache_prefix = str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "pycache")
    sys.dont_write_bytecode = False

from tests.support import shared, thanhhoa  # noqa: E402
from tests.support.office import Office  # noqa: E402
from tests.support.paths import NOFORK, SAMPLE  # noqa: E402

# The whole suite runs as on Windows, without the fork start method, here and in every Python
# subprocess it starts (tests/nofork/sitecustomize.py); DVCQ_TEST_FORK=1 keeps fork.
if os.environ.get("DVCQ_TEST_FORK") != "1":
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(NOFORK), os.environ.get("PYTHONPATH")) if p)
    sys.path.insert(0, str(NOFORK))
    import dvcq_nofork  # noqa: F401

# dvcq's per-user home (the default history database) is a fresh folder for each test session
os.environ["DVCQ_HOME"] = tempfile.mkdtemp(prefix="dvcq-home-")

# dvcq only once multiprocessing has lost fork and the home is set
from dvcq.rollup.consolidate import ConsolidationResult, consolidate_folder  # noqa: E402


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """The soffice executable; as tests/support/office.Office it keeps one LibreOffice for the session's
    conversions (tests/support/office.convert)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI (.ci/run installs it)")
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    office = Office(exe, tmp_path_factory.mktemp("office"))
    yield office
    office.close()


# ---------------------------------------------------------------- shared, built once per session

ROLLUP_NOW = datetime(2024, 7, 15, 8, 30)  # the shared roll-up's clock (saved and created time), as in tests/golden


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def committed_samples_unchanged():
    """workbooks/sample is every test's input: no test may write into it."""
    before = _digests(SAMPLE)
    yield
    assert _digests(SAMPLE) == before, "a test changed workbooks/sample: copy the files before writing"


@pytest.fixture(scope="session")
def shared_root(request, tmp_path_factory) -> Path:
    """The temporary root the xdist workers of this run share (tests/support/shared.py)."""
    return shared.session_root(request.config, tmp_path_factory)


def _consolidate_nhu_thanh(folder: Path) -> None:
    result = consolidate_folder(SAMPLE, out=folder / "tong-hop.xlsx", db=folder / "lich-su.sqlite", workers=1,
                                now=ROLLUP_NOW)
    (folder / "result.pickle").write_bytes(pickle.dumps(result))


@pytest.fixture(scope="session")
def nhu_thanh_rollup(shared_root) -> ConsolidationResult:
    """The committed Như Thanh 2024-H1 sample (workbooks/sample) consolidated with its own history database
    (``db_path``, that period only), the clock at ROLLUP_NOW: built once for the run, by the first worker that
    asks. Read it; copy the roll-up or the database before anything writes to them."""
    folder = shared.built_once(shared_root, "nhu-thanh-2024-H1", (_digests(SAMPLE), ROLLUP_NOW), _consolidate_nhu_thanh)
    yield pickle.loads((folder / "result.pickle").read_bytes())
    assert shared.unchanged(folder), "a test wrote into the shared Như Thanh roll-up's folder: copy it first"


@pytest.fixture(scope="session")
def thanh_hoa_2024_samples(shared_root) -> Path:
    """Thanh Hóa's 2024-Y samples of its two smallest districts (tests/support/thanhhoa.py): ``2024/`` as the
    province receives them, ``raw-2024/`` the districts' raw files. Built once for the run; read, never written."""
    folder = shared.built_once(shared_root, "thanh-hoa-2024-Y", thanhhoa.KEY, thanhhoa.write_2024)
    yield folder
    assert shared.unchanged(folder), "a test wrote into the shared Thanh Hóa 2024-Y samples: copy them first"


# ---------------------------------------------------------------- scheduling: the two workers end together

# With pytest -n 2 (make test), setup.cfg adds --dist loadfile --no-loadscope-reorder: each file runs whole on
# one worker (its module fixtures built once) and files are handed out in the order below, the costliest first,
# so that what is left at the end is small files. The cost of a file is its seconds in the last run that ran it
# (kept in .pytest_cache); a fresh checkout (CI) starts from these estimates (tests' CPU seconds of a
# run under load, 7 December 2026, 09:01 UTC; the packaging files' of 11:20-11:30, with their folders in memory;
# the wheelhouse test also waits for PyPI).
FILE_SECONDS = "dvcq/file-seconds"
ESTIMATES = {
    "tests/packaging/test_wheelhouse.py": 36, "tests/documents/test_checksheet.py": 36,
    "tests/packaging/test_installer.py": 34, "tests/intake/test_fuzz.py": 20, "tests/packaging/test_package.py": 19,
    "tests/excel/test_xl.py": 18, "tests/calendar/test_straddle.py": 17, "tests/rollup/test_consolidate.py": 17,
    "tests/intake/test_validate.py": 15, "tests/documents/test_sections.py": 14, "tests/rollup/test_groups.py": 14,
    "tests/rollup/test_fates.py": 14, "tests/documents/test_narrative.py": 13, "tests/rollup/test_targets.py": 13,
    "tests/test_bench.py": 13, "tests/intake/test_intake.py": 11, "tests/forms/test_print.py": 10,
    "tests/rollup/test_tables.py": 10, "tests/calendar/test_periods.py": 10, "tests/intake/test_zeros.py": 9,
    "tests/documents/test_plan_corpus.py": 9, "tests/cli/test_json.py": 8, "tests/intake/test_parallel.py": 7,
}


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config, items):
    cache = getattr(config, "cache", None)  # none with -p no:cacheprovider
    seconds = {**ESTIMATES, **(cache.get(FILE_SECONDS, {}) if cache else {})}
    first = {}
    for i, item in enumerate(items):
        first.setdefault(_file_of(item.nodeid), i)
    items.sort(key=lambda item: (-seconds.get(_file_of(item.nodeid), 0), first[_file_of(item.nodeid)]))


_spent: dict[str, float] = {}


def pytest_runtest_logreport(report):
    _spent[_file_of(report.nodeid)] = _spent.get(_file_of(report.nodeid), 0.0) + report.duration


def pytest_sessionfinish(session):
    """The controller records the seconds of each file that ran whole (no -k, -m or test ids given)."""
    config = session.config
    partial = config.option.keyword or config.option.markexpr or any("::" in a for a in config.args)
    if getattr(config, "cache", None) is None or hasattr(config, "workerinput") or partial or not _spent:
        return
    seconds = config.cache.get(FILE_SECONDS, {})
    seconds.update({f: round(s, 1) for f, s in _spent.items()})
    config.cache.set(FILE_SECONDS, seconds)
