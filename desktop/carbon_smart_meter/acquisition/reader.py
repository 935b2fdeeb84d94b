"""One reader thread per device: bytes -> frames -> typed records -> hub, with exact loss accounting.

The thread does nothing but read, decode and publish; it never waits on a subscriber (the hub drops
and counts instead) and never touches the disk or the UI. When the port disappears it publishes a
DISCONNECTED event and reopens the same path with backoff, so a re-plugged adapter (or a simulator
behind a stable symlink) resumes on its own.
"""

from __future__ import annotations

import contextlib
import threading
import time

import serial

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.link_stats import LinkStats
from carbon_smart_meter.acquisition.records import Envelope, LinkEventKind
from carbon_smart_meter.devices.serial_link import Link, ReplayLink, open_link
from carbon_smart_meter.errors import DeviceError, FrameError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import FrameDecoder

READ_CHUNK = 1 << 16
# A TIME_SYNC can be lost: bytes sent while a device boots may be flushed when it sets up its UART (seen
# with the QEMU adapter). Unsynced HELLOs after it make the reader send it again, this many times at most.
MAX_SYNC_ATTEMPTS = 3
_FRAME_COUNTERS = (("crc_errors", "crc_errors"), ("cobs_errors", "cobs_errors"),
                   ("too_short", "bad_length"), ("too_long", "bad_length"),
                   ("unsupported_version", "unsupported_version"))


