"""The HDF5 sink of the hub: one thread, one subscription, one session file per device source.

By default every source on the hub is recorded (`csm log`); the desktop records the devices the user
ticked, and `include` / `exclude` start and end one device's file while the others carry on.

Acquisition never waits on the disk: the hub drops into our bounded queue and tells us what it
dropped (`Missed`, stored as an event). A write error (disk full, directory gone) ends that file
cleanly: what was flushed stays readable, a `LinkEvent(kind="storage")` goes out on the hub, and
acquisition carries on.
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
from carbon_smart_meter.storage.session_file import SPACE_MARGIN, SessionFile, StorageFull

PRE_HELLO_LIMIT = 500  # blocks kept per source while waiting for the HELLO that gives the scales


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
        conversions: SourceConversions | None = None,
    ) -> None:
        """`conversions` is the live session's registry, so the file holds the very conversion the live
        plots and the ledger use; without it the recorder resolves devices from `calibrations` itself."""
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
        self._pending: dict[str, collections.deque[Envelope]] = {}
        self._commands: collections.deque[tuple] = collections.deque()
        self._provenance: dict = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sub: Subscription | None = None

    # ---- public API (any thread) -----------------------------------------------------------
    def start(self) -> SessionRecorder:
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
        self._commands.append(("annotation", text, time.time_ns() if t_utc_ns is None else t_utc_ns, source))

    def set_provenance(self, values: dict) -> None:
        """Key/values (JSON-able) stored in every session file: /provenance table now, attributes at close."""
        self._provenance.update(values)
        self._commands.append(("provenance", dict(values)))

    # ---- writer thread -----------------------------------------------------------------------
    def _run(self) -> None:
        last_flush = time.monotonic()
        sub = self._sub
        assert sub is not None, "start() subscribes before it starts this thread"
        while True:
            env = sub.get(timeout=min(0.1, self.flush_interval_s))
            # Commands first: an include() made before a GET_INFO was sent is in effect for the HELLO that
            # answers it (handled after the command, its file opens at once instead of at the next HELLO).
            while self._commands:
                self._guarded(self._command, self._commands.popleft())
            if env is not None:
                self._guarded(self._handle, env)
            now = time.monotonic()
            if now - last_flush >= self.flush_interval_s:
                last_flush = now
                for source in list(self.files):
                    self._with_file(source, SessionFile.flush)
                    if source in self.files:
                        self.flushed_rows[source] = self.files[source].rows_flushed
            if self._stop.is_set() and (env is None or sub.pending() == 0):
                for env in sub.drain():
                    self._guarded(self._handle, env)
                break
        for source in list(self.files):
            self._with_file(source, lambda f: f.close(self._provenance))
            self.files.pop(source, None)
        for source, q in self._pending.items():
            if q:
                self._warn(
                    source,
                    f"{len(q)} sample blocks from {source} arrived without a HELLO and were not "
                    "stored (no scales to convert them)",
                )

    def _guarded(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # the writer thread must outlive any single bad record
            self.errors.append(f"{type(exc).__name__}: {exc}")

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
        if self._only is not None and source not in self._only:
            return
        if source in self.failed:
            if not (isinstance(rec, LinkEvent) and rec.kind == LinkEventKind.STORAGE):  # not our own notice
                self.dropped_after_failure += 1
            return
        if isinstance(rec, m.Hello):
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
            q = self._pending.setdefault(source, collections.deque(maxlen=PRE_HELLO_LIMIT))
            q.append(env)
            return
        self._with_file(source, lambda f: _store(f, env))

    def _open(self, source: str, hello: m.Hello, env: Envelope) -> None:
        resolved = self.conversions.for_hello(source, hello)
        conv, note = resolved.conversion, resolved.note
        if note:
            self._warn(source, f"{source}: {note}; recording on factory scales, flagged uncalibrated")
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            f = self._create(source, hello, conv, note)
        except Exception as exc:
            self._fail(source, None, f"cannot create a session file in {self.out_dir}: {exc}")
            return
        self.files[source] = f
        self.paths.append(f.path)
        self.paths_by_source[source] = f.path
        if note:
            self._with_file(source, lambda f: f.add_event("host", "calibration", note, severity=2))
        for penv in self._pending.pop(source, ()):
            self._with_file(source, lambda f, penv=penv: _store(f, penv))
        for key, value in self._provenance.items():
            self._with_file(source, lambda f, k=key, v=value: f.add_provenance(k, v))

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
                )
            except FileExistsError:
                continue
        raise FileExistsError(f"no free file name for {base} in {self.out_dir}")

    def _command(self, cmd: tuple) -> None:
        if cmd[0] == "include":
            if self._only is not None:
                self._only.add(cmd[1])
            self.failed.pop(cmd[1], None)
        elif cmd[0] == "exclude":
            source = cmd[1]
            if self._only is None:
                self._only = set(self.files) | set(self._pending)
            self._only.discard(source)
            self._pending.pop(source, None)
            self._with_file(source, lambda f: f.close(self._provenance))
            self.files.pop(source, None)
        elif cmd[0] == "annotation":
            _kind, text, t_utc, source = cmd
            for s in list(self.files):
                if source is None or s == source:
                    self._with_file(s, lambda f: f.add_annotation(text, t_utc))
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
        except Exception as exc:  # disk full, file system gone, permission lost: stop this file cleanly
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

    def _warn(self, source: str, message: str) -> None:
        self.hub.publish(Envelope(source, LinkEvent(LinkEventKind.STORAGE, message, 0, 1)))


def _store(f: SessionFile, env: Envelope) -> None:
    rec = env.record
    if isinstance(rec, m.SampleBlock):
        f.add_block(rec, env.received_ns, env.received_utc_ns)
    elif isinstance(rec, m.Checkpoint):
        f.add_checkpoint(rec, env.received_ns, env.received_utc_ns)
    elif isinstance(rec, m.Event):
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
