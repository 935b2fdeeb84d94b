"""The shipped Ember/OWID carbon-intensity snapshot (data/ember_carbon_intensity.csv).

Read once, lazily, with the csv module (no pandas import on the CLI path). Countries are found by
ISO alpha-2, alpha-3 or numeric code, so settings, reverse geocoding and bind messages all work.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from carbon_smart_meter.carbon.provenance import FactorProvenance, Level, Method

SNAPSHOT_FILE = "ember_carbon_intensity.csv"
DATASET = "Ember yearly electricity data, carbon intensity of electricity generation (via Our World in Data)"
VERSION = "snapshot 2026-11-29 of the copy in codecarbon 3.3.2 (global_energy_mix.json)"
LICENCE = "CC-BY-4.0 (Ember, Our World in Data)"
UNIT = "gCO2e/kWh"


@dataclass(frozen=True)
class CountryIntensity:
    alpha2: str
    alpha3: str
    numeric: int
    country: str
    year: int
    gco2e_per_kwh: float
    generation_twh: float


@lru_cache(maxsize=1)
def _table() -> dict[str, CountryIntensity]:
    path = resources.files("carbon_smart_meter.carbon").joinpath("data", SNAPSHOT_FILE)
    out: dict[str, CountryIntensity] = {}
    # newline="" as csv wants (Traversable.open does not take it); the table is a few kB.
    with io.StringIO(path.read_bytes().decode("utf-8"), newline="") as f:
        for row in csv.DictReader(f):
            entry = CountryIntensity(row["iso_alpha2"], row["iso_alpha3"], int(row["iso_numeric"]),
                                     row["country"], int(row["year"]), float(row["gco2e_per_kwh"]),
                                     float(row["generation_twh"]))
            for key in (entry.alpha2, entry.alpha3, str(entry.numeric)):
                out[key] = entry
    return out


def countries() -> list[CountryIntensity]:
    return sorted({c.alpha3: c for c in _table().values()}.values(), key=lambda c: c.alpha2)


def lookup(region: str | int) -> CountryIntensity | None:
    """Country by ISO alpha-2, alpha-3 or numeric code (case-insensitive); None when not in the snapshot."""
    key = str(int(region)) if isinstance(region, int) or str(region).isdigit() else str(region).upper()
    return _table().get(key)


def snapshot_factor(region: str | int) -> FactorProvenance | None:
    entry = lookup(region)
    if entry is None:
        return None
    return FactorProvenance(entry.gco2e_per_kwh, UNIT, Method.GRID, Level.SNAPSHOT, DATASET, VERSION,
                            entry.year, entry.alpha2, LICENCE,
                            note=f"{entry.country}, lifecycle, production-based, {entry.year}")


@lru_cache(maxsize=1)
def world_average() -> FactorProvenance:
    """Generation-weighted mean of the snapshot rows: flagged, because it fits no particular grid."""
    rows = countries()
    total = sum(c.generation_twh for c in rows)
    mean = sum(c.gco2e_per_kwh * c.generation_twh for c in rows) / total
    latest = max(c.year for c in rows)
    return FactorProvenance(round(mean, 1), UNIT, Method.GRID, Level.WORLD, DATASET, VERSION, latest, "world",
                            LICENCE, flagged=True,
                            note=f"generation-weighted mean of {len(rows)} countries (rows of different years, "
                                 "latest shown); no factor for the region: set a region or a factor")
