"""Run a per-file function over many files on all cores, keeping input order.

Workers are started with ``spawn``, the only method Windows has, on every platform: what a
worker needs travels as arguments (a module-level function and picklable values), never as
inherited globals, so Linux runs exercise the same path as the officials' PCs. Each worker holds
one file at a time; when a worker dies (a reader that aborts, memory exhausted, a killed
process) only the file it held is lost: ``on_crash(path, exitcode)`` gives that file's result
and a fresh worker carries on with the rest.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable

from dvcq.errors import UserError

SERIAL_BELOW = 4  # starting a worker costs ~0.15 s; fewer files than this are read in-process
START_METHOD = "spawn"


DONE, FAILED = "done", "failed"
AHEAD = 2  # files sent to a worker before it asks: it never waits for the parent between files
MAX_STARTS = 3  # workers dying this many times before taking any file means the system is broken
IDLE = -1


def _worker(conn, current, fn, args) -> None:
    """Worker loop: receive ``(index, path)``, publish the index in ``current`` while working on it
    (so the parent knows which file a crash belongs to), send ``(index, DONE, result)``."""
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        index, path = item
        current.value = index
        try:
            result = fn(path, *args)
        except MemoryError:
            os._exit(70)  # counted as a crash of this file by the parent
        except Exception as exc:  # raised again in the parent, as a serial run would
            conn.send((index, FAILED, exc))
        else:
            conn.send((index, DONE, result))
        current.value = IDLE


class _Slot:
    """One worker process, its pipe, the index it is working on and the files it has been given."""

    def __init__(self, ctx, fn, args):
        self.conn, child = ctx.Pipe()
        self.current = ctx.Value("q", IDLE, lock=False)
        self.proc = ctx.Process(target=_worker, args=(child, self.current, fn, args), daemon=True)
        self.proc.start()
        child.close()
        self.given: deque[tuple[int, Path]] = deque()

    def give(self, item: tuple[int, Path]) -> None:
        self.given.append(item)
        try:
            self.conn.send(item)
        except OSError:  # died already: noticed by the main loop as EOF
            pass

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def map_files(fn: Callable, files: list[Path], *args, progress: Callable[[int, int], Any] | None = None,
              workers: int | None = None, on_crash: Callable[[Path, int | None], Any] | None = None,
              isolate: Callable[[Path], bool] | None = None) -> list:
    """``[fn(f, *args) for f in files]``, on worker processes when there are enough files.

    ``progress(done, total)`` is called after each file. A file whose worker dies gets
    ``on_crash(path, exitcode)`` as its result (without ``on_crash`` the crash is raised). When the files
    are few enough to read in-process, those ``isolate(path)`` flags (a sniff that finds anything unusual)
    still go to a worker: a reader that aborts on one of them must not end the run.
    """
    total = len(files)
    count = workers or os.cpu_count() or 1
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    if min(count, total) > 1 and total >= SERIAL_BELOW:
        return _pooled(fn, files, args, min(count, total), on_crash, tick)
    apart = [i for i, f in enumerate(files) if isolate is not None and isolate(f)]
    kept = set(apart)
    out: list = [None] * total
    for i, f in enumerate(files):
        if i not in kept:
            out[i] = fn(f, *args)
            tick()
    if apart:
        got = _pooled(fn, [files[i] for i in apart], args, max(1, min(count, len(apart))), on_crash, tick)
        for i, value in zip(apart, got):
            out[i] = value
    return out


def _pooled(fn: Callable, files: list[Path], args: tuple, workers: int,
            on_crash: Callable[[Path, int | None], Any] | None, tick: Callable[[], None]) -> list:
    """``fn`` over ``files`` on ``workers`` spawned processes, in input order (see the module docstring)."""
    total = len(files)
    ctx = multiprocessing.get_context(START_METHOD)
    todo = deque(enumerate(files))
    results: list = [None] * total
    done = failed_starts = 0
    slots = [_Slot(ctx, fn, args) for _ in range(workers)]

    def top_up(slot: _Slot) -> None:
        while todo and len(slot.given) < AHEAD:
            slot.give(todo.popleft())

    try:
        for slot in slots:
            top_up(slot)
        while done < total:
            busy = [s for s in slots if s.given]
            ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy]))
            for n, slot in enumerate(slots):
                if not slot.given or not ready & {slot.conn, slot.proc.sentinel}:
                    continue
                try:
                    index, kind, value = slot.conn.recv()
                except (EOFError, OSError):  # the worker died
                    slot.proc.join()
                    code, crashed = slot.proc.exitcode, slot.current.value
                    slot.close()
                    slots[n] = fresh = _Slot(ctx, fn, args)
                    for item in reversed(slot.given):  # what it had not finished goes back, in order
                        if item[0] != crashed:
                            todo.appendleft(item)
                    if crashed == IDLE or crashed not in {i for i, _ in slot.given}:
                        failed_starts += 1  # died between files: none of them is at fault
                        if failed_starts >= MAX_STARTS:
                            raise UserError("Không khởi động được các tiến trình đọc tệp (dừng ngay khi chạy, mã "
                                            f"thoát {code}); hãy thử lại, hoặc báo người quản trị: có thể phần "
                                            "mềm diệt virus chặn Python.") from None
                        top_up(fresh)
                        continue
                    path = files[crashed]
                    if on_crash is None:
                        raise RuntimeError(f"worker died on {path} (exit code {code})") from None
                    index, kind, value, slot = crashed, DONE, on_crash(path, code), fresh
                else:
                    slot.given.popleft()
                    failed_starts = 0
                if kind == FAILED:
                    raise value
                results[index] = value
                done += 1
                tick()
                top_up(slot)
    finally:
        for slot in slots:
            slot.close()
    return results
