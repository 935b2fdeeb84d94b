"""Raw codes -> SI on whole blocks with four folded factors; factory scales when there is no record.

This is the one raw-code -> SI converter of the application. A `Conversion` is what the storage
writer, the live plots and the energy ledger share (`convert` for arrays, `to_si` for a SampleBlock),
so the same numbers appear everywhere, and its `status` ("calibrated" / "uncalibrated") travels with
the data. `calibration.sources.SourceConversions` resolves one per connected device.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carbon_smart_meter.calibration.record import CalibrationRecord
from carbon_smart_meter.calibration.units import CalibrationFieldError
from carbon_smart_meter.protocol.messages import SampleBlock

CALIBRATED, UNCALIBRATED = "calibrated", "uncalibrated"
# A record whose scale is this far from the device's factory scale is a typo (ohm for mohm), not a fit.
PLAUSIBLE_RATIO = (0.5, 2.0)


@dataclass(frozen=True)
class Conversion:
    """V = v_scale·code_v + v_offset, I = i_scale·code_i + i_offset (SI); P = V·I."""

    v_scale: float  # V per code
    v_offset: float  # V
    i_scale: float  # A per code
    i_offset: float  # A
    status: str
    record: CalibrationRecord | None = None

    @classmethod
    def factory(cls, v_lsb: float, i_lsb: float) -> Conversion:
        return cls(float(v_lsb), 0.0, float(i_lsb), 0.0, UNCALIBRATED)

    @classmethod
    def from_record(
        cls,
        record: CalibrationRecord,
        *,
        factory_v_lsb: float | None = None,
        factory_i_lsb: float | None = None,
    ) -> Conversion:
        """Fold a record; refuse it when its scales are implausible for the device's factory scales."""
        conv = cls(
            record.volts_per_code,
            record.offset_v,
            record.amperes_per_code,
            record.offset_i,
            CALIBRATED,
            record,
        )
        for name, mine, factory in (
            ("sensor.voltage_lsb", conv.v_scale, factory_v_lsb),
            ("sensor.shunt", conv.i_scale, factory_i_lsb),
        ):
            if factory and not PLAUSIBLE_RATIO[0] <= mine / factory <= PLAUSIBLE_RATIO[1]:
                raise CalibrationFieldError(
                    record.path,
                    name,
                    f"a scale of {mine:.6g} per code",
                    f"within {PLAUSIBLE_RATIO} x the device's factory scale "
                    f"{factory:.6g} per code (check the unit)",
                )
        return conv

    def at_temperature(self, kelvin: float) -> Conversion:
        """Current scale corrected for shunt temperature (protocol v1 carries no temperature: opt-in)."""
        rec = self.record
        if rec is None or rec.tempco_i is None or rec.t_ref_k is None:
            return self
        k = 1.0 + rec.tempco_i * (kelvin - rec.t_ref_k)
        return Conversion(self.v_scale, self.v_offset, self.i_scale * k, self.i_offset, self.status, rec)

    def convert(
        self,
        v_codes: np.ndarray,
        i_codes: np.ndarray,
        out: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """float32 volts, amperes, watts for int32 code arrays (float32 keeps 20-bit codes exact)."""
        n = len(v_codes)
        if out is None:
            out = (np.empty(n, np.float32), np.empty(n, np.float32), np.empty(n, np.float32))
        v, i, p = out
        np.multiply(v_codes, np.float32(self.v_scale), out=v, casting="unsafe")
        v += np.float32(self.v_offset)
        np.multiply(i_codes, np.float32(self.i_scale), out=i, casting="unsafe")
        i += np.float32(self.i_offset)
        np.multiply(v, i, out=p)
        return v, i, p

    def to_si(self, block: SampleBlock) -> tuple[np.ndarray, np.ndarray]:
        """Volts and amperes of one block (the energy ledger's converter, energy.integrate.ToSI)."""
        v, i, _p = self.convert(block.voltage_codes, block.current_codes)
        return v, i

    def describe(self) -> str:
        if self.record is None:
            return f"uncalibrated (factory scales {self.v_scale:.6g} V/code, {self.i_scale:.6g} A/code)"
        r = self.record
        return f"calibrated: record {r.id} of {r.date} (expires {r.expires}), sha256 {r.sha256[:12]}"
