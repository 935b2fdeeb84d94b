"""The simulated adapter's device model: what it measures, signs and answers.

It holds what the firmware's portable core holds (firmware/src/core/device.c): the identity and its
attestation, the clock, the sample schedule and the synthetic solar day, the energy accumulator, the
hash chain, the persistent counters (checkpoint seq, boot count, deployment, energy at the last
checkpoint) and the answers to host commands. It does no I/O and runs no thread: SimulatedAdapter's
loop drives it, and everything it says goes through a `Transmitter` (sim_transport.PtyTransport),
which answers whether a frame was taken. Only frames taken are hashed into the chain (PROTOCOL.md 3.2).

Where the Python model deliberately differs from the firmware: its clock starts on `start_unix` (so a
simulated day can begin at any hour) and says "synced" from boot, and a device whose time is simulated
(accelerated by `speed`, or given its own `start_unix`) refuses TIME_SYNC with ACK status 4 to keep
its simulated day coherent; a real-time one takes it like the firmware.
tests/conformance/ holds the behaviour both models must share.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.devices.solar import SolarDay
from carbon_smart_meter.errors import FrameError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import Frame, FrameDecoder
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, keccak256

V_LSB = 195.3125e-6          # INA228 VBUS LSB, V per code
I_LSB = 10.0 / 2**19         # 10 A full scale over a 20-bit signed code
CODE_MAX = 2**19 - 1
HELLO_EVERY_S = 10.0
MAX_RATE_HZ = 50_000
# EVENT RESET reasons (PROTOCOL.md 3.4)
RESET_POWER_ON = 0
RESET_SOFTWARE = 3
# ACK status (PROTOCOL.md 3.5)
ACK_OK, ACK_BAD_LENGTH, ACK_BAD_VALUE, ACK_NOT_SUPPORTED = 0, 1, 2, 4


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


class Transmitter(Protocol):
    """Where the device's frames go (sim_transport.PtyTransport)."""

    def send(self, message: m.Message) -> bool:
        """Frame `message` with the next frame seq; True when the transmit buffer took it."""
        ...

    def restart_sequence(self) -> None:
        """Frame seq starts again at 0 (a boot)."""
        ...


