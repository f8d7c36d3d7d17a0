"""The `dvcq` command line: click commands that are thin adapters over the library (commands),
Vietnamese help and usage errors (clickvi), and what the console prints (console).
"""
from dvcq.cli.commands import main

__all__ = ["main"]
