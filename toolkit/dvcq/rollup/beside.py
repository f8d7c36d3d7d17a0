"""The history's heavy part done beside the roll-up's write, on the other core.

Once the files are read the workers are idle. A large run is recorded as pending before its workbook is written, its
units' values packed a row per unit (``store.record``: a national run's 3,321 rows), and one worker process of
dvcq.intake.parallel's pool unpacks them into the history's own shape (``store.reshape``: 532,072 values) while this
process writes the workbook, so that ``store.complete`` moves them into place by one statement a table. The worker
is sent the run's id only: it reads what it needs from the history (a few MB at a time, not the run's 40 MB of
records), and it ends once done. What it does is one transaction on a run that stays pending: killed or failed, the
run is still whole, packed, and completes as it is; the protocol (dvcq.rollup.store) is unchanged. A run below
``BESIDE_FROM`` files is not worth a worker's start: a province's (``KEPT_FROM`` files or more) is reshaped by the
worker its validation kept (``keeps``), a smaller one by nobody (its packed rows are the least work in all)."""
from __future__ import annotations

import os
import time
from pathlib import Path

from dvcq.intake import parallel

from . import store

BESIDE_FROM = 1000  # files of a run whose history is reshaped by a worker started for it (the country's 6,642; a
#                     province's 332 cost about 0.1 s to complete from packed rows, less than a worker's start)
KEPT_FROM = 100  # files of a run whose history is reshaped by a worker its validation kept (``keeps``): Thanh Hóa's
#                  332 save 0.1 s of completing from packed rows; a handful of files, nothing worth a worker's memory
_CPU: list[float] = [0.0]  # CPU seconds the workers spent, for bench/afterread.py


def reshape_apart(run_id: int, path: Path) -> float:
    """``store.reshape`` in a worker: the CPU seconds it took."""
    cpu = time.process_time()
    store.reshape(path, run_id)
    return time.process_time() - cpu


def keeps(files: int) -> bool:
    """Whether the validation of ``files`` keeps one of its workers for the run's history (``start``): a province's
    run, too small for a worker started on purpose, but not for one already there."""
    return KEPT_FROM <= files < BESIDE_FROM and (os.cpu_count() or 1) >= 2


def start(files: int) -> bool:
    """Whether a run of ``files`` is reshaped by a worker (``Reshaping``): a large one's started now, while this
    process builds the roll-up's model; a province's only by the worker its validation kept (``keeps``)."""
    if (os.cpu_count() or 1) < 2:
        return False
    if files >= BESIDE_FROM:
        parallel.pool(1)
        return True
    return files >= KEPT_FROM and parallel.idle(1)


class Reshaping:
    """A recorded run being reshaped by a worker (``apart``), or not at all."""

    def __init__(self, path: Path, run_id: int, apart: bool):
        self.batch = None
        if apart:
            self.batch = parallel.submit(parallel.Named("dvcq.rollup.beside:reshape_apart"), [run_id], (path,),
                                         workers=1, ahead=1)
            self.batch.release()  # the worker ends after this run: nothing more for it

    def wait(self) -> None:
        """Once the worker is done (or gone: the run then completes from its packed rows)."""
        if self.batch is not None:
            batch, self.batch = self.batch, None
            try:
                (cpu,) = batch.collect(on_crash=lambda _run, _code: 0.0)
            except Exception:  # its error stays its own: the run is whole without it
                return
            _CPU[0] += cpu


def helper_cpu() -> float:
    """CPU seconds the workers of this process have spent reshaping runs."""
    return _CPU[0]