class SimulatedDevice:
    def __init__(self, tx: Transmitter, stats: SimulatorStats, *, rate: int = 1000, speed: float = 1.0,
                 seed: int = 0, panel_watts: int = 50, checkpoint_interval_s: int = 60,
                 start_unix: float | None = None, longitude: float = 0.0, hw_class: int = 1,
                 fast_forward_s: float | None = None, drift_ppm: float = 0.0) -> None:
        if not 1 <= rate <= MAX_RATE_HZ:
            raise ValueError(f"rate must be 1..{MAX_RATE_HZ} Hz")
        self.tx = tx
        self.stats = stats
        self.rate = rate
        self.speed = float(speed)
        self.seed = seed
        self.key = simulator_key(seed)
        self.address = self.key.address
        self.panel_watts = panel_watts
        self.hw_class = hw_class
        self.attestation, self.attestation_sig = attest(self.key, panel_watts, hw_class, serial=seed)
        self.solar = SolarDay(panel_watts, seed)
        self.longitude = longitude
        self.checkpoint_interval_s = checkpoint_interval_s
        self.drift_ppm = drift_ppm
        # Device seconds run at `speed` only for this long, then in real time (catch up to now, then live).
        self.fast_forward_s = fast_forward_s
        self._start_unix = time.time() if start_unix is None else float(start_unix)
        self._own_clock = start_unix is not None
        self._t_wall0 = time.monotonic()
        self._device_t0 = self._start_unix
        self._last_hello = 0.0
        # Persistent state (survives resets): checkpoint seq, energy at the last checkpoint, binding.
        self.checkpoint_seq = 0
        self.boot_count = 0
        self.deployment_id = bytes(32)
        self._persisted_energy_j = 0.0
        self._boot()

    # ---- boot and reset ------------------------------------------------------------------------
    def _boot(self) -> None:
        self.boot_count += 1
        self.sample_index = 0
        self.chain_head = bytes(32)
        self.energy_j = self._persisted_energy_j
        self._commands = FrameDecoder()
        self._next_checkpoint_at: float | None = None

    def power_on(self, wall: float | None = None) -> None:
        """Start measuring now: the clocks are anchored here, and RESET (power-on) then HELLO go out."""
        self._t_wall0 = time.monotonic() if wall is None else wall
        self._device_t0 = self._start_unix
        self._last_hello = self._t_wall0
        self.send(m.Event(m.EventCode.RESET, 0, RESET_POWER_ON, self.boot_count, self._now_us()))
        self.send(self.hello())

    def reset(self, wall: float | None = None) -> None:
        """A software reset: counters and chain start again, the persistent state and the clock carry on."""
        self.stats.resets += 1
        wall = time.monotonic() if wall is None else wall
        self._t_wall0, self._device_t0 = wall, self.device_time(wall)
        self._start_unix = self._device_t0
        self._boot()
        self.tx.restart_sequence()
        self.send(m.Event(m.EventCode.RESET, 0, RESET_SOFTWARE, self.boot_count, self._now_us()))
        self.send(self.hello())

    # ---- clock ---------------------------------------------------------------------------------
    def _elapsed(self, wall: float) -> float:
        """Device seconds since the anchor: at `speed`, then real time once `fast_forward_s` is used up."""
        w = wall - self._t_wall0
        if self.fast_forward_s is None or w * self.speed <= self.fast_forward_s:
            return w * self.speed
        return self.fast_forward_s + (w - self.fast_forward_s / self.speed)

    def device_time(self, wall: float | None = None) -> float:
        """Device clock in unix seconds: accelerated by `speed`, skewed by the drift fault."""
        wall = time.monotonic() if wall is None else wall
        return self._device_t0 + self._elapsed(wall) * (1.0 + self.drift_ppm * 1e-6)

    def _now_us(self) -> int:
        return int(self.device_time() * 1e6)

    @property
    def energy_mwh(self) -> int:
        return int(self.energy_j / 3.6)

    # ---- what it sends -------------------------------------------------------------------------
    def send(self, message: m.Message) -> bool:
        taken = self.tx.send(message)
        if taken and isinstance(message, m.SampleBlock):
            # PROTOCOL.md 3.2: the chain covers the blocks handed to the transmitter.
            self.chain_head = keccak256(self.chain_head + message.payload)
        return taken

    def hello(self) -> m.Hello:
        flags = m.HELLO_FLAG_TIME_SYNCED | m.HELLO_FLAG_SIMULATED
        if any(self.deployment_id):
            flags |= m.HELLO_FLAG_BOUND
        return m.Hello(self.address, (0, 1, 0), flags, 1, self.hw_class, self.panel_watts, self.rate, V_LSB,
                       I_LSB, "", self.boot_count, self.checkpoint_seq, self.checkpoint_interval_s,
                       self.deployment_id, int((time.monotonic() - self._t_wall0) * 1e6),
                       self.attestation, self.attestation_sig)

    def checkpoint(self, device_time: float | None = None) -> m.Checkpoint:
        device_time = self.device_time() if device_time is None else device_time
        self.checkpoint_seq += 1
        self._persisted_energy_j = self.energy_j
        msg = CheckpointMessage(self.address, self.deployment_id, self.checkpoint_seq, self.energy_mwh,
                                int(device_time), self.chain_head)
        self.stats.checkpoints_sent += 1
        return m.Checkpoint(msg, self.key.sign(msg.encode()))

    def block_size(self) -> int:
        """About 50 ms of device time per block, or at most ~50 blocks per wall second when accelerated."""
        per_block = max(self.rate // 20, int(self.rate * self.speed / 50))
        return max(1, min(m.MAX_BLOCK_SAMPLES, per_block))

    def samples_due(self, wall: float) -> int:
        return int(self._elapsed(wall) * self.rate) - self.sample_index

    def make_block(self, n: int) -> m.SampleBlock:
        """The next `n` samples of the solar day; their energy counts whether or not the block is sent."""
        period_ns = round(1e9 / self.rate)
        first = self.sample_index
        t0 = self._device_t0 + first * period_ns * 1e-9 * (1.0 + self.drift_ppm * 1e-6)
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

    def sample(self, wall: float, max_blocks: int = 50) -> int:
        """Send the blocks due by `wall`, at most `max_blocks` (so commands keep up); returns samples still due."""
        block_max = self.block_size()
        due = self.samples_due(wall)
        while due > 0 and max_blocks > 0:
            n = min(block_max, due)
            self.send(self.make_block(n))
            due -= n
            max_blocks -= 1
        return due

    def tick(self, wall: float) -> None:
        """Periodic checkpoint and HELLO."""
        t_dev = self.device_time(wall)
        if self._next_checkpoint_at is None:
            self._next_checkpoint_at = t_dev + self.checkpoint_interval_s
        elif t_dev >= self._next_checkpoint_at:
            self._next_checkpoint_at += self.checkpoint_interval_s
            self.send(self.checkpoint(t_dev))
        if wall - self._last_hello >= HELLO_EVERY_S:
            self._last_hello = wall
            self.send(self.hello())

    # ---- what it answers -----------------------------------------------------------------------
    def receive(self, data: bytes) -> None:
        """Bytes from the host: every complete command frame is answered (PROTOCOL.md 3 and 3.7)."""
        for frame in self._commands.feed(data):
            self.stats.commands += 1
            self._answer(frame)

    def _answer(self, frame: Frame) -> None:
        if frame.msg_type < 0x80:
            return  # a device-to-host type echoed back is not a command: ignored
        try:
            cmd = m.decode_message(frame)
        except FrameError as exc:
            status = ACK_NOT_SUPPORTED if exc.kind == "unknown_type" else ACK_BAD_LENGTH
            self.send(m.Ack(frame.msg_type, status, frame.seq))
            return
        self.handle(cmd, frame.seq)

    def handle(self, cmd: m.Message, seq: int) -> None:
        if isinstance(cmd, m.GetInfo):
            self.send(self.hello())
        elif isinstance(cmd, m.RequestCheckpoint):
            self.send(self.checkpoint())
        elif isinstance(cmd, m.SetRate):
            self._set_rate(cmd, seq)
        elif isinstance(cmd, m.TimeSync):
            self._time_sync(cmd, seq)
        elif isinstance(cmd, m.BindRequest):
            self.deployment_id = cmd.deployment_id
            self.checkpoint_seq += 1
            self._persisted_energy_j = self.energy_j
            msg = BindMessage(self.address, cmd.wallet, cmd.deployment_id, self.checkpoint_seq, self.energy_mwh,
                              int(self.device_time()), cmd.region)
            self.send(m.BindSignature(msg, self.key.sign(msg.encode())))
        else:
            self.send(m.Ack(cmd.TYPE, ACK_NOT_SUPPORTED, seq))

    def _set_rate(self, cmd: m.SetRate, seq: int) -> None:
        if not 1 <= cmd.rate_hz <= MAX_RATE_HZ:
            self.send(m.Ack(cmd.TYPE, ACK_BAD_VALUE, seq))
            return
        old = self.rate
        # Re-anchor the clocks so samples already sent keep their times and the new period starts now.
        now = time.monotonic()
        t_dev = self.device_time(now)
        self.rate = cmd.rate_hz
        self._device_t0 = t_dev - self.sample_index / self.rate
        self._start_unix = self._device_t0
        self._t_wall0 = now - self.sample_index / (self.rate * self.speed)
        self.send(m.Ack(cmd.TYPE, ACK_OK, seq))
        if self.rate != old:
            self.send(m.Event(m.EventCode.RATE_CHANGED, 0, cmd.rate_hz, old, self._now_us()))

    def _time_sync(self, cmd: m.TimeSync, seq: int) -> None:
        """The clock jumps to the host's; EVENT TIME_SYNCED keeps the time it had (PROTOCOL.md 3.7)."""
        if self.speed != 1.0 or self._own_clock:  # a simulated time (accelerated or given) is kept
            self.send(m.Ack(cmd.TYPE, ACK_NOT_SUPPORTED, seq))
            return
        now = time.monotonic()
        previous_us = int(self.device_time(now) * 1e6)
        jump = cmd.unix_us / 1e6 - self.device_time(now)
        self._device_t0 += jump
        if self._next_checkpoint_at is not None:  # the interval is device seconds elapsed, not a time of day
            self._next_checkpoint_at += jump
        self.send(m.Ack(cmd.TYPE, ACK_OK, seq))
        self.send(m.Event(m.EventCode.TIME_SYNCED, 0, 0, previous_us, int(self.device_time(now) * 1e6)))
