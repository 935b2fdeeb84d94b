"""Guided calibration: a least-squares fit from reference readings becomes a new record, history kept."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from carbon_smart_meter.calibration import CalibrationStore, Conversion, load_record
from carbon_smart_meter.calibration.fit import fit_channel
from carbon_smart_meter.calibration.session import CalibrationPlan, Measurement, parse_readings, run
from carbon_smart_meter.commands import calibrate as cal_commands
from carbon_smart_meter.errors import CalibrationError

DEVICE = "0x00112233445566778899aabbccddeeff00112233"
V_LSB, SHUNT_LSB, SHUNT = 195.3125e-6, 312.5e-9, 0.002
TODAY = dt.date(2026, 11, 29)
# The "true" device: V = 1.002 * code*lsb - 3 mV, I = 0.995 * code*lsb/shunt + 2 mA.
TRUE_GV, TRUE_OV, TRUE_GI, TRUE_OI = 1.002, -3e-3, 0.995, 2e-3


def levels_to_measurements(volts: list[float], amps: list[float]) -> list[Measurement]:
    """Mean codes a device with the true gains above reports at the given true levels."""
    return [
        Measurement((v - TRUE_OV) / TRUE_GV / V_LSB, (a - TRUE_OI) / TRUE_GI / (SHUNT_LSB / SHUNT), 1000)
        for v, a in zip(volts, amps, strict=True)
    ]


def plan(references: list[str]) -> CalibrationPlan:
    return CalibrationPlan(
        device=DEVICE,
        factory_v_lsb=V_LSB,
        factory_i_lsb=SHUNT_LSB / SHUNT,
        operator="T. Ester",
        instrument="Keysight 34465A",
        certificate="LAB-1",
        shunt="2.000 mohm",
        shunt_lsb="312.5 nV",
        voltage_lsb="195.3125 uV",
        uncertainty_voltage="0.05 %",
        uncertainty_current="0.1 %",
        references=references,
        today=TODAY,
    )


def test_two_points_recover_the_true_gain_and_offset_exactly() -> None:
    codes = [10000.0, 60000.0]
    refs = [TRUE_GV * c * V_LSB + TRUE_OV for c in codes]
    fit = fit_channel(codes, refs, V_LSB)
    assert fit.gain == pytest.approx(TRUE_GV, rel=1e-12)
    assert fit.offset == pytest.approx(TRUE_OV, abs=1e-12)
    assert np.abs(fit.residuals).max() < 1e-12


def test_least_squares_over_noisy_points_reports_the_residuals() -> None:
    codes = np.linspace(5000, 80000, 7)
    noise = np.array([1, -2, 1.5, 0, -1, 2, -1.5]) * 1e-4
    refs = TRUE_GV * codes * V_LSB + TRUE_OV + noise
    fit = fit_channel(codes, refs, V_LSB)
    assert fit.gain == pytest.approx(TRUE_GV, rel=1e-4)
    assert fit.rms > 0
    assert np.allclose(fit.residuals, refs - (fit.gain * codes * V_LSB + fit.offset))


def test_readings_are_unit_checked_and_refused_without_a_unit() -> None:
    assert parse_readings("12.003 V, 2501 mA", "x") == {
        "voltage": pytest.approx(12.003),
        "current": pytest.approx(2.501),
    }
    with pytest.raises(CalibrationError, match="neither a voltage nor a current"):
        parse_readings("12.003", "x")
    with pytest.raises(CalibrationError, match="neither a voltage nor a current"):
        parse_readings("3 ohm", "x")


def test_a_calibration_writes_a_new_record_that_converts_codes_to_the_reference_values(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path, today=TODAY)
    volts, amps = [5.0, 12.0, 20.0], [0.5, 2.0, 4.0]
    meas = iter(levels_to_measurements(volts, amps))
    said: list[str] = []
    result = run(
        plan([f"{v} V, {a} A" for v, a in zip(volts, amps, strict=True)]),
        store,
        lambda: next(meas),
        ask=lambda _p: "",
        say=said.append,
    )
    rec = load_record(result.path, device=DEVICE, today=TODAY)
    assert rec.gain_v == pytest.approx(TRUE_GV, rel=1e-7)
    assert rec.offset_v == pytest.approx(TRUE_OV, abs=1e-8)
    assert rec.gain_i == pytest.approx(TRUE_GI, rel=1e-7)
    assert rec.offset_i == pytest.approx(TRUE_OI, abs=1e-8)
    conv = Conversion.from_record(rec, factory_v_lsb=V_LSB, factory_i_lsb=SHUNT_LSB / SHUNT)
    m = levels_to_measurements([12.0], [2.0])[0]
    v, i, _ = conv.convert(np.array([round(m.v_code)]), np.array([round(m.i_code)]))
    assert v[0] == pytest.approx(12.0, abs=3e-4) and i[0] == pytest.approx(2.0, abs=2e-4)
    assert any("residual" in line for line in said)
    assert "[[points]]" in rec.text


def test_a_second_calibration_keeps_the_first_in_the_history(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path, today=TODAY)
    for _ in range(2):
        meas = iter(levels_to_measurements([5.0, 20.0], [0.5, 4.0]))
        run(
            plan(["5 V, 0.5 A", "20 V, 4 A"]),
            store,
            lambda meas=meas: next(meas),
            ask=lambda _p: "",
            say=lambda _s: None,
        )
    history = store.history(DEVICE)
    assert len(history) == 2 and history[0] != history[1]
    assert store.current(DEVICE).id.endswith("002")


def test_prompted_points_are_read_until_done(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path, today=TODAY)
    meas = iter(levels_to_measurements([5.0, 20.0], [0.5, 4.0]))
    answers = iter(["", "5.000 V", "", "20.000 V", "done"])
    result = run(plan([]), store, lambda: next(meas), ask=lambda _p: next(answers), say=lambda _s: None)
    assert result.voltage is not None and result.current is None
    assert result.record.gain_i == 1.0  # no previous record: current stays at factory gain, and says so
    assert "not calibrated" in result.record.text


def test_a_single_reference_level_is_refused(tmp_path: Path) -> None:
    meas = iter(levels_to_measurements([5.0], [0.5]))
    with pytest.raises(CalibrationError, match="at least two"):
        run(plan(["5 V"]), CalibrationStore(tmp_path), lambda: next(meas), ask=lambda _p: "", say=lambda _s: None)
    assert not list(tmp_path.rglob("*.toml"))


@pytest.mark.timeout(60)
def test_csm_calibrate_measures_a_live_device_and_refuses_a_one_point_fit(tmp_path: Path, capsys) -> None:
    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    parser = argparse.ArgumentParser()
    cal_commands.register(parser.add_subparsers())
    with SimulatedAdapter(rate=1000) as sim:
        args = parser.parse_args(
            [
                "calibrate",
                sim.port,
                "--reference",
                "5.1 V",
                "--operator",
                "T",
                "--instrument",
                "DMM",
                "--certificate",
                "C-1",
                "--uncertainty-voltage",
                "0.1 %",
                "--uncertainty-current",
                "0.2 %",
                "--average",
                "0.5",
                "--yes",
                "--calibrations",
                str(tmp_path),
            ]
        )
        with pytest.raises(CalibrationError, match="only one voltage reading"):
            args.func(args)
    out = capsys.readouterr().out
    assert "calibrating 0x" in out and "mean codes V" in out
