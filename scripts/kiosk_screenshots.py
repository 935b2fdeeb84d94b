#!/usr/bin/env python3
"""Render the README's kiosk screenshots from the real programs: simulators, `csm serve`, `csm kiosk`.

    .venv/bin/python scripts/kiosk_screenshots.py [--out docs/screenshots] [--seconds 25]

Four simulated charging stations run 60x faster than real time under a noon sun (their longitude is
chosen so that it is local noon for them now), `csm serve` records them, and `csm kiosk` is started
twice offscreen: 1024x600 in English and 1920x1080 in German. Images: kiosk-1024x600.png and
kiosk-1920x1080-de.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]
NAMES = ["Pool bar", "Beach huts", "Kids' club", "Spa terrace"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    parser.add_argument("--seconds", type=float, default=25.0, help="wall seconds of recording before the shots")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="csm-k-", dir="/tmp"))
    now = dt.datetime.now(dt.UTC)
    longitude = ((12 - (now.hour + now.minute / 60)) * 15 + 180) % 360 - 180  # local solar noon now
    links = [work / f"st{i}" for i in range(len(NAMES))]
    stations = "".join(f'\n[[stations]]\nport = "{link}"\nname = "{name}"\n' for link, name in zip(links, NAMES,
                                                                                                   strict=True))
    (work / "kiosk.toml").write_text('title = "Solar charging by the pool"\n'
                                     'qr_url = "https://resort.example/solar?station={device}"\n' + stations)
    env = {**os.environ, "CSM_SETTINGS": str(work / "settings.toml"), "CSM_KIOSK_CONFIG": str(work / "kiosk.toml"),
           "QT_QPA_PLATFORM": "offscreen"}
    procs: list[subprocess.Popen] = []
    try:
        for i, link in enumerate(links):
            procs.append(subprocess.Popen([*CSM, "simulate", "--link", str(link), "--speed", "60", "--rate", "200",
                                           "--seed", str(40 + i), "--panel-watts", str(60 + 20 * i), "--longitude",
                                           f"{longitude:.1f}"], env=env, stdout=subprocess.DEVNULL))
        while not all(link.exists() for link in links):
            time.sleep(0.2)
        serve = subprocess.Popen([*CSM, "serve", *map(str, links), "--no-discover", "--profile", "kiosk",
                                  "--data-dir", str(work / "data"), "--socket", str(work / "s.sock"),
                                  "--region", "ES"], env=env, stdout=subprocess.DEVNULL)
        procs.append(serve)
        print(f"recording four stations for {args.seconds:.0f} s ...", file=sys.stderr)
        time.sleep(args.seconds)
        args.out.mkdir(parents=True, exist_ok=True)
        for size, language, name in (("1024x600", "en", "kiosk-1024x600.png"),
                                     ("1920x1080", "de", "kiosk-1920x1080-de.png")):
            subprocess.run([*CSM, "kiosk", "--socket", str(work / "s.sock"), "--windowed", size, "--language",
                            language, "--screenshot", str(args.out / name), "--quit-after", "4"], env=env, check=True)
            print(args.out / name)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGINT if p is not procs[-1] else signal.SIGTERM)
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
