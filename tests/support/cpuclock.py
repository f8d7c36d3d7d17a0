"""A pytest plugin that measures each test's CPU time: ``pytest -p tests.support.cpuclock`` with
``DVCQ_CPU_LOG=folder`` writes one line per test (``nodeid<TAB>when-phase seconds``) to a file per process
in that folder; ``python -m tests.support.cpuclock folder`` sums it by file (docs/testing.md, "Where the
time goes").

A test's CPU is user + system time of the test process and of its children that ended and were waited for
during the test (a LibreOffice listener reaped later lands on the test running then)."""
from __future__ import annotations

import os
import resource
import sys
from collections import defaultdict
from pathlib import Path

import pytest


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


_log = None


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
    start = _cpu()
    yield
    _out().write(f"{item.nodeid}\t{_cpu() - start:.3f}\n")
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
