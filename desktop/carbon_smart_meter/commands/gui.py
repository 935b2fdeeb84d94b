"""`csm gui`: the logger window."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the logger window (live plots, recording, review, export)",
                       description="Opens the desktop logger. Connect adapters from the device panel, or "
                                   "start with simulators for a demonstration.")
    p.add_argument("--simulators", type=int, default=0, metavar="N", help="start N simulated adapters")
    p.add_argument("--rate", type=int, default=1000, help="sample rate of the simulators, Hz")
    p.add_argument("--speed", type=float, default=1.0, help="time acceleration of the simulators")
    p.add_argument("--port", action="append", default=[], help="connect this serial port (repeatable)")
    p.add_argument("--record", action="store_true", help="start recording at once")
    p.add_argument("--review", action="append", type=Path, default=[], metavar="FILE",
                   help="open a session file in the review view (repeatable)")
    p.add_argument("--settings", type=Path, help="settings file (default: the platform config directory)")
    p.add_argument("--quit-after", type=float, default=0.0, metavar="S", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from carbon_smart_meter.commands.display import require_display

    require_display()  # Qt aborts the process when it cannot open a window: say why in one line instead
    from carbon_smart_meter.ui.app import run  # Qt is imported only when the window is wanted

    return run(simulators=args.simulators, rate=args.rate, speed=args.speed, ports=args.port,
               review=args.review, record=args.record, settings_file=args.settings,
               quit_after_s=args.quit_after)
