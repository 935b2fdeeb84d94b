"""One session file being written: exclusive create, metadata first, then SWMR appends of whole buffers.

Not thread-safe and never threaded itself: the `SessionRecorder` thread owns it. Samples go into
preallocated numpy buffers (codes copied, SI computed in place) and reach HDF5 as one append per column
when a buffer fills or `flush()` is called (the recorder does so at least once a second), so a reader
or a crash sees whole appends only.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import resource
import shutil
import time
from pathlib import Path

import h5py
import numpy as np

from carbon_smart_meter import __version__
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage.layout import (
    CALIBRATION_SCALARS,
    CHUNK_ROWS,
    FORMAT_NAME,
    FORMAT_VERSION,
    TABLES,
    Column,
    compression_options,
    encode_text,
)

# SWMR needs the v110 file format at least; pinning it (not "latest", which HDF5 2.0 maps to newer
# encodings) keeps session files readable by HDF5 1.10/1.12/1.14 tools: Debian's h5dump, HDFView.
LIBVER = ("v110", "v110")
_PARKED: list[SessionFile] = []  # files abandoned after a write error (see SessionFile.abandon)
_ARANGE = np.arange(m.MAX_BLOCK_SAMPLES, dtype=np.int64)


SPACE_MARGIN = 4 << 20  # bytes kept free for metadata, the closing attributes and chunk rewrites


class StorageFull(StorageError):
    """The next append would not fit on the disk (or under the process's file-size limit)."""


class Table:
    """Equal-length column datasets of one group, appended from row lists in one resize per flush."""

    def __init__(self, group: h5py.Group, columns: list[Column], chunk_rows: int, comp: dict) -> None:
        self.columns = columns
        self.rows = 0
        self.pending: list[tuple] = []
        self.ds = {}
        for c in columns:
            d = group.create_dataset(
                c.name,
                shape=(0, *c.shape),
                maxshape=(None, *c.shape),
                dtype=c.dtype,
                chunks=(chunk_rows, *c.shape),
                **comp,
            )
            d.attrs["units"] = c.units
            d.attrs["description"] = c.description
            self.ds[c.name] = d

    def add(self, *values: object) -> None:
        self.pending.append(values)

    def write(self) -> None:
        if not self.pending:
            return
        n = len(self.pending)
        cols = list(zip(*self.pending, strict=True))
        for c, values in zip(self.columns, cols, strict=True):
            d = self.ds[c.name]
            d.resize(self.rows + n, axis=0)
            d[self.rows :] = np.asarray(values, dtype=d.dtype).reshape((n, *c.shape))
        self.rows += n
        self.pending.clear()


class SessionFile:
    """Writer of one device's session file (see docs/session-format.md)."""

    def __init__(
        self,
        path: Path,
        *,
        source: str,
        hello: m.Hello,
        conversion: Conversion,
        profile: str,
        region: str,
        compression: str = "blosc-lz4",
        chunk_rows: int | None = None,
        buffer_rows: int | None = None,
        calibration_note: str = "",
        space_margin: int | None = SPACE_MARGIN,
    ) -> None:
        self.path = Path(path)
        self.conversion = conversion
        self.space_margin = space_margin
        self.source = source
        self.device = "0x" + hello.device.hex()
        chunk = chunk_rows or CHUNK_ROWS["samples"]
        self.chunk = chunk
        self.capacity = max(buffer_rows or 4 * chunk, 2 * chunk + m.MAX_BLOCK_SAMPLES)
        comp = compression_options(compression)
        # "x": exclusive create, never overwrite a session (like suitcase writers).
        self.h5 = h5py.File(self.path, "x", libver=LIBVER)
        try:
            self._write_metadata(hello, profile, region, compression, calibration_note)
            self.tables = {
                name: Table(self.h5.require_group(name), cols, chunk if name == "samples" else CHUNK_ROWS[name], comp)
                for name, cols in TABLES.items()
            }
            self.h5.swmr_mode = True
        except BaseException:
            self.h5.close()
            raise
        self.samples_ds = [self.tables["samples"].ds[c.name] for c in TABLES["samples"]]
        self.buf = [np.empty(self.capacity, dtype=c.dtype) for c in TABLES["samples"]]
        self.fill = 0
        self.rows_written = 0
        self.rows_flushed = 0
        self.next_sample: int | None = None
        self.samples_total = 0
        self.add_hello(hello, time.monotonic_ns(), time.time_ns())

    # ---- metadata (before SWMR starts: no new objects or attributes afterwards) ----------------
    def _write_metadata(self, hello: m.Hello, profile: str, region: str, compression: str, note: str) -> None:
        a = self.h5.attrs
        now_utc, now_mono = time.time_ns(), time.monotonic_ns()
        a.update(
            {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "app": "carbon-smart-meter",
                "app_version": __version__,
                "created_utc": dt.datetime.now(dt.UTC).isoformat(),
                "anchor_utc_ns": now_utc,
                "anchor_monotonic_ns": now_mono,
                "source": self.source,
                "device": self.device,
                "profile": profile,
                "region": region,
                "calibration_status": self.conversion.status,
                "compression": compression,
                "reader_needs": "hdf5plugin (import hdf5plugin before h5py opens the file)"
                if compression == "blosc-lz4"
                else "nothing beyond HDF5",
                "h5py_version": h5py.__version__,
                "hdf5_version": h5py.version.hdf5_version,
                "complete": False,
            }
        )
        dev = self.h5.create_group("device")
        for k, v in _hello_attrs(hello).items():
            dev.attrs[k] = v
        cal = self.h5.create_group("calibration")
        conv = self.conversion
        cal.attrs["status"] = conv.status
        cal.attrs["model"] = (
            "V = voltage_scale*voltage_code + voltage_offset; I = current_scale*current_code + current_offset; P = V*I"
        )
        cal.attrs["note"] = note
        rec = conv.record
        cal.attrs["record_toml"] = rec.text if rec else ""
        cal.attrs["record_sha256"] = rec.sha256 if rec else ""
        cal.attrs["record_id"] = rec.id if rec else ""
        cal.attrs["record_path"] = rec.path if rec else ""
        for (name, units, desc), value in zip(
            CALIBRATION_SCALARS, (conv.v_scale, conv.v_offset, conv.i_scale, conv.i_offset), strict=True
        ):
            d = cal.create_dataset(name, data=np.float64(value))
            d.attrs["units"], d.attrs["description"] = units, desc

    # ---- records ------------------------------------------------------------------------------
    def add_block(self, b: m.SampleBlock, mono_ns: int, utc_ns: int) -> None:
        n = b.count
        if self.next_sample is not None and b.first_sample != self.next_sample:
            back = b.first_sample < self.next_sample
            self.tables["gaps"].add(
                self.next_sample,
                b.first_sample,
                0 if back else b.first_sample - self.next_sample,
                int(back),
                self.rows_written + self.fill,
                mono_ns,
                utc_ns,
            )
        self.next_sample = b.end_sample
        self.tables["blocks"].add(
            b.first_sample, n, b.t0_us, b.period_ns, b.flags, self.rows_written + self.fill, mono_ns, utc_ns
        )
        if self.fill + n > self.capacity:
            self._write_samples(aligned=True)
        s, e = self.fill, self.fill + n
        idx, t, vc, ic = self.buf[:4]
        np.add(_ARANGE[:n], b.first_sample, out=idx[s:e], casting="unsafe")
        np.multiply(_ARANGE[:n], b.period_ns, out=t[s:e])
        t[s:e] += b.t0_us * 1000
        vc[s:e] = b.voltage_codes
        ic[s:e] = b.current_codes  # converted to SI in one pass per column when the buffer is written
        self.fill = e
        self.samples_total += n
        if self.fill >= self.capacity:
            self._write_samples(aligned=True)

    def add_checkpoint(self, c: m.Checkpoint, mono_ns: int, utc_ns: int) -> None:
        msg = c.message
        self.tables["checkpoints"].add(
            msg.seq,
            msg.energy_mwh,
            msg.device_time,
            np.frombuffer(msg.chain_head, np.uint8),
            np.frombuffer(msg.deployment_id, np.uint8),
            np.frombuffer(c.message_bytes, np.uint8),
            np.frombuffer(c.signature, np.uint8),
            self.rows_written + self.fill,
            mono_ns,
            utc_ns,
        )

    def add_event(
        self,
        origin: str,
        kind: str,
        message: str,
        *,
        code: int = 0,
        severity: int = 1,
        arg0: int = 0,
        arg1: int = 0,
        count: int = 0,
        device_time_us: int = 0,
        mono_ns: int | None = None,
        utc_ns: int | None = None,
    ) -> None:
        self.tables["events"].add(
            origin.encode(),
            encode_text(kind, 32),
            code,
            severity,
            arg0,
            arg1,
            count,
            device_time_us,
            encode_text(message, 256),
            self.rows_written + self.fill,
            mono_ns if mono_ns is not None else time.monotonic_ns(),
            utc_ns if utc_ns is not None else time.time_ns(),
        )

    def add_hello(self, h: m.Hello, mono_ns: int, utc_ns: int) -> None:
        self.tables["hellos"].add(np.frombuffer(h.encode_payload(), np.uint8), mono_ns, utc_ns)

    def add_annotation(self, text: str, t_utc_ns: int) -> None:
        self.tables["annotations"].add(t_utc_ns, encode_text(text, 1024), time.monotonic_ns(), time.time_ns())

    def add_provenance(self, key: str, value: object) -> None:
        self.tables["provenance"].add(
            encode_text(key, 64), encode_text(json.dumps(value, default=str), 4096), time.monotonic_ns(), time.time_ns()
        )

    # ---- disk ---------------------------------------------------------------------------------
    def check_space(self, need: int) -> None:
        """Refuse a write before HDF5 starts it when it might not fit: a clean stop beats a torn file."""
        if self.space_margin is None:  # guard off (tests of HDF5's own error path)
            return
        free = shutil.disk_usage(self.path.parent).free
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        if limit != resource.RLIM_INFINITY:
            free = min(free, limit - self.path.stat().st_size)
        if free < need + self.space_margin:
            raise StorageFull(
                f"only {free / 1e6:.1f} MB left for {self.path} (disk full or file-size limit); "
                f"logging stopped with {self.rows_flushed:,} samples safely stored"
            )

    def _write_samples(self, aligned: bool) -> None:
        """Append buffered samples, one resize + write per column; `aligned` stops at a chunk boundary
        (the rest moves to the buffer's start) so that chunks are written whole, once."""
        n = self.fill
        if aligned:
            n -= (self.rows_written + n) % self.chunk
        if n <= 0:
            return
        self.check_space(n * 32)
        _idx, _t, vc, ic, v, i, p = self.buf
        self.conversion.convert(vc[:n], ic[:n], out=(v[:n], i[:n], p[:n]))
        r = self.rows_written
        for d, b in zip(self.samples_ds, self.buf, strict=True):
            d.resize(r + n, axis=0)
            d[r : r + n] = b[:n]
        rest = self.fill - n
        if rest:
            for b in self.buf:
                b[:rest] = b[n : self.fill]
        self.rows_written += n
        self.fill = rest

    def write(self) -> None:
        """Append every buffered sample, then the small tables (blocks after samples: see sample_rows)."""
        self.check_space(self.fill * 32 + sum(len(t.pending) for t in self.tables.values()) * 4096)
        self._write_samples(aligned=False)
        for name, table in self.tables.items():
            if name != "samples":
                table.write()

    def flush(self) -> None:
        self.write()
        self.h5.flush()
        self.rows_flushed = self.rows_written

    def close(self, provenance: dict | None = None, write_first: bool = True, stopped_because: str = "") -> None:
        """Flush, close, then reopen without SWMR to add the closing attributes (allowed only then).

        With write_first=False (the disk is full) the unwritten buffer is dropped and the reason kept.
        """
        if write_first:
            self.flush()
        self.h5.close()
        with h5py.File(self.path, "r+") as f:
            f.attrs["complete"] = True
            if stopped_because:
                f.attrs["stopped_because"] = stopped_because
            f.attrs["closed_utc"] = dt.datetime.now(dt.UTC).isoformat()
            f.attrs["samples"] = self.rows_flushed if not write_first else self.rows_written
            for k, v in (provenance or {}).items():
                f.require_group("provenance").attrs[k] = json.dumps(v, default=str)
        _fsync(self.path)

    def abandon(self) -> None:
        """Give up on the file after a write error, without touching HDF5 again.

        After a failed write HDF5's metadata cache is inconsistent; closing (or letting h5py free the
        dataset handles) can crash the process. The handles are parked for the life of the process
        instead and the OS descriptor is all that stays open; everything flushed before the error is
        on disk and opens in SWMR read mode or after `csm repair`.
        """
        _PARKED.append(self)
        # Even interpreter shutdown must not free these handles (measured: it segfaults in HDF5 then).
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(self))


def _hello_attrs(h: m.Hello) -> dict:
    return {
        "address": "0x" + h.device.hex(),
        "fw_version": h.fw_version_text,
        "flags": h.flags,
        "hw_version": h.hw_version,
        "hw_class": h.hw_class,
        "rated_power_w": h.rated_power_w,
        "sample_rate_hz": h.sample_rate_hz,
        "v_lsb": h.v_lsb,
        "i_lsb": h.i_lsb,
        "calibration_id": h.calibration_id,
        "boot_count": h.boot_count,
        "checkpoint_seq": h.checkpoint_seq,
        "checkpoint_interval_s": h.checkpoint_interval_s,
        "deployment_id": h.deployment_id.hex(),
        "attestation": h.attestation.hex(),
        "attestation_signature": h.attestation_signature.hex(),
    }


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
