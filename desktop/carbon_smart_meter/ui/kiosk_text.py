"""What the kiosk says, in the guest's language, with numbers written the way that language writes them.

Every sentence goes through `translate("Kiosk", ...)` so `pyside6-lupdate` finds it and a language
switched on screen applies at the next repaint (the kiosk re-reads every text four times a second).
Numbers go through a QLocale of the same language: 1,234.5 in English, 1.234,5 in German, 1 234,5 in
French. Units stay SI symbols (W, Wh, kWh, g, kg, t), which read the same in all four languages.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore

from carbon_smart_meter.rewards.preview import TOKEN_DECIMALS

CONTEXT = "Kiosk"
LOCALES = {"en": "en_GB", "de": "de_DE", "es": "es_ES", "fr": "fr_FR"}
LANGUAGE_BUTTONS = {"en": "EN", "de": "DE", "es": "ES", "fr": "FR"}
SHORT_DATE_PATTERNS = {"en": "d MMM", "de": "d. MMM", "es": "d MMM", "fr": "d MMM"}
DATE_PATTERNS = {"en": "d MMMM yyyy", "de": "d. MMMM yyyy", "es": "d 'de' MMMM 'de' yyyy", "fr": "d MMMM yyyy"}


class Formatter:
    """Locale-aware numbers, energy, CO₂, durations and dates for one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = QtCore.QLocale(LOCALES.get(language, "en_GB"))

    def number(self, value: float, decimals: int = 0) -> str:
        return self.locale.toString(float(value), "f", decimals)

    def integer(self, value: float) -> str:
        return self.locale.toString(round(value))

    def _scaled(self, value: float) -> str:
        """Three significant figures at most, never a trailing ',0'."""
        a = abs(value)
        decimals = 0 if a >= 100 or a == 0 else (1 if a >= 10 else 2)
        text = self.number(value, decimals)
        if decimals:
            zero = self.locale.zeroDigit() if hasattr(self.locale, "zeroDigit") else "0"
            point = self.locale.decimalPoint()
            text = text.rstrip(zero).rstrip(point) if point in text else text
        return text

    def power(self, watts: float) -> str:
        if abs(watts) >= 10_000:
            return f"{self._scaled(watts / 1000)} kW"
        if abs(watts) >= 10:
            return f"{self.integer(watts)} W"
        return f"{self.number(watts, 1)} W"

    def energy(self, wh: float) -> str:
        if abs(wh) >= 1e6:
            return f"{self._scaled(wh / 1e6)} MWh"
        if abs(wh) >= 1000:
            return f"{self._scaled(wh / 1000)} kWh"
        return f"{self.integer(wh) if abs(wh) >= 10 else self.number(wh, 1)} Wh"

    def co2(self, kg: float) -> str:
        if abs(kg) >= 1000:
            return f"{self._scaled(kg / 1000)} t"
        if abs(kg) >= 1:
            return f"{self._scaled(kg)} kg"
        return f"{self.integer(kg * 1000)} g"

    def tokens(self, base_units: int) -> str:
        value = base_units / 10**TOKEN_DECIMALS
        return self.number(value, 2 if value < 100 else 0)

    def ago(self, seconds: float) -> str:
        """A short duration: 45 s, 12 min, 3 h, 2 d."""
        s = max(0.0, seconds)
        if s < 90:
            return f"{int(s)} s"
        if s < 90 * 60:
            return f"{int(s // 60)} min"
        if s < 36 * 3600:
            return f"{int(s // 3600)} h"
        return f"{int(s // 86400)} d"

    def date(self, utc: float) -> str:
        d = dt.datetime.fromtimestamp(utc).date()
        return self.locale.toString(QtCore.QDate(d.year, d.month, d.day),
                                   DATE_PATTERNS.get(self.language, "d MMMM yyyy"))

    def clock(self, utc: float) -> str:
        t = dt.datetime.fromtimestamp(utc)
        return self.locale.toString(QtCore.QTime(t.hour, t.minute), "HH:mm")

    def moment(self, utc: float, now: float) -> str:
        """A time today ("14:05"), else a short date ("3 Mar", "3. März"): what fits one small line."""
        d = dt.datetime.fromtimestamp(utc)
        if d.date() == dt.datetime.fromtimestamp(now).date():
            return self.clock(utc)
        return self.locale.toString(QtCore.QDate(d.year, d.month, d.day), SHORT_DATE_PATTERNS.get(self.language,
                                                                                                  "d MMM"))


def phone_charges(wh: float, wh_per_charge: float) -> float:
    return wh / wh_per_charge if wh_per_charge > 0 else 0.0
