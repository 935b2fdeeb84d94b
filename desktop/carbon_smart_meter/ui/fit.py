"""Windows that fit the screen they open on, and labels that never widen a window.

A window sized for a 1920x1080 desktop pushes its status bar and buttons off a 1024x600 netbook or a
1280x800 field laptop; a label holding a whole data path made the window's minimum width grow with the
path (935-1459 px, issue 18). Windows open at their preferred size shrunk to the screen's available area,
and long paths are elided in the middle (the full text stays in the tooltip and is copied on selection).
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

# Room a window manager takes for its title bar and borders (the frame is unknown before the first show).
FRAME_ALLOWANCE = QtCore.QSize(16, 40)


def initial_size(preferred: QtCore.QSize, available: QtCore.QSize) -> QtCore.QSize:
    """The preferred size, shrunk to fit `available` (a screen's area without panels) with its frame."""
    return QtCore.QSize(min(preferred.width(), available.width() - FRAME_ALLOWANCE.width()),
                        min(preferred.height(), available.height() - FRAME_ALLOWANCE.height()))


def fit_to_screen(window: QtWidgets.QWidget, preferred: QtCore.QSize) -> QtCore.QSize:
    """Resize `window` to `preferred` or the screen it is on, whichever is smaller; returns the size."""
    screen: QtGui.QScreen | None = window.screen()
    if screen is None:  # a widget not yet on any screen
        screen = QtGui.QGuiApplication.primaryScreen()
    size = preferred if screen is None else initial_size(preferred, screen.availableGeometry().size())
    window.resize(size)
    return size


class ElidedLabel(QtWidgets.QLabel):
    """A one-line label that shows as much of its text as fits, eliding the middle (where a path's
    least telling part is); it asks for little width, so it never sets the window's minimum size."""

    def __init__(self, text: str = "", parent: QtWidgets.QWidget | None = None,
                 mode: QtCore.Qt.TextElideMode = QtCore.Qt.TextElideMode.ElideMiddle, min_chars: int = 12) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self._min_chars = min_chars
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.setText(text)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # Qt override: keep the full text, show it elided
        self._full = text
        self.setToolTip(text)
        self._elide()

    def minimumSizeHint(self) -> QtCore.QSize:  # Qt override
        m = self.fontMetrics()
        return QtCore.QSize(m.averageCharWidth() * self._min_chars, m.height())

    def sizeHint(self) -> QtCore.QSize:  # Qt override
        m = self.fontMetrics()
        return QtCore.QSize(m.horizontalAdvance(self._full) + 4, m.height())

    def resizeEvent(self, ev: QtGui.QResizeEvent) -> None:  # Qt override
        super().resizeEvent(ev)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, self._mode, max(self.width() - 2, 0))
        super().setText(shown)


def compact_rows(table: QtWidgets.QTableWidget) -> None:
    """Rows one line of text high plus a little air (the style's default is ~30 px), so that a small
    screen shows every device's row, and the total, beside the plots."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 4)


def table_rows_height(table: QtWidgets.QTableWidget, max_rows: int) -> int:
    """Height a table needs to show its header and up to `max_rows` rows whole (no half row)."""
    rows = min(table.rowCount(), max_rows)
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(rows))
    scroll = table.horizontalScrollBar()
    if scroll is not None and scroll.isVisible():
        height += scroll.height()
    return height + 2 * table.frameWidth()


def show_table_rows(split: QtWidgets.QSplitter, pane: int, table: QtWidgets.QTableWidget, *, donor: int,
                    max_rows: int = 4, donor_keeps: int = 240) -> None:
    """Grow splitter pane `pane` until `table` in it shows up to `max_rows` rows whole, taking the room
    from pane `donor` (the plots) as long as that keeps `donor_keeps` pixels. On a 1024x600 screen the
    device table showed one and a half rows of two devices, and the energy table hid its total row."""
    sizes = split.sizes()
    if not sizes or sizes[pane] == 0:
        return  # not laid out yet (or the user closed the pane)
    wanted = sizes[pane] - table.height() + table_rows_height(table, max_rows)
    grow = min(wanted - sizes[pane], sizes[donor] - donor_keeps)
    if grow > 0:
        sizes[pane] += grow
        sizes[donor] -= grow
        split.setSizes(sizes)
