"""Issue 18: lost samples are said in words and coloured, in the table, the status bar and the log."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui

from carbon_smart_meter.acquisition.link_stats import LinkStats
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.protocol.messages import Event, EventCode
from carbon_smart_meter.ui.device_panel import COL_LOST, DevicePanel, calibration_status
from carbon_smart_meter.ui.log_view import describe


@pytest.fixture
def german():
    QtCore.QLocale.setDefault(QtCore.QLocale("de"))
    yield
    QtCore.QLocale.setDefault(QtCore.QLocale("en"))


@pytest.fixture
def english():
    QtCore.QLocale.setDefault(QtCore.QLocale("en"))


def _lost_cell(qtbot, stats: LinkStats):
    panel = DevicePanel()
    qtbot.addWidget(panel)
    panel.add_device("sim0", "#0072B2")
    panel.update_device("sim0", stats, None, "connected", calibration_status(None))
    return panel.table.item(panel.rows["sim0"], COL_LOST)


def test_many_lost_samples_are_red_bold_and_explained(qtbot, english):
    item = _lost_cell(qtbot, LinkStats(samples=1_000_000, samples_lost=38_678))
    assert item.text() == "38,678"
    assert item.foreground().color() == QtGui.QColor("#c0392b") and item.font().bold()
    assert "38,678 samples lost (3.72 % of 1,038,678)" in item.toolTip() and "never arrived" in item.toolTip()


def test_a_few_lost_samples_are_orange_and_none_is_green(qtbot, english):
    assert _lost_cell(qtbot, LinkStats(samples=1_000_000, samples_lost=5)).foreground().color() \
        == QtGui.QColor("#b26b00")
    none = _lost_cell(qtbot, LinkStats(samples=1_000, samples_lost=0))
    assert none.foreground().color() == QtGui.QColor("#3a7d44") and not none.font().bold()
    assert "no sample lost" in none.toolTip()


def test_counters_use_the_locale(qtbot, german):
    item = _lost_cell(qtbot, LinkStats(samples=1_000_000, samples_lost=38_678))
    assert item.text() == "38.678" and "3,72 %" in item.toolTip()


def _event(code: int, arg0: int, arg1: int) -> Envelope:
    return Envelope("sim0", Event(code, 1, arg0, arg1, 0))


def test_a_transmit_overflow_is_said_in_words_as_a_warning(english):
    severity, kind, text = describe(_event(EventCode.TX_OVERFLOW, 2, 19248))
    assert severity >= 1 and kind == "transmit overflow"
    assert text == ("the device dropped 2 frames (19,248 bytes) because this computer did not read them in time: "
                    "those samples are lost")
    assert "arguments" not in text


def test_a_reset_names_its_reason_and_an_unknown_event_keeps_its_numbers(english):
    assert describe(_event(EventCode.RESET, 1, 7))[2] == "the device restarted (watchdog; boot 7): counters start again"
    assert describe(_event(42, 3, 4))[2] == "device reports event 42 (arguments 3, 4)"


def test_the_status_bar_says_samples_were_lost(qtbot, window):
    source = window.add_simulator(rate=2000, faults="drop=0.2")
    qtbot.waitUntil(lambda: window.session.acquisition.stats(source).samples_lost > 0, timeout=8000)
    qtbot.waitUntil(lambda: "samples lost" in window.status_devices.text(), timeout=2000)
    assert "#c0392b" in window.status_devices.styleSheet()
