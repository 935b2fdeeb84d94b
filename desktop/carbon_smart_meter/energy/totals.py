"""Energy totals per session, hour and day, in UTC and in any local time zone.

Energy is accumulated in quarter-hour UTC bins: every time zone in use today is offset from UTC by a
multiple of 15 minutes (India +5:30, Nepal +5:45), so local hours and local days are exact sums of
quarter-hour bins, DST included, and the per-sample arrays never need to be kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

QUARTER_NS = 900 * 10**9


class EnergyTotals:
    """Running totals; `add` takes per-interval energies (J) and their start times (unix ns)."""

    def __init__(self) -> None:
        self._bins: dict[int, float] = {}
        self.session_j = 0.0

    def add(self, energy_j: np.ndarray, start_ns: np.ndarray) -> None:
        if energy_j.size == 0:
            return
        quarters = np.floor_divide(start_ns, QUARTER_NS)
        keys, inverse = np.unique(quarters, return_inverse=True)
        sums = np.bincount(inverse, weights=energy_j)
        for k, s in zip(keys.tolist(), sums.tolist(), strict=True):
            self._bins[k] = self._bins.get(k, 0.0) + s
        self.session_j += float(energy_j.sum())

    def merge(self, other: EnergyTotals) -> None:
        """Add another set of totals (e.g. the verified intervals of a session, one by one)."""
        for k, v in other._bins.items():
            self._bins[k] = self._bins.get(k, 0.0) + v
        self.session_j += other.session_j

    @property
    def session_kwh(self) -> float:
        return self.session_j / 3.6e6

    def per_hour(self, tz: str = "UTC") -> dict[str, float]:
        """kWh per hour, keyed by the hour's start as ISO text with its UTC offset.

        The offset is part of the key so that the repeated hour when DST ends stays two hours.
        """
        grouped = self._grouped(tz, lambda t: t.replace(minute=0, second=0, microsecond=0).isoformat())
        return grouped

    def per_day(self, tz: str = "UTC") -> dict[str, float]:
        """kWh per calendar day in `tz`, keyed by ISO date."""
        return self._grouped(tz, lambda t: t.date().isoformat())

    def _grouped(self, tz: str, key_of: Callable[[datetime], str]) -> dict[str, float]:
        zone = UTC if tz == "UTC" else ZoneInfo(tz)
        out: dict[str, float] = {}
        for q in sorted(self._bins):
            local = datetime.fromtimestamp(q * 900, tz=zone)
            k = key_of(local)
            out[k] = out.get(k, 0.0) + self._bins[q] / 3.6e6
        return out
