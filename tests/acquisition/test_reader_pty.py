"""End to end through a real pseudo-terminal and pyserial: simulator -> reader -> hub.

The invariant under test: everything the device sent is either received or counted as lost, exactly.
"""

import itertools
import os
import time

import pytest

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.reader import DeviceReader
from carbon_smart_meter.acquisition.records import LinkEvent, LinkEventKind
from carbon_smart_meter.acquisition.session import Acquisition
from carbon_smart_meter.devices.simulator import SimulatedAdapter
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.messages import encode_message
from carbon_smart_meter.protocol.signing import recover_address


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    raise AssertionError("condition not reached in time")


def run_session(seconds: float, **sim_kwargs):
    sim = SimulatedAdapter(**sim_kwargs).open()
    acq = Acquisition()
    sub = acq.hub.subscribe(maxsize=1_000_000)
    source = acq.add_device(sim.port, sync_time=False)
    wait_until(lambda: acq.stats(source).connected)
    sim.start()
    time.sleep(seconds)
    sim.stop()
    wait_until(lambda: acq.stats(source).frames + acq.stats(source).frames_lost >= sim.stats.frames_sent)
    stats = acq.stats(source)
    acq.stop()
    sim.close()
    return sim, stats, sub.drain()


def test_a_clean_link_delivers_every_frame_and_sample():
    sim, st, records = run_session(1.5, rate=2000, speed=20, checkpoint_interval_s=5)
    assert st.frames == sim.stats.frames_sent
    assert st.samples == sim.stats.samples_sent > 0
    assert st.frames_lost == st.samples_lost == st.crc_errors == st.bytes_discarded == 0
    blocks = [e.record for e in records if isinstance(e.record, m.SampleBlock)]
    assert all(b.first_sample == a.end_sample for a, b in itertools.pairwise(blocks))


def test_checkpoints_from_the_simulator_verify_and_chain_over_the_blocks():
    from carbon_smart_meter.protocol.signing import keccak256

    sim, _st, records = run_session(1.5, rate=1000, speed=60, checkpoint_interval_s=10)
    head = bytes(32)
    checked = 0
    for env in records:
        rec = env.record
        if isinstance(rec, m.SampleBlock):
            head = keccak256(head + rec.payload)
        elif isinstance(rec, m.Checkpoint):
            assert recover_address(rec.message_bytes, rec.signature) == sim.address
            assert rec.message.chain_head == head
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("faults", ["corrupt=0.02", "drop=0.02", "corrupt=0.01,drop=0.01"])
def test_corrupted_and_dropped_bytes_are_counted_exactly(faults):
    sim, st, _ = run_session(2.0, rate=2000, speed=10, faults=faults, seed=3)
    assert sim.stats.frames_corrupted + sim.stats.frames_damaged_by_drop > 0
    assert st.frames + st.frames_lost == sim.stats.frames_sent
    assert st.samples + st.samples_lost == sim.stats.samples_sent
    assert st.corrupt_frames > 0


def test_loss_events_reach_subscribers_with_counts():
    _sim, st, records = run_session(1.5, rate=2000, speed=10, faults="corrupt=0.05", seed=5)
    events = [e.record for e in records if isinstance(e.record, LinkEvent)]
    gap_total = sum(e.count for e in events if e.kind == LinkEventKind.SAMPLE_GAP)
    assert gap_total == st.samples_lost > 0
    assert any(e.kind == LinkEventKind.CORRUPT_FRAMES for e in events)


def test_a_device_reset_restarts_sequences_without_counting_false_losses():
    sim, st, _records = run_session(2.5, rate=1000, speed=10, faults="reset=1.0", seed=7)
    assert sim.stats.resets >= 2
    assert st.device_resets == sim.stats.resets
    assert st.samples_lost == 0 and st.crc_errors == 0


