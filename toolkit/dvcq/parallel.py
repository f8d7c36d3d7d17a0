"""Run a per-file function over many files on all cores, keeping input order."""
from __future__ import annotations

import os
from pathlib import Path

SERIAL_BELOW = 12  # starting worker processes costs more than it saves for a few files


def map_files(fn, files: list[Path], *args, progress=None, workers: int | None = None) -> list:
    """``[fn(f, *args) for f in files]``, in a process pool when there are enough files.

    ``progress(done, total)`` is called after each file.
    """
    total = len(files)
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or total < SERIAL_BELOW:
        out = []
        for i, f in enumerate(files, start=1):
            out.append(fn(f, *args))
            if progress:
                progress(i, total)
        return out
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    chunk = max(1, min(64, total // (workers * 8)))
    out = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        for i, r in enumerate(pool.map(fn, files, *[[a] * total for a in args], chunksize=chunk), start=1):
            out.append(r)
            if progress:
                progress(i, total)
    return out
