"""Two-point / least-squares fit of gain and offset against reference readings, and the new record's text.

Each point pairs the mean raw code the device reported with the value typed from a reference meter.
The fit is `reference = gain · (code · lsb) + offset` by ordinary least squares; with two points it is
the exact two-point line. Residuals are returned so the operator sees how straight the line is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import tomli_w

from carbon_smart_meter.calibration.record import SCHEMA_ID
from carbon_smart_meter.errors import CalibrationError


@dataclass(frozen=True)
class ChannelFit:
    gain: float
    offset: float  # SI (V or A)
    residuals: np.ndarray  # reference - fitted, SI
    codes: np.ndarray
    references: np.ndarray

    @property
    def rms(self) -> float:
        return float(np.sqrt(np.mean(self.residuals**2))) if len(self.residuals) else 0.0


def fit_channel(
    codes: list[float] | np.ndarray, references: list[float] | np.ndarray, lsb: float
) -> ChannelFit:
    """Least-squares gain and offset; at least two points with different codes are needed."""
    c = np.asarray(codes, dtype=np.float64)
    r = np.asarray(references, dtype=np.float64)
    if len(c) != len(r) or len(c) < 2:
        raise CalibrationError(
            f"a fit needs at least two points, got {len(c)}: apply a second reference level"
        )
    x = c * lsb
    if np.ptp(x) <= 0:
        raise CalibrationError("all points have the same raw code: change the source level between points")
    # The closed form of a straight-line least-squares fit, centred for accuracy. np.linalg.lstsq would
    # give the same numbers, but LAPACK reports any floating-point "invalid" flag raised during the call
    # as "SVD did not converge", and a busy machine produced that for these well-posed fits.
    dx, dr = x - x.mean(), r - r.mean()
    gain = float(np.dot(dx, dr) / np.dot(dx, dx))
    offset = float(r.mean() - gain * x.mean())
    if not np.isfinite(gain) or gain <= 0:
        raise CalibrationError(
            f"the fitted gain {gain:.6g} is not positive: check the polarity of the readings"
        )
    return ChannelFit(float(gain), float(offset), r - (gain * x + offset), c, r)


def record_text(
    *,
    record_id: str,
    device: str,
    sensor_model: str,
    shunt: str,
    shunt_lsb: str,
    voltage_lsb: str,
    voltage: ChannelFit | None,
    current: ChannelFit | None,
    previous: dict | None,
    instrument: str,
    certificate: str,
    operator: str,
    uncertainty_voltage: str,
    uncertainty_current: str,
    date: dt.date,
    valid_days: int,
    notes: str = "",
) -> str:
    """TOML of a new record; a channel without new points keeps the previous record's gain and offset."""

    def channel(name: str, fit: ChannelFit | None, unit: str, unc: str) -> dict:
        if fit is not None:
            return {
                "gain": f"{fit.gain:.8f}",
                "offset": f"{fit.offset * 1e3:.6f} m{unit}",
                "uncertainty": unc,
                "method": f"least squares over {len(fit.codes)} points",
                "residual_rms": f"{fit.rms * 1e3:.6f} m{unit}",
            }
        prev = (previous or {}).get(name)
        if prev:
            return {**prev, "method": f"kept from the previous record ({(previous or {}).get('id', '?')})"}
        return {
            "gain": "1",
            "offset": f"0 {unit}",
            "uncertainty": unc,
            "method": "not calibrated: factory gain 1 and offset 0",
        }

    doc = {
        "schema": SCHEMA_ID,
        "id": record_id,
        "date": date,
        "expires": date + dt.timedelta(days=valid_days),
        "operator": operator,
        "device": {"address": device.lower(), "sensor_model": sensor_model},
        "sensor": {"shunt": shunt, "shunt_lsb": shunt_lsb, "voltage_lsb": voltage_lsb},
        "voltage": channel("voltage", voltage, "V", uncertainty_voltage),
        "current": channel("current", current, "A", uncertainty_current),
        "reference": {"instrument": instrument, "certificate": certificate},
    }
    points = []
    for name, fit, unit in (("voltage", voltage, "V"), ("current", current, "A")):
        if fit is not None:
            for code, ref, res in zip(fit.codes, fit.references, fit.residuals, strict=True):
                points.append(
                    {
                        "channel": name,
                        "mean_code": float(code),
                        "reference": f"{ref:.9g} {unit}",
                        "residual": f"{res:.6g} {unit}",
                    }
                )
    if points:
        doc["points"] = points
    if notes:
        doc["notes"] = notes
    return tomli_w.dumps(doc)
