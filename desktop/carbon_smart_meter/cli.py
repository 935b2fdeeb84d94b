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
    "carbon_smart_meter.commands.devices",       # devices, simulate
    "carbon_smart_meter.commands.monitor",   # monitor
    "carbon_smart_meter.commands.session_files",       # log, inspect, export, repair
    "carbon_smart_meter.commands.calibrate",   # calibrate
    "carbon_smart_meter.commands.offsets",        # offsets
    "carbon_smart_meter.commands.verify",         # verify
    "carbon_smart_meter.commands.gui",            # gui
    "carbon_smart_meter.commands.chain",        # chain deploy
    "carbon_smart_meter.commands.demo",                   # demo
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
