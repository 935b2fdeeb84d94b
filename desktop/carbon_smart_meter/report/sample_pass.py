"""One pass over a session's samples for what a report needs beyond `csm verify`'s figures.

`verify_file` proves which intervals are verified and what energy they hold; a report also needs, per
local day and per time of day, the integrals the calibration uncertainty propagates through (charge
and volt-seconds of generating samples), the raw codes' energy by the device's rule, recorded,
clipped and unsynchronised time, and the coverage of the period by verified, unverifiable and failed
data. Everything is summed into quarter-hour UTC bins (as energy/totals.py does, so any local day is
an exact sum of bins) and coverage is kept as runs, so memory stays bounded however long the file.

A block belongs to the interval of the first checkpoint that arrived after it (the checkpoint `row`
of docs/session-format.md), and takes that interval's verdict from `verify_file`. The verified energy
summed here is checked against `verify_file`'s by the report (they are the same rectangles of the same
codes through the same recorded calibration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.energy.totals import QUARTER_NS
from carbon_smart_meter.energy.verified import FAILED, UNVERIFIABLE, VERIFIED, FileVerification
from carbon_smart_meter.protocol.messages import BLOCK_FLAG_I_CLIPPED, BLOCK_FLAG_TIME_SYNCED, BLOCK_FLAG_V_CLIPPED
from carbon_smart_meter.storage.reader import Session

SLICE_BLOCKS = 4096
STATUS_CODES = {VERIFIED: 0, UNVERIFIABLE: 1, FAILED: 2}
STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}
# Columns of a quarter-hour bin.
RECORDED_S, ENERGY_J, VERIFIED_J, UNVERIFIABLE_J, FAILED_J, Q_AS, Q_VS, DEVICE_RULE_J, CLIPPED_S, UNSYNCED_S, \
    VERIFIED_S = range(11)
COLUMNS = 11
MAX_RUNS = 20_000  # coverage runs kept per file; beyond it the shortest breaks are merged away (plots only)


@dataclass
class QuarterSums:
    """Sums per quarter-hour UTC bin; `add` merges another file's."""

    bins: dict[int, np.ndarray] = field(default_factory=dict)

    def add_arrays(self, quarters: np.ndarray, values: np.ndarray) -> None:
        keys, inverse = np.unique(quarters, return_inverse=True)
        for col in range(COLUMNS):
            sums = np.bincount(inverse, weights=values[:, col], minlength=len(keys))
            for k, s in zip(keys.tolist(), sums.tolist(), strict=True):
                row = self.bins.get(k)
                if row is None:
                    row = self.bins[k] = np.zeros(COLUMNS)
                row[col] += s

    def merge(self, other: QuarterSums) -> None:
        for k, v in other.bins.items():
            if k in self.bins:
                self.bins[k] = self.bins[k] + v
            else:
                self.bins[k] = v.copy()

    def total(self, column: int, start_ns: int | None = None, end_ns: int | None = None) -> float:
        return float(sum(v[column] for k, v in self.bins.items() if _inside(k, start_ns, end_ns)))


def _inside(quarter: int, start_ns: int | None, end_ns: int | None) -> bool:
    t = quarter * QUARTER_NS
    return (start_ns is None or t >= start_ns) and (end_ns is None or t < end_ns)


