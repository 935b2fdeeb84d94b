"""The one pint registry of the application and the strict quantity parser of calibration files.

Building a `UnitRegistry` costs about half a second, so it is built once, on first use, behind a lock;
everything that needs units (calibration files, exports, user-facing values) asks `registry()`.
Quantities in files are written as "<number> <unit>"; we split them ourselves instead of letting pint
evaluate expressions, so "2*3 V" or a bare "2.0" are refused rather than guessed.
"""

from __future__ import annotations

import math
import re
import threading
from pathlib import Path
from typing import Any

from carbon_smart_meter.errors import CalibrationError

_lock = threading.Lock()
_registry: Any = None

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")

# Dimension names used in messages and in the JSON schema, mapped to pint dimensionality strings.
DIMENSIONS = {
    "voltage": "[mass] * [length] ** 2 / [time] ** 3 / [current]",
    "current": "[current]",
    "resistance": "[mass] * [length] ** 2 / [time] ** 3 / [current] ** 2",
    "dimensionless": "",
    "per_temperature": "1 / [temperature]",
    "temperature": "[temperature]",
}


def registry() -> Any:
    """The shared UnitRegistry, built on first call (thread-safe)."""
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                import pint

                _registry = pint.UnitRegistry()
    return _registry


def parse_quantity(value: object, dimension: str, *, file: Path | str, field: str) -> Any:
    """Parse one value of a calibration file into a pint Quantity of the given dimension.

    Dimensionless fields also accept TOML numbers; every other field must carry its unit. Errors name
    the file, the field, what was found and what was expected.
    """
    ureg = registry()
    name = "dimensionless number" if dimension == "dimensionless" else dimension.replace("_", " ")
    expected = f'a {name} such as "{_example(dimension)}"'
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _error(file, field, repr(value), expected)
    if isinstance(value, (int, float)):
        if dimension != "dimensionless":
            raise _error(file, field, f"{value!r} (a number without a unit)", expected)
        q = ureg.Quantity(float(value), "")
    else:
        m = _QUANTITY.match(value)
        if not m:
            raise _error(file, field, repr(value), expected)
        number, unit = float(m.group(1)), m.group(2)
        if not unit and dimension != "dimensionless":
            raise _error(file, field, f"{value!r} (no unit)", expected)
        try:
            q = ureg.Quantity(number, unit or "")
        except Exception as exc:  # pint raises UndefinedUnitError, or a parse error for garbage
            raise _error(file, field, f"{value!r} (unknown unit {unit!r})", expected) from exc
    if not math.isfinite(q.magnitude):
        raise _error(file, field, repr(value), f"a finite {expected}")
    if q.dimensionality != ureg.Quantity(1, _unit_of(dimension)).dimensionality:
        raise _error(file, field, f"{value!r} (a {_dimension_name(q)})", expected)
    return q


def to_si(q: Any, dimension: str) -> float:
    """Magnitude in the SI unit of the dimension (V, A, ohm, 1, 1/K, K)."""
    return float(q.to(_unit_of(dimension)).magnitude)


def _unit_of(dimension: str) -> str:
    return {
        "voltage": "V",
        "current": "A",
        "resistance": "ohm",
        "dimensionless": "",
        "per_temperature": "1/K",
        "temperature": "K",
    }[dimension]


def _example(dimension: str) -> str:
    return {
        "voltage": "-1.2 mV",
        "current": "0.35 mA",
        "resistance": "2.000 mohm",
        "dimensionless": "1.0012",
        "per_temperature": "50 ppm/K",
        "temperature": "25 degC",
    }[dimension]


def _dimension_name(q: Any) -> str:
    ureg = registry()
    for name in DIMENSIONS:
        if q.dimensionality == ureg.Quantity(1, _unit_of(name)).dimensionality:
            return name.replace("_", " ")
    return f"quantity of dimension {q.dimensionality}"


class CalibrationFieldError(CalibrationError):
    """One field of one calibration file is wrong; the parts are kept for programs, the text for people."""

    def __init__(self, file: Path | str, field: str, found: str, expected: str) -> None:
        super().__init__(
            f"{file}: field '{field}': found {found}, expected {expected}. "
            "Fix the record or run `csm calibrate` to make a new one."
        )
        self.file, self.field, self.found, self.expected = str(file), field, found, expected


def _error(file: Path | str, field: str, found: str, expected: str) -> CalibrationFieldError:
    return CalibrationFieldError(file, field, found, expected)
