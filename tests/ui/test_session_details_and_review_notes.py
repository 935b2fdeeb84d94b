"""Session details set in the logger window reach the files; notes added in the review persist beside the
file, reach the export, and are refused (with the reason) for a file still being recorded."""

from __future__ import annotations

import json

import pytest
from PySide6 import QtCore, QtWidgets
from tests.ui.answers import answer_stop_question

from carbon_smart_meter import cli
from carbon_smart_meter.settings import read_settings
from carbon_smart_meter.storage.metadata import SessionMetadata
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.storage.review_notes import notes_path
from carbon_smart_meter.ui.review import ReviewWindow


@pytest.fixture
def review(qtbot, settings):
    win = ReviewWindow(settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_details_entered_in_the_window_go_into_the_next_file_and_are_remembered(qtbot, window, tmp_path):
    dlg = window.open_session_details()
    qtbot.keyClicks(dlg.site, "Roof B")
    qtbot.keyClicks(dlg.operator, "Ana")
    qtbot.keyClicks(dlg.tilt, "30")
    qtbot.keyClicks(dlg.azimuth, "180")
    dlg.accept()
    assert read_settings(tmp_path / "settings.toml").site == "Roof B"  # remembered for the next run
    source = window.add_simulator(rate=1000)
    qtbot.waitUntil(lambda: window.devices.state_of(source) == "connected", timeout=5000)
    assert window.start_recording()
    qtbot.waitUntil(lambda: window.recorder is not None and source in window.recorder.files, timeout=5000)
    with qtbot.waitSignal(window.recordingStopped, timeout=10_000) as stopped:
        answer_stop_question(window)
        window.devices.record_button.click()
    with Session(stopped.args[0][0]) as s:
        meta, problems = s.metadata()
    assert problems == [] and meta == SessionMetadata(site="Roof B", operator="Ana", panel_tilt_deg=30.0,
                                                      panel_azimuth_deg=180.0)


def test_the_details_dialog_refuses_a_tilt_out_of_range_and_saves_nothing(qtbot, window, tmp_path):
    dlg = window.open_session_details()
    qtbot.keyClicks(dlg.tilt, "95")
    dlg.accept()
    assert dlg.isVisible() and "panel tilt 95 is outside 0 .. 90" in dlg.message.text()
    assert window.settings.panel_tilt_deg is None and not (tmp_path / "settings.toml").exists()
    dlg.reject()


def test_the_review_header_shows_the_session_details(qtbot, review, tmp_path, make_session):
    path = make_session(tmp_path, seconds=0.6, metadata=SessionMetadata(site="Pool deck", panel_tilt_deg=12.0))
    with qtbot.waitSignal(review.loaded, timeout=5000):
        assert review.open_file(path)
    assert "Site: Pool deck" in review.details.text() and "Tilt: 12.0°" in review.details.text()


def test_a_note_added_in_the_review_persists_after_reopening_and_reaches_the_export(qtbot, review, tmp_path,
                                                                                  make_session, capsys):
    path = make_session(tmp_path, seconds=1.0, note="while recording")
    before = path.read_bytes()
    with qtbot.waitSignal(review.loaded, timeout=5000):
        review.open_file(path)
    assert review.note_button.isEnabled()
    review.cursors[0].setValue(review.t_first + 0.25)
    qtbot.keyClick(review, QtCore.Qt.Key.Key_N, QtCore.Qt.KeyboardModifier.ControlModifier)  # the shortcut
    dlg = review.note_dialog
    assert dlg is not None and dlg.isVisible()
    qtbot.keyClicks(dlg.edit, "cloud passed")
    dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save).click()
    assert any("cloud passed" in review.notes.item(i).text() for i in range(review.notes.count()))
    assert path.read_bytes() == before  # the session file itself is never written to

    review.close_session()
    with qtbot.waitSignal(review.loaded, timeout=5000):
        review.open_file(path)
    shown = [review.notes.item(i).text() for i in range(review.notes.count())]
    assert any("while recording" in t for t in shown) and any("cloud passed" in t for t in shown)

    out = tmp_path / "export.csv"
    assert cli.main(["export", str(path), "--format", "csv", "-o", str(out), "--quiet"]) == 0
    about = json.loads((tmp_path / "export.csv.meta.json").read_text("utf-8"))
    notes = {n["text"]: n for n in about["notes"]}
    assert notes["cloud passed"]["origin"] == "review" and notes["while recording"]["origin"] == "recording"
    assert abs(notes["cloud passed"]["t_utc_ns"] / 1e9 - (review.t_first + 0.25)) < 1e-3
    assert out.read_text("utf-8").startswith("time_utc [ISO 8601],")  # the CSV keeps its one header line
    assert cli.main(["inspect", str(path)]) == 0
    assert "cloud passed" in capsys.readouterr().out


def test_a_file_still_being_recorded_takes_no_review_note_and_says_why(qtbot, review, tmp_path, make_session):
    path, rec, acq, sim = make_session(tmp_path, seconds=0.6, keep_open=True)
    try:
        assert review.open_file(path)
        assert not review.note_button.isEnabled()
        assert "still being recorded" in review.note_button.toolTip()
        assert review.open_note_dialog() is None
    finally:
        sim.stop()
        rec.stop()
        acq.stop()
        sim.close()
    assert not notes_path(path).exists()
    review.refresh()
    assert review.note_button.isEnabled()  # closed now: notes can be added
