"""`csm offsets`: energy, estimated avoided CO2 with its provenance, and a reward preview.

The name is the issue's; the output never calls the result an offset or a credit. Energy comes from a
pluggable source: a bare `--kwh` figure or a session file (FILE_READERS by suffix), so a new recording
format adds a reader here, not a new command. `offsets_report` / `format_report` are what `csm inspect`
and `csm demo` call to print the same block for a session.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carbon_smart_meter.carbon.imported import load_dataset
from carbon_smart_meter.carbon.provenance import ESTIMATE_LABEL, AvoidedEmissions, Method
from carbon_smart_meter.carbon.region import Region, from_settings
from carbon_smart_meter.carbon.resolve import CarbonSettings, UserFactor, avoided, resolve_region
from carbon_smart_meter.carbon.snapshot import lookup
from carbon_smart_meter.errors import CarbonError
from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.preview import RewardPreview, preview_energy
from carbon_smart_meter.rewards.prices import PriceTable, load_table, shipped_table
from carbon_smart_meter.settings import Settings, load_settings

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


def energy_from_kwh(kwh: float) -> MeasuredEnergy:
    if not kwh >= 0:
        raise CarbonError(f"--kwh must be a non-negative number of kWh, got {kwh}")
    return MeasuredEnergy(kwh, "entered with --kwh")


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


@dataclass(frozen=True)
class OffsetsReport:
    energy: MeasuredEnergy
    co2: AvoidedEmissions
    region: Region | None
    reward: RewardPreview
    prices: PriceTable
    plausibility: tuple[DayCheck, ...] = ()

    def to_json(self) -> dict[str, object]:
        price_row = self.prices.row_for(self.reward.region)
        return {
            "energy": {"kwh": self.energy.kwh, "source": self.energy.description, "device": self.energy.device,
                       "per_day_kwh": self.energy.per_day_kwh, "gaps": self.energy.gaps,
                       "unverifiable_kwh": self.energy.unverifiable_kwh},
            "co2": self.co2.to_json(),
            "region": None if self.region is None else {"code": self.region.code, "detail": self.region.detail,
                                                         "source": self.region.source},
            "reward": self.reward.to_json(),
            "price": None if price_row is None else {"table": self.prices.path, "as_of": price_row.as_of,
                                                     "status": price_row.status, "source": price_row.source},
            "plausibility": [{"day": d.day, "verdict": d.verdict, "energy_wh": d.energy_wh,
                              "ceiling_wh": d.ceiling_wh, "clear_sky_wh": d.clear_sky_wh} for d in self.plausibility],
        }


def offsets_report(energy: MeasuredEnergy, carbon: CarbonSettings, params: PayoutParams | None = None,
                   prices: PriceTable | None = None, network_energy_mwh: int = 0) -> OffsetsReport:
    region = resolve_region(carbon)
    if region is None and energy.region_hint and lookup(energy.region_hint) is not None:
        region = from_settings(energy.region_hint)  # the region recorded in the session file
    co2 = avoided(energy.kwh, carbon, energy.device or None, region)
    prices = prices or shipped_table()
    params = prices.apply_to(params or PayoutParams())
    # A location can fall in a territory the snapshot does not list (Kosovo, Åland...): default price then.
    entry = lookup(region.code) if region is not None and region.code else None
    numeric = entry.numeric if entry is not None else 0
    energy_mwh = int(Decimal(repr(float(energy.kwh))) * 1_000_000)  # floor, without binary-float surprises
    reward = preview_energy(params, energy_mwh, numeric, network_energy_mwh)
    days: tuple[DayCheck, ...] = ()
    if energy.rated_w and energy.per_day_kwh:  # UTC days: a 24 h window is a valid clear-sky ceiling too
        from carbon_smart_meter.energy.plausibility import check_days  # pvlib and pandas: only when needed

        days = tuple(check_days(energy.per_day_kwh, energy.rated_w, carbon.latitude, carbon.longitude))
    return OffsetsReport(energy, co2, region, reward, prices, days)


def format_report(report: OffsetsReport) -> str:
    e, c, r = report.energy, report.co2, report.reward
    p = c.provenance
    lines = [f"Energy          {e.kwh:.6f} kWh = {e.kwh * 1000:.3f} Wh  ({e.description})"]
    for day, kwh in sorted(e.per_day_kwh.items()):
        lines.append(f"  {day}    {kwh:.6f} kWh")
    lines += [
        f"Avoided CO2     {c.co2_kg:.6f} {c.unit} = {c.co2_kg * 1000:.3f} g  — {ESTIMATE_LABEL}",
        f"  factor        {p.factor:.3f} {p.unit}, method {p.method}, region {p.region}"
        + (f", year {p.year}" if p.year else ""),
        f"  from          {p.level}: {p.dataset}",
        f"  version       {p.version}; licence {p.licence}",
    ]
    if p.note:
        lines.append(f"  note          {p.note}")
    if p.flagged:
        lines.append("  FLAGGED       this factor is a fallback or uses an illustrative default; set a region, "
                     "a factor or the generator's fuel consumption")
    row = report.prices.row_for(r.region)
    price_note = f"{row.status} price, as of {row.as_of}" if row else "no price"
    lines += [
        f"Reward preview  {r.tokens_display} tokens ({r.tokens} base units)",
        f"  value         ${r.value_micro_usd / 1e6:.6f} = {r.energy_mwh} mWh x "
        f"${r.price_micro_usd_per_kwh / 1e6:.4f}/kWh x {r.share_bps / 100:.2f} % ({price_note}, "
        f"region {r.region})",
    ]
    lines += [f"  note          {n}" for n in r.notes]
    for d in report.plausibility:
        if d.verdict != "ok":
            lines.append(f"Plausibility    {d.verdict.upper()}: {d.message}")
    if report.plausibility and all(d.verdict == "ok" for d in report.plausibility):
        lines.append(f"Plausibility    ok for {len(report.plausibility)} day(s) (rated {e.rated_w} W)")
    return "\n".join(lines)


class VerificationSummary(TypedDict):
    checkpoints: dict[str, int]  # interval status -> count of checkpoints ending one
    problems: list[str]
    ok: bool


def verification_summary(path: Path) -> VerificationSummary:
    """Checkpoint verdicts and problems of a session (the same verification as `csm verify`)."""
    from carbon_smart_meter.energy.verified import verify_file

    v = verify_file(path)
    problems = [f"{c.name}: {c.detail}" for c in v.checks if c.result == "fail"] + v.problems
    return {"checkpoints": v.checkpoints, "problems": problems, "ok": v.ok}


def carbon_settings(args: argparse.Namespace, settings: Settings) -> CarbonSettings:
    """Command-line options over the user's settings file."""
    lat = args.lat if args.lat is not None else settings.latitude
    lon = args.lon if args.lon is not None else settings.longitude
    region = args.region or settings.region or None
    method = args.method or (settings.co2_method if settings.co2_method != Method.GRID else None)
    return CarbonSettings(
        region=region, latitude=lat, longitude=lon, method=method,
        user_factor=UserFactor(float(args.factor[0]), args.factor[1], "--factor") if args.factor else None,
        dataset=load_dataset(args.dataset) if args.dataset else None,
        operating_margin=UserFactor(float(args.om[0]), args.om[1], "--om") if args.om else None,
        build_margin=UserFactor(float(args.bm[0]), args.bm[1], "--bm") if args.bm else None,
        sfc_l_per_kwh=args.sfc, fuel_basis=args.fuel_basis,
    )


