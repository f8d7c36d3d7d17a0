"""What the worker processes dvcq spawns inherit from the process that starts them.

Spawn (the only start method: Windows has no fork) runs the parent's main module again in each worker, as
``__mp_main__``, unless that module names itself by a module spec. Started as a console script (`dvcq`, which
pip writes, and dvcq.exe on Windows), the main module is that script: every worker would import the command line
and click for nothing (30-60 ms each) before its first file. ``declare_main`` names it as `python -m dvcq`'s
main module, which spawn leaves alone. Kept apart and light (it imports only ``sys``): every command calls it.
"""
from __future__ import annotations

import sys


def declare_main(module: str, entry) -> bool:
    """Name this process's main module ``module`` for the workers it spawns, when that main module is a script
    without a spec whose ``main`` is ``entry`` (the console script of ``entry``). True when it did."""
    script = sys.modules.get("__main__")
    if script is None or getattr(script, "__spec__", None) is not None or vars(script).get("main") is not entry:
        return False
    script.__spec__ = type(sys.modules[__name__].__spec__)(module, None)
    return True
