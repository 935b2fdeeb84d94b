"""The C firmware, booted in QEMU, read through a real pty with pyserial and the desktop decoder."""

from __future__ import annotations

import itertools
import time

import pytest

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.reader import DeviceReader
from carbon_smart_meter.devices.firmware_emulator import EmulatedAdapter
from carbon_smart_meter.devices.identity import DEV_MANUFACTURER, FIRMWARE_DEVICE
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.signing import (
    CHAIN_KIND_EVM,
    deployment_id,
    keccak256,
    recover_address,
)

pytestmark = pytest.mark.qemu

DEV_DEVICE = FIRMWARE_DEVICE
# Factory scales of the firmware (INA228 VBUS 1/5120 V, CURRENT_LSB 10 uA): code-ns per mWh.
Q = 3_600_000_000 * 5120 * 100_000


def host_energy_mwh(blocks: list[m.SampleBlock]) -> int:
    """PROTOCOL.md section 5 recomputed with Python integers: floor(sum max(0, v*i) * period / q)."""
    total = 0
    for b in blocks:
        p = b.voltage_codes.astype("int64") * b.current_codes.astype("int64")
        total += int(p[p > 0].sum()) * b.period_ns
    return total // Q


def chain_until(blocks: list[m.SampleBlock], head: bytes = bytes(32)) -> bytes:
    for b in blocks:
        head = keccak256(head + b.payload)
    return head


def test_stream_from_reset_is_clean_contiguous_and_verifiable(boot) -> None:
    emu, s = boot()
    s.pump(2.0)
    s.send(m.RequestCheckpoint())
    ck = s.wait_for(lambda x: isinstance(x, m.Checkpoint))
    s.pump(0.3)

    assert s.decoder.stats.bad_frames == 0 and s.decoder.stats.bytes_discarded == 0
    assert [f.seq for f in s.frames] == list(range(len(s.frames)))
    reset, hello = s.messages[0], s.messages[1]
    assert isinstance(reset, m.Event) and reset.code == m.EventCode.RESET and reset.arg1 == 1
    assert isinstance(hello, m.Hello) and hello.device == DEV_DEVICE.address
    assert hello.flags & m.HELLO_FLAG_SIMULATED and hello.boot_count == 1 and hello.sample_rate_hz == 1000
    assert (hello.v_lsb, hello.i_lsb, hello.rated_power_w) == (1 / 5120, 1e-5, 50)
    att = hello.attestation_message
    assert att.device == DEV_DEVICE.address and (att.rated_power_w, att.hw_class, att.serial) == (50, 1, 1)
    assert recover_address(hello.attestation, hello.attestation_signature) == DEV_MANUFACTURER.address

    blocks = s.of(m.SampleBlock)
    assert blocks[0].first_sample == 0
    assert all(b.first_sample == a.end_sample for a, b in itertools.pairwise(blocks))
    assert all(b.period_ns == 1_000_000 for b in blocks)
    before = [b for b in blocks if s.messages.index(b) < s.messages.index(ck)]
    assert recover_address(ck.message_bytes, ck.signature) == DEV_DEVICE.address
    assert ck.message.seq == 1 and ck.message.deployment_id == bytes(32)
    assert ck.message.chain_head == chain_until(before)
    assert ck.message.energy_mwh == host_energy_mwh(before) > 0
    emu.stop()


