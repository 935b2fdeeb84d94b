"""A disk budget and retention for the session files of one directory (kiosk and ship profiles).

Unattended recorders must never fill their disk: when the session files in the directory together
exceed `budget_bytes`, or one is older than `keep_days`, the oldest closed files are deleted, each
deletion reported as a storage event (so it is in the log, the UI and the next file). Only files named
as the recorder names them are touched, never the files being written; if those alone exceed the
budget that is said once. The signed checkpoints of deleted files stay in the claims outbox.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from carbon_smart_meter.storage.review_notes import notes_path

SESSION_NAME = re.compile(r"^\d{8}T\d{6}Z_.+\.h5$")


class Retention:
    def __init__(self, directory: Path, budget_bytes: int | None = None, keep_days: float | None = None,
                 every_s: float = 60.0) -> None:
        if budget_bytes is not None and budget_bytes <= 0:
            raise ValueError("a disk budget must be a positive number of bytes")
        if keep_days is not None and keep_days <= 0:
            raise ValueError("keep_days must be positive")
        self.directory = Path(directory)
        self.budget_bytes = budget_bytes
        self.keep_days = keep_days
        self.every_s = every_s
        self._last = -1e18
        self._said_over = False
        self.deleted: list[Path] = []

    def enforce(self, open_paths: set[Path], force: bool = False) -> list[str]:
        """Delete what the budget and the age limit say; returns one message per deletion or problem."""
        now = time.monotonic()
        if not force and now - self._last < self.every_s:
            return []
        self._last = now
        files = []
        for p in self.directory.glob("*.h5"):
            if not SESSION_NAME.match(p.name):
                continue
            try:
                st = p.stat()
            except OSError:
                continue
            files.append((p.name, st.st_mtime, st.st_size, p))
        files.sort()  # the name starts with the UTC creation time: oldest first
        messages: list[str] = []
        opened = {Path(p).resolve() for p in open_paths}
        total = sum(f[2] for f in files)
        wall = time.time()
        budget = self.budget_bytes
        for name, mtime, size, p in files:
            if p.resolve() in opened:
                continue
            too_old = self.keep_days is not None and wall - mtime > self.keep_days * 86400
            over = budget is not None and total > budget
            if not (too_old or over):
                continue
            try:
                p.unlink()
            except OSError as exc:
                messages.append(f"retention could not delete {name}: {exc}")
                continue
            notes_path(p).unlink(missing_ok=True)  # its review notes go with it
            total -= size
            self.deleted.append(p)
            why = (f"older than {self.keep_days:g} days" if too_old
                   else f"to keep the session files under the disk budget of {(budget or 0) / 1e6:,.1f} MB")
            messages.append(f"retention deleted {name} ({size / 1e6:,.1f} MB), {why}")
        if self.budget_bytes is not None and total > self.budget_bytes:
            if not self._said_over:
                self._said_over = True
                messages.append(f"the files being written ({total / 1e6:,.1f} MB) exceed the disk budget of "
                                f"{self.budget_bytes / 1e6:,.1f} MB: nothing older is left to delete")
        else:
            self._said_over = False
        return messages
