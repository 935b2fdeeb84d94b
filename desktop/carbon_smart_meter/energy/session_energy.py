"""Energy of a recorded session file, by the same integration as the live ledger.

Reads the blocks table and the calibrated `power` column in slices of whole blocks (constant memory
for long files) and joins blocks exactly as the ledger does: a gap in `first_sample` is reported and
never bridged. Session files come from carbon_smart_meter.storage; this is one pluggable energy source
for `csm offsets` (the other is a bare --kwh figure).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from carbon_smart_meter.energy.integrate import JOULES_PER_MWH, PreviousSample, SampleGap, integrate_power
from carbon_smart_meter.energy.totals import EnergyTotals
from carbon_smart_meter.protocol.messages import BLOCK_FLAG_TIME_SYNCED
from carbon_smart_meter.storage.reader import Session

SLICE_ROWS = 262_144


@dataclass(frozen=True)
class SessionEnergy:
    path: str
    energy_kwh: float
    reverse_kwh: float
    gaps: tuple[SampleGap, ...]
    totals: EnergyTotals
    device: str
    rated_w: int
    region: str
    calibration_status: str
    complete: bool

    @property
    def energy_mwh(self) -> float:
        return self.energy_kwh * 1e6


def integrate_session(path: str | Path) -> SessionEnergy:
    """Integrate every block of a session file (finished, growing or crashed)."""
    with Session(path) as session:
        blocks = session.table("blocks")
        rows = session.rows()
        keep = (blocks["row"].astype(np.int64) + blocks["count"].astype(np.int64)) <= rows  # crash-cut tail
        firsts = blocks["first_sample"][keep].astype(np.int64)
        counts = blocks["count"][keep].astype(np.int64)
        periods = blocks["period_ns"][keep].astype(np.int64)
        t0_ns = blocks["t0_us"][keep].astype(np.int64) * 1000
        synced = (blocks["flags"][keep] & BLOCK_FLAG_TIME_SYNCED) != 0
        # before time sync, anchor each block's end at its arrival on the host (as the ledger does)
        host_end = blocks["host_utc_ns"][keep].astype(np.int64)
        t0_ns = np.where(synced, t0_ns, host_end - counts * periods)
        row0 = blocks["row"][keep].astype(np.int64)
        totals = EnergyTotals()
        energy_j = reverse_j = 0.0
        gaps: list[SampleGap] = []
        previous: PreviousSample | None = None
        start = 0
        while start < len(counts):
            stop = start + 1
            while stop < len(counts) and row0[stop] + counts[stop] - row0[start] <= SLICE_ROWS:
                stop += 1
            lo, hi = int(row0[start]), int(row0[stop - 1] + counts[stop - 1])
            power = session.samples("power", lo, hi).astype(np.float64)
            part = integrate_power(power, counts[start:stop], periods[start:stop], firsts[start:stop],
                                   t0_ns[start:stop], previous)
            totals.add(part.interval_energy_j, part.interval_start_ns)
            energy_j += part.energy_j
            reverse_j += part.reverse_energy_j
            gaps += part.gaps
            previous = PreviousSample(int(firsts[stop - 1] + counts[stop - 1]), int(periods[stop - 1]),
                                      part.last_power_w)
            start = stop
        device = session.device
        attrs = session.attrs
        return SessionEnergy(str(path), energy_j / JOULES_PER_MWH / 1e6, reverse_j / JOULES_PER_MWH / 1e6,
                             tuple(gaps), totals, str(device.get("address", "")),
                             int(device.get("rated_power_w", 0)), str(attrs.get("region", "") or ""),
                             str(attrs.get("calibration_status", "")), session.complete)
