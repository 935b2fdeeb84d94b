"""Energy since local midnight per device, kept across restarts of the window.

A field scientist reads "today" as the day's yield of the panel, not of this run of the program: the
logger window adds each device's live energy to a small file next to the sessions, and a restart the
same day carries on from it. A new local day starts from zero. The figure is the live (unverified)
energy, as the window's other live figures; the session files stay the record.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path

from carbon_smart_meter.durable import write_atomically

SAVE_EVERY_S = 30.0  # a crash loses at most this much of the day's figure


class TodayEnergy:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self.day = self._today()
        self.wh: dict[str, float] = {}
        self._seen: dict[str, float] = {}  # last live energy per key, to add only what is new
        self._saved_at = clock()
        self.problem = ""  # why the file could not be read or written ("" when fine)
        self._load()

    def _today(self) -> str:
        return dt.datetime.fromtimestamp(self.clock()).date().isoformat()  # local midnight

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.problem = f"today's energy not read from {self.path}: {exc}; counting from now"
            return
        if isinstance(data, dict) and data.get("day") == self.day and isinstance(data.get("wh"), dict):
            self.wh = {str(k): float(v) for k, v in data["wh"].items()
                       if isinstance(v, int | float) and v >= 0 and v == v and v != float("inf")}

    def update(self, key: str, live_wh: float, from_zero: bool = False) -> float:
        """Add what `key`'s live energy grew since the last call (a counter that went back, as after a
        reconnect, counts from zero again); returns the device's energy today in Wh. `from_zero`: the
        live energy was counted from the device's connection today, so all of it is today's."""
        day = self._today()
        if day != self.day:
            self.day, self.wh = day, {}
        last = self._seen.get(key)
        self._seen[key] = live_wh
        # What the device made before we first saw it may be another day's (unless counted from zero today);
        # a counter that went back (a reconnect) counts from zero.
        if last is None:
            last = 0.0 if from_zero else live_wh
        grown = live_wh if live_wh < last else live_wh - last
        self.wh[key] = self.wh.get(key, 0.0) + max(grown, 0.0)
        if self.clock() - self._saved_at >= SAVE_EVERY_S:
            self.save()
        return self.wh[key]

    def today_wh(self, key: str) -> float:
        return self.wh.get(key, 0.0)

    def save(self) -> bool:
        """Write atomically; False (and `problem` set) when the folder cannot be written."""
        self._saved_at = self.clock()
        if not self.wh and not self.path.exists():
            return True  # nothing measured: no file (a window opened only to review leaves nothing behind)
        try:
            write_atomically(self.path, json.dumps({"day": self.day, "wh": self.wh}, sort_keys=True))
        except OSError as exc:
            self.problem = f"today's energy not saved to {self.path}: {exc.strerror or exc}"
            return False
        self.problem = ""
        return True
