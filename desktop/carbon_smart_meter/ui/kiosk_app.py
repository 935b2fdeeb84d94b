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
from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.app.kiosk_config import KioskConfig, load_config
from carbon_smart_meter.app.sd_notify import Notifier, child_environment
from carbon_smart_meter.app.view_client import ViewFeed
from carbon_smart_meter.errors import CsmError

FREEZE_ENV = "CSM_KIOSK_TEST_FREEZE_AFTER_S"


def rotate_outputs(config: KioskConfig, say=print) -> bool:
    """Turn the outputs by `rotation` with wlr-randr; True when done (or nothing to do). cage 0.1.4
    (Debian 12) has no output management, so wlr-randr fails there and the view turns its own picture."""
    if not config.rotation:
        return True
    if not os.environ.get("WAYLAND_DISPLAY"):
        return False
    tool = shutil.which("wlr-randr")
    if tool is None:
        say("kiosk: wlr-randr is not installed (apt install wlr-randr); the view turns its own picture")
        return False
    env = child_environment()
    outputs = [config.output] if config.output else []
    if not outputs:
        listing = subprocess.run([tool], capture_output=True, text=True, env=env, timeout=10)
        outputs = [line.split()[0] for line in listing.stdout.splitlines() if line and not line[0].isspace()]
    if not outputs:
        say("kiosk: wlr-randr lists no output (the compositor has no output management); the view turns its "
            "own picture")
        return False
    for output in outputs:
        done = subprocess.run([tool, "--output", output, "--transform", str(config.rotation)], capture_output=True,
                              text=True, env=env, timeout=10)
        if done.returncode:
            say(f"kiosk: wlr-randr could not turn {output} ({done.stderr.strip()}); the view turns its own picture")
            return False
    return True


def software_rendering(environ: dict[str, str] | None = None, dri: Path = Path("/dev/dri")) -> str | None:
    """Why the compositor renders in software, or None when a GPU can render. cage 0.1.4 then freezes on the
    first frame it scans out (docs/kiosk.md), so the view turns its buffer (turn_buffer) without being told:
    a kiosk PC without a GPU must not need an edited unit to show more than one frame."""
    env = os.environ if environ is None else environ
    if env.get("WLR_RENDERER", "").strip().lower() == "pixman":
        return "WLR_RENDERER=pixman (software rendering)"
    if not any(dri.glob("renderD*")):
        return f"no GPU render node ({dri}/renderD*)"
    return None


def turn_buffer(win: QtWidgets.QWidget) -> int:
    """Tell the compositor our buffer is turned 180° (and paint it so): cage 0.1.4 then composites every
    frame instead of trying to scan the buffer out directly, which fails with software rendering and
    freezes the screen on its first frame (measured here; docs/kiosk.md). Returns the degrees to add."""
    win.winId()
    handle = win.windowHandle()
    screen = handle.screen() if handle is not None else None
    if handle is None or screen is None:
        return 0
    portrait = screen.primaryOrientation() == QtCore.Qt.ScreenOrientation.PortraitOrientation
    handle.reportContentOrientationChange(QtCore.Qt.ScreenOrientation.InvertedPortraitOrientation if portrait
                                          else QtCore.Qt.ScreenOrientation.InvertedLandscapeOrientation)
    return 180


def run(config_path: Path | None = None, socket_path: Path | None = None, *, language: str | None = None,
        windowed: tuple[int, int] | None = None, quit_after_s: float = 0.0, screenshot: Path | None = None,
        no_scanout: bool = False) -> int:
    # First of all: a SIGTERM from systemd (or a test) during start-up must end the view cleanly, not
    # by the default action. Before the event loop runs, the request is remembered and honoured there.
    stop = _StopRequest()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not any(os.environ.get(v) for v in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")):
        raise CsmError("no display to show the kiosk on (neither WAYLAND_DISPLAY nor DISPLAY is set): run it "
                       "under cage (installers/linux/csm-kiosk.service) or in a desktop session")
    config, problem = load_config(config_path)
    if problem:
        print(f"kiosk: {problem}", file=sys.stderr, flush=True)
    if language:
        from dataclasses import replace
        config = replace(config, language=language)
    turned = rotate_outputs(config, say=lambda line: print(line, file=sys.stderr, flush=True))
    os.environ.setdefault("QT_WAYLAND_DISABLE_WINDOWDECORATION", "1")  # cage: no title bar, the whole output
    from carbon_smart_meter.ui.app import application, dispose
    from carbon_smart_meter.ui.kiosk_window import KioskWindow

    app = application()
    app.setOverrideCursor(QtGui.QCursor(QtCore.Qt.CursorShape.BlankCursor))
    feed = ViewFeed(socket_path).start()
    notifier = Notifier()
    win = KioskWindow(config, feed, notifier=notifier, config_problem=problem,
                      rotation=0 if turned else config.rotation)
    software = "--no-scanout" if no_scanout else software_rendering()
    if software and app.platformName() == "wayland":
        win.buffer_turn = turn_buffer(win)
        win.rotation = (win.rotation + win.buffer_turn) % 360
        if win.buffer_turn:
            print(f"kiosk: {software}: the compositor is asked to composite every frame (the view hands it a "
                  "turned buffer), so the screen never freezes on a scanned-out frame", file=sys.stderr, flush=True)
    win.exit_requested.connect(app.quit)
    stop.target = lambda: _quit(win, app)
    if windowed:
        win.resize(*windowed)
        win.show()
    else:
        screen = app.primaryScreen()
        if screen is not None:
            win.setGeometry(screen.geometry())
        win.showFullScreen()
    freeze = os.environ.get(FREEZE_ENV)
    if freeze:
        QtCore.QTimer.singleShot(int(float(freeze) * 1000), lambda: time.sleep(3600))
    if screenshot is not None:
        QtCore.QTimer.singleShot(int(max(quit_after_s, 1.0) * 1000) - 200,
                                 lambda: win.grab().save(str(screenshot)))
    if quit_after_s:
        QtCore.QTimer.singleShot(int(quit_after_s * 1000), lambda: _quit(win, app))
    if stop.requested:
        QtCore.QTimer.singleShot(0, stop.target)
    code = app.exec()
    feed.stop()
    win.shutdown()
    dispose(win)
    notifier.stopping()
    notifier.close()
    return int(code)


class _StopRequest:
    """The SIGTERM/SIGINT handler: quits the event loop once there is one (queued, so a signal that lands
    before `exec()` still ends it)."""

    def __init__(self) -> None:
        self.requested = False
        self.target: Callable[[], None] | None = None

    def __call__(self, *_: object) -> None:
        self.requested = True
        if self.target is not None:
            QtCore.QTimer.singleShot(0, self.target)


def _quit(win: QtWidgets.QWidget, app: QtWidgets.QApplication) -> None:
    win.may_close = True  # type: ignore[attr-defined]
    app.quit()
