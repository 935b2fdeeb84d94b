"""Theme, language and time zone chosen in the settings apply at once to the open logger window
(issue 18: they used to wait for the window to be opened again), and recordings carry on through it."""

from __future__ import annotations

import dataclasses
import re
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtGui
from tests.ui.answers import answer_stop_question

from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.ui import i18n
from carbon_smart_meter.ui.style import PLOT_THEMES, apply_theme


@pytest.fixture
def back_to_english_and_light(qapp):
    yield
    i18n.use_language(qapp, "en")
    apply_theme(qapp, "light")


def _choose(window, **choices: str) -> None:
    """Pick values in the settings dialog and press Save, as a user does."""
    dlg = window.open_settings_dialog()
    for name, value in choices.items():
        box = getattr(dlg, name)
        box.setCurrentIndex(box.findData(value))
    dlg.accept()


def _grouped(text: str, separator: str) -> bool:
    return re.fullmatch(rf"\d{{1,3}}(\{separator}\d{{3}})+", text) is not None


def test_switching_to_german_retranslates_and_reformats_the_open_window(qtbot, window, back_to_english_and_light):
    source = window.add_simulator(rate=2000)
    row = window.devices.rows[source]
    samples = window.devices.table.item(row, 4)
    qtbot.waitUntil(lambda: _grouped(samples.text(), ","), timeout=5000)  # English: 12,345
    assert window.file_menu.title() == "&File" and window.devices.connect_button.text() == "Connect port"

    _choose(window, language="de")

    assert window.file_menu.title() == "&Datei"
    assert window.devices.record_button.text() == "● Aufzeichnen"
    assert window.devices.table.horizontalHeaderItem(0).text() == "Gerät"
    assert window.devices.table.horizontalHeaderItem(4).text() == "Abtastwerte"
    assert window.tabs.tabText(1) == "Protokoll"
    assert _grouped(samples.text(), "."), samples.text()  # German: 12.345, without waiting for an update
    session_energy = window.energy_panel.table.item(window.energy_panel.rows[source], 3).text()
    assert re.fullmatch(r"\d+,\d+ k?Wh", session_energy), session_energy
    assert window.settings.language == "de"


def test_switching_back_to_english_restores_english_text_and_numbers(qtbot, window, back_to_english_and_light):
    source = window.add_simulator(rate=2000)
    samples = window.devices.table.item(window.devices.rows[source], 4)
    qtbot.waitUntil(lambda: _grouped(samples.text(), ","), timeout=5000)
    _choose(window, language="de")
    _choose(window, language="en")
    assert window.file_menu.title() == "&File" and window.devices.table.horizontalHeaderItem(0).text() == "Device"
    assert _grouped(samples.text(), ","), samples.text()


def test_switching_dark_to_light_restyles_the_plots_and_their_notes(qtbot, qapp, settings, tmp_path,
                                                                   back_to_english_and_light):
    from carbon_smart_meter.ui.main_window import MainWindow

    apply_theme(qapp, "dark")
    win = MainWindow(dataclasses.replace(settings, theme="dark"), settings_path=tmp_path / "settings.toml",
                     calibrations=CalibrationStore(tmp_path / "calibration"), buffer_window_s=120)
    qtbot.addWidget(win)
    win.show()
    try:
        win.add_annotation("panel re-angled")
        note = win.plots.annotations[-1][2][0]
        dark, light = PLOT_THEMES["dark"], PLOT_THEMES["light"]
        assert win.plots.view.backgroundBrush().color() == QtGui.QColor(dark.background)
        assert note.pen.color() == QtGui.QColor(dark.note)

        _choose(win, theme="light")

        assert win.plots.view.backgroundBrush().color() == QtGui.QColor(light.background)
        for plot in win.plots.plots:
            assert plot.getAxis("left").textPen().color() == QtGui.QColor(light.foreground)
        legend = win.plots.legend.brush().color()
        assert (legend.red(), legend.green(), legend.blue()) == (255, 255, 255)
        assert note.pen.color() == QtGui.QColor(light.note)  # the note's colour follows the theme
        assert note.label.color == pg.mkColor(light.foreground)
        base = qapp.palette().color(QtGui.QPalette.ColorRole.Base)
        assert base.lightness() > 200
    finally:
        win.shutdown()


