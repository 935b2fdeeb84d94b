"""Live V / I / P plots over a real time axis, pulled from the ring buffers on a timer.

Each frame asks every ring for the visible span only, at most one min/max pair per pixel column (raw
samples once zoomed in further), so the cost of a frame depends on the widget's width, not on the window
length (seconds or hours alike). The rings already clip and decimate, so the curves are bare
`PlotCurveItem`s: pyqtgraph's own downsampling would only redo that work on every frame.

While following, the window scrolls in whole pixels and the y range changes only when the data leaves it
or shrinks well inside it. Most frames then change nothing but the curves: the axes keep their cached
pictures, and a frame in which no ring received a sample and nothing moved is not drawn at all.

Sample-to-screen latency is measured honestly: the arrival times of the blocks handed to `setData`
are compared with the end of the next paint of the plot widget.
"""

from __future__ import annotations

import collections
import datetime as dt
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.acquisition.live_buffers import LiveBuffers
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.style import note_pen, plot_theme, restyle_plot, show_power_in

CHANNELS = (("v", QT_TRANSLATE_NOOP("Plots", "Voltage"), "V"),
            ("i", QT_TRANSLATE_NOOP("Plots", "Current"), "A"),
            ("p", QT_TRANSLATE_NOOP("Plots", "Power"), "W"))
Y_MARGIN = 0.08  # of the data's extent, above and below, when the y range is refitted
Y_SHRINK_BELOW = 0.45  # refit when the data fills less than this share of the y range
# The smallest y extent a plot is fitted to, per channel in its SI unit: a flat trace (night, no load)
# then reads "0.000" ticks, not pyqtgraph's "5e-07" of a range fitted to rounding noise.
Y_MIN_SPAN = (0.02, 0.002, 0.02)
# Value axes have one fixed width wide enough for "-00000.000" and their rotated label, so the label is
# never drawn over the ticks when the unit or the number of digits changes, and the three plots line up.
AXIS_SAMPLE_TEXT = "-00000.000"
LEGEND_COLUMNS = 4  # legend entries side by side before a second row starts
SPANS = [("10 s", 10.0), ("1 min", 60.0), ("10 min", 600.0), ("1 h", 3600.0), ("6 h", 21600.0)]


class _PaintTimedView(pg.GraphicsLayoutWidget):
    """Calls `on_painted` after each completed paint: the moment samples are really on screen."""

    def __init__(self, on_painted) -> None:
        super().__init__()
        self._on_painted = on_painted

    def paintEvent(self, ev) -> None:  # Qt override
        super().paintEvent(ev)
        self._on_painted()


class _LiveCurve(pg.PlotCurveItem):
    """A curve told its bounds with its data: the refresh already knows the time span and the min/max
    (it fits y with them), so pyqtgraph need not scan every curve again for its bounding rect."""

    def show_trace(self, t: np.ndarray, y: np.ndarray, lo: float, hi: float) -> None:
        self.setData(t, y)
        if len(t):  # pyqtgraph's own cache entry for full-range bounds, as dataBounds would fill it
            self._boundsCache = [[(1.0, None), (float(t[0]), float(t[-1]))], [(1.0, None), (lo, hi)]]


class _XGrid:
    """Vertical grid lines of a plot whose own time axis is hidden: major and minor ticks of the bottom
    plot's time axis as two line items (the same alphas pyqtgraph's grid uses for two tick levels)."""

    def __init__(self, plot: pg.PlotItem, alpha: float = 0.25) -> None:
        self.plot = plot
        self.alpha = alpha
        colour = plot.getAxis("left").pen().color()
        self.lines = []
        for _level in range(2):
            item = pg.PlotCurveItem(pen=pg.mkPen(colour), connect="pairs", antialias=False)
            plot.addItem(item, ignoreBounds=True)
            item.setZValue(-100)
            self.lines.append(item)

    def show_ticks(self, levels: list, width_px: int) -> None:
        y0, y1 = self.plot.getViewBox().viewRange()[1]
        for k, item in enumerate(self.lines):
            ticks = np.asarray(levels[k][1], np.float64) if k < len(levels) else np.empty(0)
            colour = item.opts["pen"].color()
            shown = 255 / (k + 1) * self.alpha * min(1.0, max(0.0, 0.05 * width_px / (len(ticks) + 1)))
            if colour.alpha() != int(shown):
                colour.setAlpha(int(shown))
                item.setPen(pg.mkPen(colour))
            item.setData(np.repeat(ticks, 2), np.tile(np.array([y0, y1]), len(ticks)))

    def restyle(self) -> None:
        """The theme's text colour, at the alpha each level shows now."""
        for item in self.lines:
            colour = pg.mkColor(plot_theme().foreground)
            colour.setAlpha(item.opts["pen"].color().alpha())
            item.setPen(pg.mkPen(colour))


