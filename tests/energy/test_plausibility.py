"""Daily energy against the rated ceiling and the pvlib clear-sky estimate."""

from __future__ import annotations

from datetime import date

import pytest

from carbon_smart_meter.energy.plausibility import Plausibility, check_day, check_days, clear_sky_wh

WELLINGTON = (-41.29, 174.78, "Pacific/Auckland")


def test_more_than_rated_watts_times_sixteen_hours_is_impossible():
    check = check_day("2024-01-15", 1601.0, rated_w=100)
    assert check.verdict == Plausibility.IMPOSSIBLE and check.ceiling_wh == 1600


def test_exactly_the_rated_ceiling_without_a_location_is_accepted():
    assert check_day("2024-01-15", 1600.0, rated_w=100).verdict == Plausibility.OK


def test_winter_in_wellington_above_the_clear_sky_estimate_is_flagged_for_review():
    sky = clear_sky_wh(100, *WELLINGTON[:2], date(2024, 6, 15), WELLINGTON[2])
    assert 400 < sky < 900  # short southern winter day
    assert check_day("2024-06-15", sky * 1.11, 100, *WELLINGTON).verdict == Plausibility.REVIEW
    assert check_day("2024-06-15", sky * 1.09, 100, *WELLINGTON).verdict == Plausibility.OK


def test_summer_clear_sky_is_longer_than_winter_and_below_the_physical_ceiling():
    summer = clear_sky_wh(100, *WELLINGTON[:2], date(2024, 1, 15), WELLINGTON[2])
    winter = clear_sky_wh(100, *WELLINGTON[:2], date(2024, 6, 15), WELLINGTON[2])
    assert winter < summer < 1600


def test_high_altitude_tracker_reaches_about_sixteen_peak_sun_hours():
    # docs/reference-data.md: up to 16 kWh/m²/day on a 2-axis tracker at 3,650 m
    sky = clear_sky_wh(100, -22.9, -68.2, date(2024, 12, 21), "America/Santiago", altitude_m=3650)
    assert sky == pytest.approx(1600, rel=0.06)


def test_daily_totals_are_checked_oldest_first_in_kwh():
    checks = check_days({"2024-01-16": 1.7, "2024-01-15": 0.4}, rated_w=100)
    assert [(c.day, c.verdict) for c in checks] == [("2024-01-15", Plausibility.OK),
                                                    ("2024-01-16", Plausibility.IMPOSSIBLE)]
