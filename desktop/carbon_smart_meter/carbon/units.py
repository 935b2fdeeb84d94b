"""Emission-factor units checked with pint: a wrong unit is refused, never guessed.

pint has no notion of "CO2e", so the gas label is read off the unit text first (g CO2e/kWh,
kgCO2/MWh, t CO2-eq/MWh ...) and the rest must be a mass per energy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from carbon_smart_meter.errors import CarbonError

if TYPE_CHECKING:
    import pint

_GAS = re.compile(r"\s*(co2[-_ ]?e(q|quivalent)?|co2)\b\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """One registry, built lazily: importing pint and building a registry cost about a second."""
    import pint

    return pint.UnitRegistry()


def grams_per_kwh(value: float, unit: str, where: str) -> tuple[float, str]:
    """(value in g/kWh, gas label 'CO2e' or 'CO2') or CarbonError naming `where` and what to fix."""
    gas = "CO2e"
    match = _GAS.search(unit)
    if match:
        gas = "CO2e" if "e" in match.group(1).lower().replace("co2", "", 1) else "CO2"
    text = _GAS.sub("", unit).strip()
    if not text:
        raise CarbonError(f"{where}: unit {unit!r} has no mass/energy part; write e.g. 'gCO2e/kWh'")
    ureg = registry()
    import pint

    try:
        quantity = ureg.Quantity(float(value), text)
        converted = quantity.to("g/kWh")
    except (pint.errors.DimensionalityError, pint.errors.UndefinedUnitError, ValueError,
            AttributeError, TypeError) as exc:
        raise CarbonError(f"{where}: {value!r} {unit!r} is not a mass per energy (e.g. gCO2e/kWh, kg/MWh): "
                          f"{exc}") from exc
    return float(converted.magnitude), gas