def test_a_pulled_cable_is_reported_and_the_reader_reconnects(tmp_path):
    link = tmp_path / "adapter"
    sim = SimulatedAdapter(rate=1000, speed=5, faults="disconnect=1.5:0.3", link=link, seed=9).open()
    acq = Acquisition()
    events = acq.hub.subscribe([LinkEvent])
    source = acq.add_device(str(link), sync_time=False)
    wait_until(lambda: acq.stats(source).connected)
    sim.start()
    wait_until(lambda: acq.stats(source).reconnects >= 1 and acq.stats(source).connected, timeout=15)
    time.sleep(0.2)
    sim.stop()  # well before the next pull at 3.0 s
    wait_until(lambda: acq.stats(source).frames + acq.stats(source).frames_lost
               >= sim.stats.frames_sent + sim.stats.frames_lost_offline)
    st = acq.stats(source)
    kinds = {e.record.kind for e in events.drain()}
    acq.stop()
    sim.close()
    assert {LinkEventKind.DISCONNECTED, LinkEventKind.CONNECTED} <= kinds
    assert st.disconnects >= 1 and st.reconnects >= 1
    # Samples measured while unplugged are counted as lost, exactly.
    assert st.samples + st.samples_lost == sim.stats.samples_sent + sim.stats.samples_lost_offline


def test_a_port_that_never_existed_is_reported_not_raised():
    acq = Acquisition(reconnect=False)
    events = acq.hub.subscribe([LinkEvent])
    acq.add_device("/dev/does-not-exist-csm")
    env = events.get(timeout=5)
    acq.stop()
    assert env is not None and env.record.kind == LinkEventKind.PORT_MISSING
    assert "does-not-exist" in env.record.message


def test_commands_are_answered_over_the_same_link():
    sim = SimulatedAdapter(rate=100, speed=1).open()
    acq = Acquisition()
    sub = acq.hub.subscribe([m.Checkpoint, m.Ack, m.BindSignature])
    source = acq.add_device(sim.port, sync_time=False)
    wait_until(lambda: acq.stats(source).connected)
    sim.start()
    assert acq.send(source, m.RequestCheckpoint())
    assert acq.send(source, m.SetRate(50_001))
    assert acq.send(source, m.BindRequest(bytes(12) + b"\x11" * 20, b"\x22" * 32, 554))
    got = []
    deadline = time.monotonic() + 5
    while len(got) < 3 and time.monotonic() < deadline:
        env = sub.get(timeout=0.2)
        if env:
            got.append(env.record)
    acq.stop()
    sim.close()
    kinds = {type(r) for r in got}
    assert kinds == {m.Checkpoint, m.Ack, m.BindSignature}
    ack = next(r for r in got if isinstance(r, m.Ack))
    assert (ack.command_type, ack.status) == (m.T_SET_RATE, 2)
    bind = next(r for r in got if isinstance(r, m.BindSignature))
    assert recover_address(bind.message.encode(), bind.signature) == sim.address
    assert bind.message.region == 554 and bind.message.deployment_id == b"\x22" * 32


def test_a_frame_cut_by_a_pulled_cable_does_not_swallow_the_first_frame_after_replugging(tmp_path):
    """A device that vanishes mid-frame (QEMU stopped, USB pulled while transmitting) leaves the start
    of a frame in the decoder. Its new boot's first frame (the RESET event) follows no delimiter, so
    the two must not be decoded as one corrupt frame: the stale bytes are discarded at reconnect."""
    link = tmp_path / "adapter"

    def plug() -> int:
        master, slave = os.openpty()
        tmp = tmp_path / "adapter.tmp"
        tmp.symlink_to(os.ttyname(slave))
        os.replace(tmp, link)
        os.close(slave)
        return master

    hub = Hub()
    sub = hub.subscribe(maxsize=10_000)
    master = plug()
    reader = DeviceReader(str(link), "dev", hub, sync_time=False, backoff=(0.05, 0.2)).start()
    try:
        wait_until(lambda: reader.stats.connected)
        before = m.Event(m.EventCode.RESET, 0, 0, 1, 0)
        os.write(master, encode_message(before, 0))
        cut = encode_message(m.Event(m.EventCode.RESET, 0, 0, 1, 1), 1)
        os.write(master, cut[: len(cut) // 2])  # the cable is pulled while this frame is on the wire
        wait_until(lambda: reader.stats.bytes_in == len(encode_message(before, 0)) + len(cut) // 2)
        os.close(master)
        wait_until(lambda: not reader.stats.connected)
        master = plug()
        wait_until(lambda: reader.stats.connected)
        reset = m.Event(m.EventCode.RESET, 0, 0, 2, 2)
        os.write(master, encode_message(reset, 0))
        wait_until(lambda: reader.stats.frames == 2)
    finally:
        reader.stop()
        os.close(master)
    events = [e.record for e in sub.drain() if isinstance(e.record, m.Event)]
    assert events == [before, reset]
    assert reader.stats.corrupt_frames == 0
    assert reader.stats.bytes_discarded == len(cut) // 2
