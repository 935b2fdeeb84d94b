"""`csm calibrate PORT --reference ...`: guided two-point / least-squares calibration of a live device."""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from carbon_smart_meter.calibration.session import CalibrationPlan, Measurement, run
from carbon_smart_meter.calibration.store import CalibrationStore, default_root
from carbon_smart_meter.commands.arguments import calibration_folder, seconds, serial_port, whole
from carbon_smart_meter.errors import CalibrationError, DeviceError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="calibrate a device against a reference meter (two or more points)")
    p.add_argument("port", type=serial_port, help="serial port or simulator pty")
    p.add_argument("--reference", action="append", default=[], metavar="READINGS",
                   help="reference reading(s) of one point, e.g. '12.003 V, 2.501 A'; repeat per point. "
                        "Without it you are prompted point by point.")
    p.add_argument("--operator", required=True)
    p.add_argument("--instrument", required=True, help="reference meter make and model")
    p.add_argument("--certificate", required=True, help="calibration certificate of the reference meter")
    p.add_argument("--uncertainty-voltage", required=True, help="stated uncertainty, e.g. '0.05 %%' or '2 mV'")
    p.add_argument("--uncertainty-current", required=True, help="stated uncertainty, e.g. '0.1 %%' or '1 mA'")
    p.add_argument("--shunt", help="measured shunt resistance, e.g. '2.000 mohm' (default: previous record)")
    p.add_argument("--shunt-lsb", help="volts across the shunt per current code, e.g. '312.5 nV'")
    p.add_argument("--voltage-lsb", help="volts per voltage code, e.g. '195.3125 uV'")
    p.add_argument("--sensor-model", default="INA228")
    p.add_argument("--average", type=seconds(), default=2.0, help="seconds averaged per point")
    p.add_argument("--valid-days", type=whole(minimum=1, maximum=3650, unit="days"), default=365)
    p.add_argument("--id", dest="record_id", help="record id (<= 16 ASCII characters)")
    p.add_argument("--calibrations", type=calibration_folder, default=None,
                   help=f"record store (default {default_root()})")
    p.add_argument("--yes", action="store_true", help="do not wait for Enter between points")
    p.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from carbon_smart_meter.acquisition.session import Acquisition
    from carbon_smart_meter.protocol import messages as m

    store = CalibrationStore(args.calibrations) if args.calibrations else CalibrationStore()
    with Acquisition() as acq:
        sub = acq.hub.subscribe([m.SampleBlock, m.Hello], maxsize=100_000, name="calibrate")
        source = acq.add_device(args.port)
        hello = _wait_hello(sub, 15.0)

        def measure() -> Measurement:
            sub.drain()  # start averaging from now, not from what queued while the operator typed
            v: list[np.ndarray] = []
            i: list[np.ndarray] = []
            end = time.monotonic() + args.average
            while time.monotonic() < end:
                env = sub.get(timeout=0.1)
                if env is not None and isinstance(env.record, m.SampleBlock):
                    v.append(env.record.voltage_codes)
                    i.append(env.record.current_codes)
            if not v:
                raise DeviceError(f"no samples from {source} in {args.average} s")
            vv, ii = np.concatenate(v).astype(np.float64), np.concatenate(i).astype(np.float64)
            return Measurement(float(vv.mean()), float(ii.mean()), len(vv), float(vv.std()), float(ii.std()))

        plan = CalibrationPlan(
            device="0x" + hello.device.hex(), factory_v_lsb=hello.v_lsb, factory_i_lsb=hello.i_lsb,
            operator=args.operator, instrument=args.instrument, certificate=args.certificate,
            sensor_model=args.sensor_model, shunt=args.shunt, shunt_lsb=args.shunt_lsb,
            voltage_lsb=args.voltage_lsb, uncertainty_voltage=args.uncertainty_voltage,
            uncertainty_current=args.uncertainty_current, valid_days=args.valid_days,
            record_id=args.record_id, references=list(args.reference))
        print(f"calibrating {plan.device} on {args.port} (factory {hello.v_lsb:.6g} V/code, "
              f"{hello.i_lsb:.6g} A/code)")
        ask = (lambda prompt: (print(prompt), "")[1]) if args.yes else _ask
        result = run(plan, store, measure, ask)
    print(f"new record {result.record.id} -> {result.path}")
    print(f"history of {plan.device}: {len(result.history)} record(s)")
    for p in result.history:
        print(f"  {p}")
    return 0


def _ask(prompt: str) -> str:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise CalibrationError("input ended before the calibration was complete; nothing was written")
    return line.rstrip("\n")


def _wait_hello(sub, timeout: float):
    from carbon_smart_meter.protocol import messages as m

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        env = sub.get(timeout=0.2)
        if env is not None and isinstance(env.record, m.Hello):
            return env.record
    raise DeviceError(f"no HELLO from the device within {timeout:.0f} s: is it the right port?")
