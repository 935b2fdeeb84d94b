"""`csm gui`: the logger window."""

from __future__ import annotations

import argparse
from pathlib import Path

from carbon_smart_meter.commands.arguments import existing_file, number, seconds, waited_serial_port, whole
from carbon_smart_meter.commands.devices import MAX_SPEED
from carbon_smart_meter.devices.sim_device import MAX_RATE_HZ


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the logger window (live plots, recording, review, export)",
                       description="Opens the desktop logger. Connect adapters from the device panel, or "
                                   "start with simulators for a demonstration.")
    p.add_argument("--simulators", type=whole(minimum=0, maximum=8), default=0, metavar="N",
                   help="start N simulated adapters (0..8)")
    p.add_argument("--rate", type=whole(minimum=1, maximum=MAX_RATE_HZ, unit="Hz"), default=1000,
                   help=f"sample rate of the simulators, Hz (1..{MAX_RATE_HZ})")
    p.add_argument("--speed", type=number(above=0.0, maximum=MAX_SPEED), default=1.0,
                   help="time acceleration of the simulators")
    p.add_argument("--longitude", type=number(minimum=-180.0, maximum=180.0, unit="degrees"), default=None,
                   help="degrees east: the simulated sun follows local solar time there (default: the "
                        "location in the settings, else 0, i.e. UTC)")
    p.add_argument("--daytime", action="store_true",
                   help="start the simulated clocks at the last 10:00 solar time, so a demo at night shows sun")
    p.add_argument("--port", action="append", type=waited_serial_port, default=[],
                   help="connect this serial port (repeatable)")
    p.add_argument("--record", action="store_true", help="start recording at once")
    p.add_argument("--review", action="append", type=existing_file, default=[], metavar="FILE",
                   help="open a session file in the review view (repeatable)")
    p.add_argument("--settings", type=Path, help="settings file (default: the platform config directory)")
    p.add_argument("--quit-after", type=seconds(allow_zero=True), default=0.0, metavar="S", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from carbon_smart_meter.commands.display import require_display

    require_display()  # Qt aborts the process when it cannot open a window: say why in one line instead
    from carbon_smart_meter.ui.app import run  # Qt is imported only when the window is wanted

    return run(simulators=args.simulators, rate=args.rate, speed=args.speed, ports=args.port,
               review=args.review, record=args.record, settings_file=args.settings,
               quit_after_s=args.quit_after, longitude=args.longitude, daytime=args.daytime)

