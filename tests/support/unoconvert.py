"""Run by the system Python (python3-uno): convert one file in the LibreOffice listening on a pipe.

    python3 unoconvert.py PIPE SRC OUT FILTER RECALC(0|1) PID

It waits for the listener (process PID) to accept, at most a minute, and gives up when that process is gone.
"""
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(pipe, src, out, filter_name, recalc, pid):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline or not os.path.exists(f"/proc/{pid}"):
                raise
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    try:
        if recalc == "1":
            doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", filter_name),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:7])
