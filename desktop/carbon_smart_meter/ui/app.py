"""Start the Qt application: settings, theme, main window; reports a missing display readably."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from carbon_smart_meter.devices.solar_time import last_solar_morning
from carbon_smart_meter.settings import default_settings_path, load_settings
from carbon_smart_meter.ui import i18n
from carbon_smart_meter.ui.style import apply_theme


def application() -> QtWidgets.QApplication:
    existing = QtWidgets.QApplication.instance()
    if existing is not None and not isinstance(existing, QtWidgets.QApplication):
        raise RuntimeError("a non-GUI QCoreApplication is already running; windows need a QApplication")
    app = existing or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Carbon Smart Meter")
    app.setOrganizationName("carbon-smart-meter")
    return app


def run(simulators: int = 0, rate: int = 1000, speed: float = 1.0, ports: list[str] | None = None,
        review: list[Path] | None = None, record: bool = False, settings_file: Path | None = None,
        quit_after_s: float = 0.0, longitude: float | None = None, daytime: bool = False) -> int:
    t0 = time.perf_counter()
    settings_path = settings_file or default_settings_path()
    settings, problem = load_settings(settings_path)
    app = application()
    apply_theme(app, settings.theme)
    i18n.use_language(app, settings.language)  # the window switches it again when the settings change
    from carbon_smart_meter.app.session import LiveSession
    from carbon_smart_meter.ui.main_window import MainWindow

    # The session is the pipeline; the window is a view of it (and could be closed and reopened).
    session = LiveSession(settings, summaries=True).start()
    win = MainWindow(settings, settings_path=settings_path, session=session)
    win.closing_stops_recording = True  # the session stops when the window closes (below)
    if problem:
        win.report(1, "", "settings", problem)
    sun_longitude = longitude if longitude is not None else (settings.longitude or 0.0)
    start = last_solar_morning(time.time(), sun_longitude) if daytime else None
    for _ in range(simulators):
        win.add_simulator(rate=rate, speed=speed, longitude=sun_longitude, start_unix=start)
    for port in ports or []:
        win.connect_port(port)
    if record:
        win.devices.record_button.setChecked(True)
    if session.profile.view.fullscreen:
        win.showFullScreen()
    else:
        win.show()
    for path in review or []:  # after the logger window, so the files asked for are in front
        win.open_review(path)
    QtCore.QTimer.singleShot(0, lambda: win.report(0, "", "startup", i18n.translate(
        "MainWindow", "window ready in {seconds} s").format(seconds=f"{time.perf_counter() - t0:.2f}")))
    if quit_after_s:
        win.ask_before_stopping = False  # a scripted run: nobody to answer
        QtCore.QTimer.singleShot(int(quit_after_s * 1000), win.close)
    code = app.exec()
    dispose(win)
    session.stop()
    return int(code)


def dispose(win: QtWidgets.QWidget) -> None:
    """Stop the core and delete the window while the QApplication still exists.

    Left to interpreter exit, Python may destroy the QApplication before the window's C++ side, which
    ends the process with a segmentation fault after an otherwise clean run.
    """
    shutdown = getattr(win, "shutdown", None)
    if shutdown is not None:
        shutdown()
    win.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
