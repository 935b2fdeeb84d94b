"""The HDF5 sink of the hub: one thread, one subscription, one session file per device source.

By default every source on the hub is recorded (`csm log`); the desktop records the devices the user
ticked, and `include` / `exclude` start and end one device's file while the others carry on.

Acquisition never waits on the disk: the hub drops into our bounded queue and tells us what it
dropped (`Missed`, stored as an event). A write error (disk full, directory gone) ends that file
cleanly: what was flushed stays readable, a `LinkEvent(kind="storage")` goes out on the hub, and
acquisition carries on. Any other error of one record becomes such an event too, at once.

For unattended profiles (kiosk, ship) the recorder also rotates files daily (`rotate_daily`) and keeps
the session files in its directory under a disk budget (`disk_budget_bytes`, `keep_days`): see
`retention.py`.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from carbon_smart_meter.acquisition.hub import Hub, Subscription
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, LinkEventKind, Missed
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.calibration.sources import SourceConversions
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage.metadata import SessionMetadata
from carbon_smart_meter.storage.resume import RESUME_CHECK_S, ResumeWhenRoom
from carbon_smart_meter.storage.retention import Retention
from carbon_smart_meter.storage.rotation import DailyRotation
from carbon_smart_meter.storage.session_file import (
    SPACE_MARGIN,
    SessionFile,
    StorageFull,
    remove_stale_temporaries,
    unsafe_for_new_files,
)

# Records kept per source while waiting for the HELLO that gives the scales (a replay, or a host that
# joined between two HELLOs, sends up to 10 s of blocks first). Beyond this the oldest are dropped,
# counted, and stored as a gap and an event when the file opens.
PRE_HELLO_SAMPLES = 2_000_000
PRE_HELLO_RECORDS = 20_000
NOTES_WAITING = 1000  # annotations kept for files not open yet
RECORDER_SOURCE = "recorder"  # source of the recorder's own notices on the hub


class SessionRecorder:
    def __init__(
        self,
        hub: Hub,
        out_dir: Path | str,
        calibrations: CalibrationStore | None = None,
        *,
        profile: str = "logger",
        region: str = "",
        compression: str = "blosc-lz4",
        flush_interval_s: float = 0.5,
        queue_size: int = 20_000,
        chunk_rows: int | None = None,
        space_margin: int | None = SPACE_MARGIN,
        sources: Iterable[str] | None = None,
        rotate_daily: bool = False,
        rotation_tz: str = "UTC",
        disk_budget_bytes: int | None = None,
        keep_days: float | None = None,
        conversions: SourceConversions | None = None,
        metadata: SessionMetadata | None = None,
        resume_check_s: float = RESUME_CHECK_S,
    ) -> None:
        """`conversions` is the live session's registry, so the file holds the very conversion the live
        plots and the ledger use; without it the recorder resolves devices from `calibrations` itself.
        `metadata` (site, operator, panel) goes into every file opened, rotated ones included; a change
        (`metadata` attribute, set from any thread) applies to files opened after it."""
        self.metadata = metadata.validate() if metadata is not None else None
        self.hub = hub
        # None: every source. Read and changed only on the writer thread (include/exclude are commands).
        self._only: set[str] | None = None if sources is None else set(sources)
        self.out_dir = Path(out_dir)
        self.calibrations = calibrations
        self.conversions = conversions if conversions is not None else SourceConversions(calibrations)
        self.profile, self.region, self.compression = profile, region, compression
        self.flush_interval_s = flush_interval_s
        self.queue_size = queue_size
        self.chunk_rows = chunk_rows
        self.space_margin = space_margin
        self.files: dict[str, SessionFile] = {}
        self.paths: list[Path] = []
        self.failed: dict[str, str] = {}
        self.flushed_rows: dict[str, int] = {}  # rows durably in each source's file (for tests and the UI)
        self.paths_by_source: dict[str, Path] = {}
        self.dropped_after_failure = 0
        self.errors: list[str] = []
        self._pending: dict[str, _PreHello] = {}
        self._commands: collections.deque[tuple] = collections.deque()
        self._provenance: dict = {}
        self._notes: list[tuple[int, str, int, str | None]] = []  # (id, text, t_utc_ns, source) not yet stored
        self._notes_stored: dict[str, set[int]] = {}
        self._note_ids = 0
        self._hellos: dict[str, m.Hello] = {}
        self._error_times: dict[str, tuple[float, int]] = {}
        self.rotation = DailyRotation(rotation_tz) if rotate_daily else None
        self.retention = (Retention(self.out_dir, disk_budget_bytes, keep_days)
                          if disk_budget_bytes is not None or keep_days is not None else None)
        self.resume = ResumeWhenRoom(self.out_dir, space_margin, check_s=resume_check_s)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sub: Subscription | None = None

    # ---- public API (any thread) -----------------------------------------------------------
    def start(self) -> SessionRecorder:
        for p in remove_stale_temporaries(self.out_dir):
            self._warn(RECORDER_SOURCE, f"removed {p.name}: a session file whose creation was interrupted "
                                   "(it never held a sample)", severity=0)
        self._sub = self.hub.subscribe(None, maxsize=self.queue_size, name="storage")
        self._thread = threading.Thread(target=self._run, name="hdf5-writer", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> list[Path]:
        """Write everything queued, close every file, return the paths of the session files."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)
        if self._sub is not None:
            self.hub.unsubscribe(self._sub)
        return list(self.paths)

    def include(self, source: str) -> None:
        """Start recording `source` too (its file opens at its next HELLO: ask the device for one)."""
        self._commands.append(("include", source))

    def exclude(self, source: str) -> None:
        """Stop recording `source`: its file is closed (complete) by the writer thread; others carry on."""
        self._commands.append(("exclude", source))

    def add_annotation(self, text: str, t_utc_ns: int | None = None, source: str | None = None) -> None:
        """Store a note in every file being written (or `source`'s); a file that is not open yet (no
        HELLO yet) gets it when it opens, as provenance does."""
        self._commands.append(("annotation", text, time.time_ns() if t_utc_ns is None else t_utc_ns, source))

    def set_provenance(self, values: dict) -> None:
        """Key/values (JSON-able) stored in every session file: /provenance table now, attributes at close."""
        self._provenance.update(values)
        self._commands.append(("provenance", dict(values)))

    # ---- writer thread -----------------------------------------------------------------------
    def _run(self) -> None:
        next_flush = time.monotonic() + self.flush_interval_s
        sub = self._sub
        assert sub is not None, "start() subscribes before it starts this thread"
        while True:
            now = time.monotonic()
            # Wait no longer than the next flush: the bound on what a crash can lose is the flush interval
            # plus however long the OS keeps this thread from running.
            env = sub.get(timeout=max(0.0, min(0.1, next_flush - now)))
            # Commands first: an include() made before a GET_INFO was sent is in effect for the HELLO that
            # answers it (handled after the command, its file opens at once instead of at the next HELLO).
            while self._commands:
                cmd = self._commands.popleft()
                self._guarded(self._command, cmd, source=cmd[1] if cmd[0] in ("include", "exclude") else "")
            if env is not None:
                self._guarded(self._handle, env)
            now = time.monotonic()
            if now >= next_flush:
                next_flush = now + self.flush_interval_s
                self._flush_all()
                self._guarded(self._housekeeping)
            if self._stop.is_set() and (env is None or sub.pending() == 0):
                for env in sub.drain():
                    self._guarded(self._handle, env)
                break
        for source in list(self.files):
            self._with_file(source, lambda f: f.close(self._provenance))
            self.files.pop(source, None)
        for source, q in self._pending.items():
            if q.records:
                self._warn(
                    source,
                    f"{q.blocks} sample blocks ({q.samples:,} samples) from {source} arrived without a HELLO "
                    "and were not stored (no scales to convert them)",
                )

    def _flush_all(self) -> None:
        for source in list(self.files):
            self._with_file(source, SessionFile.flush)
            if source in self.files:
                self.flushed_rows[source] = self.files[source].rows_flushed

    def _housekeeping(self) -> None:
        now = time.monotonic()
        for key, (last, held) in list(self._error_times.items()):
            if held and now - last >= 1.0:  # repeats held back: say how many, so none goes unreported
                src = key.split("|", 1)[0]
                self._error_times[key] = (now, 0)
                self.hub.publish(Envelope(src, LinkEvent(
                    LinkEventKind.STORAGE, f"storage could not handle {held} more record(s) from {src}: "
                    f"{key.split('|', 2)[2]} (not in the file; recording goes on)", held, 2)))
        if self.rotation is not None:
            for source, f in list(self.files.items()):
                if self.rotation.overdue(f):
                    self._rotate(source, "no checkpoint came within the grace period after the day changed")
        if self.retention is not None:
            for message in self.retention.enforce({f.path for f in self.files.values()}):
                self._warn(RECORDER_SOURCE, message, severity=0)
        for source, since in self.resume.due().items():
            self._resume(source, since)

    def _resume(self, source: str, since: float) -> None:
        """Record `source` again, in a new file, now that the disk that stopped it has room."""
        hello = self._hellos.get(source)
        if hello is None or source not in self.failed or (self._only is not None and source not in self._only):
            return
        del self.failed[source]
        self._open(source, hello, Envelope(source, hello))
        if source not in self.files:
            return  # refused again (_open said why)
        stopped = dt.datetime.fromtimestamp(since, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        text = (f"recording resumed: the disk has room again (it stopped at {stopped} for want of space; the "
                "samples in between were not stored)")
        self._with_file(source, lambda f: f.add_event("host", "storage-resumed", text, severity=1))
        self._warn(source, f"{source}: {text}; now in {self.files[source].path.name}")

    def _guarded(self, fn, *args, source: str | None = None) -> None:
        try:
            fn(*args)
        except Exception as exc:  # the writer thread must outlive any single bad record
            text = f"{type(exc).__name__}: {exc}"
            self.errors.append(text)
            src = source if source is not None else (args[0].source if args and isinstance(args[0], Envelope)
                                                     else RECORDER_SOURCE)
            src = src or RECORDER_SOURCE
            # Every error is an event, but repeats of one error within a second are counted into the next
            # event instead of flooding the hub (a systematic fault would otherwise send one per block).
            key = f"{src}|{type(exc).__name__}|{str(exc)[:80]}"
            now = time.monotonic()
            last, held = self._error_times.get(key, (-1e9, 0))
            if now - last < 1.0:
                self._error_times[key] = (last, held + 1)
                return
            if len(self._error_times) > 256:
                self._error_times.clear()
            self._error_times[key] = (now, 0)
            more = f" ({held} more like it in the second before)" if held else ""
            self.hub.publish(Envelope(src, LinkEvent(
                LinkEventKind.STORAGE, f"storage could not handle a record from {src}: {text}{more} (the record "
                "is not in the file; recording goes on)", held + 1, 2)))

    def _handle(self, env: Envelope) -> None:
        rec, source = env.record, env.source
        if isinstance(rec, Missed):
            text = ", ".join(f"{v} {k}" for k, v in sorted(rec.by_type.items()))
            for s in list(self.files):
                self._with_file(
                    s,
                    lambda f: f.add_event(
                        "host",
                        "storage-overflow",
                        f"writer queue full: dropped {text}",
                        count=rec.count,
                        severity=2,
                        mono_ns=env.received_ns,
                        utc_ns=env.received_utc_ns,
                    ),
                )
            return
        if source == RECORDER_SOURCE:  # the recorder's own notices (retention, temporaries): every open file
            for s in list(self.files):
                self._with_file(s, lambda f: _store(f, env))
            return
        if self._only is not None and source not in self._only:
            return
        if source in self.failed:
            if not (isinstance(rec, LinkEvent) and rec.kind == LinkEventKind.STORAGE):  # not our own notice
                self.dropped_after_failure += 1
            return
        if isinstance(rec, m.Hello):
            self._hellos[source] = rec
            f = self.files.get(source)
            if f is not None and f.device != "0x" + rec.device.hex():
                self._with_file(source, lambda f: f.close(self._provenance))
                self.files.pop(source, None)
                f = None
            if f is None:
                self._open(source, rec, env)
            else:
                self._with_file(source, lambda f: f.add_hello(rec, env.received_ns, env.received_utc_ns))
            return
        if source not in self.files:
            self._pending.setdefault(source, _PreHello()).add(env)
            return
        self._with_file(source, lambda f: _store(f, env))
        rotation = self.rotation
        if isinstance(rec, m.Checkpoint) and rotation is not None and source in self.files \
                and rotation.due(self.files[source]):
            self._rotate(source, "the day changed", anchor=(rec, env))

    def _open(self, source: str, hello: m.Hello, env: Envelope, carry: SessionFile | None = None,
              anchor: tuple[m.Checkpoint, Envelope] | None = None) -> None:
        resolved = self.conversions.for_hello(source, hello)
        conv, note = resolved.conversion, resolved.note
        if note:
            self._warn(source, f"{source}: {note}; recording on factory scales, flagged uncalibrated")
        unsafe = unsafe_for_new_files()
        if unsafe:
            self._fail(source, None, f"not recording {source}: {unsafe}")
            return
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            f = self._create(source, hello, conv, note)
        except Exception as exc:
            self._fail(source, None, f"cannot create a session file in {self.out_dir}: {exc}")
            return
        self.files[source] = f
        self.paths.append(f.path)
        self.paths_by_source[source] = f.path
        if self.rotation is not None:
            self.rotation.opened(f, hello)
        if carry is not None:  # a rotation: the new file continues the old one's accounting
            f.next_sample, f.boot = carry.next_sample, carry.boot
            self._with_file(source, lambda f: f.add_event(
                "host", "rotation", f"continues {carry.path.name}"
                + (f"; checkpoint {anchor[0].message.seq} repeated as this file's first (its anchor)"
                   if anchor else ""), severity=0))
            if anchor is not None:
                ck, aenv = anchor
                self._with_file(source, lambda f: f.add_checkpoint(ck, aenv.received_ns, aenv.received_utc_ns))
        if note:
            self._with_file(source, lambda f: f.add_event("host", "calibration", note, severity=2))
        pre = self._pending.pop(source, None)
        if pre is not None and pre.dropped_records:
            text = (f"{pre.dropped_blocks} sample blocks ({pre.dropped_samples:,} samples) and "
                    f"{pre.dropped_records - pre.dropped_blocks} other records arrived before the device's "
                    f"HELLO beyond what is kept for it ({PRE_HELLO_SAMPLES:,} samples) and were dropped")
            self._with_file(source, lambda f: f.add_event("host", "pre-hello-overflow", text,
                                                          count=pre.dropped_samples, severity=2))
            if pre.dropped_first is not None and pre.first_kept is not None:
                self._with_file(source, lambda f: f.add_gap(pre.dropped_first, pre.first_kept,
                                                            pre.dropped_samples, env.received_ns,
                                                            env.received_utc_ns))
            self._warn(source, f"{source}: {text}")
        for penv in pre.records if pre is not None else ():
            self._with_file(source, lambda f, penv=penv: _store(f, penv))
        for key, value in self._provenance.items():
            self._with_file(source, lambda f, k=key, v=value: f.add_provenance(k, v))
        self._deliver_notes(source)
        if self.retention is not None:  # a new file counts against the budget from its first byte
            for message in self.retention.enforce({f.path for f in self.files.values()}, force=True):
                self._warn(RECORDER_SOURCE, message, severity=0)

    def _rotate(self, source: str, why: str, anchor: tuple[m.Checkpoint, Envelope] | None = None) -> None:
        """Close `source`'s file complete and continue in a new one (daily rotation)."""
        old = self.files.get(source)
        hello = self._hellos.get(source)
        if old is None or hello is None:
            return
        self._with_file(source, lambda f: f.add_event("host", "rotation", f"continued in a new file: {why}",
                                                      severity=0))
        self._with_file(source, lambda f: f.close(self._provenance))
        if self.files.get(source) is not old:
            return  # closing failed: _with_file reported it
        self.files.pop(source, None)
        if self.rotation is not None:
            self.rotation.forget(old.path)
        env = anchor[1] if anchor else Envelope(source, hello)
        self._open(source, hello, env, carry=old, anchor=anchor)

    def _deliver_notes(self, source: str) -> None:
        done = self._notes_stored.setdefault(source, set())
        for nid, text, t_utc, target in self._notes:
            if nid not in done and (target is None or target == source):
                done.add(nid)
                self._with_file(source, lambda f, text=text, t_utc=t_utc: f.add_annotation(text, t_utc))

    def _create(self, source: str, hello: m.Hello, conv: Conversion, note: str) -> SessionFile:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        base = f"{stamp}_{re.sub(r'[^A-Za-z0-9_.-]+', '-', source)}_{hello.device.hex()[:8]}"
        for n in range(1000):
            path = self.out_dir / (base + (f"_{n}" if n else "") + ".h5")
            if path.exists():  # HDF5 reports a name taken by a file open for reading as a plain OSError
                continue
            try:
                return SessionFile(
                    path,
                    source=source,
                    hello=hello,
                    conversion=conv,
                    profile=self.profile,
                    region=self.region,
                    compression=self.compression,
                    chunk_rows=self.chunk_rows,
                    calibration_note=note,
                    space_margin=self.space_margin,
                    metadata=self.metadata,
                )
            except FileExistsError:
                continue
        raise FileExistsError(f"no free file name for {base} in {self.out_dir}")

    def _command(self, cmd: tuple) -> None:
        if cmd[0] == "include":
            if self._only is not None:
                self._only.add(cmd[1])
            self.failed.pop(cmd[1], None)
            self.resume.forget(cmd[1])
        elif cmd[0] == "exclude":
            source = cmd[1]
            if self._only is None:
                self._only = set(self.files) | set(self._pending)
            self._only.discard(source)
            self._pending.pop(source, None)
            self.resume.forget(source)
            self._with_file(source, lambda f: f.close(self._provenance))
            self.files.pop(source, None)
        elif cmd[0] == "annotation":
            _kind, text, t_utc, source = cmd
            self._note_ids += 1
            self._notes.append((self._note_ids, text, t_utc, source))
            del self._notes[:-NOTES_WAITING]
            for s in list(self.files):
                if source is None or s == source:
                    self._deliver_notes(s)
        elif cmd[0] == "provenance":
            for s in list(self.files):
                for key, value in cmd[1].items():
                    self._with_file(s, lambda f, k=key, v=value: f.add_provenance(k, v))

    def _with_file(self, source: str, fn) -> None:
        f = self.files.get(source)
        if f is None:
            return
        try:
            fn(f)
        except StorageFull as exc:  # caught before HDF5 wrote anything: the file can still close normally
            self.files.pop(source, None)
            try:
                f.close(self._provenance, write_first=False, stopped_because=str(exc))
            except Exception:
                f.abandon()
            self._fail(source, None, str(exc))
            self.resume.stopped(source)
        except (OSError, RuntimeError) as exc:  # disk full, file system gone, HDF5 failed: stop this file
            self._fail(
                source,
                f,
                f"writing {f.path} failed: {exc}; the file keeps everything flushed "
                "before this (open it with `csm inspect`, make it a normal file with `csm repair`)",
            )

    def _fail(self, source: str, f: SessionFile | None, message: str) -> None:
        self.failed[source] = message
        self.files.pop(source, None)
        if f is not None:
            f.abandon()
        self.hub.publish(Envelope(source, LinkEvent(LinkEventKind.STORAGE, message, 0, 2)))

    def _warn(self, source: str, message: str, severity: int = 1) -> None:
        self.hub.publish(Envelope(source, LinkEvent(LinkEventKind.STORAGE, message, 0, severity)))


class _PreHello:
    """Records of one source that came before its first HELLO, bounded, with exact counts of the dropped."""

    def __init__(self) -> None:
        self.records: collections.deque[Envelope] = collections.deque()
        self.samples = 0
        self.blocks = 0
        self.dropped_records = self.dropped_blocks = self.dropped_samples = 0
        self.dropped_first: int | None = None  # first_sample of the first block dropped

    @property
    def first_kept(self) -> int | None:
        for env in self.records:
            if isinstance(env.record, m.SampleBlock):
                return env.record.first_sample
        return None

    def add(self, env: Envelope) -> None:
        self.records.append(env)
        if isinstance(env.record, m.SampleBlock):
            self.samples += env.record.count
            self.blocks += 1
        while self.samples > PRE_HELLO_SAMPLES or len(self.records) > PRE_HELLO_RECORDS:
            old = self.records.popleft()
            self.dropped_records += 1
            if isinstance(old.record, m.SampleBlock):
                self.samples -= old.record.count
                self.blocks -= 1
                self.dropped_blocks += 1
                self.dropped_samples += old.record.count
                if self.dropped_first is None:
                    self.dropped_first = old.record.first_sample


def _store(f: SessionFile, env: Envelope) -> None:
    rec = env.record
    if isinstance(rec, m.SampleBlock):
        f.add_block(rec, env.received_ns, env.received_utc_ns)
    elif isinstance(rec, m.Checkpoint):
        f.add_checkpoint(rec, env.received_ns, env.received_utc_ns)
    elif isinstance(rec, m.BindSignature):
        f.add_bind(rec, env.received_ns, env.received_utc_ns)
    elif isinstance(rec, m.Event):
        if rec.code == m.EventCode.RESET:
            f.note_boot(rec.arg1)
        f.add_event(
            "device",
            rec.name,
            f"device event {rec.name}",
            code=rec.code,
            severity=rec.severity,
            arg0=rec.arg0,
            arg1=rec.arg1,
            device_time_us=rec.t_us,
            mono_ns=env.received_ns,
            utc_ns=env.received_utc_ns,
        )
    elif isinstance(rec, LinkEvent):
        f.add_event(
            "host",
            rec.kind,
            rec.message,
            count=rec.count,
            severity=rec.severity,
            mono_ns=env.received_ns,
            utc_ns=env.received_utc_ns,
        )
