"""Issue 18: axes that read right: labels beside their ticks, no "5e-07", the time of day at a deep zoom,
no 1970 before data, "from zero", a legend with a background that hides traces, notes not clipped."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui

from carbon_smart_meter.ui.live_plots import TimeAxis, axis_width


def _noon() -> float:
    return dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0).timestamp()


def test_a_deep_zoom_keeps_the_time_of_day(qapp):
    axis = TimeAxis(utc=True)
    t = dt.datetime(2026, 6, 1, 12, 0, 38, 450_000, tzinfo=dt.UTC).timestamp()
    assert axis.tickStrings([t], 1.0, 0.05) == ["12:00:38.45"]
    assert axis.tickStrings([t], 1.0, 0.005) == ["12:00:38.450"]
    assert axis.tickStrings([t], 1.0, 0.5) == ["12:00:38.5"]


def test_before_any_data_the_time_axis_shows_now_not_1970(window):
    x0, x1 = window.plots.plots[0].getViewBox().viewRange()[0]
    assert abs(x1 - time.time()) < 60 and x1 - x0 > 1


def test_value_axes_share_one_width_that_holds_their_ticks_and_label(qtbot, window):
    window.add_simulator(rate=1000)
    qtbot.wait(500)
    widths = {plot.getAxis("left").width() for plot in window.plots.plots}
    assert len(widths) == 1
    axis = window.plots.plots[1].getAxis("left")
    metrics = QtGui.QFontMetrics(QtGui.QGuiApplication.font())
    (lo, hi) = window.plots.plots[1].getViewBox().viewRange()[1]
    ticks = [s for _spacing, values in axis.tickValues(lo, hi, 200) for s in axis.tickStrings(values, 1.0, _spacing)]
    widest = max(metrics.horizontalAdvance(t) for t in ticks)
    assert widths.pop() == axis_width(axis) >= widest + metrics.height()  # room for the rotated label too


def test_a_flat_trace_gets_readable_ticks_not_scientific_notation(qtbot, window):
    plots = window.plots
    plots._fit_y([[5.0], [0.0], [0.0]], [[5.0], [1e-7], [5e-7]])  # night: no current, no power
    for plot in plots.plots:
        (lo, hi) = plot.getViewBox().viewRange()[1]
        axis = plot.getAxis("left")
        strings = [s for spacing, values in axis.tickValues(lo, hi, 200)
                   for s in axis.tickStrings(values, axis.scale, spacing)]
        assert strings and not any("e-" in s for s in strings), strings


def test_from_zero_shows_the_axes_from_zero(qtbot, window):
    source = window.add_simulator(rate=1000, start_unix=_noon(), panel_watts=60)
    qtbot.waitUntil(lambda: window.plots.curves[source][2].getData()[1] is not None
                    and len(window.plots.curves[source][2].getData()[1]) > 10, timeout=5000)
    qtbot.wait(200)
    assert window.plots.plots[2].getViewBox().viewRange()[1][0] > 1  # fitted to the noise around 18 W
    window.zero_box.setChecked(True)
    qtbot.wait(300)
    lo, hi = window.plots.plots[2].getViewBox().viewRange()[1]
    assert lo == 0.0 and hi > float(np.max(window.plots.curves[source][2].getData()[1]))


def test_the_legend_has_a_background_and_a_click_hides_a_device(qtbot, window):
    source = window.add_simulator(rate=1000)
    legend = window.plots.legend
    assert legend.opts["brush"].color().alpha() > 100
    sample, _label = legend.items[0]
    event = type("Click", (), {"button": lambda self: QtCore.Qt.MouseButton.LeftButton,
                               "accept": lambda self: None})()
    sample.mouseClickEvent(event)
    assert not any(item.isVisible() for item in window.plots.curves[source])


def test_a_note_at_the_left_edge_reads_rightwards_from_its_line(window):
    window.add_annotation("panel re-angled")
    line = window.plots.annotations[-1][2][0]
    assert line.label.anchors == [(0, 0), (0, 0)]  # its top-left corner on the line, whatever the view
    assert line.label.color == pg.mkColor(pg.getConfigOption("foreground"))


def test_a_plot_too_short_for_its_axis_name_shows_the_unit_alone(qtbot, window):
    window.resize(1008, 560)
    qtbot.wait(100)
    short = [plot.getAxis("left") for plot in window.plots.plots]
    metrics = QtGui.QFontMetrics(QtGui.QGuiApplication.font())
    for axis in short:
        shown = f"{axis.labelText} ({axis.labelUnits})" if axis.labelText else f"({axis.labelUnits})"
        assert metrics.horizontalAdvance(shown) <= axis.height(), shown
    window.resize(1264, 1000)
    qtbot.wait(100)
    assert [plot.getAxis("left").labelText for plot in window.plots.plots] == ["Voltage", "Current", "Power"]


def test_the_frame_rate_falls_to_zero_when_nothing_is_painted(window):
    plots = window.plots
    plots.paint_times.clear()
    plots.paint_times.extend([100.0 + k / 60 for k in range(120)])  # two busy seconds at 60 fps ...
    assert plots.fps(now=102.0) == pytest.approx(60, abs=1)
    assert plots.fps(now=110.0) == 0.0  # ... then nothing for eight


def test_a_short_value_axis_gets_no_more_tick_labels_than_fit_without_touching(window):
    """On a 1024x600 screen each plot is ~55 px tall; pyqtgraph put four labels 14 px apart there."""
    axis = window.plots.plots[0].getAxis("left")
    line = QtGui.QFontMetrics(QtGui.QGuiApplication.font()).height()
    (spacing, _offset), *_minor = axis.tickSpacing(5.015, 5.085, 55)
    assert (5.085 - 5.015) / spacing * 1.5 * line <= 55  # a line and a half per label
    tall = axis.tickSpacing(5.015, 5.085, 400)  # a tall plot keeps pyqtgraph's ticks
    assert tall == pg.AxisItem("left").tickSpacing(5.015, 5.085, 400)
