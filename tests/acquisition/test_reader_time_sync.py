"""The reader keeps the device clock on UTC: a TIME_SYNC that never took effect is sent again.

Bytes a host writes while a device boots can be flushed when the device sets up its UART (seen with the
QEMU adapter: the TIME_SYNC sent on connect vanished about one boot in six). The device answers commands
in order, so the HELLO answering the GET_INFO sent after the TIME_SYNC shows whether it took. These
tests drive the reader with frames built by hand and read back what it sent.
"""

from __future__ import annotations

import dataclasses

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.reader import MAX_SYNC_ATTEMPTS, DeviceReader
from carbon_smart_meter.acquisition.records import LinkEvent, LinkEventKind
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import FrameDecoder

BASE = m.Hello(device=bytes(range(20)), fw_version=(1, 0, 0), flags=m.HELLO_FLAG_SIMULATED, hw_version=1,
               hw_class=1, rated_power_w=50, sample_rate_hz=1000, v_lsb=1e-4, i_lsb=1e-4, calibration_id="",
               boot_count=1, checkpoint_seq=0, checkpoint_interval_s=60, deployment_id=bytes(32), uptime_us=0,
               attestation=bytes(47), attestation_signature=bytes(65))


class CapturingLink:
    def __init__(self) -> None:
        self.sent = bytearray()

    def write(self, data: bytes) -> int:
        self.sent += data
        return len(data)

    def close(self) -> None:
        pass


class Device:
    """The device side of the conversation: frames to feed the reader, and the commands it received."""

    def __init__(self) -> None:
        self.hub = Hub()
        self.events = self.hub.subscribe((LinkEvent,), name="test")
        self.reader = DeviceReader("/dev/null", "dev", self.hub, reconnect=False)
        self.link = CapturingLink()
        self.seq = 0
        self.reader._on_connect(self.link)

    def says(self, *messages) -> None:
        for msg in messages:
            self.reader.process(m.encode_message(msg, self.seq))
            self.seq += 1

    def commands(self) -> list[type]:
        return [type(m.decode_message(f)) for f in FrameDecoder().feed(bytes(self.link.sent))]


def hello(synced: bool, boot: int = 1) -> m.Hello:
    flags = BASE.flags | (m.HELLO_FLAG_TIME_SYNCED if synced else 0)
    return dataclasses.replace(BASE, flags=flags, boot_count=boot)


ACK_SYNC = m.Ack(m.T_TIME_SYNC, 0, 0)


def test_a_normal_connect_syncs_once_even_though_the_boot_hello_comes_first():
    dev = Device()
    dev.says(hello(synced=False), ACK_SYNC, hello(synced=True))
    assert dev.commands() == [m.TimeSync, m.GetInfo]


def test_a_time_sync_lost_while_the_device_booted_is_sent_again():
    dev = Device()
    dev.says(hello(synced=False))  # the boot HELLO: the device may not have read the TIME_SYNC yet
    assert dev.commands() == [m.TimeSync, m.GetInfo]
    dev.says(hello(synced=False))  # the answer to GET_INFO, and no ACK: the TIME_SYNC never arrived
    assert dev.commands() == [m.TimeSync, m.GetInfo, m.TimeSync, m.GetInfo]
    dev.says(ACK_SYNC, hello(synced=True))
    assert dev.commands() == [m.TimeSync, m.GetInfo, m.TimeSync, m.GetInfo]
    assert dev.reader.hello.flags & m.HELLO_FLAG_TIME_SYNCED


def test_a_device_that_rebooted_is_synced_again_at_once():
    dev = Device()
    dev.says(hello(synced=False), ACK_SYNC, hello(synced=True))
    dev.says(hello(synced=False, boot=2))
    assert dev.commands() == [m.TimeSync, m.GetInfo, m.TimeSync, m.GetInfo]
    assert dev.reader.stats.device_resets == 1


def test_a_device_that_never_takes_time_sync_is_asked_a_bounded_number_of_times_and_reported():
    dev = Device()
    for _ in range(10):
        dev.says(ACK_SYNC, hello(synced=False))
    assert dev.commands().count(m.TimeSync) == MAX_SYNC_ATTEMPTS
    reports = [e.record for e in dev.events.drain() if e.record.kind == LinkEventKind.TIME_SYNC]
    assert len(reports) == 1 and "does not take TIME_SYNC" in reports[0].message
