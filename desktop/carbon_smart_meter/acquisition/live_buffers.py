"""Bounded ring buffers of recent samples per device, for live plots (pure numpy, no Qt).

A drain thread moves SampleBlocks from a hub subscription into preallocated rings, so a busy or frozen
UI never makes the hub drop anything for the plots, and the acquisition never waits for a reader: the
UI copies out only what it shows (`DeviceRing.view`) under a short lock.

Memory is fixed at creation: 20 bytes per sample (time float64; V, I, P float32) plus a min/max
summary every `bucket` samples. Whole blocks are written with slice assignments, never per sample. A
view of a long window is built from the summaries (min and max per group, like pyqtgraph's 'peak'
downsampling, but precomputed once per sample instead of once per frame), a short one from raw samples.

Every appended block's host arrival time (monotonic ns) is kept until the UI collects it after a paint,
which is how sample-to-screen latency is measured.
"""

from __future__ import annotations

import collections
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from carbon_smart_meter.acquisition.hub import Hub, Subscription
from carbon_smart_meter.acquisition.records import Envelope, Missed
from carbon_smart_meter.protocol.messages import Hello, SampleBlock

BYTES_PER_SAMPLE = 20
DEFAULT_MAX_BYTES = 512 * 2**20  # per device; caps e.g. 10 kHz at ~44 min, 1 kHz at ~7 h
ARRIVALS_KEPT = 20_000
FANOUT = 32
BATCH_WAIT_S = 0.005

# (v_codes, i_codes) -> (volts, amperes, watts) float32: calibration.Conversion.convert, handed in from
# above (this layer knows no calibration), so the plots show exactly what the recorder and ledger use.
Converter = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]
# (source, its HELLO) -> the Converter for that device; asked at each HELLO.
ConverterFor = Callable[[str, Hello], Converter]


@dataclass(frozen=True)
class Trace:
    """What a plot shows for one device: times (unix s) and V/I/P; `decimated` marks min/max pairs."""

    t: np.ndarray
    v: np.ndarray
    i: np.ndarray
    p: np.ndarray
    decimated: bool

    def __len__(self) -> int:
        return len(self.t)


