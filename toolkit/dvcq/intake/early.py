"""Start validating a folder before the command's own start-up: the worker processes first.

A folder command (`dvcq consolidate`, `dvcq validate` of a folder) calls ``begin`` before it imports what it
needs for itself (the roll-up, the documents, the specifications and registries it loads): the folder is
listed, the workers are spawned and each is handed its first files, so that their own start (imports,
specifications from dvcq.cache, registries) and their first files run while the parent starts. The parent
then passes the batch to ``validate_paths(..., early=batch)``, which collects it when it asks for the same
files (and stops it otherwise). A folder of fewer than ``parallel.SERIAL_BELOW`` files, or a single worker,
is read in-process as before: ``begin`` returns None and loads no worker machinery for one file.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .sniff import iter_candidates

VALIDATE_ONE = "dvcq.intake.validate:_validate_one"  # validate_paths's per-file function, by name


def job_args(period: str | None, era: str | None, parent: str | None) -> tuple:
    """The arguments after the path of ``VALIDATE_ONE``, as ``validate_paths`` passes them: a batch started here is
    taken only when they are equal."""
    return (period or None, era, parent)


def begin(paths, period: str | None = None, parent: str | None = None, workers: int | None = None):
    """The files under ``paths`` handed to worker processes now (a ``parallel.Batch``), or None when they are too
    few to start workers. ``period`` and ``parent`` as given to ``validate_paths`` (codes, unchecked here)."""
    files = list(iter_candidates([Path(p) for p in paths]))
    count = workers or os.cpu_count() or 1
    if len(files) < 2 or count < 2:
        return None
    from . import parallel  # lazy: multiprocessing only when files may go to workers

    if len(files) < parallel.SERIAL_BELOW:
        return None
    return parallel.submit(parallel.Named(VALIDATE_ONE), files, job_args(period, None, parent), workers)


@contextmanager
def started(paths, period: str | None = None, parent: str | None = None, workers: int | None = None) -> Iterator:
    """``begin`` for the span of a block: the batch (or None) for the block's ``validate_paths`` or
    ``consolidate_folder``, dropped at its end unless collected, so that an error raised before the command asks
    for it (an output folder that cannot be written) leaves no worker holding files in a process that stays, as
    the Excel buttons' does."""
    batch = begin(paths, period=period, parent=parent, workers=workers)
    try:
        yield batch
    finally:
        if batch is not None:
            batch.abandon()  # nothing once its results are collected
