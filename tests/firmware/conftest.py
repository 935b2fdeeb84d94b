"""Fixtures that boot the real firmware in QEMU and read it over its pty like the desktop does."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

from carbon_smart_meter.devices.firmware_emulator import FIRMWARE_DIR, EmulatedAdapter
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import Frame, FrameDecoder


@pytest.fixture(scope="session")
def firmware_elf() -> Path:
    """The QEMU image, built (or brought up to date) by the firmware's own Makefile."""
    result = subprocess.run(["make", "-C", str(FIRMWARE_DIR), "qemu"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("`make -C firmware qemu` failed (toolchain missing? run `make -C firmware deps` as root):\n"
                    + result.stdout[-2000:] + result.stderr[-2000:])
    return FIRMWARE_DIR / "build" / "csm-fw.elf"


class Session:
    """A pyserial connection to an emulated adapter that decodes everything it reads."""

    def __init__(self, port: str) -> None:
        self.serial = serial.Serial(port, 115200, timeout=0.05)
        self.decoder = FrameDecoder()
        self.frames: list[Frame] = []
        self.messages: list[m.Message] = []
        self._seq = 0
        self._since = 0  # wait_for looks at messages from the last command on

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._read()

    def wait_for(self, predicate: Callable[[m.Message], bool], timeout: float = 10.0) -> m.Message:
        start = self._since
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for msg in self.messages[start:]:
                if predicate(msg):
                    return msg
            start = len(self.messages)
            self._read()
        raise AssertionError(f"no matching message within {timeout} s")

    def send(self, message: m.Message) -> int:
        seq = self._seq
        self._since = len(self.messages)
        self.serial.write(m.encode_message(message, seq))
        self._seq += 1
        return seq

    def of(self, cls: type) -> list:
        return [x for x in self.messages if isinstance(x, cls)]

    def _read(self) -> None:
        data = self.serial.read(65536)
        if data:
            for frame in self.decoder.feed(data):
                self.frames.append(frame)
                self.messages.append(m.decode_message(frame))

    def close(self) -> None:
        self.serial.close()


@pytest.fixture
def boot(firmware_elf: Path, tmp_path: Path) -> Iterator[Callable[..., tuple[EmulatedAdapter, Session]]]:
    """Boots the firmware paused, opens the port, then lets the CPU run: nothing is lost from reset."""
    running: list[tuple[EmulatedAdapter, Session]] = []

    def _boot(state_dir: Path | None = None, elf: Path | None = None) -> tuple[EmulatedAdapter, Session]:
        emu = EmulatedAdapter(elf or firmware_elf, state_dir=state_dir or tmp_path / "state", paused=True).start()
        session = Session(emu.port)
        emu.resume()
        running.append((emu, session))
        return emu, session

    yield _boot
    for emu, session in running:
        session.close()
        emu.stop()
