"""`csm gui --daytime`: simulators start at the last 10:00 solar time, never in the future."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_smart_meter.devices.solar_time import last_solar_morning


def _utc(*args: int) -> float:
    return dt.datetime(*args, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize("now, longitude, expected", [
    (_utc(2026, 6, 1, 23, 0), 0.0, _utc(2026, 6, 1, 10, 0)),   # at night: this morning
    (_utc(2026, 6, 1, 9, 0), 0.0, _utc(2026, 5, 31, 10, 0)),   # before 10:00: yesterday's
    (_utc(2026, 6, 1, 23, 0), 90.0, _utc(2026, 6, 1, 4, 0)),   # 90° E: solar 10:00 is 04:00 UTC
    (_utc(2026, 6, 1, 23, 0), -90.0, _utc(2026, 6, 1, 16, 0)),
])
def test_the_last_solar_morning(now, longitude, expected):
    start = last_solar_morning(now, longitude)
    assert start == expected and start <= now
