"""The logger window: devices, live plots, notes, energy, log; recording and review from the menus.

It is a view of a live session (`app.session.LiveSession`): the session owns acquisition, calibration,
recording, the ledger and the claims; the window asks it to connect, record or annotate, and pulls what
it shows on two timers: a frame timer for the plots (the session's live buffers) and a slower one for
events, counters, calibration, energy and rewards (`snapshot()`, `live_report()`). Nothing in the
pipeline waits on the window. Everything the core reports is shown as a log line, never as a traceback.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.acquisition.records import LinkEvent, LinkEventKind
from carbon_smart_meter.app.energy_today import TodayEnergy
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.app.status import DeviceStatus, LinkState, SessionSnapshot
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.devices.discovery import find_devices
from carbon_smart_meter.devices.simulator import SimulatedAdapter
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.settings import Settings, save_settings
from carbon_smart_meter.storage.recorder import SessionRecorder
from carbon_smart_meter.ui import i18n
from carbon_smart_meter.ui.claims_panel import ClaimsPanel
from carbon_smart_meter.ui.device_panel import LOSS_COLOURS, DevicePanel, calibration_status
from carbon_smart_meter.ui.energy_panel import EnergyPanel, Figures, Headline, figures
from carbon_smart_meter.ui.fit import fit_to_screen, show_table_rows
from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.live_plots import SPANS, LivePlots
from carbon_smart_meter.ui.log_view import LogView, readable_error
from carbon_smart_meter.ui.numbers import integer
from carbon_smart_meter.ui.style import apply_theme, device_colour, format_time

# The reader, recorder, ring and energy threads share the interpreter with the UI. When the UI thread
# gives up the GIL (every Qt call that may block does), getting it back waits up to one switch interval
# while those threads run Python code; at CPython's default 5 ms that wait doubled a frame's wall time
# with three 10 kHz devices. 0.5 ms lets the UI thread in ten times sooner for a few % more switching.
UI_SWITCH_INTERVAL_S = 0.0005
# A frame every 16 ms at most (~60 fps, the usual display refresh): a sample waits on average half an
# interval for its frame, and a frame with nothing new to show costs almost nothing (LivePlots.refresh
# skips it). Measured with 3 x 10 kHz: 20 ms gave p99 latency 73-97 ms, 16 ms 75-85 ms.
FRAME_INTERVAL_MS = 16

PREFERRED_SIZE = QtCore.QSize(1280, 860)  # shrunk to the screen (fit.py): it must work down to 1024x600
PORT_SCAN_INTERVAL_MS = 2000  # a plugged-in adapter shows up in the port box within two seconds
TODAY_FILE = "energy-today.json"  # next to the sessions: today's energy survives a restart

FALLBACK_KEYS = {QtGui.QKeySequence.StandardKey.Open: "Ctrl+O", QtGui.QKeySequence.StandardKey.Quit: "Ctrl+Q"}

STATES = {
    LinkEventKind.CONNECTED: "connected", LinkEventKind.DISCONNECTED: "disconnected",
    LinkEventKind.RECONNECTING: "reconnecting", LinkEventKind.PORT_MISSING: "port missing",
}


class MainWindow(QtWidgets.QMainWindow):
    recordingStopped = QtCore.Signal(list)  # paths of the session files
    deviceStateChanged = QtCore.Signal(str, str)

    def __init__(self, settings: Settings | None = None, settings_path: Path | None = None,
                 calibrations: CalibrationStore | None = None, buffer_window_s: float = 3600.0,
                 frame_interval_ms: int = FRAME_INTERVAL_MS, session: LiveSession | None = None) -> None:
        """Attach to `session`; without one the window starts its own (with the settings' profile) and
        stops it when it closes."""
        super().__init__()
        sys.setswitchinterval(min(sys.getswitchinterval(), UI_SWITCH_INTERVAL_S))
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self._own_session = session is None
        # Whether closing this window ends the recordings (it does when it owns the session, and in `csm gui`,
        # which stops its session when the window closes): then closing asks first.
        self.closing_stops_recording = self._own_session
        self.ask_before_stopping = True  # False for scripted runs (`--quit-after`, screenshots)
        self.question: QtWidgets.QMessageBox | None = None  # the confirmation being asked, if any
        self.session = session or LiveSession(self.settings, calibrations=calibrations, summaries=True).start()
        self.profile = self.session.profile
        self.hub = self.session.hub
        self.buffers = self.session.live_buffers(window_s=buffer_window_s)
        self.events = self.session.subscribe_events("ui-events")
        self.simulators: dict[str, SimulatedAdapter] = {}
        self.states: dict[str, str] = {}
        self.review_windows: list[QtWidgets.QWidget] = []
        self._shown_recordings: set[Path] = set()
        self._next_seed = 0
        # Simulators get a stable symlink, so a simulated cable pull reconnects like a real adapter.
        self._link_dir = Path(tempfile.mkdtemp(prefix="csm-sim-"))
        self._closed = False
        self._today_problem = ""
        self._notes: list[tuple[int, str, bool]] = []  # (time ns, text, saved in a file)
        utc = self.settings.time_zone == "UTC"

        self.devices = DevicePanel()
        self.plots = LivePlots(self.buffers, utc=utc, span_s=self.settings.plot_window_s,
                               power_unit=self.settings.power_unit)
        self.log = LogView(utc=utc)
        self.energy_panel = EnergyPanel()
        self.headline = Headline()
        self.today = TodayEnergy(Path(self.session.data_dir) / TODAY_FILE)
        self.notes = QtWidgets.QListWidget()
        self._build_layout()
        self._build_menus()
        self._connect()
        self.retranslate()

        self.frame_timer = QtCore.QTimer(self)
        self.frame_timer.setInterval(frame_interval_ms)
        self.frame_timer.timeout.connect(self._frame)
        self.frame_timer.start()
        self.slow_timer = QtCore.QTimer(self)
        self.slow_timer.setInterval(250)
        self.slow_timer.timeout.connect(self._slow)
        self.slow_timer.start()
        self.port_timer = QtCore.QTimer(self)
        self.port_timer.setInterval(PORT_SCAN_INTERVAL_MS)
        self.port_timer.timeout.connect(self.scan_ports)
        self.port_timer.start()
        QtCore.QTimer.singleShot(0, self.scan_ports)
        self._apply_view_policy()
        fit_to_screen(self, PREFERRED_SIZE)

    @property
    def recorder(self) -> SessionRecorder | None:
        return self.session.recorder

    @property
    def recording(self) -> frozenset[str]:
        return self.session.recording

    def _apply_view_policy(self) -> None:
        """What the profile lets this window show: device controls (not in the kiosk profile) and the
        claims state (kiosk and ship)."""
        view = self.profile.view
        for w in (self.devices.connect_button, self.devices.simulator_button, self.devices.disconnect_button,
                  self.devices.record_button, self.devices.port_box):
            w.setVisible(view.device_controls)
        self.status_sync.setVisible(view.sync_status)

    # ---- layout -----------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        toolbar = QtWidgets.QHBoxLayout()
        self.span_box = QtWidgets.QComboBox()
        for label, seconds in SPANS:
            self.span_box.addItem(label, seconds)
        spans = [s for _l, s in SPANS]
        nearest = int(np.argmin([abs(s - self.settings.plot_window_s) for s in spans]))
        self.span_box.setCurrentIndex(nearest)
        self.follow_button = QtWidgets.QPushButton()
        self.zero_box = QtWidgets.QCheckBox()
        self.note_edit = QtWidgets.QLineEdit()
        self.note_button = QtWidgets.QPushButton()
        self.details_button = QtWidgets.QPushButton()
        self.span_label = QtWidgets.QLabel()
        toolbar.addWidget(self.span_label)
        toolbar.addWidget(self.span_box)
        toolbar.addWidget(self.follow_button)
        toolbar.addWidget(self.zero_box)
        toolbar.addSpacing(16)
        toolbar.addWidget(self.details_button)
        toolbar.addWidget(self.note_edit, 1)
        toolbar.addWidget(self.note_button)
        middle = QtWidgets.QWidget()
        mid_layout = QtWidgets.QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.addWidget(self.headline)
        mid_layout.addLayout(toolbar)
        mid_layout.addWidget(self.plots, 1)

        self.tabs = QtWidgets.QTabWidget()
        self.claims_panel = ClaimsPanel(self.session, utc=self.settings.time_zone == "UTC")
        for tab in (self.energy_panel, self.log, self.notes, self.claims_panel):
            self.tabs.addTab(tab, "")
        self.split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        self.split.addWidget(self.devices)
        self.split.addWidget(middle)
        self.split.addWidget(self.tabs)
        self.split.setSizes([150, 520, 170])
        self.setCentralWidget(self.split)
        self._fitted_rows = (0, 0)

        self.status_devices = QtWidgets.QLabel("")
        self.status_frames = QtWidgets.QLabel("")
        self.status_record = QtWidgets.QLabel("")
        self.status_sync = QtWidgets.QLabel("")
        sb = self.statusBar()
        sb.addWidget(self.status_devices, 1)
        sb.addPermanentWidget(self.status_frames)
        sb.addPermanentWidget(self.status_sync)
        sb.addPermanentWidget(self.status_record)

    def _build_menus(self) -> None:
        """The menus; their texts are set by `retranslate`."""
        self.file_menu = self.menuBar().addMenu("")
        self.file_actions: list[QtGui.QAction] = []
        for slot, key in ((self.open_review_dialog, QtGui.QKeySequence.StandardKey.Open),
                          (self.open_export_dialog, None), (self.open_settings_dialog, None),
                          (self.close, QtGui.QKeySequence.StandardKey.Quit)):
            action = self.file_menu.addAction("")
            action.triggered.connect(slot)
            if key is not None:
                # Platforms without a binding for a standard key (some have none for Quit) get the usual one.
                action.setShortcuts(QtGui.QKeySequence.keyBindings(key) or [QtGui.QKeySequence(FALLBACK_KEYS[key])])
            self.file_actions.append(action)
        self.devices_menu = self.menuBar().addMenu("")
        simulator = self.devices_menu.addAction("")
        simulator.triggered.connect(lambda: self.add_simulator())
        record = self.devices_menu.addAction("")
        record.setShortcut(QtGui.QKeySequence("Ctrl+R"))
        record.triggered.connect(self.devices.record_button.click)  # the same path as the button
        details = self.devices_menu.addAction("")
        details.triggered.connect(self.open_session_details)
        note = self.devices_menu.addAction("")
        note.setShortcut(QtGui.QKeySequence("Ctrl+N"))
        note.triggered.connect(lambda: self.note_edit.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason))
        self.devices_actions = [simulator, record, details, note]

    def retranslate(self) -> None:
        """Every text the window sets itself, in the current language (at start and whenever the language
        is switched: Qt's LanguageChange reaches `changeEvent`). The panels retranslate themselves on the
        same event; figures, states and counters are redrawn by the next update, which runs at once."""
        self.setWindowTitle(translate("MainWindow", "Carbon Smart Meter — {profile}").format(
            profile=self.profile.name))
        self.follow_button.setText(translate("MainWindow", "Pause") if self.plots.following
                                   else translate("MainWindow", "Follow"))
        self.follow_button.setToolTip(translate("MainWindow", "Pause to scroll and zoom with the mouse; "
                                                "Follow returns to live data"))
        self.zero_box.setText(translate("MainWindow", "From zero"))
        self.zero_box.setToolTip(translate("MainWindow", "Show the value axes from zero instead of fitted to the "
                                           "data (which makes noise look like swings)"))
        self.note_edit.setPlaceholderText(translate("MainWindow", "Note, e.g. 'panel re-angled' — Enter adds it "
                                                    "at the current time"))
        self.note_button.setText(translate("MainWindow", "Add note"))
        self.details_button.setText(translate("MainWindow", "Session details…"))
        self.details_button.setToolTip(translate("MainWindow", "Site, operator and panel, stored in every file "
                                                 "recorded from now on"))
        self.span_label.setText(translate("MainWindow", "Window"))
        for k, title in enumerate((translate("MainWindow", "Energy / CO₂ / reward"), translate("MainWindow", "Log"),
                                   translate("MainWindow", "Notes"), translate("MainWindow", "Claims"))):
            self.tabs.setTabText(k, title)
        self.file_menu.setTitle(translate("MainWindow", "&File"))
        for action, text in zip(self.file_actions, (
                translate("MainWindow", "&Open session for review…"), translate("MainWindow", "&Export session…"),
                translate("MainWindow", "&Settings…"), translate("MainWindow", "&Quit")), strict=True):
            action.setText(text)
        self.devices_menu.setTitle(translate("MainWindow", "&Devices"))
        for action, text in zip(self.devices_actions, (
                translate("MainWindow", "Add &simulator"), translate("MainWindow", "&Record all / stop"),
                translate("MainWindow", "Session &details…"), translate("MainWindow", "Write a &note")), strict=True):
            action.setText(text)
        if not self.states:
            self.status_devices.setText(translate("MainWindow", "no devices"))
        self._show_notes()
        self._show_recording()
        self._shown_recordings.clear()  # finished recordings' rows are worded again by the next update

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange and hasattr(self, "slow_timer"):
            self.retranslate()
            if not self._closed:
                self._slow()  # figures in the new language and number format now, not in a quarter second
        super().changeEvent(ev)

    def _connect(self) -> None:
        self.devices.simulatorRequested.connect(lambda: self.add_simulator())
        self.devices.portRequested.connect(self.connect_port)
        self.devices.disconnectRequested.connect(self.disconnect_device)
        self.devices.recordToggled.connect(self._record_toggled)
        self.devices.deviceRecordToggled.connect(
            lambda source, on: self.start_recording([source]) if on else self.stop_recording([source]))
        self.span_box.currentIndexChanged.connect(lambda _i: self.plots.set_span(self.span_box.currentData()))
        self.follow_button.clicked.connect(lambda: self.plots.set_following(not self.plots.following))
        self.plots.followChanged.connect(lambda on: self.follow_button.setText(
            translate("MainWindow", "Pause") if on else translate("MainWindow", "Follow")))
        self.note_button.clicked.connect(self._note_from_field)
        self.details_button.clicked.connect(self.open_session_details)
        self.zero_box.toggled.connect(self.plots.set_from_zero)
        self.note_edit.returnPressed.connect(self._note_from_field)

    def _fit_tables(self) -> None:
        """When devices come or go, show every row of both tables (up to four) whole, at the plots' expense."""
        counts = (self.devices.table.rowCount(), self.energy_panel.table.rowCount())
        if counts == self._fitted_rows:
            return
        self._fitted_rows = counts
        show_table_rows(self.split, 0, self.devices.table, donor=1)
        show_table_rows(self.split, 2, self.energy_panel.table, donor=1)

    # ---- devices ----------------------------------------------------------------------------------
    def _register(self, source: str) -> None:
        colour = device_colour(len(self.states))
        self.states[source] = "connecting"
        self.devices.add_device(source, colour)
        self.plots.add_device(source, colour)
        if source in self.recording:  # the profile records every device from its connection
            self._show_recording()

    def add_simulator(self, rate: int = 1000, speed: float = 1.0, faults: str | None = None,
                      panel_watts: int = 50, start_unix: float | None = None, longitude: float = 0.0) -> str | None:
        seed = self._next_seed
        self._next_seed += 1
        sim = SimulatedAdapter(rate=rate, speed=speed, seed=seed, panel_watts=panel_watts, faults=faults,
                               link=self._link_dir / f"sim{seed}", start_unix=start_unix, longitude=longitude).open()
        try:
            source = self.session.connect(sim.port, name=f"sim{seed}")
        except Exception as exc:
            sim.close()
            self.report(2, "", "connect", translate("MainWindow", "could not start the simulator: {problem}")
                        .format(problem=readable_error(exc)))
            return None
        self.simulators[source] = sim
        self._register(source)
        sim.start()
        return source

    def scan_ports(self) -> None:
        """List adapters (our USB VID/PID) and running `csm simulate` devices in the port box; say so in
        the log when a new one appears. Ports already connected are left out."""
        try:
            found = find_devices()
        except OSError as exc:  # e.g. a runtime directory that cannot be read: the box keeps its entries
            self.report(1, "", "ports", translate("MainWindow", "cannot list serial ports: {problem}")
                        .format(problem=readable_error(exc)))
            return
        connected = set(self.session.ports.values())
        offered = [(d.port, d.description) for d in found if d.port not in connected]
        shown = {p for p, _d in self.devices.ports()}
        for port, description in offered:
            if port not in shown:
                self.report(0, "", "ports", translate("MainWindow", "found {description} on {port}: choose it "
                                                      "and press Connect port").format(description=description,
                                                                                       port=port))
        self.devices.set_ports(offered)

    def connect_port(self, port: str) -> str | None:
        if not port:
            self.report(1, "", "connect", translate("MainWindow", "type a serial port (e.g. /dev/ttyACM0) or choose "
                                                    "one first"))
            return None
        try:
            source = self.session.connect(port)
        except Exception as exc:
            self.report(2, port, "connect", translate("MainWindow", "could not open {port}: {problem}")
                        .format(port=port, problem=readable_error(exc)))
            return None
        self._register(source)
        return source

    def disconnect_device(self, source: str) -> None:
        if source in self.recording:  # its file is closed complete, not left open until the others stop
            self.stop_recording([source])
        self.session.disconnect(source)
        sim = self.simulators.pop(source, None)
        if sim is not None:
            sim.close()
        self.states.pop(source, None)
        self.devices.remove_device(source)
        self.plots.remove_device(source)
        self.energy_panel.forget_device(source)
        self.report(0, source, "disconnected", translate("MainWindow", "{source} disconnected by the user")
                    .format(source=source))

    # ---- recording and notes -------------------------------------------------------------------------
    def start_recording(self, sources: list[str] | None = None) -> bool:
        """Record `sources` (default: every connected device), each into its own session file; devices
        already recording carry on. False (and a log line) when there is nothing to record."""
        targets = [s for s in (self.session.sources if sources is None else sources) if s in self.states]
        if not targets:
            self.report(1, "", "recording", translate("MainWindow", "no device to record: connect an adapter or "
                                                      "add a simulator first"))
            self._show_recording()
            return False
        was_recording = bool(self.recording)
        try:
            self.session.start_recording(targets)
        except Exception as exc:
            self.report(2, "", "storage", translate("MainWindow", "cannot record into {folder}: {problem}")
                        .format(folder=self.session.data_dir, problem=readable_error(exc)))
            self._show_recording()
            return False
        if not was_recording:
            self.report(0, "", "recording", translate("MainWindow", "recording started into {folder}")
                        .format(folder=self.session.data_dir))
        self._show_recording()
        return True

    def stop_recording(self, sources: list[str] | None = None) -> list[Path]:
        """Stop recording `sources` (default: all) and return the paths of their session files; while
        others carry on, "saved" is said once the session reports these files closed."""
        if not self.recording:
            return []
        others_carry_on = sources is not None and bool(self.recording - set(sources))
        paths = self.session.stop_recording(sources)
        if not others_carry_on:
            self._announce_stopped(paths)
        self._show_recording()
        return paths

    def _record_toggled(self, on: bool) -> None:
        """The Record button or Ctrl+R: record every device, or stop them all once the user agrees."""
        if on:
            self.start_recording()
        elif self.confirm_stop(translate("MainWindow", "Stop recording {n} device(s)?").format(n=len(self.recording)),
                               translate("MainWindow", "Stop recording")):
            self.stop_recording()
        else:
            self._show_recording()  # the button goes back to "Stop recording"

    def confirm_stop(self, question: str, action: str) -> bool:
        """Ask before ending recordings (a stray Ctrl+R or Ctrl+Q must not end a day's logging). True when
        nothing is being recorded, asking is off, or the user chose `action`."""
        if not self.recording or not self.ask_before_stopping:
            return True
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, translate("MainWindow", "Recording"),
                                    question, QtWidgets.QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(translate("MainWindow", "Each file is closed complete and stays readable; you can "
                                         "record again at any time, into new files."))
        stop = box.addButton(action, QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(translate("MainWindow", "Keep recording"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.question = box
        try:
            box.exec()
            return box.clickedButton() is stop
        finally:
            self.question = None
            box.deleteLater()

    def _announce_stopped(self, paths: list[Path]) -> None:
        names = ", ".join(p.name for p in paths) or translate("MainWindow", "no file (no device sent data)")
        self._show_recording(translate("MainWindow", "saved {files}").format(files=names))
        self.report(0, "", "recording", translate("MainWindow", "recording stopped: {files}").format(files=names))
        self.recordingStopped.emit(paths)

    def _show_recording(self, message: str = "") -> None:
        on = bool(self.recording)
        for source in self.states:
            self.devices.set_device_recording(source, source in self.recording)
        if on:
            text = translate("MainWindow", "recording {n} of {total} device(s) into {folder}").format(
                n=len(self.recording), total=len(self.states), folder=self.session.data_dir)
        else:
            text = message or translate("MainWindow", "not recording")
        self.devices.set_recording(on, text)
        self.status_record.setText(translate("MainWindow", "● recording {n}").format(n=len(self.recording)) if on
                                   else translate("MainWindow", "not recording"))

    def _note_from_field(self) -> None:
        text = self.note_edit.text().strip()
        if text:
            self.add_annotation(text)
            self.note_edit.clear()

    def add_annotation(self, text: str, t_utc_ns: int | None = None) -> None:
        t_ns = time.time_ns() if t_utc_ns is None else t_utc_ns
        saved = self.session.annotate(text, t_ns)
        self.plots.add_annotation(t_ns / 1e9, text)
        self._notes.append((t_ns, text, saved))
        self.notes.addItem(self._note_line(t_ns, text, saved))

    def _note_line(self, t_ns: int, text: str, saved: bool) -> str:
        when = format_time(t_ns / 1e9, self.settings.time_zone == "UTC")
        unsaved = "" if saved else "   " + translate("MainWindow", "(not recording: shown only, not saved)")
        return f"{when}  {text}{unsaved}"

    def _show_notes(self) -> None:
        """The Notes tab again, in the current language and time zone."""
        for row, note in enumerate(self._notes):
            item = self.notes.item(row)
            if item is not None:
                item.setText(self._note_line(*note))

    # ---- timers -----------------------------------------------------------------------------------------
    def _frame(self) -> None:
        self.plots.refresh()

    def _slow(self) -> None:
        for env in self.events.drain(500):
            rec = env.record
            if isinstance(rec, LinkEvent) and rec.kind in STATES and env.source in self.states:
                self.states[env.source] = STATES[rec.kind]
                self.deviceStateChanged.emit(env.source, STATES[rec.kind])
            self.log.add_envelope(env)
        for paths in self.session.take_closed_recordings():
            self._announce_stopped(paths)
        self._claims_ticks = getattr(self, "_claims_ticks", 0) + 1
        if self.tabs.currentWidget() is self.claims_panel and self._claims_ticks % 8 == 0:  # every 2 s when shown
            self.claims_panel.refresh()
        snap = self.session.snapshot()
        for source in list(self.states):
            dev = snap.devices.get(source)
            if dev is None:
                continue
            state = self.states[source]
            if state == "connecting" and dev.link == LinkState.CONNECTED:
                state = self.states[source] = "connected"
                self.deviceStateChanged.emit(source, state)
            self.devices.update_device(source, dev.stats, dev.hello, state, calibration_status(dev.calibration))
            try:
                fig = figures(self.settings, self.session.live_report(source))
            except CsmError as exc:  # e.g. the combined-margin method without its margins: say so in the row
                fig = figures(self.settings, None, problem=str(exc))
            self._show_energy(source, dev, fig)
        for summary in self.session.recording_summaries():
            if summary.report is not None and summary.path not in self._shown_recordings:
                self._shown_recordings.add(summary.path)
                self.energy_panel.show_figures(summary.path.name, figures(self.settings, summary.report),
                                               label=f"{summary.source} · {summary.path.name}")
        self.headline.show_values(self.settings if self.states else None, *self.energy_panel.show_total(self.settings))
        self._fit_tables()
        if self.today.problem and self.today.problem != self._today_problem:
            self.report(1, "", "storage", self.today.problem)
        self._today_problem = self.today.problem
        self._show_sync(snap)
        lat = np.asarray(self.plots.latencies_ms)[-300:]
        lat_text = translate("MainWindow", ", latency p99 {ms} ms").format(ms=f"{np.percentile(lat, 99):.0f}") \
            if len(lat) else ""
        self.status_frames.setText(f"{self.plots.fps():.0f} fps{lat_text}")
        connected = sum(1 for s in self.states.values() if s == "connected")
        problems = self.log.counts.get(2, 0)
        text = translate("MainWindow", "{n} device(s), {connected} connected").format(n=len(self.states),
                                                                                     connected=connected)
        lost = sum(dev.stats.samples_lost for s, dev in snap.devices.items() if s in self.states)
        if lost:
            text += translate("MainWindow", " — {n} samples lost, see Lost and Log").format(n=integer(lost))
        if problems:
            text += translate("MainWindow", " — {n} error(s), see Log").format(n=problems)
        self.status_devices.setText(text)
        self.status_devices.setStyleSheet(f"color: {LOSS_COLOURS[2]}" if lost or problems else "")

    def _show_energy(self, source: str, dev: DeviceStatus, fig: Figures) -> None:
        """Power now, today (kept across restarts, by device id) and this session for one device."""
        e = dev.energy
        live_wh = max(e.energy_wh, 0.0) if e is not None else 0.0
        # Kept by device id, so the same adapter carries on after a restart (nothing to count before its HELLO).
        # Every device in this window was connected by it this run, so its whole live energy is today's.
        today_wh = self.today.update(e.device, live_wh, from_zero=True) if e is not None and e.device else 0.0
        power_w = e.last_power_w if e is not None and dev.link == LinkState.CONNECTED else None
        self.energy_panel.show_device(self.settings, source, fig, power_w, today_wh, live_wh)

    def _show_sync(self, snap: SessionSnapshot) -> None:
        if not self.profile.view.sync_status:
            return
        counts = snap.outbox or {}
        waiting = counts.get("pending", 0) + counts.get("deferred", 0) + counts.get("submitted", 0)
        if snap.sync is None:
            text = translate("MainWindow", "claims: {n} waiting, sync off").format(n=waiting)
            tip = snap.sync_note
        elif snap.sync.last_error:
            text = translate("MainWindow", "claims: {n} waiting, offline").format(n=waiting)
            tip = snap.sync.last_error
        else:
            text = translate("MainWindow", "claims: {n} waiting, {paid} paid").format(
                n=waiting, paid=counts.get("paid", 0))
            tip = str(snap.outbox_path or "")
        self.status_sync.setText(text)
        self.status_sync.setToolTip(tip)

    def report(self, severity: int, source: str, kind: str, message: str) -> None:
        self.log.add(severity, source, kind, message)
        self.statusBar().showMessage(message, 8000)

    # ---- dialogs ----------------------------------------------------------------------------------------
    def open_review_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Open session"), self.settings.data_dir,
            translate("MainWindow", "Session files (*.h5 *.hdf5);;All files (*)"))
        if path:
            self.open_review(Path(path))

    def open_review(self, path: Path) -> QtWidgets.QWidget:
        from carbon_smart_meter.ui.review import ReviewWindow

        win = ReviewWindow(self.settings)
        win.open_file(path)
        win.show()
        win.raise_()  # in front of the logger window, also when opened at start (`csm gui --review FILE`)
        win.activateWindow()
        self.review_windows.append(win)
        return win

    def open_export_dialog(self, path: Path | None = None) -> QtWidgets.QDialog:
        from carbon_smart_meter.ui.export_dialog import ExportDialog

        dlg = ExportDialog(self, session_path=path, start_dir=self.settings.data_dir)
        dlg.show()
        return dlg

    def open_settings_dialog(self) -> QtWidgets.QDialog:
        from carbon_smart_meter.ui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.settings, self)
        dlg.accepted.connect(lambda: self.apply_settings(dlg.result_settings()))
        dlg.show()
        return dlg

    def open_session_details(self) -> QtWidgets.QDialog:
        """Site, operator and panel for the files recorded from now on; saved with the settings."""
        from carbon_smart_meter.ui.session_details import SessionDetailsDialog

        dlg = SessionDetailsDialog(self.settings, self)
        dlg.accepted.connect(lambda: self.apply_settings(dlg.result_settings()))
        dlg.show()
        return dlg

    def apply_settings(self, settings: Settings) -> None:
        """Everything but the data directory and the profile applies at once, in this window and its review
        windows; recordings carry on untouched (they belong to the session, not to the view)."""
        old, self.settings = self.settings, settings
        self.session.update_settings(settings)  # region, CO₂ method and location at once; folder and profile later
        self.plots.set_power_unit(settings.power_unit)  # the energy panel reads the settings every update
        if settings.time_zone != old.time_zone:
            utc = settings.time_zone == "UTC"
            self.plots.set_utc(utc)
            self.log.set_utc(utc)
            self.claims_panel.utc = utc
            self._show_notes()
        for win in self.review_windows:
            apply = getattr(win, "apply_settings", None)  # review windows (imported when one is opened)
            if apply is not None:
                apply(settings)
        app = QtWidgets.QApplication.instance()
        if isinstance(app, QtWidgets.QApplication):
            if settings.theme != old.theme:
                apply_theme(app, settings.theme)  # every widget gets a PaletteChange; the plots restyle on it
            if settings.language != old.language:
                i18n.use_language(app, settings.language)  # LanguageChange: every widget retranslates
        try:
            path = save_settings(settings, self.settings_path)
            self.report(0, "", "settings", translate("MainWindow", "settings saved to {path}").format(path=path))
        except Exception as exc:
            self.report(2, "", "settings", translate("MainWindow", "settings not saved: {problem}")
                        .format(problem=readable_error(exc)))

    # ---- shutdown -------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.frame_timer.stop()
        self.slow_timer.stop()
        self.port_timer.stop()
        self.hub.unsubscribe(self.events)
        self.today.save()
        # A view closing never stops a session it did not start (a kiosk view restarted by its watchdog must
        # leave the recording running); only the simulators this window started go with it.
        if self._own_session:
            self.session.stop()
        else:
            for source in list(self.simulators):
                self.session.disconnect(source)
        for sim in self.simulators.values():
            sim.close()
        self.simulators.clear()
        shutil.rmtree(self._link_dir, ignore_errors=True)
        for win in self.review_windows:
            win.close()

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:  # Qt override
        if not self._closed and self.closing_stops_recording and not self.confirm_stop(
                translate("MainWindow", "Quit and stop recording {n} device(s)?").format(n=len(self.recording)),
                translate("MainWindow", "Stop recording and quit")):
            ev.ignore()
            return
        self.shutdown()
        super().closeEvent(ev)
