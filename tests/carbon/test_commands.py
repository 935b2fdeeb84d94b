"""`csm offsets`: energy, avoided-CO2 estimate with provenance and a reward preview."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from tests.energy.signing_device_stream import I_LSB, V_LSB, DeviceStream

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.commands import offsets as commands
from carbon_smart_meter.errors import CarbonError
from carbon_smart_meter.storage.session_file import SessionFile


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_SETTINGS", str(tmp_path / "absent.toml"))


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="csm")
    commands.register(parser.add_subparsers())
    args = parser.parse_args(["offsets", *argv])
    return args.func(args)


def test_kwh_in_new_zealand_prints_energy_co2_with_provenance_and_reward(capsys):
    assert run("--kwh", "1.5", "--region", "NZ") == 0
    out = capsys.readouterr().out
    assert "1.500000 kWh" in out and "0.169137 kg CO2e" in out
    assert "112.758 gCO2e/kWh" in out and "Ember" in out and "CC-BY-4.0" in out
    assert "90000000 base units" in out and "illustrative price" in out
    assert "not an offset" in out


def test_json_output_carries_the_provenance_and_the_preview(capsys):
    assert run("--kwh", "0.57", "--region", "DE", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["co2"]["provenance"]["region"] == "DE" and data["co2"]["provenance"]["year"] == 2023
    assert data["reward"]["energy_mwh"] == 570_000  # decimal kWh, not 569999 from binary floats
    assert data["reward"]["region"] == 276 and data["price"]["status"] == "illustrative"


def test_a_location_in_a_territory_the_snapshot_lacks_falls_back_instead_of_crashing(capsys):
    # Pristina: the offline geocoder answers XK (Kosovo), which has no row in the Ember snapshot.
    assert run("--kwh", "0.5", "--lat", "42.6629", "--lon", "21.1655", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["co2"]["provenance"]["flagged"] is True
    assert data["reward"]["region"] == 0  # the table's default price, said so


def test_diesel_method_with_the_users_fuel_consumption(capsys):
    assert run("--kwh", "1", "--method", "diesel", "--sfc", "0.3", "--json") == 0
    co2 = json.loads(capsys.readouterr().out)["co2"]
    assert co2["co2_kg"] == pytest.approx(0.3 * 2.676492) and co2["unit"] == "kg CO2"


def test_an_imported_dataset_with_a_wrong_unit_is_refused_clearly(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("region,factor,unit\nNZ,100,kWh/g\n")
    with pytest.raises(CarbonError, match=r"f\.csv:2: field 'unit'"):
        run("--kwh", "1", "--region", "NZ", "--dataset", str(path))


def test_file_and_kwh_are_exclusive_and_one_is_required():
    with pytest.raises(CarbonError, match="either"):
        run()
    with pytest.raises(CarbonError, match="either"):
        run("x.h5", "--kwh", "1")


def test_an_unknown_time_zone_is_refused_clearly():
    with pytest.raises(CarbonError, match="IANA"):
        run("--kwh", "1", "--tz", "Mars/Base")


def test_an_unknown_file_type_names_the_readers(tmp_path):
    with pytest.raises(CarbonError, match=r"\.h5"):
        run(str(tmp_path / "x.csv"))


def test_a_session_file_is_integrated_and_its_region_used(tmp_path, capsys):
    dev = DeviceStream()
    path = tmp_path / "s.h5"
    f = SessionFile(path, source="t", hello=dev.hello().record, conversion=Conversion.factory(V_LSB, I_LSB),
                    profile="logger", region="KE", compression="none")
    f.add_checkpoint(dev.checkpoint().record, 0, 0)  # the anchor: energy after it is what gets verified
    for k in range(10):
        f.add_block(dev.block(np.full(2000, 12_000), np.full(2000, 20_000)).record, 0, 0)  # 24 W
        if k % 5 == 4:
            f.add_checkpoint(dev.checkpoint().record, 0, 0)
    f.close()
    assert run(str(path), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    expected_kwh = 24.0 * 20_000 * 1e-3 / 3.6e6  # verified: every sample's energy, the device's own rule
    assert data["energy"]["kwh"] == pytest.approx(expected_kwh, rel=1e-6)
    assert data["co2"]["provenance"]["region"] == "KE" and data["energy"]["gaps"] == 0
    assert sum(data["energy"]["per_day_kwh"].values()) == pytest.approx(expected_kwh)
    assert [d["verdict"] for d in data["plausibility"]] == ["ok"]  # 100 W device from its HELLO


def test_verify_rechecks_the_signed_checkpoints_of_a_session(tmp_path, capsys):
    dev = DeviceStream()
    path = tmp_path / "s.h5"
    f = SessionFile(path, source="t", hello=dev.hello().record, conversion=Conversion.factory(V_LSB, I_LSB),
                    profile="logger", region="KE", compression="none")
    for k in range(6):
        f.add_block(dev.block(np.full(2000, 12_000), np.full(2000, 20_000)).record, 0, 0)
        if k % 2:
            f.add_checkpoint(dev.checkpoint().record, 0, 0)
    f.add_checkpoint(dev.checkpoint(energy_mwh=10**9).record, 0, 0)  # signed, but not what was measured
    f.close()
    assert run(str(path), "--verify") == 1  # the file fails verification: scripts see it
    out = capsys.readouterr().out
    assert "Checkpoints     1 failed, 1 unverifiable, 2 verified" in out
    assert "problem" in out and "device counted" in out
