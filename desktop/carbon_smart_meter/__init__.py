"""Carbon Smart Meter: log, verify and claim the energy a portable solar panel generates."""

__version__ = "0.1.0"
