"""Daily rotation of session files for unattended profiles (a kiosk or a ship logs for months).

A file is rotated once the calendar day (in `tz`) has changed since it was opened, at the first
checkpoint after that: the checkpoint is stored in the old file and repeated as the new file's first,
so each file starts at a signed anchor and verifies on its own (PROTOCOL.md 3.2). A device that sends no
checkpoint within the grace period (two checkpoint intervals, at least two minutes) is rotated at the
next flush anyway; that file's first interval is then unverifiable, as any start without an anchor is.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.protocol import messages as m

MIN_GRACE_S = 120.0


class DailyRotation:
    def __init__(self, tz: str = "UTC", clock: Callable[[], dt.datetime] | None = None,
                 grace_s: float | None = None) -> None:
        try:
            self.zone = dt.UTC if tz == "UTC" else ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise StorageError(f"rotation time zone {tz!r} is not an IANA zone such as Europe/Berlin") from None
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.grace_s = grace_s  # None: two checkpoint intervals of the device, at least MIN_GRACE_S
        self._day: dict[Path, dt.date] = {}
        self._grace: dict[Path, float] = {}
        self._due_since: dict[Path, float] = {}

    def today(self) -> dt.date:
        return self.clock().astimezone(self.zone).date()

    def opened(self, f, hello: m.Hello) -> None:
        self._day[f.path] = self.today()
        self._grace[f.path] = (self.grace_s if self.grace_s is not None
                               else max(MIN_GRACE_S, 2.0 * hello.checkpoint_interval_s))

    def due(self, f) -> bool:
        """The day changed since `f` opened: rotate at the next checkpoint."""
        day = self._day.get(f.path)
        if day is None or self.today() == day:
            return False
        self._due_since.setdefault(f.path, time.monotonic())
        return True

    def overdue(self, f) -> bool:
        """Due for longer than the grace period without a checkpoint to rotate at."""
        if not self.due(f):
            return False
        return time.monotonic() - self._due_since[f.path] >= self._grace.get(f.path, MIN_GRACE_S)

    def forget(self, path: Path) -> None:
        for d in (self._day, self._grace, self._due_since):
            d.pop(path, None)
