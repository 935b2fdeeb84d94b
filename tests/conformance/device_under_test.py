"""The two device models behind one interface, read by the real host reader (DeviceReader over pyserial).

`PythonDevice` is the simulator (devices/simulator.py) configured like the emulated firmware's main.c:
1 kHz, 50 W, a 32 KiB transmit buffer behind a 115200-baud link, checkpoints every 3 s.
`FirmwareDevice` is the C firmware's conformance build (firmware/build/csm-fw-conformance.elf: the
same code with a 3 s checkpoint interval) in qemu-system-arm. Both start halted until the reader has
opened the port, so nothing they say from power-on is lost; `restart()` reboots the device with its
persistent state (the firmware: QEMU is stopped and booted again on the same flash image, behind a
symlink the reader reconnects to).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.reader import DeviceReader
from carbon_smart_meter.devices.firmware_emulator import EmulatedAdapter
from carbon_smart_meter.devices.simulator import SimulatedAdapter
from carbon_smart_meter.protocol import messages as m

LINK_BYTES_PER_S = 115200 / 10  # 8N1
TX_BUFFER_BYTES = 32 * 1024
CHECKPOINT_INTERVAL_S = 3


@dataclass(frozen=True)
class RawCommand:
    """A frame the host would not normally send (unknown type, wrong length), sent through the reader."""

    TYPE: int
    payload: bytes = b""

    def encode_payload(self) -> bytes:
        return self.payload


class DeviceUnderTest:
    """What a scenario sees: power on, send commands, wait for what the device said, restart."""

    name = ""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.hub = Hub()
        self.sub = self.hub.subscribe(maxsize=1_000_000, name="conformance")
        self.records: list[Any] = []
        self._since = 0
        self.reader: DeviceReader | None = None

    # ---- to implement -----------------------------------------------------------------------
    def _start_halted(self) -> str:
        """Create the device with its port open and its CPU halted; return the port path."""
        raise NotImplementedError

    def _run(self) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        if self.reader is not None:
            self.reader.stop()

    # ---- shared -----------------------------------------------------------------------------
    def power_on(self) -> m.Hello:
        port = self._start_halted()
        self.reader = DeviceReader(port, self.name, self.hub, backoff=(0.05, 0.2)).start()
        self.wait_until(lambda: self.reader is not None and self.reader.stats.connected, 10)
        self._run()
        return self.wait_for(m.Hello)

    def send(self, command: object) -> None:
        assert self.reader is not None
        self._since = len(self.records)
        assert self.reader.send(command)  # type: ignore[arg-type]

    def device_records(self) -> list[Any]:
        return [r for r in self.records if type(r).__module__ == m.__name__]

    def of(self, cls: type) -> list[Any]:
        return [r for r in self.records if isinstance(r, cls)]

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._drain(0.05)

    def wait_for(self, cls: type, predicate: Callable[[Any], bool] = lambda _r: True,
                 timeout: float = 15.0) -> Any:
        """The first record of `cls` matching `predicate` since the last command sent."""
        start = self._since
        end = time.monotonic() + timeout
        while True:
            for record in self.records[start:]:
                if isinstance(record, cls) and predicate(record):
                    return record
            start = len(self.records)
            if time.monotonic() > end:
                raise AssertionError(f"{self.name}: no matching {cls.__name__} within {timeout} s")
            self._drain(0.1)

    def wait_until(self, condition: Callable[[], bool], timeout: float = 15.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise AssertionError(f"{self.name}: condition not met within {timeout} s")
            self._drain(0.05)

    def _drain(self, timeout: float) -> None:
        env = self.sub.get(timeout=timeout)
        if env is not None:
            self.records.append(env.record)
        self.records.extend(e.record for e in self.sub.drain())


def _longitude_at_noon() -> float:
    """Where it is solar noon now, so the simulated panel makes energy the tests can see (the device keeps
    real time: a simulator given its own start time would refuse TIME_SYNC)."""
    return ((43200.0 - time.time() % 86400.0 + 43200.0) % 86400.0 - 43200.0) / 240.0


class PythonDevice(DeviceUnderTest):
    name = "python"

    def _start_halted(self) -> str:
        self.sim = SimulatedAdapter(rate=1000, seed=5, panel_watts=50, checkpoint_interval_s=CHECKPOINT_INTERVAL_S,
                                    longitude=_longitude_at_noon(), tx_buffer_bytes=TX_BUFFER_BYTES,
                                    link_bytes_per_s=LINK_BYTES_PER_S).open()
        return self.sim.port

    def _run(self) -> None:
        self.sim.start()

    def restart(self) -> None:
        self.sim.reset()

    def close(self) -> None:
        super().close()
        with contextlib.suppress(Exception):
            self.sim.close()


class FirmwareDevice(DeviceUnderTest):
    name = "firmware"

    def __init__(self, tmp_path: Path, elf: Path) -> None:
        super().__init__(tmp_path)
        self.elf = elf
        self.state = tmp_path / "flash"
        self.link = tmp_path / "adapter"
        self.emu: EmulatedAdapter | None = None

    def _boot_halted(self) -> None:
        self.emu = EmulatedAdapter(self.elf, state_dir=self.state, paused=True).start()
        assert self.emu.port is not None
        tmp = self.link.with_name("adapter.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(self.emu.port)
        os.replace(tmp, self.link)

    def _start_halted(self) -> str:
        self._boot_halted()
        return str(self.link)

    def _run(self) -> None:
        assert self.emu is not None
        self.emu.resume()

    def restart(self) -> None:
        """Power-cycle: the pty goes away, QEMU boots again on the same flash image."""
        assert self.emu is not None and self.reader is not None
        self.emu.stop()
        self.wait_until(lambda: self.reader is not None and not self.reader.stats.connected, 10)
        self._boot_halted()
        self.wait_until(lambda: self.reader is not None and self.reader.stats.connected, 10)
        self._run()

    def close(self) -> None:
        super().close()
        if self.emu is not None:
            self.emu.stop()
