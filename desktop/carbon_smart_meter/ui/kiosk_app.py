"""Start the kiosk view: fullscreen on the display (cage under systemd), attached to `csm serve`.

The view owns nothing but its window: it connects to the session service's socket (ViewFeed,
reconnecting by itself), tells systemd it is ready once the first frame is painted, and feeds the
watchdog from the GUI thread, so a frozen interface stops the pings and systemd restarts it. Under
cage the compositor is the unit's main process and we are its child; the unit says NotifyAccess=all.

`CSM_KIOSK_TEST_FREEZE_AFTER_S` (for the watchdog test only) blocks the GUI thread after that many
seconds, the way a hung repaint or a deadlock would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.app.kiosk_config import KioskConfig, load_config
from carbon_smart_meter.app.sd_notify import Notifier, child_environment
from carbon_smart_meter.app.view_client import ViewFeed

FREEZE_ENV = "CSM_KIOSK_TEST_FREEZE_AFTER_S"


def rotate_outputs(config: KioskConfig, say=print) -> None:
    """Apply `rotation` with wlr-randr on a Wayland compositor (cage); nothing to do at 0 degrees."""
    if not config.rotation or not os.environ.get("WAYLAND_DISPLAY"):
        return
    tool = shutil.which("wlr-randr")
    if tool is None:
        say("kiosk: rotation is set but wlr-randr is not installed (apt install wlr-randr)")
        return
    env = child_environment()
    outputs = [config.output] if config.output else []
    if not outputs:
        listing = subprocess.run([tool], capture_output=True, text=True, env=env, timeout=10)
        outputs = [line.split()[0] for line in listing.stdout.splitlines() if line and not line[0].isspace()]
    for output in outputs:
        done = subprocess.run([tool, "--output", output, "--transform", str(config.rotation)], capture_output=True,
                              text=True, env=env, timeout=10)
        if done.returncode:
            say(f"kiosk: wlr-randr could not rotate {output}: {done.stderr.strip()}")


def run(config_path: Path | None = None, socket_path: Path | None = None, *, language: str | None = None,
        windowed: tuple[int, int] | None = None, quit_after_s: float = 0.0, screenshot: Path | None = None) -> int:
    config, problem = load_config(config_path)
    if problem:
        print(f"kiosk: {problem}", file=sys.stderr, flush=True)
    if language:
        from dataclasses import replace
        config = replace(config, language=language)
    rotate_outputs(config, say=lambda line: print(line, file=sys.stderr, flush=True))
    os.environ.setdefault("QT_WAYLAND_DISABLE_WINDOWDECORATION", "1")  # cage: no title bar, the whole output
    from carbon_smart_meter.ui.app import application, dispose
    from carbon_smart_meter.ui.kiosk_window import KioskWindow

    app = application()
    app.setOverrideCursor(QtGui.QCursor(QtCore.Qt.CursorShape.BlankCursor))
    feed = ViewFeed(socket_path).start()
    notifier = Notifier()
    win = KioskWindow(config, feed, notifier=notifier, config_problem=problem)
    win.exit_requested.connect(app.quit)
    if windowed:
        win.resize(*windowed)
        win.show()
    else:
        screen = app.primaryScreen()
        if screen is not None:
            win.setGeometry(screen.geometry())
        win.showFullScreen()
    signal.signal(signal.SIGTERM, lambda *_: _quit(win, app))
    signal.signal(signal.SIGINT, lambda *_: _quit(win, app))
    freeze = os.environ.get(FREEZE_ENV)
    if freeze:
        QtCore.QTimer.singleShot(int(float(freeze) * 1000), lambda: time.sleep(3600))
    if screenshot is not None:
        QtCore.QTimer.singleShot(int(max(quit_after_s, 1.0) * 1000) - 200,
                                 lambda: win.grab().save(str(screenshot)))
    if quit_after_s:
        QtCore.QTimer.singleShot(int(quit_after_s * 1000), lambda: _quit(win, app))
    code = app.exec()
    feed.stop()
    win.shutdown()
    dispose(win)
    notifier.stopping()
    notifier.close()
    return int(code)


def _quit(win: QtWidgets.QWidget, app: QtWidgets.QApplication) -> None:
    win.may_close = True  # type: ignore[attr-defined]
    app.quit()
