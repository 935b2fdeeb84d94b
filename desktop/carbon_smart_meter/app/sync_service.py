"""Claims leave the outbox by themselves: the sync engine run periodically, backing off while offline.

`claims.sync.SyncEngine.sync_once` is safe to run at any time (it reconciles with the chain before it
sends), so this service only decides *when*: every `interval_s` after a good attempt, and after a failed
one (node unreachable, outbox busy, anything) a wait that doubles from `backoff_initial_s` to
`backoff_max_s`. A ship offline for weeks therefore probes about once an hour, and syncs within that
hour of a link appearing; "Sync now" (`sync_now`) tries at once. `stop()` ends the wait immediately.

Every exception of an attempt is caught and recorded in the status: a sync that fails must never end
the thread (which would stall claims silently for weeks); it is retried with backoff.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from carbon_smart_meter.app.profiles import SyncPolicy
from carbon_smart_meter.chains.adapter import ChainAdapter
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine, SyncReport

ChainSource = ChainAdapter | Callable[[], ChainAdapter]
HISTORY = 50


class Backoff:
    """The wait before the next attempt: the interval after a success, doubling waits after failures."""

    def __init__(self, policy: SyncPolicy, rng: random.Random | None = None) -> None:
        self.policy = policy
        self.rng = rng or random.Random()

    def delay(self, consecutive_failures: int) -> float:
        p = self.policy
        if consecutive_failures <= 0:
            base = p.interval_s
        else:
            base = min(p.backoff_max_s, p.backoff_initial_s * 2.0 ** (consecutive_failures - 1))
        if p.jitter:
            base *= 1.0 + self.rng.uniform(-p.jitter, p.jitter)
        return base


@dataclass(frozen=True)
class SyncAttempt:
    started_utc: float
    ok: bool
    error: str | None
    paid: int
    deferred: int
    rejected: int
    next_delay_s: float


@dataclass(frozen=True)
class SyncStatus:
    """What a view shows: running or not, the last attempt and its outcome, when the next one is due."""

    running: bool
    attempts: int = 0
    consecutive_failures: int = 0
    last_attempt_utc: float | None = None
    last_success_utc: float | None = None
    next_attempt_utc: float | None = None
    last_error: str | None = None
    last_report: SyncReport | None = None
    history: tuple[SyncAttempt, ...] = field(default_factory=tuple)


class SyncService:
    def __init__(self, outbox: ClaimsOutbox, chain: ChainSource, policy: SyncPolicy, *,
                 rng: random.Random | None = None,
                 on_attempt: Callable[[SyncReport, ChainAdapter | None], None] | None = None) -> None:
        self.outbox = outbox
        self._chain_source = chain
        # An adapter is used as it is; a factory is called at the first attempt (and again while it fails).
        self._chain: ChainAdapter | None = None if callable(chain) and not isinstance(chain, ChainAdapter) else chain
        self.policy = policy
        self.backoff = Backoff(policy, rng)
        self.on_attempt = on_attempt
        self._status = SyncStatus(running=False)
        self._history: deque[SyncAttempt] = deque(maxlen=HISTORY)
        self._lock = threading.Lock()        # status
        self._attempt_lock = threading.Lock()  # one sync at a time (thread, sync_now, run_once)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> SyncService:
        """First attempt at once, then per the policy."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="claims-sync", daemon=True)
        with self._lock:
            self._status = replace(self._status, running=True, next_attempt_utc=time.time())
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """End the wait at once; an attempt in flight is let finish (it only ever records what the chain did)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        with self._lock:
            self._status = replace(self._status, running=False, next_attempt_utc=None)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def sync_now(self) -> None:
        """Try at once (a user's "Sync now", or a link that just came up), whatever the backoff says."""
        self._wake.set()

    def status(self) -> SyncStatus:
        with self._lock:
            return replace(self._status, history=tuple(self._history))

    # ---- attempts ----------------------------------------------------------------------------------
    def run_once(self) -> SyncReport:
        """One attempt now, on the caller's thread (the demo, `csm claims sync`); recorded like any other."""
        report = self._attempt()
        self._record(report)
        return report

    def _chain_now(self) -> ChainAdapter:
        if self._chain is None:
            assert callable(self._chain_source)
            self._chain = self._chain_source()
        return self._chain

    def _attempt(self) -> SyncReport:
        with self._attempt_lock:
            chain: ChainAdapter | None = None
            try:
                chain = self._chain_now()
                report = SyncEngine(self.outbox, chain).sync_once()
            except Exception as exc:  # outbox errors, a factory that cannot reach its node, a bug: retry later
                report = SyncReport(error=f"{type(exc).__name__}: {exc}")
            if self.on_attempt is not None:
                try:
                    self.on_attempt(report, chain)
                except Exception as exc:
                    report.error = report.error or f"after the sync: {type(exc).__name__}: {exc}"
            return report

    def _record(self, report: SyncReport) -> float:
        now = time.time()
        with self._lock:
            st = self._status
            failures = 0 if report.ok else st.consecutive_failures + 1
            delay = self.backoff.delay(failures)
            self._history.append(SyncAttempt(now, report.ok, report.error, report.paid, report.deferred,
                                             report.rejected, delay))
            self._status = replace(
                st, attempts=st.attempts + 1, consecutive_failures=failures, last_attempt_utc=now,
                last_success_utc=now if report.ok else st.last_success_utc,
                next_attempt_utc=now + delay if st.running else None, last_error=report.error,
                last_report=report)
        return delay

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # a sync_now() during the attempt below makes the next one start at once
            delay = self._record(self._attempt())
            if self._stop.is_set():
                break
            self._wake.wait(delay)
