"""Choose the emission factor for a device, in the override order of DESIGN.md.

Order (first that applies wins): a factor set for this device, a factor in the user's settings, the
user-imported dataset, the shipped Ember snapshot, the world average (flagged). That order applies to
the grid method; the combined margin and the fuel baselines are computed from their own parameters
unless a device or user factor overrides them. Without a grid (at sea, off-grid) the default method is
the diesel baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carbon_smart_meter.carbon.imported import ImportedDataset
from carbon_smart_meter.carbon.methods import CM_WEIGHTS_SOLAR, combined_margin, fuel_baseline
from carbon_smart_meter.carbon.provenance import AvoidedEmissions, FactorProvenance, Level, Method, estimate
from carbon_smart_meter.carbon.region import Region, from_location, from_settings
from carbon_smart_meter.carbon.snapshot import snapshot_factor, world_average
from carbon_smart_meter.carbon.units import grams_per_kwh
from carbon_smart_meter.errors import CarbonError


@dataclass(frozen=True)
class UserFactor:
    """A factor typed in by the user (settings or per device), with its unit and a note of its source."""

    value: float
    unit: str = "gCO2e/kWh"
    source: str = "entered by the user"


@dataclass(frozen=True)
class CarbonSettings:
    region: str | None = None            # ISO 3166-1 code
    subregion: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    method: str | None = None            # None: grid, or diesel where there is no grid
    user_factor: UserFactor | None = None
    device_factors: dict[str, UserFactor] = field(default_factory=dict)  # device address hex -> factor
    dataset: ImportedDataset | None = None
    operating_margin: UserFactor | None = None
    build_margin: UserFactor | None = None
    cm_weights: tuple[float, float] = CM_WEIGHTS_SOLAR
    sfc_l_per_kwh: float | None = None
    fuel_basis: str = "ipcc"             # "imo" for ships


def resolve_region(settings: CarbonSettings) -> Region | None:
    if settings.region:
        return from_settings(settings.region, settings.subregion)
    if settings.latitude is not None and settings.longitude is not None:
        return from_location(settings.latitude, settings.longitude)
    return None


def resolve_factor(settings: CarbonSettings, device: str | None = None,
                   region: Region | None = None) -> FactorProvenance:
    region = region if region is not None else resolve_region(settings)
    method = settings.method or (Method.DIESEL if region is not None and region.off_grid else Method.GRID)
    if method not in Method.ALL:
        raise CarbonError(f"method {method!r} is not one of {', '.join(Method.ALL)}")
    code = region.code if region is not None and region.code else None
    where = code or ("off-grid" if region is not None else "unset")
    if device is not None and device.lower() in settings.device_factors:
        return _user(settings.device_factors[device.lower()], Level.DEVICE, method, where)
    if settings.user_factor is not None:
        return _user(settings.user_factor, Level.USER, method, where)
    if method in Method.OFF_GRID:
        return fuel_baseline(method, settings.sfc_l_per_kwh, settings.fuel_basis)
    if method == Method.CM:
        if settings.operating_margin is None or settings.build_margin is None:
            raise CarbonError("the combined-margin method needs an operating margin and a build margin "
                              "(e.g. from your grid's CDM/UNFCCC emission-factor study)")
        om, _ = grams_per_kwh(settings.operating_margin.value, settings.operating_margin.unit, "operating margin")
        bm, _ = grams_per_kwh(settings.build_margin.value, settings.build_margin.unit, "build margin")
        return combined_margin(om, bm, where, settings.cm_weights, source=settings.operating_margin.source)
    if code is not None and settings.dataset is not None:
        found = settings.dataset.factor_for(code, region.subregion if region else None)
        if found is not None:
            return found
    if code is not None:
        found = snapshot_factor(code)
        if found is not None:
            return found
    return world_average()


def avoided(energy_kwh: float, settings: CarbonSettings, device: str | None = None,
            region: Region | None = None) -> AvoidedEmissions:
    """Estimated avoided emissions for `energy_kwh`, with the provenance of the factor used."""
    if energy_kwh < 0:
        raise CarbonError(f"energy must not be negative, got {energy_kwh} kWh")
    return estimate(energy_kwh, resolve_factor(settings, device, region))


def _user(factor: UserFactor, level: str, method: str, region: str) -> FactorProvenance:
    grams, gas = grams_per_kwh(factor.value, factor.unit, f"{level} factor")
    return FactorProvenance(grams, f"g{gas}/kWh", method, level, factor.source, "user value", 0, region,
                            "as stated by the user", note=f"{factor.value:g} {factor.unit}")
