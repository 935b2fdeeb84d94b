"""A device included while the writer is idle is recorded from the HELLO that answers the request."""

from __future__ import annotations

import time
from pathlib import Path

from tests.storage.session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
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
