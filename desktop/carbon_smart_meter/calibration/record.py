"""Calibration records: one TOML file per device and calibration, loaded strictly, folded into SI factors.

The measurement model (documented in calibration/README.md and docs/session-format.md):

    V = gain_v · (code_v · voltage_lsb) + offset_v
    I = gain_i · (code_i · shunt_lsb / shunt) · (1 + α · (T − T_ref)) + offset_i
    P = V · I

`voltage_lsb` is volts per bus-voltage code and `shunt_lsb` volts across the shunt per current code
(sensor datasheet values), `shunt` the measured shunt resistance, gains and offsets come from the
two-point or least-squares fit. At load time everything folds into four SI numbers (volts per code,
volt offset, amperes per code, ampere offset) so the hot path is two multiply-adds on whole arrays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carbon_smart_meter.calibration.units import CalibrationFieldError, parse_quantity, to_si

SCHEMA_ID = "csm-calibration/1"
FULL_SCALE_CODES = 2**19  # the INA228's 20-bit signed codes: the sensor's range in codes
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")

# (table, key, dimension, required) of every quantity in a record; the JSON schema mirrors this list.
QUANTITY_FIELDS: list[tuple[str, str, str, bool]] = [
    ("sensor", "shunt", "resistance", True),
    ("sensor", "shunt_lsb", "voltage", True),
    ("sensor", "voltage_lsb", "voltage", True),
    ("voltage", "gain", "dimensionless", True),
    ("voltage", "offset", "voltage", True),
    ("current", "gain", "dimensionless", True),
    ("current", "offset", "current", True),
    ("current", "temperature_coefficient", "per_temperature", False),
    ("current", "reference_temperature", "temperature", False),
]
TEXT_FIELDS: list[tuple[str, str, bool]] = [
    ("", "schema", True),
    ("", "id", True),
    ("", "operator", True),
    ("device", "address", True),
    ("device", "sensor_model", True),
    ("reference", "instrument", True),
    ("reference", "certificate", True),
]
DATE_FIELDS = [("", "date"), ("", "expires")]
UNCERTAINTY_FIELDS = [("voltage", "uncertainty", "voltage"), ("current", "uncertainty", "current")]


@dataclass(frozen=True)
class CalibrationRecord:
    """A loaded, checked record: the raw TOML text (embedded in every session file) plus SI values."""

    path: str
    text: str
    sha256: str
    id: str
    device: str
    sensor_model: str
    date: dt.date
    expires: dt.date
    operator: str
    instrument: str
    certificate: str
    voltage_lsb: float  # V per voltage code (sensor)
    shunt_lsb: float  # V across the shunt per current code (sensor)
    shunt: float  # ohm
    gain_v: float
    offset_v: float  # V
    gain_i: float
    offset_i: float  # A
    tempco_i: float | None = None  # 1/K
    t_ref_k: float | None = None  # K
    uncertainty: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def volts_per_code(self) -> float:
        return self.gain_v * self.voltage_lsb

    @property
    def amperes_per_code(self) -> float:
        return self.gain_i * self.shunt_lsb / self.shunt


def load_record(
    path: Path | str, *, device: str | None = None, today: dt.date | None = None
) -> CalibrationRecord:
    """Load and check one record; CalibrationFieldError names file, field, found and expected."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CalibrationFieldError(
            path, "(file)", f"an unreadable file ({exc.strerror})", "a readable TOML calibration record"
        ) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # TOML is UTF-8; decoding with replacement would store (and hash) other text than the file holds.
        raise CalibrationFieldError(
            path, "(file)", f"bytes that are not UTF-8 (at byte {exc.start})", "a UTF-8 TOML calibration record"
        ) from exc
    return parse_record(text, path, device=device, today=today)


