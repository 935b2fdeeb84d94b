"""Start-up probe: seconds from a given wall-clock time until the logger window has painted once.

Run as `python -m carbon_smart_meter.ui.first_paint T0` (or `csm -m ...` in the bundle) with T0 the
`time.time()` taken just before the process was started; it prints the elapsed seconds. One probe for
the start-up benchmark and for the installed bundle's measurement, so both report the same thing.
"""

from __future__ import annotations

import os
import sys
import time


def main(argv: list[str]) -> None:
    t0 = float(argv[1])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from carbon_smart_meter.ui.app import application, dispose
    from carbon_smart_meter.ui.main_window import MainWindow

    app = application()
    win = MainWindow()
    win.show()
    while win.plots.frames == 0:
        app.processEvents()
    print(time.time() - t0, flush=True)
    dispose(win)


if __name__ == "__main__":
    main(sys.argv)
