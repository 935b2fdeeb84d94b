"""The logger window: opening, live data, recording, notes, disconnects and a frozen UI."""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore
from tests.ui.answers import answer_stop_question

from carbon_smart_meter.storage.reader import Session


def _record(qtbot, window, seconds: float) -> list:
    assert window.start_recording()
    qtbot.waitUntil(lambda: window.recorder is not None and len(window.recorder.files) == len(window.states),
                    timeout=5000)
    qtbot.wait(int(seconds * 1000))
    with qtbot.waitSignal(window.recordingStopped, timeout=10_000) as blocker:
        answer_stop_question(window)
        window.devices.record_button.click()  # the same path as a user's click
    return blocker.args[0]


def test_the_window_opens_with_devices_plots_energy_and_log(window):
    assert window.isVisible()
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Devices"]
    assert len(window.plots.plots) == 3
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())][1] == "Log"
    assert window.devices.record_button.text() == "● Record"


def test_connecting_a_simulator_shows_data_within_a_second(qtbot, window):
    with qtbot.waitSignal(window.plots.firstData, timeout=1000) as blocker:
        source = window.add_simulator(rate=2000)
    assert blocker.args == [source]
    curve = window.plots.curves[source][2]
    assert len(curve.getData()[0]) > 0
    qtbot.waitUntil(lambda: window.devices.state_of(source) == "connected", timeout=2000)


def test_several_devices_get_their_own_colours_and_files(qtbot, window):
    a, b = window.add_simulator(), window.add_simulator()
    assert window.plots.colours[a] != window.plots.colours[b]
    paths = _record(qtbot, window, 1.0)
    assert len(paths) == 2 and {p.name.split("_")[1] for p in paths} == {a, b}


def test_one_device_can_be_recorded_alone_and_stopped_while_another_carries_on(qtbot, window):
    a, b = window.add_simulator(rate=2000), window.add_simulator(rate=2000)
    qtbot.waitUntil(lambda: window.devices.state_of(a) == "connected" and window.devices.state_of(b) == "connected",
                    timeout=5000)
    window.devices.table.item(window.devices.rows[a], 1).setCheckState(QtCore.Qt.CheckState.Checked)  # a user's tick
    qtbot.waitUntil(lambda: window.recorder is not None and a in window.recorder.files, timeout=5000)
    assert window.recording == {a} and window.devices.record_button.isChecked()
    answer_stop_question(window)
    window.devices.record_button.click()  # stop everything ...
    assert window.recorder is None and not window.devices.is_recording(a)
    window.devices.table.item(window.devices.rows[b], 1).setCheckState(QtCore.Qt.CheckState.Checked)
    window.devices.table.item(window.devices.rows[a], 1).setCheckState(QtCore.Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: {a, b} <= set(window.recorder.files), timeout=5000)
    qtbot.wait(500)
    with qtbot.waitSignal(window.recordingStopped, timeout=5000) as stopped:  # ... then just a
        window.devices.table.item(window.devices.rows[a], 1).setCheckState(QtCore.Qt.CheckState.Unchecked)
    [a_path] = stopped.args[0]
    with Session(a_path) as s:  # closed and complete while b is still being written
        assert s.complete and s.attrs["source"] == a and s.rows() >= 1000
    assert window.recording == {b} and b in window.recorder.files
    qtbot.wait(300)
    [b_path] = window.stop_recording()
    with Session(b_path) as s:
        idx = s.read(["sample_index"])["sample_index"].astype(np.int64)
        assert s.complete and len(idx) >= 1500 and np.all(np.diff(idx) == 1)
    assert not window.devices.record_button.isChecked()


