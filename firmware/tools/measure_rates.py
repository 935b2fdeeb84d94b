#!/usr/bin/env python3
"""Highest sample rate the emulated adapter sustains without transmit overflow or sample gaps.

Boots the firmware in QEMU with `-icount shift=4,sleep=off` (16 ns per instruction, i.e. 62.5 MIPS;
idle time is skipped, so virtual minutes take real seconds), sets a rate, and watches `--seconds` of
device time for TX_OVERFLOW events, first_sample gaps and seq gaps. The UART transport paces its
output at the build's modelled link rate against the device clock, so the link limit is measured on
the emulated board even though QEMU's UART itself is not rate-limited. Bisects between --low and
--high. Run from the repository root with the desktop venv:
    .venv/bin/python firmware/tools/measure_rates.py [--elf firmware/build/csm-fw-fast.elf]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import serial

from carbon_smart_meter.devices.firmware_emulator import DEFAULT_ELF, EmulatedAdapter
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import FrameDecoder


def sustained(elf: str, rate: int, seconds: float, icount: int) -> tuple[bool, str]:
    """One run; a run whose pty vanished (QEMU killed from outside) is repeated once."""
    for attempt in range(2):
        try:
            return _run(elf, rate, seconds, icount)
        except serial.SerialException as exc:
            if attempt:
                raise
            print(f"  retrying {rate} Hz after a lost pty: {exc}", flush=True)
    raise AssertionError("unreachable")


def _run(elf: str, rate: int, seconds: float, icount: int) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as state:
        emu = EmulatedAdapter(elf, icount=icount, state_dir=state, paused=True)
        emu.command_extra = ["sleep=off"]
        emu.start()
        try:
            port = serial.Serial(emu.port, 115200, timeout=0.05)
            emu.resume()
            port.write(m.encode_message(m.SetRate(rate), 0))
            dec = FrameDecoder()
            start_t0 = None
            overflow = gaps = 0
            expected = None
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                for frame in dec.feed(port.read(1 << 16)):
                    msg = m.decode_message(frame)
                    if isinstance(msg, m.Event) and msg.code == m.EventCode.TX_OVERFLOW:
                        overflow += msg.arg0
                    if isinstance(msg, m.SampleBlock) and msg.period_ns == 1_000_000_000 // rate:
                        if expected is not None and msg.first_sample != expected:
                            gaps += msg.first_sample - expected
                        expected = msg.end_sample
                        start_t0 = start_t0 if start_t0 is not None else msg.t0_us
                        if msg.t0_us - start_t0 >= seconds * 1e6:
                            lost = dec.stats.frames_lost
                            ok = overflow == 0 and gaps == 0 and lost == 0
                            return ok, f"overflowed frames {overflow}, samples lost {gaps}, seq gaps {lost}"
            return False, "timed out"
        finally:
            emu.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elf", default=str(DEFAULT_ELF))
    ap.add_argument("--low", type=int, default=100)
    ap.add_argument("--high", type=int, default=50_000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--icount", type=int, default=4)
    args = ap.parse_args()
    ok, why = sustained(args.elf, args.high, args.seconds, args.icount)
    print(f"{args.high} Hz: {'sustained' if ok else 'NOT sustained'} ({why})", flush=True)
    if ok:
        return
    lo, hi = args.low, args.high
    while hi - lo > max(10, lo // 100):
        mid = (lo + hi) // 2
        ok, why = sustained(args.elf, mid, args.seconds, args.icount)
        print(f"{mid} Hz: {'sustained' if ok else 'NOT sustained'} ({why})", flush=True)
        lo, hi = (mid, hi) if ok else (lo, mid)
    print(f"highest sustained rate: {lo} Hz over {args.seconds:.0f} s of device time ({args.elf})")


if __name__ == "__main__":
    main()
