"""Run a per-file function over many files on all cores, keeping input order.

Workers are started with ``spawn``, the only method Windows has, on every platform: what a
worker needs travels in messages (a module-level function, or a ``Named`` one, and picklable
values), never as inherited globals, so Linux runs exercise the same path as the officials' PCs.
Each worker holds one file at a time; when a worker dies (a reader that aborts, memory exhausted,
a killed process) only the file it held is lost: ``on_crash(path, exitcode)`` gives that file's
result and a fresh worker carries on with the rest.

The workers are started once per process and reused (``pool``): by every later ``map_files`` of
the same process while its environment (variables, working folder, import path) is unchanged. A
command can start them and hand them its files (``submit``) before its own imports, and collect
the results later (``Batch.collect``): the workers' own start overlaps the command's
(dvcq.intake.early).
"""
from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
import queue
import sys
import threading
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable

from dvcq.errors import UserError

SERIAL_BELOW = 4  # starting a worker costs ~0.15 s; fewer files than this are read in-process
START_METHOD = "spawn"


DONE, FAILED = "done", "failed"
AHEAD = 2  # files sent to a worker before it asks: it never waits for the parent between files
EARLY_AHEAD = 24  # files given to each worker by ``submit``, while the parent is busy with its own start-up
MAX_STARTS = 3  # workers dying this many times before taking any file means the system is broken
IDLE = -1


class Named:
    """A module-level function by its name ("dvcq.intake.validate:_validate_one"), imported where it is called:
    the parent can hand work to workers without importing what the work needs."""

    def __init__(self, ref: str):
        self.ref = ref

    def __call__(self, *args):
        return _resolve(self.ref)(*args)


_RESOLVED: dict[str, Callable] = {}


def _resolve(ref: str) -> Callable:
    fn = _RESOLVED.get(ref)
    if fn is None:
        module, _, name = ref.partition(":")
        fn = importlib.import_module(module)
        for part in name.split("."):
            fn = getattr(fn, part)
        _RESOLVED[ref] = fn
    return fn


def _ref(fn: Callable) -> str:
    """The name a function is known by in every process (what pickle sends for it)."""
    return fn.ref if isinstance(fn, Named) else f"{fn.__module__}:{fn.__qualname__}"


class _Job:
    """What a worker runs for each file it is given: ``fn(path, *args)``; sent when it changes."""

    def __init__(self, fn: Callable, args: tuple):
        self.fn, self.args = fn, args


def _worker(items, results, current) -> None:
    """Worker loop: receive a ``_Job`` or ``(index, path)``, publish the index in ``current`` while working on it
    (so the parent knows which file a crash belongs to), send ``(index, DONE, result)``. Results go out from a
    thread of their own: a parent still busy with its start-up (``submit``) does not stop the worker when the
    pipe is full."""
    out: queue.SimpleQueue = queue.SimpleQueue()

    def send() -> None:
        while (message := out.get()) is not None:
            try:
                results.send(message)
            except OSError:  # the parent is gone
                return

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    job = None
    while True:
        try:
            item = items.recv()
        except EOFError:
            break
        if item is None:
            break
        if isinstance(item, _Job):
            job = item
            continue
        index, path = item
        current.value = index
        try:
            result = job.fn(path, *job.args)
        except MemoryError:
            os._exit(70)  # counted as a crash of this file by the parent
        except Exception as exc:  # raised again in the parent, as a serial run would
            out.put((index, FAILED, exc))
        else:
            out.put((index, DONE, result))
        current.value = IDLE
    out.put(None)
    sender.join()


class _Slot:
    """One worker process, its two pipes (files in, results out), the index it is working on, the files it has been
    given and the job it was last sent."""

    def __init__(self, ctx):
        child_items, self.items = ctx.Pipe(duplex=False)
        self.conn, child_results = ctx.Pipe(duplex=False)
        self.current = ctx.Value("q", IDLE, lock=False)
        self.proc = ctx.Process(target=_worker, args=(child_items, child_results, self.current), daemon=True)
        self.proc.start()
        child_items.close()
        child_results.close()
        self.given: deque[tuple[int, Path]] = deque()
        self.job: _Job | None = None

    def give(self, item: tuple[int, Path], job: _Job) -> None:
        self.given.append(item)
        try:
            if self.job is not job:
                self.job = job
                self.items.send(job)
            self.items.send(item)
        except OSError:  # died already: noticed by the main loop as EOF
            pass

    def close(self, wait_for: float = 5) -> None:
        try:
            self.items.send(None)
        except OSError:
            pass
        self.proc.join(timeout=wait_for)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.items.close()
        self.conn.close()


def _environment() -> tuple:
    """What a spawned worker inherited from its parent: a pool is reused only while these are unchanged."""
    return tuple(sorted(os.environ.items())), os.getcwd(), tuple(sys.path)


class Pool:
    """Worker processes started once and reused by every batch of files of this process."""

    def __init__(self, count: int):
        self.ctx = multiprocessing.get_context(START_METHOD)
        self.key = _environment()
        self.slots = [_Slot(self.ctx) for _ in range(count)]

    def fits(self, count: int) -> bool:
        """Whether it has ``count`` workers at least, started in this environment."""
        return len(self.slots) >= count and self.key == _environment()

    def renew(self) -> None:
        """Workers that died while idle (killed, or their system shut them) replaced before a batch."""
        for n, slot in enumerate(self.slots):
            if not slot.proc.is_alive():
                slot.close(0)
                self.slots[n] = _Slot(self.ctx)

    def close(self, abandon: bool = False) -> None:
        """Workers told to stop (``abandon``: ended without waiting for files they still hold)."""
        for slot in self.slots:
            slot.close(0 if abandon and slot.given else 5)


