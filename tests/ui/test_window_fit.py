"""Issue 18: the logger window fits 1024x600 and 1280x800 screens, whatever the length of the data path."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.ui.fit import ElidedLabel, initial_size

LONG = "a-rather-long-folder/for/the/field/campaign-2026/on/the/north/ridge/with/many/levels/sessions"


@pytest.mark.parametrize("screen, expected", [((1024, 600), (1008, 560)), ((1280, 800), (1264, 760)),
                                              ((1920, 1080), (1280, 860))])
def test_the_window_opens_at_its_size_shrunk_to_the_screen(screen, expected):
    assert initial_size(QtCore.QSize(1280, 860), QtCore.QSize(*screen)) == QtCore.QSize(*expected)


def _inside(win: QtWidgets.QWidget, w: QtWidgets.QWidget) -> bool:
    """`w` is shown and its whole rectangle lies inside the window's client area."""
    top_left = w.mapTo(win, QtCore.QPoint(0, 0))
    rect = QtCore.QRect(top_left, w.size())
    return w.isVisible() and w.width() > 0 and w.height() > 0 and win.rect().contains(rect)


@pytest.mark.parametrize("size", [(1008, 560), (1264, 760)])
def test_nothing_is_off_screen_at_1024x600_and_1280x800_even_while_recording_into_a_long_path(
        qtbot, tmp_path, size):
    from carbon_smart_meter.ui.main_window import MainWindow

    settings = Settings(data_dir=str(tmp_path / LONG), plot_window_s=10.0, time_zone="UTC", region="NZ")
    win = MainWindow(settings, settings_path=tmp_path / "settings.toml",
                     calibrations=CalibrationStore(tmp_path / "calibration"), buffer_window_s=60)
    qtbot.addWidget(win)
    try:
        win.show()
        win.add_simulator(rate=500)
        assert win.start_recording()
        qtbot.waitUntil(lambda: win.recorder is not None and len(win.recorder.files) == 1, timeout=5000)
        win.resize(*size)
        qtbot.wait(50)
        hint = win.minimumSizeHint()
        assert hint.width() <= size[0] and hint.height() <= size[1], hint
        assert win.size() == QtCore.QSize(*size)
        for w in (win.devices.record_button, win.devices.table, win.energy_panel.table, win.statusBar(),
                  win.status_record, win.note_edit, win.plots, win.devices.record_label):
            assert _inside(win, w), type(w).__name__
        assert LONG in win.devices.record_label.full_text()  # the whole path is in the tooltip
        assert win.devices.record_label.toolTip() == win.devices.record_label.full_text()
        win.stop_recording()
    finally:
        win.shutdown()


def test_an_elided_label_shows_both_ends_of_a_path_it_cannot_fit(qtbot):
    label = ElidedLabel("/home/field/" + LONG + "/end.h5")
    qtbot.addWidget(label)
    label.resize(200, 20)
    label.show()
    shown = label.text()
    assert "…" in shown and shown.startswith("/home") and shown.endswith(".h5")
    assert label.minimumSizeHint().width() < 200


def test_the_legend_of_two_devices_fits_the_voltage_plot_at_1024x600(qtbot, window):
    """Stacked, two legend entries were cut off at the bottom of a 55-pixel voltage plot."""
    window.add_simulator(rate=200)
    window.add_simulator(rate=200)
    window.resize(1008, 560)
    qtbot.waitUntil(lambda: window.plots.plots[0].getViewBox().height() < 120, timeout=2000)
    qtbot.wait(50)
    legend = window.plots.legend
    view = window.plots.plots[0].getViewBox()
    assert legend.boundingRect().height() + 5 <= view.height(), (legend.boundingRect().height(), view.height())


def _rows_whole(table: QtWidgets.QTableWidget) -> bool:
    viewport = table.viewport().rect()
    return all(viewport.contains(table.visualRect(table.model().index(r, 0))) for r in range(table.rowCount()))


@pytest.mark.parametrize("devices", [1, 2])
def test_every_device_row_and_the_energy_total_are_whole_at_1024x600(qtbot, window, devices):
    """With two devices the device table showed one and a half rows, and the energy table hid its total."""
    window.resize(1008, 560)
    for _ in range(devices):
        window.add_simulator(rate=200)
    qtbot.waitUntil(lambda: window.energy_panel.table.rowCount() >= devices, timeout=5000)
    qtbot.wait(1500)  # a few refreshes: the panes are fitted when the row counts change
    assert window.devices.table.rowCount() == devices
    assert _rows_whole(window.devices.table) and _rows_whole(window.energy_panel.table)
    assert window.plots.height() >= 150  # the plots give the room, but keep enough to read
