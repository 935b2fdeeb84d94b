"""Size and start-up figures of the PyInstaller bundle, against the same code run from source.

    python scripts/measure_bundle.py build/dist/csm [--runs 3] [--json OUT]

Reports, and writes to build/dist/measurements.json:
- the bundle's size on disk and the .deb's size next to it (target: bundle <= 150 MB);
- `csm --version` wall time (the whole command table is imported), bundle and source;
- start to first paint of the logger window (offscreen Qt): a fresh process imports the UI, builds the
  window and spins the event loop until the plots have painted once, timed from just before the
  process is started (target <= 1.5 s). The same probe (carbon_smart_meter/ui/first_paint.py, also the
  start-up benchmark's) runs through the bundle (`csm -m ...`, which the frozen entry point accepts)
  and through the venv's Python, so the ratio says what freezing costs on this machine at this moment.
The first run of each is the cold one (the page cache is dropped first when this process may do so,
which needs root outside a container; the report says whether it was). Figures are printed, never
asserted: they depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE_TARGET_MB = 150.0
PAINT_TARGET_S = 1.5

PROBE = ["-m", "carbon_smart_meter.ui.first_paint"]  # prints seconds from argv[1] to first paint


def drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def size_bytes(path: Path) -> int:
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - t


def first_paint(cmd: list[str], env: dict[str, str]) -> float:
    out = subprocess.run([*cmd, *PROBE, repr(time.time())], env=env, capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"the first-paint probe failed ({' '.join(cmd)}): {out.stderr.strip()[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def series(fn, runs: int, cold: bool) -> tuple[list[float], bool]:
    dropped = drop_page_cache() if cold else False
    return [fn() for _ in range(runs)], dropped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bundle", type=Path, help="the one-folder bundle (build/dist/csm)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None, help="default: measurements.json beside the bundle")
    args = ap.parse_args()
    exe = args.bundle / "csm"
    if not exe.is_file():
        print(f"measure_bundle: no bundle at {args.bundle}: run `make dist` first", file=sys.stderr)
        return 1
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": home,
               "XDG_CONFIG_HOME": f"{home}/config", "XDG_DATA_HOME": f"{home}/data",
               "CSM_SETTINGS": f"{home}/settings.toml"}
        src_env = {**env, "PYTHONPATH": str(root / "desktop")}
        source = [sys.executable]
        bundle_version, dropped_v = series(lambda: timed([str(exe), "--version"], env), args.runs, cold=True)
        source_version, _ = series(lambda: timed([*source[:1], "-m", "carbon_smart_meter.cli", "--version"],
                                                 src_env), args.runs, cold=False)
        bundle_paint, dropped_p = series(lambda: first_paint([str(exe)], env), args.runs, cold=True)
        source_paint, _ = series(lambda: first_paint(source, src_env), args.runs, cold=False)
    debs = sorted(args.bundle.parent.glob("*.deb"))
    result = {
        "bundle": str(args.bundle),
        "bundle_mb": round(size_bytes(args.bundle) / 1e6, 1),
        "deb_mb": round(debs[-1].stat().st_size / 1e6, 1) if debs else None,
        "page_cache_dropped": dropped_v and dropped_p,
        "version_s": {"bundle": bundle_version, "source": source_version},
        "first_paint_s": {"bundle": bundle_paint, "source": source_paint},
        "first_paint_ratio_bundle_to_source": round(min(bundle_paint) / min(source_paint), 2),
        "targets": {"bundle_mb": SIZE_TARGET_MB, "first_paint_s": PAINT_TARGET_S},
    }
    out = args.json or args.bundle.parent / "measurements.json"
    out.write_text(json.dumps(result, indent=1) + "\n")

    def fmt(xs: list[float]) -> str:
        return f"first {xs[0]:.2f} s, best {min(xs):.2f} s"

    cold = "after dropping the page cache" if result["page_cache_dropped"] else "page cache not dropped (not permitted)"
    print(f"bundle size     {result['bundle_mb']} MB (target <= {SIZE_TARGET_MB:.0f} MB)"
          + (f"; .deb {result['deb_mb']} MB" if debs else ""))
    print(f"csm --version   bundle {fmt(bundle_version)}; source {fmt(source_version)} ({cold})")
    print(f"first paint     bundle {fmt(bundle_paint)}; source {fmt(source_paint)}; "
          f"bundle/source {result['first_paint_ratio_bundle_to_source']} (target <= {PAINT_TARGET_S} s)")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
