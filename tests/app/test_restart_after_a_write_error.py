"""An unattended recorder that had to give up a file after a write error ends in order for a restart.

Defect held down: after HDF5 failed mid-write (a disk filled by another program between the recorder's
free-space check and the write), the process went on: the device whose file was given up stayed
unrecorded for the life of the process (weeks on a ship), and the next daily rotation created new files
in a process whose HDF5 had already crashed later recordings in 1 run of 4. Now no new session file is
started in such a process (the window says to restart), and `csm log` / `csm serve` stop every recording
in order and exit 75 so that systemd (Restart=) starts a clean process that records every device again.

The write error is real: the process's file-size limit (RLIMIT_FSIZE, the kernel answers EFBIG as a full
disk answers ENOSPC) with the free-space guard off, in a pytest process of its own (marker own_process).
"""

from __future__ import annotations

import resource
import signal
import threading
import time
from pathlib import Path

import pytest
from tests.app.session_helpers import noon_simulator
from tests.storage.session_records import hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.app.headless import RESTART_STATUS, run_headless
from carbon_smart_meter.app.service import SessionService
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage import SessionRecorder
from carbon_smart_meter.storage.session_file import abandoned_files

LIMIT = 3 << 20  # bytes any file of this process may reach


def _unguarded(data: Path) -> LiveSession:
    return LiveSession(Settings(data_dir=str(data)), "logger",
                       recorder_options={"space_margin": None, "flush_interval_s": 0.1})


@pytest.mark.own_process
@pytest.mark.timeout(240)
def test_a_recorder_that_gave_up_a_file_stops_in_order_and_no_new_file_starts_in_that_process(tmp_path):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    sim = noon_simulator(rate=50_000, seed=11).start()
    lines: list[str] = []
    try:
        started = time.monotonic()
        paths = run_headless(_unguarded(tmp_path / "log"), [sim.port], say=lines.append, duration=180)
        took = time.monotonic() - started
    finally:
        sim.close()
    assert abandoned_files() == 1, lines
    assert took < 170, f"the recording was not stopped after the write error: {lines}"
    said = "\n".join(lines)
    assert "File too large" in said and "stopping every recording now" in said
    assert f"exit status {RESTART_STATUS}" in said and "start csm again" in said
    assert len(paths) == 1 and paths[0].exists()  # what was flushed stays (test_disk_full reads such files)

    # In this process no new session file starts, whoever asks: the window's Record (a recorder) ...
    hub = Hub()
    events = hub.subscribe(None, maxsize=1000, name="ui")
    rec = SessionRecorder(hub, tmp_path / "again").start()

    hub.publish(Envelope("dev", hello()))
    deadline = time.monotonic() + 10
    while "dev" not in rec.failed and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "not recording dev" in rec.failed.get("dev", "") and "start csm again" in rec.failed["dev"]
    assert rec.stop() == [] and not list((tmp_path / "again").glob("*.h5"))
    assert any("start csm again" in getattr(e.record, "message", "") for e in events.drain())

    # ... and the session service ends at once with the status that makes systemd start it again.
    sim2 = noon_simulator(rate=1000, seed=12).start()
    done = threading.Event()
    service_lines: list[str] = []
    try:
        service = SessionService(_unguarded(tmp_path / "serve"), ports=[sim2.port], socket_path=tmp_path / "s.sock",
                                 discover=False, say=service_lines.append)
        timer = threading.Timer(60, done.set)  # a liveness bound only
        timer.start()
        service.run(done)
        timer.cancel()
    finally:
        sim2.close()
    assert not done.is_set(), service_lines
    assert service.exit_status == RESTART_STATUS
    assert any("stopping every recording now" in line for line in service_lines), service_lines
