"""`csm report SESSION... --out DIR`: the MRV report of each device and monitoring period.

Writes a PDF for people, a JSON document for machines and a manifest with the SHA-256 of every input
and of both outputs (carbon_smart_meter.report). A session that fails verification makes the report
say so in its first lines and the command exit 1, unless --allow-unverified (the report says so anyway).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carbon_smart_meter.carbon.provenance import Method
from carbon_smart_meter.commands.arguments import existing_file, number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="MRV report (PDF + JSON + manifest) per device and monitoring period",
        description="Identity, calibration chain, completeness, verification, verified energy with its "
                    "uncertainty, estimated avoided emissions (never a credit), plausibility and on-chain claims, "
                    "from session files (and a rewards deployment with --chain).")
    p.add_argument("sessions", nargs="+", type=existing_file, metavar="SESSION", help="session files (.h5)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory for the reports")
    p.add_argument("--device", metavar="ID", help="only this device (0x… id, or its first hex digits)")
    p.add_argument("--from", dest="first_day", metavar="DATE", help="first day of the period (YYYY-MM-DD)")
    p.add_argument("--to", dest="last_day", metavar="DATE", help="last day of the period, inclusive")
    p.add_argument("--tz", default=None, help="time zone of the days (IANA, e.g. Asia/Kolkata; default UTC)")
    p.add_argument("--chain", metavar="NAME", help="deployment record (`csm chain list`): read the claims paid for "
                                                   "these checkpoints there")
    p.add_argument("--confirm-no-double-counting", action="store_true",
                   help="state that this energy is not also claimed as a REC or under another token or scheme")
    p.add_argument("--allow-unverified", action="store_true",
                   help="exit 0 even when an input fails verification (the report still says so)")
    p.add_argument("--manufacturers", type=Path, default=None,
                   help='TOML file of trusted manufacturer keys: manufacturers = ["0x…"]')
    p.add_argument("--no-development-key", action="store_true",
                   help="fail files attested by the public development manufacturer key (simulators, demo)")
    carbon = p.add_argument_group("avoided emissions and plausibility (as `csm offsets`)")
    carbon.add_argument("--region", help="ISO 3166-1 country code; default: settings, location, or the file's")
    carbon.add_argument("--lat", type=number(minimum=-90.0, maximum=90.0, unit="degrees"),
                        help="latitude of the panel (plausibility; region lookup)")
    carbon.add_argument("--lon", type=number(minimum=-180.0, maximum=180.0, unit="degrees"),
                        help="longitude of the panel")
    carbon.add_argument("--method", choices=Method.ALL, help="grid (default), cm, diesel or kerosene")
    carbon.add_argument("--factor", nargs=2, metavar=("VALUE", "UNIT"), help="your own factor, e.g. 0.1 kgCO2e/kWh")
    carbon.add_argument("--dataset", help="CSV of factors (region,factor,unit[,year,source])")
    carbon.add_argument("--om", nargs=2, metavar=("VALUE", "UNIT"), help="operating margin for --method cm")
    carbon.add_argument("--bm", nargs=2, metavar=("VALUE", "UNIT"), help="build margin for --method cm")
    carbon.add_argument("--sfc", type=number(above=0.0, maximum=10.0, unit="L/kWh"),
                        help="generator fuel consumption, L/kWh (diesel/kerosene)")
    carbon.add_argument("--fuel-basis", choices=("ipcc", "imo"), default="ipcc", help="imo for ships' fuel")
    carbon.add_argument("--settings", type=existing_file, help="settings file (default: the platform config dir)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from carbon_smart_meter.commands.offsets import carbon_settings
    from carbon_smart_meter.energy.trust import ManufacturerTrust
    from carbon_smart_meter.report.build import make_reports
    from carbon_smart_meter.report.document import ReportOptions
    from carbon_smart_meter.settings import load_settings

    settings, problem = load_settings(args.settings)
    if problem and not args.quiet:
        print(f"settings: {problem}", file=sys.stderr)
    allow_dev = not args.no_development_key
    trust = (ManufacturerTrust.load(args.manufacturers, allow_dev) if args.manufacturers
             else ManufacturerTrust(allow_development=allow_dev))
    options = ReportOptions(first_day=args.first_day, last_day=args.last_day, tz=args.tz or "UTC",
                            carbon=carbon_settings(args, settings),
                            confirm_no_double_counting=args.confirm_no_double_counting, trust_source=trust.source)

    def say(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    results = make_reports(args.sessions, args.out, options, device=args.device, trust=trust, chain=args.chain,
                           say=say)
    failed = []
    for r in results:
        en = r.document["energy"]
        print(f"{r.pdf}\n{r.json}\n{r.manifest}")
        print(f"  {r.device}: {'verified' if r.verified else 'FAILED VERIFICATION'}, "
              f"{en['verified_kwh']:.6f} kWh verified (± {en['uncertainty_kwh']:.6f} kWh, k = 2)")
        if not r.verified:
            failed += [i["file"] for i in r.document["inputs"] if not i["verified"]]
    if failed and not args.allow_unverified:
        print(f"csm report: {', '.join(failed)} failed verification (altered or forged data); the report says so. "
              "Pass --allow-unverified to accept such a report with exit code 0", file=sys.stderr)
        return 1
    return 0
