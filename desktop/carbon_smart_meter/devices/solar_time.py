"""Local solar time for the simulated sun: where to start a simulator's clock so a demo shows daylight."""

from __future__ import annotations

SECONDS_PER_DEGREE = 240.0  # the sun crosses 1 degree of longitude in 4 minutes


def last_solar_morning(now: float, longitude: float, hour: float = 10.0) -> float:
    """The unix time of the most recent `hour` o'clock local solar time at `longitude` (never in the
    future, so checkpoints of a simulator started there are not future-dated)."""
    offset = longitude * SECONDS_PER_DEGREE
    day_start = (now + offset) // 86400 * 86400 - offset
    start = day_start + hour * 3600
    return start if start <= now else start - 86400
