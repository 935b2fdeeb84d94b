"""Pseudo-terminal pairs for the simulator: the host opens the slave path with pyserial like a real port."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from carbon_smart_meter.errors import DeviceError

try:
    import tty  # POSIX only (termios): a Windows build imports this module with the window, and must start
except ImportError:
    HAVE_PTY = False
else:
    HAVE_PTY = hasattr(os, "openpty")

NO_PTY = ("simulated adapters run on pseudo-terminals, which this system does not have (Windows); connect a "
          "real adapter, or run `csm simulate` on Linux or macOS and reach it with socket://HOST:PORT")


class PtyPair:
    """A raw-mode pty; the simulator keeps the slave open so host disconnects never raise EIO on it."""

    def __init__(self, link: str | Path | None = None) -> None:
        if not HAVE_PTY:
            raise DeviceError(NO_PTY)
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self.slave)
        self.link = Path(link) if link else None
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self.path)
            tmp.replace(self.link)  # atomic: a reader never sees a missing link while we swap ptys

    def close(self, remove_link: bool = False) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        if remove_link and self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()