def test_ctrl_r_records_every_device_and_stops_again(qtbot, window):
    source = window.add_simulator(rate=1000)
    qtbot.waitUntil(lambda: window.devices.state_of(source) == "connected", timeout=5000)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_R, QtCore.Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.recorder is not None and source in window.recorder.files, timeout=5000)
    assert window.devices.record_button.isChecked()
    asked: list[str] = []
    with qtbot.waitSignal(window.recordingStopped, timeout=10_000):
        answer_stop_question(window, seen=asked)
        qtbot.keyClick(window, QtCore.Qt.Key.Key_R, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Stop recording 1 device(s)?"]
    assert window.recorder is None and not window.devices.record_button.isChecked()


def test_record_with_no_device_says_what_to_do(window):
    assert not window.start_recording()
    assert window.recorder is None and "connect an adapter" in window.log.messages()[-1]


def test_record_and_stop_produces_a_valid_session_file(qtbot, window):
    source = window.add_simulator(rate=2000)
    paths = _record(qtbot, window, 1.5)
    assert len(paths) == 1 and paths[0].exists()
    with Session(paths[0]) as s:
        assert s.complete
        assert s.attrs["source"] == source
        idx = s.read(["sample_index"])["sample_index"].astype(np.int64)
        assert len(idx) >= 2000 and np.all(np.diff(idx) == 1)
    assert "recording stopped" in " ".join(window.log.messages())
    assert window.devices.record_button.text() == "● Record"


def test_annotation_is_saved_in_the_session_and_shown_on_review(qtbot, window):
    window.add_simulator()
    window.start_recording()
    qtbot.waitUntil(lambda: len(window.recorder.files) == 1, timeout=5000)
    qtbot.keyClicks(window.note_edit, "panel re-angled")
    qtbot.keyClick(window.note_edit, QtCore.Qt.Key.Key_Return)
    assert window.plots.annotations[-1][1] == "panel re-angled"
    qtbot.wait(300)
    paths = window.stop_recording()
    with Session(paths[0]) as s:
        notes = s.annotations()
    assert [n["text"] for n in notes] == ["panel re-angled"]
    assert abs(notes[0]["t_utc_ns"] / 1e9 - time.time()) < 10
    review = window.open_review(paths[0])
    qtbot.addWidget(review)
    assert review.notes.count() == 1 and "panel re-angled" in review.notes.item(0).text()


def test_a_note_without_recording_is_shown_but_marked_unsaved(window):
    window.add_annotation("lens cleaned")
    assert "not saved" in window.notes.item(0).text()


def test_a_disconnected_device_shows_its_state_and_recovers(qtbot, window):
    source = window.add_simulator(faults="disconnect=2:0.5")
    qtbot.waitUntil(lambda: window.states.get(source) in ("disconnected", "reconnecting", "port missing"),
                    timeout=5000)
    assert window.devices.state_of(source) in ("disconnected", "reconnecting", "port missing")
    qtbot.waitUntil(lambda: window.states.get(source) == "connected"
                    and window.session.acquisition.stats(source).reconnects >= 1, timeout=8000)
    qtbot.waitUntil(lambda: window.devices.state_of(source) == "connected", timeout=2000)
    assert any("disconnect" in m or "reconnect" in m for m in window.log.messages())


def test_a_frozen_window_loses_no_sample_in_the_file(qtbot, window):
    source = window.add_simulator(rate=5000)
    window.start_recording()
    qtbot.waitUntil(lambda: len(window.recorder.files) == 1, timeout=5000)
    frozen = []
    QtCore.QTimer.singleShot(0, lambda: (time.sleep(2.0), frozen.append(True)))  # blocks the Qt thread
    qtbot.waitUntil(lambda: bool(frozen), timeout=5000)
    qtbot.wait(500)
    stats = window.session.acquisition.stats(source)
    paths = window.stop_recording()
    with Session(paths[0]) as s:
        idx = s.read(["sample_index"])["sample_index"].astype(np.int64)
        kinds = [e["kind"] for e in s.events()]
    assert stats.samples_lost == 0
    assert len(idx) >= 5000 * 2 and np.all(np.diff(idx) == 1), "a sample is missing in the file"
    assert "storage-overflow" not in kinds


def test_a_running_adapter_is_offered_in_the_port_box_and_connects_from_there(qtbot, window):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--rate", "500"],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().strip()  # `csm simulate` registers itself, as a plugged adapter is listed
        qtbot.waitUntil(lambda: port in [p for p, _d in window.devices.ports()], timeout=6000)
        assert any(port in m and "Connect port" in m for m in window.log.messages())
        box = window.devices.port_box
        box.setCurrentIndex(box.findData(port))
        assert window.devices.chosen_port() == port
        window.devices.connect_button.click()
        source = next(iter(window.states))
        qtbot.waitUntil(lambda: window.devices.state_of(source) == "connected", timeout=5000)
        window.scan_ports()
        assert port not in [p for p, _d in window.devices.ports()]  # connected ports are not offered again
    finally:
        proc.terminate()
        proc.wait(10)


def test_an_unopenable_port_is_reported_as_a_readable_message(qtbot, window):
    window.connect_port("/dev/does-not-exist-csm")
    qtbot.waitUntil(lambda: any("does-not-exist" in m for m in window.log.messages()), timeout=3000)
    text = " ".join(window.log.messages())
    assert "Traceback" not in text and 'File "' not in text


def test_following_fits_y_to_the_data_and_pausing_hands_y_back_to_auto_range_except_where_zoomed(qtbot, window):
    with qtbot.waitSignal(window.plots.firstData, timeout=2000):
        source = window.add_simulator(rate=2000)
    qtbot.wait(200)
    plots = window.plots.plots
    for k, plot in enumerate(plots):  # while following the plots set y themselves from the views
        y = window.plots.curves[source][k].getData()[1]
        lo, hi = plot.getViewBox().viewRange()[1]
        assert lo <= float(np.min(y)) and float(np.max(y)) <= hi
        assert not plot.getViewBox().autoRangeEnabled()[1]
    vb = plots[1].getViewBox()
    vb.scaleBy(y=0.5)  # what the mouse wheel over the current axis does
    vb.sigRangeChangedManually.emit([False, True])
    assert not window.plots.following
    assert plots[0].getViewBox().autoRangeEnabled()[1] and plots[2].getViewBox().autoRangeEnabled()[1]
    assert not vb.autoRangeEnabled()[1]
    window.plots.set_following(True)
    qtbot.wait(200)
    assert window.plots.following and not plots[0].getViewBox().autoRangeEnabled()[1]


def test_the_power_axis_reads_in_the_unit_chosen_in_the_settings(qtbot, window):
    import dataclasses

    axis = window.plots.plots[2].getAxis("left")
    assert axis.labelUnits == "W" and axis.scale == 1.0 and not axis.autoSIPrefix
    window.apply_settings(dataclasses.replace(window.settings, power_unit="mW"))
    assert axis.labelUnits == "mW" and axis.scale == 1000.0


def test_stopping_by_ctrl_r_asks_first_and_keep_recording_keeps_every_file_growing(qtbot, window):
    source = window.add_simulator(rate=1000)
    assert window.start_recording()
    qtbot.waitUntil(lambda: window.recorder is not None and source in window.recorder.files, timeout=5000)
    asked: list[str] = []
    answer_stop_question(window, stop=False, seen=asked)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_R, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Stop recording 1 device(s)?"]
    assert window.recording == {source} and window.devices.record_button.isChecked()
    assert window.devices.record_button.text() == "■ Stop recording"
    window.ask_before_stopping = False  # pytest-qt closes the window before the fixture's shutdown


def test_closing_the_window_while_recording_asks_and_can_be_refused(qtbot, window):
    source = window.add_simulator(rate=1000)
    assert window.start_recording()
    qtbot.waitUntil(lambda: window.recorder is not None and source in window.recorder.files, timeout=5000)
    asked: list[str] = []
    answer_stop_question(window, stop=False, seen=asked)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Q, QtCore.Qt.KeyboardModifier.ControlModifier)  # Ctrl+Q
    assert asked == ["Quit and stop recording 1 device(s)?"]
    assert window.isVisible() and window.recording == {source}
    answer_stop_question(window, stop=True, seen=asked)
    window.close()
    assert not window.isVisible() and window.session.recorder is None
    assert len(asked) == 2


def test_closing_without_recording_asks_nothing(qtbot, window):
    window.add_simulator(rate=1000)
    window.close()
    assert window.question is None and not window.isVisible()
