"""A pytest plugin that measures each test's CPU time: ``pytest -p tests.support.cpuclock`` with
``DVCQ_CPU_LOG=folder`` writes one line per test (``nodeid<TAB>when-phase seconds``) to a file per process
in that folder; ``python -m tests.support.cpuclock folder`` sums it by file (docs/testing.md, "Where the
time goes").

A test's CPU is user + system time of the test process, of its children that ended during the test, and what
its descendants still running spent during the test (their own time and their children's that they waited for).
A child that lives across tests (the session's LibreOffice listener, which converts for many tests and runs
the buttons' macros) is so charged to each test for the CPU it spent while that test ran; counting only
children waited for (``RUSAGE_CHILDREN``) charged all of it, 10-25 s a run, to whichever test ran when it was
reaped: the last test of its worker, where the session's fixtures end."""
from __future__ import annotations

import os
import resource
import sys
from collections import defaultdict
from pathlib import Path

import psutil
import pytest


def _cpu() -> float:
    """This process's CPU, its reaped children's, and its live descendants' so far (each with what it reaped):
    when a live one is reaped, its total enters its parent's (or RUSAGE_CHILDREN) as its last live figure leaves
    the sum, so a test is charged only what it spent during the test. Descendants, not only children: the
    buttons' LibreOffice is soffice.bin under its launcher (oosplash), which reaps it only at the end."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    live = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
        except psutil.Error:  # gone between the listing and the reading: counted once reaped
            continue
        live += t.user + t.system + t.children_user + t.children_system
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime + live


_log = None
_last: float | None = None  # the reading at the end of the previous test


def _out():
    global _log
    if _log is None:
        folder = Path(os.environ["DVCQ_CPU_LOG"])
        folder.mkdir(parents=True, exist_ok=True)
        _log = open(folder / f"cpu-{os.getpid()}.tsv", "a", encoding="utf-8")
    return _log


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not os.environ.get("DVCQ_CPU_LOG"):
        yield
        return
    global _last
    start = _cpu() if _last is None else _last  # one reading per boundary (psutil's listing costs 1.7 ms)
    yield
    _last = _cpu()
    _out().write(f"{item.nodeid}\t{_last - start:.3f}\n")
    _log.flush()


def per_file(folder: Path) -> dict[str, float]:
    seconds: dict[str, float] = defaultdict(float)
    for log in folder.glob("cpu-*.tsv"):
        for line in log.read_text(encoding="utf-8").splitlines():
            nodeid, spent = line.rsplit("\t", 1)
            seconds[nodeid.split("::", 1)[0]] += float(spent)
    return dict(seconds)


if __name__ == "__main__":
    totals = per_file(Path(sys.argv[1]))
    for name, spent in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{spent:8.1f}  {name}")
    print(f"{sum(totals.values()):8.1f}  total ({len(totals)} files)")
