"""A device included while the writer is idle is recorded from the HELLO that answers the request."""

from __future__ import annotations

import time
from pathlib import Path

from tests.storage.session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.storage.recorder import SessionRecorder


def test_an_include_before_the_hello_it_asked_for_opens_the_file_at_that_hello(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, sources=[]).start()
    try:
        time.sleep(0.3)  # the writer is idle, waiting for its next record
        rec.include("late")  # what LiveSession.start_recording does, then it sends GET_INFO ...
        hub.publish(Envelope("late", hello()))  # ... and the device answers at once
        hub.publish(Envelope("late", block(0, 100)))
        deadline = time.monotonic() + 3
        while "late" not in rec.files and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "late" in rec.files, "the answering HELLO was dropped: the file would wait for the next one (~10 s)"
    finally:
        rec.stop()


def test_a_device_recorded_again_within_the_same_second_gets_a_second_file(tmp_path: Path, monkeypatch) -> None:
    import datetime as dt

    from carbon_smart_meter.storage import recorder as recorder_module

    class Frozen(dt.datetime):  # every file name is stamped with the same second
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return dt.datetime(2026, 12, 2, 12, 0, 0, tzinfo=tz)

    monkeypatch.setattr(recorder_module.dt, "datetime", Frozen)
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, sources=["a"]).start()
    try:
        hub.publish(Envelope("a", hello()))
        _wait(lambda: "a" in rec.files)
        rec.exclude("a")
        _wait(lambda: "a" not in rec.files)
        # The finished file is being read (the window's summary of it, a review, `csm offsets`) when the user
        # ticks Record again at once: its name must not be tried again.
        with Session(rec.paths[0]):
            rec.include("a")
            hub.publish(Envelope("a", hello()))
            _wait(lambda: "a" in rec.files or "a" in rec.failed)
        assert "a" not in rec.failed, rec.failed.get("a")
    finally:
        paths = rec.stop()
    assert len(paths) == 2 and paths[0] != paths[1] and all(p.exists() for p in paths)


def _wait(cond, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
