"""One claims sync at a time per outbox, across processes (the ship service, `csm claims sync`, a bundle).

Two syncs of the same outbox at once could never pay twice (the chain refuses a replay), but they would
sign competing transactions and pay fees for refusals. An advisory lock file beside the outbox makes the
second one say so and stop; the lock goes with the process, so a killed sync never leaves it held.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from carbon_smart_meter.errors import ChainError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process per outbox is the user's to keep
    fcntl = None  # type: ignore[assignment]


class SyncBusyError(ChainError):
    """Another process is syncing this outbox right now."""


class SyncLock:
    def __init__(self, outbox_path: Path) -> None:
        self.path = Path(str(outbox_path) + ".sync-lock")
        self._fd: int | None = None

    def __enter__(self) -> SyncLock:
        if fcntl is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise SyncBusyError(f"another claims sync is running on this outbox (process {holder}); it finishes "
                                "the job, try again when it is done") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None
