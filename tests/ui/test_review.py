"""Review view: overview, detail, two-cursor measurement, notes, growing and broken files."""

from __future__ import annotations

import numpy as np
import pytest

from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.ui.review import ReviewWindow, measure


@pytest.fixture
def review(qtbot, settings):
    win = ReviewWindow(settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_review_shows_overview_detail_notes_and_file_facts(qtbot, review, session_file):
    with qtbot.waitSignal(review.loaded, timeout=5000):
        assert review.open_file(session_file)
    assert not review.banner.isVisible()
    assert "samples" in review.info.text() and "uncalibrated" in review.info.text()
    t, y = review.overview_curve.getData()
    assert len(t) > 10 and np.nanmax(y) > 0
    assert len(review.detail_curves[2].getData()[0]) > 0
    assert review.notes.count() == 1 and "panel re-angled" in review.notes.item(0).text()


def test_cursors_measure_energy_mean_power_and_duration(review, session_file):
    review.open_file(session_file)
    with Session(session_file) as s:
        t = s.read(["device_time_ns"])["device_time_ns"] / 1e9
        total_wh = s.energy_wh()
        p = s.read(["power"])["power"]
    review.cursors[0].setValue(t[0])
    review.cursors[1].setValue(t[-1] + 1e-3)
    m = review.update_measurement()
    assert m.samples == len(t)
    assert m.energy_wh == pytest.approx(total_wh, rel=1e-3)
    assert m.mean_power_w == pytest.approx(float(p.mean()), rel=1e-4)
    assert m.duration_s == pytest.approx(t[-1] + 1e-3 - t[0])
    assert "mean power" in review.measure_label.text()


def test_half_of_a_range_holds_about_half_the_energy(session_file):
    with Session(session_file) as s:
        t = s.read(["device_time_ns"])["device_time_ns"] / 1e9
        mid = (t[0] + t[-1]) / 2
        whole = measure(s, t[0], t[-1] + 1e-3)
        first, second = measure(s, t[0], mid), measure(s, mid, t[-1] + 1e-3)
    assert first.samples + second.samples == whole.samples
    assert first.energy_wh + second.energy_wh == pytest.approx(whole.energy_wh, rel=1e-6)


def test_a_file_still_being_written_opens_says_so_and_follows_the_writer(qtbot, review, tmp_path, make_session):
    path, rec, acq, sim = make_session(tmp_path, seconds=1.0, keep_open=True)
    try:
        assert review.open_file(path)
        assert review.banner.isVisible() and "still being written" in review.banner.text()
        assert review.follow_box.isVisible()
        first_end = review.t_last
        qtbot.wait(1200)
        review.refresh()
        assert review.t_last > first_end
        assert review.banner.isVisible()
    finally:
        sim.stop()
        rec.stop()
        acq.stop()
        sim.close()
    review.refresh()  # the writer has closed the file: the banner and the follow box go
    assert not review.banner.isVisible() and not review.follow_box.isVisible()
    assert not review.follow_timer.isActive()


def test_a_corrupt_file_shows_a_clear_message_not_a_traceback(qtbot, review, tmp_path):
    bad = tmp_path / "garbage.h5"
    bad.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 40)
    with qtbot.waitSignal(review.problem, timeout=2000) as blocker:
        assert not review.open_file(bad)
    text = blocker.args[0]
    assert review.banner.isVisible() and text == review.banner.text()
    assert "Cannot open garbage.h5" in text and "Traceback" not in text and 'File "' not in text


def test_a_truncated_file_shows_a_clear_message(qtbot, review, session_file, tmp_path):
    cut = tmp_path / "cut.h5"
    data = session_file.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    with qtbot.waitSignal(review.problem, timeout=2000) as blocker:
        review.open_file(cut)
    assert "Cannot open cut.h5" in blocker.args[0] and "csm repair" in blocker.args[0]


def test_a_file_of_another_kind_is_named_as_such(qtbot, review, tmp_path):
    import h5py

    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = [1, 2, 3]
    with qtbot.waitSignal(review.problem, timeout=2000) as blocker:
        review.open_file(other)
    assert "not a csm-session file" in blocker.args[0]


def test_csm_gui_review_opens_the_file_in_front_of_the_logger_window(qtbot, session_file, tmp_path):
    from PySide6 import QtCore, QtWidgets

    from carbon_smart_meter.ui import app

    seen: list[str] = []

    def look():
        active = QtWidgets.QApplication.activeWindow()
        seen.append(type(active).__name__ if active is not None else "none")

    from carbon_smart_meter.settings import Settings, save_settings

    settings_file = save_settings(Settings(data_dir=str(tmp_path / "data")), tmp_path / "settings.toml")
    QtCore.QTimer.singleShot(1500, look)
    assert app.run(review=[session_file], settings_file=settings_file, quit_after_s=2.0) == 0
    assert seen == ["ReviewWindow"]
    assert not (tmp_path / "data" / "energy-today.json").exists()  # nothing measured, nothing written
