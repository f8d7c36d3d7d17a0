"""dvcq's command line run inside the test process (click's CliRunner), for the tests that check what a
command prints, its exit code or the files it writes: about 0.5-1.6 s of CPU less than a `python -m dvcq`
process each (the interpreter, dvcq's imports, the unit registry loaded again).

The shell itself (the entry point, `python -m dvcq`, exit codes as the process's status, the console's
code page) stays proven by the real processes of tests/cli/test_json.py (one per command that writes),
tests/cli/test_cli.py (help, usage errors, `unit`), tests/calendar/test_periods.py (`period`) and the
installed wheel's commands (tests/packaging/test_package.py)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from click.testing import CliRunner
from dvcq.cli import main


@dataclass(frozen=True)
class Ran:
    """What a command left: its exit code and its two output streams (as subprocess.run's result names
    them, so a test reads the same either way)."""
    returncode: int
    stdout: str
    stderr: str


def dvcq(*args: object, env: dict[str, str] | None = None) -> Ran:
    """``dvcq ARGS`` as the console runs it, in this process; ``env``: variables set for the run only."""
    result = CliRunner().invoke(main, [os.fspath(a) if isinstance(a, os.PathLike) else str(a) for a in args],
                                prog_name="dvcq", env=env, catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)