def cmd_offsets(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.kwh is None):
        raise CarbonError("give either a session FILE or --kwh X (not both)")
    if args.tz != "UTC":
        try:
            ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise CarbonError(f"--tz {args.tz!r} is not an IANA time zone such as Europe/Berlin") from None
    settings, problem = load_settings(args.settings)
    energy = energy_from_kwh(args.kwh) if args.kwh is not None else energy_from_file(Path(args.file), args.tz)
    prices = load_table(args.prices) if args.prices else None
    report = offsets_report(energy, carbon_settings(args, settings), prices=prices,
                            network_energy_mwh=args.network_energy)
    check = energy.verification
    verified = ({"checkpoints": _counts(check), "ok": check["ok"],
                 "problems": [f"{c['name']}: {c['detail']}" for c in check["checks"] if c["result"] == "fail"]
                 + check["problems"]} if check is not None else None)
    if args.json:
        out = report.to_json()
        if problem:
            out["settings_problem"] = problem
        if verified is not None:
            out["verification"] = verified
        print(json.dumps(out, indent=2, default=str))
    else:
        if problem:
            print(f"settings: {problem}")
        print(format_report(report))
        if verified is not None and (args.verify or not verified["ok"]):
            counts = ", ".join(f"{n} {s}" for s, n in sorted(verified["checkpoints"].items()))
            print(f"Checkpoints     {counts or 'none in the file'}")
            for text in verified["problems"]:
                print(f"  problem       {text}")
    return 0 if verified is None or verified["ok"] else 1


def _counts(check: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in check["intervals"]:
        if i["seq_to"] is not None:
            out[i["status"]] = out.get(i["status"], 0) + 1
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("offsets", help="energy, estimated avoided CO2 (with provenance) and a reward preview",
                       description="Estimated avoided emissions — never an offset or a certified credit.")
    p.add_argument("file", nargs="?", help="session file (.h5) to integrate")
    p.add_argument("--kwh", type=float, help="energy in kWh instead of a file")
    p.add_argument("--region", help="ISO 3166-1 country code (NZ, DEU, 554); default: settings or the file")
    p.add_argument("--lat", type=float, help="latitude, to find the region offline")
    p.add_argument("--lon", type=float, help="longitude, to find the region offline")
    p.add_argument("--method", choices=Method.ALL, help="grid (default), cm, diesel or kerosene")
    p.add_argument("--factor", nargs=2, metavar=("VALUE", "UNIT"), help="your own factor, e.g. 0.1 kgCO2e/kWh")
    p.add_argument("--dataset", help="CSV of factors (region,factor,unit[,year,source])")
    p.add_argument("--om", nargs=2, metavar=("VALUE", "UNIT"), help="operating margin for --method cm")
    p.add_argument("--bm", nargs=2, metavar=("VALUE", "UNIT"), help="build margin for --method cm")
    p.add_argument("--sfc", type=float, help="generator fuel consumption, L/kWh (diesel/kerosene)")
    p.add_argument("--fuel-basis", choices=("ipcc", "imo"), default="ipcc", help="imo for ships' fuel")
    p.add_argument("--prices", help="price table CSV of your deployment (default: shipped illustrative table)")
    p.add_argument("--network-energy", type=int, default=0, metavar="MWH",
                   help="network energy already paid, mWh (sets the halving era)")
    p.add_argument("--tz", default="UTC", help="time zone of the per-day totals of a FILE (e.g. Pacific/Auckland)")
    p.add_argument("--settings", help="settings file (default: the platform config dir)")
    p.add_argument("--verify", action="store_true",
                   help="with FILE: also list the checkpoint verdicts (the energy of a FILE is always verified "
                        "energy; `csm verify` checks files in full)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_offsets)
