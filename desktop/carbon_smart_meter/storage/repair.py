"""`csm repair`: make a session file whose writer died openable by every HDF5 tool, in Python alone.

A SWMR writer that is killed leaves two marks in the version-2/3 superblock: the "file open for write"
consistency flags and an end-of-file address older than the data it flushed afterwards. That is what
`h5clear -s -i` fixes; we do the same edit (flags to 0, EOF address raised to the real file size) and
recompute the superblock's Jenkins lookup3 checksum, then trim tables to their shortest column so
every row is whole. Nothing flushed is lost: no data byte is moved.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import h5py
import hdf5plugin  # noqa: F401  (Blosc filter for compressed session files)
import numpy as np

from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage.layout import SAMPLES_TAIL, TABLES, TAIL_STATE
from carbon_smart_meter.storage.reader import sample_rows, tail_rows
from carbon_smart_meter.storage.superblock import cleared, lookup3, opens_in_a_child, read_superblock

__all__ = ["RepairReport", "clear_superblock", "lookup3", "repair"]


@dataclass(frozen=True)
class RepairReport:
    path: Path
    flags_before: int
    eof_before: int
    eof_after: int
    trimmed: dict[str, int]
    folded_rows: int = 0  # rows moved from /samples_tail into /samples

    @property
    def changed(self) -> bool:
        return (self.flags_before != 0 or self.eof_after != self.eof_before or any(self.trimmed.values())
                or self.folded_rows > 0)


def clear_superblock(path: Path | str) -> tuple[int, int, int]:
    """Zero the consistency flags and set the EOF address to the file size (raised after a kill, lowered
    for a file cut short); returns (flags, eof before, eof after)."""
    path = Path(path)
    sb = read_superblock(path)
    if sb is None:
        raise StorageError(f"{path}: superblock version 0/1 has no SWMR flags (not a session file)")
    if not sb.checksum_ok:
        raise StorageError(f"{path}: superblock checksum does not match; the file is damaged beyond a "
                           "flag repair (copy what opens with `csm export`)")
    block, new_eof = cleared(sb)
    if sb.flags or new_eof != sb.eof:
        with open(path, "r+b") as fh:
            fh.seek(sb.base)
            fh.write(block)
            fh.flush()
            os.fsync(fh.fileno())
    return sb.flags, sb.eof, new_eof


def _fold_tail(f: h5py.File) -> int:
    """Move the valid rows of /samples_tail into /samples (what a normal close does); rows moved."""
    if SAMPLES_TAIL not in f:
        return 0
    main, extra = tail_rows(f)
    extra = min(extra, sample_rows(f) - main) if extra else 0
    if extra > 0:
        for name, ds in f["samples"].items():
            ds.resize(main + extra, axis=0)
            ds[main:] = f[SAMPLES_TAIL][name][:extra]
    f[SAMPLES_TAIL][TAIL_STATE][:] = np.array([main + max(extra, 0), 0], np.uint64)
    return max(extra, 0)


def repair(path: Path | str) -> RepairReport:
    """Make `path` a normally openable session file, keeping every flushed row.

    A file repair cannot fix is left exactly as it was (the superblock is checked first and restored
    if HDF5 still cannot open the file after the edit), and the error says why.
    """
    path = Path(path)
    sb = read_superblock(path)
    if sb is None:
        raise StorageError(f"{path}: an HDF5 file older than the session format (superblock version 0/1); "
                           "nothing to repair")
    if not sb.checksum_ok:
        raise StorageError(f"{path}: its HDF5 superblock is damaged (checksum mismatch); `csm repair` only "
                           "clears the marks a killed writer leaves, so it changed nothing. Restore the file "
                           "from a copy")
    with open(path, "rb") as fh:
        fh.seek(sb.base)
        original = fh.read(len(sb.body) + 4)
    flags, eof_before, eof_after = clear_superblock(path)
    problem = opens_in_a_child(path) if (flags or eof_after != eof_before) else None
    if problem is None:
        try:
            with h5py.File(path, "r+") as f:
                folded = _fold_tail(f)
                trimmed: dict[str, int] = {}
                for group in TABLES:
                    if group not in f:
                        continue
                    lengths = {k: ds.shape[0] for k, ds in f[group].items()}
                    n = sample_rows(f) if group == "samples" else min(lengths.values(), default=0)
                    trimmed[group] = sum(v - n for v in lengths.values())
                    for ds in f[group].values():
                        if ds.shape[0] != n:
                            ds.resize(n, axis=0)
                if flags or any(trimmed.values()) or folded:
                    f.attrs["repaired_utc"] = dt.datetime.now(dt.UTC).isoformat()
                    f.attrs["complete"] = False
            return RepairReport(path, flags, eof_before, eof_after, trimmed, folded)
        except OSError as exc:
            problem = str(exc)
    with open(path, "r+b") as fh:  # put the superblock back: the file is exactly as it was
        fh.seek(sb.base)
        fh.write(original)
        fh.flush()
        os.fsync(fh.fileno())
    raise StorageError(f"{path}: HDF5 cannot open it even with the writer's marks cleared ({problem}); "
                       "`csm repair` cannot fix it and left it unchanged. Restore it from a copy")
