"""`csm devices` and `csm simulate`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from carbon_smart_meter.devices.discovery import find_devices, register_simulator, unregister_simulator
from carbon_smart_meter.devices.faults import FaultSpec


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list adapters (USB) and running simulators")
    p.add_argument("--all", action="store_true", help="also list serial ports that are not adapters")
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("simulate", help="run a simulated adapter on a pseudo-terminal",
                       description="Prints the device path on its first line, then runs until Ctrl-C.",
                       )
    p.add_argument("--rate", type=int, default=1000, help="samples per second of device time (1..50000)")
    p.add_argument("--speed", type=float, default=1.0,
                   help="time acceleration: device seconds per wall second")
    p.add_argument("--seed", type=int, default=0, help="device key and weather seed")
    p.add_argument("--panel-watts", type=int, default=50, help="rated panel power, W")
    p.add_argument("--faults", default="",
                   help="corrupt=P,drop=P,disconnect=EVERY[:DOWN],reset=EVERY,drift=PPM")
    p.add_argument("--link", help="also make this path a symlink to the device (stable across reconnects)")
    p.add_argument("--checkpoint-interval", type=int, default=60, help="device seconds between checkpoints")
    p.add_argument("--duration", type=float, default=0, help="stop after this many wall seconds (0: never)")
    p.add_argument("--catch-up-hours", type=float, default=0,
                   help="start the device clock this many hours ago, run at --speed until it reaches now, "
                        "then continue in real time (demos: a day of data whose checkpoints are not in the future)")
    p.add_argument("--longitude", type=float, default=0.0,
                   help="degrees east; sets local solar time for the simulated sun (default 0: UTC)")
    p.add_argument("--firmware", action="store_true",
                   help="boot the real adapter firmware in qemu-system-arm instead of the Python model")
    p.set_defaults(func=cmd_simulate)


def cmd_devices(args: argparse.Namespace) -> int:
    found = find_devices(include_all_serial=args.all)
    if args.json:
        print(json.dumps([d.__dict__ for d in found]))
        return 0
    if not found:
        print("no adapters found. Plug one in, or start one with: csm simulate")
        return 0
    for d in found:
        print(f"{d.port}\t{d.kind}\t{d.description}")
    return 0


def _stop_on_sigterm() -> None:
    """Service managers and tests stop us with SIGTERM: close the port and print the counts first."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def cmd_simulate(args: argparse.Namespace) -> int:
    _stop_on_sigterm()
    if args.firmware:
        return _simulate_firmware(args)
    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    sim = SimulatedAdapter(rate=args.rate, speed=args.speed, seed=args.seed, panel_watts=args.panel_watts,
                           faults=FaultSpec.parse(args.faults), link=args.link,
                           checkpoint_interval_s=args.checkpoint_interval, longitude=args.longitude,
                           start_unix=time.time() - args.catch_up_hours * 3600 if args.catch_up_hours else None,
                           fast_forward_s=args.catch_up_hours * 3600 if args.catch_up_hours else None)
    sim.start()
    print(sim.port, flush=True)
    print(f"simulated adapter 0x{sim.address.hex()} ({args.panel_watts} W) at {args.rate} Hz, "
          f"speed x{args.speed:g}; Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        _serve(sim.port, f"simulator seed {args.seed}, {args.panel_watts} W, {args.rate} Hz", args.duration)
    finally:
        sim.close()
        s = sim.stats
        print(f"sent {s.frames_sent} frames, {s.samples_sent} samples, {s.checkpoints_sent} checkpoints; "
              f"faults: {s.frames_corrupted} corrupted, {s.frames_damaged_by_drop} damaged by drops, "
              f"{s.disconnects} disconnects, {s.resets} resets, {s.frames_overflowed} overflowed",
              file=sys.stderr)
    return 0


def _serve(port: str, description: str, duration: float) -> None:
    """Stay listed in `csm devices` until Ctrl-C, SIGTERM or `duration` seconds."""
    entry = register_simulator(port, description)
    try:
        deadline = time.monotonic() + duration if duration else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        unregister_simulator(entry)


def _simulate_firmware(args: argparse.Namespace) -> int:
    """The real adapter firmware in qemu-system-arm (build it with `make -C firmware qemu`)."""
    from carbon_smart_meter.devices.firmware_emulator import start_emulated_adapter

    with start_emulated_adapter() as emu:
        assert emu.port is not None, "start() found the pty or raised"
        print(emu.port, flush=True)
        print("emulated adapter firmware in qemu-system-arm (lm3s6965evb); Ctrl-C to stop", file=sys.stderr)
        _serve(emu.port, "emulated firmware (qemu lm3s6965evb)", args.duration)
    return 0
