"""The energy ledger of a live session, on its own thread, with its findings published on the hub.

Because the findings (gaps, energy divergences, forged or unverifiable checkpoints) go onto the hub as
LinkEvents, the recorder of whatever entry point runs the session (`csm log`, the window, the demo, a
kiosk) writes them into the session file beside the data they are about. The ledger converts samples
through the session's calibrated conversions, so its Wh are the file's Wh.

Views read figures with `energy()` (a consistent copy under a short lock); they never touch the ledger.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass, field

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.calibration.sources import SourceConversions
from carbon_smart_meter.energy.findings import CheckpointFinding, Finding
from carbon_smart_meter.energy.integrate import ToSI
from carbon_smart_meter.energy.ledger import EnergyLedger
from carbon_smart_meter.energy.totals import EnergyTotals
from carbon_smart_meter.protocol.messages import Checkpoint, Hello, SampleBlock

BATCH_WAIT_S = 0.25  # views update 4x a second: integrate in a few large batches
BATCH_MAX = 20_000


@dataclass(frozen=True)
class DeviceEnergy:
    """One device's figures as the ledger has them now."""

    source: str
    device: str                 # 0x address; "" before the HELLO
    rated_w: int
    energy_wh: float            # positive power integrated since the device was connected
    recording_wh: float         # since its recording started (0 when not recording)
    last_power_w: float
    gaps: int
    last_sample_unix_s: float = 0.0  # device time of the newest sample integrated (0 before any)
    checkpoints: dict[str, int] = field(default_factory=dict)  # ledger status -> count
    per_day_kwh: dict[str, float] = field(default_factory=dict)  # UTC days

    @property
    def verified_checkpoints(self) -> int:
        return self.checkpoints.get("verified", 0)


class EnergyService:
    def __init__(self, hub: Hub, conversions: SourceConversions, calibration_uncertainty: float = 0.01,
                 queue_size: int = 50_000) -> None:
        self.hub = hub
        self.conversions = conversions
        self.ledger = EnergyLedger(calibration_uncertainty=calibration_uncertainty,
                                   converter_for=self._converter_for)
        self.findings: Counter[str] = Counter()  # finding kind -> count, for summaries
        self.problems: deque[str] = deque(maxlen=100)  # the newest findings a user must see, in words
        self._statuses: dict[str, Counter[str]] = {}
        self._marks: dict[str, float] = {}  # source -> ledger joules when its recording started
        self._lock = threading.Lock()
        self._sub = hub.subscribe((SampleBlock, Hello, Checkpoint), maxsize=queue_size, name="energy")
        self._stop = threading.Event()
        self._flush_waiters: list[threading.Event] = []
        self._thread = threading.Thread(target=self._run, name="energy-ledger", daemon=True)

    def _converter_for(self, source: str, hello: Hello) -> ToSI:
        return self.conversions.for_hello(source, hello).conversion.to_si

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> EnergyService:
        self._thread.start()
        return self

    def flush(self, timeout: float = 10.0) -> bool:
        """Integrate everything queued now and publish its findings (before the recorder stops, so the
        last findings reach the file). False if the ledger thread did not get there within `timeout`."""
        if not self._thread.is_alive():
            self._process(self._sub.drain())
            return True
        done = threading.Event()
        with self._lock:
            self._flush_waiters.append(done)
        return done.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self._process(self._sub.drain())
        self.hub.unsubscribe(self._sub)

    def _run(self) -> None:
        while not self._stop.is_set():
            first = self._sub.get(timeout=0.05)
            if first is not None:
                if not self._flush_waiters:
                    self._stop.wait(BATCH_WAIT_S)
                self._process([first, *self._sub.drain(BATCH_MAX)])
            # Checked on this thread after a batch is done, so nothing taken from the queue is still unfed.
            if self._flush_waiters and self._sub.pending() == 0:
                with self._lock:
                    waiters, self._flush_waiters = self._flush_waiters, []
                for w in waiters:
                    w.set()

    def _process(self, batch: list[Envelope]) -> None:
        if not batch:
            return
        # Each run of one device's consecutive blocks is integrated in one call; grouping by device (a
        # stable sort keeps each device's own order, and tracks are independent) makes runs long.
        batch.sort(key=lambda env: env.source)
        with self._lock:
            try:
                findings = self.ledger.feed_many(batch)
            except Exception as exc:  # the ledger must not take the session down; say so where it is seen
                self.hub.publish_event(batch[0].source, "energy", f"energy ledger error: {exc}", severity=2)
                return
            for f in findings:
                self.findings[type(f).__name__] += 1
                if isinstance(f, CheckpointFinding):
                    self._statuses.setdefault(f.source, Counter())[f.status] += 1
        for f in findings:
            self._publish(f)

    def _publish(self, finding: Finding) -> None:
        event: LinkEvent | None = finding.as_link_event()
        if event is not None:
            self.problems.append(event.message)
            self.hub.publish(Envelope(finding.source, event))

    # ---- figures ---------------------------------------------------------------------------------
    def mark(self, source: str) -> None:
        """Its recording starts now: `recording_wh` counts from here."""
        with self._lock:
            tr = self.ledger.tracks.get(source)
            self._marks[source] = tr.totals.session_j if tr is not None else 0.0

    def unmark(self, source: str) -> None:
        with self._lock:
            self._marks.pop(source, None)

    def forget(self, source: str) -> None:
        """The device was disconnected: a later connection under the same name starts from zero."""
        with self._lock:
            self.ledger.tracks.pop(source, None)
            self._statuses.pop(source, None)
            self._marks.pop(source, None)

    def energy(self, source: str, per_day: bool = False) -> DeviceEnergy | None:
        with self._lock:
            tr = self.ledger.tracks.get(source)
            if tr is None:
                return None
            joules = tr.totals.session_j
            mark = self._marks.get(source)
            last = tr.last_block
            return DeviceEnergy(
                source, "0x" + tr.hello.device.hex() if tr.hello else "", tr.hello.rated_power_w if tr.hello else 0,
                joules / 3600.0, (joules - mark) / 3600.0 if mark is not None else 0.0, tr.last_power_w, tr.gaps,
                (last.t0_us * 1e-6 + last.count * last.period_ns * 1e-9) if last is not None else 0.0,
                dict(self._statuses.get(source, {})), tr.totals.per_day() if per_day else {})

    def sources(self) -> list[str]:
        with self._lock:
            return list(self.ledger.tracks)

    def totals(self, source: str) -> EnergyTotals | None:
        """The ledger's running totals of a device (per hour/day in any time zone); read-only use."""
        with self._lock:
            tr = self.ledger.tracks.get(source)
            return tr.totals if tr is not None else None
