"""The live session: one composition of the pipeline that every entry point runs (no Qt).

```
ports --> Acquisition (reader threads) --> Hub
            Hub --> SessionRecorder (HDF5 per device; files rotate/retire per the profile)
            Hub --> EnergyService (ledger, findings back onto the hub, so the recorder stores them)
            Hub --> CheckpointCollector --> ClaimsOutbox (SQLite beside the recording) --> SyncService
            Hub --> LiveBuffers (only when a view asks for them)
   SourceConversions: one calibrated Conversion per device, resolved at its HELLO, used by all of the above
```

PyMeasure keeps its Procedure and Worker apart from the ManagedWindow; this is our Procedure/Worker.
`csm log` is this session with no view; `csm gui` attaches the logger window to one; `csm demo` drives
one and adds an embedded chain; the kiosk and the ship service will be the same. A view attaches by
pulling: `live_buffers()` for plots, `subscribe_events()` for a log, `snapshot()` for figures and
states, `take_closed_recordings()` and `recording_summaries()` for files. Nothing in here waits on a
view, and nothing here imports one.

The `Profile` decides what is recorded (every device from its connection, or when asked), the
recorder's rotation and retention, whether the sync service runs and how often.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from carbon_smart_meter.acquisition.hub import Hub, Subscription
from carbon_smart_meter.acquisition.live_buffers import LiveBuffers
from carbon_smart_meter.acquisition.records import LinkEvent, LinkEventKind
from carbon_smart_meter.acquisition.session import Acquisition
from carbon_smart_meter.app.energy_report import (
    EnergyReport,
    MeasuredEnergy,
    carbon_settings_from,
    energy_from_file,
    energy_report,
)
from carbon_smart_meter.app.energy_service import EnergyService
from carbon_smart_meter.app.profiles import Profile, profile_named
from carbon_smart_meter.app.reward_preview import RewardPreviewer
from carbon_smart_meter.app.status import DeviceStatus, LinkState, RecordingSummary, SessionSnapshot
from carbon_smart_meter.app.sync_service import ChainSource, SyncService
from carbon_smart_meter.calibration.sources import SourceConversions
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.chains.adapter import ChainAdapter
from carbon_smart_meter.claims.collector import CheckpointCollector
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncReport
from carbon_smart_meter.errors import CsmError, DeviceError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.rewards.prices import PriceTable
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage.metadata import SessionMetadata
from carbon_smart_meter.storage.recorder import SessionRecorder

OUTBOX_NAME = "claims.sqlite"
CLOSE_DEADLINE_S = 30.0


class RecordingError(CsmError):
    """Recording cannot start (no device, no usable data directory)."""


class LiveSession:
    """Acquisition, calibration, recording, energy, claims and sync of the devices connected to it.

    `settings` gives the data directory, region and CO₂ method; `profile` (default: the one the settings
    name) gives the policies. `chain` is a configured deployment (an adapter or a factory making one):
    without it claims stay in the outbox and reward previews use the price table. `recorder_options` are
    passed to every SessionRecorder (e.g. flush_interval_s in tests). With `summaries`, each finished
    session file is reported (energy, CO₂, reward) in the background, as `csm offsets FILE` would.
    """

    def __init__(self, settings: Settings | None = None, profile: Profile | str | None = None, *,
                 calibrations: CalibrationStore | None = None, data_dir: Path | str | None = None,
                 chain: ChainSource | None = None, prices: PriceTable | None = None,
                 recorder_options: Mapping[str, Any] | None = None, summaries: bool = False,
                 reconnect: bool = True) -> None:
        self.settings = settings or Settings()
        self.profile = profile if isinstance(profile, Profile) else profile_named(profile or self.settings.profile)
        self.data_dir = Path(data_dir) if data_dir is not None else Path(self.settings.data_dir)
        self.hub = Hub()
        self.acquisition = Acquisition(self.hub, reconnect=reconnect)
        self.conversions = SourceConversions(calibrations if calibrations is not None else CalibrationStore())
        self.energy = EnergyService(self.hub, self.conversions)
        self.carbon = carbon_settings_from(self.settings)
        self.chain = chain
        self.previewer = RewardPreviewer(chain if isinstance(chain, ChainAdapter) else None, prices)
        self.recorder_options: dict[str, Any] = dict(recorder_options or {})
        self.recorder: SessionRecorder | None = None
        self.outbox: ClaimsOutbox | None = None
        self.outbox_path = self.data_dir / OUTBOX_NAME
        self.collector: CheckpointCollector | None = None
        self.sync: SyncService | None = None
        self.sync_note = ""
        self.buffers: LiveBuffers | None = None
        self.ports: dict[str, str] = {}
        self._recording: set[str] = set()
        self._saved_early: set[Path] = set()  # files closed while the recorder carried on with others
        self._closing: list[tuple[set[str], list[Path], float]] = []
        self._storage_problems: dict[str, str] = {}
        self._lock = threading.RLock()
        self._summaries: dict[Path, RecordingSummary] | None = {} if summaries else None
        self._summary_queue: queue.Queue[tuple[Path, str] | None] = queue.Queue()
        self._summary_thread: threading.Thread | None = None
        self._started = self._stopped = False
        self._final_counts: dict[str, int] | None = None  # the outbox as it was left by stop()

    # ---- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> LiveSession:
        """Ledger, claims outbox and (per the profile, with a chain) the sync service start; devices are
        connected afterwards with `connect`."""
        if self._started:
            return self
        self._started = True
        self.energy.start()
        self._open_outbox()
        self._start_sync()
        if self._summaries is not None:
            self._summary_thread = threading.Thread(target=self._summarise, name="recording-summaries", daemon=True)
            self._summary_thread.start()
        if self.chain is not None:  # read the deployment's parameters off the caller's thread
            threading.Thread(target=self._prefetch_parameters, name="payout-parameters", daemon=True).start()
        return self

    def stop_devices(self, before_files_close: Callable[[], None] | None = None) -> list[Path]:
        """Stop reading devices; the ledger's last findings reach the files, the files close, the last
        checkpoints reach the outbox. The outbox stays open (for `sync_once`). Returns the session files.

        `before_files_close` runs when every sample has been integrated and the files are still open
        (the demo stores its final figures as provenance there)."""
        if self.sync is not None:
            self.sync.stop()
        self.acquisition.stop()
        self.energy.flush()
        if before_files_close is not None:
            before_files_close()
        paths = self.stop_recording()
        if self.collector is not None:
            self.collector.stop()
            self.collector = None
        return paths

    def stop(self) -> list[Path]:
        """Everything in order (see stop_devices), then the ledger, views' buffers and the outbox."""
        if self._stopped:
            return []
        self._stopped = True
        paths = self.stop_devices()
        self.energy.stop()
        if self.buffers is not None:
            self.buffers.stop()
        if self._summary_thread is not None:
            self._summary_queue.put(None)
            self._summary_thread.join(60)
        if self.outbox is not None:
            self._final_counts = self._outbox_counts()
            self.outbox.close()
        return paths

    def sync_once(self) -> SyncReport:
        """One claims sync now, on this thread (whatever the profile says about syncing by itself)."""
        if self.outbox is None or self.chain is None:
            return SyncReport(error=self.sync_note or "no claims outbox or no deployment configured")
        if self.sync is None:
            self.sync = SyncService(self.outbox, self.chain, self.profile.sync, on_attempt=self._after_sync)
        return self.sync.run_once()

    def __enter__(self) -> LiveSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _open_outbox(self) -> None:
        try:
            self.outbox = ClaimsOutbox(self.outbox_path)
        except CsmError as exc:  # e.g. an unwritable data directory: recording may still fail or not; say so
            self.outbox = None
            self.hub.publish_event("", LinkEventKind.STORAGE, f"claims are not being queued: {exc}", severity=2)
            return
        self.collector = CheckpointCollector(self.hub, self.outbox, self.ports).start()

    def _start_sync(self) -> None:
        policy = self.profile.sync
        if not policy.enabled:
            self.sync_note = f"sync is off in the {self.profile.name} profile"
        elif self.chain is None:
            self.sync_note = "no deployment configured: claims stay in the outbox"
        elif self.outbox is None:
            self.sync_note = "no claims outbox: nothing to sync"
        else:
            self.sync = SyncService(self.outbox, self.chain, policy, on_attempt=self._after_sync).start()

    def _after_sync(self, report: SyncReport, chain: ChainAdapter | None) -> None:
        if chain is not None and self.previewer.chain is None:
            self.previewer.chain = chain  # a factory made the adapter: previews use its deployment now
        if report.ok and chain is not None:
            self.previewer.refresh()

    def _prefetch_parameters(self) -> None:
        try:
            self.previewer.refresh()
        except Exception as exc:  # previews then use the price table; say why once
            self.hub.publish_event("", "rewards", f"deployment parameters unreadable: {exc}", severity=1)

    # ---- devices -------------------------------------------------------------------------------------
    def connect(self, port: str, name: str | None = None, *, sync_time: bool = True,
                record: bool | None = None) -> str:
        """Read a device; with `record` (default: the profile's `on_connect`) its file opens at its first
        HELLO, so the file holds the stream from its very first block."""
        if not self._started:
            self.start()  # the ledger and the outbox must be listening before the first record arrives
        source = name or os.path.basename(port.rstrip("/")) or port
        if source in self.acquisition.readers:
            raise DeviceError(f"a device named {source!r} is already being read; give it another name")
        record = self.profile.recording.on_connect if record is None else record
        if record:
            self._include(source)
        self.ports[source] = port  # before its HELLO can arrive: the outbox notes the port with the device
        try:
            self.acquisition.add_device(port, name=source, sync_time=sync_time)
        except Exception:
            self.ports.pop(source, None)
            if record:
                self.stop_recording([source])
            raise
        return source

    def disconnect(self, source: str) -> list[Path]:
        """Stop reading a device; its file (if recording) is closed complete first. Returns that file."""
        paths = self.stop_recording([source]) if source in self._recording else []
        self.acquisition.remove_device(source)
        self.ports.pop(source, None)
        self.conversions.forget(source)
        self.energy.forget(source)
        return paths

    def update_settings(self, settings: Settings) -> None:
        """New region, CO₂ method or location apply to figures at once (and to files opened from now on);
        the data directory and the profile apply when the session next starts (the outbox stays put)."""
        self.settings = replace(settings, data_dir=str(self.data_dir), profile=self.profile.name)
        self.carbon = carbon_settings_from(self.settings)
        recorder = self.recorder
        if recorder is not None:  # session details: for files opened from now on (rotation, devices added)
            recorder.metadata = SessionMetadata.from_settings(self.settings)

    @property
    def sources(self) -> list[str]:
        return self.acquisition.sources

    def send(self, source: str, message: m.Message) -> bool:
        return self.acquisition.send(source, message)

    # ---- recording -----------------------------------------------------------------------------------
    @property
    def recording(self) -> frozenset[str]:
        return frozenset(self._recording)

    def start_recording(self, sources: Iterable[str] | None = None) -> list[str]:
        """Record `sources` (default: every connected device), each into its own session file; devices
        already recording carry on. Returns the sources that started now."""
        targets = list(self.acquisition.sources if sources is None else sources)
        started = [s for s in targets if s not in self._recording]
        for source in started:
            self._include(source)
            if source in self.acquisition.readers:
                self.acquisition.send(source, m.GetInfo())  # an immediate HELLO opens the file at once
        return started

    def _include(self, source: str) -> None:
        with self._lock:
            if self.recorder is None:
                policy = self.profile.recording
                self.recorder = SessionRecorder(
                    self.hub, self.data_dir, conversions=self.conversions, sources=[source],
                    profile=self.profile.name, region=self.settings.region, compression=policy.compression,
                    rotate_daily=policy.rotate_daily, disk_budget_bytes=policy.disk_budget_bytes,
                    keep_days=policy.keep_days, metadata=SessionMetadata.from_settings(self.settings),
                    **self.recorder_options).start()
            else:
                self.recorder.include(source)
            self._recording.add(source)
            self._storage_problems.pop(source, None)
        self.energy.mark(source)

    def stop_recording(self, sources: Iterable[str] | None = None) -> list[Path]:
        """Stop recording `sources` (default: all) and return their session files. While other devices
        carry on, these files are closed by the writer thread shortly after (see take_closed_recordings);
        the recorder itself stops (joining its thread) with the last device."""
        with self._lock:
            rec = self.recorder
            if rec is None:
                return []
            targets = set(self._recording) if sources is None else set(sources) & self._recording
            if not targets:
                return []
            self._recording -= targets
            for source in targets:
                self.energy.unmark(source)
            if self._recording:
                for source in targets:
                    rec.exclude(source)
                paths = [rec.paths_by_source[s] for s in sorted(targets) if s in rec.paths_by_source]
                self._saved_early.update(paths)
                self._closing.append((targets, paths, time.monotonic() + CLOSE_DEADLINE_S))
                return paths
            self.recorder = None
            saved_early, self._saved_early = self._saved_early, set()
        paths = [p for p in rec.stop() if p not in saved_early]  # (its own errors went onto the hub as they came)
        self._storage_problems.update(rec.failed)
        self._queue_summaries(rec, paths)
        return paths

    def take_closed_recordings(self) -> list[list[Path]]:
        """Files of devices stopped while others carried on, once the writer has closed them (each list
        is one stop_recording call's files). Views poll this to say "saved"."""
        done: list[list[Path]] = []
        with self._lock:
            rec = self.recorder
            still: list[tuple[set[str], list[Path], float]] = []
            for sources, paths, deadline in self._closing:
                open_now = rec is not None and any(s in rec.files for s in sources)
                if open_now and time.monotonic() < deadline:
                    still.append((sources, paths, deadline))
                else:
                    done.append(paths)
                    if rec is not None:
                        self._queue_summaries(rec, paths)
            self._closing = still
        return done

    def annotate(self, text: str, t_utc_ns: int | None = None, source: str | None = None) -> bool:
        """Store a note in the files being written (of `source` only, when given); False when nothing is
        being recorded, so the view can say the note is shown but not saved."""
        rec = self.recorder
        if rec is None:
            return False
        rec.add_annotation(text, t_utc_ns, source)
        return True

    def set_provenance(self, values: dict) -> None:
        if self.recorder is not None:
            self.recorder.set_provenance(values)

    # ---- summaries of finished files -----------------------------------------------------------------
    def _queue_summaries(self, rec: SessionRecorder, paths: list[Path]) -> None:
        if self._summaries is None:
            return
        by_path = {p: s for s, p in rec.paths_by_source.items()}
        for path in paths:
            source = by_path.get(path, "")
            with self._lock:
                self._summaries[path] = RecordingSummary(path, source)
            self._summary_queue.put((path, source))

    def _summarise(self) -> None:
        while (item := self._summary_queue.get()) is not None:
            path, source = item
            try:
                summary = RecordingSummary(path, source, report=self.file_report(path))
            except Exception as exc:  # a file that cannot be read is shown as such, never a traceback
                summary = RecordingSummary(path, source, problem=f"{type(exc).__name__}: {exc}")
            with self._lock:
                assert self._summaries is not None
                self._summaries[path] = summary

    def file_report(self, path: Path) -> EnergyReport:
        """What `csm offsets FILE` reports for a session file, with this session's settings and provider."""
        return energy_report(energy_from_file(Path(path)), self.carbon, self.previewer, plausibility=False)

    def recording_summaries(self) -> list[RecordingSummary]:
        with self._lock:
            return list((self._summaries or {}).values())

    # ---- what views read -----------------------------------------------------------------------------
    def live_buffers(self, window_s: float = 600.0, **options: object) -> LiveBuffers:
        """Ring buffers for live plots, filled through the calibrated conversions (made on first call)."""
        with self._lock:
            if self.buffers is None:
                self.buffers = LiveBuffers(self.hub, window_s=window_s, converter_for=self._live_converter,
                                           **options).start()  # type: ignore[arg-type]
            return self.buffers

    def _live_converter(self, source: str, hello: m.Hello) -> Callable:
        return self.conversions.for_hello(source, hello).conversion.convert

    def subscribe_events(self, name: str = "view-events", maxsize: int = 5000) -> Subscription:
        """Link, storage and device events (a view's log); unsubscribe with `hub.unsubscribe`."""
        return self.hub.subscribe((LinkEvent, m.Event), maxsize=maxsize, name=name)

    def live_report(self, source: str) -> EnergyReport | None:
        """Energy since the device connected, with CO₂ and reward from the same report as `csm offsets`
        (never waits on a chain: previews use the price table until the deployment has been read)."""
        e = self.energy.energy(source)
        if e is None:
            return None
        measured = MeasuredEnergy(max(e.energy_wh, 0.0) / 1e3, f"live, {source}", rated_w=e.rated_w, device=e.device)
        return energy_report(measured, self.carbon, self.previewer, plausibility=False, block=False)

    def device_status(self, source: str) -> DeviceStatus | None:
        reader = self.acquisition.readers.get(source)
        if reader is None:
            return None
        stats = replace(reader.stats)
        if stats.connected:
            link = LinkState.CONNECTED
        elif reader.finished.is_set():
            link = LinkState.PORT_MISSING
        elif stats.disconnects:
            link = LinkState.DISCONNECTED
        else:
            link = LinkState.CONNECTING
        rec = self.recorder
        file = rec.paths_by_source.get(source) if rec is not None and source in rec.files else None
        return DeviceStatus(source, self.ports.get(source, reader.port), link, stats, reader.hello,
                            self.conversions.current(source), source in self._recording, file,
                            self.energy.energy(source))

    def _outbox_counts(self) -> dict[str, int] | None:
        if self.outbox is None:
            return None
        try:
            return self.outbox.counts()
        except Exception:  # a view must never fail on a busy or damaged outbox; sync reports the details
            return None

    def snapshot(self) -> SessionSnapshot:
        devices = {s: st for s in self.acquisition.sources if (st := self.device_status(s)) is not None}
        counts = self._final_counts if self._stopped else self._outbox_counts()
        problems = dict(self._storage_problems)
        if self.recorder is not None:
            problems.update(self.recorder.failed)
        return SessionSnapshot(self.profile.name, self.data_dir, devices, self.recording,
                               self.outbox_path if self.outbox is not None else None, counts,
                               self.sync.status() if self.sync is not None else None, self.sync_note, problems)
