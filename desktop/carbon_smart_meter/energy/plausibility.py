"""Is a day's energy physically possible for this panel, here, today?

Two ceilings. Rated W x 16 h is impossible to beat anywhere (16 peak-sun-hours is the clear-sky limit
of a 2-axis tracker at high altitude), so more is rejected. The pvlib Ineichen clear-sky irradiance on
a 2-axis tracker for the device's place and date is the best a panel could do there; more than 1.1 x
that is flagged for review (a cloud-edge or calibration effect can exceed it a little; a lot cannot).
The tracker is assumed because a portable panel may be turned toward the sun all day; a lower ceiling
would flag honest users. Solar geometry and Linke turbidity (shipped with pvlib) come from pvlib.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pvlib

PEAK_SUN_HOURS = 16
REVIEW_MARGIN = 1.1
STEP_MINUTES = 5


class Plausibility:
    OK = "ok"
    REVIEW = "review"          # above the clear-sky estimate x 1.1: a person should look
    IMPOSSIBLE = "impossible"  # above rated W x 16 h: rejected


@dataclass(frozen=True)
class DayCheck:
    day: str
    energy_wh: float
    ceiling_wh: float
    clear_sky_wh: float | None
    verdict: str
    message: str


def clear_sky_wh(rated_w: float, latitude: float, longitude: float, day: date, tz: str = "UTC",
                 altitude_m: float | None = None) -> float:
    """Energy (Wh) a panel rated `rated_w` at 1000 W/m² makes on a 2-axis tracker under clear sky."""
    loc = pvlib.location.Location(latitude, longitude, tz=tz, altitude=altitude_m)
    times = pd.date_range(pd.Timestamp(day, tz=tz), periods=24 * 60 // STEP_MINUTES,
                          freq=f"{STEP_MINUTES}min")
    with warnings.catch_warnings():
        # pvlib 0.16 still calls DatetimeIndex.dayofyear, which pandas deprecates: noise for users
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated.*")
        sky = loc.get_clearsky(times, model="ineichen")
        sun = loc.get_solarposition(times)
    up = sun["apparent_zenith"] < 90
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=sun["apparent_zenith"].clip(upper=90), surface_azimuth=sun["azimuth"],
        solar_zenith=sun["apparent_zenith"], solar_azimuth=sun["azimuth"],
        dni=sky["dni"], ghi=sky["ghi"], dhi=sky["dhi"])["poa_global"].fillna(0.0)
    insolation_wh_m2 = float((poa * up).sum()) * STEP_MINUTES / 60
    return rated_w * insolation_wh_m2 / 1000.0


def check_day(day: str, energy_wh: float, rated_w: float, latitude: float | None = None,
              longitude: float | None = None, tz: str = "UTC", altitude_m: float | None = None) -> DayCheck:
    """Verdict for one local day; without a location only the rated-power ceiling applies."""
    ceiling = rated_w * PEAK_SUN_HOURS
    if energy_wh > ceiling:
        return DayCheck(day, energy_wh, ceiling, None, Plausibility.IMPOSSIBLE,
                        f"{day}: {energy_wh:.0f} Wh is more than a {rated_w:.0f} W panel can make in a day "
                        f"({ceiling:.0f} Wh = rated W x {PEAK_SUN_HOURS} h): rejected")
    if latitude is None or longitude is None:
        return DayCheck(day, energy_wh, ceiling, None, Plausibility.OK, f"{day}: within the rated ceiling "
                        "(set a location to compare with the clear-sky estimate)")
    sky = clear_sky_wh(rated_w, latitude, longitude, date.fromisoformat(day), tz, altitude_m)
    if energy_wh > sky * REVIEW_MARGIN:
        return DayCheck(day, energy_wh, ceiling, sky, Plausibility.REVIEW,
                        f"{day}: {energy_wh:.0f} Wh is above {REVIEW_MARGIN} x the clear-sky estimate "
                        f"({sky:.0f} Wh on a 2-axis tracker here): flagged for review")
    return DayCheck(day, energy_wh, ceiling, sky, Plausibility.OK,
                    f"{day}: {energy_wh:.0f} Wh is within the clear-sky estimate of {sky:.0f} Wh")


def check_days(per_day_kwh: Mapping[str, float], rated_w: float, latitude: float | None = None,
               longitude: float | None = None, tz: str = "UTC") -> list[DayCheck]:
    """Verdicts for local-day totals (EnergyTotals.per_day(tz)), oldest first."""
    return [check_day(day, kwh * 1000.0, rated_w, latitude, longitude, tz)
            for day, kwh in sorted(per_day_kwh.items())]
