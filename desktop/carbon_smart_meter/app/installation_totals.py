"""Energy per station since installation and per local day, kept across restarts of the service.

The live ledger counts from the moment a device connected; a kiosk that restarts (an update, a power
cut, its watchdog) would show zero again. This store adds what the ledger integrated since the last
look, per device address and per local calendar day, and writes itself atomically (temporary file,
fsync, rename) every few seconds and at stop, so a crash loses at most that interval of the totals line
(never a sample: the session files hold every sample). Energy produced while no service ran is in
the device's own signed counter and in the claims, not here; the README says so.

Days are the local days (in `tz`) of the device's sample times, so "today" follows the device clock,
which the reader sets on connect (and which an accelerated simulator runs fast, on purpose).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.durable import write_atomically

FILE_NAME = "installation-totals.json"
FORMAT = "csm-installation-totals/1"
KEEP_DAYS = 62  # per device: enough for "today", "yesterday" and a month of history, bounded


@dataclass
class StationTotal:
    device: str                        # 0x address
    installed_utc: float               # when the service first saw this device
    energy_wh: float = 0.0             # since installation
    days: dict[str, float] = field(default_factory=dict)  # local ISO date -> Wh

    def to_json(self) -> dict[str, object]:
        return {"installed_utc": self.installed_utc, "energy_wh": self.energy_wh, "days": self.days}


class InstallationTotals:
    """Thread-safe: the figures thread adds, the service saves; readers get copies."""

    def __init__(self, path: Path, clock=time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.stations: dict[str, StationTotal] = {}
        self.problem: str | None = None  # why the file could not be read or written, in words
        self._seen: dict[str, float] = {}  # source -> the ledger's Wh when last added
        self._lock = threading.Lock()
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # Kept aside, never overwritten silently: a damaged file is renamed and the totals start again.
            aside = self.path.with_suffix(f".damaged-{int(self.clock())}.json")
            try:
                self.path.rename(aside)
            except OSError:
                aside = self.path
            self.problem = f"totals file {self.path} was unreadable ({exc}); kept as {aside.name}, counting anew"
            return
        if data.get("format") != FORMAT:
            self.problem = f"totals file {self.path} has format {data.get('format')!r}; expected {FORMAT}"
            return
        for device, row in data.get("stations", {}).items():
            self.stations[device] = StationTotal(device, float(row["installed_utc"]), float(row["energy_wh"]),
                                                 {str(k): float(v) for k, v in row.get("days", {}).items()})

    def add(self, source: str, device: str, ledger_wh: float, day: str) -> float:
        """The ledger of `source` now holds `ledger_wh` since it connected; what is new since the last
        call is added to `device`'s total and to local `day` (the day of its newest sample). Returns the
        Wh added. A ledger that went back (the device was disconnected and its track started again)
        counts from zero. Between two calls (a second apart) only energy at midnight could land on the
        wrong day, and a solar panel makes none then."""
        if not device:
            return 0.0  # before the HELLO nothing is known to be whose
        with self._lock:
            last = self._seen.get(source, 0.0)
            if ledger_wh < last - 1e-9:
                last = 0.0
            self._seen[source] = ledger_wh
            station = self.stations.get(device)
            if station is None:
                station = self.stations[device] = StationTotal(device, self.clock())
                self._dirty = True
            delta = ledger_wh - last
            if delta <= 0:
                return 0.0
            station.days[day] = station.days.get(day, 0.0) + delta
            station.energy_wh += delta
            self._dirty = True
            if len(station.days) > KEEP_DAYS:
                for old in sorted(station.days)[:-KEEP_DAYS]:
                    del station.days[old]
            return delta

    def forget_source(self, source: str) -> None:
        with self._lock:
            self._seen.pop(source, None)

    def get(self, device: str) -> StationTotal | None:
        with self._lock:
            st = self.stations.get(device)
            return None if st is None else StationTotal(st.device, st.installed_utc, st.energy_wh, dict(st.days))

    def all(self) -> list[StationTotal]:
        with self._lock:
            return [StationTotal(s.device, s.installed_utc, s.energy_wh, dict(s.days)) for s in self.stations.values()]

    def save(self, force: bool = False) -> bool:
        """Write atomically if anything changed; False (and `problem` set) when the disk refused."""
        with self._lock:
            if not (self._dirty or force):
                return True
            text = json.dumps({"format": FORMAT, "saved_utc": self.clock(),
                               "stations": {d: s.to_json() for d, s in self.stations.items()}}, indent=1)
            self._dirty = False
        try:
            write_atomically(self.path, text)
        except OSError as exc:
            with self._lock:
                self._dirty = True
            self.problem = f"cannot write the totals file {self.path}: {exc.strerror or exc}"
            return False
        self.problem = None
        return True
