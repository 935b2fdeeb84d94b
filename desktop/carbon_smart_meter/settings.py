"""User settings of the desktop app: one plain dataclass stored as TOML in the platform config directory.

No Qt here, so the CLI, the kiosk and tests read the same file the settings dialog writes. Unknown keys
in the file are kept out (a newer app's file still loads), a wrong value is refused with the key named,
and a file that cannot be parsed never stops the app: `load_settings` reports it and falls back.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from carbon_smart_meter.durable import write_atomically
from carbon_smart_meter.errors import CsmError

APP_NAME = "carbon-smart-meter"
SETTINGS_FILE = "settings.toml"

# The method names of carbon.provenance.Method (kept as plain strings: settings import nothing above them).
CO2_METHODS = ("grid", "cm", "diesel", "kerosene")
POWER_UNITS = ("W", "mW")
ENERGY_UNITS = ("Wh", "kWh")
THEMES = ("light", "dark")
LANGUAGES = ("en", "de", "es", "fr")
PROFILES = ("logger", "kiosk", "ship")
TIME_ZONES = ("local", "UTC")

# Where and how a session was measured (stored in each session file's /metadata group). The limits live
# here, below every layer, so the settings file, `csm log` and the file reader apply the same ones.
# key: (lowest, highest, unit as written in messages)
SITE_LIMITS: dict[str, tuple[float, float, str]] = {
    "latitude": (-90.0, 90.0, "degrees"),
    "longitude": (-180.0, 180.0, "degrees"),
    "panel_tilt_deg": (0.0, 90.0, "degrees"),  # 0 = flat, 90 = vertical
    "panel_azimuth_deg": (0.0, 360.0, "degrees clockwise from north"),
    "panel_rated_w": (0.0, 10_000.0, "W"),  # a 10 kW home retrofit at most, as the adapter's attestation
}
SITE_TEXT_LIMITS = {"site": 200, "operator": 200, "session_description": 2000}  # characters


def site_value_problem(key: str, value: object) -> str | None:
    """Why `value` cannot be the site detail `key` (None when it can): the one check of every entry point."""
    if key in SITE_TEXT_LIMITS:
        if not isinstance(value, str):
            return f"{key} = {value!r}; it must be text"
        if len(value) > SITE_TEXT_LIMITS[key]:
            return f"{key} has {len(value)} characters; use at most {SITE_TEXT_LIMITS[key]}"
        return None
    lo, hi, unit = SITE_LIMITS[key]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{key} = {value!r}; it must be a number"
    if not (math.isfinite(value) and lo <= value <= hi):
        return f"{key} = {value:g}; use {lo:g} to {hi:g} {unit}"
    return None


class SettingsError(CsmError):
    """A settings value is out of range or of the wrong type; the message names the key."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "sessions"


def default_settings_path() -> Path:
    """`CSM_SETTINGS` overrides the location (tests, portable installs); else the platform config dir."""
    env = os.environ.get("CSM_SETTINGS")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP_NAME)) / SETTINGS_FILE


@dataclass
class Settings:
    data_dir: str = field(default_factory=lambda: str(default_data_dir()))
    region: str = ""  # ISO 3166-1 code of the grid; "" = from the location, else the (flagged) world average
    co2_method: str = "grid"
    latitude: float | None = None  # for the clear-sky plausibility check; None = unknown
    longitude: float | None = None
    power_unit: str = "W"
    energy_unit: str = "Wh"
    time_zone: str = "local"  # plot axes and tables: "local" or "UTC"
    theme: str = "light"
    language: str = "en"
    profile: str = "logger"
    plot_window_s: float = 60.0  # live plot span shown by default
    # Session details stored in every session file recorded from now on (/metadata); latitude and
    # longitude above are the site's too. Empty / None = not known.
    site: str = ""
    operator: str = ""
    panel_tilt_deg: float | None = None
    panel_azimuth_deg: float | None = None
    panel_rated_w: float | None = None
    session_description: str = ""

    def validate(self) -> Settings:
        choices = {
            "co2_method": CO2_METHODS, "power_unit": POWER_UNITS, "energy_unit": ENERGY_UNITS,
            "theme": THEMES, "language": LANGUAGES, "profile": PROFILES, "time_zone": TIME_ZONES,
        }
        for key, allowed in choices.items():
            value = getattr(self, key)
            if value not in allowed:
                raise SettingsError(f"setting {key} = {value!r}; choose one of {', '.join(allowed)}")
        for key in (*SITE_LIMITS, *SITE_TEXT_LIMITS):
            problem = site_value_problem(key, getattr(self, key))
            if problem:
                raise SettingsError(f"setting {problem}")
        if self.region and not self.region.replace("-", "").isalnum():
            raise SettingsError(f"setting region = {self.region!r}; use a country code such as DE or KEN")
        if not 1.0 <= float(self.plot_window_s) <= 24 * 3600:
            raise SettingsError(f"setting plot_window_s = {self.plot_window_s}; use 1 s to 24 h")
        if not self.data_dir:
            raise SettingsError("setting data_dir is empty; choose a folder for session files")
        return self

    def to_dict(self) -> dict[str, object]:
        # TOML has no null: unknown coordinates are left out of the file.
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Settings:
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}  # each value checked below to be a number or text
        for key, value in data.items():
            if key not in known:
                continue  # written by a newer version: ignore rather than refuse to start
            if key in ("plot_window_s", *SITE_LIMITS):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise SettingsError(f"setting {key} = {value!r}; it must be a number")
                value = float(value)
            elif not isinstance(value, str):
                raise SettingsError(f"setting {key} = {value!r}; it must be text")
            kwargs[key] = value
        return cls(**kwargs).validate()

    # ---- display helpers shared by every view ------------------------------------------------
    def format_power(self, watts: float) -> str:
        return f"{watts * 1e3:,.1f} mW" if self.power_unit == "mW" else f"{watts:,.3f} W"

    def format_energy(self, wh: float) -> str:
        return f"{wh / 1e3:,.6f} kWh" if self.energy_unit == "kWh" else f"{wh:,.4f} Wh"


def save_settings(settings: Settings, path: Path | str | None = None) -> Path:
    """Validate and write atomically (temp file + rename), so a crash never leaves half a file."""
    settings.validate()
    return write_atomically(Path(path) if path else default_settings_path(), tomli_w.dumps(settings.to_dict()))


def read_settings(path: Path | str | None = None) -> Settings:
    """Strict read: a missing file gives defaults; a broken one raises SettingsError naming the file."""
    path = Path(path) if path else default_settings_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"settings file {path} is not valid TOML ({exc}); fix or delete it") from exc
    try:
        return Settings.from_dict(data)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from exc


def load_settings(path: Path | str | None = None) -> tuple[Settings, str | None]:
    """Lenient read for app start: (settings, problem) where problem is a readable message or None."""
    try:
        return read_settings(path), None
    except SettingsError as exc:
        return Settings(), f"{exc}; using defaults"
