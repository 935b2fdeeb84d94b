"""One list of device scenarios, run against the Python simulator and the C firmware in QEMU alike.

Each scenario drives a device through the real host reader and asserts only what a host can observe
(PROTOCOL.md), so the two models cannot drift: a behaviour one of them changes breaks here for that
model. Deliberate differences, documented in devices/sim_device.py, are not asserted: the Python
clock starts on a chosen date and says "synced" from boot, its identity comes from its seed, and its
reset is a software reset where the firmware's restart is a power cycle (RESET reason 3 vs 0).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest
from tests.conformance.device_under_test import CHECKPOINT_INTERVAL_S, DeviceUnderTest, RawCommand

from carbon_smart_meter.devices.identity import DEV_MANUFACTURER
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.signing import CHAIN_KIND_EVM, deployment_id, keccak256, recover_address

WALLET = bytes(12) + bytes.fromhex("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")
DEPLOYMENT = deployment_id(CHAIN_KIND_EVM, 31337, bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3"))


def chain_over(blocks: list[m.SampleBlock]) -> bytes:
    head = bytes(32)
    for b in blocks:
        head = keccak256(head + b.payload)
    return head


def host_energy_mwh(blocks: list[m.SampleBlock], hello: m.Hello) -> float:
    """PROTOCOL.md section 5 recomputed from the received blocks: Σ max(0, v·i) · lsb · dt, in mWh."""
    total = 0
    for b in blocks:
        p = b.voltage_codes.astype("int64") * b.current_codes.astype("int64")
        total += int(p[p > 0].sum()) * b.period_ns
    return total * hello.v_lsb * hello.i_lsb * 1e-9 / 3.6


def blocks_of_this_boot_before(dut: DeviceUnderTest, record: object) -> list[m.SampleBlock]:
    """The blocks the device sent since its last boot and before `record` (the chain restarts at boot)."""
    index = next(i for i, r in enumerate(dut.records) if r is record)
    resets = [i for i, r in enumerate(dut.records[:index])
              if isinstance(r, m.Event) and r.code == m.EventCode.RESET]
    start = resets[-1] if resets else 0
    return [r for r in dut.records[start:index] if isinstance(r, m.SampleBlock)]


def assert_checkpoint_covers_what_was_sent(dut: DeviceUnderTest, ck: m.Checkpoint, hello: m.Hello,
                                           energy_before_boot_mwh: int = 0) -> None:
    blocks = blocks_of_this_boot_before(dut, ck)
    assert recover_address(ck.message_bytes, ck.signature) == hello.device
    assert ck.message.chain_head == chain_over(blocks)
    measured = host_energy_mwh(blocks, hello)
    assert abs(ck.message.energy_mwh - energy_before_boot_mwh - measured) <= 1.5  # PROTOCOL.md 5: 1 mWh + rounding


# ---- scenarios ----------------------------------------------------------------------------------


def boot_says_reset_then_hello_with_a_verifiable_attestation(dut: DeviceUnderTest) -> None:
    hello = dut.power_on()
    said = dut.device_records()
    reset, first_hello = said[0], said[1]
    assert isinstance(reset, m.Event) and reset.code == m.EventCode.RESET and reset.arg1 == hello.boot_count == 1
    assert first_hello is hello
    assert hello.flags & m.HELLO_FLAG_SIMULATED and not hello.flags & m.HELLO_FLAG_BOUND
    assert hello.sample_rate_hz == 1000 and hello.checkpoint_interval_s == CHECKPOINT_INTERVAL_S
    assert hello.checkpoint_seq == 0 and hello.deployment_id == bytes(32)
    att = hello.attestation_message
    assert att.device == hello.device and att.rated_power_w == hello.rated_power_w == 50
    assert recover_address(hello.attestation, hello.attestation_signature) == DEV_MANUFACTURER.address
    dut.wait_until(lambda: len(dut.of(m.SampleBlock)) >= 5)
    blocks = dut.of(m.SampleBlock)
    assert blocks[0].first_sample == 0
    assert all(b.first_sample == a.end_sample for a, b in itertools.pairwise(blocks))
    assert all(b.period_ns == 1_000_000 for b in blocks)
    assert dut.reader is not None and dut.reader.hello is not None and dut.reader.hello.device == hello.device


def time_sync_moves_the_clock_and_says_so(dut: DeviceUnderTest) -> None:
    dut.power_on()  # the reader sends TIME_SYNC and GET_INFO as it connects
    ack = dut.wait_for(m.Ack, lambda a: a.command_type == m.T_TIME_SYNC)
    assert ack.status == 0
    synced = dut.wait_for(m.Event, lambda e: e.code == m.EventCode.TIME_SYNCED)
    assert synced.severity == 0 and abs(synced.t_us / 1e6 - time.time()) < 5
    dut.wait_for(m.Hello, lambda h: bool(h.flags & m.HELLO_FLAG_TIME_SYNCED))
    after = dut.wait_for(m.SampleBlock, lambda b: dut.records.index(b) > dut.records.index(synced))
    assert after.flags & m.BLOCK_FLAG_TIME_SYNCED and abs(after.t0_us / 1e6 - time.time()) < 5
    assert dut.reader is not None and dut.reader.stats.malformed == 0


def checkpoints_come_on_schedule_and_on_request_covering_the_blocks_sent(dut: DeviceUnderTest) -> None:
    hello = dut.power_on()
    periodic = dut.wait_for(m.Checkpoint, timeout=CHECKPOINT_INTERVAL_S + 10)
    assert periodic.message.seq == 1 and periodic.message.deployment_id == bytes(32)
    assert_checkpoint_covers_what_was_sent(dut, periodic, hello)
    assert periodic.message.energy_mwh > 0
    dut.send(m.RequestCheckpoint())
    requested = dut.wait_for(m.Checkpoint)
    assert requested.message.seq == periodic.message.seq + 1
    assert requested.message.energy_mwh >= periodic.message.energy_mwh
    assert_checkpoint_covers_what_was_sent(dut, requested, hello)
    assert abs(requested.message.device_time - time.time()) < 5  # synced by the reader on connect


def a_bind_request_is_signed_and_binds_the_checkpoints_after_it(dut: DeviceUnderTest) -> None:
    hello = dut.power_on()
    dut.pump(0.5)
    dut.send(m.BindRequest(WALLET, DEPLOYMENT, 554))
    bind = dut.wait_for(m.BindSignature)
    assert recover_address(bind.message.encode(), bind.signature) == hello.device
    assert (bind.message.device, bind.message.wallet) == (hello.device, WALLET)
    assert (bind.message.deployment_id, bind.message.region) == (DEPLOYMENT, 554)
    assert bind.message.seq == hello.checkpoint_seq + 1  # the bind consumes a checkpoint seq
    assert abs(bind.message.device_time - time.time()) < 5
    dut.send(m.GetInfo())
    bound = dut.wait_for(m.Hello)
    assert bound.flags & m.HELLO_FLAG_BOUND and bound.deployment_id == DEPLOYMENT
    assert bound.checkpoint_seq == bind.message.seq
    dut.send(m.RequestCheckpoint())
    ck = dut.wait_for(m.Checkpoint)
    assert ck.message.deployment_id == DEPLOYMENT and ck.message.seq == bind.message.seq + 1
    assert ck.message.energy_mwh >= bind.message.energy_mwh


def a_link_too_slow_for_the_rate_drops_whole_frames_and_reports_them(dut: DeviceUnderTest) -> None:
    hello = dut.power_on()
    dut.send(m.SetRate(5000))  # 40 kB/s of samples into a 11.5 kB/s link
    assert dut.wait_for(m.Ack, lambda a: a.command_type == m.T_SET_RATE).status == 0
    changed = dut.wait_for(m.Event, lambda e: e.code == m.EventCode.RATE_CHANGED)
    assert (changed.arg0, changed.arg1) == (5000, 1000)
    overflow = dut.wait_for(m.Event, lambda e: e.code == m.EventCode.TX_OVERFLOW, timeout=20)
    assert overflow.severity == 1 and overflow.arg0 > 0 and overflow.arg1 > 0
    dut.send(m.SetRate(1000))
    dut.wait_for(m.Ack, lambda a: a.command_type == m.T_SET_RATE)
    reader = dut.reader
    assert reader is not None

    def reported() -> int:
        return sum(e.arg0 for e in dut.of(m.Event) if e.code == m.EventCode.TX_OVERFLOW)

    # Every frame the buffer dropped left a frame-seq gap and is counted in a TX_OVERFLOW (at most one a second).
    dut.wait_until(lambda: reader.stats.frames_lost > 0 and reported() == reader.stats.frames_lost, 20)
    assert reader.stats.samples_lost > 0 and reader.stats.crc_errors == 0
    dut.send(m.RequestCheckpoint())
    ck = dut.wait_for(m.Checkpoint, timeout=20)
    blocks = blocks_of_this_boot_before(dut, ck)
    assert ck.message.chain_head == chain_over(blocks)  # dropped blocks were never hashed ...
    assert ck.message.energy_mwh + 1.5 >= host_energy_mwh(blocks, hello)  # ... but their energy counts


def a_reset_restarts_the_counters_and_keeps_the_persistent_state(dut: DeviceUnderTest) -> None:
    hello = dut.power_on()
    dut.pump(0.5)
    dut.send(m.RequestCheckpoint())
    before = dut.wait_for(m.Checkpoint)
    dut.restart()
    reset = dut.wait_for(m.Event, lambda e: e.code == m.EventCode.RESET)
    assert reset.arg1 == hello.boot_count + 1
    again = dut.wait_for(m.Hello, lambda h: h.boot_count == hello.boot_count + 1)
    assert again.checkpoint_seq == before.message.seq and again.device == hello.device
    first = dut.wait_for(m.SampleBlock, lambda b: dut.records.index(b) > dut.records.index(reset))
    assert first.first_sample == 0
    reader = dut.reader
    assert reader is not None
    dut.wait_until(lambda: reader.stats.device_resets == 1)
    assert reader.stats.samples_lost == 0  # a new boot's samples start at 0: not a gap
    dut.send(m.RequestCheckpoint())
    after = dut.wait_for(m.Checkpoint)
    assert after.message.seq == before.message.seq + 1
    assert after.message.energy_mwh >= before.message.energy_mwh
    assert after.message.chain_head == chain_over(blocks_of_this_boot_before(dut, after))


def commands_it_cannot_perform_are_refused_with_the_protocol_status(dut: DeviceUnderTest) -> None:
    dut.power_on()
    dut.pump(0.3)
    dut.send(m.SetRate(0))
    assert dut.wait_for(m.Ack, lambda a: a.command_type == m.T_SET_RATE).status == 2  # bad value
    dut.send(RawCommand(0x9A))
    assert dut.wait_for(m.Ack, lambda a: a.command_type == 0x9A).status == 4  # not supported
    dut.send(RawCommand(m.T_GET_INFO, b"\x00"))
    assert dut.wait_for(m.Ack, lambda a: a.command_type == m.T_GET_INFO).status == 1  # bad length
    dut.send(RawCommand(m.T_HELLO))  # a device-to-host type echoed back: ignored
    dut.send(m.GetInfo())
    dut.wait_for(m.Hello)
    assert not [a for a in dut.of(m.Ack) if a.command_type == m.T_HELLO]


SCENARIOS: list[Callable[[DeviceUnderTest], None]] = [
    boot_says_reset_then_hello_with_a_verifiable_attestation,
    time_sync_moves_the_clock_and_says_so,
    checkpoints_come_on_schedule_and_on_request_covering_the_blocks_sent,
    a_bind_request_is_signed_and_binds_the_checkpoints_after_it,
    a_link_too_slow_for_the_rate_drops_whole_frames_and_reports_them,
    a_reset_restarts_the_counters_and_keeps_the_persistent_state,
    commands_it_cannot_perform_are_refused_with_the_protocol_status,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_device_model_conforms(scenario: Callable[[DeviceUnderTest], None], device: DeviceUnderTest) -> None:
    scenario(device)
