"""The history recorded beside the roll-up's write, on the other core.

Once the files are read the workers are idle; a large run's records (a national run's 532,000 values) are staged by
one worker process (dvcq.intake.parallel's pool) while this process writes the workbook: what ``store.record``
inserts does not depend on the workbook's bytes, only the run's SHA-256 does, sealed afterwards
(``store.seal``). A run recorded with its SHA-256 unknown is pending like any other: killed before its roll-up is
in place, it is dropped and the history keeps the earlier run (dvcq.rollup.store.recover). A small run is recorded
in this process (a worker's start costs more than its records)."""
from __future__ import annotations

import os
import time
from pathlib import Path

from dvcq.intake import parallel

from . import store

BESIDE_FROM = 1000  # files of a run whose history is recorded by a worker: fewer, here after the write (a province's
# 332 files: its history costs about 0.1 s, less than a worker's start)
_CPU: list[float] = [0.0]  # CPU seconds the workers spent recording, for bench/afterread.py


def record_apart(run: store.Run, path: Path) -> tuple[int, float]:
    """``store.record`` in a worker: the run id and the CPU seconds it took."""
    cpu = time.process_time()
    return store.record(path, run, shaped=True), time.process_time() - cpu


def start(files: int) -> bool:
    """Whether a run of ``files`` is recorded by a worker (``Recording``'s ``apart``); if so the worker is started now,
    while this process builds the roll-up's model."""
    if files < BESIDE_FROM or (os.cpu_count() or 1) < 2:
        return False
    parallel.pool(1)
    return True


class Recording:
    """A run being recorded as pending: by a worker from now on (``apart``, see ``start``), else here when asked
    for."""

    def __init__(self, path: Path, run: store.Run, apart: bool):
        self.path, self.run = path, run
        self.batch = None
        if apart:
            self.batch = parallel.submit(parallel.Named("dvcq.rollup.beside:record_apart"), [run], (path,),
                                         workers=1, ahead=1)
        self.run_id: int | None = None

    def wait(self) -> int:
        """The run's id once it is recorded (a worker that died or failed to start: recorded here)."""
        if self.run_id is None:
            got = None
            if self.batch is not None:
                batch, self.batch = self.batch, None
                (got,) = batch.collect(on_crash=lambda _run, _code: None)
                batch.release()
            if got is None:
                self.run_id = store.record(self.path, self.run)
            else:
                self.run_id, cpu = got
                _CPU[0] += cpu
        return self.run_id

    def abandon(self) -> None:
        """The roll-up will not be put in place: the run, once recorded, dropped (the history keeps the earlier
        one's)."""
        if self.batch is not None or self.run_id is not None:
            store.abandon(self.path, self.wait())


def helper_cpu() -> float:
    """CPU seconds the workers of this process have spent recording runs."""
    return _CPU[0]
