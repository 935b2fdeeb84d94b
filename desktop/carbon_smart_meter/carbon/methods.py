"""Baselines other than the average grid: CDM-style combined margin and off-grid fuel baselines.

Fuel baselines are built from fuel facts, not from methodology default factors that could not be
checked here (see docs/reference-data.md): CO2 per litre from IPCC 2006 default emission factors (or IMO
carbon factors for ships), times a generator's specific fuel consumption in L/kWh, which the user sets.
They count combustion CO2 only (no upstream), so their unit is gCO2/kWh, not gCO2e/kWh.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon_smart_meter.carbon.provenance import FactorProvenance, Level, Method
from carbon_smart_meter.errors import CarbonError

CM_WEIGHTS_SOLAR = (0.75, 0.25)  # operating / build margin for solar and wind, CDM TOOL07


@dataclass(frozen=True)
class Fuel:
    name: str
    kg_co2_per_tj: float     # IPCC 2006 Vol. 2 Ch. 1 Table 1.4 default
    ncv_tj_per_gg: float     # net calorific value, IPCC 2006 Vol. 2 Ch. 1 Table 1.2 default
    density_kg_per_l: float  # assumed typical density (not an IPCC value)
    imo_t_co2_per_t: float | None  # IMO carbon factor Cf (MEPC guidelines), for ships

    def kg_co2_per_litre(self, basis: str = "ipcc") -> float:
        if basis == "imo":
            if self.imo_t_co2_per_t is None:
                raise CarbonError(f"no IMO carbon factor for {self.name}; use the IPCC basis")
            return self.imo_t_co2_per_t * self.density_kg_per_l
        # kg/TJ x TJ/Gg = kg CO2 per Gg fuel = per 10^6 kg
        return self.kg_co2_per_tj * self.ncv_tj_per_gg * 1e-6 * self.density_kg_per_l


DIESEL = Fuel("gas/diesel oil", 74_100.0, 43.0, 0.84, 3.206)
KEROSENE = Fuel("other kerosene", 71_900.0, 43.8, 0.80, None)
FUELS = {Method.DIESEL: DIESEL, Method.KEROSENE: KEROSENE}

#: Illustrative specific fuel consumption of a small generator at part load. NOT from a methodology:
#: small diesel sets burn roughly 0.3-0.5 L/kWh and more at low load. Set the figure of the generator
#: your solar panel actually displaces.
DEFAULT_SFC_L_PER_KWH = {Method.DIESEL: 0.40, Method.KEROSENE: 0.45}


def fuel_baseline(method: str, sfc_l_per_kwh: float | None = None, basis: str = "ipcc") -> FactorProvenance:
    """gCO2/kWh of electricity from a generator burning `method`'s fuel at `sfc_l_per_kwh`."""
    if method not in FUELS:
        raise CarbonError(f"{method!r} is not an off-grid baseline; use one of {', '.join(FUELS)}")
    fuel = FUELS[method]
    user_sfc = sfc_l_per_kwh is not None
    sfc = float(sfc_l_per_kwh) if sfc_l_per_kwh is not None else DEFAULT_SFC_L_PER_KWH[method]
    if not 0.05 <= sfc <= 5.0:
        raise CarbonError(f"specific fuel consumption {sfc} L/kWh is outside 0.05..5 L/kWh: check the unit")
    per_litre = fuel.kg_co2_per_litre(basis)
    source = ("IMO carbon factor (MEPC guidelines) x density" if basis == "imo"
              else "IPCC 2006 Vol. 2 Ch. 1 Tables 1.2/1.4 defaults x density")
    sfc_note = "user-set" if user_sfc else "illustrative default, set your generator's figure"
    return FactorProvenance(
        per_litre * sfc * 1000.0, "gCO2/kWh", method, Level.METHOD, f"{fuel.name} generator baseline ({source})",
        "csm fuel facts v1", 0, "off-grid", "facts (IPCC 2006 / IMO); no dataset licence",
        flagged=not user_sfc,
        note=f"{per_litre:.3f} kg CO2/L ({fuel.density_kg_per_l} kg/L assumed) x {sfc} L/kWh ({sfc_note}); "
             "combustion CO2 only")


def combined_margin(om_g_per_kwh: float, bm_g_per_kwh: float, region: str,
                    weights: tuple[float, float] = CM_WEIGHTS_SOLAR, year: int = 0,
                    source: str = "user-supplied") -> FactorProvenance:
    """CDM-style combined margin w_OM x OM + w_BM x BM from margins the user supplies (in g/kWh)."""
    w_om, w_bm = weights
    if min(om_g_per_kwh, bm_g_per_kwh) < 0 or abs(w_om + w_bm - 1.0) > 1e-9 or min(weights) < 0:
        raise CarbonError("combined margin needs non-negative OM and BM and weights that sum to 1")
    return FactorProvenance(
        w_om * om_g_per_kwh + w_bm * bm_g_per_kwh, "gCO2/kWh", Method.CM, Level.METHOD,
        f"combined margin from {source} operating/build margins", "CDM TOOL07 weighting", year, region,
        "as supplied by the user",
        note=f"{w_om} x OM {om_g_per_kwh:g} + {w_bm} x BM {bm_g_per_kwh:g} g/kWh")
