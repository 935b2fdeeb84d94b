"""Override order: device, user setting, imported dataset, shipped snapshot, world average (flagged)."""

from __future__ import annotations

import pytest

from carbon_smart_meter.carbon.imported import load_dataset
from carbon_smart_meter.carbon.provenance import Level, Method
from carbon_smart_meter.carbon.region import from_location
from carbon_smart_meter.carbon.resolve import CarbonSettings, UserFactor, avoided, resolve_factor
from carbon_smart_meter.errors import CarbonError

DEVICE = "4da7fe48440cc3d1dfb33373499147ac754d7017"


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("region,factor,unit\nNZ,90,g/kWh\n", encoding="utf-8")
    return load_dataset(path)


def test_each_level_overrides_the_ones_below_it(dataset):
    full = CarbonSettings(region="NZ", user_factor=UserFactor(0.2, "kg/kWh"),
                          device_factors={DEVICE: UserFactor(50, "g/kWh")}, dataset=dataset)
    assert resolve_factor(full, DEVICE).level == Level.DEVICE
    assert resolve_factor(full, "other").level == Level.USER
    no_user = CarbonSettings(region="NZ", dataset=dataset)
    assert resolve_factor(no_user).level == Level.IMPORTED and resolve_factor(no_user).factor == 90
    assert resolve_factor(CarbonSettings(region="NZ")).level == Level.SNAPSHOT
    world = resolve_factor(CarbonSettings())
    assert world.level == Level.WORLD and world.flagged


def test_a_country_missing_from_the_import_falls_through_to_the_snapshot(dataset):
    factor = resolve_factor(CarbonSettings(region="KE", dataset=dataset))
    assert factor.level == Level.SNAPSHOT and factor.factor == pytest.approx(70.492)


def test_a_place_on_land_resolves_to_its_country():
    region = from_location(-41.29, 174.78)  # Wellington
    assert region.code == "NZ" and not region.off_grid
    assert resolve_factor(CarbonSettings(latitude=-41.29, longitude=174.78)).region == "NZ"


def test_mid_ocean_defaults_to_the_off_grid_diesel_baseline():
    settings = CarbonSettings(latitude=-30.0, longitude=-140.0)  # South Pacific
    factor = resolve_factor(settings)
    assert factor.method == Method.DIESEL and factor.region == "off-grid"


def test_ships_can_use_the_imo_basis():
    factor = resolve_factor(CarbonSettings(method="diesel", sfc_l_per_kwh=0.25, fuel_basis="imo"))
    assert factor.factor == pytest.approx(3.206 * 0.84 * 0.25 * 1000)


def test_combined_margin_needs_both_margins():
    with pytest.raises(CarbonError, match="operating margin"):
        resolve_factor(CarbonSettings(region="KE", method="cm"))
    settings = CarbonSettings(region="KE", method="cm", operating_margin=UserFactor(0.6, "tCO2/MWh"),
                              build_margin=UserFactor(200, "g/kWh"))
    assert resolve_factor(settings).factor == pytest.approx(0.75 * 600 + 0.25 * 200)


def test_an_unknown_region_code_is_refused_clearly():
    with pytest.raises(CarbonError, match="ISO 3166-1"):
        resolve_factor(CarbonSettings(region="Narnia"))


def test_avoided_emissions_carry_kwh_times_factor_and_provenance():
    result = avoided(2.0, CarbonSettings(region="IN"))
    assert result.co2_kg == pytest.approx(2.0 * 0.713441)
    assert result.to_json()["provenance"]["region"] == "IN"
