"""`csm` command line: a thin table of subcommands, each defined beside the code it drives.

Each entry names a module with `register(subparsers)`; that function adds its parser and sets
`func(args) -> int`. Keeping the commands beside their packages keeps this file a table.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from carbon_smart_meter import __version__
from carbon_smart_meter.errors import CsmError

COMMAND_MODULES = [
    "carbon_smart_meter.devices.commands",       # devices, simulate
    "carbon_smart_meter.acquisition.commands",   # monitor
    "carbon_smart_meter.storage.commands",       # log, inspect, export, repair
    "carbon_smart_meter.calibration.commands",   # calibrate
    "carbon_smart_meter.carbon.commands",        # offsets
    "carbon_smart_meter.ui.commands",            # gui
    "carbon_smart_meter.chains.commands",        # chain deploy
    "carbon_smart_meter.demo",                   # demo
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csm",
                                     description="Carbon Smart Meter: log, verify and claim solar energy")
    parser.add_argument("--version", action="version", version=f"csm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CsmError as exc:
        print(f"csm {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
