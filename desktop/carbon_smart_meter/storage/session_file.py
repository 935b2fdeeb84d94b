"""One session file being written: created whole under a temporary name, then SWMR appends.

Not thread-safe and never threaded itself: the `SessionRecorder` thread owns it. Samples go into
preallocated numpy buffers (codes copied, SI computed in place). Whole chunks go to the compressed
`/samples` datasets once; the rows after the last whole chunk are rewritten in place in the
uncompressed `/samples_tail` at every flush (HDF5 under SWMR never reuses file space it frees, so a
compressed partial chunk rewritten at each flush would leak its old copy every time). The order of
writes and flushes is chosen so that a kill at any instant leaves a file whose every flushed row reads
back (docs/session-format.md, "Writing, flushing, crash safety").
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np

from carbon_smart_meter import __version__
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.durable import fsync_dir
from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage.layout import (
    CALIBRATION_SCALARS,
    CHUNK_ROWS,
    COMPRESSED_TABLES,
    FORMAT_NAME,
    FORMAT_VERSION,
    SAMPLES_TAIL,
    TABLES,
    TAIL_STATE,
    Column,
    compression_options,
    encode_text,
)
from carbon_smart_meter.storage.metadata import SessionMetadata

# SWMR needs the v110 file format at least; pinning it (not "latest", which HDF5 2.0 maps to newer
# encodings) keeps session files readable by HDF5 1.10/1.12/1.14 tools: Debian's h5dump, HDFView.
LIBVER = ("v110", "v110")
_PARKED: list[SessionFile] = []  # files abandoned after a write error (see SessionFile.abandon)


def abandoned_files() -> int:
    """How many files this process abandoned after a write error. HDF5's own clean-up at interpreter exit
    then closes them and can crash (measured: a segmentation fault after a disk filled under the recorder),
    so a process that has any leaves with `os._exit` once its output is flushed (cli.main)."""
    return len(_PARKED)


def unsafe_for_new_files() -> str | None:
    """Why this process must not start another session file, or None. After a write error HDF5's state in
    the process is not to be trusted (measured: a later recording crashed while closing its file in 1 run
    of 4), so new files are refused with this reason, the recorders that run unattended (`csm log`,
    `csm serve`) end so that their service manager starts them again, and the window asks for a restart."""
    if not _PARKED:
        return None
    return (f"a session file ({_PARKED[0].path.name}) was given up after a write error in this process, and "
            "HDF5 is not safe for new files after that; start csm again to record (its packaged services are "
            "restarted by systemd)")
_ARANGE = np.arange(m.MAX_BLOCK_SAMPLES, dtype=np.int64)
CREATING = ".creating-"  # `.NAME.creating-PID`: a file still being created (never a session yet)
STOPPED_BECAUSE_BYTES = 512

# Tables whose values come from the host (counts, texts, JSON) rather than fixed-width protocol fields.
CHECKED_TABLES = frozenset({"events", "annotations", "provenance", "gaps"})
SPACE_MARGIN = 4 << 20  # bytes kept free for metadata, the closing attributes and the tail


def file_size_limit() -> int | None:
    """The process's file-size limit in bytes (`ulimit -f`, RLIMIT_FSIZE), or None when there is none.

    The `resource` module exists on POSIX only; on Windows there is no such limit to respect.
    """
    try:
        import resource
    except ImportError:
        return None
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if limit == resource.RLIM_INFINITY else int(limit)


class StorageFull(StorageError):
    """The next append would not fit on the disk (or under the process's file-size limit)."""


class Table:
    """Equal-length column datasets of one group, appended from row lists in one resize per flush.

    With `checked`, each row is converted to the columns' dtypes when it is added, so a value that does
    not fit (a host event's count, a u64 in a u32 column) fails that one record at once instead of the
    whole flush later; tables filled from fixed-width protocol fields skip that cost.
    """

    def __init__(self, group: h5py.Group, columns: list[Column], checked: bool = True) -> None:
        """The table's datasets, made beforehand by `create` (opened here after SWMR has started)."""
        self.checked = checked
        self.columns = columns
        self.rows = 0
        self.pending: list[tuple] = []
        self.ds = {c.name: group[c.name] for c in columns}

    @staticmethod
    def create(group: h5py.Group, columns: list[Column], chunk_rows: int, comp: dict) -> None:
        """Make the empty column datasets (before SWMR starts: no new objects afterwards)."""
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

    def add(self, *values: object) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"a row has {len(self.columns)} values, got {len(values)}")
        if not self.checked:
            self.pending.append(values)
            return
        row = []
        for c, v in zip(self.columns, values, strict=True):
            try:
                a = np.asarray(v, dtype=self.ds[c.name].dtype)
            except (OverflowError, ValueError, TypeError) as exc:
                raise StorageError(f"{c.name} = {v!r} does not fit the column's {c.dtype} type: {exc}") from exc
            row.append(a.reshape(c.shape))
        self.pending.append(tuple(row))

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
        metadata: SessionMetadata | None = None,
    ) -> None:
        """`metadata`: the session details for /metadata (None: the file has no such group)."""
        self.path = Path(path)
        self.conversion = conversion
        self.space_margin = space_margin
        self.source = source
        self.device = "0x" + hello.device.hex()
        chunk = chunk_rows or CHUNK_ROWS["samples"]
        self.chunk = chunk
        # Whole chunks are appended in batches (one HDF5 call per column for up to 4 chunks: bulk speed);
        # a flush appends the whole chunks it has, so what the tail must hold is always under one chunk.
        self.batch_rows = max(buffer_rows or 0, 4 * chunk)
        self.capacity = self.batch_rows + 2 * m.MAX_BLOCK_SAMPLES
        comp = compression_options(compression)

        def build(h5: h5py.File) -> None:
            self._write_metadata(h5, hello, profile, region, compression, calibration_note)
            if metadata is not None:
                metadata.write(h5)
            for name, cols in TABLES.items():
                Table.create(h5.require_group(name), cols, chunk if name == "samples" else CHUNK_ROWS[name],
                             comp if name in COMPRESSED_TABLES else {})
            tail = h5.create_group(SAMPLES_TAIL)
            tail.attrs["description"] = ("rows after the last whole chunk of /samples while the file is open; "
                                         "valid when state[0] equals the length of /samples")
            for c in TABLES["samples"]:
                d = tail.create_dataset(c.name, shape=(chunk,), dtype=c.dtype, chunks=(chunk,))
                d.attrs["units"] = c.units
            st = tail.create_dataset(TAIL_STATE, shape=(2,), dtype=np.uint64, chunks=(2,))
            st.attrs["units"] = "1"
            st.attrs["description"] = "[first row of the tail in /samples, rows in the tail]"

        self.h5 = create_atomically(self.path, build)
        # Opened only now, in SWMR mode (see create_atomically for why nothing may be open before).
        self.tables = {name: Table(self.h5[name], cols, checked=name in CHECKED_TABLES)
                       for name, cols in TABLES.items()}
        tail = self.h5[SAMPLES_TAIL]
        self.tail_ds: list[h5py.Dataset] = [tail[c.name] for c in TABLES["samples"]]
        self.tail_state: h5py.Dataset = tail[TAIL_STATE]
        self.samples_ds = [self.tables["samples"].ds[c.name] for c in TABLES["samples"]]
        self.buf = [np.empty(self.capacity, dtype=c.dtype) for c in TABLES["samples"]]
        self.fill = 0            # rows in the buffer: everything after main_rows
        self.main_rows = 0       # rows in the compressed /samples datasets (whole chunks while open)
        self._si_done = 0        # buffer rows already converted to SI
        self._tail_written = 0   # buffer rows already in /samples_tail (valid only when tail_start == main_rows)
        self._tail_start = 0     # state[0] on disk
        self.rows_flushed = 0
        self.next_sample: int | None = None
        self.samples_total = 0
        self.boot: int | None = hello.boot_count
        self._reset_pending = False   # a new boot count was seen: the next block starts a new counter
        self._reset_inferred = False  # a block went backwards before the new boot count was seen
        self.add_hello(hello, time.monotonic_ns(), time.time_ns())

    @property
    def rows_written(self) -> int:
        """Rows handed to HDF5 (compressed chunks plus the tail)."""
        return self.main_rows + (self._tail_written if self._tail_start == self.main_rows else 0)

    @property
    def total_rows(self) -> int:
        """Rows received so far, flushed or not: the `row` every table links to."""
        return self.main_rows + self.fill

    # ---- metadata (before SWMR starts: no new objects or attributes afterwards) ----------------
    def _write_metadata(self, h5: h5py.File, hello: m.Hello, profile: str, region: str, compression: str,
                        note: str) -> None:
        a = h5.attrs
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
        # Written at close by modifying them in place: under SWMR no attribute may be created, and
        # reopening the file to add them would need free space (a full disk) and a second writer open.
        a.create("closed_utc", "", dtype=h5py.string_dtype("utf-8", 40))
        a.create("samples", 0, dtype=np.int64)
        a.create("stopped_because", "", dtype=h5py.string_dtype("utf-8", STOPPED_BECAUSE_BYTES))
        dev = h5.create_group("device")
        for k, v in _hello_attrs(hello).items():
            dev.attrs[k] = v
        cal = h5.create_group("calibration")
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
    def note_boot(self, boot_count: int) -> None:
        """A HELLO or RESET event names the device's boot: a new one restarts its sample counter."""
        if self.boot is not None and boot_count != self.boot and not self._reset_inferred:
            self._reset_pending = True
        self._reset_inferred = False
        self.boot = boot_count

    def add_block(self, b: m.SampleBlock, mono_ns: int, utc_ns: int) -> None:
        n = b.count
        if self.next_sample is not None and (b.first_sample != self.next_sample or self._reset_pending):
            back = b.first_sample < self.next_sample
            reset = self._reset_pending or back
            if back and not self._reset_pending:
                self._reset_inferred = True  # the HELLO with the new boot count may still come
            # After a reset the samples the new boot counted before this block were lost (a reset during
            # a cable pull): exactly first_sample of them. What the old boot sent after next_sample is
            # unknowable (the device does not say when it reset).
            self.tables["gaps"].add(
                self.next_sample,
                b.first_sample,
                b.first_sample if reset else b.first_sample - self.next_sample,
                int(reset),
                self.total_rows,
                mono_ns,
                utc_ns,
            )
        self._reset_pending = False
        self.next_sample = b.end_sample
        self.tables["blocks"].add(
            b.first_sample, n, b.t0_us, b.period_ns, b.flags, self.total_rows, mono_ns, utc_ns
        )
        if self.fill + n > self.capacity:  # only when chunk_rows is tiny against the block
            self._promote()
        s, e = self.fill, self.fill + n
        idx, t, vc, ic = self.buf[:4]
        np.add(_ARANGE[:n], b.first_sample, out=idx[s:e], casting="unsafe")
        np.multiply(_ARANGE[:n], b.period_ns, out=t[s:e])
        t[s:e] += b.t0_us * 1000
        vc[s:e] = b.voltage_codes
        ic[s:e] = b.current_codes  # converted to SI in one pass per column before they are written
        self.fill = e
        self.samples_total += n
        if self.fill >= self.batch_rows:
            self._promote()

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
            self.total_rows,
            mono_ns,
            utc_ns,
        )

    def add_bind(self, b: m.BindSignature, mono_ns: int, utc_ns: int) -> None:
        msg = b.message
        self.tables["binds"].add(
            msg.seq, msg.energy_mwh, msg.device_time, np.frombuffer(msg.wallet, np.uint8),
            np.frombuffer(msg.deployment_id, np.uint8), msg.region, np.frombuffer(msg.encode(), np.uint8),
            np.frombuffer(b.signature, np.uint8), self.total_rows, mono_ns, utc_ns,
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
            self.total_rows,
            mono_ns if mono_ns is not None else time.monotonic_ns(),
            utc_ns if utc_ns is not None else time.time_ns(),
        )

    def add_gap(self, expected: int, next_sample: int, missing: int, mono_ns: int, utc_ns: int) -> None:
        """A loss the host knows of that no block pair shows (blocks dropped before the file opened)."""
        self.tables["gaps"].add(expected, next_sample, missing, 0, self.total_rows, mono_ns, utc_ns)

    def add_hello(self, h: m.Hello, mono_ns: int, utc_ns: int) -> None:
        self.tables["hellos"].add(np.frombuffer(h.encode_payload(), np.uint8), mono_ns, utc_ns)
        self.note_boot(h.boot_count)

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
        limit = file_size_limit()
        if limit is not None:
            free = min(free, limit - self.path.stat().st_size)
        if free < need + self.space_margin:
            raise StorageFull(
                f"only {free / 1e6:.1f} MB left for {self.path} (disk full or file-size limit); "
                f"logging stopped with {self.rows_flushed:,} samples safely stored"
            )

    def _convert(self, upto: int) -> None:
        s = self._si_done
        if upto > s:
            _idx, _t, vc, ic, v, i, p = self.buf
            self.conversion.convert(vc[s:upto], ic[s:upto], out=(v[s:upto], i[s:upto], p[s:upto]))
            self._si_done = upto

    def _promote(self, whole: bool = True) -> None:
        """Append buffered rows to the compressed datasets: whole chunks only (or, at close, all)."""
        n = self.fill - (self.fill % self.chunk if whole else 0)
        if n <= 0:
            return
        self.check_space(n * 32)
        self._convert(n)
        r = self.main_rows
        for d, b in zip(self.samples_ds, self.buf, strict=True):
            d.resize(r + n, axis=0)
            d[r : r + n] = b[:n]
        rest = self.fill - n
        if rest:
            for b in self.buf:
                b[:rest] = b[n : self.fill]
        self.main_rows += n
        self.fill = rest
        self._si_done = max(0, self._si_done - n)
        self._tail_written = 0  # the tail on disk now describes rows before main_rows: stale

    def _write_tail(self) -> None:
        """Rows after the last whole chunk into /samples_tail, then its state; see the format doc."""
        if self._tail_start != self.main_rows:
            # Promoted chunks and the new length of /samples reach the disk before the tail is
            # overwritten: until then the old state (start < length) tells readers to ignore the tail.
            self.h5.flush()
        s, e = self._tail_written, self.fill
        if s >= e and self._tail_start == self.main_rows:
            return
        self._convert(e)
        for d, b in zip(self.tail_ds, self.buf, strict=True):
            d[s:e] = b[s:e]
        self.h5.flush()  # the rows first, then the state that makes them count
        self.tail_state[:] = np.array([self.main_rows, e], np.uint64)
        self._tail_written, self._tail_start = e, self.main_rows

    def write(self) -> None:
        """Write every buffered sample, then the small tables (blocks after samples: see sample_rows)."""
        self.check_space(self.fill * 32 + sum(len(t.pending) for t in self.tables.values()) * 4096)
        if self.fill >= self.chunk:
            self._promote()
        self._write_tail()
        for name, table in self.tables.items():
            if name != "samples":
                table.write()

    def flush(self) -> None:
        self.write()
        self.h5.flush()
        self.rows_flushed = self.main_rows + self.fill

    def close(self, provenance: dict | None = None, write_first: bool = True, stopped_because: str = "") -> None:
        """Flush, move the tail into /samples, mark the file complete (attributes changed in place), close.

        With write_first=False (the disk is full) nothing new is written: the unwritten buffer is
        dropped, the tail stays in /samples_tail (our reader and `csm repair` use it) and the reason is
        kept. `provenance` is accepted for callers of the old API; the /provenance table holds it.
        """
        if write_first:
            self.flush()
            if self.fill:
                self._promote(whole=False)  # the last partial chunk, compressed once
                self.h5.flush()
                self.tail_state[:] = np.array([self.main_rows, 0], np.uint64)
                self._tail_start, self._tail_written = self.main_rows, 0
            self.rows_flushed = self.main_rows
        a = self.h5.attrs
        if stopped_because:
            a.modify("stopped_because", encode_text(stopped_because, STOPPED_BECAUSE_BYTES).decode())
        a.modify("closed_utc", dt.datetime.now(dt.UTC).isoformat())
        a.modify("samples", self.rows_flushed)
        a.modify("complete", True)
        self.h5.close()
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


