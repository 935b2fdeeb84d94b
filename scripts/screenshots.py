#!/usr/bin/env python3
"""Render the README screenshots from a simulated session, offscreen, so they always show the real app.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--seconds 8] [--language de]

Two simulated adapters start at 11:00 (UTC) on a sunny day and run 30x faster than real time, so the
plots show a few minutes of a solar morning; the session is recorded, annotated, and the first file
is then opened in the review view with its cursors set. Images: main-window.png, review.png (with
--language, main-window-<lang>.png and review-<lang>.png in that language).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    """Screenshots from a scratch folder that is removed afterwards, whatever happens (runs left 3 MB each)."""
    with tempfile.TemporaryDirectory(prefix="csm-shots-") as scratch:
        return _shoot(Path(scratch))


def _shoot(work: Path) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    parser.add_argument("--seconds", type=float, default=8.0, help="wall seconds of simulated recording")
    parser.add_argument("--language", default="en", help="interface language (en, de, es, fr)")
    args = parser.parse_args()
    os.environ["CSM_SETTINGS"] = str(work / "settings.toml")

    from PySide6 import QtCore

    from carbon_smart_meter.calibration.store import CalibrationStore
    from carbon_smart_meter.settings import Settings
    from carbon_smart_meter.ui import i18n
    from carbon_smart_meter.ui.app import application, dispose
    from carbon_smart_meter.ui.main_window import MainWindow
    from carbon_smart_meter.ui.style import apply_theme

    def spin(seconds: float) -> None:
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    app = application()
    apply_theme(app, "light")
    i18n.use_language(app, args.language)
    suffix = "" if args.language == "en" else f"-{args.language}"
    settings = Settings(data_dir=str(work / "sessions"), region="DE", plot_window_s=600.0, time_zone="UTC",
                        latitude=48.1, longitude=11.6, language=args.language, site="Munich, roof B",
                        operator="A. Field", panel_tilt_deg=30.0, panel_azimuth_deg=180.0, panel_rated_w=60.0)
    win = MainWindow(settings, settings_path=work / "settings.toml", calibrations=CalibrationStore(work / "cal"),
                     buffer_window_s=900)
    win.resize(1400, 900)
    win.show()
    morning = dt.datetime.now(dt.UTC).replace(hour=11, minute=0, second=0, microsecond=0).timestamp()
    win.add_simulator(rate=200, speed=30.0, panel_watts=60, start_unix=morning)
    win.add_simulator(rate=200, speed=30.0, panel_watts=100, start_unix=morning)
    spin(1.0)
    win.start_recording()
    spin(args.seconds / 2)
    latest = win.plots.latest_time() or time.time()
    win.add_annotation("panel re-angled", int(latest * 1e9))
    spin(args.seconds / 2)
    win.plots.set_span(300.0)
    spin(0.5)
    args.out.mkdir(parents=True, exist_ok=True)
    main_png = args.out / f"main-window{suffix}.png"
    win.grab().save(str(main_png))
    paths = win.stop_recording()
    if not paths:
        print("no session was recorded; see the log in the window", file=sys.stderr)
        return 1
    review = win.open_review(paths[0])
    review.resize(1400, 900)
    deadline = time.monotonic() + 30
    while review.overview_curve.getData()[0] is None and time.monotonic() < deadline:
        spin(0.1)  # the overview is computed on a worker thread
    review.region.setRegion((review.t_first, review.t_last))
    span = review.t_last - review.t_first
    review.cursors[0].setValue(review.t_first + 0.2 * span)
    review.cursors[1].setValue(review.t_first + 0.8 * span)
    review.update_measurement()
    spin(0.5)
    review_png = args.out / f"review{suffix}.png"
    review.grab().save(str(review_png))
    dispose(win)
    print(main_png)
    print(review_png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
