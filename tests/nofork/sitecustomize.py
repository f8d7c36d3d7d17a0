"""Imported at start-up by every Python process the tests start (PYTHONPATH): removes the
``fork`` start method from multiprocessing, as on Windows, so no code path can rely on it."""
import dvcq_nofork  # noqa: F401
