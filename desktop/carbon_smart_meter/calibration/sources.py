"""One calibrated `Conversion` per connected device, resolved once at its HELLO and shared by every consumer.

The live plots, the energy ledger and the recorder each see a device's HELLO on their own thread. If
each looked the device up in the calibration store on its own, they could disagree (a record written
or expired in between) and the store would be read three times. Instead they all ask this registry:
the first to ask resolves the device's record, later ones get the same object. A record that is
refused (broken, expired, implausible) gives the factory scales with a note saying why, so recording
carries on flagged "uncalibrated" instead of stopping.

A resolution holds for a (source, device address) pair: another adapter on the same port is resolved
anew, a reboot of the same adapter is not. A calibration written while the device is connected takes
effect at its next connection (`forget`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol.messages import Hello


@dataclass(frozen=True)
class ResolvedConversion:
    """The conversion a device's samples go through, and why factory scales are used when a record was refused."""

    device: str  # 0x-prefixed address
    conversion: Conversion
    note: str = ""  # "" unless the device's record was refused

    @property
    def refused(self) -> bool:
        return bool(self.note)


class SourceConversions:
    """Thread-safe registry: source name -> the ResolvedConversion of the device on it."""

    def __init__(self, store: CalibrationStore | None = None) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._resolved: dict[str, ResolvedConversion] = {}

    def for_hello(self, source: str, hello: Hello) -> ResolvedConversion:
        """The device's conversion: resolved from the store the first time, the same object afterwards."""
        device = "0x" + hello.device.hex()
        with self._lock:
            known = self._resolved.get(source)
            if known is not None and known.device == device:
                return known
            resolved = resolve(self.store, hello)
            self._resolved[source] = resolved
            return resolved

    def current(self, source: str) -> ResolvedConversion | None:
        """What `source` resolved to at its latest HELLO; None before it."""
        with self._lock:
            return self._resolved.get(source)

    def forget(self, source: str) -> None:
        """Resolve again at the next HELLO (the device was disconnected, or recalibrated)."""
        with self._lock:
            self._resolved.pop(source, None)


def resolve(store: CalibrationStore | None, hello: Hello) -> ResolvedConversion:
    """The store's record for the device, its factory scales when it has none, or (with a note) when refused."""
    device = "0x" + hello.device.hex()
    if store is None:
        return ResolvedConversion(device, Conversion.factory(hello.v_lsb, hello.i_lsb))
    try:
        return ResolvedConversion(device, store.conversion_for(device, hello.v_lsb, hello.i_lsb))
    except CsmError as exc:
        return ResolvedConversion(device, Conversion.factory(hello.v_lsb, hello.i_lsb),
                                  f"calibration refused: {exc}")