class TimeAxis(pg.DateAxisItem):
    """pyqtgraph's date axis, with the time of day kept when zoomed below a second ("12:00:38.450", not
    "38.450"): a reading at a deep zoom still says when it was."""

    def __init__(self, utc: bool, **kwargs) -> None:
        super().__init__(orientation="bottom", utcOffset=0 if utc else None, **kwargs)
        self.utc = utc

    def tickStrings(self, values, scale, spacing):  # pyqtgraph override
        if spacing >= 1 or not values:
            return super().tickStrings(values, scale, spacing)
        places = 1 if spacing >= 0.1 else 2 if spacing >= 0.01 else 3
        out = []
        for v in values:
            try:
                when = dt.datetime.fromtimestamp(round(v, places), dt.UTC)
            except (OverflowError, OSError, ValueError):
                out.append("")
                continue
            if not self.utc:
                when = when.astimezone()
            out.append(when.strftime("%H:%M:%S") + f".{when.microsecond // 10 ** (6 - places):0{places}d}")
        return out


class ValueAxis(pg.AxisItem):
    """pyqtgraph's value axis with ticks in the user's number format ("18,05" in German): the figures
    beside the plots follow the locale (numbers.py), so the axes must too."""

    def __init__(self, orientation: str = "left", **kwargs) -> None:
        super().__init__(orientation, **kwargs)

    def tickStrings(self, values, scale, spacing):  # pyqtgraph override
        point = QtCore.QLocale().decimalPoint()
        strings = super().tickStrings(values, scale, spacing)
        return strings if point == "." else [t.replace(".", point) for t in strings]

    def tickSpacing(self, minVal, maxVal, size):  # pyqtgraph override
        """At most one major tick per 1.5 lines of text: pyqtgraph puts at least three on any axis, and on a
        55-pixel plot (1024x600 screen) their labels touched each other (issue 18)."""
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or self.orientation not in ("left", "right"):
            return levels
        line = QtGui.QFontMetrics(self.style.get("tickFont") or QtWidgets.QApplication.font()).height() * 1.5
        most = max(1.0, size / line)
        spacing, offset = levels[0]
        if abs(maxVal - minVal) / spacing <= most:
            return levels
        while abs(maxVal - minVal) / spacing > most:
            spacing *= 2
        return [(spacing, offset), *levels]

    def relabel(self) -> None:
        """Draw the ticks again (after the language, and so the number format, changed)."""
        self.picture = None
        self.update()


def axis_width(axis: pg.AxisItem) -> int:
    """Room for the widest tick text we expect plus the rotated label (see AXIS_SAMPLE_TEXT)."""
    metrics = QtGui.QFontMetrics(axis.style.get("tickFont") or QtWidgets.QApplication.font())
    return metrics.horizontalAdvance(AXIS_SAMPLE_TEXT) + 2 * metrics.height() + 8


