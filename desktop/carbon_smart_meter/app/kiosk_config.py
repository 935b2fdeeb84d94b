"""What a resort sets for its kiosk: station names and QR links, languages, the staff PIN, the screen.

A TOML file (`kiosk.toml` in the platform config directory, or `csm kiosk --config FILE`), read with
the same strictness as the settings: a wrong value is refused with the key named, and the kiosk then
starts on defaults and shows staff why. No Qt here, so `csm kiosk --set-pin` works without a display.

    title = "Solar charging by the pool"
    language = "de"                 # what guests see first; they switch on screen
    time_zone = "Europe/Berlin"     # the local day of "today"
    qr_url = "https://resort.example/solar?station={device}"   # {device} {name} {source}
    wh_per_phone_charge = 15.0
    rotation = 90                   # applied with wlr-randr at start (0, 90, 180, 270)
    [[stations]]
    device = "0x54cfa039..."        # or port = "/dev/serial/by-id/..."
    name = "Pool bar"
    qr_url = "https://resort.example/pool-bar"

The PIN is stored as a salted scrypt hash (`pin_hash`), never in clear.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
import tomli_w

from carbon_smart_meter.durable import write_atomically
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.settings import APP_NAME, LANGUAGES

CONFIG_FILE = "kiosk.toml"
# One phone charge: a 4,000 mAh battery at 3.85 V stores 15.4 Wh; charging losses (a typical USB charger
# and the battery's own, ~80-85 % together) bring that to about 18 Wh drawn. We use 15 Wh: the battery's
# content, so the count is never flattering. docs/kiosk.md gives the arithmetic; resorts may set their own.
WH_PER_PHONE_CHARGE = 15.0
ROTATIONS = (0, 90, 180, 270)


class KioskConfigError(CsmError):
    """A value in kiosk.toml is wrong; the message names the key and what to write instead."""


@dataclass(frozen=True)
class StationConfig:
    device: str = ""    # 0x address (lower case)
    port: str = ""
    name: str = ""
    qr_url: str = ""


@dataclass(frozen=True)
class KioskConfig:
    title: str = "Solar power"
    language: str = "en"
    languages: tuple[str, ...] = LANGUAGES
    time_zone: str = "local"
    qr_url: str = ""
    wh_per_phone_charge: float = WH_PER_PHONE_CHARGE
    night_below_w: float = 0.5        # every station below this ...
    idle_after_s: float = 600.0       # ... for this long: the night screen
    language_reset_s: float = 120.0   # a guest's language returns to the default after this long untouched
    rotation: int = 0
    output: str = ""                  # wlr-randr output name; empty: every output
    pin_hash: str = ""
    stations: tuple[StationConfig, ...] = ()

    def station_for(self, device: str, port: str) -> StationConfig | None:
        for st in self.stations:
            if (st.device and st.device == device.lower()) or (st.port and st.port == port):
                return st
        return None

    def name_of(self, device: str, port: str, source: str) -> str:
        st = self.station_for(device, port)
        return st.name if st is not None and st.name else source

    def qr_of(self, device: str, port: str, source: str) -> str:
        st = self.station_for(device, port)
        template = st.qr_url if st is not None and st.qr_url else self.qr_url
        if not template:
            return ""
        name = self.name_of(device, port, source)
        return template.replace("{device}", device).replace("{name}", name).replace("{source}", source)

    def check_pin(self, pin: str) -> bool:
        return bool(self.pin_hash) and hmac.compare_digest(self.pin_hash, hash_pin(pin, _salt_of(self.pin_hash)))

    def to_dict(self) -> dict[str, object]:
        out = {k: v for k, v in dataclasses.asdict(self).items() if k != "stations"}
        out["languages"] = list(self.languages)
        out["stations"] = [{k: v for k, v in dataclasses.asdict(s).items() if v} for s in self.stations]
        return out


def default_config_path() -> Path:
    env = os.environ.get("CSM_KIOSK_CONFIG")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise KioskConfigError("the staff PIN must be 4 to 12 digits")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _salt_of(stored: str) -> bytes:
    try:
        kind, salt, _ = stored.split("$")
        if kind != "scrypt":
            raise ValueError(kind)
        return bytes.fromhex(salt)
    except ValueError as exc:
        raise KioskConfigError("pin_hash in kiosk.toml is not one `csm kiosk --set-pin` wrote; set the PIN "
                               "again") from exc


def _station(row: object, index: int) -> StationConfig:
    if not isinstance(row, dict):
        raise KioskConfigError(f"stations[{index}] must be a table with device or port, name and qr_url")
    unknown = set(row) - {"device", "port", "name", "qr_url"}
    if unknown:
        raise KioskConfigError(f"stations[{index}]: unknown key(s) {', '.join(sorted(unknown))}; use device, "
                               "port, name, qr_url")
    values = {k: row.get(k, "") for k in ("device", "port", "name", "qr_url")}
    for key, value in values.items():
        if not isinstance(value, str):
            raise KioskConfigError(f"stations[{index}].{key} = {value!r}; it must be text")
    if not values["device"] and not values["port"]:
        raise KioskConfigError(f"stations[{index}] names neither a device (0x address) nor a port")
    if values["device"] and not (values["device"].startswith("0x") and len(values["device"]) == 42):
        raise KioskConfigError(f"stations[{index}].device = {values['device']!r}; use the adapter's 0x address "
                               "as `csm devices` or the kiosk's staff panel shows it")
    return StationConfig(values["device"].lower(), values["port"], values["name"], values["qr_url"])


def from_dict(data: dict[str, object]) -> KioskConfig:
    known = {f.name for f in dataclasses.fields(KioskConfig)}
    unknown = set(data) - known
    if unknown:
        raise KioskConfigError(f"unknown key(s) {', '.join(sorted(unknown))} in kiosk.toml; known keys: "
                               f"{', '.join(sorted(known))}")
    values: dict[str, object] = {}
    for f in dataclasses.fields(KioskConfig):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "stations":
            if not isinstance(value, list):
                raise KioskConfigError("stations must be a list of [[stations]] tables")
            value = tuple(_station(row, i) for i, row in enumerate(value))
        elif f.name == "languages":
            if not isinstance(value, list) or not value or any(v not in LANGUAGES for v in value):
                raise KioskConfigError(f"languages = {value!r}; choose from {', '.join(LANGUAGES)}")
            value = tuple(value)
        elif f.name in ("wh_per_phone_charge", "night_below_w", "idle_after_s", "language_reset_s"):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise KioskConfigError(f"{f.name} = {value!r}; it must be a number of at least 0")
            value = float(value)
        elif f.name == "rotation":
            if value not in ROTATIONS or isinstance(value, bool):
                raise KioskConfigError(f"rotation = {value!r}; choose 0, 90, 180 or 270 (degrees clockwise)")
        elif not isinstance(value, str):
            raise KioskConfigError(f"{f.name} = {value!r}; it must be text")
        values[f.name] = value
    config = KioskConfig(**values)  # type: ignore[arg-type]
    if config.language not in config.languages:
        raise KioskConfigError(f"language = {config.language!r} is not among languages {list(config.languages)}")
    if config.wh_per_phone_charge <= 0:
        raise KioskConfigError("wh_per_phone_charge must be more than 0 Wh")
    return config


def read_config(path: Path | None = None) -> KioskConfig:
    """Missing file: defaults. A broken one raises KioskConfigError naming the file."""
    path = path or default_config_path()
    if not path.exists():
        return KioskConfig()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KioskConfigError(f"{path} is not valid TOML ({exc}); fix it or delete it") from exc
    try:
        return from_dict(data)
    except KioskConfigError as exc:
        raise KioskConfigError(f"{path}: {exc}") from exc


def load_config(path: Path | None = None) -> tuple[KioskConfig, str | None]:
    try:
        return read_config(path), None
    except KioskConfigError as exc:
        return KioskConfig(), f"{exc}; using defaults"


def save_config(config: KioskConfig, path: Path | None = None) -> Path:
    # 0600 from the moment the file exists: it holds the staff PIN's hash
    return write_atomically(path or default_config_path(), tomli_w.dumps(config.to_dict()), mode=0o600)


def field_names() -> list[str]:
    return [f.name for f in dataclasses.fields(KioskConfig)]


__all__ = ["KioskConfig", "KioskConfigError", "StationConfig", "field", "load_config", "read_config",
           "save_config"]
