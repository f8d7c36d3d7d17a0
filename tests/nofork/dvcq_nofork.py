"""Make ``multiprocessing`` behave as on Windows: only the ``spawn`` start method exists.

``get_context("fork")`` then raises ``ValueError: cannot find context for 'fork'`` (the error
officials saw) and the default context is ``spawn``. Imported by the test session (conftest)
and, through sitecustomize on PYTHONPATH, by every Python subprocess the tests start.
"""
import multiprocessing
from multiprocessing import context

for _method in ("fork", "forkserver"):  # forkserver forks too
    context._concrete_contexts.pop(_method, None)
multiprocessing.set_start_method("spawn", force=True)
context.DefaultContext.get_all_start_methods = lambda self: ["spawn"]
multiprocessing.get_all_start_methods = lambda: ["spawn"]
