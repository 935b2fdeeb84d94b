"""Export a session (or a time range of it, optionally resampled) to CSV or Parquet, chunk by chunk.

Units travel with the numbers: CSV headers read `voltage [V]` (plus `uncalibrated` when the device had
no calibration record), Parquet fields carry a `units` metadata entry. What describes the session
rather than a row (site, operator, panel, notes from the recording and the review) goes into a sidecar
`OUT.meta.json` beside either format, so the CSV stays one header line that every tool reads; Parquet
also carries it in its schema metadata. Resampling bins device time into
fixed windows and streams, carrying the one window a chunk boundary can split.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from carbon_smart_meter.calibration.units import registry
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage.reader import SAMPLE_CHANNELS, Session
from carbon_smart_meter.storage.review_notes import session_notes
from carbon_smart_meter.storage.superblock import refuse_if_cut

MEANS = ["voltage", "current", "power"]
# A readable time first: ISO 8601 UTC of `device_time_ns` (unix time once the device synced its clock;
# before that, time since boot, which then reads as 1970-01-01). Spreadsheets and pandas parse it as is.
TIME_COLUMN = "time_utc"
Progress = Callable[[int, int], None]


def parse_duration_ns(text: str) -> int:
    """'1s', '500 ms', '1 min' -> ns, checked by pint (a '1 V' window is refused)."""
    m = re.match(r"^\s*(\d+(?:\.\d*)?)\s*([A-Za-z]+)\s*$", text)
    if not m:
        raise StorageError(f"resample window {text!r}: expected a number and a time unit such as 1s or 500ms")
    ureg = registry()
    try:
        q = ureg.Quantity(float(m.group(1)), m.group(2))
        ns = round(q.to("ns").magnitude)
    except Exception as exc:
        raise StorageError(f"resample window {text!r}: {m.group(2)!r} is not a unit of time") from exc
    if ns <= 0:
        raise StorageError(f"resample window {text!r} must be positive")
    return ns


def parse_time_ns(text: str | None, origin_ns: int) -> int | None:
    """ISO 8601 (UTC unless an offset is given) or seconds after the first sample."""
    if text is None:
        return None
    try:
        return origin_ns + round(float(text) * 1e9)
    except ValueError:
        pass
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise StorageError(f"time {text!r}: expected ISO 8601 (2026-11-29T12:00:00Z) or seconds") from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return int(t.timestamp() * 1e6) * 1000


def export(session_path: Path | str, out: Path | str, fmt: str, *, start: str | None = None,
           stop: str | None = None, resample: str | None = None, progress: Progress | None = None,
           chunk_rows: int = 262_144) -> int:
    """Write the export; returns the number of rows written."""
    out = Path(out)
    if fmt not in ("csv", "parquet"):
        raise StorageError(f"unknown export format {fmt!r}: use csv or parquet")
    described = description_path(out)
    if described.exists() or described.is_symlink():
        raise StorageError(f"{described} already exists; choose another name (nothing is overwritten)")
    refuse_if_cut(session_path)
    with Session(session_path) as s:
        n = s.rows()
        origin = int(s.samples("device_time_ns", 0, 1)[0]) if n else 0
        lo_ns, hi_ns = parse_time_ns(start, origin), parse_time_ns(stop, origin)
        if lo_ns is not None and hi_ns is not None and lo_ns >= hi_ns:
            raise StorageError(f"the range from {start} to {stop} is empty: --from must be before --to")
        lo, hi = s.row_range(lo_ns, hi_ns)
        status = s.attrs.get("calibration_status", "")
        units = s.channels()
        window = parse_duration_ns(resample) if resample else None
        columns = [TIME_COLUMN, *(["device_time_ns", *MEANS, "samples"] if window else SAMPLE_CHANNELS)]
        col_units = {**units, "samples": "1", TIME_COLUMN: "ISO 8601"}
        about = describe(s, columns, col_units, start=lo_ns, stop=hi_ns, resample=resample)
        sink = _CsvSink(out, columns, col_units, status) if fmt == "csv" else _ParquetSink(
            out, columns, col_units, status, s.attrs, about)
        written, done = 0, 0
        carry: dict | None = None
        try:
            for part in s.iter_blocks(SAMPLE_CHANNELS, rows=chunk_rows, start_ns=lo_ns, stop_ns=hi_ns):
                done += len(part["device_time_ns"])
                if window:
                    table, carry = _bin(part, window, carry)
                else:
                    table = part
                written += sink.write(_with_time(table))
                if progress:
                    progress(done, hi - lo)
            if window and carry is not None:
                written += sink.write(_with_time(_finish(carry)))
        finally:
            sink.close()
    about["rows"] = written
    with described.open("x", encoding="utf-8") as fh:
        json.dump(about, fh, indent=1, ensure_ascii=False)
    return written


def description_path(out: Path | str) -> Path:
    """The sidecar that describes an export: `data.csv` -> `data.csv.meta.json`."""
    out = Path(out)
    return out.with_name(out.name + ".meta.json")


def describe(s: Session, columns: list[str], units: dict, *, start: int | None, stop: int | None,
             resample: str | None) -> dict:
    """What the export's sidecar says about the session (JSON-able)."""
    meta, meta_problems = s.metadata()
    notes, note_problems = session_notes(s)
    attrs = s.attrs

    def iso(ns: int | None) -> str | None:
        return None if ns is None else dt.datetime.fromtimestamp(ns / 1e9, dt.UTC).isoformat()

    return {
        "format": "csm-export-description", "version": 1,
        "session_file": s.path.name, "source": attrs.get("source"), "device": attrs.get("device"),
        "created_utc": attrs.get("created_utc"), "region": attrs.get("region"),
        "calibration_status": attrs.get("calibration_status"),
        "columns": {c: units[c] for c in columns}, "from_utc": iso(start), "to_utc": iso(stop),
        "resample": resample,
        "metadata": meta.to_dict() if meta is not None else None,
        "problems": meta_problems + note_problems,
        "notes": [{**n, "time_utc": iso(n["t_utc_ns"])} for n in notes],
    }


