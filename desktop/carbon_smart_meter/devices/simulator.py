"""A simulated adapter on a pseudo-terminal that speaks protocol v1 exactly like the firmware.

It measures a synthetic solar day (solar.py), signs checkpoints with a deterministic development key,
answers host commands, and can misbehave on purpose (faults.py). Like the firmware it has a bounded
transmit buffer: when nobody reads, whole frames are dropped and a TX_OVERFLOW event says how many.
Time acceleration (`speed`) makes the device clock run faster than the wall clock, so a day of data
takes minutes; an accelerated device, or one given its own start time, ignores TIME_SYNC (ACK status
4) to keep its clock coherent; a real-time one takes it and sends EVENT TIME_SYNCED like the firmware.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from carbon_smart_meter.devices.faults import FaultSpec
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.devices.pty_link import PtyPair
from carbon_smart_meter.devices.solar import SolarDay
from carbon_smart_meter.errors import FrameError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import FrameDecoder
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, keccak256

V_LSB = 195.3125e-6          # INA228 VBUS LSB, V per code
I_LSB = 10.0 / 2**19         # 10 A full scale over a 20-bit signed code
CODE_MAX = 2**19 - 1
TX_BUFFER_BYTES = 256 * 1024
HELLO_EVERY_S = 10.0


@dataclass
class SimulatorStats:
    """What the simulator did, to compare with what the host counted."""

    frames_sent: int = 0
    samples_sent: int = 0
    blocks_sent: int = 0
    checkpoints_sent: int = 0
    frames_corrupted: int = 0
    frames_damaged_by_drop: int = 0
    frames_overflowed: int = 0
    samples_overflowed: int = 0
    frames_lost_offline: int = 0
    samples_lost_offline: int = 0
    disconnects: int = 0
    resets: int = 0
    commands: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


class SimulatedAdapter:
    def __init__(self, rate: int = 1000, speed: float = 1.0, seed: int = 0, panel_watts: int = 50,
                 faults: FaultSpec | str | None = None, link: str | Path | None = None,
                 checkpoint_interval_s: int = 60, start_unix: float | None = None,
                 longitude: float = 0.0, hw_class: int = 1, fast_forward_s: float | None = None) -> None:
        if not 1 <= rate <= 50_000:
            raise ValueError("rate must be 1..50000 Hz")
        self.rate = rate
        self.speed = float(speed)
        self.seed = seed
        self.faults = faults if isinstance(faults, FaultSpec) else FaultSpec.parse(faults)
        self.key = simulator_key(seed)
        self.address = self.key.address
        self.panel_watts = panel_watts
        self.hw_class = hw_class
        self.attestation, self.attestation_sig = attest(self.key, panel_watts, hw_class, serial=seed)
        self.solar = SolarDay(panel_watts, seed)
        self.longitude = longitude
        self.checkpoint_interval_s = checkpoint_interval_s
        self.link = Path(link) if link else None
        # Device seconds run at `speed` only for this long, then in real time (catch up to now, then live).
        self.fast_forward_s = fast_forward_s
        self.stats = SimulatorStats()
        self._rng = np.random.default_rng(seed + 1)
        self._start_unix = time.time() if start_unix is None else float(start_unix)
        self._own_clock = start_unix is not None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pty: PtyPair | None = None
        self._faults_enabled = True
        # Persistent state (survives resets): checkpoint seq, energy at the last checkpoint, binding.
        self.checkpoint_seq = 0
        self.boot_count = 0
        self.deployment_id = bytes(32)
        self._persisted_energy_j = 0.0
        self._boot()

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> str:
        """The path a host opens: the stable symlink when one was asked for, else the pty itself."""
        assert self._pty is not None, "start() the simulator first"
        return str(self.link) if self.link else self._pty.path

    def open(self) -> SimulatedAdapter:
        """Create the port without producing yet, so a host can connect before the first frame."""
        if self._pty is None:
            self._pty = PtyPair(self.link)
        return self

    def start(self) -> SimulatedAdapter:
        self.open()
        self._t_wall0 = time.monotonic()
        self._device_t0 = self._start_unix
        self._last_hello = 0.0
        self._send(self._hello())
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.seed}", daemon=True)
        self._thread.start()
        return self

    def stop(self, flush_clean: bool = True) -> None:
        """Stop producing but keep the port open; with flush_clean, end on an intact frame (so a host
        can account for the last gap) and wait until everything queued has been handed to the port."""
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        if flush_clean and self._pty:
            self._faults_enabled = False
            self._send(self._hello())
            deadline = time.monotonic() + 2.0
            while self._tx and time.monotonic() < deadline:
                self._flush()
                time.sleep(0.005)

    def close(self) -> None:
        """Remove the port (the host sees the device disappear)."""
        if not self._stop.is_set():
            self.stop()
        if self._pty:
            self._pty.close(remove_link=True)
            self._pty = None

    def __enter__(self) -> SimulatedAdapter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- device state ------------------------------------------------------------------------
    def _boot(self) -> None:
        self.boot_count += 1
        self.frame_seq = 0
        self.sample_index = 0
        self.chain_head = bytes(32)
        self.energy_j = self._persisted_energy_j
        # Frames already queued survive a reset here (they were on the wire), so host accounting stays exact.
        if not hasattr(self, "_tx"):
            self._tx = bytearray()
            self._pending_overflow = [0, 0]
        self._cmd_decoder = FrameDecoder()
        self._next_checkpoint_at: float | None = None

    def _elapsed(self, wall: float) -> float:
        """Device seconds since the anchor: at `speed`, then real time once `fast_forward_s` is used up."""
        w = wall - self._t_wall0
        if self.fast_forward_s is None or w * self.speed <= self.fast_forward_s:
            return w * self.speed
        return self.fast_forward_s + (w - self.fast_forward_s / self.speed)

    def device_time(self, wall: float | None = None) -> float:
        """Device clock in unix seconds: accelerated by `speed`, skewed by the drift fault."""
        wall = time.monotonic() if wall is None else wall
        return self._device_t0 + self._elapsed(wall) * (1.0 + self.faults.drift_ppm * 1e-6)

    @property
    def energy_mwh(self) -> int:
        return int(self.energy_j / 3.6)

    def _hello(self) -> m.Hello:
        flags = m.HELLO_FLAG_TIME_SYNCED | m.HELLO_FLAG_SIMULATED
        if any(self.deployment_id):
            flags |= m.HELLO_FLAG_BOUND
        return m.Hello(self.address, (0, 1, 0), flags, 1, self.hw_class, self.panel_watts, self.rate, V_LSB,
                       I_LSB, "", self.boot_count, self.checkpoint_seq, self.checkpoint_interval_s,
                       self.deployment_id, int((time.monotonic() - self._t_wall0) * 1e6),
                       self.attestation, self.attestation_sig)

    def _checkpoint(self, device_time: float) -> m.Checkpoint:
        self.checkpoint_seq += 1
        self._persisted_energy_j = self.energy_j
        msg = CheckpointMessage(self.address, self.deployment_id, self.checkpoint_seq, self.energy_mwh,
                                int(device_time), self.chain_head)
        self.stats.checkpoints_sent += 1
        return m.Checkpoint(msg, self.key.sign(msg.encode()))

    # ---- main loop --------------------------------------------------------------------------
    def _run(self) -> None:
        next_disconnect = self.faults.disconnect_every or None
        next_reset = self.faults.reset_every or None
        fault_t0 = time.monotonic()  # fault timers run on the wall clock; resets re-anchor _t_wall0
        while not self._stop.is_set():
            wall = time.monotonic()
            if next_reset and wall - fault_t0 >= next_reset:
                next_reset += self.faults.reset_every
                self._reset()
            if next_disconnect and wall - fault_t0 >= next_disconnect:
                next_disconnect += self.faults.disconnect_every
                self._disconnect(self.faults.disconnect_for, self._block_size())
                continue
            block_max = self._block_size()
            due = int(self._elapsed(wall) * self.rate) - self.sample_index
            budget = 50  # blocks per pass, so commands and flushing keep up at high rates
            while due > 0 and budget > 0:
                n = min(block_max, due)
                self._send(self._make_block(n))
                due -= n
                budget -= 1
            t_dev = self.device_time(wall)
            if self._next_checkpoint_at is None:
                self._next_checkpoint_at = t_dev + self.checkpoint_interval_s
            elif t_dev >= self._next_checkpoint_at:
                self._next_checkpoint_at += self.checkpoint_interval_s
                self._send(self._checkpoint(t_dev))
            if wall - self._last_hello >= HELLO_EVERY_S:
                self._last_hello = wall
                self._send(self._hello())
            self._read_commands()
            self._flush()
            if due <= 0:
                time.sleep(0.005)

    def _block_size(self) -> int:
        """About 50 ms of device time per block, or at most ~50 blocks per wall second when accelerated."""
        per_block = max(self.rate // 20, int(self.rate * self.speed / 50))
        return max(1, min(m.MAX_BLOCK_SAMPLES, per_block))

    def _make_block(self, n: int) -> m.SampleBlock:
        period_ns = round(1e9 / self.rate)
        first = self.sample_index
        t0 = self._device_t0 + first * period_ns * 1e-9 * (1.0 + self.faults.drift_ppm * 1e-6)
        t_world = self._start_unix + (first + np.arange(n)) * (1.0 / self.rate)
        solar_seconds = np.mod(t_world + self.longitude * 240.0, 86400.0)
        v, i = self.solar.voltage_current(solar_seconds)
        vc = np.clip(np.rint(v / V_LSB), -CODE_MAX - 1, CODE_MAX).astype(np.int32)
        ic = np.clip(np.rint(i / I_LSB), -CODE_MAX - 1, CODE_MAX).astype(np.int32)
        products = vc.astype(np.int64) * ic.astype(np.int64)
        self.energy_j += float(products[products > 0].sum()) * V_LSB * I_LSB * period_ns * 1e-9
        block = m.SampleBlock.build(first, int(t0 * 1e6), period_ns, m.BLOCK_FLAG_TIME_SYNCED, vc, ic)
        self.sample_index += n
        return block

    # ---- transmit path ----------------------------------------------------------------------
    def _send(self, message: m.Message) -> None:
        with self._lock:
            wire = m.encode_message(message, self.frame_seq)
            self.frame_seq = (self.frame_seq + 1) & 0xFFFFFFFF
            if len(self._tx) + len(wire) > TX_BUFFER_BYTES:
                self.stats.frames_overflowed += 1
                self._pending_overflow[0] += 1
                self._pending_overflow[1] += len(message.encode_payload())
                if isinstance(message, m.SampleBlock):
                    self.stats.samples_overflowed += message.count
                return
            self._account(message)
            if isinstance(message, m.SampleBlock):
                # PROTOCOL.md 3.2: the chain covers the blocks handed to the transmitter.
                self.chain_head = keccak256(self.chain_head + message.payload)
            self._tx += self._apply_faults(wire)
            if self._pending_overflow[0] and len(self._tx) < TX_BUFFER_BYTES // 2:
                frames, nbytes = self._pending_overflow
                self._pending_overflow = [0, 0]
                ev = m.Event(m.EventCode.TX_OVERFLOW, 1, frames, nbytes, int(self.device_time() * 1e6))
                self._account(ev)
                self._tx += m.encode_message(ev, self.frame_seq)
                self.frame_seq = (self.frame_seq + 1) & 0xFFFFFFFF

    def _account(self, message: m.Message) -> None:
        self.stats.frames_sent += 1
        name = type(message).__name__
        self.stats.by_type[name] = self.stats.by_type.get(name, 0) + 1
        if isinstance(message, m.SampleBlock):
            self.stats.blocks_sent += 1
            self.stats.samples_sent += message.count

    def _apply_faults(self, wire: bytes) -> bytes:
        f = self.faults
        if not self._faults_enabled or not (f.corrupt or f.drop):
            return wire
        if f.corrupt and self._rng.random() < f.corrupt:
            self.stats.frames_corrupted += 1
            buf = bytearray(wire)
            pos = int(self._rng.integers(0, len(buf) - 1))
            buf[pos] ^= int(self._rng.integers(1, 256))
            wire = bytes(buf)
        if f.drop and self._rng.random() < f.drop:
            self.stats.frames_damaged_by_drop += 1
            start = int(self._rng.integers(0, len(wire)))
            length = int(self._rng.integers(1, max(2, len(wire) - start + 1)))
            wire = wire[:start] + wire[start + length:]
        return wire

    def _flush(self) -> None:
        if not self._tx or self._pty is None:
            return
        with self._lock:
            try:
                written = os.write(self._pty.master, self._tx)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            del self._tx[:written]

    def _read_commands(self) -> None:
        if self._pty is None:
            return
        try:
            data = os.read(self._pty.master, 4096)
        except (BlockingIOError, InterruptedError, OSError):
            return
        for frame in self._cmd_decoder.feed(data):
            self.stats.commands += 1
            try:
                cmd = m.decode_message(frame)
            except FrameError:
                self._send(m.Ack(frame.msg_type, 4, frame.seq))
                continue
            self._handle(cmd, frame.seq)

    def _handle(self, cmd: m.Message, seq: int) -> None:
        if isinstance(cmd, m.GetInfo):
            self._send(self._hello())
        elif isinstance(cmd, m.RequestCheckpoint):
            self._send(self._checkpoint(self.device_time()))
        elif isinstance(cmd, m.SetRate):
            if not 1 <= cmd.rate_hz <= 50_000:
                self._send(m.Ack(cmd.TYPE, 2, seq))
                return
            old = self.rate
            # Re-anchor the clocks so samples already sent keep their times and the new period starts now.
            now = time.monotonic()
            t_dev = self.device_time(now)
            self.rate = cmd.rate_hz
            self._device_t0 = t_dev - self.sample_index / self.rate
            self._start_unix = self._device_t0
            self._t_wall0 = now - self.sample_index / (self.rate * self.speed)
            self._send(m.Ack(cmd.TYPE, 0, seq))
            self._send(m.Event(m.EventCode.RATE_CHANGED, 0, cmd.rate_hz, old, int(self.device_time() * 1e6)))
        elif isinstance(cmd, m.TimeSync):
            if self.speed != 1.0 or self._own_clock:  # a simulated time (accelerated or given) is kept
                self._send(m.Ack(cmd.TYPE, 4, seq))
                return
            # Like the firmware (PROTOCOL.md 3.7) an EVENT TIME_SYNCED carries the previous device time in
            # us: a unix time here (> 2^32). This clock already runs on the host's clock, so it is not moved
            # (moving it by the link's latency would only make time step back).
            previous_us = int(self.device_time() * 1e6)
            self._send(m.Ack(cmd.TYPE, 0, seq))
            self._send(m.Event(m.EventCode.TIME_SYNCED, 0, 0, previous_us, previous_us))
        elif isinstance(cmd, m.BindRequest):
            self.deployment_id = cmd.deployment_id
            self.checkpoint_seq += 1
            self._persisted_energy_j = self.energy_j
            msg = BindMessage(self.address, cmd.wallet, cmd.deployment_id, self.checkpoint_seq, self.energy_mwh,
                              int(self.device_time()), cmd.region)
            self._send(m.BindSignature(msg, self.key.sign(msg.encode())))
        else:
            self._send(m.Ack(cmd.TYPE, 4, seq))

    # ---- faults -------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.stats.resets += 1
        self._t_wall0, self._device_t0 = time.monotonic(), self.device_time()
        self._start_unix = self._device_t0
        self._boot()
        self._send(m.Event(m.EventCode.RESET, 0, 3, self.boot_count, 0))
        self._send(self._hello())

    def _disconnect(self, down_s: float, block_max: int) -> None:
        """Pull the cable: the pty vanishes; the device keeps measuring, and what it sends is lost."""
        self.stats.disconnects += 1
        assert self._pty is not None
        self._pty.close(remove_link=True)
        self._pty = None
        with self._lock:
            self._tx.clear()
        deadline = time.monotonic() + down_s
        while time.monotonic() < deadline and not self._stop.is_set():
            due = int(self._elapsed(time.monotonic()) * self.rate) - self.sample_index
            while due > 0:
                n = min(block_max, due)
                block = self._make_block(n)
                self.frame_seq = (self.frame_seq + 1) & 0xFFFFFFFF
                self.stats.frames_lost_offline += 1
                self.stats.samples_lost_offline += block.count
                due -= n
            time.sleep(0.01)
        if not self._stop.is_set():
            self._pty = PtyPair(self.link)
            self._send(self._hello())


def run_forever(sim: SimulatedAdapter) -> None:
    """Foreground loop for `csm simulate`: print the port, then wait for Ctrl-C."""
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(0.5)
