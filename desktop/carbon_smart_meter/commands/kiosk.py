"""`csm kiosk`: the fullscreen guest view of a running `csm serve`, and `--set-pin` for the staff PIN."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import replace
from pathlib import Path

from carbon_smart_meter.commands.arguments import seconds
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.settings import LANGUAGES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "kiosk", help="fullscreen guest view of the running session service (csm serve)",
        description="Shows every charging station of a running `csm serve` fullscreen for guests: power now, "
                    "today's energy, avoided CO2 (estimate), phone charges, rewards, totals since installation, "
                    "a QR code per station, four languages. The view only reads: recording goes on in the "
                    "service when the view is closed, killed or restarted. Staff exit: hold the top-left "
                    "corner for 3 s and enter the PIN (set it with --set-pin).")
    p.add_argument("--config", type=Path, default=None, help="kiosk.toml (default: the platform config dir, "
                   "or $CSM_KIOSK_CONFIG)")
    p.add_argument("--socket", type=Path, default=None, help="the service's socket (default: as csm serve)")
    p.add_argument("--language", choices=list(LANGUAGES), default=None, help="first language (default: the "
                   "config's)")
    p.add_argument("--windowed", default=None, metavar="WxH", help="a window of this size instead of fullscreen "
                   "(for trying it on a desktop)")
    p.add_argument("--set-pin", action="store_true", help="set the staff PIN (4-12 digits; asked on the terminal, "
                   "or read from --pin-env) and exit")
    p.add_argument("--pin-env", default=None, metavar="VAR", help="with --set-pin: read the PIN from this "
                   "environment variable")
    p.add_argument("--no-scanout", action="store_true", help="make the compositor composite every frame (cage "
                   "0.1.4 with software rendering freezes the screen on its first frame otherwise); the view does "
                   "this by itself when there is no GPU render node or WLR_RENDERER=pixman")
    p.add_argument("--quit-after", type=seconds(allow_zero=True), default=0.0, metavar="S", help=argparse.SUPPRESS)
    p.add_argument("--screenshot", type=Path, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_kiosk)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError as exc:
        raise CsmError(f"--windowed {text!r}: write WIDTHxHEIGHT, e.g. 1024x600") from exc
    if w < 320 or h < 240:
        raise CsmError(f"--windowed {text}: at least 320x240")
    return w, h


def cmd_kiosk(args: argparse.Namespace) -> int:
    from carbon_smart_meter.app.kiosk_config import default_config_path, hash_pin, read_config, save_config

    if args.set_pin:
        path = args.config or default_config_path()
        config = read_config(path)  # a broken file is refused here, before it is rewritten
        if args.pin_env:
            pin = os.environ.get(args.pin_env, "")
            if not pin:
                raise CsmError(f"--pin-env {args.pin_env}: that environment variable is empty or not set")
        else:
            pin = getpass.getpass("staff PIN (4-12 digits): ")
            if getpass.getpass("again: ") != pin:
                raise CsmError("the two PINs differ; nothing was changed")
        saved = save_config(replace(config, pin_hash=hash_pin(pin)), path)
        print(f"staff PIN stored (scrypt hash) in {saved}", file=sys.stderr)
        return 0
    windowed = _size(args.windowed) if args.windowed else None
    from carbon_smart_meter.ui.kiosk_app import run  # Qt only when a window is wanted

    return run(args.config, args.socket, language=args.language, windowed=windowed, quit_after_s=args.quit_after,
               screenshot=args.screenshot, no_scanout=args.no_scanout)
