"""Issue 15, data loss 1-5: each way a recording lost data without saying so, reproduced and now kept.

Real HDF5 files, a real pty simulator, real child processes killed with SIGKILL, a real full tmpfs.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from session_records import block, checkpoint, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.reader import DeviceReader
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.commands.session_files import inspect_dict
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage import recorder as recorder_module
from carbon_smart_meter.storage.repair import repair

HERE = Path(__file__).parent
CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]
UNIX_US = 1_764_000_000_123_456  # a unix time in us: far beyond 2^32


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("condition not reached in time")


# ---- 1. event arguments are u64 (PROTOCOL.md 3.4): TIME_SYNCED carries a unix time in us ------------

def test_a_time_synced_event_with_a_unix_time_keeps_the_file_and_its_argument(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05).start()
    hub.publish(Envelope("dev", hello()))
    hub.publish(Envelope("dev", m.Event(m.EventCode.TIME_SYNCED, 0, 0, UNIX_US, UNIX_US + 5)))
    hub.publish(Envelope("dev", block(0, 500)))
    hub.publish(Envelope("dev", checkpoint(1, 10)))
    time.sleep(0.3)
    (path,) = rec.stop()
    assert rec.failed == {}
    with Session(path) as s:
        assert s.rows("hellos") == 1 and s.rows("checkpoints") == 1 and s.rows() == 500
        (synced,) = [e for e in s.events() if e["kind"] == "time synced"]
        assert synced["arg1"] == UNIX_US and s.h5["events"]["arg1"].dtype == np.uint64


def test_a_value_that_fits_no_column_costs_that_record_only_and_is_reported(tmp_path: Path) -> None:
    hub = Hub()
    events = hub.subscribe([LinkEvent])
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05).start()
    hub.publish(Envelope("dev", hello()))
    hub.publish(Envelope("dev", LinkEvent("frame-loss", "absurd count", 2**70)))  # beyond the i8 column
    hub.publish(Envelope("dev", block(0, 500)))
    hub.publish(Envelope("dev", checkpoint(1, 10)))
    time.sleep(0.3)
    (path,) = rec.stop()
    assert rec.failed == {}
    with Session(path) as s:
        assert s.rows() == 500 and s.rows("checkpoints") == 1
        assert any("does not fit" in e["message"] for e in s.events() if e["kind"] == "storage")
    assert any("does not fit" in e.record.message for e in events.drain() if e.record.kind == "storage")


@pytest.mark.timeout(60)
def test_csm_log_of_a_real_time_simulator_stores_its_time_synced_event(no_records, tmp_path: Path) -> None:
    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    with SimulatedAdapter(rate=500, seed=4) as sim:
        out = subprocess.run([*CSM, "log", sim.port, "--out", str(tmp_path), "--duration", "2",
                              "--calibrations", str(no_records)], capture_output=True, text=True,
                             timeout=50)
    assert out.returncode == 0, out.stderr
    (path,) = [Path(p) for p in out.stdout.split()]
    with Session(path) as s:
        assert s.complete and s.rows("hellos") >= 1 and s.rows() > 0
        (synced,) = [e for e in s.events() if e["kind"] == "time synced"]
        assert synced["arg1"] > 2**32  # the simulator's clock was already unix time


# ---- 2. a crash while a file is created never leaves a file nothing can open ----------------------

_KILL_DURING_CREATION = """
import os, signal, sys
sys.path.insert(0, {here!r})
import h5py
from session_records import hello
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.session_file import SessionFile
calls = [0]
real = h5py.Group.create_dataset
def dying(self, *a, **k):
    calls[0] += 1
    if calls[0] == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, *a, **k)
h5py.Group.create_dataset = dying
h = hello()
SessionFile(__import__("pathlib").Path(sys.argv[1]), source="c", hello=h,
            conversion=Conversion.factory(h.v_lsb, h.i_lsb), profile="logger", region="")
