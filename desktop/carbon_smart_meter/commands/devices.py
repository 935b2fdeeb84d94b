"""`csm devices` and `csm simulate`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from carbon_smart_meter.commands.arguments import link_path, number, seconds, whole
from carbon_smart_meter.devices.discovery import find_devices, register_simulator, unregister_simulator
from carbon_smart_meter.devices.faults import FaultSpec
from carbon_smart_meter.devices.sim_device import MAX_RATE_HZ

if TYPE_CHECKING:
    from carbon_smart_meter.claims.outbox import ClaimsOutbox

MAX_SPEED = 1e6  # a year of device time in half a minute: beyond that nothing downstream keeps up
MAX_PANEL_W = 10_000  # a 10 kW home retrofit; the adapter's attestation carries any watts up to this


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list adapters (USB) and running simulators")
    p.add_argument("--all", action="store_true", help="also list serial ports that are not adapters")
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                   help="the folder whose claims outbox knows this machine's devices and binds (`csm log --out`, "
                        "`csm bind --data-dir`; default: the settings' data directory)")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("simulate", help="run a simulated adapter on a pseudo-terminal",
                       description="Prints the device path on its first line, then runs until Ctrl-C.",
                       )
    p.add_argument("--rate", type=whole(minimum=1, maximum=MAX_RATE_HZ, unit="Hz"), default=1000,
                   help=f"samples per second of device time (1..{MAX_RATE_HZ})")
    p.add_argument("--speed", type=number(above=0.0, maximum=MAX_SPEED), default=1.0,
                   help="time acceleration: device seconds per wall second (more than 0)")
    p.add_argument("--seed", type=whole(minimum=0, maximum=2**32 - 1), default=0, help="device key and weather seed")
    p.add_argument("--panel-watts", type=whole(minimum=1, maximum=MAX_PANEL_W, unit="W"), default=50,
                   help="rated panel power, W")
    p.add_argument("--faults", default="",
                   help="corrupt=P,drop=P,disconnect=EVERY[:DOWN],reset=EVERY,drift=PPM")
    p.add_argument("--link", type=link_path,
                   help="also make this path a symlink to the device (stable across reconnects)")
    p.add_argument("--checkpoint-interval", type=whole(minimum=1, maximum=86_400, unit="s"), default=60,
                   help="device seconds between checkpoints")
    p.add_argument("--duration", type=seconds(allow_zero=True), default=0,
                   help="stop after this many wall seconds (0: never)")
    p.add_argument("--catch-up-hours", type=number(minimum=0.0, maximum=24 * 366, unit="h"), default=0,
                   help="start the device clock this many hours ago, run at --speed until it reaches now, "
                        "then continue in real time (demos: a day of data whose checkpoints are not in the future)")
    p.add_argument("--longitude", type=number(minimum=-180.0, maximum=180.0, unit="degrees"), default=0.0,
                   help="degrees east; sets local solar time for the simulated sun (default 0: UTC)")
    p.add_argument("--firmware", action="store_true",
                   help="boot the real adapter firmware in qemu-system-arm instead of the Python model")
    p.set_defaults(func=cmd_simulate)


def cmd_devices(args: argparse.Namespace) -> int:
    outbox = _known_outbox(args.data_dir)
    from carbon_smart_meter.claims.known_devices import binding_words, listing

    try:
        entries = listing(find_devices(include_all_serial=args.all), outbox)
    finally:
        if outbox is not None:
            outbox.close()
    if args.json:
        print(json.dumps(entries))
        return 0
    present = [e for e in entries if e["present"]]
    if not present:
        print("no adapters found. Plug one in, or start one with: csm simulate")
    for e in present:
        device = e["device"] or "device not known here"
        print(f"{e['port']}\t{e['kind']}\t{e['description']}\t{device}\t{binding_words(e)}")
    for e in entries:
        if not e["present"]:
            print(f"(not plugged in)\t{e['device']}\tlast seen {e['last_seen_utc'] or 'never'} on "
                  f"{e['last_port'] or '-'}\t{binding_words(e)}")
    return 0


def _known_outbox(data_dir: Path | None) -> ClaimsOutbox | None:
    """The outbox that remembers this machine's devices, or None when there is none yet (never created here).

    A data directory named with --data-dir must exist; the settings' default may not exist yet (a fresh
    machine lists its ports all the same)."""
    from carbon_smart_meter.app.session import OUTBOX_NAME
    from carbon_smart_meter.claims.outbox import ClaimsOutbox
    from carbon_smart_meter.errors import CsmError

    if data_dir is not None:
        folder = Path(data_dir).expanduser()
        if not folder.is_dir():
            raise CsmError(f"--data-dir {folder} is not a folder: name the data directory of `csm log --out` or "
                           "`csm bind --data-dir`")
    else:
        from carbon_smart_meter.settings import load_settings

        folder = Path(load_settings()[0].data_dir).expanduser()
    path = folder / OUTBOX_NAME
    if not path.is_file():
        return None
    return ClaimsOutbox(path)


def _stop_on_sigterm() -> None:
    """Service managers and tests stop us with SIGTERM: close the port and print the counts first."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def cmd_simulate(args: argparse.Namespace) -> int:
    _stop_on_sigterm()
    if args.firmware:
        return _simulate_firmware(args)
    from carbon_smart_meter.devices.sim_transport import TX_BUFFER_BYTES
    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    sim = SimulatedAdapter(rate=args.rate, speed=args.speed, seed=args.seed, panel_watts=args.panel_watts,
                           faults=FaultSpec.parse(args.faults), link=args.link,
                           checkpoint_interval_s=args.checkpoint_interval, longitude=args.longitude,
                           start_unix=time.time() - args.catch_up_hours * 3600 if args.catch_up_hours else None,
                           fast_forward_s=args.catch_up_hours * 3600 if args.catch_up_hours else None)
    sim.start()
    print(sim.port, flush=True)
    say = _stderr
    say(f"simulated adapter 0x{sim.address.hex()} ({args.panel_watts} W) at {args.rate} Hz, "
        f"speed x{args.speed:g}; Ctrl-C to stop")
    fill_s = TX_BUFFER_BYTES / (WIRE_BYTES_PER_SAMPLE * args.rate * args.speed)
    say(f"like the adapter, it drops whole frames when nobody reads: its {TX_BUFFER_BYTES // 1024} KiB transmit "
        f"buffer holds about {_duration(fill_s)} of samples, so start the host (csm monitor, csm log, csm gui) "
        "within that time or it counts the frames dropped before it came as lost")
    watch = _OverflowWatch(sim, say)
    try:
        _serve(sim.port, f"simulator seed {args.seed}, {args.panel_watts} W, {args.rate} Hz", args.duration,
               tick=watch.check, device=sim.address)
    finally:
        sim.close()
        s = sim.stats
        say(f"sent {s.frames_sent} frames, {s.samples_sent} samples, {s.checkpoints_sent} checkpoints; "
            f"faults: {s.frames_corrupted} corrupted, {s.frames_damaged_by_drop} damaged by drops, "
            f"{s.disconnects} disconnects, {s.resets} resets, {s.frames_overflowed} overflowed "
            f"({s.samples_overflowed} samples dropped while nobody read fast enough)")
    return 0


