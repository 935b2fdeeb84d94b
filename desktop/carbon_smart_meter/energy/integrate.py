"""Trapezoid integration of calibrated power over sample blocks, vectorised across blocks.

Why trapezoid over a sample-contiguous stream and nothing else: a gap (samples lost between blocks) is
energy we did not measure, so it is reported and never interpolated; two blocks are joined by one
trapezoid only when the second starts exactly where the first ended (`first_sample`). Only positive
power counts as generated energy (PROTOCOL.md section 5: a panel does not un-generate); reverse power
is reported separately so that a wiring fault is visible rather than silently subtracted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from carbon_smart_meter.protocol.messages import BLOCK_FLAG_TIME_SYNCED, SampleBlock

JOULES_PER_MWH = 3.6
#: A converter turns one block's raw codes into (volts, amperes) float arrays: calibration.Conversion.to_si.
ToSI = Callable[[SampleBlock], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class SampleGap:
    """Samples the device counted but we never received: between `after_sample` and `before_sample`."""

    after_sample: int
    before_sample: int
    t_ns: int

    @property
    def missing(self) -> int:
        return self.before_sample - self.after_sample


@dataclass(frozen=True)
class Integration:
    """Result of integrating a run of blocks.

    `interval_energy_j` / `interval_start_ns` hold one entry per integrated sample interval (start time
    in unix ns once the block's time is known), so callers can bin energy by any calendar.
    """

    energy_j: float
    reverse_energy_j: float
    block_energy_j: np.ndarray
    interval_energy_j: np.ndarray
    interval_start_ns: np.ndarray
    gaps: tuple[SampleGap, ...]
    max_power_w: float
    max_period_ns: int
    last_power_w: float = 0.0  # of the last sample: the next batch joins to it
    # index into `power` of the sample each interval starts at (-1: the join to the previous batch), so
    # per-sample attributes (a row's verification status) can follow each interval's energy
    interval_sample: np.ndarray | None = None


    @property
    def energy_mwh(self) -> float:
        return self.energy_j / JOULES_PER_MWH


def block_time_offset_ns(block: SampleBlock, received_utc_ns: int | None) -> int:
    """Offset to add to device time (ns) to get unix ns.

    A block with the time-synced flag already carries unix time. Before sync the device counts from
    boot, so we anchor the block's end at the host's arrival time (an estimate, good to the link delay).
    """
    if block.flags & BLOCK_FLAG_TIME_SYNCED or received_utc_ns is None:
        return 0
    end_ns = block.t0_us * 1000 + block.count * block.period_ns
    return received_utc_ns - end_ns


def integrate_blocks(blocks: Sequence[SampleBlock], to_si: ToSI,
                     previous: tuple[SampleBlock, float] | None = None,
                     time_offsets_ns: Sequence[int] | None = None) -> Integration:
    """Integrate positive power over `blocks` (in arrival order).

    `previous` is (last block, its last power in W) from an earlier call, so that a stream integrated
    in batches joins across the batch boundary exactly as it would in one call.
    """
    n_blocks = len(blocks)
    if n_blocks == 0:
        return integrate_power(np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64),
                               np.zeros(0, np.int64), np.zeros(0, np.int64))
    t0_ns = np.fromiter((b.t0_us for b in blocks), dtype=np.int64, count=n_blocks) * 1000
    if time_offsets_ns is not None:
        t0_ns = t0_ns + np.asarray(time_offsets_ns, dtype=np.int64)
    volts, amps = zip(*(to_si(b) for b in blocks), strict=True)
    power = np.concatenate(volts).astype(np.float64) * np.concatenate(amps).astype(np.float64)
    prev = None
    if previous is not None:
        prev = PreviousSample(previous[0].end_sample, previous[0].period_ns, previous[1])
    return integrate_power(
        power,
        np.fromiter((b.count for b in blocks), dtype=np.int64, count=n_blocks),
        np.fromiter((b.period_ns for b in blocks), dtype=np.int64, count=n_blocks),
        np.fromiter((b.first_sample for b in blocks), dtype=np.int64, count=n_blocks),
        t0_ns, prev)


@dataclass(frozen=True)
class PreviousSample:
    """The last sample of an earlier batch: where it ended, its period and its power."""

    end_sample: int
    period_ns: int
    power_w: float


def integrate_power(power: np.ndarray, counts: np.ndarray, periods: np.ndarray, firsts: np.ndarray,
                    t0_ns: np.ndarray, previous: PreviousSample | None = None) -> Integration:
    """Core of the integration on plain arrays: `power` (W) is every block's samples concatenated.

    Shared by the live ledger (blocks decoded from the wire) and session files (blocks table + power).
    """
    n_blocks = len(counts)
    if n_blocks == 0:
        empty = np.zeros(0)
        return Integration(0.0, 0.0, empty, empty, np.zeros(0, dtype=np.int64), (), 0.0, 0)
    counts, periods = np.asarray(counts, np.int64), np.asarray(periods, np.int64)
    firsts, t0_ns = np.asarray(firsts, np.int64), np.asarray(t0_ns, np.int64)
    power = np.asarray(power, np.float64)
    # next_ok[j]: block j+1 starts exactly where block j ended, so one trapezoid joins them.
    ends = firsts + counts
    next_ok = np.zeros(n_blocks, dtype=bool)
    next_ok[:-1] = firsts[1:] == ends[:-1]
    # a block that starts before the previous end is a device reset (or a duplicate): no join, no gap
    gaps = [SampleGap(int(ends[j]), int(firsts[j + 1]), int(t0_ns[j + 1]))
            for j in np.flatnonzero(firsts[1:] > ends[:-1])]

    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    block_of = np.repeat(np.arange(n_blocks), counts)
    dt_s = periods[block_of] * 1e-9
    # interval k joins sample k to k+1; the last sample of a block joins the next block only if contiguous
    valid = np.ones(power.size, dtype=bool)
    valid[starts + counts - 1] = next_ok
    p_pos = np.maximum(power, 0.0)
    p_neg = np.minimum(power, 0.0)
    nxt_pos = np.append(p_pos[1:], 0.0)
    nxt_neg = np.append(p_neg[1:], 0.0)
    e = np.where(valid, 0.5 * (p_pos + nxt_pos) * dt_s, 0.0)
    e_rev = np.where(valid, 0.5 * (p_neg + nxt_neg) * dt_s, 0.0)
    within = np.arange(power.size) - starts[block_of]
    t_ns = t0_ns[block_of] + within * periods[block_of]

    extra_j = 0.0
    extra_t: list[int] = []
    if previous is not None:
        if firsts[0] == previous.end_sample:
            extra_j = 0.5 * (max(previous.power_w, 0.0) + p_pos[0]) * previous.period_ns * 1e-9
            extra_t = [int(t0_ns[0] - previous.period_ns)]
        elif firsts[0] > previous.end_sample:
            gaps.insert(0, SampleGap(previous.end_sample, int(firsts[0]), int(t0_ns[0])))
    block_e = np.bincount(block_of, weights=e, minlength=n_blocks)
    interval_k = np.flatnonzero(valid)
    if extra_t:
        interval_e = np.concatenate(([extra_j], e[valid]))
        interval_t = np.concatenate((np.asarray(extra_t, dtype=np.int64), t_ns[valid]))
        interval_k = np.concatenate(([-1], interval_k))
    else:
        interval_e, interval_t = e[valid], t_ns[valid]
    return Integration(
        energy_j=float(e.sum() + extra_j), reverse_energy_j=float(-e_rev.sum()), block_energy_j=block_e,
        interval_energy_j=interval_e, interval_start_ns=interval_t, gaps=tuple(gaps),
        max_power_w=float(np.abs(power).max()) if power.size else 0.0, max_period_ns=int(periods.max()),
        last_power_w=float(power[-1]) if power.size else 0.0, interval_sample=interval_k,
    )
