#!/usr/bin/env python3
"""Make the README's example MRV report from a freshly recorded simulated session, so it stays true.

    .venv/bin/python scripts/make_example_report.py [--out docs/examples/mrv-report] [--hours 14]

A simulated 50 W adapter in Bengaluru runs the daylight hours of 21 June 2026 (05:00-19:00 local solar time) at
high speed in its own process; the desktop records it over a pty with a calibration record, binds it to
a rewards deployment on a real EVM node (anvil, `make tools`) and claims two of its checkpoints there.
Then `csm report` makes the PDF, JSON and manifest, and pdftoppm (poppler-utils) draws the page images
the README shows. The session file itself (tens of MB) is not kept; the manifest names it by SHA-256.
Needs anvil (`make tools`) and pdftoppm (`make system-deps`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts import example_session as ex  # noqa: E402  (the repository root is on the path only now)

LATITUDE, LONGITUDE, REGION, REGION_NUMERIC, TZ = 12.97, 77.59, "IN", 356, "Asia/Kolkata"
DAY = dt.date(2026, 6, 21)  # a fixed day, so the report's file names (and the README's links) stay the same
PAGE_DPI = 72
PAGE_COLOURS = 96


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "examples" / "mrv-report")
    parser.add_argument("--hours", type=float, default=14.0, help="device hours of sunlight to record")
    parser.add_argument("--seconds", type=float, default=30.0, help="wall seconds to record them in")
    args = parser.parse_args()
    from carbon_smart_meter.devices.identity import simulator_key
    from carbon_smart_meter.devices.sim_device import I_LSB, V_LSB

    work = Path(tempfile.mkdtemp(prefix="csm-example-report-"))
    try:
        device = simulator_key(0).address
        ex.write_calibration(work / "calibrations", device, V_LSB, I_LSB, date=DAY - dt.timedelta(days=30),
                             valid_days=3650)
        start = ex.solar_morning(LONGITUDE, DAY, local_hour=5.0)
        print(f"[1/4] anvil, CsmRewards and a simulated 50 W adapter 0x{device.hex()}: {args.hours:g} h in "
              f"about {args.seconds:g} s", flush=True)
        with ex.anvil_chain(work / "deployments", int(start - 900)) as chain:
            with ex.simulator(start_unix=start, hours=args.hours, seconds=args.seconds, rate=50, panel_watts=50,
                              longitude=LONGITUDE, checkpoint_interval_s=900) as port:
                rec = ex.record(port, work / "sessions", calibrations=work / "calibrations", region=REGION,
                                until_unix=start + args.hours * 3600, chain=chain, region_numeric=REGION_NUMERIC)
            cks = rec.checkpoints
            for checkpoint in (cks[len(cks) // 2], cks[-1]):
                receipt = ex.claim(chain, checkpoint)
                print(f"[2/4] claimed checkpoint {checkpoint.message.seq}: {receipt.outcomes[0]}", flush=True)
            for old in args.out.glob("*"):
                if old.is_file():
                    old.unlink()
            args.out.mkdir(parents=True, exist_ok=True)
            env = dict(os.environ, CSM_DEPLOYMENTS=str(work / "deployments"), CSM_SETTINGS=str(work / "none.toml"))
            session = rec.files[0].relative_to(work)
            cmd = [sys.executable, "-m", "carbon_smart_meter.cli", "report", str(session), "--out", str(args.out),
                   "--chain", chain.name, "--tz", TZ, "--lat", str(LATITUDE), "--lon", str(LONGITUDE),
                   "--confirm-no-double-counting"]
            print("[3/4] csm " + " ".join(cmd[3:]), flush=True)
            subprocess.run(cmd, cwd=work, env=env, check=True)
        (pdf,) = args.out.glob("*.pdf")
        subprocess.run(["pdftoppm", "-r", str(PAGE_DPI), "-png", str(pdf), str(args.out / "page")], check=True)
        from PIL import Image

        for page in sorted(args.out.glob("page-*.png")):
            with Image.open(page) as im:
                small = im.convert("RGB").quantize(PAGE_COLOURS)
            small.save(page, optimize=True)
            print(f"[4/4] {page.relative_to(REPO) if page.is_relative_to(REPO) else page} "
                  f"({page.stat().st_size // 1024} KiB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
