"""`csm serve`: the live session as a service (recording, rotation, retention, sync) that views attach to."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path

from carbon_smart_meter.commands.arguments import (
    calibration_records,
    claims_chain_options,
    evm_fees,
    existing_file,
    folder_for_output,
    number,
    refuse_chain_options_without_chain,
    region_code,
    seconds,
    waited_serial_port,
)
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.settings import PROFILES as PROFILE_NAMES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="run the live session as a service (no window) that kiosk views attach to",
        description="Records every adapter given or found, rotates and retires files and syncs claims as the "
                    "profile says, and serves live figures to views (csm kiosk) on a local socket that only "
                    "this user can open. Under systemd it reports READY and feeds the watchdog "
                    "(installers/linux/csm-logger.service).")
    p.add_argument("ports", nargs="*", metavar="PORT", type=waited_serial_port,
                   help="serial port, simulator pty or link of each adapter "
                   "(more are found by themselves unless --no-discover)")
    p.add_argument("--profile", choices=list(PROFILE_NAMES), default=None,
                   help="kiosk, ship or logger (default: the settings' profile)")
    p.add_argument("--data-dir", type=folder_for_output, default=None, help="session files, claims outbox and totals "
                   "(default: the settings' data directory)")
    p.add_argument("--socket", type=Path, default=None, help="where views attach (default: "
                   "$XDG_RUNTIME_DIR/csm/session.sock)")
    p.add_argument("--no-discover", action="store_true", help="only the PORTs given; do not look for adapters")
    p.add_argument("--settings", type=existing_file, default=None,
                   help="settings file (default: the platform config dir)")
    p.add_argument("--region", default=None, type=region_code,
                   help="grid region for CO2 figures, e.g. DE (default: the settings')")
    p.add_argument("--tz", default="local", help="time zone of 'today' (IANA name such as Europe/Berlin, UTC, "
                   "or local: the machine's)")
    p.add_argument("--calibrations", type=calibration_records, default=None, help="calibration records directory")
    p.add_argument("--interval", type=number(minimum=0.05, maximum=3600, unit="s"),
                   default=0.5, metavar="S", help="seconds between figure updates")
    p.add_argument("--duration", type=seconds(), default=None, metavar="S", help="stop after S seconds "
                   "(default: until SIGTERM or Ctrl-C)")
    p.add_argument("--status", action="store_true", help="print the state of the running service as JSON "
                   "and exit")
    claims = p.add_argument_group("claims sync (the kiosk and ship profiles sync by themselves when given a "
                                  "deployment; without one claims stay in the outbox and the kiosk shows no "
                                  "claims line)")
    claims_chain_options(claims, required=False)
    p.add_argument("--flush-interval", type=seconds(), default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from carbon_smart_meter.app.view_client import ViewClient

    if args.status:
        with ViewClient(args.socket) as client:
            print(json.dumps(client.state()["state"], indent=1, sort_keys=True))
        return 0
    if not 0.05 <= args.interval <= 60:
        raise CsmError(f"--interval {args.interval}: use 0.05 to 60 seconds")
    if args.duration is not None and args.duration <= 0:
        raise CsmError(f"--duration {args.duration}: give a positive number of seconds")
    refuse_chain_options_without_chain(args)
    service = build_service(args)
    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        paths = service.run(done, duration=args.duration)
    finally:
        signal.signal(signal.SIGTERM, previous)
    for path in paths:
        print(path)
    return service.exit_status


def build_service(args: argparse.Namespace):  # -> SessionService (imported lazily: h5py, the chain stack)
    from carbon_smart_meter.app.profiles import profile_named
    from carbon_smart_meter.app.service import SessionService
    from carbon_smart_meter.app.session import LiveSession
    from carbon_smart_meter.app.station_figures import local_zone
    from carbon_smart_meter.calibration.store import CalibrationStore
    from carbon_smart_meter.settings import load_settings, read_settings

    if args.settings is not None:  # named on purpose: a service must not run on defaults when it is broken
        settings, problem = read_settings(args.settings), None
    else:
        settings, problem = load_settings()
    if problem:
        _say(f"settings: {problem}")
    if args.data_dir is not None:
        settings = replace(settings, data_dir=str(args.data_dir))
    if args.region is not None:
        settings = replace(settings, region=args.region)
    try:
        local_zone(args.tz)
    except (KeyError, ValueError) as exc:
        raise CsmError(f"--tz {args.tz!r} is not a time zone; use an IANA name such as Europe/Berlin, UTC or "
                       "local") from exc
    settings.validate()
    try:
        region_code(settings.region)  # a region from the settings file meets the same check as --region
    except argparse.ArgumentTypeError as exc:
        raise CsmError(f"settings file {args.settings or 'in the platform config dir'}: {exc}; fix it or give "
                       "--region") from None
    profile = profile_named(args.profile or settings.profile)
    options = {"flush_interval_s": args.flush_interval} if args.flush_interval else {}
    calibrations = CalibrationStore(args.calibrations) if args.calibrations else CalibrationStore()
    chain = None
    if args.chain:
        from carbon_smart_meter.chains.connect import adapter_factory

        # As `csm log`: the wallet is unlocked now (a wrong password fails at once), the node is reached at
        # each sync attempt, so a service started without a link records, queues and probes with backoff.
        chain = adapter_factory(args.chain, args.wallet, args.password_env, rpc=args.rpc, evm_fees=evm_fees(args))
    session = LiveSession(settings, profile, calibrations=calibrations, recorder_options=options, chain=chain)
    return SessionService(session, ports=args.ports, socket_path=args.socket, discover=not args.no_discover,
                          tz=args.tz, interval_s=args.interval, say=_say)
