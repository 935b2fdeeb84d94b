"""Estimated avoided emissions of a period, after a stated conservativeness deduction.

The factor and its provenance come from carbon/ (the override order of DESIGN.md); the energy is the
period's verified energy less its expanded calibration uncertainty (k = 2), so the figure is one the
measurement supports at about 95 % confidence rather than its central value. A device without a
calibration record states no uncertainty; then a flat deduction is taken instead. The result is always
an estimate: never an offset, a certified credit or a CORSIA unit.
"""

from __future__ import annotations

from carbon_smart_meter.carbon.provenance import ESTIMATE_LABEL
from carbon_smart_meter.carbon.region import Region, from_settings
from carbon_smart_meter.carbon.resolve import CarbonSettings, avoided, resolve_region
from carbon_smart_meter.carbon.snapshot import lookup

UNCALIBRATED_DEDUCTION = 0.10
RULE = ("Conservativeness: the energy used is the verified energy minus its expanded calibration "
        "uncertainty (k = 2, about 95 % coverage); where no calibration record states an uncertainty, "
        f"{UNCALIBRATED_DEDUCTION:.0%} of the verified energy is deducted instead. Unverifiable energy is never "
        "counted and gaps are never filled.")
NOT_A_CREDIT = ("This is an estimate of avoided emissions for information and monitoring. It is not an "
                "offset, a certified emission reduction, a carbon credit or a CORSIA eligible unit, and it "
                "must not be sold or retired as one.")


def region_for(settings: CarbonSettings, file_region: str) -> Region | None:
    region = resolve_region(settings)
    if region is None and file_region and lookup(file_region) is not None:
        region = from_settings(file_region)  # the region recorded in the session file
    return region


def emissions_section(verified_kwh: float, deduction_kwh: float, basis: str, settings: CarbonSettings,
                      device: str, file_region: str) -> dict:
    """`deduction_kwh` follows RULE (document.py works it out per file and day)."""
    deduction_kwh = min(verified_kwh, deduction_kwh)
    conservative_kwh = max(0.0, verified_kwh - deduction_kwh)
    region = region_for(settings, file_region)
    central = avoided(verified_kwh, settings, device, region)
    estimate = avoided(conservative_kwh, settings, device, region)
    p = estimate.provenance
    return {
        "label": ESTIMATE_LABEL,
        "not_a_credit": NOT_A_CREDIT,
        "rule": RULE,
        "verified_kwh": verified_kwh,
        "deduction_kwh": deduction_kwh,
        "deduction_basis": basis,
        "conservative_kwh": conservative_kwh,
        "co2_kg": estimate.co2_kg,
        "co2_kg_before_deduction": central.co2_kg,
        "unit": estimate.unit,
        "region": None if region is None else {"code": region.code, "detail": region.detail, "source": region.source},
        "factor": p.to_attrs(),
    }
