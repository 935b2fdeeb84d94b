"""HDF5 session files: format (docs/session-format.md), SWMR writer thread, reader, export and repair."""

from carbon_smart_meter.storage.reader import Session, Summary
from carbon_smart_meter.storage.recorder import SessionRecorder

__all__ = ["Session", "SessionRecorder", "Summary"]