def test_a_recording_carries_on_without_a_lost_sample_across_the_switches(qtbot, window, back_to_english_and_light):
    source = window.add_simulator(rate=2000)
    assert window.start_recording()
    qtbot.waitUntil(lambda: window.recorder is not None and len(window.recorder.files) == 1, timeout=5000)
    recording = list(window.recorder.paths)
    qtbot.wait(500)

    _choose(window, language="de", theme="dark", time_zone="local")

    assert window.file_menu.title() == "&Datei"  # switched while recording ...
    assert window.plots.view.backgroundBrush().color() == QtGui.QColor(PLOT_THEMES["dark"].background)
    assert window.recording == {source} and list(window.recorder.paths) == recording  # same file, still open
    qtbot.wait(500)
    stats = window.session.acquisition.stats(source)
    with qtbot.waitSignal(window.recordingStopped, timeout=10_000) as stopped:
        answer_stop_question(window)
        window.devices.record_button.click()
    (path,) = stopped.args[0]
    assert [path] == recording
    with Session(path) as s:
        idx = s.read(["sample_index"])["sample_index"].astype(np.int64)
    assert stats.samples_lost == 0
    assert len(idx) >= 2000 and np.all(np.diff(idx) == 1), "a sample is missing in the file"


@pytest.fixture
def in_berlin(monkeypatch):
    """A local time zone that is not UTC (the test machine's usually is)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_switching_the_time_zone_restamps_the_log_and_the_notes(window, in_berlin, back_to_english_and_light):
    window.add_annotation("lens cleaned")
    window.report(0, "", "test", "hello")
    assert window.notes.item(0).text().split()[2] == "UTC"
    assert window.log.item(0, 0).text().endswith("UTC")
    _choose(window, time_zone="local")
    assert window.notes.item(0).text().split()[2] in ("CET", "CEST")
    assert "UTC" not in window.log.item(0, 0).text()
    assert window.plots.plots[-1].getAxis("bottom").utc is False


def test_the_settings_dialog_says_these_apply_at_once(qtbot, settings):
    from carbon_smart_meter.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    assert "apply at once" in dlg.message.text() and "next opened" not in dlg.message.text()


def test_value_axes_write_their_ticks_in_the_new_number_format(window, back_to_english_and_light):
    axis = window.plots.plots[0].getAxis("left")
    assert axis.tickStrings([5.08, 5.1], 1.0, 0.02) == ["5.08", "5.10"]
    _choose(window, language="de")
    assert axis.tickStrings([5.08, 5.1], 1.0, 0.02) == ["5,08", "5,10"]


def test_open_review_and_export_windows_switch_language_and_time_zone_too(qtbot, window, session_file, in_berlin,
                                                                           back_to_english_and_light):
    review = window.open_review(session_file)
    qtbot.addWidget(review)
    export = window.open_export_dialog(session_file)
    qtbot.addWidget(export)
    assert "UTC" in review.notes.item(0).text() and re.search(r"\d,\d{3} samples", review.info.text())

    _choose(window, language="de", time_zone="local")

    assert review.export_button.text() == "Exportieren…"
    assert re.search(r"\d\.\d{3} Abtastwerte", review.info.text()), review.info.text()
    assert "Kalibrierung: unkalibriert" in review.info.text()  # the file's English attribute, in words
    assert "UTC" not in review.notes.item(0).text()
    assert review.detail[0].getAxis("bottom").utcOffset is None
    assert export.start_button.text() == "Exportieren" and export.form_labels[0].text() == "Sitzungsdatei"
