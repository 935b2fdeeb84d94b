"""Combined margin and off-grid fuel baselines from documented facts and user parameters."""

from __future__ import annotations

import pytest

from carbon_smart_meter.carbon.methods import DIESEL, KEROSENE, combined_margin, fuel_baseline
from carbon_smart_meter.errors import CarbonError


def test_diesel_co2_per_litre_follows_the_ipcc_default_factor():
    # 74,100 kg/TJ x 43.0 TJ/Gg x 0.84 kg/L = 2.676 kg/L (docs/reference-data.md: ≈ 2.68)
    assert DIESEL.kg_co2_per_litre() == pytest.approx(2.6765, abs=1e-4)
    assert DIESEL.kg_co2_per_litre("imo") == pytest.approx(3.206 * 0.84)


def test_diesel_baseline_scales_with_the_users_specific_fuel_consumption():
    factor = fuel_baseline("diesel", sfc_l_per_kwh=0.3)
    assert factor.factor == pytest.approx(2.676492 * 0.3 * 1000)
    assert factor.unit == "gCO2/kWh" and not factor.flagged
    assert fuel_baseline("diesel").flagged  # the illustrative default is flagged


def test_kerosene_baseline_uses_the_kerosene_factor():
    factor = fuel_baseline("kerosene", 0.5)
    assert factor.factor == pytest.approx(71_900 * 43.8e-6 * 0.80 * 0.5 * 1000)
    with pytest.raises(CarbonError, match="IMO"):
        KEROSENE.kg_co2_per_litre("imo")


def test_an_implausible_fuel_consumption_is_refused_as_a_unit_mistake():
    with pytest.raises(CarbonError, match="L/kWh"):
        fuel_baseline("diesel", 300)


def test_combined_margin_weights_solar_three_to_one():
    factor = combined_margin(800.0, 400.0, "KE")
    assert factor.factor == pytest.approx(700.0) and factor.method == "cm"


def test_combined_margin_weights_must_sum_to_one():
    with pytest.raises(CarbonError):
        combined_margin(800.0, 400.0, "KE", weights=(0.5, 0.25))
