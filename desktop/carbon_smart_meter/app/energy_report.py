"""Energy, estimated avoided CO₂ and the reward preview for some energy: one report, every entry point.

Energy comes from a pluggable source: a bare kWh figure, a session file (FILE_READERS by suffix), or the
live ledger of a running session. The report adds the emission factor with its provenance and the
reward preview from the one provider (`reward_preview.RewardPreviewer`), so `csm offsets`, `csm
inspect`, `csm demo` and the windows print the same numbers for the same energy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from carbon_smart_meter.app.reward_preview import RewardPreviewer, RewardQuote
from carbon_smart_meter.carbon.provenance import AvoidedEmissions, Method
from carbon_smart_meter.carbon.region import Region, from_settings
from carbon_smart_meter.carbon.resolve import CarbonSettings, avoided, resolve_region
from carbon_smart_meter.carbon.snapshot import lookup
from carbon_smart_meter.errors import CarbonError
from carbon_smart_meter.settings import Settings

if TYPE_CHECKING:
    from carbon_smart_meter.energy.plausibility import DayCheck


@dataclass(frozen=True)
class MeasuredEnergy:
    """What any energy source hands to the report."""

    kwh: float
    description: str
    region_hint: str = ""
    rated_w: int = 0
    device: str = ""
    per_day_kwh: dict[str, float] = field(default_factory=dict)
    gaps: int = 0
    unverifiable_kwh: float = 0.0     # received but not provable by the device's signatures: not counted
    verification: dict | None = None  # csm verify's result for a session file (energy.verified)


def energy_from_kwh(kwh: float, description: str = "entered with --kwh") -> MeasuredEnergy:
    if not kwh >= 0:
        raise CarbonError(f"--kwh must be a non-negative number of kWh, got {kwh}")
    return MeasuredEnergy(kwh, description)


def energy_from_session(path: Path, tz: str = "UTC") -> MeasuredEnergy:
    """Only verified energy (energy.verified): raw codes through the recorded calibration, over intervals
    the device's signed checkpoints prove; the rest is reported as unverifiable and not counted."""
    from carbon_smart_meter.energy.verified import verify_file  # h5py only when needed

    v = verify_file(path)
    status = "complete" if v.complete else "incomplete (still written or crashed)"
    verdict = "verified" if v.ok else "FAILED verification (tampered or forged parts are not counted)"
    text = (f"session {path.name}: {verdict}, {status}; {v.unverifiable_kwh * 1000:.3f} Wh unverifiable not "
            f"counted, {v.gaps} gap(s), calibration {v.calibration_status or 'unknown'}")
    return MeasuredEnergy(v.verified_kwh, text, v.region, v.rated_w, v.device, v.verified_totals.per_day(tz),
                          v.gaps, v.unverifiable_kwh, v.to_json())


FILE_READERS: dict[str, Callable[[Path, str], MeasuredEnergy]] = {".h5": energy_from_session,
                                                                  ".hdf5": energy_from_session}


def energy_from_file(path: Path, tz: str = "UTC") -> MeasuredEnergy:
    reader = FILE_READERS.get(path.suffix.lower())
    if reader is None:
        raise CarbonError(f"{path}: no energy reader for '{path.suffix}' files; "
                          f"use one of {', '.join(FILE_READERS)} or --kwh")
    if not path.exists():
        raise CarbonError(f"{path}: no such file")
    return reader(path, tz)


def carbon_settings_from(settings: Settings, **overrides: object) -> CarbonSettings:
    """The user's settings as carbon settings; `overrides` (command-line options) win where not None.

    The grid method is left unset (None) so that at sea the diesel baseline is chosen, as `csm offsets` does.
    """
    values: dict[str, object] = {
        "region": settings.region or None, "latitude": settings.latitude, "longitude": settings.longitude,
        "method": settings.co2_method if settings.co2_method != Method.GRID else None,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return CarbonSettings(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class EnergyReport:
    energy: MeasuredEnergy
    co2: AvoidedEmissions
    region: Region | None
    reward: RewardQuote
    plausibility: tuple[DayCheck, ...] = ()

    def to_json(self) -> dict[str, object]:
        row = self.reward.price_row
        return {
            "energy": {"kwh": self.energy.kwh, "source": self.energy.description, "device": self.energy.device,
                       "per_day_kwh": self.energy.per_day_kwh, "gaps": self.energy.gaps,
                       "unverifiable_kwh": self.energy.unverifiable_kwh},
            "co2": self.co2.to_json(),
            "region": None if self.region is None else {"code": self.region.code, "detail": self.region.detail,
                                                         "source": self.region.source},
            "reward": self.reward.to_json(),
            "price": None if row is None else {"table": self.reward.source_detail, "as_of": row.as_of,
                                               "status": row.status, "source": row.source},
            "plausibility": [{"day": d.day, "verdict": d.verdict, "energy_wh": d.energy_wh,
                              "ceiling_wh": d.ceiling_wh, "clear_sky_wh": d.clear_sky_wh} for d in self.plausibility],
        }


def report_region(carbon: CarbonSettings, energy: MeasuredEnergy) -> Region | None:
    """The region of the settings (or location), else the one recorded in the session file."""
    region = resolve_region(carbon)
    if region is None and energy.region_hint and lookup(energy.region_hint) is not None:
        region = from_settings(energy.region_hint)
    return region


def energy_report(energy: MeasuredEnergy, carbon: CarbonSettings, previewer: RewardPreviewer | None = None,
                  network_energy_mwh: int | None = None, *, plausibility: bool = True,
                  block: bool = True) -> EnergyReport:
    """kWh -> avoided CO₂ (with provenance) and reward preview; per-day plausibility for a file with a rating.

    `block=False` (views) never waits on a chain for parameters; see RewardPreviewer.parameters.
    """
    region = report_region(carbon, energy)
    co2 = avoided(energy.kwh, carbon, energy.device or None, region)
    previewer = previewer or RewardPreviewer()
    reward = previewer.preview_kwh(energy.kwh, region.code if region is not None else None, network_energy_mwh,
                                   block=block)
    days: tuple[DayCheck, ...] = ()
    if plausibility and energy.rated_w and energy.per_day_kwh:  # UTC days are a valid clear-sky window too
        from carbon_smart_meter.energy.plausibility import check_days  # pvlib and pandas: only when needed

        days = tuple(check_days(energy.per_day_kwh, energy.rated_w, carbon.latitude, carbon.longitude))
    return EnergyReport(energy, co2, region, reward, days)
