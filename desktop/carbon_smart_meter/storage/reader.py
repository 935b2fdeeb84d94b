"""Reading session files: metadata, time-range reads, block iteration and window summaries.

Opens finished files normally and growing or crashed ones in SWMR read mode, so `csm inspect` and the
UI work on a file that is still being written or whose writer died. Tables are read by their shortest
column: a crash between two column appends never shows a half-written row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import h5py
import hdf5plugin  # noqa: F401  (registers the Blosc filter used by compressed session files)
import numpy as np

from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage.layout import FORMAT_NAME, SAMPLES_TAIL, TABLES, TAIL_STATE
from carbon_smart_meter.storage.metadata import SessionMetadata, read_metadata
from carbon_smart_meter.storage.superblock import refuse_unreadable

SAMPLE_CHANNELS = [c.name for c in TABLES["samples"]]


@dataclass(frozen=True)
class Summary:
    """Per-window statistics of one channel; `t_ns` is the device time of each window's start."""

    t_ns: np.ndarray
    min: np.ndarray
    max: np.ndarray
    mean: np.ndarray
    count: np.ndarray
    units: str


class Session:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.swmr = False
        refuse_unreadable(self.path)  # HDF5 can hang on a cut file or a damaged superblock: check first
        try:
            self.h5 = h5py.File(self.path, "r")
        except OSError as first:
            try:
                self.h5 = h5py.File(self.path, "r", swmr=True)
                self.swmr = True
            except OSError:
                raise StorageError(f"{self.path} is not a readable HDF5 session file: {first}") from first
        if self.h5.attrs.get("format") != FORMAT_NAME:
            self.h5.close()
            raise StorageError(f"{self.path} is HDF5 but not a {FORMAT_NAME} file")

    def close(self) -> None:
        self.h5.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- metadata ----------------------------------------------------------------------------
    @property
    def attrs(self) -> dict:
        return {k: _plain(v) for k, v in self.h5.attrs.items()}

    @property
    def device(self) -> dict:
        return {k: _plain(v) for k, v in self.h5["device"].attrs.items()}

    @property
    def calibration(self) -> dict:
        g = self.h5["calibration"]
        out = {k: _plain(v) for k, v in g.attrs.items()}
        out.update({k: float(g[k][()]) for k in g})
        return out

    def metadata(self) -> tuple[SessionMetadata | None, list[str]]:
        """Session details (/metadata) and what was wrong with them; (None, []) for files without any."""
        return read_metadata(self.h5)

    @property
    def complete(self) -> bool:
        return bool(self.h5.attrs.get("complete", False))

    def channels(self) -> dict[str, str]:
        """Sample channel -> units."""
        return {name: _text(self.h5["samples"][name].attrs["units"]) for name in SAMPLE_CHANNELS}

    def refresh(self) -> None:
        """See rows a live writer appended since opening (SWMR readers only)."""
        if self.swmr:
            for group in (*TABLES, SAMPLES_TAIL):
                if group in self.h5:
                    for ds in self.h5[group].values():
                        ds.refresh()

    def samples(self, name: str, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Rows [lo, hi) of one sample column, from the compressed chunks and, while the file is open or
        after a crash, from /samples_tail (see docs/session-format.md)."""
        return read_samples(self.h5, name, lo, hi)

    def rows(self, table: str = "samples") -> int:
        return sample_rows(self.h5) if table == "samples" else table_rows(self.h5[table])

    def table(self, name: str) -> dict[str, np.ndarray]:
        n = self.rows(name)
        return {k: ds[:n] for k, ds in self.h5[name].items()}

    def events(self) -> list[dict]:
        t = self.table("events")
        return [{k: _plain(v[j]) for k, v in t.items()} for j in range(len(t["kind"]))]

    def annotations(self) -> list[dict]:
        t = self.table("annotations")
        return [{"t_utc_ns": int(t["t_utc_ns"][j]), "text": _plain(t["text"][j])} for j in range(len(t["text"]))]

    def provenance(self) -> dict:
        t = self.table("provenance")
        out = {_text(k): json.loads(_text(v)) for k, v in zip(t["key"], t["value_json"], strict=True)}
        if "provenance" in self.h5:
            out.update({k: json.loads(_text(v)) for k, v in self.h5["provenance"].attrs.items()})
        return out

    # ---- samples -----------------------------------------------------------------------------
    def row_range(self, start_ns: int | None = None, stop_ns: int | None = None) -> tuple[int, int]:
        """Rows whose device time lies in [start_ns, stop_ns), found from the small blocks table."""
        n = self.rows()
        if start_ns is None and stop_ns is None:
            return 0, n
        b = self.table("blocks")
        nb = len(b["row"])
        if nb == 0:
            return 0, 0
        t0 = b["t0_us"].astype(np.int64) * 1000
        t_end = t0 + b["count"].astype(np.int64) * b["period_ns"].astype(np.int64)
        keep = np.ones(nb, bool)
        if start_ns is not None:
            keep &= t_end > start_ns
        if stop_ns is not None:
            keep &= t0 < stop_ns
        if not keep.any():
            return 0, 0
        first, last = np.flatnonzero(keep)[[0, -1]]
        lo = int(b["row"][first])
        hi = int(b["row"][last] + b["count"][last])
        return lo, min(hi, n)

    def read(
        self, channels: list[str] | None = None, start_ns: int | None = None, stop_ns: int | None = None
    ) -> dict[str, np.ndarray]:
        """Channels for a device-time range, reading only the rows of the blocks that overlap it."""
        channels = channels or SAMPLE_CHANNELS
        lo, hi = self.row_range(start_ns, stop_ns)
        out = {c: self.samples(c, lo, hi) for c in {*channels, "device_time_ns"}}
        mask = np.ones(hi - lo, bool)
        if start_ns is not None:
            mask &= out["device_time_ns"] >= start_ns
        if stop_ns is not None:
            mask &= out["device_time_ns"] < stop_ns
        if not mask.all():
            out = {c: a[mask] for c, a in out.items()}
        return {c: out[c] for c in channels}

    def iter_blocks(
        self,
        channels: list[str] | None = None,
        rows: int = 262_144,
        start_ns: int | None = None,
        stop_ns: int | None = None,
    ) -> Iterator[dict[str, np.ndarray]]:
        """Successive row slices (whole chunks) of a range: constant memory however long the file."""
        channels = channels or SAMPLE_CHANNELS
        lo, hi = self.row_range(start_ns, stop_ns)
        need = {*channels, "device_time_ns"}
        for s in range(lo, hi, rows):
            e = min(s + rows, hi)
            part = {c: self.samples(c, s, e) for c in need}
            t = part["device_time_ns"]
            mask = np.ones(e - s, bool)
            if start_ns is not None:
                mask &= t >= start_ns
            if stop_ns is not None:
                mask &= t < stop_ns
            if not mask.all():
                part = {c: a[mask] for c, a in part.items()}
            yield {c: part[c] for c in channels}

    def summary(self, channel: str, window_ns: int, start_ns: int | None = None, stop_ns: int | None = None) -> Summary:
        """min/max/mean per device-time window, streamed block by block (for overviews of long files)."""
        acc: dict[int, list[float]] = {}
        for part in self.iter_blocks([channel, "device_time_ns"], start_ns=start_ns, stop_ns=stop_ns):
            x = part[channel].astype(np.float64)
            if not len(x):
                continue
            w = part["device_time_ns"] // window_ns
            order = np.argsort(w, kind="stable")
            xs, ws = x[order], w[order]
            keys, first = np.unique(ws, return_index=True)
            bounds = np.append(first, len(ws))
            mins = np.minimum.reduceat(xs, bounds[:-1])
            maxs = np.maximum.reduceat(xs, bounds[:-1])
            sums = np.add.reduceat(xs, bounds[:-1])
            counts = np.diff(bounds)
            for k, lo_, hi_, s_, c_ in zip(keys.tolist(), mins, maxs, sums, counts, strict=True):
                a = acc.get(k)
                if a is None:
                    acc[k] = [lo_, hi_, s_, c_]
                else:
                    a[0], a[1], a[2], a[3] = min(a[0], lo_), max(a[1], hi_), a[2] + s_, a[3] + c_
        windows = sorted(acc)
        arr = np.array([acc[k] for k in windows], dtype=np.float64).reshape(-1, 4)
        return Summary(
            np.array(windows, np.int64) * window_ns,
            arr[:, 0],
            arr[:, 1],
            arr[:, 2] / np.maximum(arr[:, 3], 1),
            arr[:, 3].astype(np.int64),
            self.channels()[channel],
        )

    def energy_wh(self) -> float:
        """Energy of positive power (as the device counts it, PROTOCOL.md 5), integrated per block period."""
        b = self.table("blocks")
        n = self.rows()
        if not len(b["row"]):
            return 0.0
        starts = b["row"].astype(np.int64)
        periods = b["period_ns"].astype(np.float64) * 1e-9
        total = 0.0
        step = 262_144
        for s in range(0, n, step):
            e = min(s + step, n)
            p = self.samples("power", s, e).astype(np.float64)
            idx = np.searchsorted(starts, np.arange(s, e), side="right") - 1
            total += float(np.sum(np.maximum(p, 0.0) * periods[np.clip(idx, 0, None)]))
        return total / 3600.0


def table_rows(group: h5py.Group) -> int:
    """Rows every column of a table has (a crash between two column appends leaves them uneven)."""
    return min(ds.shape[0] for ds in group.values())


TAIL_RETRIES = 50  # a reader waits at most ~1 s for a live writer to finish moving its tail
TAIL_RETRY_S = 0.02


def tail_rows(h5: h5py.File) -> tuple[int, int]:
    """(rows in the compressed /samples columns, valid rows in /samples_tail after them).

    A live writer (SWMR) moves whole chunks from the tail into /samples and then says so in the tail's
    state; a reader that refreshed one before the other sees a state naming another start. It refreshes
    both and looks again, so it never reports the rows in between as missing. In a file no one writes
    any more, such a state is stale (the writer died between the two steps) and the tail holds nothing.
    """
    main = table_rows(h5["samples"])
    if SAMPLES_TAIL not in h5:
        return main, 0
    for attempt in range(TAIL_RETRIES):
        start, rows = (int(x) for x in h5[SAMPLES_TAIL][TAIL_STATE][:2])
        if start == main:
            return main, rows
        if not h5.swmr_mode:
            break
        if attempt:  # the writer is between growing /samples and rewriting the tail: milliseconds
            time.sleep(TAIL_RETRY_S)
        for ds in (*h5["samples"].values(), *h5[SAMPLES_TAIL].values()):
            ds.refresh()
        main = table_rows(h5["samples"])
    return main, 0


def read_samples(h5: h5py.File, name: str, lo: int = 0, hi: int | None = None) -> np.ndarray:
    """Rows [lo, hi) of a sample column across the compressed datasets and the tail."""
    main, extra = tail_rows(h5)
    hi = main + extra if hi is None else min(hi, main + extra)
    lo = max(0, lo)
    if hi <= lo:
        return h5["samples"][name][0:0]
    if hi <= main:
        return h5["samples"][name][lo:hi]
    tail = h5[SAMPLES_TAIL][name][max(lo, main) - main : hi - main]
    if h5.swmr_mode and _tail_moved(h5, main):  # a live writer moved its tail while we read it: read again
        return read_samples(h5, name, lo, hi)
    if lo >= main:
        return tail
    return np.concatenate([h5["samples"][name][lo:main], tail])


def _tail_moved(h5: h5py.File, main: int) -> bool:
    state = h5[SAMPLES_TAIL][TAIL_STATE]
    state.refresh()
    if int(state[0]) == main:
        return False
    for ds in (*h5["samples"].values(), *h5[SAMPLES_TAIL].values()):
        ds.refresh()
    return True


def sample_rows(h5: h5py.File) -> int:
    """Sample rows that are whole: no longer than the columns, nor than the blocks table covers.

    The blocks table is appended after the samples in the same write, so when a write dies halfway
    (disk full inside HDF5) a sample column may already be extended over data that never reached the
    disk; the blocks table does not cover those rows, and they are not counted.
    """
    main, extra = tail_rows(h5)
    n = main + extra
    nb = table_rows(h5["blocks"])
    if nb:
        b = h5["blocks"]
        covered = int(np.max(b["row"][:nb].astype(np.int64) + b["count"][:nb].astype(np.int64)))
        n = min(n, covered)
    return n


def _text(v: object) -> str:
    """An HDF5 string attribute or cell (bytes or str) as text."""
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _plain(v: object) -> object:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v
