"""When a device whose file a full disk stopped may be recorded again: the disk has room once more.

A kiosk or a ship records for months with nobody to press Record. Retention keeps our own files within
the disk budget, but another program can fill the disk; the recorder then closes that device's file
cleanly (`stopped_because`) and, before this, never recorded the device again until a restart. Now it
looks at the disk every `check_s` and resumes in a new file once `margins` space margins are free again
(more than the one margin that stopped it, so a disk at the edge does not stop and start every flush).

A file stopped by the process's file-size limit (RLIMIT_FSIZE), with the disk itself roomy, is not
resumed: every new file would hit the same limit.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

RESUME_CHECK_S = 10.0
RESUME_MARGINS = 2


def disk_free(path: Path) -> int:
    return shutil.disk_usage(path).free


class ResumeWhenRoom:
    """Sources stopped by a full disk, each with the wall-clock time it stopped."""

    def __init__(self, out_dir: Path, margin: int | None, *, check_s: float = RESUME_CHECK_S,
                 margins: int = RESUME_MARGINS, free: Callable[[Path], int] = disk_free) -> None:
        self.out_dir = out_dir
        self.need = None if margin is None else margins * margin
        self.check_s = check_s
        self.free = free
        self.waiting: dict[str, float] = {}
        self._next_check = 0.0

    def stopped(self, source: str) -> None:
        """`source`'s file was stopped for want of space: wait for room, unless the disk has room now."""
        if self.need is not None and self.free(self.out_dir) < self.need:
            self.waiting[source] = time.time()
            self._next_check = time.monotonic() + self.check_s

    def forget(self, source: str) -> None:
        self.waiting.pop(source, None)

    def due(self) -> dict[str, float]:
        """The sources to record again now (with when they stopped), once the disk has room."""
        now = time.monotonic()
        if not self.waiting or now < self._next_check or self.need is None:
            return {}
        self._next_check = now + self.check_s
        try:
            if self.free(self.out_dir) < self.need:
                return {}
        except OSError:  # the disk is gone: look again later
            return {}
        ready, self.waiting = self.waiting, {}
        return ready
