"""The lake's layout on disk: Hive-partitioned Parquet, one file per session file per partition.

    LAKE/rollups/device=0x…/date=YYYY-MM-DD/<sha256 of the session file>.parquet     1 s roll-ups
    LAKE/checkpoints/device=0x…/date=…/<sha256>.parquet                               signed checkpoints
    LAKE/sessions/device=0x…/date=…/<sha256>.parquet                                  one row per file
    LAKE/_ingested/<sha256>.json                                                      written last

A file is named by the content hash of the session file it came from, so ingesting the same file again
would write the same names; the marker in `_ingested` (written after every table, by rename) lets a
second ingest skip it without reading it, and a crashed ingest (no marker) redo it whole. Every write is
a temporary file renamed into place, so a reader never sees half a Parquet file. The raw samples stay in
the HDF5 session files, which the `sessions` rows reference by hash and path.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from carbon_smart_meter.durable import publish, write_atomically

TABLES = ("rollups", "checkpoints", "sessions")
MARKERS = "_ingested"
COMPRESSION = "zstd"


def marker_path(lake: Path, sha256: str) -> Path:
    return lake / MARKERS / f"{sha256}.json"


def is_ingested(lake: Path, sha256: str) -> bool:
    return marker_path(lake, sha256).is_file()


def _atomic_write(table: pa.Table, path: Path) -> None:
    publish(path, lambda tmp: pq.write_table(table, tmp, compression=COMPRESSION))


def _dates(t: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """UTC dates (YYYY-MM-DD strings) of a timestamp column."""
    return np.asarray(pc.strftime(t, format="%Y-%m-%d").to_pylist(), dtype=object) if len(t) else np.zeros(0, object)


def write_partitioned(lake: Path, name: str, device: str, table: pa.Table, time_column: str, sha256: str,
                      fallback_date: str) -> list[Path]:
    """`table` split by the UTC date of `time_column` into LAKE/name/device=…/date=…/<sha256>.parquet."""
    if table.num_rows == 0:
        return []
    col = table.column(time_column)
    if col.null_count == len(col):
        groups = {fallback_date: table}
    else:
        days = _dates(col.fill_null(pa.scalar(0, col.type)))
        bounds = np.flatnonzero(days[1:] != days[:-1]) + 1 if len(days) > 1 else np.zeros(0, np.int64)
        if np.all(days[:-1] <= days[1:]):  # sorted by time (roll-ups are): contiguous slices, no copies
            starts = np.concatenate(([0], bounds))
            stops = np.concatenate((bounds, [len(days)]))
            groups = {str(days[a]): table.slice(a, b - a) for a, b in zip(starts, stops, strict=True)}
        else:
            groups = {str(d): table.filter(pa.array(days == d)) for d in np.unique(days)}
    out = []
    for day, part in groups.items():
        path = lake / name / f"device={device}" / f"date={day}" / f"{sha256}.parquet"
        _atomic_write(part, path)
        out.append(path)
    return out


def write_marker(lake: Path, sha256: str, summary: dict[str, object]) -> None:
    write_atomically(marker_path(lake, sha256), json.dumps(summary, sort_keys=True, default=str))


def glob(lake: Path, name: str) -> str:
    """The pattern DuckDB reads a table with (hive partitioning gives the device and date columns)."""
    return str(lake / name / "**" / "*.parquet")


def has_table(lake: Path, name: str) -> bool:
    root = lake / name
    return root.is_dir() and any(root.rglob("*.parquet"))
