"""Colours, themes and human-readable formatting shared by every view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP

# Distinguishable on light and dark backgrounds (Okabe-Ito), one per device in connection order.
DEVICE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
SEVERITY_NAMES = {0: QT_TRANSLATE_NOOP("LogView", "info"), 1: QT_TRANSLATE_NOOP("LogView", "warning"),
                  2: QT_TRANSLATE_NOOP("LogView", "error")}
SEVERITY_COLOURS = {0: "#3a7d44", 1: "#b26b00", 2: "#c0392b"}


def show_power_in(plot: pg.PlotItem, unit: str) -> None:
    """Label a power axis in the unit chosen in the settings (W or mW) instead of pyqtgraph's automatic
    SI prefix, so the plots read in the same unit as the figures next to them."""
    from carbon_smart_meter.ui.i18n import translate

    axis = plot.getAxis("left")
    axis.enableAutoSIPrefix(False)
    axis.setScale(1e3 if unit == "mW" else 1.0)
    plot.setLabel("left", translate("Plots", "Power"), units=unit)


def device_colour(index: int) -> str:
    return DEVICE_COLOURS[index % len(DEVICE_COLOURS)]


@dataclass(frozen=True)
class PlotTheme:
    """What pyqtgraph cannot take from the Qt palette: plot background, text and line colours, notes."""

    background: object  # anything pg.mkColor takes ("#1e1f22", "w", a tuple)
    foreground: object
    note: str  # a note's dashed line: visible on the background, quieter than the traces


PLOT_THEMES = {"light": PlotTheme("#ffffff", "#303030", "#6e6e6e"),
               "dark": PlotTheme("#1e1f22", "#d0d0d0", "#a8a8a8")}
_current = PLOT_THEMES["light"]


def plot_theme() -> PlotTheme:
    """The plot colours in use: pyqtgraph's options (what new axes and legends take) and the theme's note
    colour (light until a theme is applied)."""
    return PlotTheme(pg.getConfigOption("background"), pg.getConfigOption("foreground"), _current.note)


def apply_theme(app: QtWidgets.QApplication, theme: str) -> None:
    """Fusion style with a light or dark palette, also while windows are open.

    pyqtgraph's colours are set first: the new palette makes Qt send every widget a PaletteChange, and
    the plot views restyle themselves from these options when it arrives (`restyle_plot`).
    """
    global _current
    _current = PLOT_THEMES.get(theme, PLOT_THEMES["light"])
    pg.setConfigOptions(background=_current.background, foreground=_current.foreground, antialias=False,
                        useOpenGL=False)
    app.setStyle("Fusion")
    if theme == "dark":
        pal = QtGui.QPalette()
        base, text = QtGui.QColor("#1e1f22"), QtGui.QColor("#e6e6e6")
        for role, colour in (
            (QtGui.QPalette.ColorRole.Window, QtGui.QColor("#2b2d30")),
            (QtGui.QPalette.ColorRole.Base, base),
            (QtGui.QPalette.ColorRole.AlternateBase, QtGui.QColor("#2b2d30")),
            (QtGui.QPalette.ColorRole.Button, QtGui.QColor("#3c3f41")),
            (QtGui.QPalette.ColorRole.WindowText, text),
            (QtGui.QPalette.ColorRole.Text, text),
            (QtGui.QPalette.ColorRole.ButtonText, text),
            (QtGui.QPalette.ColorRole.Highlight, QtGui.QColor("#2f65ca")),
            # Fusion derives placeholder text from the light palette: nearly invisible on a dark base.
            (QtGui.QPalette.ColorRole.PlaceholderText, QtGui.QColor("#9a9a9a")),
        ):
            pal.setColor(role, colour)
        app.setPalette(pal)
    else:
        app.setPalette(app.style().standardPalette())
    # Qt posts the change; delivered now, open windows are restyled before this returns (not on the next
    # turn of the event loop), so a caller and a test see the new look at once.
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationPaletteChange)


def note_pen() -> QtGui.QPen:
    return pg.mkPen(_current.note, style=QtCore.Qt.PenStyle.DashLine)


def restyle_plot(view: pg.GraphicsView, plots: list[pg.PlotItem]) -> None:
    """Give plots that already exist the colours of the current theme.

    pyqtgraph reads its colour options only when an item is made; a theme switched while the window is
    open would otherwise leave a dark plot in a light window.
    """
    theme = plot_theme()
    foreground = pg.mkColor(theme.foreground)
    view.setBackground(theme.background)
    for plot in plots:
        for name in ("left", "bottom", "top", "right"):
            axis = plot.getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)
        legend = plot.legend
        if legend is not None:
            background = pg.mkColor(theme.background)
            background.setAlpha(210)
            legend.setBrush(pg.mkBrush(background))
            legend.setPen(pg.mkPen(foreground, width=0.5))
            legend.setLabelTextColor(foreground)
            for _sample, label in legend.items:
                label.setText(label.text, color=foreground)
        for item in plot.items:
            if isinstance(item, pg.InfiniteLine) and getattr(item, "csm_note", False):
                item.setPen(note_pen())
                if getattr(item, "label", None) is not None:
                    item.label.setColor(foreground)


def format_time(t_s: float, utc: bool) -> str:
    when = dt.datetime.fromtimestamp(t_s, dt.UTC)
    if utc:
        return when.strftime("%Y-%m-%d %H:%M:%S UTC")
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def format_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    h, rem = divmod(round(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d} min"


def cell(table: QtWidgets.QTableWidget, row: int, col: int) -> QtWidgets.QTableWidgetItem:
    """The item of a table cell, made empty if the row was inserted without one.

    Our tables fill every cell when they add a row; Qt still types `item()` as optional, and an empty
    cell is a better answer than a crash in a timer callback.
    """
    item = table.item(row, col)
    if item is None:
        item = QtWidgets.QTableWidgetItem("")
        table.setItem(row, col, item)
    return item
