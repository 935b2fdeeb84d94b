"""A live session with no view: what `csm log` runs, and what a kiosk or ship service runs under systemd.

It connects the ports, records them, and reports what goes wrong while it happens (a storage problem,
a disconnect, an invalid checkpoint) as one line each, until the duration is over or `done` is set
(SIGTERM, Ctrl-C). Then the session stops in order and the paths of the session files are returned.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, LinkEventKind
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.app.sync_service import SyncStatus
from carbon_smart_meter.storage.session_file import unsafe_for_new_files

POLL_S = 0.2
RESTART_STATUS = 75  # EX_TEMPFAIL: ended on purpose, to be started again (the units' Restart= does it)


def ended_for_restart(say: Callable[[str], None]) -> bool:
    """True (said once, by the caller's loop) when this process gave up a file after a write error: an
    unattended recorder then ends in order and exits RESTART_STATUS, so its service manager starts a clean
    process that records every device again, instead of going on in one whose HDF5 may crash."""
    unsafe = unsafe_for_new_files()
    if unsafe:
        say(f"storage: {unsafe}; stopping every recording now (exit status {RESTART_STATUS})")
    return unsafe is not None


def worth_saying(env: Envelope) -> bool:
    """Every storage notice (a file stopped, a calibration refused), and every error of any other kind."""
    rec = env.record
    if not isinstance(rec, LinkEvent):
        return False
    return (rec.kind == LinkEventKind.STORAGE and rec.severity >= 1) or rec.severity >= 2


def describe(env: Envelope) -> str:
    """One line: "storage (sim0): writing ... failed: ..." (the kind first, so scripts can grep it)."""
    rec = env.record
    assert isinstance(rec, LinkEvent)
    return f"{rec.kind} ({env.source or 'session'}): {rec.message}"


def describe_sync(st: SyncStatus) -> str:
    """One line per attempt: what was paid, or why not and when the next attempt is due."""
    nxt = f"; next attempt in {max(0.0, st.next_attempt_utc - time.time()):.0f} s" if st.next_attempt_utc else ""
    r = st.last_report
    if r is None or not r.ok:
        return f"claims sync: no link or refused ({st.last_error}){nxt}"
    return (f"claims sync: {r.paid} paid ({r.tokens} base units), {r.paid_elsewhere} paid elsewhere, "
            f"{r.deferred} waiting, {r.recovered} recovered{nxt}")


def run_headless(session: LiveSession, ports: list[str], *, say: Callable[[str], None],
                 duration: float | None = None, done: threading.Event | None = None) -> list[Path]:
    """Record `ports` until `duration` seconds have passed or `done` is set; returns the session files."""
    done = done or threading.Event()
    events = session.subscribe_events("headless", maxsize=20_000)
    session.start()
    deadline = None if duration is None else time.monotonic() + duration

    seen_attempts = 0

    def report() -> None:
        nonlocal seen_attempts
        for env in events.drain():
            if worth_saying(env):
                say(describe(env))
        if session.sync is not None:  # one line per claims sync attempt (the ship's probe, with its backoff)
            st = session.sync.status()
            if st.attempts > seen_attempts:
                seen_attempts = st.attempts
                say(describe_sync(st))

    try:
        for port in ports:
            source = session.connect(port, record=True)
            say(f"recording {source} ({port})")
        while not done.is_set() and (deadline is None or time.monotonic() < deadline):
            report()
            if ended_for_restart(say):
                break
            done.wait(POLL_S if deadline is None else max(0.0, min(POLL_S, deadline - time.monotonic())))
    except KeyboardInterrupt:  # Ctrl-C ends a recording normally: files closed, paths reported
        pass
    finally:
        paths = session.stop()
        report()
        session.hub.unsubscribe(events)
    return paths
