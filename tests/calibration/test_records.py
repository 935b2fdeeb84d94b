"""Calibration records: good ones load with SI factors, each kind of bad one is refused by name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from carbon_smart_meter.calibration import CalibrationFieldError, CalibrationStore, Conversion, load_record
from carbon_smart_meter.calibration.units import registry

EXAMPLE = Path(__file__).parents[2] / "calibration" / "examples" / "ina228-2mohm.toml"
DEVICE = "0x00112233445566778899aabbccddeeff00112233"
TODAY = dt.date(2026, 11, 29)


def write(tmp_path: Path, text: str, name: str = "rec.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def edit(pattern: str, replacement: str) -> str:
    text, n = re.subn(pattern, replacement, EXAMPLE.read_text(), count=1, flags=re.M)
    assert n == 1, pattern
    return text


def test_the_example_record_loads_with_every_quantity_in_si() -> None:
    r = load_record(EXAMPLE, device=DEVICE, today=TODAY)
    assert r.shunt == pytest.approx(0.002)
    assert r.shunt_lsb == pytest.approx(312.5e-9)
    assert r.voltage_lsb == pytest.approx(195.3125e-6)
    assert r.offset_v == pytest.approx(-1.2e-3)
    assert r.offset_i == pytest.approx(0.35e-3)
    assert r.tempco_i == pytest.approx(50e-6)
    assert r.t_ref_k == pytest.approx(298.15)
    assert r.volts_per_code == pytest.approx(1.0012 * 195.3125e-6)
    assert r.amperes_per_code == pytest.approx(0.9987 * 312.5e-9 / 0.002)
    assert len(r.sha256) == 64


def test_raw_codes_convert_to_the_hand_computed_si_values() -> None:
    conv = Conversion.from_record(load_record(EXAMPLE, today=TODAY))
    v, i, p = conv.convert(np.array([61440, 0, -512], np.int32), np.array([3200, 0, -64], np.int32))
    # 61440 codes x 195.3125 uV = 12.000 V; x gain 1.0012 = 12.0144 V; - 1.2 mV = 12.0132 V
    assert v == pytest.approx([12.0132, -0.0012, 1.0012 * -0.1 - 0.0012], abs=2e-6)
    # 3200 codes x 312.5 nV / 2 mohm = 0.5 A; x 0.9987 = 0.49935 A; + 0.35 mA = 0.4997 A
    assert i == pytest.approx([0.4997, 0.00035, 0.9987 * -0.01 + 0.00035], abs=2e-7)
    assert p == pytest.approx(v * i, rel=1e-6)
    assert v.dtype == np.float32


def test_a_device_without_a_record_runs_on_factory_scales_flagged_uncalibrated(tmp_path: Path) -> None:
    conv = CalibrationStore(tmp_path, today=TODAY).conversion_for(DEVICE, 2e-4, 1e-4)
    assert conv.status == "uncalibrated"
    v, i, _ = conv.convert(np.array([5000], np.int32), np.array([300], np.int32))
    assert (v[0], i[0]) == (pytest.approx(1.0), pytest.approx(0.03))


def test_the_temperature_coefficient_corrects_the_current_scale_only_when_asked() -> None:
    conv = Conversion.from_record(load_record(EXAMPLE, today=TODAY))
    assert conv.at_temperature(298.15).i_scale == pytest.approx(conv.i_scale)
    assert conv.at_temperature(308.15).i_scale == pytest.approx(conv.i_scale * (1 + 50e-6 * 10))


BAD = [
    (
        "current offset in volts",
        r'^offset = "0.35 mA"',
        'offset = "0.35 V"',
        "current.offset",
        "a voltage",
        "a current",
    ),
    ("missing unit", r'^shunt = "2.000 mohm"', 'shunt = "2.000"', "sensor.shunt", "no unit", "resistance"),
    ("number without unit", r'^shunt = "2.000 mohm"', "shunt = 2.0", "sensor.shunt", "without a unit", "resistance"),
    ("unknown unit", r'^offset = "-1.2 mV"', 'offset = "-1.2 mVolt"', "voltage.offset", "unknown unit", "voltage"),
    ("expired", r"^expires = 2036-11-02", "expires = 2026-11-20", "expires", "expired", "on or after today"),
    (
        "expiry before date",
        r"^expires = 2036-11-02",
        "expires = 2026-01-01",
        "expires",
        "2026-01-01",
        "after the calibration date",
    ),
    ("other device", r'^address = "0x0011', 'address = "0xff11', "device.address", "0xff11", "another device"),
    ("missing field", r"^operator = .*$", "", "operator", "missing", "text"),
    ("missing offset", r'^offset = "-1.2 mV".*$', "", "voltage.offset", "missing", "voltage"),
    (
        "wrong tempco dimension",
        r"^temperature_coefficient = .*$",
        'temperature_coefficient = "50 ppm"',
        "current.temperature_coefficient",
        "dimensionless",
        "per temperature",
    ),
    ("negative gain", r'^gain = "1.0012"', 'gain = "-1.0012"', "voltage.gain", "-1.0012", "positive"),
    ("nan", r'^gain = "1.0012"', 'gain = "nan"', "voltage.gain", "nan", "dimensionless number"),
    ("bad address", r"^address = .*$", 'address = "device-7"', "device.address", "device-7", "40 hex"),
    (
        "uncertainty without unit",
        r'^uncertainty = "0.05 %"',
        "uncertainty = 0.05",
        "voltage.uncertainty",
        "0.05",
        "unit",
    ),
    ("bad toml", r"^\[sensor\]", "[sensor", "(file)", "invalid TOML", "TOML"),
]


@pytest.mark.parametrize(("case", "pattern", "replacement", "field", "found", "expected"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_record_is_refused_naming_file_field_found_and_expected(
    tmp_path: Path, case: str, pattern: str, replacement: str, field: str, found: str, expected: str
) -> None:
    path = write(tmp_path, edit(pattern, replacement))
    with pytest.raises(CalibrationFieldError) as err:
        load_record(path, device=DEVICE, today=TODAY)
    e = err.value
    assert e.file == str(path) and str(path) in str(e)
    assert e.field == field
    assert found.lower() in e.found.lower(), e.found
    assert expected.lower() in e.expected.lower(), e.expected


def test_a_record_ten_times_off_the_factory_scale_is_refused_as_a_unit_mistake() -> None:
    record = load_record(EXAMPLE, today=TODAY)
    with pytest.raises(CalibrationFieldError, match=r"sensor\.shunt"):
        Conversion.from_record(record, factory_v_lsb=195.3125e-6, factory_i_lsb=1.5625e-5)


def test_the_newest_record_wins_and_a_broken_newest_record_refuses_the_device(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path, today=TODAY)
    folder = tmp_path / DEVICE
    folder.mkdir()
    (folder / "old.toml").write_text(
        edit(r"^date = 2026-11-02", "date = 2025-11-02").replace('gain = "1.0012"', 'gain = "1.5"')
    )
    (folder / "new.toml").write_text(EXAMPLE.read_text())
    assert store.current(DEVICE).gain_v == pytest.approx(1.0012)
    (folder / "newest.toml").write_text(
        edit(r"^date = 2026-11-02", "date = 2026-11-20").replace('offset = "0.35 mA"', 'offset = "0.35 V"')
    )
    with pytest.raises(CalibrationFieldError, match=r"current\.offset"):
        store.conversion_for(DEVICE, 195.3125e-6, 1.5625e-4)


def test_the_unit_registry_is_built_once_and_shared() -> None:
    assert registry() is registry()


# ---- issue 15: offsets out of range, non-UTF-8 records ---------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("voltage", "1e308 V"),
    ("voltage", "200 V"),          # beyond the sensor's 102.4 V range
    ("current", "500 A"),
    ("voltage", "inf V"),
])
def test_an_offset_beyond_the_sensors_range_is_refused(tmp_path: Path, field: str, value: str) -> None:
    text = EXAMPLE.read_text()
    table_start = text.index(f"[{field}]")
    head, tail = text[:table_start], text[table_start:]
    tail, n = re.subn(r'^offset\s*=\s*".*"$', f'offset = "{value}"', tail, count=1, flags=re.M)
    assert n == 1
    with pytest.raises(CalibrationFieldError, match=f"{field}.offset"):
        load_record(write(tmp_path, head + tail), device=DEVICE, today=TODAY)


def test_a_record_that_is_not_utf8_is_refused_rather_than_stored_under_another_hash(tmp_path: Path) -> None:
    p = tmp_path / "latin1.toml"
    p.write_bytes(EXAMPLE.read_text().replace('operator = "', 'operator = "Jos\xe9 ', 1).encode("latin-1"))
    with pytest.raises(CalibrationFieldError, match="not UTF-8"):
        load_record(p, device=DEVICE, today=TODAY)


def test_a_records_stored_hash_is_the_hash_of_the_files_bytes(tmp_path: Path) -> None:
    import hashlib

    p = tmp_path / "utf8.toml"
    p.write_bytes(EXAMPLE.read_text().replace('operator = "', 'operator = "José ', 1).encode("utf-8"))
    assert load_record(p, device=DEVICE, today=TODAY).sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
