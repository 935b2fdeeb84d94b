"""Where records live: `<root>/<device address>/<date>_<id>.toml`, one file per calibration, never edited.

A new calibration is a new file, so the history of a device is its directory listing; the current
record is the newest by calibration date. If the newest is broken or expired the device is refused
(CalibrationError) instead of silently falling back to an older record.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.calibration.record import CalibrationRecord, load_record


def default_root() -> Path:
    return Path(platformdirs.user_data_dir("carbon-smart-meter")) / "calibration"


class CalibrationStore:
    def __init__(
        self, roots: Path | str | Iterable[Path | str] | None = None, today: dt.date | None = None
    ) -> None:
        if roots is None:
            roots = [default_root()]
        elif isinstance(roots, (str, Path)):
            roots = [roots]
        self.roots = [Path(r) for r in roots]
        self.today = today

    def history(self, device: str) -> list[Path]:
        """Record files of a device, oldest first (by the `date` inside, then by file name)."""
        device = device.lower()
        found: list[tuple[str, str, Path]] = []
        for root in self.roots:
            folder = root / device
            if folder.is_dir():
                for p in folder.glob("*.toml"):
                    found.append((_date_of(p), p.name, p))
        return [p for _d, _n, p in sorted(found)]

    def current(self, device: str) -> CalibrationRecord | None:
        files = self.history(device)
        return load_record(files[-1], device=device, today=self.today) if files else None

    def conversion_for(self, device: str, v_lsb: float, i_lsb: float) -> Conversion:
        """The calibrated conversion of a device, or its factory scales flagged uncalibrated."""
        record = self.current(device)
        if record is None:
            return Conversion.factory(v_lsb, i_lsb)
        return Conversion.from_record(record, factory_v_lsb=v_lsb, factory_i_lsb=i_lsb)

    def write(self, device: str, text: str, date: dt.date, record_id: str) -> Path:
        """Store a new record (exclusive create: history is never overwritten)."""
        folder = self.roots[0] / device.lower()
        folder.mkdir(parents=True, exist_ok=True)
        n = 0
        while True:
            path = folder / (f"{date.isoformat()}_{record_id}" + (f"_{n}" if n else "") + ".toml")
            try:
                with path.open("x", encoding="utf-8") as fh:
                    fh.write(text)
                return path
            except FileExistsError:
                n += 1


def _date_of(path: Path) -> str:
    try:
        d = tomllib.loads(path.read_text("utf-8")).get("date")
        return d.isoformat() if isinstance(d, (dt.date, dt.datetime)) else ""
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "9999"  # a broken file sorts last, so it is the one reported, not skipped
