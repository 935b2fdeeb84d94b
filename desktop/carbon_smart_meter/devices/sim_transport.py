"""The simulated adapter's transport: frame seq, a bounded transmit buffer, and the pty the host opens.

Like the firmware's (firmware/src/core/txbuf.c and the UART link) the transmit buffer is bounded: when
nobody reads, or the link is slower than the data, whole frames are dropped, each still consuming a
frame seq so the host sees the gap, and an EVENT TX_OVERFLOW says how many frames and payload bytes
were lost, at most once a second and only when there is room for it (PROTOCOL.md 3.4). A dropped
frame is not taken, so the device model does not hash it. `bytes_per_s` paces the output like a UART
at that speed (None: as fast as the pty takes it). While the cable is out the device keeps sending
and everything is lost; the pty (and a `--link` symlink to it) comes back on reconnect.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from carbon_smart_meter.devices.faults import LineNoise
from carbon_smart_meter.devices.pty_link import PtyPair
from carbon_smart_meter.devices.sim_device import SimulatorStats
from carbon_smart_meter.protocol import messages as m

TX_BUFFER_BYTES = 256 * 1024
# TX space sample blocks may not use, so ACKs, EVENTs and signed answers are not lost to a flood of
# samples (the firmware's CSM_CONTROL_RESERVE, firmware/include/csm/device.h).
CONTROL_RESERVE = 512
OVERFLOW_REPORT_EVERY_S = 1.0
_EVENT_WIRE_MAX = 64  # an encoded EVENT frame, with room to spare
_BURST_S = 0.05  # a paced link may catch up on at most this much idle time at once


class PtyTransport:
    def __init__(self, stats: SimulatorStats, noise: LineNoise, device_time_us: Callable[[], int], *,
                 link: str | Path | None = None, buffer_bytes: int = TX_BUFFER_BYTES,
                 bytes_per_s: float | None = None) -> None:
        self.stats = stats
        self.noise = noise
        self.device_time_us = device_time_us
        self.link = Path(link) if link else None
        self.buffer_bytes = buffer_bytes
        self.bytes_per_s = bytes_per_s
        self.frame_seq = 0
        self.online = True
        self._pty: PtyPair | None = None
        self._tx = bytearray()
        self._lock = threading.Lock()
        self._dropped = [0, 0]  # frames, payload bytes not yet reported
        self._next_report = 0.0
        self._credit = 0.0
        self._paced_at = time.monotonic()

    # ---- the port ------------------------------------------------------------------------------
    @property
    def port(self) -> str:
        """The path a host opens: the stable symlink when one was asked for, else the pty itself."""
        assert self._pty is not None, "open() the transport first"
        return str(self.link) if self.link else self._pty.path

    @property
    def is_open(self) -> bool:
        return self._pty is not None

    def open(self) -> None:
        if self._pty is None:
            self._pty = PtyPair(self.link)

    def close(self) -> None:
        if self._pty is not None:
            self._pty.close(remove_link=True)
            self._pty = None

    def unplug(self) -> None:
        """Pull the cable: the pty vanishes, and what is queued or sent until `plug()` is lost."""
        self.stats.disconnects += 1
        self.close()
        self.online = False
        with self._lock:
            self._tx.clear()

    def plug(self) -> None:
        self.open()
        self.online = True

    # ---- sending -------------------------------------------------------------------------------
    def restart_sequence(self) -> None:
        """A boot: frame seq starts at 0 again. Frames already queued were on the wire and stay."""
        with self._lock:
            self.frame_seq = 0

    def send(self, message: m.Message) -> bool:
        with self._lock:
            wire = m.encode_message(message, self.frame_seq)
            self.frame_seq = (self.frame_seq + 1) & 0xFFFFFFFF
            if not self.online:
                self.stats.frames_lost_offline += 1
                if isinstance(message, m.SampleBlock):
                    self.stats.samples_lost_offline += message.count
                return False
            reserve = CONTROL_RESERVE if isinstance(message, m.SampleBlock) else 0
            if len(self._tx) + len(wire) + reserve > self.buffer_bytes:
                self.stats.frames_overflowed += 1
                self._dropped[0] += 1
                self._dropped[1] += len(message.encode_payload())
                if isinstance(message, m.SampleBlock):
                    self.stats.samples_overflowed += message.count
                return False
            self._account(message)
            self._tx += self.noise.apply(wire)
            self.stats.frames_corrupted = self.noise.corrupted
            self.stats.frames_damaged_by_drop = self.noise.damaged_by_drop
            self._report_overflow()
            return True

    def _report_overflow(self) -> None:
        """Caller holds the lock."""
        now = time.monotonic()
        if not self._dropped[0] or now < self._next_report or len(self._tx) + _EVENT_WIRE_MAX > self.buffer_bytes:
            return
        self._next_report = now + OVERFLOW_REPORT_EVERY_S
        frames, nbytes = self._dropped
        self._dropped = [0, 0]
        ev = m.Event(m.EventCode.TX_OVERFLOW, 1, frames, nbytes, self.device_time_us())
        self._account(ev)
        self._tx += m.encode_message(ev, self.frame_seq)
        self.frame_seq = (self.frame_seq + 1) & 0xFFFFFFFF

    def _account(self, message: m.Message) -> None:
        st = self.stats
        st.frames_sent += 1
        name = type(message).__name__
        st.by_type[name] = st.by_type.get(name, 0) + 1
        if isinstance(message, m.SampleBlock):
            st.blocks_sent += 1
            st.samples_sent += message.count

    @property
    def queued(self) -> int:
        return len(self._tx)

    def flush(self) -> None:
        """Hand what the link can take now to the pty (never blocks)."""
        if self._pty is None:
            return
        with self._lock:
            self._report_overflow()
            if not self._tx:
                return
            allowed = len(self._tx)
            out: bytes | bytearray = self._tx
            if self.bytes_per_s is not None:
                now = time.monotonic()
                self._credit = min(self._credit + (now - self._paced_at) * self.bytes_per_s,
                                   self.bytes_per_s * _BURST_S + 1)
                self._paced_at = now
                allowed = min(allowed, int(self._credit))
                if allowed <= 0:
                    return
                out = bytes(self._tx[:allowed])
            try:
                written = os.write(self._pty.master, out)
            except OSError:  # the pty is full (BlockingIOError) or went away
                return
            del self._tx[:written]
            if self.bytes_per_s is not None:
                self._credit -= written

    def read(self) -> bytes:
        """Command bytes from the host, if any."""
        if self._pty is None:
            return b""
        try:
            return os.read(self._pty.master, 4096)
        except OSError:  # nothing there (BlockingIOError), or the pty went away
            return b""