def create_atomically(path: Path, build: Callable[[h5py.File], None]) -> h5py.File:
    """A new SWMR file at `path` that is whole from the moment it has that name.

    The file is built under `.NAME.creating-PID` (metadata, every dataset), closed, reopened and put in
    SWMR mode with none of its objects open (which flushes it), synced, then hard-linked to its name,
    which fails if the name exists (never overwrite), and the temporary name is removed. A kill at any
    moment leaves either no session file or a whole one, plus at most a temporary file that
    `remove_stale_temporaries` deletes. The caller opens the datasets it writes from the returned file.
    """
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists")
    tmp = path.with_name(f".{path.name}{CREATING}{os.getpid()}")
    h5 = h5py.File(tmp, "x", libver=LIBVER)
    try:
        build(h5)
        # SWMR is started on the file reopened with none of its objects open. H5Fstart_swmr_write closes
        # every open group and dataset of the file, evicts the metadata cache and reopens them under the
        # same identifiers (resetting their chunk caches, HDF5 #1730). That path is the prime suspect
        # of a rare segmentation fault inside it (README, Known limits); with nothing open it does not
        # run. Closing also closes anything build() left for the garbage collector.
        h5.close()
        h5 = h5py.File(tmp, "r+", libver=LIBVER)
        h5.swmr_mode = True
        _fsync(tmp)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links (FAT, exFAT): a rename, checked just before
            if path.exists():
                raise FileExistsError(f"{path} exists") from None
            os.rename(tmp, path)
        else:
            tmp.unlink()
        fsync_dir(path.parent)
    except BaseException:
        h5.close()
        tmp.unlink(missing_ok=True)
        raise
    return h5


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Delete half-created files whose creating process is gone (they never held a sample)."""
    removed: list[Path] = []
    try:
        entries = list(Path(directory).glob(f".*.h5{CREATING}*"))
    except OSError:
        return removed
    for p in entries:
        try:
            pid = int(p.name.rsplit(CREATING, 1)[1])
        except ValueError:
            continue
        if pid == os.getpid() or _alive(pid):
            continue
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
