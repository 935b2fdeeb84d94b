"""Energy counters that only go up, across restarts of the bridge, the app and the machine.

Home Assistant's `total_increasing` treats any decrease as a meter reset and counts the next value as
new energy, so a bridge that restarted from zero would double-count the day. The live session counts
energy since a device connected; this store adds it to what the device had reached before, keeps the
figure monotonic, and saves it (atomically: temporary file, fsync, rename) so the next run starts from
it. One small JSON file per data directory, keyed by device address.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from carbon_smart_meter.durable import write_atomically

FILENAME = "mqtt-energy-totals.json"


class EnergyTotals:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._saved: dict[str, float] = self._load()
        self._base: dict[str, float] = {}    # source -> the device's total when this run first saw it
        self._device: dict[str, str] = {}    # source -> address
        self._session: dict[str, float] = {}  # source -> the session's count at the last call
        self._last: dict[str, float] = dict(self._saved)  # address -> highest total published

    def _load(self) -> dict[str, float]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # A damaged counter file must not stop the bridge; starting the counters from zero would make
            # Home Assistant see a reset, which it handles (a reset is not counted as energy).
            raise ValueError(f"energy totals {self.path} unreadable ({exc}); move it aside to start from zero") from exc
        return {str(k): float(v) for k, v in raw.get("kwh", {}).items()}

    def total_kwh(self, source: str, address: str, session_kwh: float) -> float:
        """The device's counter now: its total before this run plus what this run has measured."""
        session_kwh = max(session_kwh, 0.0)
        with self._lock:
            if self._device.get(source) != address or session_kwh < self._session.get(source, 0.0):
                # first sight this run, another device on the port, or the session's count started over
                # (a reconnect): all the session has counted since is new, on top of the device's total
                self._device[source] = address
                self._base[source] = self._last.get(address, 0.0)
            self._session[source] = session_kwh
            total = max(self._base[source] + session_kwh, self._last.get(address, 0.0))
            self._last[address] = total
            return total

    def save(self) -> None:
        with self._lock:
            if self._last == self._saved:
                return
            snapshot = dict(self._last)
        write_atomically(self.path, json.dumps({"schema": "csm-mqtt-totals/1", "kwh": snapshot}, indent=1,
                                               sort_keys=True))
        with self._lock:
            self._saved = snapshot
