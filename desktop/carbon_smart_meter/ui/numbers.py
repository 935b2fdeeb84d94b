"""Numbers as the user's language writes them: "621.228" and "0,014091 kWh" in German, "621,228" and
"0.014091 kWh" in English (issue 18). Every figure the window shows goes through here.

`i18n.install` makes the interface language Qt's default locale; these helpers read that default, so
a test can switch it with `QtCore.QLocale.setDefault`. The core (`csm`, files, log messages from the
core) keeps Python's English formatting.
"""

from __future__ import annotations

from PySide6 import QtCore

from carbon_smart_meter.settings import Settings


def integer(n: int) -> str:
    """A whole number with the locale's group separator."""
    return QtCore.QLocale().toString(float(n), "f", 0)


def decimal(x: float, places: int) -> str:
    """A number with `places` decimals, the locale's decimal point and group separator."""
    return QtCore.QLocale().toString(float(x), "f", places)


def percent(fraction: float, places: int = 1) -> str:
    return f"{decimal(fraction * 100, places)} %"


def energy(settings: Settings, wh: float) -> str:
    """Energy in the unit chosen in the settings (kWh or Wh), as `Settings.format_energy` but localised."""
    return f"{decimal(wh / 1e3, 6)} kWh" if settings.energy_unit == "kWh" else f"{decimal(wh, 4)} Wh"


def power(settings: Settings, watts: float, places: int | None = None) -> str:
    """Power in the unit chosen in the settings (W or mW), localised."""
    if settings.power_unit == "mW":
        return f"{decimal(watts * 1e3, 1 if places is None else places)} mW"
    return f"{decimal(watts, 3 if places is None else places)} W"
