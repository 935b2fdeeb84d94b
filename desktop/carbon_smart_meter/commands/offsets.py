"""`csm offsets`: energy, estimated avoided CO2 with its provenance, and a reward preview.

The name is the issue's; the output never calls the result an offset or a credit. The report itself
(energy source, factor, reward provider) is the application layer's `app.energy_report`, shared with
`csm inspect`, `csm demo` and the windows; this module parses options and prints it.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carbon_smart_meter.app.energy_report import (
    EnergyReport,
    carbon_settings_from,
    energy_from_file,
    energy_from_kwh,
    energy_report,
)
from carbon_smart_meter.app.reward_preview import RewardPreviewer
from carbon_smart_meter.carbon.imported import load_dataset
from carbon_smart_meter.carbon.provenance import ESTIMATE_LABEL, Method
from carbon_smart_meter.carbon.resolve import CarbonSettings, UserFactor
from carbon_smart_meter.commands.arguments import existing_file, number, whole
from carbon_smart_meter.errors import CarbonError
from carbon_smart_meter.rewards.prices import load_table
from carbon_smart_meter.settings import Settings, load_settings


def format_report(report: EnergyReport) -> str:
    e, c, quote = report.energy, report.co2, report.reward
    r = quote.preview
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
    row = quote.price_row
    price_note = (f"{row.status} price, as of {row.as_of}" if row
                  else f"price from the {quote.source.replace('-', ' ')}")
    lines += [
        f"Reward preview  {r.tokens_display} tokens ({r.tokens} base units)",
        f"  value         ${r.value_micro_usd / 1e6:.6f} = {r.energy_mwh} mWh x "
        f"${r.price_micro_usd_per_kwh / 1e6:.4f}/kWh x {r.share_bps / 100:.2f} % ({price_note}, "
        f"region {r.region})",
    ]
    lines.append(f"  parameters    {quote.source}: {quote.source_detail}")
    lines += [f"  note          {reason.text}" for reason in quote.reasons]
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


MAX_FACTOR = 1e6  # in any unit a factor is given in: more is a typo, not a grid
MAX_KWH = 1e9  # a terawatt-hour: beyond any fleet a preview is asked for (and beyond 64-bit mWh sums)


def _user_factor(pair: list[str] | None, option: str, example: str) -> UserFactor | None:
    """VALUE UNIT of a factor option: a finite number from 0 to MAX_FACTOR (the unit is checked by pint)."""
    if not pair:
        return None
    text, unit = pair
    try:
        value = float(text)
    except ValueError:
        raise CarbonError(f"{option} {text} {unit}: {text!r} is not a number (e.g. {option} {example})") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_FACTOR:
        raise CarbonError(f"{option} {text} {unit}: use a finite number from 0 to {MAX_FACTOR:g} "
                          f"(e.g. {option} {example})")
    return UserFactor(value, unit, option)


def carbon_settings(args: argparse.Namespace, settings: Settings) -> CarbonSettings:
    """Command-line options over the user's settings file."""
    return carbon_settings_from(
        settings, region=args.region or None, latitude=args.lat, longitude=args.lon, method=args.method,
        user_factor=_user_factor(args.factor, "--factor", "0.1 kgCO2e/kWh"),
        dataset=load_dataset(args.dataset) if args.dataset else None,
        operating_margin=_user_factor(args.om, "--om", "0.6 tCO2/MWh"),
        build_margin=_user_factor(args.bm, "--bm", "200 g/kWh"),
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
    previewer = RewardPreviewer(prices=load_table(args.prices) if args.prices else None)
    report = energy_report(energy, carbon_settings(args, settings), previewer, network_energy_mwh=args.network_energy)
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
        print(json.dumps(out, indent=2, default=str, allow_nan=False))  # strict JSON: never "Infinity"
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
    p.add_argument("--kwh", type=number(minimum=0.0, maximum=MAX_KWH, unit="kWh"),
                   help="energy in kWh instead of a file")
    p.add_argument("--region", help="ISO 3166-1 country code (NZ, DEU, 554); default: settings or the file")
    p.add_argument("--lat", type=number(minimum=-90.0, maximum=90.0, unit="degrees"),
                   help="latitude, to find the region offline")
    p.add_argument("--lon", type=number(minimum=-180.0, maximum=180.0, unit="degrees"),
                   help="longitude, to find the region offline")
    p.add_argument("--method", choices=Method.ALL, help="grid (default), cm, diesel or kerosene")
    p.add_argument("--factor", nargs=2, metavar=("VALUE", "UNIT"), help="your own factor, e.g. 0.1 kgCO2e/kWh")
    p.add_argument("--dataset", help="CSV of factors (region,factor,unit[,year,source])")
    p.add_argument("--om", nargs=2, metavar=("VALUE", "UNIT"), help="operating margin for --method cm")
    p.add_argument("--bm", nargs=2, metavar=("VALUE", "UNIT"), help="build margin for --method cm")
    p.add_argument("--sfc", type=number(above=0.0, maximum=10.0, unit="L/kWh"),
                   help="generator fuel consumption, L/kWh (diesel/kerosene)")
    p.add_argument("--fuel-basis", choices=("ipcc", "imo"), default="ipcc", help="imo for ships' fuel")
    p.add_argument("--prices", help="price table CSV of your deployment (default: shipped illustrative table)")
    p.add_argument("--network-energy", type=whole(minimum=0, maximum=2**63 - 1, unit="mWh"), default=0,
                   metavar="MWH",
                   help="network energy already paid, mWh (sets the halving era)")
    p.add_argument("--tz", default="UTC", help="time zone of the per-day totals of a FILE (e.g. Pacific/Auckland)")
    p.add_argument("--settings", type=existing_file, help="settings file (default: the platform config dir)")
    p.add_argument("--verify", action="store_true",
                   help="with FILE: also list the checkpoint verdicts (the energy of a FILE is always verified "
                        "energy; `csm verify` checks files in full)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_offsets)