class DeviceReader:
    def __init__(self, port: str, source: str, hub: Hub, reconnect: bool = True, sync_time: bool = True,
                 backoff: tuple[float, float] = (0.05, 2.0)) -> None:
        self.port = port
        self.source = source
        self.hub = hub
        self.reconnect = reconnect
        self.sync_time = sync_time
        self.backoff = backoff
        self.stats = LinkStats()
        self.hello: m.Hello | None = None
        self.decoder = FrameDecoder()
        self._link: Link | None = None
        self._tx_seq = 0
        self._tx_lock = threading.Lock()
        self._stop = threading.Event()
        self._expected_sample: int | None = None
        self._seen: dict[str, int] = {}
        self._boot: int | None = None
        self._reboot_pending = False  # a new boot count was seen: the next block starts a new counter
        self._reset_inferred = False  # a block went backwards before the new boot count was seen
        self._sync_outstanding = False  # a TIME_SYNC was sent and the device has not answered it yet
        self._unsynced_hellos = 0  # HELLOs without the synced flag since the last TIME_SYNC was sent
        self._sync_attempts = 0
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"reader-{source}", daemon=True)

    # ---- public ------------------------------------------------------------------------------
    def start(self) -> DeviceReader:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def send(self, message: m.Message) -> bool:
        """Send a command; False when the link is down (the caller decides whether to retry)."""
        with self._tx_lock:
            link = self._link
            if link is None:
                return False
            wire = m.encode_message(message, self._tx_seq)
            self._tx_seq = (self._tx_seq + 1) & 0xFFFFFFFF
            try:
                link.write(wire)
            except (serial.SerialException, OSError):
                return False
            return True

    # ---- thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        delay = self.backoff[0]
        announced_missing = False
        try:
            while not self._stop.is_set():
                try:
                    link = open_link(self.port)
                except DeviceError as exc:
                    if not self.reconnect:
                        self.hub.publish_event(self.source, LinkEventKind.PORT_MISSING, str(exc), severity=2)
                        return
                    if not announced_missing:
                        announced_missing = True
                        self.hub.publish_event(self.source, LinkEventKind.RECONNECTING,
                                               f"{self.port} is not there; waiting for it to come back")
                    self._stop.wait(delay)
                    delay = min(delay * 2, self.backoff[1])
                    continue
                delay, announced_missing = self.backoff[0], False
                if self.stats.disconnects:
                    self.stats.reconnects += 1
                self._on_connect(link)
                reason = self._pump(link)
                self._on_disconnect(link, reason)
                if reason == "eof" or not self.reconnect:
                    return
        finally:
            self.finished.set()

    def _on_connect(self, link: Link) -> None:
        with self._tx_lock:
            self._link = link
        self.stats.connected = True
        # The expected frame seq is kept: frames sent while unplugged show up as a gap, and a device
        # that rebooted meanwhile restarts at 0, which the decoder counts as a restart, not a loss.
        self.hub.publish_event(self.source, LinkEventKind.CONNECTED, f"connected to {self.port}", severity=0)
        self._sync_attempts = 0
        if self.sync_time:
            self._sync_clock()
        else:
            self.send(m.GetInfo())

    def _sync_clock(self) -> None:
        """Set the device clock to UTC, then ask for a HELLO: it answers after the TIME_SYNC, so its
        synced flag tells whether the TIME_SYNC arrived."""
        self._sync_outstanding, self._unsynced_hellos = True, 0
        self._sync_attempts += 1
        self.send(m.TimeSync(time.time_ns() // 1000))
        self.send(m.GetInfo())

    def _check_sync(self, hello: m.Hello, rebooted: bool) -> None:
        """Send TIME_SYNC again when a HELLO shows the device clock unsynced although it should not be:
        after a reboot (the device lost its time), when our TIME_SYNC was answered but did not take, or
        when the HELLO answering our GET_INFO (the second since the TIME_SYNC: the first may be the boot
        HELLO sent before the device read it) still says unsynced."""
        if hello.flags & m.HELLO_FLAG_TIME_SYNCED:
            self._sync_outstanding, self._sync_attempts = False, 0
            return
        self._unsynced_hellos += 1
        if rebooted:
            self._sync_attempts = 0
        elif self._sync_outstanding and self._unsynced_hellos < 2:
            return
        if self._sync_attempts >= MAX_SYNC_ATTEMPTS:
            if self._sync_attempts == MAX_SYNC_ATTEMPTS:
                self._sync_attempts += 1  # say it once
                self._report(LinkEventKind.TIME_SYNC, self._sync_attempts - 1,
                             "the device does not take TIME_SYNC: its times are counted from its boot", 1)
            return
        self._sync_clock()

    def _on_disconnect(self, link: Link, reason: str) -> None:
        with self._tx_lock:
            self._link = None
        with contextlib.suppress(serial.SerialException, OSError):
            link.close()
        self.stats.connected = False
        self.decoder.link_lost()
        self.stats.bytes_discarded = self.decoder.stats.bytes_discarded
        if reason == "lost":
            self.stats.disconnects += 1
            self.hub.publish_event(self.source, LinkEventKind.DISCONNECTED,
                                   f"{self.port} disappeared (cable pulled?); reconnecting", severity=2)

    def _pump(self, link: Link) -> str:
        while not self._stop.is_set():
            try:
                waiting = link.in_waiting
                data = link.read(min(max(waiting, 1), READ_CHUNK))
            except (serial.SerialException, OSError, TypeError, AttributeError):
                return "lost"
            if data:
                self.process(data)
            elif isinstance(link, ReplayLink) and link.eof:
                return "eof"
        return "stopped"

    # ---- decoding ----------------------------------------------------------------------------
    def process(self, data: bytes) -> None:
        """Decode one chunk and publish its records (public so tests and replays can drive it)."""
        received_ns, received_utc = time.monotonic_ns(), time.time_ns()
        frames = self.decoder.feed(data)
        st, ds = self.stats, self.decoder.stats
        st.bytes_in, st.bytes_discarded = ds.bytes_in, ds.bytes_discarded
        st.frames, st.frames_lost = ds.frames, ds.frames_lost
        for frame in frames:
            try:
                msg = m.decode_message(frame)
            except FrameError as exc:
                if exc.kind == "unknown_type":
                    st.unknown_type += 1
                    self._report(LinkEventKind.UNKNOWN_TYPE, st.unknown_type, str(exc), 0)
                else:
                    st.malformed += 1
                    self._report(LinkEventKind.MALFORMED, st.malformed, str(exc), 1)
                continue
            self._account(msg)
            self.hub.publish(Envelope(self.source, msg, received_ns, received_utc))
        for name, target in _FRAME_COUNTERS:
            value = getattr(ds, name)
            seen = self._seen.get(name, 0)
            if value != seen:
                self._seen[name] = value
                setattr(st, target, getattr(st, target) + value - seen)
                self._report(LinkEventKind.CORRUPT_FRAMES, value - seen,
                             f"{value - seen} frame(s) failed {name.replace('_', ' ')}; "
                             "stream resynchronised", 1)
        lost = ds.frames_lost - self._seen.get("frames_lost", 0)
        if lost:
            self._seen["frames_lost"] = ds.frames_lost
            self._report(LinkEventKind.FRAME_LOSS, lost, f"{lost} frame(s) missing from the sequence", 1)

    def _report(self, kind: str, count: int, message: str, severity: int) -> None:
        self.hub.publish_event(self.source, kind, message, count, severity)

    def _account(self, msg: m.Message) -> None:
        st = self.stats
        if isinstance(msg, m.SampleBlock):
            st.blocks += 1
            st.samples += msg.count
            expected, first = self._expected_sample, msg.first_sample
            gap, text = 0, ""
            if self._reboot_pending or (expected is not None and first < expected):
                # A new boot counts from 0: the samples it counted before this block never arrived (the
                # device reset while the cable was out, say). What the old boot sent last is unknowable.
                if not self._reboot_pending:
                    self._reset_inferred = True  # its HELLO (with the new boot count) may still come
                self._reboot_pending = False
                gap, text = first, f"{first} samples lost: the device restarted and counted them before " \
                                   f"its first block that arrived"
            elif expected is not None and first > expected:
                gap, text = first - expected, f"{first - expected} samples lost before sample {first}"
            if gap:
                st.sample_gaps += 1
                st.samples_lost += gap
                self._report(LinkEventKind.SAMPLE_GAP, gap, text, 1)
            self._expected_sample = msg.end_sample
        elif isinstance(msg, m.Hello):
            rebooted = self._note_boot(msg.boot_count, "device rebooted")
            self.hello = msg
            if self.sync_time:
                self._check_sync(msg, rebooted)
        elif isinstance(msg, m.Ack) and msg.command_type == m.T_TIME_SYNC:
            self._sync_outstanding = False
        elif isinstance(msg, m.Checkpoint):
            st.checkpoints += 1
        elif isinstance(msg, m.Event):
            st.device_events += 1
            if msg.code == m.EventCode.TIME_SYNCED:
                self._sync_outstanding = False
            elif msg.code == m.EventCode.RESET:
                self._note_boot(msg.arg1, f"device reset (reason {msg.arg0})")
            elif msg.code == m.EventCode.TX_OVERFLOW:
                st.tx_overflow_frames += msg.arg0

    def _note_boot(self, boot_count: int, message: str) -> bool:
        """A new boot count means the device restarted: sample indices begin again at 0."""
        rebooted = self._boot is not None and boot_count != self._boot
        if rebooted:
            self.stats.device_resets += 1
            self.hub.publish_event(self.source, LinkEventKind.DEVICE_RESET,
                                   f"{message}: boot {self._boot} -> {boot_count}", severity=1)
            if not self._reset_inferred:
                self._reboot_pending = True
                self._expected_sample = None
        self._reset_inferred = False
        self._boot = boot_count
        return rebooted
