"""Unit-checked calibration: one pint registry, strict TOML records, raw codes -> SI on whole blocks."""

from carbon_smart_meter.calibration.conversion import CALIBRATED, UNCALIBRATED, Conversion
from carbon_smart_meter.calibration.record import CalibrationRecord, load_record, parse_record
from carbon_smart_meter.calibration.sources import ResolvedConversion, SourceConversions
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.calibration.units import CalibrationFieldError, registry

__all__ = [
    "CALIBRATED",
    "UNCALIBRATED",
    "CalibrationFieldError",
    "CalibrationRecord",
    "CalibrationStore",
    "Conversion",
    "ResolvedConversion",
    "SourceConversions",
    "load_record",
    "parse_record",
    "registry",
]
