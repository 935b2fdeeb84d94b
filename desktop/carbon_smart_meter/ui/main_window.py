"""The logger window: devices, live plots, notes, energy, log; recording and review from the menus.

It owns the core objects of a live session (acquisition, live buffers, energy feed, recorder) and only
ever pulls from them on two timers: a frame timer for the plots and a slower one for counters, events
and energy. Everything the core reports is shown as a log line, never as a traceback.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.acquisition.live_buffers import LiveBuffers
from carbon_smart_meter.acquisition.records import LinkEvent, LinkEventKind
from carbon_smart_meter.acquisition.session import Acquisition
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.devices.discovery import find_devices
from carbon_smart_meter.devices.simulator import SimulatedAdapter
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.settings import Settings, save_settings
from carbon_smart_meter.storage.recorder import SessionRecorder
from carbon_smart_meter.ui.device_panel import CalibrationStatus, DevicePanel, calibration_status
from carbon_smart_meter.ui.energy_panel import EnergyFeed, EnergyPanel, figures
from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.live_plots import SPANS, LivePlots
from carbon_smart_meter.ui.log_view import LogView, readable_error
from carbon_smart_meter.ui.style import device_colour, format_time

# The reader, recorder, ring and energy threads share the interpreter with the UI. When the UI thread
# gives up the GIL (every Qt call that may block does), getting it back waits up to one switch interval
# while those threads run Python code; at CPython's default 5 ms that wait doubled a frame's wall time
# with three 10 kHz devices. 0.5 ms lets the UI thread in ten times sooner for a few % more switching.
UI_SWITCH_INTERVAL_S = 0.0005
# A frame every 16 ms at most (~60 fps, the usual display refresh): a sample waits on average half an
# interval for its frame, and a frame with nothing new to show costs almost nothing (LivePlots.refresh
# skips it). Measured with 3 x 10 kHz: 20 ms gave p99 latency 73-97 ms, 16 ms 75-85 ms.
FRAME_INTERVAL_MS = 16

PORT_SCAN_INTERVAL_MS = 2000  # a plugged-in adapter shows up in the port box within two seconds

STATES = {
    LinkEventKind.CONNECTED: "connected", LinkEventKind.DISCONNECTED: "disconnected",
    LinkEventKind.RECONNECTING: "reconnecting", LinkEventKind.PORT_MISSING: "port missing",
}


class MainWindow(QtWidgets.QMainWindow):
    recordingStopped = QtCore.Signal(list)  # paths of the session files
    deviceStateChanged = QtCore.Signal(str, str)

    def __init__(self, settings: Settings | None = None, settings_path: Path | None = None,
                 calibrations: CalibrationStore | None = None, buffer_window_s: float = 3600.0,
                 frame_interval_ms: int = FRAME_INTERVAL_MS) -> None:
        super().__init__()
        sys.setswitchinterval(min(sys.getswitchinterval(), UI_SWITCH_INTERVAL_S))
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self.calibrations = calibrations or CalibrationStore()
        self.setWindowTitle(translate("MainWindow", "Carbon Smart Meter — logger"))
        self.acq = Acquisition()
        self.hub = self.acq.hub
        self.buffers = LiveBuffers(self.hub, window_s=buffer_window_s).start()
        self.events = self.hub.subscribe((LinkEvent, m.Event), maxsize=5000, name="ui-events")
        self.energy = EnergyFeed(self.hub)
        self.recorder: SessionRecorder | None = None
        self.recording: set[str] = set()  # sources being recorded (the recorder's include set)
        self._saved_early: set[Path] = set()  # files closed while the recorder carried on with others
        self.simulators: dict[str, SimulatedAdapter] = {}
        self.states: dict[str, str] = {}
        self.calibration_cache: dict[tuple[str, bytes | None], CalibrationStatus] = {}
        self.review_windows: list[QtWidgets.QWidget] = []
        self._next_seed = 0
        # Simulators get a stable symlink, so a simulated cable pull reconnects like a real adapter.
        self._link_dir = Path(tempfile.mkdtemp(prefix="csm-sim-"))
        self._closed = False
        utc = self.settings.time_zone == "UTC"

        self.devices = DevicePanel()
        self.plots = LivePlots(self.buffers, utc=utc, span_s=self.settings.plot_window_s,
                               power_unit=self.settings.power_unit)
        self.log = LogView(utc=utc)
        self.energy_panel = EnergyPanel()
        self.notes = QtWidgets.QListWidget()
        self._build_layout()
        self._build_menus()
        self._connect()

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
        self.resize(1280, 860)

    # ---- layout -----------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        toolbar = QtWidgets.QHBoxLayout()
        self.span_box = QtWidgets.QComboBox()
        for label, seconds in SPANS:
            self.span_box.addItem(label, seconds)
        spans = [s for _l, s in SPANS]
        nearest = int(np.argmin([abs(s - self.settings.plot_window_s) for s in spans]))
        self.span_box.setCurrentIndex(nearest)
        self.follow_button = QtWidgets.QPushButton(translate("MainWindow", "Pause"))
        self.follow_button.setToolTip(translate("MainWindow", "Pause to scroll and zoom with the mouse; "
                                                "Follow returns to live data"))
        self.note_edit = QtWidgets.QLineEdit()
        self.note_edit.setPlaceholderText(translate("MainWindow", "Note, e.g. 'panel re-angled' — Enter adds it "
                                                    "at the current time"))
        self.note_button = QtWidgets.QPushButton(translate("MainWindow", "Add note"))
        toolbar.addWidget(QtWidgets.QLabel(translate("MainWindow", "Window")))
        toolbar.addWidget(self.span_box)
        toolbar.addWidget(self.follow_button)
        toolbar.addSpacing(16)
        toolbar.addWidget(self.note_edit, 1)
        toolbar.addWidget(self.note_button)
        middle = QtWidgets.QWidget()
        mid_layout = QtWidgets.QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.addLayout(toolbar)
        mid_layout.addWidget(self.plots, 1)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.energy_panel, translate("MainWindow", "Energy / CO₂ / reward"))
        self.tabs.addTab(self.log, translate("MainWindow", "Log"))
        self.tabs.addTab(self.notes, translate("MainWindow", "Notes"))
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        split.addWidget(self.devices)
        split.addWidget(middle)
        split.addWidget(self.tabs)
        split.setSizes([150, 520, 170])
        self.setCentralWidget(split)

        self.status_devices = QtWidgets.QLabel(translate("MainWindow", "no devices"))
        self.status_frames = QtWidgets.QLabel("")
        self.status_record = QtWidgets.QLabel(translate("MainWindow", "not recording"))
        sb = self.statusBar()
        sb.addWidget(self.status_devices, 1)
        sb.addPermanentWidget(self.status_frames)
        sb.addPermanentWidget(self.status_record)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(translate("MainWindow", "&File"))
        for text, slot, key in (
            (translate("MainWindow", "&Open session for review…"), self.open_review_dialog,
             QtGui.QKeySequence.StandardKey.Open),
            (translate("MainWindow", "&Export session…"), self.open_export_dialog, None),
            (translate("MainWindow", "&Settings…"), self.open_settings_dialog, None),
            (translate("MainWindow", "&Quit"), self.close, QtGui.QKeySequence.StandardKey.Quit),
        ):
            action = file_menu.addAction(text)
            action.triggered.connect(slot)
            if key is not None:
                action.setShortcut(key)
        dev_menu = self.menuBar().addMenu(translate("MainWindow", "&Devices"))
        dev_menu.addAction(translate("MainWindow", "Add &simulator")).triggered.connect(lambda: self.add_simulator())
        record = dev_menu.addAction(translate("MainWindow", "&Record all / stop"))
        record.setShortcut(QtGui.QKeySequence("Ctrl+R"))
        record.triggered.connect(self.devices.record_button.click)  # the same path as the button
        note = dev_menu.addAction(translate("MainWindow", "Write a &note"))
        note.setShortcut(QtGui.QKeySequence("Ctrl+N"))
        note.triggered.connect(lambda: self.note_edit.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason))

    def _connect(self) -> None:
        self.devices.simulatorRequested.connect(lambda: self.add_simulator())
        self.devices.portRequested.connect(self.connect_port)
        self.devices.disconnectRequested.connect(self.disconnect_device)
        self.devices.recordToggled.connect(lambda on: self.start_recording() if on else self.stop_recording())
        self.devices.deviceRecordToggled.connect(
            lambda source, on: self.start_recording([source]) if on else self.stop_recording([source]))
        self.span_box.currentIndexChanged.connect(lambda _i: self.plots.set_span(self.span_box.currentData()))
        self.follow_button.clicked.connect(lambda: self.plots.set_following(not self.plots.following))
        self.plots.followChanged.connect(lambda on: self.follow_button.setText(
            translate("MainWindow", "Pause") if on else translate("MainWindow", "Follow")))
        self.note_button.clicked.connect(self._note_from_field)
        self.note_edit.returnPressed.connect(self._note_from_field)

    # ---- devices ----------------------------------------------------------------------------------
    def _register(self, source: str) -> None:
        colour = device_colour(len(self.states))
        self.states[source] = "connecting"
        self.devices.add_device(source, colour)
        self.plots.add_device(source, colour)

    def add_simulator(self, rate: int = 1000, speed: float = 1.0, faults: str | None = None,
                      panel_watts: int = 50, start_unix: float | None = None) -> str | None:
        seed = self._next_seed
        self._next_seed += 1
        sim = SimulatedAdapter(rate=rate, speed=speed, seed=seed, panel_watts=panel_watts, faults=faults,
                               link=self._link_dir / f"sim{seed}", start_unix=start_unix).open()
        try:
            source = self.acq.add_device(sim.port, name=f"sim{seed}")
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
        connected = {r.port for r in self.acq.readers.values()}
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
            source = self.acq.add_device(port)
        except Exception as exc:
            self.report(2, port, "connect", translate("MainWindow", "could not open {port}: {problem}")
                        .format(port=port, problem=readable_error(exc)))
            return None
        self._register(source)
        return source

    def disconnect_device(self, source: str) -> None:
        if source in self.recording:  # its file is closed complete, not left open until the others stop
            self.stop_recording([source])
        self.acq.remove_device(source)
        sim = self.simulators.pop(source, None)
        if sim is not None:
            sim.close()
        self.states.pop(source, None)
        self.devices.remove_device(source)
        self.plots.remove_device(source)
        self.report(0, source, "disconnected", translate("MainWindow", "{source} disconnected by the user")
                    .format(source=source))

    # ---- recording and notes -------------------------------------------------------------------------
    def start_recording(self, sources: list[str] | None = None) -> bool:
        """Record `sources` (default: every connected device), each into its own session file; devices
        already recording carry on. False (and a log line) when the data directory cannot be used."""
        targets = [s for s in (self.acq.sources if sources is None else sources) if s in self.states]
        out = Path(self.settings.data_dir)
        if not targets:
            self.report(1, "", "recording", translate("MainWindow", "no device to record: connect an adapter or "
                                                      "add a simulator first"))
            self._show_recording()
            return False
        if self.recorder is None:
            try:
                self.recorder = SessionRecorder(self.hub, out, self.calibrations, profile=self.settings.profile,
                                                region=self.settings.region, sources=targets).start()
            except Exception as exc:
                self.report(2, "", "storage", translate("MainWindow", "cannot record into {folder}: {problem}")
                            .format(folder=out, problem=readable_error(exc)))
                self._show_recording()
                return False
            self.report(0, "", "recording", translate("MainWindow", "recording started into {folder}")
                        .format(folder=out))
        for source in targets:
            if source in self.recording:
                continue
            self.recording.add(source)
            self.recorder.include(source)
            self.acq.send(source, m.GetInfo())  # an immediate HELLO opens the file without waiting ~10 s
        self._show_recording()
        return True

    def stop_recording(self, sources: list[str] | None = None) -> list[Path]:
        """Stop recording `sources` (default: all) and return the paths of their session files; the
        recorder itself stops with the last device."""
        rec = self.recorder
        if rec is None:
            return []
        targets = set(self.recording) if sources is None else set(sources) & self.recording
        if not targets:
            return []
        self.recording -= targets
        if self.recording:  # the others carry on: the writer closes just these files, soon
            for source in targets:
                rec.exclude(source)
            paths = [rec.paths_by_source[s] for s in sorted(targets) if s in rec.paths_by_source]
            self._saved_early.update(paths)
            self._announce_when_closed(rec, targets, paths, time.monotonic() + 30)
            return paths
        self.recorder = None
        paths = [p for p in rec.stop() if p not in self._saved_early]  # this call's files only
        self._saved_early.clear()
        for err in rec.errors:
            self.report(2, "", "storage", translate("MainWindow", "recorder: {problem}").format(problem=err))
        self._announce_stopped(paths)
        return paths

    def _announce_when_closed(self, rec: SessionRecorder, sources: set[str], paths: list[Path],
                              deadline: float) -> None:
        """Say 'saved' once the writer thread has closed these files (polled: the UI never waits on it)."""
        if any(s in rec.files for s in sources) and time.monotonic() < deadline:
            QtCore.QTimer.singleShot(50, lambda: self._announce_when_closed(rec, sources, paths, deadline))
            return
        self._announce_stopped(paths)

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
                n=len(self.recording), total=len(self.states), folder=self.settings.data_dir)
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
        saved = self.recorder is not None
        if self.recorder is not None:
            self.recorder.add_annotation(text, t_ns)
        self.plots.add_annotation(t_ns / 1e9, text)
        when = format_time(t_ns / 1e9, self.settings.time_zone == "UTC")
        unsaved = "" if saved else "   " + translate("MainWindow", "(not recording: shown only, not saved)")
        self.notes.addItem(f"{when}  {text}{unsaved}")

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
        wh = self.energy.energy_wh()
        for source in list(self.states):
            reader = self.acq.readers.get(source)
            if reader is None:
                continue
            stats, hello = reader.stats, reader.hello
            state = self.states[source]
            if state == "connecting" and stats.connected:
                state = self.states[source] = "connected"
                self.deviceStateChanged.emit(source, state)
            key = (source, hello.device if hello else None)
            if key not in self.calibration_cache:  # reading TOML files twice a second would be wasteful
                self.calibration_cache[key] = calibration_status(self.calibrations, hello)
                if hello is None:
                    self.calibration_cache.pop(key)
            cal = self.calibration_cache.get(key) or calibration_status(self.calibrations, hello)
            self.devices.update_device(source, stats, hello, state, cal)
            rated = hello.rated_power_w if hello else 0
            self.energy_panel.show_figures(source, figures(self.settings, wh.get(source, 0.0), rated,
                                                           self.energy.started_s))
        lat = np.asarray(self.plots.latencies_ms)[-300:]
        lat_text = translate("MainWindow", ", latency p99 {ms} ms").format(ms=f"{np.percentile(lat, 99):.0f}") \
            if len(lat) else ""
        self.status_frames.setText(f"{self.plots.fps():.0f} fps{lat_text}")
        connected = sum(1 for s in self.states.values() if s == "connected")
        problems = self.log.counts.get(2, 0)
        text = translate("MainWindow", "{n} device(s), {connected} connected").format(n=len(self.states),
                                                                                     connected=connected)
        if problems:
            text += translate("MainWindow", " — {n} error(s), see Log").format(n=problems)
        self.status_devices.setText(text)

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

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.plots.set_power_unit(settings.power_unit)  # the energy panel reads the settings every update
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
        self.stop_recording()
        self.acq.stop()
        self.buffers.stop()
        self.energy.stop()
        self.hub.unsubscribe(self.events)
        for sim in self.simulators.values():
            sim.close()
        self.simulators.clear()
        shutil.rmtree(self._link_dir, ignore_errors=True)
        for win in self.review_windows:
            win.close()

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:  # Qt override
        self.shutdown()
        super().closeEvent(ev)
