"""Reading the HDF5 superblock directly, for what HDF5 itself cannot do safely.

`csm repair` must clear the open-for-write flags HDF5 refuses to open past, and readers must notice a
file cut short or a damaged superblock before HDF5 sees it: HDF5 can spin forever on either (on a
SWMR read it retries a metadata checksum failure again and again, holding h5py's global lock, which
would stall the recorder too).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.errors import StorageError

SIGNATURE = b"\x89HDF\r\n\x1a\n"
_M = 0xFFFFFFFF
UNDEFINED = 0xFFFFFFFFFFFFFFFF


def find_superblock(fh) -> int:
    """Offset of the superblock: 0, or 512, 1024, 2048 ... when the file has a user block."""
    size = os.fstat(fh.fileno()).st_size
    offset = 0
    while offset < size:
        fh.seek(offset)
        if fh.read(8) == SIGNATURE:
            return offset
        offset = 512 if offset == 0 else offset * 2
    raise StorageError("no HDF5 superblock found: this is not an HDF5 file")


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


@dataclass(frozen=True)
class Superblock:
    """The fields of a version 2/3 superblock that repair and the pre-open checks need."""

    base: int              # file offset of the superblock
    version: int
    size_of_offsets: int
    flags: int             # file consistency flags: non-zero while a writer has (or had) it open
    eof: int               # end-of-file address, relative to base
    body: bytes            # the checksummed bytes
    checksum_ok: bool
    file_size: int

    @property
    def cut_short(self) -> bool:
        return self.eof != UNDEFINED and self.base + self.eof > self.file_size


def read_superblock(path: Path | str) -> Superblock | None:
    """The version 2/3 superblock of `path`, or None for older versions (HDF5 judges those itself)."""
    with open(path, "rb") as fh:
        base = find_superblock(fh)
        fh.seek(base + 8)
        head = fh.read(4)
        if len(head) < 4:
            raise StorageError("the file ends inside its HDF5 superblock")
        version, so = head[0], head[1]
        if version < 2:
            return None
        if so not in (4, 8):
            raise StorageError(f"its HDF5 superblock says offsets are {so} bytes (damaged)")
        body_len = 12 + 4 * so
        fh.seek(base)
        block = fh.read(body_len + 4)
        size = os.fstat(fh.fileno()).st_size
    if len(block) < body_len + 4:
        raise StorageError("the file ends inside its HDF5 superblock")
    fmt = "<" + ("I" if so == 4 else "Q") * 4
    _base_addr, _ext, eof, _root = struct.unpack_from(fmt, block, 12)
    stored = struct.unpack_from("<I", block, body_len)[0]
    ok = lookup3(block[:body_len]) == stored
    return Superblock(base, version, so, block[11], eof, block[:body_len], ok, size)


def header_problem(path: Path) -> str | None:
    """Why HDF5 must not be let near `path` (it could hang or misread), or None."""
    try:
        sb = read_superblock(path)
    except StorageError as exc:
        return str(exc)
    except (OSError, IndexError, ValueError) as exc:
        return f"cannot read its HDF5 header ({exc})"
    if sb is None:
        return None
    if not sb.checksum_ok:
        return "its HDF5 superblock is damaged (checksum mismatch)"
    if sb.cut_short:
        return f"the file is cut short: it has {sb.file_size:,} bytes but its header says {sb.base + sb.eof:,}"
    return None


def truncation_problem(path: Path) -> str | None:
    """Kept for callers of the old name: any header problem, cut files included."""
    return header_problem(Path(path))


def cleared(sb: Superblock) -> tuple[bytes, int]:
    """The superblock bytes `csm repair` writes (flags 0, EOF = file size when the file is cut or longer
    than the EOF says, as `h5clear -s -i` does), with its checksum; and the new EOF."""
    so = sb.size_of_offsets
    fmt = "<" + ("I" if so == 4 else "Q") * 4
    block = bytearray(sb.body)
    base_addr, ext_addr, eof, root = struct.unpack_from(fmt, block, 12)
    size = sb.file_size - sb.base
    new_eof = size if eof > size else max(eof, size)
    block[11] = 0
    struct.pack_into(fmt, block, 12, base_addr, ext_addr, new_eof, root)
    return bytes(block) + struct.pack("<I", lookup3(bytes(block))), new_eof


# Runs in a child process: HDF5 may hang on a damaged file, and a hang must cost only the child.
# argv: path, superblock offset, hex of the superblock bytes to see in place of the real ones ("" = none).
_PROBE = """
import io, sys, hdf5plugin, h5py
path, base, patch = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
class Patched(io.RawIOBase):
    def __init__(self):
        self.f = open(path, "rb")
    def readable(self):
        return True
    def seekable(self):
        return True
    def seek(self, off, whence=0):
        return self.f.seek(off, whence)
    def tell(self):
        return self.f.tell()
    def readinto(self, b):
        pos = self.f.tell()
        n = self.f.readinto(b)
        lo, hi = max(pos, base), min(pos + n, base + len(patch))
        if lo < hi:
            b[lo - pos:hi - pos] = patch[lo - base:hi - base]
        return n
with h5py.File(Patched() if patch else path, "r") as f:
    f.visit(lambda name: None)
"""


def opens_in_a_child(path: Path, patch: bytes = b"", base: int = 0, timeout_s: float = 60.0) -> str | None:
    """None when HDF5 opens `path` (seen with `patch` at `base`) in a child process, else why not."""
    try:
        r = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(base), patch.hex()],
                           capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return f"HDF5 did not finish opening it within {timeout_s:.0f} s"
    if r.returncode == 0:
        return None
    lines = [x for x in r.stderr.strip().splitlines() if x.strip()]
    return lines[-1] if lines else f"exit code {r.returncode}"


def repairable(path: Path) -> bool:
    """Whether `csm repair` would make the file open: the superblock is intact and HDF5 opens the file
    as repair would leave it (tried on a view of the file in a child process; nothing is written)."""
    try:
        sb = read_superblock(path)
    except (StorageError, OSError):
        return False
    if sb is None or not sb.checksum_ok:
        return False
    patch, _ = cleared(sb)
    return opens_in_a_child(Path(path), patch, sb.base) is None


def refuse_unreadable(path: Path | str) -> None:
    """Raise a StorageError that says what to do, instead of letting HDF5 hang or misread."""
    path = Path(path)
    problem = header_problem(path)
    if problem is None:
        return
    if repairable(path):
        advice = (f"its writer died or the disk filled: `csm repair {path}` makes what was flushed readable "
                  "(checked on a view of the file: repair will work)")
    else:
        advice = ("`csm repair` cannot fix this; if it is a copy, copy it again from the original, otherwise "
                  "restore it from a backup")
    raise StorageError(f"{path}: {problem}. {advice}")


refuse_if_cut = refuse_unreadable  # the old name, used by export and inspect
