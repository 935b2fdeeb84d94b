"""Energy uncertainty from the calibration record's stated uncertainties (GUM-style, k = 2).

A calibration record states one expanded uncertainty (coverage k = 2, calibration/README.md) for the
voltage and one for the current channel, either relative ("0.05 %") or absolute ("2 mV"). A calibration
error is the same for every sample, so it does not average out over a period: a relative error scales
energy by the same fraction, an absolute one shifts every generating sample's power by that much times
the other channel. For energy E = ∫ V·I dt over generating samples:

    U_E² = (u_V,rel · E)² + (u_I,rel · E)²         relative parts
         + (u_V,abs · ∫I dt)² + (u_I,abs · ∫V dt)²  absolute parts

the two channels taken as independent (separate reference readings). Several files are summed linearly
(their errors treated as fully correlated), which can only overstate the uncertainty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from carbon_smart_meter.calibration.units import parse_quantity, to_si
from carbon_smart_meter.errors import CalibrationError

COVERAGE_K = 2


@dataclass(frozen=True)
class ChannelUncertainty:
    relative: float = 0.0   # fraction (0.0005 for 0.05 %)
    absolute: float = 0.0   # V or A
    text: str = ""


def channel(text: str, dimension: str) -> ChannelUncertainty:
    """'0.05 %' -> relative 0.0005; '2 mV' -> absolute 0.002 (V)."""
    try:
        q = parse_quantity(text, "dimensionless", file="(record)", field="uncertainty")
        return ChannelUncertainty(relative=abs(to_si(q, "dimensionless")), text=text)
    except CalibrationError:
        q = parse_quantity(text, dimension, file="(record)", field="uncertainty")
        return ChannelUncertainty(absolute=abs(to_si(q, dimension)), text=text)


@dataclass(frozen=True)
class RecordUncertainty:
    voltage: ChannelUncertainty
    current: ChannelUncertainty

    @classmethod
    def from_record(cls, uncertainty: dict[str, str]) -> RecordUncertainty:
        return cls(channel(uncertainty["voltage"], "voltage"), channel(uncertainty["current"], "current"))

    def energy_j(self, energy_j: float, charge_as: float, volt_seconds: float) -> float:
        """Expanded (k = 2) uncertainty of `energy_j`, given ∫I dt (A·s) and ∫V dt (V·s) of its samples."""
        parts = (self.voltage.relative * energy_j, self.current.relative * energy_j,
                 self.voltage.absolute * charge_as, self.current.absolute * volt_seconds)
        return math.sqrt(sum(p * p for p in parts))

    def describe(self) -> str:
        return f"voltage {self.voltage.text}, current {self.current.text} (k = {COVERAGE_K})"
