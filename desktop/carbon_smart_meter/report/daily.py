"""Quarter-hour UTC bins regrouped by local day and by local time of day.

Every time zone in use is a whole number of quarter hours from UTC, so a bin lies wholly inside one
local day (and one local quarter of the clock), DST included.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from carbon_smart_meter.energy.totals import QUARTER_NS
from carbon_smart_meter.report.period import Period, zone
from carbon_smart_meter.report.sample_pass import COLUMNS, QuarterSums

QUARTERS_PER_DAY = 96


def _local(quarter: int, tz: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(quarter * 900, zone(tz))


def per_day(sums: QuarterSums, period: Period) -> dict[str, np.ndarray]:
    """Column sums per local day of the period (days without data are absent)."""
    out: dict[str, np.ndarray] = {}
    lo, hi = period.start_ns, period.end_ns
    for q in sorted(sums.bins):
        if not lo <= q * QUARTER_NS < hi:
            continue
        day = _local(q, period.tz).date().isoformat()
        row = out.get(day)
        out[day] = sums.bins[q].copy() if row is None else row + sums.bins[q]
    return out


def in_period(sums: QuarterSums, period: Period) -> np.ndarray:
    total = np.zeros(COLUMNS)
    for row in per_day(sums, period).values():
        total += row
    return total


def time_of_day_profile(sums: QuarterSums, period: Period, energy_col: int, time_col: int) -> list[float | None]:
    """Mean power (W) per local quarter of the clock over the period: energy over recorded time, so a
    quarter that was recorded on fewer days is not diluted; None where nothing was recorded."""
    energy = np.zeros(QUARTERS_PER_DAY)
    seconds = np.zeros(QUARTERS_PER_DAY)
    lo, hi = period.start_ns, period.end_ns
    for q, row in sums.bins.items():
        if not lo <= q * QUARTER_NS < hi:
            continue
        t = _local(q, period.tz)
        k = (t.hour * 60 + t.minute) // 15
        energy[k] += row[energy_col]
        seconds[k] += row[time_col]
    return [float(e / s) if s > 0 else None for e, s in zip(energy, seconds, strict=True)]