_POOL: Pool | None = None
_AT_EXIT: list[bool] = []  # whether shutdown is registered with atexit


def pool(count: int) -> Pool:
    """The process's worker pool, of ``count`` workers at least: started at the first call, reused by later ones."""
    global _POOL
    if _POOL is not None and (not _POOL.fits(count) or any(s.given for s in _POOL.slots)):
        shutdown()  # another environment, too few workers, or files of a batch not collected: a fresh pool
    if _POOL is None:
        if not _AT_EXIT:
            atexit.register(shutdown)
            _AT_EXIT.append(True)
        _POOL = Pool(count)
    else:
        _POOL.renew()
    return _POOL


def shutdown() -> None:
    """Stop the process's workers: at exit, or after a batch that ended by an error (files still in the workers)."""
    global _POOL
    if _POOL is not None:
        stopping, _POOL = _POOL, None
        stopping.close(abandon=True)


def release(keep: int = 0) -> None:
    """Let the process's idle workers go without waiting for them to end: their memory (the registries, the caches
    of the texts they read) is given back while the caller goes on (a roll-up written after validation). The first
    ``keep`` stay in the pool for the caller's next batch (a province's history reshaped by one: dvcq.rollup.beside),
    which spares it a worker's start."""
    global _POOL
    if _POOL is not None:
        slots = _POOL.slots
        stay, go = slots[:keep], slots[keep:]
        if stay:
            _POOL.slots = stay  # still the pool (``idle``, ``pool``)
        else:
            _POOL = None
        for slot in go:
            try:
                slot.items.send(None)
            except OSError:
                pass


def idle(count: int) -> bool:
    """Whether the pool has ``count`` workers at least, alive, holding no file, started in this environment (kept by
    ``release``): a batch of ``count`` would start none."""
    return _POOL is not None and _POOL.fits(count) and all(s.proc.is_alive() and not s.given
                                                           for s in _POOL.slots[:count])


def ticker(progress: Callable[[int, int], Any] | None, total: int) -> Callable[[], None]:
    """``progress(done, total)`` as a callback without arguments, called once per file."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    return tick


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
    tick = ticker(progress, total)
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
    return submit(fn, files, args, workers, AHEAD).collect(on_crash, tick)


def submit(fn: Callable, files: list[Path], args: tuple = (), workers: int | None = None,
           ahead: int = EARLY_AHEAD) -> "Batch":
    """Start (or reuse) the workers and give each its first ``ahead`` files now; ``Batch.collect`` waits for
    the results."""
    count = max(1, min(workers or os.cpu_count() or 1, len(files)))
    return Batch(pool(count), count, fn, files, args, ahead)


class Batch:
    """Files handed to the pool's workers, their results collected by ``collect``."""

    def __init__(self, owner: Pool, width: int, fn: Callable, files: list[Path], args: tuple, ahead: int):
        self.pool, self.width = owner, width  # it uses the pool's first ``width`` workers
        self.files, self.args, self.ref = list(files), tuple(args), _ref(fn)
        self.job = _Job(fn, self.args)
        self.todo = deque(enumerate(self.files))
        self.collected = False  # collected or abandoned: nothing more to take from it
        self.used = False  # its results were collected (not abandoned)
        for slot in owner.slots[:width]:
            self.top_up(slot, ahead)

    def takes(self, fn: Callable, files: list[Path], args: tuple) -> bool:
        """Whether this batch is ``fn`` over ``files`` with ``args`` (its results are those asked for)."""
        return not self.collected and _ref(fn) == self.ref and list(files) == self.files and tuple(args) == self.args

    def abandon(self) -> None:
        """Results no longer wanted: the workers, still holding files, are stopped."""
        if not self.collected and self.pool is _POOL:
            shutdown()
        self.collected = True

    def release(self, keep: int = 0) -> None:
        """Its workers let go once its results are in, but the first ``keep`` (``release``)."""
        if self.pool is _POOL:
            release(keep)

    def top_up(self, slot: _Slot, ahead: int = AHEAD) -> None:
        while self.todo and len(slot.given) < ahead:
            slot.give(self.todo.popleft(), self.job)

    def collect(self, on_crash: Callable[[Path, int | None], Any] | None = None,
                tick: Callable[[], None] | None = None) -> list:
        """The results in input order (see the module docstring); the workers stay for the next batch, unless
        this one ends with an error."""
        self.collected = self.used = True
        try:
            out = self._collect(on_crash, tick or (lambda: None))
        except BaseException:
            if self.pool is _POOL:
                shutdown()
            raise
        return out

    def _collect(self, on_crash, tick) -> list:
        files, todo, slots, width = self.files, self.todo, self.pool.slots, self.width
        ctx, top_up = self.pool.ctx, self.top_up
        total = len(files)
        results: list = [None] * total
        done = failed_starts = 0
        while done < total:
            busy = [s for s in slots[:width] if s.given]
            ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy]))
            for n, slot in enumerate(slots[:width]):
                if not slot.given or not ready & {slot.conn, slot.proc.sentinel}:
                    continue
                try:
                    index, kind, value = slot.conn.recv()
                except (EOFError, OSError):  # the worker died
                    slot.proc.join()
                    code, crashed = slot.proc.exitcode, slot.current.value
                    slot.close()
                    slots[n] = fresh = _Slot(ctx)
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
        return results
