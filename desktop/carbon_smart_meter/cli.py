"""`csm` command line: a thin table of subcommands, each defined in its own module under `commands/`.

Each entry names a module with `register(subparsers)`; that function adds its parser and sets
`func(args) -> int`. Whatever goes wrong reaches the user as one line on stderr and a non-zero exit:
usage errors (exit 2), refusals the code foresaw (`CsmError`, exit 1), files the system would not
give us (OSError, exit 1) and, as a last resort, bugs (exit 70, traceback with CSM_DEBUG=1).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from carbon_smart_meter import __version__
from carbon_smart_meter.errors import CsmError

COMMAND_MODULES = [
    "carbon_smart_meter.commands.devices",       # devices, simulate
    "carbon_smart_meter.commands.monitor",       # monitor
    "carbon_smart_meter.commands.session_files", # log, inspect, export, repair
    "carbon_smart_meter.commands.calibrate",     # calibrate
    "carbon_smart_meter.commands.offsets",       # offsets
    "carbon_smart_meter.commands.verify",        # verify
    "carbon_smart_meter.commands.report",        # report
    "carbon_smart_meter.commands.gui",           # gui
    "carbon_smart_meter.commands.serve",         # serve
    "carbon_smart_meter.commands.kiosk",         # kiosk
    "carbon_smart_meter.commands.chain",        # chain networks, list, show, deploy
    "carbon_smart_meter.commands.wallet",       # wallet new, import, show, list
    "carbon_smart_meter.commands.bind",         # bind
    "carbon_smart_meter.commands.claims",       # claims status, sync, export, import, submit
    "carbon_smart_meter.commands.mqtt",          # mqtt (Home Assistant)
    "carbon_smart_meter.commands.fleet",         # fleet ingest, report, export, simulate
    "carbon_smart_meter.commands.demo",          # demo
]

EXIT_BUG = 70  # sysexits.h EX_SOFTWARE
EXIT_PIPE = 141  # what a shell reports for a process ended by SIGPIPE (`csm inspect F | head`)


class CsmArgumentParser(argparse.ArgumentParser):
    """Usage errors as one line that names the command and where to look, not a usage dump."""

    deepest: CsmArgumentParser | None = None  # the (sub)command parser that parsed last: it names the command

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")

    def parse_known_args(self, args=None, namespace=None):
        # A subcommand's parser runs inside its parent's, so the last one to start is the innermost: an
        # unknown option is then reported against `csm fleet simulate`, not against `csm`.
        CsmArgumentParser.deepest = self
        return super().parse_known_args(args, namespace)


def build_parser() -> argparse.ArgumentParser:
    parser = CsmArgumentParser(prog="csm", description="Carbon Smart Meter: log, verify and claim solar energy")
    parser.add_argument("--version", action="version", version=f"csm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CsmArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: list[str] | None = None) -> int:
    code = _run(argv)
    from carbon_smart_meter.storage.session_file import abandoned_files

    if abandoned_files() and argv is None:  # a command's own process, not a caller's (tests call main(argv))
        # Everything flushed was synced when the file was abandoned; what HDF5 would do at exit is close
        # its handles, which can crash after a write error. Leave without it, keeping the exit status.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        (CsmArgumentParser.deepest or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    name = f"csm {args.command}"
    try:
        return int(args.func(args) or 0)
    except CsmError as exc:
        print(f"{name}: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, and keep Python's own flush at
        # exit from raising again on the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"{name}: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("CSM_DEBUG"):
            raise
        print(f"{name}: unexpected error ({type(exc).__name__}: {_one_line(str(exc))}); this is a bug: run "
              "again with CSM_DEBUG=1 for the details and report it", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
