"""`csm monitor` shows volts and watts through the device's calibration, as the recording stores them."""

from __future__ import annotations

import json

import pytest
from tests.app.session_helpers import noon_simulator, write_record

from carbon_smart_meter.cli import main


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_monitor_shows_a_calibrated_device_in_calibrated_volts(no_records, tmp_path, capsys):
    sim = noon_simulator(seed=14).start()
    write_record(tmp_path / "cal", sim.address, voltage_gain=2.0)
    try:
        assert main(["monitor", sim.port, "--json", "--duration", "2.5", "--calibrations",
                     str(tmp_path / "cal")]) == 0
        calibrated = [json.loads(line) for line in capsys.readouterr().out.splitlines()][-1]
        assert main(["monitor", sim.port, "--json", "--duration", "2.5", "--calibrations",
                     str(no_records)]) == 0
        factory = [json.loads(line) for line in capsys.readouterr().out.splitlines()][-1]
    finally:
        sim.close()
    assert calibrated["calibration"] == "calibrated" and factory["calibration"] == "uncalibrated"
    assert 3 < factory["volts"] < 6  # a phone charger's 5 V on the factory scale
    assert calibrated["volts"] == pytest.approx(2 * factory["volts"], rel=0.02)
