"""Finding adapters: USB serial ports with our VID/PID, plus running simulators that registered.

A running `csm simulate` writes a small JSON file into the user's runtime directory; `csm devices`
lists those whose process is still alive, so a demo needs no knowledge of pty numbers. A simulator also
writes the device id it signs with, and a USB adapter is listed with its USB serial number: `csm devices`
names the binding of an adapter this machine has talked to without opening its port.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from serial.tools import list_ports

from carbon_smart_meter.devices.identity import USB_PID, USB_VID


@dataclass(frozen=True)
class FoundDevice:
    port: str
    kind: str  # "usb" | "simulator" | "serial"
    description: str
    usb_serial: str | None = None  # USB adapters: the serial number their USB descriptor reports
    device: str | None = None      # simulators: the device id (0x + 40 hex) they sign with


def _registry_dir() -> Path:
    base = None
    if os.environ.get("XDG_RUNTIME_DIR") or os.name != "posix":
        base = Path(platformdirs.user_runtime_dir("csm"))
    path = (base or Path(tempfile.gettempdir()) / f"csm-{os.getuid()}") / "simulators"
    path.mkdir(parents=True, exist_ok=True)
    return path


def register_simulator(port: str, description: str, device: bytes | None = None) -> Path:
    entry = _registry_dir() / f"{os.getpid()}.json"
    data = {"pid": os.getpid(), "port": port, "description": description}
    if device is not None:
        data["device"] = "0x" + device.hex()
    entry.write_text(json.dumps(data))
    return entry


def usb_serial_of(port: str) -> str | None:
    """The USB serial number of the adapter at `port` (a symlink is followed); None for anything else."""
    try:
        real = os.path.realpath(port)
    except (OSError, ValueError):
        return None
    for info in list_ports.comports():
        if info.vid == USB_VID and info.pid == USB_PID and os.path.realpath(info.device) == real:
            return info.serial_number or None
    return None


def unregister_simulator(entry: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        entry.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_devices(include_all_serial: bool = False) -> list[FoundDevice]:
    found: list[FoundDevice] = []
    for info in list_ports.comports():
        if info.vid == USB_VID and info.pid == USB_PID:
            label = f"Carbon Smart Meter adapter {info.serial_number or ''}".strip()
            found.append(FoundDevice(info.device, "usb", label, usb_serial=info.serial_number or None))
        elif include_all_serial:
            found.append(FoundDevice(info.device, "serial", info.description or "serial port"))
    for entry in sorted(_registry_dir().glob("*.json")):
        try:
            data = json.loads(entry.read_text())
        except (OSError, ValueError):
            continue
        if _alive(int(data.get("pid", -1))) and os.path.exists(data.get("port", "")):
            device = data.get("device")
            found.append(FoundDevice(data["port"], "simulator", data.get("description", "simulator"),
                                     device=device if isinstance(device, str) else None))
        else:
            unregister_simulator(entry)
    return found