def _with_time(table: dict) -> dict:
    return {TIME_COLUMN: np.asarray(table["device_time_ns"], dtype=np.int64).astype("datetime64[ns]"), **table}


def _bin(part: dict, window: int, carry: dict | None) -> tuple[dict, dict | None]:
    """Aggregate a chunk into windows; the last (possibly unfinished) window is carried to the next."""
    w = part["device_time_ns"] // window
    if not len(w):
        return _empty(), carry
    keys, first = np.unique(w, return_index=True)
    bounds = np.append(first, len(w))
    acc = {"key": keys, "n": np.diff(bounds).astype(np.int64)}
    for c in MEANS:
        acc[c] = np.add.reduceat(part[c].astype(np.float64), first)
    if carry is not None:
        if carry["key"][0] == keys[0]:
            for c in ("n", *MEANS):
                acc[c][0] += carry[c][0]
        else:
            acc = {c: np.concatenate([carry[c], acc[c]]) for c in acc}
    last = {c: acc[c][-1:] for c in acc}
    done = {c: acc[c][:-1] for c in acc}
    return _finish(done, window_hint=window), {**last, "window": window}


def _finish(acc: dict, window_hint: int | None = None) -> dict:
    window = acc.get("window", window_hint)
    out = {"device_time_ns": (acc["key"] * window).astype(np.int64)}
    for c in MEANS:
        out[c] = acc[c] / np.maximum(acc["n"], 1)
    out["samples"] = acc["n"]
    return out


def _empty() -> dict:
    return {"device_time_ns": np.zeros(0, np.int64), **{c: np.zeros(0) for c in MEANS},
            "samples": np.zeros(0, np.int64)}


class _CsvSink:
    def __init__(self, out: Path, columns: list[str], units: dict, status: str) -> None:
        self.columns = columns
        self.fh = out.open("x", encoding="utf-8", newline="")
        flag = " (uncalibrated)" if status == "uncalibrated" else ""
        self.fh.write(",".join(f"{c} [{units[c]}]{flag if c in MEANS else ''}" for c in columns) + "\n")

    def write(self, table: dict) -> int:
        n = len(table[self.columns[0]])
        if n:
            cols = [_csv_text(table[c]) for c in self.columns]
            self.fh.write("\n".join(",".join(row) for row in zip(*cols, strict=True)) + "\n")
        return n

    def close(self) -> None:
        self.fh.close()


def _csv_text(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "M":  # ISO 8601 UTC to the microsecond, "Z" as spreadsheets expect
        return np.char.add(np.datetime_as_string(values, unit="us"), "Z")
    return np.char.mod("%.9g" if values.dtype.kind == "f" else "%d", values)


class _ParquetSink:
    def __init__(self, out: Path, columns: list[str], units: dict, status: str, attrs: dict,
                 about: dict) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        self.columns = columns
        self.out = out
        if out.exists():
            raise StorageError(f"{out} exists; exports never overwrite")
        self.schema = None
        self.pq = pq
        self.units = units
        self.meta = {b"calibration_status": status.encode(), b"device": str(attrs.get("device", "")).encode(),
                     b"source_file_format": b"csm-session/1",
                     b"session_metadata": json.dumps(about["metadata"], ensure_ascii=False).encode(),
                     b"notes": json.dumps(about["notes"], ensure_ascii=False).encode()}
        self.writer: Any = None  # a pyarrow.parquet.ParquetWriter once the first table sets the schema

    def write(self, table: dict) -> int:
        pa = self.pa
        arrays = [pa.array(np.asarray(table[c]), type=pa.timestamp("ns", tz="UTC")) if c == TIME_COLUMN
                  else pa.array(np.asarray(table[c])) for c in self.columns]
        if self.writer is None:
            fields = [pa.field(c, a.type, metadata={b"units": self.units[c].encode()})
                      for c, a in zip(self.columns, arrays, strict=True)]
            self.schema = pa.schema(fields, metadata=self.meta)
            self.writer = self.pq.ParquetWriter(str(self.out), self.schema)
        batch = pa.Table.from_arrays(arrays, schema=self.schema)
        self.writer.write_table(batch)
        return batch.num_rows

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def text_progress(label: str = "export") -> Progress:
    """A one-line progress bar on stderr."""
    def show(done: int, total: int) -> None:
        frac = done / total if total else 1.0
        bar = "#" * int(frac * 30)
        sys.stderr.write(f"\r{label} [{bar:<30}] {frac * 100:5.1f} % {done:,}/{total:,} rows")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
