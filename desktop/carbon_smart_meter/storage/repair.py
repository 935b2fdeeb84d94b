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
import struct
from dataclasses import dataclass
from pathlib import Path

import h5py
import hdf5plugin  # noqa: F401  (Blosc filter for compressed session files)

from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage.layout import TABLES
from carbon_smart_meter.storage.reader import sample_rows
from carbon_smart_meter.storage.superblock import find_superblock

_M = 0xFFFFFFFF


@dataclass(frozen=True)
class RepairReport:
    path: Path
    flags_before: int
    eof_before: int
    eof_after: int
    trimmed: dict[str, int]

    @property
    def changed(self) -> bool:
        return self.flags_before != 0 or self.eof_after != self.eof_before or any(self.trimmed.values())


def lookup3(data: bytes, initval: int = 0) -> int:
    """Bob Jenkins' lookup3 `hashlittle`, the checksum HDF5 puts on its version-2+ metadata."""

    def rot(x: int, k: int) -> int:
        return ((x << k) | (x >> (32 - k))) & _M

    length = len(data)
    a = b = c = (0xDEADBEEF + length + initval) & _M
    off = 0
    while length > 12:
        x, y, z = struct.unpack_from("<III", data, off)
        a, b, c = (a + x) & _M, (b + y) & _M, (c + z) & _M
        a = (a - c) & _M; a ^= rot(c, 4); c = (c + b) & _M  # noqa: E702
        b = (b - a) & _M; b ^= rot(a, 6); a = (a + c) & _M  # noqa: E702
        c = (c - b) & _M; c ^= rot(b, 8); b = (b + a) & _M  # noqa: E702
        a = (a - c) & _M; a ^= rot(c, 16); c = (c + b) & _M  # noqa: E702
        b = (b - a) & _M; b ^= rot(a, 19); a = (a + c) & _M  # noqa: E702
        c = (c - b) & _M; c ^= rot(b, 4); b = (b + a) & _M  # noqa: E702
        off += 12
        length -= 12
    if length == 0:
        return c
    tail = data[off:] + bytes(12 - length)
    x, y, z = struct.unpack("<III", tail)
    a, b, c = (a + x) & _M, (b + y) & _M, (c + z) & _M
    c ^= b; c = (c - rot(b, 14)) & _M  # noqa: E702
    a ^= c; a = (a - rot(c, 11)) & _M  # noqa: E702
    b ^= a; b = (b - rot(a, 25)) & _M  # noqa: E702
    c ^= b; c = (c - rot(b, 16)) & _M  # noqa: E702
    a ^= c; a = (a - rot(c, 4)) & _M  # noqa: E702
    b ^= a; b = (b - rot(a, 14)) & _M  # noqa: E702
    c ^= b; c = (c - rot(b, 24)) & _M  # noqa: E702
    return c


def clear_superblock(path: Path | str) -> tuple[int, int, int]:
    """Zero the consistency flags and raise the EOF address to the file size; (flags, eof before, after)."""
    path = Path(path)
    with open(path, "r+b") as fh:
        base = find_superblock(fh)
        fh.seek(base + 8)
        version, so, _sl, flags = fh.read(4)
        if version < 2:
            raise StorageError(f"{path}: superblock version {version} has no SWMR flags (not a session file)")
        if so not in (4, 8):
            raise StorageError(f"{path}: unexpected size of offsets {so}")
        fmt = "<" + ("I" if so == 4 else "Q") * 4
        body_len = 12 + 4 * so
        fh.seek(base)
        block = bytearray(fh.read(body_len + 4))
        stored_sum = struct.unpack_from("<I", block, body_len)[0]
        if lookup3(bytes(block[:body_len])) != stored_sum:
            raise StorageError(f"{path}: superblock checksum does not match; the file is damaged beyond a "
                               "flag repair (copy what opens with `csm export`)")
        base_addr, ext_addr, eof, root = struct.unpack_from(fmt, block, 12)
        size = os.fstat(fh.fileno()).st_size - base
        new_eof = max(eof, size)
        block[11] = 0
        struct.pack_into(fmt, block, 12, base_addr, ext_addr, new_eof, root)
        struct.pack_into("<I", block, body_len, lookup3(bytes(block[:body_len])))
        if flags or new_eof != eof:
            fh.seek(base)
            fh.write(block)
            fh.flush()
            os.fsync(fh.fileno())
    return flags, eof, new_eof


def repair(path: Path | str) -> RepairReport:
    """Make `path` a normally openable session file, keeping every flushed row."""
    path = Path(path)
    flags, eof_before, eof_after = clear_superblock(path)
    trimmed: dict[str, int] = {}
    try:
        with h5py.File(path, "r+") as f:
            for group in TABLES:
                if group not in f:
                    continue
                lengths = {k: ds.shape[0] for k, ds in f[group].items()}
                n = sample_rows(f) if group == "samples" else min(lengths.values(), default=0)
                trimmed[group] = sum(v - n for v in lengths.values())
                for ds in f[group].values():
                    if ds.shape[0] != n:
                        ds.resize(n, axis=0)
            if flags or any(trimmed.values()):
                f.attrs["repaired_utc"] = dt.datetime.now(dt.UTC).isoformat()
                f.attrs["complete"] = False
    except OSError as exc:
        raise StorageError(f"{path}: still not openable after clearing the superblock flags: {exc}") from exc
    return RepairReport(path, flags, eof_before, eof_after, trimmed)