def test_commands_are_answered_and_take_effect(boot) -> None:
    _emu, s = boot()
    s.pump(0.5)
    seq = s.send(m.SetRate(2000))
    ack = s.wait_for(lambda x: isinstance(x, m.Ack) and x.command_seq == seq)
    assert ack.command_type == m.T_SET_RATE and ack.status == 0
    changed = s.wait_for(lambda x: isinstance(x, m.Event) and x.code == m.EventCode.RATE_CHANGED)
    assert (changed.arg0, changed.arg1) == (2000, 1000)
    fast = s.wait_for(lambda x: isinstance(x, m.SampleBlock) and x.period_ns == 500_000)
    assert fast.count == 200

    bad = s.send(m.SetRate(0))
    assert s.wait_for(lambda x: isinstance(x, m.Ack) and x.command_seq == bad).status == 2
    unknown = s.send(m.GetInfo())  # a device must answer GET_INFO with HELLO, not an ACK
    s.wait_for(lambda x: isinstance(x, m.Hello) and x.sample_rate_hz == 2000)
    assert not [x for x in s.of(m.Ack) if x.command_seq == unknown]

    now_us = time.time_ns() // 1000
    sync = s.send(m.TimeSync(now_us))
    assert s.wait_for(lambda x: isinstance(x, m.Ack) and x.command_seq == sync).status == 0
    s.wait_for(lambda x: isinstance(x, m.Event) and x.code == m.EventCode.TIME_SYNCED)
    synced = s.wait_for(lambda x: isinstance(x, m.SampleBlock) and x.flags & m.BLOCK_FLAG_TIME_SYNCED)
    assert abs(synced.t0_us - now_us) < 5_000_000

    wallet = bytes(12) + bytes.fromhex("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")
    dep = deployment_id(CHAIN_KIND_EVM, 31337, bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3"))
    s.send(m.BindRequest(wallet, dep, 554))
    bound = s.wait_for(lambda x: isinstance(x, m.BindSignature))
    assert recover_address(bound.message.encode(), bound.signature) == DEV_DEVICE.address
    assert (bound.message.wallet, bound.message.deployment_id, bound.message.region) == (wallet, dep, 554)
    assert bound.message.seq == 1 and abs(bound.message.device_time - now_us // 1_000_000) < 5
    s.send(m.RequestCheckpoint())
    ck = s.wait_for(lambda x: isinstance(x, m.Checkpoint))
    assert ck.message.seq == 2 and ck.message.deployment_id == dep
    assert ck.message.energy_mwh >= bound.message.energy_mwh

    s.send(m.GetInfo())
    s.serial.write(m.encode_frame(0x9A, 99, b""))  # a command type the device does not know
    assert s.wait_for(lambda x: isinstance(x, m.Ack) and x.command_type == 0x9A).status == 4
    assert s.decoder.stats.bad_frames == 0 and s.decoder.stats.frames_lost == 0


def test_checkpoint_seq_and_energy_survive_a_restart(boot, tmp_path) -> None:
    state = tmp_path / "adapter"
    emu, s = boot(state_dir=state)
    s.pump(1.0)
    s.send(m.RequestCheckpoint())
    first = s.wait_for(lambda x: isinstance(x, m.Checkpoint)).message
    s.close()
    emu.stop()
    assert (state / "csm-flash.bin").stat().st_size == 4096

    _emu2, s2 = boot(state_dir=state)
    hello = s2.wait_for(lambda x: isinstance(x, m.Hello))
    assert hello.boot_count == 2 and hello.checkpoint_seq == first.seq
    s2.send(m.RequestCheckpoint())
    second = s2.wait_for(lambda x: isinstance(x, m.Checkpoint)).message
    assert second.seq == first.seq + 1
    assert second.energy_mwh >= first.energy_mwh
    # the chain restarts at zero with the new boot
    assert second.chain_head == chain_until(s2.of(m.SampleBlock)[: _blocks_before(s2, second)])


def _blocks_before(s, checkpoint_message) -> int:
    idx = next(i for i, x in enumerate(s.messages) if isinstance(x, m.Checkpoint) and x.message == checkpoint_message)
    return sum(1 for x in s.messages[:idx] if isinstance(x, m.SampleBlock))


def test_the_desktop_reader_records_the_emulated_adapter_without_loss(firmware_elf, tmp_path) -> None:
    hub = Hub()
    sub = hub.subscribe(name="test")
    records: list = []

    def collect(until, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and not until():
            env = sub.get(timeout=0.2)
            if env is not None:
                records.append(env.record)

    with EmulatedAdapter(firmware_elf, state_dir=tmp_path / "state", paused=True) as emu:
        reader = DeviceReader(emu.port, "fw", hub, reconnect=False).start()
        # the reader sends TIME_SYNC and GET_INFO as it connects: they wait in the pty until boot
        collect(lambda: reader.stats.connected, 5)
        emu.resume()
        collect(lambda: sum(isinstance(r, m.SampleBlock) for r in records) >= 20, 15)
        reader.send(m.RequestCheckpoint())
        collect(lambda: any(isinstance(r, m.Checkpoint) for r in records), 5)
        reader.stop()
    st = reader.stats
    assert st.crc_errors == 0 and st.cobs_errors == 0 and st.bad_length == 0
    assert st.frames_lost == 0 and st.samples_lost == 0 and st.blocks >= 20
    assert reader.hello is not None and reader.hello.device == DEV_DEVICE.address
    assert reader.hello.flags & m.HELLO_FLAG_TIME_SYNCED
    ck = next(r for r in records if isinstance(r, m.Checkpoint))
    assert recover_address(ck.message_bytes, ck.signature) == DEV_DEVICE.address
    assert abs(ck.message.device_time - time.time()) < 30
    assert any(isinstance(r, m.Event) and r.code == m.EventCode.TIME_SYNCED for r in records)
