"""A reader in a second process watches the file grow while the recorder writes it (SWMR)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.storage import SessionRecorder

READER = Path(__file__).with_name("swmr_reader.py")


def test_a_second_process_sees_the_session_grow_while_it_is_written(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.2).start()
    hub.publish(Envelope("dev", hello()))
    deadline = time.monotonic() + 5
    while "dev" not in rec.paths_by_source and time.monotonic() < deadline:
        time.sleep(0.02)
    path = rec.paths_by_source["dev"]
    stop = threading.Event()

    def produce() -> None:  # 10 kHz in blocks of 500, in real time
        k = 0
        while not stop.is_set():
            hub.publish(Envelope("dev", block(k * 500, 500)))
            k += 1
            time.sleep(0.05)

    producer = threading.Thread(target=produce)
    producer.start()
    try:
        out = subprocess.run(
            [sys.executable, str(READER), str(path), "2.5"], capture_output=True, text=True, timeout=60, check=True
        ).stdout.split("\n")
    finally:
        stop.set()
        producer.join()
        rec.stop()
    assert out[0] == "swmr 1"
    counts = [int(line.split()[1]) for line in out if line.startswith("rows")]
    lasts = [int(line.split()[2]) for line in out if line.startswith("rows")]
    assert counts == sorted(counts), "a reader never sees the file shrink"
    assert len(set(counts)) >= 5, f"the reader saw too few updates: {counts}"
    assert all(last == n - 1 for n, last in zip(counts, lasts, strict=True) if n), "rows are whole and in order"