def parse_record(
    text: str, path: Path | str, *, device: str | None = None, today: dt.date | None = None
) -> CalibrationRecord:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationFieldError(
            path, "(file)", f"invalid TOML ({exc})", "a TOML calibration record"
        ) from exc
    texts = {f"{t}.{k}".lstrip("."): _text(data, t, k, path, req) for t, k, req in TEXT_FIELDS}
    if texts["schema"] != SCHEMA_ID:
        raise CalibrationFieldError(path, "schema", repr(texts["schema"]), repr(SCHEMA_ID))
    if len(texts["id"]) > 16 or not texts["id"].isascii():
        raise CalibrationFieldError(
            path, "id", repr(texts["id"]), "at most 16 ASCII characters (HELLO calibration_id)"
        )
    address = texts["device.address"]
    if not _ADDRESS.match(address):
        raise CalibrationFieldError(path, "device.address", repr(address), "0x followed by 40 hex digits")
    address = address.lower()
    if device is not None and address != device.lower():
        raise CalibrationFieldError(
            path,
            "device.address",
            address,
            f"the connected device {device.lower()} (this record belongs to another device)",
        )
    q = {f"{t}.{k}": _quantity(data, t, k, dim, path, req) for t, k, dim, req in QUANTITY_FIELDS}
    si = {
        name: (to_si(val, dim) if val is not None else None)
        for (name, val), (_t, _k, dim, _r) in zip(q.items(), QUANTITY_FIELDS, strict=True)
    }
    given = {name: val for name, val in si.items() if val is not None}  # every required field (_quantity saw to it)
    for name, value in si.items():
        if value is not None and not math.isfinite(value):
            raise CalibrationFieldError(path, name, str(q[name]), "a finite value")
    for name in ("sensor.shunt", "sensor.shunt_lsb", "sensor.voltage_lsb", "voltage.gain", "current.gain"):
        if given[name] <= 0:
            raise CalibrationFieldError(path, name, str(q[name]), "a positive value")
    # An offset larger than the sensor's whole range is a unit slip (V for mV), never a fit result, and
    # one like 1e308 V would turn every sample into inf in a file still marked calibrated.
    full_scale = {
        "voltage.offset": given["voltage.gain"] * given["sensor.voltage_lsb"] * FULL_SCALE_CODES,
        "current.offset": given["current.gain"] * given["sensor.shunt_lsb"] / given["sensor.shunt"] * FULL_SCALE_CODES,
    }
    for name, limit in full_scale.items():
        if abs(given[name]) > limit:
            unit = "V" if name.startswith("voltage") else "A"
            raise CalibrationFieldError(path, name, str(q[name]),
                                        f"an offset within the sensor's range (|offset| <= {limit:.6g} {unit})")
    if (si["current.temperature_coefficient"] is None) != (si["current.reference_temperature"] is None):
        raise CalibrationFieldError(
            path,
            "current.reference_temperature",
            "only one of temperature_coefficient and reference_temperature",
            "both or neither",
        )
    uncertainty = {}
    for t, k, dim in UNCERTAINTY_FIELDS:
        val = _get(data, t, k)
        if val is None:
            raise CalibrationFieldError(
                path, f"{t}.{k}", "nothing", f'a stated uncertainty such as "0.05 %" or an absolute {dim}'
            )
        try:
            parse_quantity(val, "dimensionless", file=path, field=f"{t}.{k}")
        except CalibrationFieldError:
            parse_quantity(val, dim, file=path, field=f"{t}.{k}")
        if isinstance(val, (int, float)):
            raise CalibrationFieldError(
                path, f"{t}.{k}", repr(val), 'an uncertainty with its unit ("0.05 %")'
            )
        uncertainty[t] = str(val)
    date, expires = (_date(data, k, path) for _t, k in DATE_FIELDS)
    if expires <= date:
        raise CalibrationFieldError(
            path, "expires", str(expires), f"a date after the calibration date {date}"
        )
    today = today or dt.datetime.now(dt.UTC).date()
    if expires < today:
        raise CalibrationFieldError(
            path,
            "expires",
            f"{expires} (expired)",
            f"a date on or after today ({today}); recalibrate the device",
        )
    return CalibrationRecord(
        path=str(path),
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        id=texts["id"],
        device=address,
        sensor_model=texts["device.sensor_model"],
        date=date,
        expires=expires,
        operator=texts["operator"],
        instrument=texts["reference.instrument"],
        certificate=texts["reference.certificate"],
        voltage_lsb=given["sensor.voltage_lsb"],
        shunt_lsb=given["sensor.shunt_lsb"],
        shunt=given["sensor.shunt"],
        gain_v=given["voltage.gain"],
        offset_v=given["voltage.offset"],
        gain_i=given["current.gain"],
        offset_i=given["current.offset"],
        tempco_i=si["current.temperature_coefficient"],
        t_ref_k=si["current.reference_temperature"],
        uncertainty=uncertainty,
        data=data,
    )


def _get(data: dict, table: str, key: str) -> Any:
    node = data.get(table, {}) if table else data
    return node.get(key) if isinstance(node, dict) else None


def _text(data: dict, table: str, key: str, path: Path | str, required: bool) -> str:
    val = _get(data, table, key)
    name = f"{table}.{key}".lstrip(".")
    if val is None and required:
        raise CalibrationFieldError(path, name, "nothing (missing)", "a text value")
    if not isinstance(val, str) or not val.strip():
        raise CalibrationFieldError(path, name, repr(val), "a non-empty text value")
    return val.strip()


def _quantity(data: dict, table: str, key: str, dim: str, path: Path | str, required: bool) -> Any:
    val = _get(data, table, key)
    if val is None:
        if required:
            raise CalibrationFieldError(
                path, f"{table}.{key}", "nothing (missing)", f"a {dim.replace('_', ' ')} with its unit"
            )
        return None
    return parse_quantity(val, dim, file=path, field=f"{table}.{key}")


def _date(data: dict, key: str, path: Path | str) -> dt.date:
    val = data.get(key)
    if isinstance(val, dt.datetime):
        return val.date()
    if isinstance(val, dt.date):
        return val
    raise CalibrationFieldError(path, key, repr(val), "a TOML date such as 2026-11-02")
