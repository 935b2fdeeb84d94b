"""Reading the HDF5 superblock directly, for what HDF5 itself cannot do safely.

`csm repair` must clear the open-for-write flags HDF5 refuses to open past, and readers must notice a
file cut short before HDF5 sees it, because HDF5 can spin forever on one.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from carbon_smart_meter.errors import StorageError

SIGNATURE = b"\x89HDF\r\n\x1a\n"


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


def truncation_problem(path: Path) -> str | None:
    """Why an HDF5 file is shorter than its superblock says, or None.

    The HDF5 library can spin forever (holding h5py's global lock, which would stall the recorder too)
    on a file cut short by a failed copy or a full disk, so readers check the end-of-file address
    before letting HDF5 near a file (`csm repair` sets it to the real size). A live SWMR file is never
    shorter than its flushed end address.
    """
    try:
        with open(path, "rb") as fh:
            base = find_superblock(fh)
            fh.seek(base + 8)
            version = fh.read(1)[0]
            if version >= 2:
                size_of_offsets = fh.read(1)[0]
                eof_at = base + 12 + 2 * size_of_offsets
            else:
                fh.seek(base + 13)
                size_of_offsets = fh.read(1)[0]
                eof_at = base + 24 + (4 if version == 1 else 0) + 2 * size_of_offsets
            fh.seek(eof_at)
            raw = fh.read(size_of_offsets)
            size = os.fstat(fh.fileno()).st_size
    except (OSError, IndexError, ValueError) as exc:
        return f"cannot read its HDF5 header ({exc})"
    except StorageError as exc:  # no superblock at all
        return str(exc)
    if size_of_offsets != 8 or len(raw) != 8:
        return None  # unusual layout: let HDF5 judge it
    eof = struct.unpack("<Q", raw)[0]
    if eof != 0xFFFFFFFFFFFFFFFF and base + eof > size:
        return f"the file is cut short: it has {size:,} bytes but its header says {base + eof:,}"
    return None


def refuse_if_cut(path: Path | str) -> None:
    """Raise a StorageError that says what to do, instead of letting HDF5 hang on a cut file."""
    problem = truncation_problem(Path(path))
    if problem:
        raise StorageError(f"{path}: {problem}. If it was being recorded when the disk filled or the machine "
                           f"died, `csm repair {path}` makes what was flushed readable; if it is a copy, copy "
                           "it again")
