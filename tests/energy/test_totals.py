"""Totals per hour and day, in UTC and local time, from quarter-hour bins."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from carbon_smart_meter.energy.totals import EnergyTotals

HOUR_NS = 3600 * 10**9


def ns(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp()) * 10**9


def test_energy_is_split_by_utc_hour_and_day():
    totals = EnergyTotals()
    starts = np.array([ns(2024, 1, 1, 10, 5), ns(2024, 1, 1, 10, 55),
                       ns(2024, 1, 1, 23, 30), ns(2024, 1, 2, 0, 1)])
    totals.add(np.full(4, 3.6e6), starts)  # 1 kWh each
    assert totals.session_kwh == pytest.approx(4.0)
    hours = totals.per_hour()
    assert hours["2024-01-01T10:00:00+00:00"] == pytest.approx(2.0)
    assert totals.per_day() == {"2024-01-01": pytest.approx(3.0), "2024-01-02": pytest.approx(1.0)}


def test_local_days_follow_the_zone_offset_including_half_hour_zones():
    totals = EnergyTotals()
    # 18:45 UTC is 00:15 next day in India (+5:30); 18:15 UTC is 23:45 the same day
    totals.add(np.array([3.6e6, 3.6e6]), np.array([ns(2024, 3, 1, 18, 15), ns(2024, 3, 1, 18, 45)]))
    assert totals.per_day("Asia/Kolkata") == {"2024-03-01": pytest.approx(1.0),
                                              "2024-03-02": pytest.approx(1.0)}
    assert totals.per_day("UTC") == {"2024-03-01": pytest.approx(2.0)}


def test_the_repeated_hour_at_the_end_of_dst_stays_two_hours():
    totals = EnergyTotals()
    # Europe/Berlin leaves DST on 2024-10-27 at 01:00 UTC: 02:00-03:00 local happens twice
    totals.add(np.array([3.6e6, 3.6e6]), np.array([ns(2024, 10, 27, 0, 30), ns(2024, 10, 27, 1, 30)]))
    hours = totals.per_hour("Europe/Berlin")
    assert hours == {"2024-10-27T02:00:00+02:00": pytest.approx(1.0),
                     "2024-10-27T02:00:00+01:00": pytest.approx(1.0)}