class LivePlots(QtWidgets.QWidget):
    firstData = QtCore.Signal(str)  # a device's samples reached the screen for the first time
    followChanged = QtCore.Signal(bool)

    def __init__(self, buffers: LiveBuffers, utc: bool = False, span_s: float = 60.0, power_unit: str = "W",
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.buffers = buffers
        self.span_s = span_s
        self.following = True
        self.curves: dict[str, list[_LiveCurve]] = {}
        self.colours: dict[str, str] = {}
        self.annotations: list[tuple[float, str, list[pg.InfiniteLine]]] = []
        self._shown: set[str] = set()
        self._pending_arrivals: list[np.ndarray] = []
        self.latencies_ms: collections.deque[float] = collections.deque(maxlen=20_000)
        self.paint_times: collections.deque[float] = collections.deque(maxlen=600)
        self.frames = 0
        self.view = _PaintTimedView(self._painted)
        self.plots: list[pg.PlotItem] = []
        self._xgrids: list[_XGrid] = []
        self.from_zero = False
        for row, (_key, name, unit) in enumerate(CHANNELS):
            plot = self.view.addPlot(row=row, col=0, axisItems={"bottom": TimeAxis(utc), "left": ValueAxis()})
            plot.setLabel("left", translate("Plots", name), units=unit)
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.enableAutoRange(axis="y")
            plot.setAutoVisible(y=True)
            plot.getViewBox().sigRangeChangedManually.connect(
                lambda mask, row=row: self._user_moved(row, mask))
            if self.plots:
                plot.setXLink(self.plots[0])
            # Axis text is most of a frame's paint cost in software rendering: the time axis is drawn
            # once (bottom plot), and the value axes are cached as pixmaps until their range changes.
            # The upper plots get their vertical grid from `_XGrid` (the bottom axis's ticks as one
            # line item), not from two more time axes regenerated on every frame.
            if row < len(CHANNELS) - 1:
                plot.hideAxis("bottom")
                plot.showGrid(x=False, y=True, alpha=0.25)
                self._xgrids.append(_XGrid(plot))
            plot.getAxis("left").setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.getAxis("left").setWidth(axis_width(plot.getAxis("left")))
            self.plots.append(plot)
        # Until data arrives the axis shows the last span up to now, not the epoch (1970).
        now = time.time()
        self.plots[0].setXRange(now - span_s, now, padding=0)
        # A legend over the traces needs a background of its own to stay readable; click an entry to
        # hide or show that device's traces (pyqtgraph's legend sample toggles its item).
        background = QtGui.QColor(pg.mkColor(pg.getConfigOption("background")))
        background.setAlpha(210)
        self.legend = self.plots[0].addLegend(offset=(10, 5), brush=pg.mkBrush(background),
                                              pen=pg.mkPen(pg.getConfigOption("foreground"), width=0.5))
        self.legend.sigSampleClicked.connect(self._legend_clicked)
        self.set_power_unit(power_unit)
        self._drawn: tuple | None = None  # what the last frame showed: x range, width and ring totals
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_from_zero(self, on: bool) -> None:
        """Fit the y axes to include zero (a 18 W panel's noise then reads as noise, not as swings)."""
        self.from_zero = bool(on)
        self._drawn = None
        for plot in self.plots:
            plot.getViewBox().enableAutoRange(axis="y")  # refitted on the next frame

    def _legend_clicked(self, item) -> None:
        """Hiding a device in the legend hides its current and power traces too."""
        for items in self.curves.values():
            if items and items[0] is item:
                for other in items[1:]:
                    other.setVisible(item.isVisible())

    def set_power_unit(self, unit: str) -> None:
        show_power_in(self.plots[2], unit)
        self.fit_labels()

    def set_utc(self, utc: bool) -> None:
        """Read the time axis in UTC or local time from now on (the settings' time zone)."""
        axis = self.plots[-1].getAxis("bottom")
        axis.utc = utc
        axis.utcOffset = 0 if utc else None
        axis.picture = None
        axis.update()
        self._drawn = None

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        """A language or theme switched while the window is open: new axis names, new colours."""
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.fit_labels()
            for plot in self.plots:
                plot.getAxis("left").relabel()
        elif ev.type() == QtCore.QEvent.Type.PaletteChange:
            self.restyle()
        super().changeEvent(ev)

    def restyle(self) -> None:
        restyle_plot(self.view, self.plots)
        for grid in self._xgrids:
            grid.restyle()

    def resizeEvent(self, ev) -> None:  # Qt override
        super().resizeEvent(ev)
        QtCore.QTimer.singleShot(0, self.fit_labels)  # once the plots have their new heights

    def fit_labels(self) -> None:
        """A rotated axis label taller than its plot (three plots on a 600-pixel screen) is cut to
        "pannung (V"; such a plot shows its unit alone, and its name returns when there is room."""
        metrics = QtGui.QFontMetrics(QtWidgets.QApplication.font())
        for plot, (_key, name, _unit) in zip(self.plots, CHANNELS, strict=True):
            axis = plot.getAxis("left")
            units = axis.labelUnits
            full = translate("Plots", name)
            wanted = f"{full} ({units})" if units else full
            text = full if metrics.horizontalAdvance(wanted) + 8 <= axis.height() else ""
            if axis.labelText != text:
                axis.setLabel(text, units=units)

    # ---- devices and notes ----------------------------------------------------------------------
    def add_device(self, source: str, colour: str) -> None:
        if source in self.curves:
            return
        self.colours[source] = colour
        pen = pg.mkPen(colour, width=1)
        items = []
        for k, plot in enumerate(self.plots):
            item = _LiveCurve(pen=pen, skipFiniteCheck=True)
            plot.addItem(item)
            if k == 0:
                self.legend.addItem(item, source)
            items.append(item)
        self.curves[source] = items
        self._legend_in_one_row()
        self._drawn = None

    def remove_device(self, source: str) -> None:
        items = self.curves.pop(source, [])
        if items:
            self.legend.removeItem(items[0])
            self._legend_in_one_row()
        for plot, item in zip(self.plots, items, strict=False):
            plot.removeItem(item)
        self._shown.discard(source)
        self._drawn = None

    def _legend_in_one_row(self) -> None:
        """Devices side by side, one line tall: stacked, two entries were cut off at the bottom of the
        voltage plot on a 600-pixel screen (issue 18)."""
        self.legend.setColumnCount(max(1, min(LEGEND_COLUMNS, len(self.curves))))

    def add_annotation(self, t_s: float, text: str) -> None:
        lines = []
        for k, plot in enumerate(self.plots):
            line = pg.InfiniteLine(
                pos=t_s, angle=90, movable=False, pen=note_pen(),
                label=text if k == 0 else None,
                # Hung by its top-left corner from near the top of the line, the label reads rightwards and
                # downwards: never cut off at the plot's left or top edge; in the theme's text colour.
                labelOpts={"position": 0.95, "color": plot_theme().foreground, "anchors": [(0, 0), (0, 0)]},
            )
            line.csm_note = True  # restyle_plot recolours notes when the theme changes
            line.setToolTip(text)
            plot.addItem(line, ignoreBounds=True)
            lines.append(line)
        self.annotations.append((t_s, text, lines))

    # ---- following and spans --------------------------------------------------------------------
    def set_span(self, seconds: float) -> None:
        self.span_s = float(seconds)
        self.set_following(True)

    def set_following(self, on: bool, keep_y: int | None = None) -> None:
        self._drawn = None
        if on != self.following:
            self.following = on
            self.followChanged.emit(on)
        if not on:  # paused: pyqtgraph fits y to what is visible again, except on a plot the user zoomed in y
            for row, plot in enumerate(self.plots):
                if row != keep_y:
                    plot.getViewBox().enableAutoRange(axis="y")

    def _user_moved(self, row: int, mask=None) -> None:
        self.set_following(False, keep_y=row if mask is not None and mask[1] else None)

    def latest_time(self) -> float | None:
        ends = [span[1] for ring in self.buffers.rings.values() if (span := ring.time_span())]
        return max(ends) if ends else None

    # ---- per frame --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Pull the visible span from every ring and hand it to the curves (called by a QTimer)."""
        latest = self.latest_time()
        if latest is None:
            return
        vb = self.plots[0].getViewBox()
        width = max(200, int(vb.width()) or 800)
        if self.following:
            # Whole-pixel steps: between them only the newest column changes, so axes and grid stay cached
            # (a 10-minute window on 1200 pixels moves twice a second instead of on every frame).
            px = self.span_s / width
            x1 = math.ceil(latest / px) * px
            x0 = x1 - self.span_s
        else:
            x0, x1 = vb.viewRange()[0]
        rings = list(self.buffers.rings.items())
        drawn = (x0, x1, width, self.following, tuple((s, r.total) for s, r in rings))
        if drawn == self._drawn:
            return  # nothing arrived and nothing moved: no new frame to paint
        moved = self._drawn is None or self._drawn[:3] != drawn[:3]
        self._drawn = drawn
        if self.following and moved:
            vb.setXRange(x0, x1, padding=0)
        lows: list[list[float]] = [[], [], []]
        highs: list[list[float]] = [[], [], []]
        for source, ring in rings:
            items = self.curves.get(source)
            if items is None:
                continue
            tr = ring.view(x0, x1, max_points=width)
            for k, (item, y) in enumerate(zip(items, (tr.v, tr.i, tr.p), strict=True)):
                lo, hi = (float(y.min()), float(y.max())) if len(y) else (0.0, 0.0)
                item.show_trace(tr.t, y, lo, hi)
                if len(y):
                    lows[k].append(lo)
                    highs[k].append(hi)
            arrivals = ring.take_arrivals()
            if len(arrivals):
                self._pending_arrivals.append(arrivals)
            if len(tr) and source not in self._shown:
                self._shown.add(source)
                self.firstData.emit(source)
        if self.following:
            self._fit_y(lows, highs)
        bottom = self.plots[-1].getAxis("bottom")
        if moved and self._xgrids and getattr(bottom, "fontMetrics", None) is not None:  # set by its first paint
            levels = bottom.tickValues(x0, x1, width)
            for grid in self._xgrids:
                grid.show_ticks(levels, width)
        # pyqtgraph defers the new view transforms to the start of the next paint; applied there, they
        # mark the scene changed again and Qt paints every frame twice. Applying them now makes the one
        # paint that follows show this frame, and the second (identical) paint never happens.
        self.view.scene().prepareForPaint()

    def _fit_y(self, lows: list[list[float]], highs: list[list[float]]) -> None:
        """While following, fit each plot's y range to the min/max the views already hold.

        pyqtgraph's own y auto-range asks every curve for its bounds again while preparing the paint, and
        the range it sets schedules a second paint of an unchanged frame. Refitting only when the data
        leaves the range or fills less than `Y_SHRINK_BELOW` of it keeps the value axes (and their SI
        prefix labels) cached between refits, and the trace does not jitter with every new extreme.
        A plot whose y the user zoomed is left alone (following stops).
        """
        for plot, lo_s, hi_s, min_span in zip(self.plots, lows, highs, Y_MIN_SPAN, strict=True):
            if not lo_s:
                continue
            lo, hi = min(lo_s), max(hi_s)
            if not (np.isfinite(lo) and np.isfinite(hi)):
                continue
            if self.from_zero:
                lo, hi = min(lo, 0.0), max(hi, 0.0)
            if hi - lo < min_span:
                mid = (hi + lo) / 2
                lo, hi = (0.0, min_span) if self.from_zero and lo >= 0 else (mid - min_span / 2, mid + min_span / 2)
            vb = plot.getViewBox()
            (y0, y1) = vb.viewRange()[1]
            extent = hi - lo
            if y0 <= lo and hi <= y1 and extent >= Y_SHRINK_BELOW * (y1 - y0) and not vb.autoRangeEnabled()[1]:
                continue
            pad = max(extent * Y_MARGIN, abs(hi) * 1e-3, 1e-6)
            vb.setYRange(lo - pad if not (self.from_zero and lo == 0.0) else 0.0, hi + pad, padding=0)

    def _painted(self) -> None:
        now = time.monotonic_ns()
        self.frames += 1
        self.paint_times.append(now * 1e-9)
        if self._pending_arrivals:
            arr = np.concatenate(self._pending_arrivals)
            self._pending_arrivals.clear()
            self.latencies_ms.extend(((now - arr) * 1e-6).tolist())

    def fps(self, over_s: float = 2.0, now: float | None = None) -> float:
        """Frames painted per second over the last `over_s` seconds up to now: 0 when nothing was painted
        (no data arriving, paused), not the rate of the last busy stretch."""
        now = time.monotonic() if now is None else now
        t = np.asarray(self.paint_times)
        return float(np.count_nonzero(t >= now - over_s)) / over_s
