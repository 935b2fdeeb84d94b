"""Where an emission factor came from, in a form HDF5 attributes and claims can carry.

Every figure the package shows (kg CO2e avoided) is stored beside one of these, so that a reader of a
session file years later can tell which dataset, year, region and method produced it, and whether it
fell back to the flagged world average.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

ESTIMATE_LABEL = "estimated avoided emissions (not an offset or certified credit)"


class Method:
    GRID = "grid"          # average grid displacement: kWh x country carbon intensity
    CM = "cm"              # CDM-style combined margin from user-supplied OM/BM
    DIESEL = "diesel"      # off-grid diesel generator baseline
    KEROSENE = "kerosene"  # off-grid kerosene baseline
    ALL = (GRID, CM, DIESEL, KEROSENE)
    OFF_GRID = (DIESEL, KEROSENE)


class Level:
    """Which step of the override order supplied the factor (highest first)."""

    DEVICE = "device"
    USER = "user-setting"
    IMPORTED = "imported-dataset"
    SNAPSHOT = "shipped-snapshot"
    METHOD = "method-parameters"   # cm / diesel / kerosene: computed from documented parameters
    WORLD = "world-average"        # flagged: no factor for the region


@dataclass(frozen=True)
class FactorProvenance:
    """One emission factor and its origin. `factor` is in `unit` (always gCO2e/kWh or gCO2/kWh)."""

    factor: float
    unit: str
    method: str
    level: str
    dataset: str
    version: str
    year: int          # 0 when the source has no year
    region: str        # ISO 3166-1 alpha-2, "world", or "off-grid"
    licence: str
    flagged: bool = False
    note: str = ""

    def to_attrs(self) -> dict[str, str | int | float | bool]:
        """Flat scalars only, so h5py can store them as attributes (prefix them as you like)."""
        return asdict(self)

    @classmethod
    def from_attrs(cls, attrs: dict[str, object]) -> FactorProvenance:
        names = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {k: attrs[k] for k in names if k in attrs}  # HDF5 scalars: converted below
        for key in ("year",):
            values[key] = int(values[key])
        values["factor"] = float(values["factor"])
        values["flagged"] = bool(values.get("flagged", False))
        return cls(**values)


@dataclass(frozen=True)
class AvoidedEmissions:
    """kWh x factor, with the factor's provenance. Never call this an offset."""

    energy_kwh: float
    co2_kg: float
    provenance: FactorProvenance
    label: str = ESTIMATE_LABEL

    @property
    def unit(self) -> str:
        return "kg CO2e" if "CO2e" in self.provenance.unit else "kg CO2"

    def to_json(self) -> dict[str, object]:
        return {"energy_kwh": self.energy_kwh, "co2_kg": self.co2_kg, "unit": self.unit, "label": self.label,
                "provenance": self.provenance.to_attrs()}


def estimate(energy_kwh: float, factor: FactorProvenance) -> AvoidedEmissions:
    return AvoidedEmissions(energy_kwh, energy_kwh * factor.factor / 1000.0, factor)
