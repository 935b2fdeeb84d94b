"""Export runs in a worker thread with progress, can be cancelled, and never blocks the window."""

from __future__ import annotations

import itertools
import time

import pandas as pd

from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.ui.export_dialog import ExportDialog


def _dialog(qtbot, session_file, fmt: str, out, chunk_rows: int) -> ExportDialog:
    dlg = ExportDialog(session_path=session_file)
    qtbot.addWidget(dlg)
    dlg.format_box.setCurrentIndex(dlg.format_box.findData(fmt))
    dlg.out_edit.setText(str(out))
    dlg.chunk_rows = chunk_rows
    dlg.show()
    return dlg


def test_export_to_csv_completes_with_progress(qtbot, session_file, tmp_path):
    out = tmp_path / "all.csv"
    dlg = _dialog(qtbot, session_file, "csv", out, chunk_rows=500)
    seen: list[tuple[int, int]] = []
    worker = dlg.start_export()
    worker.progressed.connect(lambda d, t: seen.append((d, t)))
    with qtbot.waitSignal(worker.succeeded, timeout=20_000) as blocker:
        pass
    with Session(session_file) as s:
        rows = s.rows()
    assert blocker.args[0] == rows
    assert len(seen) >= 2 and seen[-1][0] == seen[-1][1] == rows
    assert dlg.progress.value() == 1000 and "Exported" in dlg.message.text()
    table = pd.read_csv(out, comment="#")
    assert len(table) == rows and any(c.startswith("power") for c in table.columns)


def test_export_to_parquet_with_resampling_and_a_range(qtbot, session_file, tmp_path):
    out = tmp_path / "mean.parquet"
    dlg = _dialog(qtbot, session_file, "parquet", out, chunk_rows=100_000)
    dlg.start_edit.setText("0.25")
    dlg.stop_edit.setText("1.25")
    dlg.resample_box.setCurrentIndex(dlg.resample_box.findData("1s"))
    worker = dlg.start_export()
    with qtbot.waitSignal(worker.succeeded, timeout=20_000):
        pass
    table = pd.read_parquet(out)
    assert 1 <= len(table) <= 2 and "power" in table.columns


def test_export_can_be_cancelled_and_leaves_no_partial_file(qtbot, session_file, tmp_path):
    out = tmp_path / "cancelled.csv"
    dlg = _dialog(qtbot, session_file, "csv", out, chunk_rows=1)
    worker = dlg.start_export()
    # Watch the dialog, not the worker's signals: connecting to a signal while another thread emits
    # it is not safe in PySide6 (pytest-qt's waitSignal disconnects as the worker emits).
    qtbot.waitUntil(lambda: dlg.progress.value() > 0, timeout=10_000)
    dlg.cancel_button.click()
    qtbot.waitUntil(lambda: not worker.isRunning() and "cancelled" in dlg.message.text(), timeout=10_000)
    assert not out.exists()
    assert "cancelled" in dlg.message.text() and dlg.start_button.isEnabled()


def test_the_window_keeps_processing_events_while_exporting(qtbot, session_file, tmp_path):
    dlg = _dialog(qtbot, session_file, "csv", tmp_path / "slow.csv", chunk_rows=3)  # long enough to watch
    ticks: list[float] = []
    from PySide6 import QtCore

    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    t0 = time.monotonic()
    worker = dlg.start_export()
    with qtbot.waitSignal(worker.succeeded, timeout=60_000):
        pass
    duration = time.monotonic() - t0
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    # A blocking export would show one gap as long as the export; a shared 2-core machine can still
    # stall a healthy loop for a moment, so the bound is relative to the export's duration.
    assert duration > 1.0 and len(ticks) >= 20, f"export took {duration:.2f} s, {len(ticks)} ticks"
    assert max(gaps) < 0.5 * duration, f"the event loop stalled {max(gaps):.2f} s of a {duration:.2f} s export"


def test_an_existing_output_is_never_overwritten(qtbot, session_file, tmp_path):
    out = tmp_path / "exists.csv"
    out.write_text("keep me")
    dlg = _dialog(qtbot, session_file, "csv", out, chunk_rows=500)
    assert dlg.start_export() is None
    assert "already exists" in dlg.message.text() and out.read_text() == "keep me"


def test_an_empty_session_field_asks_for_a_file_in_words(qtbot, tmp_path):
    dlg = ExportDialog()
    qtbot.addWidget(dlg)
    assert dlg.start_export() is None
    assert dlg.message.text() == "Choose a session file to export (Browse…)." and "(." not in dlg.message.text()


def test_an_output_in_a_missing_folder_is_refused_before_starting(qtbot, session_file, tmp_path):
    dlg = _dialog(qtbot, session_file, "csv", tmp_path / "nodir" / "x.csv", chunk_rows=500)
    assert dlg.start_export() is None and "does not exist" in dlg.message.text()
    assert not (tmp_path / "nodir").exists()


def test_the_output_has_a_save_as_button(qtbot):
    from PySide6 import QtWidgets

    dlg = ExportDialog()
    qtbot.addWidget(dlg)
    assert "Save as…" in [b.text() for b in dlg.findChildren(QtWidgets.QPushButton)]


def test_export_from_the_review_fills_from_and_to_as_readable_utc_times(qtbot, session_file, tmp_path, settings):
    from carbon_smart_meter.ui.review import ReviewWindow

    review = ReviewWindow(settings)
    qtbot.addWidget(review)
    with qtbot.waitSignal(review.loaded, timeout=5000):
        review.open_file(session_file)
    review.open_export()
    dlg = review._export_dialog
    start, stop = dlg.start_edit.text(), dlg.stop_edit.text()
    assert start.endswith("Z") and "T" in start and stop > start  # 2026-12-02T12:00:00.250000Z
    dlg.out_edit.setText(str(tmp_path / "range.csv"))
    worker = dlg.start_export()
    with qtbot.waitSignal(worker.succeeded, timeout=20_000) as blocker:
        pass
    assert 0 < blocker.args[0] < review.session.rows()
