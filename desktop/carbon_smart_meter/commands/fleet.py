"""`csm fleet ingest`, `report`, `export`, `simulate`: many devices' session files as one lake."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from carbon_smart_meter.commands.arguments import existing_file, existing_folder, folder_for_output, number, whole
from carbon_smart_meter.errors import CsmError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fleet", help="a fleet's session files: verified Parquet lake, reports, fraud checks")
    fleet = p.add_subparsers(dest="fleet_command", metavar="SUBCOMMAND", parser_class=type(p))
    fleet.required = True

    q = fleet.add_parser("ingest", help="verify session files and add their 1 s roll-ups and checkpoints to a lake")
    q.add_argument("inputs", nargs="+", type=Path, metavar="SESSIONS_OR_DIR")
    q.add_argument("--to", dest="lake", required=True, type=folder_for_output,
                   help="the lake directory (created if missing)")
    q.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="run the jobs on this Dask distributed cluster (default: in this process)")
    q.add_argument("--sites", type=existing_file, default=None,
                   help="CSV register device,site,latitude,longitude (kept in the lake for the report)")
    q.add_argument("--quiet", action="store_true", help="no progress lines")
    q.set_defaults(func=cmd_ingest)

    q = fleet.add_parser("report", help="energy per device and day, coverage and fraud checks (DuckDB)")
    q.add_argument("lake", type=existing_folder)
    q.add_argument("--sites", type=existing_file, default=None, help="sites register (default: the one in the lake)")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.add_argument("--days", action="store_true", help="print every device-day, not only the flags")
    q.set_defaults(func=cmd_report)

    q = fleet.add_parser("export", help="an anonymised data set: verified minutes, salted ids, coarse places")
    q.add_argument("lake", type=existing_folder)
    q.add_argument("--to", required=True, type=Path, help="a new directory for the data set")
    q.add_argument("--sites", type=existing_file, default=None, help="sites register (default: the one in the lake)")
    q.add_argument("--salt-file", type=Path, default=None,
                   help="secret salt for the device ids (default: LAKE/_export_salt, made on first export)")
    q.add_argument("--grid", type=number(above=0, maximum=180, unit="degrees"), default=1.0,
                   help="grid cell in degrees for places (default 1)")
    q.add_argument("--min-devices", type=whole(minimum=1, maximum=1_000_000), default=3,
                   help="withhold cells with fewer devices (default 3)")
    q.add_argument("--licence", default="CC-BY-4.0", choices=["CC-BY-4.0", "CC0-1.0", "ODbL-1.0"])
    q.add_argument("--publisher", default="the fleet operator", help="the licensor named in README.txt")
    q.set_defaults(func=cmd_export)

    q = fleet.add_parser("simulate", help="write a simulated fleet's session files fast (tests, benchmarks)")
    q.add_argument("--out", required=True, type=folder_for_output, help="folder for sessions/ and sites.csv")
    q.add_argument("--device-days", type=whole(minimum=1, maximum=10_000_000), default=20,
                   help="about this many device-days in all (default 20)")
    q.add_argument("--days", type=whole(minimum=1, maximum=366), default=2, help="days per device (default 2)")
    q.add_argument("--rate", type=whole(minimum=1, maximum=50_000, unit="Hz"), default=1,
                   help="samples per second (default 1)")
    q.add_argument("--planted", action="store_true", help="add the planted fraud cases (see docs)")
    q.add_argument("--workers", type=whole(minimum=1, maximum=1024), default=None, help="processes (default: the CPUs)")
    q.set_defaults(func=cmd_simulate)


def cmd_ingest(args: argparse.Namespace) -> int:
    from carbon_smart_meter.fleet.ingest import ingest, session_files

    def progress(done: int, total: int, summary: dict[str, object]) -> None:
        if summary["result"] == "failed":
            print(f"{summary['path']}: not ingested: {summary['error']}", file=sys.stderr, flush=True)
        elif not args.quiet and (done == total or done % 10 == 0):
            print(f"  {done}/{total} files", file=sys.stderr, flush=True)

    if not session_files(args.inputs):
        raise CsmError(f"no session files (.h5) in {', '.join(str(p) for p in args.inputs)}; give session files "
                       "or the folders `csm log` and the window record into")
    r = ingest(args.inputs, args.lake, scheduler=args.scheduler, sites=args.sites, progress=progress)
    per_min = len(r.ingested) / r.wall_s * 60 if r.wall_s > 0 else 0.0
    print(f"{len(r.ingested)} ingested, {len(r.skipped)} already in the lake, {len(r.failed)} failed; "
          f"{r.wall_s:.1f} s on {r.where} ({per_min:.0f} files per minute)")
    unverified = [s for s in r.ingested if not s.get("verified")]
    if unverified:
        print(f"{len(unverified)} of them did not verify (kept, with their status): "
              + ", ".join(Path(str(s['path'])).name for s in unverified[:5]) + (" …" if len(unverified) > 5 else ""))
    return 1 if r.failed else 0


def cmd_report(args: argparse.Namespace) -> int:
    from carbon_smart_meter.fleet.report import RULES, fleet_report

    rep = fleet_report(args.lake, args.sites)
    if args.json:
        print(json.dumps(rep.to_json(), indent=1, default=str))
        return 0
    total = sum(float(r["kwh"]) for r in rep.per_day)
    verified = sum(float(r["verified_kwh"]) for r in rep.per_day)
    cover = sum(float(r["coverage"]) for r in rep.per_day) / max(1, len(rep.per_day))
    print(f"{rep.devices} devices, {rep.device_days} device-days: {total:.3f} kWh measured, {verified:.3f} kWh "
          f"verified, mean coverage {cover:.1%} ({rep.seconds:.1f} s on DuckDB)")
    if args.days:
        print(f"{'device':42s}  date        kWh      verified  coverage  peak W  calibration")
        for r in rep.per_day:
            print(f"{r['device']}  {r['date']}  {r['kwh']:.5f}  {r['verified_kwh']:.5f}  {r['coverage']:8.1%}  "
                  f"{r['peak_w']:6.1f}  {r['calibration']}")
    for note in rep.notes:
        print(f"note: {note}")
    if not rep.flags:
        print("no device flagged by: " + ", ".join(RULES))
        return 0
    print(f"{len(rep.flagged())} devices flagged:")
    for f in rep.flags:
        where = f" {f.day}" if f.day else ""
        other = f" (with {f.other})" if f.other else ""
        print(f"  {f.check:20s} {f.device}{where}{other}: {f.detail}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from carbon_smart_meter.fleet.synthetic import fleet_plan, write_fleet, write_sites_csv

    if args.planted and args.days < 2:
        raise CsmError("--planted needs --days 2 or more (one planted device doubles its calibration on day 2)")
    plan = fleet_plan(args.device_days, days=args.days, rate_hz=args.rate, planted=args.planted)
    args.out.mkdir(parents=True, exist_ok=True)
    paths = write_fleet(plan, args.out / "sessions", workers=args.workers,
                        progress=lambda k, n: print(f"  {k}/{n} devices", file=sys.stderr, flush=True)
                        if k == n or k % 10 == 0 else None)
    sites = write_sites_csv(plan, args.out / "sites.csv")
    print(f"{len(paths)} session files in {args.out / 'sessions'}; sites register {sites}")
    for d in plan.devices:
        if d.planted:
            print(f"planted {d.planted}: {d.address}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from carbon_smart_meter.fleet.anonymise import export

    r = export(args.lake, args.to, sites=args.sites, salt_file=args.salt_file, grid_deg=args.grid,
               min_devices_per_cell=args.min_devices, licence=args.licence, publisher=args.publisher)
    print(f"{r.devices} devices, {r.rows} device-minutes, {r.kwh:.3f} kWh verified -> {r.out} "
          f"(withheld: {r.withheld_flagged} flagged, {r.withheld_sparse} in sparse cells, "
          f"{r.withheld_unplaced} without a site); licence and description in {r.out / 'README.txt'}")
    return 0
