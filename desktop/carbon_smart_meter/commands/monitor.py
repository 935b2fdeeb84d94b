"""`csm monitor PORT`: live counters for one adapter, as text or one JSON object per second."""

from __future__ import annotations

import argparse
import json
import sys
import time

from carbon_smart_meter.acquisition.records import LinkEvent
from carbon_smart_meter.acquisition.session import Acquisition
from carbon_smart_meter.calibration.sources import SourceConversions
from carbon_smart_meter.calibration.store import CalibrationStore, default_root
from carbon_smart_meter.commands.arguments import calibration_records, seconds, waited_serial_port
from carbon_smart_meter.protocol import messages as m


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("monitor", help="live counters of one adapter (frames, samples, losses, power)")
    p.add_argument("port", type=waited_serial_port, help="serial port, simulator pty, pyserial URL or replay:FILE")
    p.add_argument("--json", action="store_true", help="print one JSON object per second")
    p.add_argument("--duration", type=seconds(allow_zero=True), default=0,
                   help="stop after this many seconds (0: until Ctrl-C)")
    p.add_argument("--no-time-sync", action="store_true", help="do not set the device clock on connect")
    p.add_argument("--calibrations", type=calibration_records, default=None,
                   help=f"calibration records (default {default_root()})")
    p.set_defaults(func=cmd_monitor)


def cmd_monitor(args: argparse.Namespace) -> int:
    # Volts and watts through the device's calibration, exactly as `csm log` records them.
    conversions = SourceConversions(CalibrationStore(args.calibrations) if args.calibrations else CalibrationStore())
    acq = Acquisition()
    sub = acq.hub.subscribe(maxsize=100_000, name="monitor")
    source = acq.add_device(args.port, sync_time=not args.no_time_sync)
    start = time.monotonic()
    last_samples, last_t = 0, start
    power_w = volts = amps = 0.0
    energy_mwh = None
    described = None
    calibration = "unknown"  # until the HELLO names the device
    try:
        while not args.duration or time.monotonic() - start < args.duration:
            deadline = time.monotonic() + 1.0
            while (left := deadline - time.monotonic()) > 0:
                env = sub.get(timeout=left)
                if env is None:
                    continue
                rec = env.record
                if isinstance(rec, m.SampleBlock):
                    hello = acq.hello(source)
                    if hello is not None:
                        resolved = conversions.for_hello(source, hello)
                        conv = resolved.conversion
                        calibration = conv.status
                        if resolved is not described and not args.json:
                            described = resolved
                            print(f"  {resolved.note or conv.describe()}", file=sys.stderr)
                        v, i, p = conv.convert(rec.voltage_codes[-64:], rec.current_codes[-64:])
                        volts, amps, power_w = float(v.mean()), float(i.mean()), float(p.mean())
                elif isinstance(rec, m.Checkpoint):
                    energy_mwh = rec.message.energy_mwh
                elif isinstance(rec, LinkEvent) and not args.json and rec.severity >= 1:
                    print(f"  ! {rec.kind}: {rec.message}", file=sys.stderr)
            st = acq.stats(source)
            now = time.monotonic()
            rate = (st.samples - last_samples) / (now - last_t)
            last_samples, last_t = st.samples, now
            row = {"t": round(now - start, 1), "source": source, "connected": st.connected,
                   "samples_per_s": round(rate), "volts": round(volts, 4), "amps": round(amps, 5),
                   "watts": round(power_w, 4), "calibration": calibration,
                   "device_energy_mwh": energy_mwh, **st.as_dict()}
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(f"{row['t']:7.1f}s {'up  ' if st.connected else 'DOWN'} {rate:9.0f} S/s "
                      f"{volts:6.3f} V {amps:7.4f} A {power_w:7.3f} W | frames {st.frames} "
                      f"lost {st.frames_lost} crc {st.crc_errors} cobs {st.cobs_errors} "
                      f"samples lost {st.samples_lost} resets {st.device_resets} reconnects {st.reconnects}",
                      flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        acq.stop()
    return 0