"""


@pytest.mark.parametrize("at_dataset", [1, 9, 30, 60])
def test_a_writer_killed_while_creating_the_file_leaves_no_unopenable_session(tmp_path: Path,
                                                                              at_dataset: int) -> None:
    path = tmp_path / "s.h5"
    r = subprocess.run([sys.executable, "-c", _KILL_DURING_CREATION.format(here=str(HERE)), str(path),
                        str(at_dataset)], capture_output=True, text=True, timeout=60)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert not path.exists(), "a half-created file carries the session's name"
    (tmp,) = list(tmp_path.iterdir())  # the temporary file, which the next recorder removes
    assert tmp.name.startswith(".s.h5.creating-")
    rec = SessionRecorder(Hub(), tmp_path).start()
    rec.stop()
    assert list(tmp_path.iterdir()) == []


# ---- 3. another process fills the disk: the file stays readable ---------------------------------

@pytest.fixture
def tiny_fs(tmp_path: Path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode().strip()})")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.timeout(120)
@pytest.mark.own_process
def test_a_disk_filled_by_another_process_leaves_a_file_inspect_can_read(tiny_fs: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tiny_fs, flush_interval_s=0.1).start()
    hub.publish(Envelope("dev", hello()))
    k = 0
    filler = None
    deadline = time.monotonic() + 60
    while not rec.failed and time.monotonic() < deadline:
        hub.publish(Envelope("dev", block(k * 2000, 2000, seed=k % 7)))
        k += 1
        if k == 300 and filler is None:  # another program takes every byte left
            filler = subprocess.run(["dd", "if=/dev/zero", f"of={tiny_fs / 'filler'}", "bs=64k"],
                                    capture_output=True)
        time.sleep(0.002)
    assert rec.failed, "the disk never filled"
    flushed = rec.flushed_rows["dev"]
    (path,) = rec.stop()
    (tiny_fs / "filler").unlink()  # space to repair in, as a user would make
    # `csm inspect` and `csm repair` as a user runs them: other processes (this one may still hold the
    # HDF5 handle of an abandoned file, which HDF5 would share with any open of the same file here)
    out = subprocess.run([*CSM, "inspect", str(path), "--json"], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        assert "csm repair" in out.stderr and "will work" in out.stderr, out.stderr
        subprocess.run([*CSM, "repair", str(path)], capture_output=True, text=True, timeout=60, check=True)
        out = subprocess.run([*CSM, "inspect", str(path), "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["samples"] >= flushed > 0


# ---- 4. samples before the first HELLO are kept, or counted ---------------------------------------

def test_samples_before_the_first_hello_are_all_kept(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    for k in range(1500):  # 150,000 samples: a replay, or 10 s between HELLOs at 15 kHz
        hub.publish(Envelope("dev", block(k * 100, 100)))
    hub.publish(Envelope("dev", hello()))
    _wait(lambda: "dev" in rec.paths_by_source)
    (path,) = rec.stop()
    info = inspect_dict(path)
    assert info["samples"] == 150_000 and info["samples_missing"] == 0


def test_samples_beyond_what_waits_for_a_hello_are_counted_as_a_gap(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(recorder_module, "PRE_HELLO_SAMPLES", 50_000)
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    for k in range(1500):
        hub.publish(Envelope("dev", block(k * 100, 100)))
    hub.publish(Envelope("dev", hello()))
    _wait(lambda: "dev" in rec.paths_by_source)
    (path,) = rec.stop()
    info = inspect_dict(path)
    assert info["samples"] == 50_000 and info["samples_missing"] == 100_000
    assert info["samples"] + info["samples_missing"] == 150_000
    assert info["events"].get("pre-hello-overflow") == 1


@pytest.mark.timeout(60)
def test_csm_log_of_a_replay_stores_or_counts_every_sample(no_records, tmp_path: Path) -> None:
    wire = b"".join(m.encode_message(block(k * 100, 100), k) for k in range(1500))
    wire += m.encode_message(hello(), 1500) + m.encode_message(block(150_000, 100), 1501)
    capture = tmp_path / "capture.bin"
    capture.write_bytes(wire)
    out = subprocess.run([*CSM, "log", f"replay:{capture}", "--out", str(tmp_path / "out"), "--duration", "5",
                          "--calibrations", str(no_records)], capture_output=True, text=True, timeout=50)
    (path,) = [Path(p) for p in out.stdout.split()]
    info = inspect_dict(path)
    assert info["samples"] + info["samples_missing"] == 150_100
    assert info["samples"] == 150_100


# ---- 5. a reset during a cable pull: the new boot's samples before its first block are lost -------

def _reader() -> tuple[DeviceReader, Hub]:
    hub = Hub()
    return DeviceReader("loop://", "dev", hub, reconnect=False, sync_time=False), hub


def test_a_reset_during_a_cable_pull_counts_the_samples_the_new_boot_lost() -> None:
    reader, _hub = _reader()
    seq = 980  # joined a device that had been up a while
    wire = m.encode_message(hello(), seq)
    for k in range(20):
        seq += 1
        wire += m.encode_message(block(k * 1000, 1000), seq)
    reader.process(wire)
    # Cable out; the device resets, counts 21,695 samples (and sends ~400 frames) into the void; cable in.
    boot2 = dataclasses.replace(hello(), boot_count=2)
    reader.process(m.encode_message(boot2, 400) + m.encode_message(block(21_695, 1000), 401))
    st = reader.stats
    assert st.device_resets == 1
    assert st.samples_lost == 21_695
    assert st.frames_lost == 400


def test_a_reset_seen_only_as_a_counter_going_back_is_counted_once() -> None:
    reader, _hub = _reader()
    wire = m.encode_message(hello(), 0) + b"".join(m.encode_message(block(k * 1000, 1000), k + 1)
                                                   for k in range(20))
    boot2 = dataclasses.replace(hello(), boot_count=2)
    wire += m.encode_message(block(5_000, 1000), 300) + m.encode_message(boot2, 301)
    wire += m.encode_message(block(6_000, 1000), 302)
    reader.process(wire)
    assert reader.stats.samples_lost == 5_000 and reader.stats.device_resets == 1


def test_the_session_file_counts_the_samples_a_reset_during_a_pull_lost(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    hub.publish(Envelope("dev", hello()))
    for k in range(20):
        hub.publish(Envelope("dev", block(k * 1000, 1000)))
    boot2 = dataclasses.replace(hello(), boot_count=2)
    hub.publish(Envelope("dev", boot2))
    hub.publish(Envelope("dev", block(21_695, 1000)))
    time.sleep(0.3)
    (path,) = rec.stop()
    with Session(path) as s:
        g = s.table("gaps")
        assert g["reset"].tolist() == [1] and g["missing"].tolist() == [21_695]
        assert g["expected_sample"].tolist() == [20_000] and g["next_sample"].tolist() == [21_695]
    assert inspect_dict(path)["samples_missing"] == 21_695


# ---- issue 12: notes before a file opens, errors as they happen -----------------------------------

def test_a_note_typed_before_the_devices_file_opens_is_stored_when_it_opens(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    rec.add_annotation("panel cleaned", t_utc_ns=1_800_000_000_000_000_000)
    rec.add_annotation("only for dev", t_utc_ns=1_800_000_000_000_000_001, source="dev")
    time.sleep(0.2)
    hub.publish(Envelope("dev", hello()))
    hub.publish(Envelope("dev", block(0, 100)))
    time.sleep(0.3)
    (path,) = rec.stop()
    with Session(path) as s:
        assert [a["text"] for a in s.annotations()] == ["panel cleaned", "only for dev"]


def test_an_error_inside_the_writer_is_a_storage_event_on_the_hub_at_once(tmp_path: Path, monkeypatch) -> None:
    hub = Hub()
    events = hub.subscribe([LinkEvent])
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05).start()
    hub.publish(Envelope("dev", hello()))
    _wait(lambda: "dev" in rec.files)
    monkeypatch.setattr(rec.files["dev"], "add_checkpoint", lambda *a: 1 / 0)
    hub.publish(Envelope("dev", checkpoint(1, 5)))
    _wait(lambda: any(e.record.kind == "storage" and "ZeroDivisionError" in e.record.message
                      for e in events.drain()), timeout=5)
    (path,) = rec.stop()  # the recorder is still running and closes the file normally
    with Session(path) as s:
        assert s.complete
        assert any("ZeroDivisionError" in e["message"] for e in s.events() if e["kind"] == "storage")


def test_the_sample_index_of_a_crash_cut_tail_reads_back_through_the_session(tmp_path: Path) -> None:
    """A crashed file keeps its newest rows in /samples_tail: every reader sees them in order."""
    code = f"""
