"""Which grid a device is on: an ISO code from settings, or a place looked up offline.

reverse-geocoder ships GeoNames' cities of 1,000+ people and answers without a network. It always
returns the nearest town, even from mid-ocean, so a place farther than OFF_GRID_KM from any town is
taken as at sea or off-grid, where the grid method does not apply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from carbon_smart_meter.carbon.snapshot import lookup
from carbon_smart_meter.errors import CarbonError

OFF_GRID_KM = 50.0
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Region:
    code: str | None          # ISO 3166-1 alpha-2; None at sea / off-grid
    subregion: str | None
    source: str               # "settings" or "location"
    detail: str

    @property
    def off_grid(self) -> bool:
        return self.code is None


def from_settings(code: str, subregion: str | None = None) -> Region:
    entry = lookup(code)
    if entry is None:
        raise CarbonError(f"region {code!r} is not an ISO 3166-1 country code known to the shipped snapshot; "
                          "use e.g. NZ, DEU or 554")
    return Region(entry.alpha2, subregion, "settings", entry.country)


@lru_cache(maxsize=1)
def _geocoder() -> Any:
    import reverse_geocoder  # imported here: loading its city table takes about a second

    return reverse_geocoder.RGeocoder(mode=1, verbose=False)


def from_location(latitude: float, longitude: float) -> Region:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise CarbonError(f"location {latitude}, {longitude} is not a latitude/longitude in degrees")
    nearest = _geocoder().query([(latitude, longitude)])[0]
    km = _distance_km(latitude, longitude, float(nearest["lat"]), float(nearest["lon"]))
    if km > OFF_GRID_KM:
        return Region(None, None, "location", f"{km:.0f} km from the nearest town ({nearest['name']}): "
                      "at sea or off-grid")
    return Region(nearest["cc"], nearest.get("admin1") or None, "location",
                  f"{nearest['name']}, {nearest['admin1']} ({km:.0f} km)")


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); plenty for a 50 km threshold."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