WIRE_BYTES_PER_SAMPLE = 8  # a voltage and a current code, int32 each (PROTOCOL.md 3.2)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s" if seconds >= 2 else f"{seconds:.1f} s"


class _OverflowWatch:
    """Says when the transmit buffer starts dropping frames (nobody reads, or too slowly) and when a
    reader has caught up again, so lost samples in the host's counters are never a mystery."""

    def __init__(self, sim, say) -> None:
        self.sim, self.say = sim, say
        self.dropping = False
        self.samples_at_start = 0

    def check(self) -> None:
        st = self.sim.stats
        queued = self.sim.transport.queued
        if not self.dropping and st.samples_overflowed > self.samples_at_start:
            self.dropping = True
            self.say("transmit buffer full (no host reads, or it reads too slowly): dropping whole frames from now "
                     "on; the host will count them as lost samples (TX_OVERFLOW)")
        elif self.dropping and queued < self.sim.transport.buffer_bytes // 4:
            self.dropping = False
            lost = st.samples_overflowed - self.samples_at_start
            self.samples_at_start = st.samples_overflowed
            self.say(f"a host reads again: {lost:,} samples were dropped while nobody read")


def _serve(port: str, description: str, duration: float, tick: Callable[[], None] | None = None,
           device: bytes | None = None) -> None:
    """Stay listed in `csm devices` until Ctrl-C, SIGTERM or `duration` seconds."""
    entry = register_simulator(port, description, device)
    try:
        deadline = time.monotonic() + duration if duration else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
            if tick is not None:
                tick()
    except KeyboardInterrupt:
        pass
    finally:
        unregister_simulator(entry)


def _simulate_firmware(args: argparse.Namespace) -> int:
    """The real adapter firmware in qemu-system-arm (build it with `make -C firmware qemu`).

    With `--link PATH` the pty is also reachable at PATH, so another command can be started on a path
    known in advance (`csm simulate --firmware --link /tmp/fw & csm log /tmp/fw ...`)."""
    from carbon_smart_meter.devices.firmware_emulator import start_emulated_adapter

    with start_emulated_adapter() as emu:
        assert emu.port is not None, "start() found the pty or raised"
        port = emu.port
        if args.link is not None:
            _link(args.link, port)
            port = str(args.link)
        print(port, flush=True)
        print("emulated adapter firmware in qemu-system-arm (lm3s6965evb); Ctrl-C to stop", file=sys.stderr)
        try:
            _serve(port, "emulated firmware (qemu lm3s6965evb)", args.duration)
        finally:
            if args.link is not None:
                args.link.unlink(missing_ok=True)
    return 0


def _link(link: Path, target: str) -> None:
    """Point `link` at `target` atomically (a reader never sees it missing)."""
    tmp = link.with_name(link.name + ".tmp")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    tmp.replace(link)