import sys, os, signal
sys.path.insert(0, {str(HERE)!r})
from session_records import block, hello
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.session_file import SessionFile
h = hello()
f = SessionFile(__import__("pathlib").Path(sys.argv[1]), source="c", hello=h,
                conversion=Conversion.factory(h.v_lsb, h.i_lsb), profile="", region="", chunk_rows=4096)
for k in range(25):
    f.add_block(block(k * 700, 700), 0, 0)
    if k % 3 == 2:
        f.flush()
f.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""
    path = tmp_path / "t.h5"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=60)
    with Session(path) as s:
        assert s.swmr and s.rows() == 17_500
        assert np.array_equal(s.read(["sample_index"])["sample_index"], np.arange(17_500))
    repair(path)
    with Session(path) as s:
        assert not s.swmr and s.h5["samples"]["sample_index"].shape == (17_500,)
        assert np.array_equal(s.h5["samples"]["sample_index"][:], np.arange(17_500))


def test_a_burst_of_one_error_is_reported_once_with_its_count_and_nothing_goes_unsaid(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    hub = Hub()
    events = hub.subscribe([LinkEvent])
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05).start()
    hub.publish(Envelope("dev", hello()))
    _wait(lambda: "dev" in rec.files)
    monkeypatch.setattr(rec.files["dev"], "add_checkpoint", lambda *a: 1 / 0)
    for k in range(50):
        hub.publish(Envelope("dev", checkpoint(k + 1, 5)))
    time.sleep(1.5)
    rec.stop()
    counts = [e.record.count for e in events.drain() if e.record.kind == "storage"]
    assert sum(counts) == 50 and len(counts) <= 3
