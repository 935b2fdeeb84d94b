"""User-imported datasets: units checked with pint, bad rows refused with file, line and field."""

from __future__ import annotations

import pytest

from carbon_smart_meter.carbon.imported import DatasetError, load_dataset


def write(tmp_path, text: str):
    path = tmp_path / "factors.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_units_are_converted_to_grams_per_kwh(tmp_path):
    data = load_dataset(write(tmp_path, "region,factor,unit,year,source\n"
                              "NZ,0.1035,kgCO2e/kWh,2024,MBIE\nDEU,380,t CO2/GWh,2023,\nUS-CA,0.5,lb/kWh,,\n"))
    assert data.factor_for("NZ").factor == pytest.approx(103.5)
    assert data.factor_for("de").factor == pytest.approx(380.0) and data.factor_for("DE").unit == "gCO2/kWh"
    assert data.factor_for("US", "ca").factor == pytest.approx(226.796185)
    assert data.factor_for("US") is None


@pytest.mark.parametrize(("row", "complaint"), [
    ("NZ,100,kWh", "not a mass per energy"),
    ("NZ,100,g/m", "not a mass per energy"),
    ("NZ,100,furlongs/kWh", "not a mass per energy"),
    ("NZ,abc,g/kWh", "'factor'"),
    ("NZ,100,kg/kWh", "outside 0..2000"),
    (",100,g/kWh", "'region' is empty"),
])
def test_a_bad_row_is_refused_naming_the_line_and_field(tmp_path, row: str, complaint: str):
    path = write(tmp_path, f"region,factor,unit\nFR,56,g/kWh\n{row}\n")
    with pytest.raises(DatasetError, match=complaint) as info:
        load_dataset(path)
    assert f"{path}:3" in str(info.value)


def test_a_missing_unit_column_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="missing unit"):
        load_dataset(write(tmp_path, "region,factor\nNZ,100\n"))


def test_a_duplicated_region_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="twice"):
        load_dataset(write(tmp_path, "region,factor,unit\nNZ,100,g/kWh\nNZL,90,g/kWh\n"))
