"""A simulated adapter on a pseudo-terminal that speaks protocol v1 like the firmware.

Three parts, as in the firmware: the device model (sim_device: what it measures, signs and answers),
the transport (sim_transport: frame seq, a bounded transmit buffer with TX_OVERFLOW events, the pty
and its `--link` symlink) and the faults (faults: line noise, cable pulls, resets, clock drift).
SimulatedAdapter wires them together and runs the loop a firmware's main() would: sample, answer
commands, send periodic checkpoints and HELLOs, flush. Time acceleration (`speed`) makes the device
clock run faster than the wall clock, so a day of data takes minutes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from carbon_smart_meter.devices.faults import FaultSchedule, FaultSpec, LineNoise
from carbon_smart_meter.devices.sim_device import SimulatedDevice, SimulatorStats
from carbon_smart_meter.devices.sim_transport import TX_BUFFER_BYTES, PtyTransport
from carbon_smart_meter.protocol.signing import DeviceKey

__all__ = ["SimulatedAdapter", "SimulatorStats"]


class SimulatedAdapter:
    def __init__(self, rate: int = 1000, speed: float = 1.0, seed: int = 0, panel_watts: int = 50,
                 faults: FaultSpec | str | None = None, link: str | Path | None = None,
                 checkpoint_interval_s: int = 60, start_unix: float | None = None,
                 longitude: float = 0.0, hw_class: int = 1, fast_forward_s: float | None = None,
                 tx_buffer_bytes: int = TX_BUFFER_BYTES, link_bytes_per_s: float | None = None) -> None:
        self.seed = seed
        self.faults = faults if isinstance(faults, FaultSpec) else FaultSpec.parse(faults)
        self.stats = SimulatorStats()
        self.noise = LineNoise(self.faults, seed + 1)
        self.transport = PtyTransport(self.stats, self.noise, lambda: int(self.device.device_time() * 1e6),
                                      link=link, buffer_bytes=tx_buffer_bytes, bytes_per_s=link_bytes_per_s)
        self.device = SimulatedDevice(self.transport, self.stats, rate=rate, speed=speed, seed=seed,
                                      panel_watts=panel_watts, checkpoint_interval_s=checkpoint_interval_s,
                                      start_unix=start_unix, longitude=longitude, hw_class=hw_class,
                                      fast_forward_s=fast_forward_s, drift_ppm=self.faults.drift_ppm)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- what callers see of the device ----------------------------------------------------
    @property
    def address(self) -> bytes:
        return self.device.address

    @property
    def key(self) -> DeviceKey:
        return self.device.key

    @property
    def rate(self) -> int:
        return self.device.rate

    @property
    def energy_mwh(self) -> int:
        return self.device.energy_mwh

    @property
    def checkpoint_seq(self) -> int:
        return self.device.checkpoint_seq

    @property
    def boot_count(self) -> int:
        return self.device.boot_count

    @property
    def link(self) -> Path | None:
        return self.transport.link

    @property
    def port(self) -> str:
        """The path a host opens: the stable symlink when one was asked for, else the pty itself."""
        return self.transport.port

    def device_time(self, wall: float | None = None) -> float:
        return self.device.device_time(wall)

    # ---- lifecycle -------------------------------------------------------------------------
    def open(self) -> SimulatedAdapter:
        """Create the port without producing yet, so a host can connect before the first frame."""
        self.transport.open()
        return self

    def start(self) -> SimulatedAdapter:
        self.open()
        self.device.power_on()
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.seed}", daemon=True)
        self._thread.start()
        return self

    def reset(self) -> None:
        """Reboot the device now, as the `reset=` fault does (from any thread)."""
        self._reset_requested = True

    def stop(self, flush_clean: bool = True) -> None:
        """Stop producing but keep the port open; with flush_clean, end on an intact frame (so a host
        can account for the last gap) and wait until everything queued has been handed to the port."""
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        if flush_clean and self.transport.is_open:
            self.noise.enabled = False
            self.device.send(self.device.hello())
            deadline = time.monotonic() + 2.0
            while self.transport.queued and time.monotonic() < deadline:
                self.transport.flush()
                time.sleep(0.005)

    def close(self) -> None:
        """Remove the port (the host sees the device disappear)."""
        if not self._stop.is_set():
            self.stop()
        self.transport.close()

    def __enter__(self) -> SimulatedAdapter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- main loop --------------------------------------------------------------------------
    _reset_requested = False

    def _run(self) -> None:
        schedule = FaultSchedule(self.faults, time.monotonic())  # fault timers run on the wall clock
        device, transport = self.device, self.transport
        while not self._stop.is_set():
            wall = time.monotonic()
            if schedule.reset_due(wall) or self._reset_requested:
                self._reset_requested = False
                device.reset(wall)
            down_s = schedule.disconnect_due(wall)
            if down_s is not None:
                self._unplugged(down_s)
                continue
            due = device.sample(wall)
            device.tick(wall)
            device.receive(transport.read())
            transport.flush()
            if due <= 0:
                time.sleep(0.005)

    def _unplugged(self, down_s: float) -> None:
        """Pull the cable: the pty vanishes; the device keeps measuring, and what it sends is lost."""
        self.transport.unplug()
        deadline = time.monotonic() + down_s
        while time.monotonic() < deadline and not self._stop.is_set():
            self.device.sample(time.monotonic(), max_blocks=1_000_000)
            time.sleep(0.01)
        if not self._stop.is_set():
            self.transport.plug()
            self.device.send(self.device.hello())
