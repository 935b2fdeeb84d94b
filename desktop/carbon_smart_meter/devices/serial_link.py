"""Opening a link by name: a serial device path, a pyserial URL (loop://, socket://) or a replay file.

Everything the reader needs from a link is `read(n)`, `write(b)`, `in_waiting` and `close()`, which
pyserial's objects and ReplayLink both provide.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import serial

from carbon_smart_meter.errors import DeviceError


class Link(Protocol):
    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def close(self) -> None: ...


class ReplayLink:
    """Plays back a file of raw link bytes (as captured by `csm monitor --capture`), then reports EOF."""

    def __init__(self, path: str | Path, chunk: int = 65536) -> None:
        self._f = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._chunk = chunk
        self.eof = False

    @property
    def in_waiting(self) -> int:
        return 0 if self.eof else self._chunk

    def read(self, size: int = 1) -> bytes:
        data = self._f.read(min(size, self._chunk))
        if not data:
            self.eof = True
        return data

    def write(self, data: bytes) -> int:
        return len(data)  # a recording cannot answer commands

    def close(self) -> None:
        self._f.close()


def open_link(port: str, timeout: float = 0.05) -> Link:
    """Open `port`; raise DeviceError with what to check when it cannot be opened."""
    if port.startswith("replay:"):
        path = port.removeprefix("replay:").removeprefix("//")
        if not os.path.exists(path):
            raise DeviceError(f"replay file {path} does not exist")
        return ReplayLink(path)
    try:
        if "://" in port:
            return serial.serial_for_url(port, timeout=timeout, write_timeout=0.5)
        return serial.Serial(port, baudrate=115200, timeout=timeout, write_timeout=0.5, exclusive=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        hint = ("check the cable and that the port exists (csm devices lists adapters); on Linux your user "
                "needs to be in the 'dialout' group or have the udev rule from installers/ installed")
        raise DeviceError(f"cannot open {port}: {exc}. {hint}") from exc
