"""Review of a session file: min/max overview, detail plots, two-cursor measurement, notes, export.

Files still being written (or whose writer died) open in SWMR read mode and can follow the writer.
Detail views read only the selected rows, as raw samples when they fit on screen and as min/max
windows otherwise, so hours of 10 kHz data scroll without loading the file into memory. A file that
cannot be read produces one clear sentence in the window, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.storage.review_notes import add_review_note, session_notes
from carbon_smart_meter.storage.superblock import truncation_problem
from carbon_smart_meter.ui.fit import fit_to_screen
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.live_plots import ValueAxis
from carbon_smart_meter.ui.log_view import readable_error
from carbon_smart_meter.ui.numbers import energy, integer, power
from carbon_smart_meter.ui.review_data import Measurement, OverviewWorker, measure
from carbon_smart_meter.ui.session_details import details_summary
from carbon_smart_meter.ui.style import format_duration, format_time, note_pen, plot_theme, restyle_plot, show_power_in

OVERVIEW_POINTS = 1500
RAW_LIMIT = 400_000  # rows in a detail view read raw; more become min/max windows
CHANNELS = (("voltage", QT_TRANSLATE_NOOP("Plots", "Voltage"), "V"),
            ("current", QT_TRANSLATE_NOOP("Plots", "Current"), "A"),
            ("power", QT_TRANSLATE_NOOP("Plots", "Power"), "W"))

# The file's calibration_status attribute (English in the file, as every HDF5 tool shows it), in words.
FILE_CALIBRATION = {"calibrated": QT_TRANSLATE_NOOP("ReviewWindow", "calibrated"),
                    "uncalibrated": QT_TRANSLATE_NOOP("ReviewWindow", "uncalibrated"),
                    "unknown": QT_TRANSLATE_NOOP("ReviewWindow", "unknown")}



def iso_utc(t_s: float) -> str:
    """ISO 8601 UTC to the microsecond: what the export's From/To fields show and accept."""
    return dt.datetime.fromtimestamp(t_s, dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class ReviewWindow(QtWidgets.QWidget):
    loaded = QtCore.Signal(str)
    problem = QtCore.Signal(str)

    def __init__(self, settings: Settings | None = None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.utc = self.settings.time_zone == "UTC"
        self.session: Session | None = None
        self.path: Path | None = None
        self.worker: OverviewWorker | None = None
        self._info_text = ""
        self._energy_wh: float | None = None  # the whole file's, once the overview has it
        self.t_first = self.t_last = 0.0
        self.banner = QtWidgets.QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.info = QtWidgets.QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QtWidgets.QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_button = QtWidgets.QPushButton()
        self.note_button.setEnabled(False)
        self.note_button.clicked.connect(self.open_note_dialog)
        self.note_shortcut = QtGui.QShortcut(QtGui.QKeySequence("Ctrl+N"), self)
        self.note_shortcut.activated.connect(self.open_note_dialog)
        self.note_dialog: QtWidgets.QDialog | None = None
        self.measure_label = QtWidgets.QLabel()
        self.follow_box = QtWidgets.QCheckBox()
        self.follow_box.setVisible(False)
        self.export_button = QtWidgets.QPushButton()
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.open_export)
        self.notes = QtWidgets.QListWidget()
        self.notes.setMaximumHeight(90)

        self.view = pg.GraphicsLayoutWidget()
        self.overview = self.view.addPlot(row=0, col=0, axisItems={"bottom": self._axis(), "left": ValueAxis()})
        show_power_in(self.overview, self.settings.power_unit)
        self.overview.setMaximumHeight(140)
        self.overview.setMouseEnabled(x=False, y=False)
        self.overview_curve = self.overview.plot(pen=pg.mkPen("#0072B2"))
        self.region = pg.LinearRegionItem(brush=pg.mkBrush(0, 114, 178, 40))
        self.overview.addItem(self.region, ignoreBounds=True)
        self.detail: list[pg.PlotItem] = []
        self.detail_curves: list[pg.PlotDataItem] = []
        for row in range(1, len(CHANNELS) + 1):
            plot = self.view.addPlot(row=row, col=0, axisItems={"bottom": self._axis(), "left": ValueAxis()})
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            if self.detail:
                plot.setXLink(self.detail[0])
            self.detail.append(plot)
            self.detail_curves.append(plot.plot(pen=pg.mkPen("#0072B2")))
        self.cursors = [pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen(c, width=2))
                        for c in ("#D55E00", "#009E73")]
        for c in self.cursors:
            self.detail[2].addItem(c, ignoreBounds=True)
            c.sigPositionChangeFinished.connect(self.update_measurement)
        self.region.sigRegionChangeFinished.connect(self._region_changed)
        self.follow_timer = QtCore.QTimer(self)
        self.follow_timer.setInterval(2000)
        self.follow_timer.timeout.connect(self.refresh)
        self.follow_box.toggled.connect(lambda on: self.follow_timer.start() if on else self.follow_timer.stop())

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.info, 1)
        top.addWidget(self.follow_box)
        top.addWidget(self.note_button)
        top.addWidget(self.export_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.measure_label)
        layout.addWidget(self.notes)
        self.retranslate()
        fit_to_screen(self, QtCore.QSize(1200, 800))

    def retranslate(self) -> None:
        """Texts, axis names and the figures of the open file in the current language and number format."""
        self.setWindowTitle(translate("ReviewWindow", "Review — {name}").format(name=self.path.name) if self.path
                            else translate("ReviewWindow", "Review"))
        self.follow_box.setText(translate("ReviewWindow", "Follow the file while it is written"))
        self.export_button.setText(translate("ReviewWindow", "Export…"))
        self.note_button.setText(translate("ReviewWindow", "Add note…"))
        self._note_policy()
        for plot, (name, label, unit) in zip(self.detail, CHANNELS, strict=True):
            plot.setLabel("left", translate("Plots", label), units=unit)
            if name == "power":
                show_power_in(plot, self.settings.power_unit)
        show_power_in(self.overview, self.settings.power_unit)
        if self.session is None:
            self.info.setText(translate("ReviewWindow", "Open a session file (File ▸ Open session for review)."))
            self.measure_label.setText(translate("ReviewWindow", "Drag the two cursors on the power plot to measure."))
            return
        self._describe()
        self._notes()
        self.update_measurement()

    def apply_settings(self, settings: Settings) -> None:
        """Units and time zone of the logger's settings, at once (language and theme reach this window as
        Qt events)."""
        self.settings = settings
        self.utc = settings.time_zone == "UTC"
        for plot in (self.overview, *self.detail):
            axis = plot.getAxis("bottom")
            axis.utcOffset = 0 if self.utc else None
            axis.picture = None
            axis.update()
        self.retranslate()

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
            for plot in (self.overview, *self.detail):
                plot.getAxis("left").relabel()
        elif ev.type() == QtCore.QEvent.Type.PaletteChange:
            restyle_plot(self.view, [self.overview, *self.detail])
        super().changeEvent(ev)

    def _axis(self) -> pg.DateAxisItem:
        return pg.DateAxisItem(orientation="bottom", utcOffset=0 if self.utc else None)

    def _show_banner(self, text: str, error: bool) -> None:
        colour = "#fdecea" if error else "#fff4e5"
        self.banner.setStyleSheet(f"background:{colour}; color:#222; padding:6px; border-radius:3px;")
        self.banner.setText(text)
        self.banner.setVisible(True)

    # ---- loading --------------------------------------------------------------------------------------
    def open_file(self, path: Path | str) -> bool:
        self.close_session()
        self.path = Path(path)
        self.setWindowTitle(translate("ReviewWindow", "Review — {name}").format(name=self.path.name))
        try:
            cut = truncation_problem(self.path)
            if cut:
                raise ValueError(cut)
            self.session = Session(self.path)
            self._load()
        except Exception as exc:
            self.close_session()
            text = translate("ReviewWindow", "Cannot open {name}: {problem}. If the recording was interrupted, "
                             "`csm repair {name}` may recover what was flushed.").format(
                name=self.path.name, problem=readable_error(exc))
            self.info.setText(translate("ReviewWindow", "No session loaded."))
            self._show_banner(text, error=True)
            self.problem.emit(text)
            return False
        return True  # `loaded` follows when the overview has been computed

    def close_session(self) -> None:
        self.follow_timer.stop()
        if self.worker is not None:
            self.worker.wait()
            self.worker = None
        if self.session is not None:
            self.session.close()
            self.session = None

    def _load(self) -> None:
        s, path = self.session, self.path
        assert s is not None and path is not None, "open_file sets both before loading"
        n = s.rows()
        growing = s.swmr or not s.complete
        self.follow_box.setVisible(growing)
        if growing:
            self._show_banner(translate("ReviewWindow", "{name} is still being written or was not closed cleanly: "
                                        "showing everything flushed so far.").format(name=path.name), error=False)
        else:
            self.banner.setVisible(False)
        if n == 0:
            raise ValueError(translate("ReviewWindow", "the file holds no samples yet"))
        self.t_first = int(s.samples("device_time_ns", 0, 1)[0]) / 1e9
        self.t_last = int(s.samples("device_time_ns", n - 1, n)[0]) / 1e9
        self._energy_wh = None
        self._describe()
        meta, problems = s.metadata()
        self.details.setText(" ".join([details_summary(meta), *problems]))
        self.export_button.setEnabled(True)
        self._note_policy()
        self._overview()
        span = self.t_last - self.t_first
        half = min(0.1 * span, 30.0)  # a first detail view that reads quickly even in a day-long file
        mid = self.t_first + 0.5 * span
        self.region.setBounds((self.t_first, self.t_last))
        self.region.setRegion((mid - half, mid + half) if span > 0 else (self.t_first, self.t_last))
        self._notes()
        self._region_changed()

    def _describe(self) -> None:
        """The line above the plots: device, start, length, samples, calibration and (once known) energy."""
        s, path = self.session, self.path
        if s is None or path is None:
            return
        dev, attrs = s.device, s.attrs
        raw = str(attrs.get("calibration_status", "unknown"))
        status = translate("ReviewWindow", FILE_CALIBRATION[raw]) if raw in FILE_CALIBRATION else raw
        self._info_text = translate(
            "ReviewWindow", "<b>{source}</b> device {address} · {start} · {duration} · {samples} samples · "
            "calibration: {status}").format(
            source=attrs.get("source", path.stem), address=dev.get("address", "?"),
            start=format_time(self.t_first, self.utc), duration=format_duration(self.t_last - self.t_first),
            samples=integer(s.rows()), status=status)
        tail = (translate("ReviewWindow", "computing overview…") if self._energy_wh is None
                else energy(self.settings, self._energy_wh))
        self.info.setText(self._info_text + " · " + tail)

    def _overview(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            return  # the running one will be followed by the next refresh
        if self.path is None:
            return
        window_ns = max(1, int((self.t_last - self.t_first) * 1e9 / OVERVIEW_POINTS))
        self.worker = OverviewWorker(self.path, window_ns)
        self.worker.done.connect(self._overview_done)
        self.worker.failed.connect(lambda text: self._show_banner(
            translate("ReviewWindow", "Overview not available: {problem}").format(problem=text), error=True))
        self.worker.start()

    def _overview_done(self, t: np.ndarray, y: np.ndarray, energy_wh: float) -> None:
        self.overview_curve.setData(t, y)
        self.overview.setXRange(self.t_first, self.t_last, padding=0.01)
        self._energy_wh = energy_wh
        self._describe()
        self.loaded.emit(str(self.path))

    def _notes(self) -> None:
        self.notes.clear()
        for plot in [self.overview, *self.detail]:
            for item in [i for i in plot.items if getattr(i, "csm_note", False)]:
                plot.removeItem(item)
        if self.session is None:
            return
        notes, problems = session_notes(self.session)
        for problem in problems:
            self.notes.addItem(problem)
        for note in notes:
            t_s = note["t_utc_ns"] / 1e9
            origin = ("   " + translate("ReviewWindow", "(added in review)")) if note["origin"] == "review" else ""
            self.notes.addItem(f"{format_time(t_s, self.utc)}  {note['text']}{origin}")
            for k, plot in enumerate([self.overview, *self.detail]):
                line = pg.InfiniteLine(pos=t_s, angle=90, pen=note_pen(), label=note["text"] if k == 1 else None,
                                       labelOpts={"position": 0.9, "color": plot_theme().foreground})
                line.csm_note = True  # restyle_plot recolours it with the theme
                line.setToolTip(note["text"])
                plot.addItem(line, ignoreBounds=True)

    def _region_changed(self) -> None:
        if self.session is None:
            return
        a, b = self.region.getRegion()
        self.show_range(a, b)

    def show_range(self, a: float, b: float) -> None:
        s = self.session
        if s is None:
            return
        lo, hi = int(a * 1e9), int(b * 1e9)
        r0, r1 = s.row_range(lo, hi)
        if r1 - r0 <= RAW_LIMIT:
            data = s.read(["device_time_ns", *(c for c, _l, _u in CHANNELS)], lo, hi)
            t = data["device_time_ns"] / 1e9
            for curve, (name, _l, _u) in zip(self.detail_curves, CHANNELS, strict=True):
                curve.setData(t, data[name])
        else:
            window_ns = max(1, (hi - lo) // 2000)
            for curve, (name, _l, _u) in zip(self.detail_curves, CHANNELS, strict=True):
                summ = s.summary(name, window_ns, lo, hi)
                t = np.repeat(summ.t_ns / 1e9, 2)
                y = np.empty(len(t))
                y[0::2], y[1::2] = summ.min, summ.max
                curve.setData(t, y)
        self.detail[0].setXRange(a, b, padding=0)
        span = b - a
        self.cursors[0].setValue(a + 0.25 * span)
        self.cursors[1].setValue(a + 0.75 * span)
        self.update_measurement()

    def update_measurement(self) -> Measurement | None:
        if self.session is None:
            return None
        m = measure(self.session, self.cursors[0].value(), self.cursors[1].value())
        self.measure_label.setText(translate(
            "ReviewWindow", "Between cursors: duration {duration} · energy {energy} · mean power {power} · "
            "{samples} samples").format(duration=format_duration(m.duration_s),
                                        energy=energy(self.settings, m.energy_wh),
                                        power=power(self.settings, m.mean_power_w), samples=integer(m.samples)))
        return m

    def refresh(self) -> None:
        """Pick up rows a live writer flushed since the last look (SWMR) and extend the overview."""
        if self.session is None or self.path is None:
            return
        path = self.path
        try:
            # A fresh look each time: a handle opened while the file was written keeps its first view of the
            # attributes, so it would never see the writer mark the file complete.
            self.session.close()
            self.session = Session(path)
            n = self.session.rows()
            if n:
                self.t_last = int(self.session.samples("device_time_ns", n - 1, n)[0]) / 1e9
            self._overview()
            self.region.setBounds((self.t_first, self.t_last))
            self._notes()
            self._note_policy()
            if self.session.complete and not self.session.swmr:  # the writer closed it: nothing more will come
                self.follow_box.setChecked(False)
                self.follow_box.setVisible(False)
                self.banner.setVisible(False)
        except Exception as exc:
            self.follow_box.setChecked(False)
            self._show_banner(translate("ReviewWindow", "Stopped following {name}: {problem}").format(
                name=path.name, problem=readable_error(exc)), error=True)

    # ---- notes added in the review --------------------------------------------------------------------
    def _note_policy(self) -> None:
        """Notes are added to closed files only: a file still being written takes its notes from the
        logger window, which stores them in the file itself (docs/decisions/0019)."""
        s = self.session
        closed = s is not None and s.complete and not s.swmr
        self.note_button.setEnabled(closed)
        self.note_button.setToolTip(
            translate("ReviewWindow", "A note at the orange cursor (Ctrl+N)") if closed else
            translate("ReviewWindow", "This file is still being recorded: write notes in the logger window's note "
                                      "field, which stores them in the file; here once it is closed."))

    def open_note_dialog(self) -> QtWidgets.QDialog | None:
        """The note dialog for the time of the orange cursor (None when no closed file is open)."""
        from carbon_smart_meter.ui.note_dialog import NoteDialog

        if self.session is None or self.path is None or not self.note_button.isEnabled():
            return None
        t_s = self.cursors[0].value()
        dlg = NoteDialog(format_time(t_s, self.utc), self.path.name, self)
        dlg.accepted.connect(lambda: self.add_note(dlg.text(), t_s))
        dlg.show()
        self.note_dialog = dlg
        return dlg

    def add_note(self, text: str, t_s: float) -> bool:
        """Store a note about time `t_s` beside the file (review notes sidecar) and show it at once."""
        if self.path is None:
            return False
        try:
            add_review_note(self.path, text, round(t_s * 1e9))
        except (CsmError, OSError) as exc:
            self._show_banner(translate("ReviewWindow", "Note not saved: {problem}").format(
                problem=readable_error(exc)), error=True)
            return False
        self._notes()
        return True

    def open_export(self) -> None:
        from carbon_smart_meter.ui.export_dialog import ExportDialog

        a, b = sorted(c.value() for c in self.cursors)
        start = iso_utc(a) if self.session else None  # readable times, which `storage.export` parses
        stop = iso_utc(b) if self.session else None
        dlg = ExportDialog(self, session_path=self.path, start=start, stop=stop)
        dlg.show()
        self._export_dialog = dlg

    def closeEvent(self, ev) -> None:  # Qt override
        self.close_session()
        super().closeEvent(ev)
