"""Small files replaced whole, so that a crash or a power cut leaves the old version or the new, never half.

Settings, the kiosk configuration, today's energy, the totals since installation, the MQTT totals, review
notes and the fleet lake's files are all rewritten this way: the new bytes go to a temporary file in the
same folder (named for this process and unique, so two writers never share one), are flushed and synced,
renamed over the old name, and the folder is synced so the rename itself survives a power cut. A
temporary file left by a killed writer starts with a dot and ends in `.tmp`; readers never look at it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def temporary_name(path: Path) -> Path:
    """A name beside `path` that no other writer (process or thread) uses."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in `folder` durable (a no-op where folders cannot be opened: Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network, FUSE) refuse to sync a folder; the rename is done all the same
    finally:
        os.close(fd)


def publish(path: Path | str, write: Callable[[Path], None]) -> Path:
    """`write(tmp)` makes the new file (a library's writer, e.g. Parquet); it is synced and renamed to
    `path`. On any error the temporary file is removed and `path` is left as it was; the error propagates."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def write_atomically(path: Path | str, data: bytes | str, *, mode: int = 0o666) -> Path:
    """Replace `path` with `data` (text is written as UTF-8) in one step. `mode` (less the umask) is the
    file's from its creation: a secret written with 0o600 is never readable by others, not even briefly."""
    raw = data.encode("utf-8") if isinstance(data, str) else data

    def write(tmp: Path) -> None:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    return publish(path, write)
