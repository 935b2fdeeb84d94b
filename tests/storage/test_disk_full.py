"""A full disk or an unwritable directory stops logging cleanly, keeps what was written, and says so.

Two real limits: a 16 MiB tmpfs (needs root and mount) and RLIMIT_FSIZE in a child process (works
anywhere; the kernel answers EFBIG exactly as a full disk answers ENOSPC). Each is run twice: with the
recorder's free-space guard (the normal case: the file closes normally) and with the guard off, so
HDF5 itself hits the error mid-write (the file is then read in SWMR mode and repaired).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage.repair import repair

WRITER = Path(__file__).with_name("disk_full_writer.py")
GUARD = {"guarded": 4 << 20, "unguarded": None}


def _check_kept(path: Path, at_least: int) -> None:
    """The file opens in our tools and holds, intact and in order, at least what was flushed."""
    with Session(path) as s:
        n = s.rows()
        assert n >= at_least > 0
        assert np.array_equal(s.samples("sample_index", 0, n), np.arange(n, dtype=np.uint64))


def _record_until_it_stops(hub: Hub, rec: SessionRecorder) -> int:
    """A device's HELLO, then 2000-sample blocks until the recorder stops its file; returns the blocks sent."""
    hub.publish(Envelope("dev", hello()))
    k = 0
    deadline = time.monotonic() + 60
    while not rec.failed and time.monotonic() < deadline:
        hub.publish(Envelope("dev", block(k * 2000, 2000, seed=k % 7)))  # varying codes compress less
        k += 1
        time.sleep(0.001)
    assert rec.failed, "the 16 MiB file system never filled"
    return k


@pytest.fixture
def tiny_fs(tmp_path: Path):
    """A real 16 MiB tmpfs; without root/mount the RLIMIT_FSIZE tests below cover the same code."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode().strip()}); RLIMIT_FSIZE tests cover it")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("guard", list(GUARD))
@pytest.mark.own_process
def test_a_full_file_system_ends_the_file_cleanly_and_acquisition_carries_on(
    tmp_path: Path, tiny_fs: Path, guard: str
) -> None:
    hub = Hub()
    ui = hub.subscribe(None, maxsize=1_000_000, name="ui")  # stands in for the live plots
    rec = SessionRecorder(hub, tiny_fs, flush_interval_s=0.1, space_margin=GUARD[guard]).start()
    k = _record_until_it_stops(hub, rec)
    for j in range(k, k + 100):  # acquisition keeps publishing and delivering after the failure
        hub.publish(Envelope("dev", block(j * 2000, 2000)))
    flushed = rec.flushed_rows["dev"]
    paths = rec.stop()
    delivered = ui.drain()
    assert len([e for e in delivered if isinstance(e.record, m.SampleBlock)]) == k + 100
    storage = [e.record for e in delivered if isinstance(e.record, LinkEvent) and e.record.kind == "storage"]
    assert len(storage) == 1 and storage[0].severity == 2
    if guard == "guarded":
        assert "disk full" in storage[0].message
        with h5py.File(paths[0], "r") as f:  # closed normally: any HDF5 tool opens it
            assert f.attrs["complete"] and b"disk full" in f.attrs["stopped_because"]  # fixed-size UTF-8
        _check_kept(paths[0], flushed)
    else:
        assert "No space left" in storage[0].message and str(paths[0]) in storage[0].message
        # This process still holds the abandoned HDF5 handle, and HDF5 shares one handle per file within a
        # process, so look at the bytes on disk from a copy (what another process or a reboot would see).
        copy = tmp_path / "copy.h5"
        shutil.copy(paths[0], copy)
        _check_kept(copy, flushed)
        repair(copy)
        with h5py.File(copy, "r"):
            pass
        _check_kept(copy, flushed)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("guard", list(GUARD))
def test_a_size_limited_file_ends_cleanly_keeping_what_was_flushed(tmp_path: Path, guard: str) -> None:
    out = subprocess.run(
        [sys.executable, str(WRITER), str(tmp_path), str(12 << 20), json.dumps(GUARD[guard])],
        capture_output=True,
        text=True,
        timeout=100,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["failed"] and result["after_failure"] == 50
    expected = "file-size limit" if guard == "guarded" else "File too large"
    assert len(result["storage_events"]) == 1 and expected in result["storage_events"][0]
    path = Path(result["path"])
    if guard == "unguarded":
        # HDF5 closed the abandoned file at exit and wrote an end address past what the size limit let
        # it write: our readers refuse such a file (HDF5 can hang on one) and say repair will work.
        with pytest.raises(StorageError, match="repair will work"):
            Session(path)
        repair(path)
    _check_kept(path, result["flushed"])


def test_an_unwritable_directory_is_reported_and_nothing_crashes(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    hub = Hub()
    events = hub.subscribe([LinkEvent])
    rec = SessionRecorder(hub, blocker / "sessions").start()
    hub.publish(Envelope("dev", hello()))
    hub.publish(Envelope("dev", block(0, 100)))
    time.sleep(0.3)
    assert rec.stop() == []
    (ev,) = [e.record for e in events.drain() if e.record.kind == "storage"]
    assert ev.severity == 2 and "cannot create a session file" in ev.message
    assert rec.dropped_after_failure == 1


@pytest.mark.timeout(120)
def test_a_device_stopped_by_a_full_disk_is_recorded_again_in_a_new_file_once_the_disk_has_room(tiny_fs: Path):
    # Before: a kiosk or ship whose disk another program filled never recorded that device again until a
    # restart, although nobody is there to press Record. Now the recorder resumes it once two space margins
    # are free (it looks every resume_check_s), in a new file that says what happened.
    margin = 2 << 20
    blocker = tiny_fs / "another-program.bin"
    blocker.write_bytes(b"\xa5" * (8 << 20))
    hub = Hub()
    ui = hub.subscribe([LinkEvent], maxsize=10_000, name="ui")
    rec = SessionRecorder(hub, tiny_fs, flush_interval_s=0.1, space_margin=margin, resume_check_s=0.3).start()
    k = _record_until_it_stops(hub, rec)
    first = rec.paths_by_source["dev"]
    time.sleep(1.0)  # still full: nothing resumes
    assert "dev" in rec.failed and len(rec.paths) == 1
    blocker.unlink()  # the other program's file is deleted: room again
    deadline = time.monotonic() + 20
    while "dev" in rec.failed and time.monotonic() < deadline:
        hub.publish(Envelope("dev", block(k * 2000, 2000, seed=k % 7)))  # the stream goes on meanwhile
        k += 1
        time.sleep(0.01)
    assert "dev" not in rec.failed, "the device was not recorded again after the disk had room"
    resumed_at = k
    for j in range(k, k + 20):
        hub.publish(Envelope("dev", block(j * 2000, 2000)))
    paths = rec.stop()
    assert paths[0] == first and len(paths) == 2
    with h5py.File(first, "r") as f:
        assert f.attrs["complete"] and b"disk full" in f.attrs["stopped_because"]
    with Session(paths[1]) as s:
        n = s.rows()
        index = s.samples("sample_index", 0, n)
        events = [e for e in s.events() if e["kind"] == "storage-resumed"]
    assert n >= 20 * 2000 and int(index[-1]) == (resumed_at + 20) * 2000 - 1  # the stream up to the end
    assert len(events) == 1 and "room again" in events[0]["message"]
    said = [e.record.message for e in ui.drain() if e.record.kind == "storage"]
    assert any("recording resumed" in line and paths[1].name in line for line in said), said