@dataclass
class Runs:
    """Stretches of time with one value (a status code, or 1/0), merged while contiguous."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=list)

    def extend(self, starts: np.ndarray, ends: np.ndarray, values: np.ndarray, join_ns: np.ndarray) -> None:
        for s, e, v, j in zip(starts.tolist(), ends.tolist(), values.tolist(), join_ns.tolist(), strict=True):
            if self.values and self.values[-1] == v and 0 <= s - self.ends[-1] <= j:
                self.ends[-1] = max(self.ends[-1], e)
            else:
                self.starts.append(s)
                self.ends.append(e)
                self.values.append(v)
        if len(self.values) > MAX_RUNS:
            self._thin()

    def _thin(self) -> None:
        """Drop the shortest runs of the plot's data (the sums are not affected)."""
        keep = np.argsort(np.array(self.ends) - np.array(self.starts))[-MAX_RUNS // 2:]
        keep.sort()
        self.starts = [self.starts[k] for k in keep]
        self.ends = [self.ends[k] for k in keep]
        self.values = [self.values[k] for k in keep]

    def as_list(self) -> list[tuple[int, int, int]]:
        return list(zip(self.starts, self.ends, self.values, strict=True))


@dataclass
class SamplePass:
    sums: QuarterSums
    coverage: Runs             # value: STATUS_CODES
    synced: Runs               # value: 1 time-synced, 0 not
    first_ns: int | None
    last_ns: int | None
    samples: int
    clipped_blocks: int
    unsynced_blocks: int
    blocks: int
    median_period_ns: int


def block_status(session: Session, verification: FileVerification, ends: np.ndarray) -> np.ndarray:
    """Status code of each block: that of the interval ending at the first checkpoint after it."""
    ck = session.table("checkpoints")
    row_of: dict[int, int] = {}
    for seq, row in zip(ck["seq"].tolist(), ck["row"].tolist(), strict=True):
        row_of.setdefault(int(seq), int(row))
    bounds: list[tuple[int, int, int]] = []  # (row_to, row_from, status)
    for i in verification.intervals:
        if i.seq_to is None or i.seq_to not in row_of:
            continue
        first_row = row_of.get(i.seq_from, 0) if i.seq_from is not None else 0
        bounds.append((row_of[i.seq_to], first_row, STATUS_CODES[i.status]))
    bounds.sort()
    status = np.full(len(ends), STATUS_CODES[UNVERIFIABLE], dtype=np.int8)
    if not bounds:
        return status
    row_to = np.array([b[0] for b in bounds], dtype=np.int64)
    row_from = np.array([b[1] for b in bounds], dtype=np.int64)
    codes = np.array([b[2] for b in bounds], dtype=np.int8)
    k = np.searchsorted(row_to, ends, side="left")
    inside = k < len(bounds)
    kk = np.minimum(k, len(bounds) - 1)
    inside &= ends > row_from[kk]
    status[inside] = codes[kk[inside]]
    return status


def sample_pass(session: Session, verification: FileVerification, conv: Conversion,
                factory_scale: float) -> SamplePass:
    """`factory_scale` is the HELLO's v_lsb x i_lsb: the raw codes' energy by the device's own rule."""
    b = session.table("blocks")
    rows = session.rows()
    ends = b["row"].astype(np.int64) + b["count"].astype(np.int64)
    n_blocks = int(np.searchsorted(np.maximum.accumulate(ends) > rows, True)) if len(ends) else 0
    ends = ends[:n_blocks]
    status = block_status(session, verification, ends)
    counts_all = b["count"][:n_blocks].astype(np.int64)
    periods_all = b["period_ns"][:n_blocks].astype(np.int64)
    flags_all = b["flags"][:n_blocks].astype(np.int64)
    synced_all = (flags_all & BLOCK_FLAG_TIME_SYNCED) != 0
    t0_all = np.where(synced_all, b["t0_us"][:n_blocks].astype(np.int64) * 1000,
                      b["host_utc_ns"][:n_blocks].astype(np.int64) - counts_all * periods_all)
    sums, coverage, synced_runs = QuarterSums(), Runs(), Runs()
    for start in range(0, n_blocks, SLICE_BLOCKS):
        stop = min(n_blocks, start + SLICE_BLOCKS)
        counts, periods, t0 = counts_all[start:stop], periods_all[start:stop], t0_all[start:stop]
        r0 = b["row"][start:stop].astype(np.int64)
        lo, hi = int(r0[0]), int((r0 + counts).max())
        vc_all = session.samples("voltage_code", lo, hi)
        ic_all = session.samples("current_code", lo, hi)
        pos = np.concatenate([np.arange(r - lo, r - lo + c) for r, c in zip(r0, counts, strict=True)])
        vc, ic = vc_all[pos], ic_all[pos]
        block_of = np.repeat(np.arange(stop - start), counts)
        k = np.arange(len(pos)) - np.repeat(np.cumsum(counts) - counts, counts)
        dt_s = periods[block_of] * 1e-9
        t_ns = t0[block_of] + k * periods[block_of]
        v32, i32, _ = conv.convert(vc, ic)
        v, i = v32.astype(np.float64), i32.astype(np.float64)
        p = v * i
        gen = p > 0
        e = np.where(gen, p, 0.0) * dt_s
        st = status[start:stop][block_of]
        ver = st == STATUS_CODES[VERIFIED]
        flags = flags_all[start:stop][block_of]
        values = np.zeros((len(pos), COLUMNS))
        values[:, RECORDED_S] = dt_s
        values[:, ENERGY_J] = e
        values[:, VERIFIED_J] = np.where(ver, e, 0.0)
        values[:, UNVERIFIABLE_J] = np.where(st == STATUS_CODES[UNVERIFIABLE], e, 0.0)
        values[:, FAILED_J] = np.where(st == STATUS_CODES[FAILED], e, 0.0)
        values[:, Q_AS] = np.where(ver & gen, np.abs(i), 0.0) * dt_s
        values[:, Q_VS] = np.where(ver & gen, np.abs(v), 0.0) * dt_s
        products = np.maximum(vc.astype(np.float64) * ic.astype(np.float64), 0.0)  # exact below 2^53
        values[:, DEVICE_RULE_J] = np.where(ver, products, 0.0) * dt_s * factory_scale
        values[:, CLIPPED_S] = np.where((flags & (BLOCK_FLAG_V_CLIPPED | BLOCK_FLAG_I_CLIPPED)) != 0, dt_s, 0.0)
        values[:, UNSYNCED_S] = np.where((flags & BLOCK_FLAG_TIME_SYNCED) == 0, dt_s, 0.0)
        values[:, VERIFIED_S] = np.where(ver, dt_s, 0.0)
        sums.add_arrays(np.floor_divide(t_ns, QUARTER_NS), values)
        block_end = t0 + counts * periods
        join = np.maximum(2 * periods, 10**9)  # blocks closer than this are one stretch
        coverage.extend(t0, block_end, status[start:stop].astype(np.int64), join)
        synced_runs.extend(t0, block_end, synced_all[start:stop].astype(np.int64), join)
    clipped = int(np.count_nonzero(flags_all & (BLOCK_FLAG_V_CLIPPED | BLOCK_FLAG_I_CLIPPED)))
    return SamplePass(
        sums=sums, coverage=coverage, synced=synced_runs,
        first_ns=int(t0_all.min()) if n_blocks else None,
        last_ns=int((t0_all + counts_all * periods_all).max()) if n_blocks else None,
        samples=int(counts_all.sum()), clipped_blocks=clipped, unsynced_blocks=int(np.count_nonzero(~synced_all)),
        blocks=n_blocks, median_period_ns=int(np.median(periods_all)) if n_blocks else 0)