class DeviceRing:
    """The last `capacity` samples of one device plus their per-bucket min/max."""

    def __init__(self, source: str, capacity: int, bucket: int | None = None) -> None:
        if capacity < 16:
            raise ValueError("a ring needs room for at least 16 samples")
        self.source = source
        self.capacity = int(capacity)
        # 64-sample buckets: a view switches to summaries once it holds more buckets than points wanted,
        # so raw samples are handed out only for short spans (<= 64 x points), which keeps frames cheap.
        self.bucket = int(bucket or max(4, min(64, self.capacity // 2048)))
        self.t = np.zeros(self.capacity, np.float64)
        self.ch = np.zeros((3, self.capacity), np.float32)  # V, I, P
        self.n_buckets = self.capacity // self.bucket + 2
        self.b_t = np.zeros(self.n_buckets, np.float64)
        self.b_min = np.zeros((3, self.n_buckets), np.float32)
        self.b_max = np.zeros((3, self.n_buckets), np.float32)
        # A second level (FANOUT first-level buckets each) keeps views of hours as cheap as views of minutes.
        self.n_buckets2 = self.n_buckets // FANOUT + 2
        self.b2_t = np.zeros(self.n_buckets2, np.float64)
        self.b2_min = np.zeros((3, self.n_buckets2), np.float32)
        self.b2_max = np.zeros((3, self.n_buckets2), np.float32)
        self.total = 0  # samples ever appended (absolute index of the next sample)
        self.converter: Converter | None = None
        self.arrivals: collections.deque[int] = collections.deque(maxlen=ARRIVALS_KEPT)
        self.last_arrival_ns = 0
        self.blocks = 0
        self.lock = threading.Lock()

    # ---- writing -------------------------------------------------------------------------------
    def append(self, t: np.ndarray, v: np.ndarray, i: np.ndarray, p: np.ndarray,
               received_ns: int | list[int] = 0) -> None:
        """Append samples; `received_ns` is the arrival time of the block, or of each block merged into it."""
        n = len(t)
        if n == 0:
            return
        if n > self.capacity:  # only the newest part can be kept
            t, v, i, p = t[-self.capacity:], v[-self.capacity:], i[-self.capacity:], p[-self.capacity:]
            self.total += n - self.capacity
            n = self.capacity
        with self.lock:
            start = self.total
            pos = start % self.capacity
            first = min(n, self.capacity - pos)
            self.t[pos:pos + first] = t[:first]
            for k, arr in enumerate((v, i, p)):
                self.ch[k, pos:pos + first] = arr[:first]
            if first < n:
                rest = n - first
                self.t[:rest] = t[first:]
                for k, arr in enumerate((v, i, p)):
                    self.ch[k, :rest] = arr[first:]
            self._summarise(start, t, np.stack((v, i, p)))
            self._summarise_level2(start // self.bucket, (start + n - 1) // self.bucket)
            self.total = start + n
            arrivals = received_ns if isinstance(received_ns, list) else [received_ns] if received_ns else []
            self.blocks += max(1, len(arrivals))
            if arrivals:
                self.arrivals.extend(arrivals)
                self.last_arrival_ns = arrivals[-1]

    def _summarise(self, start: int, t: np.ndarray, chans: np.ndarray) -> None:
        """Update min/max of every bucket the new samples touch (head partial, full ones, tail)."""
        b = self.bucket
        n = len(t)
        off = 0
        while off < n:
            idx = start + off
            bi, within = divmod(idx, b)
            if within == 0 and n - off >= b:  # a run of whole buckets at once
                full = (n - off) // b
                seg = chans[:, off:off + full * b].reshape(3, full, b)
                slots = (bi + np.arange(full)) % self.n_buckets
                self.b_t[slots] = t[off:off + full * b:b]
                self.b_min[:, slots] = seg.min(axis=2)
                self.b_max[:, slots] = seg.max(axis=2)
                off += full * b
                continue
            take = min(b - within, n - off)
            seg = chans[:, off:off + take]
            slot = bi % self.n_buckets
            if within == 0:
                self.b_t[slot] = t[off]
                self.b_min[:, slot] = seg.min(axis=1)
                self.b_max[:, slot] = seg.max(axis=1)
            else:
                np.minimum(self.b_min[:, slot], seg.min(axis=1), out=self.b_min[:, slot])
                np.maximum(self.b_max[:, slot], seg.max(axis=1), out=self.b_max[:, slot])
            off += take

    def _summarise_level2(self, first_bucket: int, last_bucket: int) -> None:
        """Recompute the second-level entries whose first-level children changed (from those children)."""
        for k in range(first_bucket // FANOUT, last_bucket // FANOUT + 1):
            lo = k * FANOUT
            hi = min(lo + FANOUT, last_bucket + 1) if k == last_bucket // FANOUT else lo + FANOUT
            slots = np.arange(lo, hi) % self.n_buckets
            slot2 = k % self.n_buckets2
            self.b2_t[slot2] = self.b_t[slots[0]]
            self.b2_min[:, slot2] = self.b_min[:, slots].min(axis=1)
            self.b2_max[:, slot2] = self.b_max[:, slots].max(axis=1)

    # ---- reading -------------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return min(self.total, self.capacity)

    @property
    def first_index(self) -> int:
        return self.total - self.count

    def time_span(self) -> tuple[float, float] | None:
        with self.lock:
            if self.total == 0:
                return None
            return float(self.t[self.first_index % self.capacity]), float(self.t[(self.total - 1) % self.capacity])

    def _index_of(self, when: float) -> int:
        """Absolute index of the first kept sample at or after `when` (times are searched per segment)."""
        lo, hi = self.first_index, self.total
        pos = lo % self.capacity
        if self.total <= self.capacity or pos == 0:
            return lo + int(np.searchsorted(self.t[pos:pos + (hi - lo)], when))
        older = self.t[pos:]
        if when <= older[-1]:
            return lo + int(np.searchsorted(older, when))
        return lo + len(older) + int(np.searchsorted(self.t[: hi % self.capacity or self.capacity], when))

    def _raw(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        pa, n = a % self.capacity, b - a
        if pa + n <= self.capacity:
            return self.t[pa:pa + n].copy(), self.ch[:, pa:pa + n].copy()
        k = self.capacity - pa
        return (np.concatenate((self.t[pa:], self.t[: n - k])),
                np.concatenate((self.ch[:, pa:], self.ch[:, : n - k]), axis=1))

    def view(self, t0: float | None = None, t1: float | None = None, max_points: int | None = 2000) -> Trace:
        """Samples with t0 <= t <= t1 (default: everything kept): raw while they are at most
        2 * `max_points`, else about `max_points` min/max pairs (None: always raw).

        Pairs come from groups aligned to absolute sample indices, so while new samples arrive only the
        newest pair changes: a live trace does not shimmer as the window scrolls. Partial groups at both
        ends are kept (the newest samples are on screen as soon as they arrive).
        """
        with self.lock:
            if self.total == 0:
                e = np.empty(0, np.float32)
                return Trace(np.empty(0), e, e, e, False)
            a = self.first_index if t0 is None else self._index_of(t0)
            b = self.total if t1 is None else self._index_of(math.nextafter(t1, math.inf))
            a = max(a, self.first_index)
            if max_points is None or b - a <= 2 * max_points or (b - a) // self.bucket < max_points:
                t, ch = self._raw(a, b)
                if max_points is None or len(t) <= 2 * max_points:
                    return Trace(t, ch[0], ch[1], ch[2], False)
                starts = _group_starts(a, b - a, -(-(b - a) // max_points))
                return _pairs(t[starts], np.minimum.reduceat(ch, starts, axis=1),
                              np.maximum.reduceat(ch, starts, axis=1))
            # Whole buckets only at the old end (the oldest may be partly overwritten); the newest is still
            # filling and is complete enough: its min/max cover what has arrived.
            size2 = self.bucket * FANOUT
            if (b - a) // size2 >= max_points:
                size, n_slots, b_t, b_min, b_max = size2, self.n_buckets2, self.b2_t, self.b2_min, self.b2_max
            else:
                size, n_slots, b_t, b_min, b_max = self.bucket, self.n_buckets, self.b_t, self.b_min, self.b_max
            ba = -(-a // size)
            nb = -(-b // size) - ba
            slots = (ba + np.arange(nb)) % n_slots
            starts = _group_starts(ba, nb, -(-nb // max_points))
            t = b_t[slots[starts]]
            lo = np.minimum.reduceat(b_min[:, slots], starts, axis=1)
            hi = np.maximum.reduceat(b_max[:, slots], starts, axis=1)
        return _pairs(t, lo, hi)

    def take_arrivals(self) -> np.ndarray:
        """Arrival times (monotonic ns) of blocks appended since the last call: now on screen."""
        with self.lock:
            out = np.fromiter(self.arrivals, np.int64, len(self.arrivals))
            self.arrivals.clear()
        return out


def _group_starts(first: int, n: int, group: int) -> np.ndarray:
    """Offsets (from `first`) where groups of `group` items begin, aligned to multiples of `group` in
    absolute numbering; a partial group before the first boundary is kept as its own group."""
    lead = (-first) % group
    starts = np.arange(lead, n, group)
    return starts if lead == 0 else np.concatenate(([0], starts))


def _pairs(t: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Trace:
    """Min/max per group as a trace drawn as one vertical stroke per group (t repeated)."""
    vals = np.empty((3, 2 * lo.shape[1]), np.float32)
    vals[:, 0::2], vals[:, 1::2] = lo, hi
    return Trace(np.repeat(t, 2), vals[0], vals[1], vals[2], True)


class LiveBuffers:
    """One DeviceRing per source, filled from a hub subscription by a drain thread (or `pump()`)."""

    def __init__(self, hub: Hub, window_s: float = 600.0, max_bytes_per_device: int = DEFAULT_MAX_BYTES,
                 default_rate_hz: int = 1000, maxsize: int = 20_000,
                 converter_for: ConverterFor | None = None) -> None:
        """`converter_for` gives each device's converter at its HELLO (the live session passes its calibrated
        conversions); without it a device's samples wait until `set_converter` is called for it."""
        self.window_s = float(window_s)
        self.max_bytes = int(max_bytes_per_device)
        self.default_rate_hz = default_rate_hz
        self.hub = hub
        self.sub: Subscription = hub.subscribe((SampleBlock, Hello), maxsize=maxsize, name="live-buffers")
        self.rings: dict[str, DeviceRing] = {}
        self._rates: dict[str, int] = {}
        self._converters: dict[str, Converter] = {}
        self._converter_for = converter_for
        self.missed = 0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def capacity_for(self, rate_hz: int) -> int:
        return max(16, min(math.ceil(rate_hz * self.window_s), self.max_bytes // BYTES_PER_SAMPLE))

    def set_converter(self, source: str, converter: Converter) -> None:
        """Use calibrated SI conversion for a device (new samples only; the ring keeps what it shows)."""
        self._converters[source] = converter

    def ring(self, source: str) -> DeviceRing | None:
        return self.rings.get(source)

    def _ring_for(self, source: str) -> DeviceRing:
        ring = self.rings.get(source)
        if ring is None:
            ring = DeviceRing(source, self.capacity_for(self._rates.get(source, self.default_rate_hz)))
            self.rings = {**self.rings, source: ring}  # copy-on-write: readers iterate without a lock
        return ring

    def feed(self, env: Envelope) -> None:
        rec = env.record
        if isinstance(rec, SampleBlock):
            conv = self._converters.get(env.source)
            if conv is None:
                return  # no HELLO (or no converter) yet, so no scales: the next HELLO comes within seconds
            v, i, p = conv(rec.voltage_codes, rec.current_codes)
            t = rec.t0_us * 1e-6 + np.arange(rec.count) * (rec.period_ns * 1e-9)
            self._ring_for(env.source).append(t, v, i, p, env.received_ns)
        elif isinstance(rec, Hello):
            self._rates.setdefault(env.source, max(1, rec.sample_rate_hz))
            if self._converter_for is not None:  # the same object at every HELLO of the same device
                self._converters[env.source] = self._converter_for(env.source, rec)
        elif isinstance(rec, Missed):
            self.missed += rec.count

    def feed_many(self, envs: list[Envelope]) -> None:
        """Feed a batch, merging consecutive blocks of a device into one ring append.

        A ring append costs the same Python overhead (lock, summaries) for 60 samples as for 6000, and
        at 10 kHz the devices send ~170 blocks a second each: merging is most of the drain thread's
        saving, and the GIL time it saves goes to the UI. Order is kept per device; HELLO and Missed
        records flush what is pending first.
        """
        pending: dict[str, list[tuple[Envelope, SampleBlock]]] = {}
        for env in envs:
            rec = env.record
            if isinstance(rec, SampleBlock) and env.source in self._converters:
                pending.setdefault(env.source, []).append((env, rec))
                continue
            if pending:
                self._append_merged(pending)
                pending = {}
            self.feed(env)
        if pending:
            self._append_merged(pending)

    def _append_merged(self, pending: dict[str, list[tuple[Envelope, SampleBlock]]]) -> None:
        for source, items in pending.items():
            conv = self._converters[source]
            vc = np.concatenate([rec.voltage_codes for _e, rec in items])
            ic = np.concatenate([rec.current_codes for _e, rec in items])
            v, i, p = conv(vc, ic)
            t = np.concatenate([rec.t0_us * 1e-6 + np.arange(rec.count) * (rec.period_ns * 1e-9)
                                for _e, rec in items])
            self._ring_for(source).append(t, v, i, p, [e.received_ns for e, _r in items if e.received_ns])

    def pump(self, limit: int | None = None) -> int:
        envs = self.sub.drain(limit)
        self.feed_many(envs)
        return len(envs)

    def start(self) -> LiveBuffers:
        self._thread = threading.Thread(target=self._run, name="live-buffers", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        # Wake on the first record, then gather for a moment: fewer, larger batches mean fewer GIL
        # hand-offs with the UI thread, which matters more than 10 ms on a loaded machine.
        while not self._stop.is_set():
            env = self.sub.get(timeout=0.1)
            if env is not None:
                self._stop.wait(BATCH_WAIT_S)
                self.feed_many([env, *self.sub.drain(2000)])

    def stop(self) -> None:
        self._stop.set()
        self.hub.unsubscribe(self.sub)
        if self._thread:
            self._thread.join(2)
