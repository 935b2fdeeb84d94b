"""kill -9 trials of the whole recording path at real-time rates: no unreadable file, ever, and how much
of the newest data a kill takes (the lost tail), with and without a machine under heavy load.

A child process streams 1 kHz blocks in real time through the hub into the recorder (default flush
interval) and is killed with SIGKILL at a random moment: a fifth of the trials within 50 ms of the
session file's creation, the rest within 3 s. Every session file left must open with our reader, hold
its samples in order, and repair to a normal file. Reported: unreadable files (must be 0) and the lost
tail distribution (samples published before the kill but not in the file, in seconds of data).
Benchmark size: CSM_KILL_TRIALS (default 12 in the normal test run; `make bench` runs 100).
Run: .venv/bin/pytest -s tests/benchmarks/test_kill_trials.py
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.storage import Session
from carbon_smart_meter.storage.repair import repair

pytestmark = pytest.mark.benchmark
WRITER = Path(__file__).with_name("kill_trial_writer.py")
TRIALS = int(os.environ.get("CSM_KILL_TRIALS", "12"))
RATE = 1000
BURNERS = 3  # busy processes on a 2-core machine: "heavy load"


def _trial(out: Path, seed: int) -> dict:
    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, str(WRITER), str(out), str(RATE)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    published = [0]
    started = threading.Event()

    def pump() -> None:
        for line in proc.stdout:
            if line.startswith("start"):
                started.set()
            elif line.startswith("published"):
                published[0] = int(line.split()[1])

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    assert started.wait(60), "the writer never started"
    early = rng.random() < 0.2
    time.sleep(rng.uniform(0.0, 0.05) if early else rng.uniform(0.05, 3.0))
    at_kill = published[0]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    files = [p for p in out.iterdir() if p.suffix == ".h5" and not p.name.startswith(".")]
    result = {"early": early, "files": len(files), "unreadable": 0, "stored": 0, "published": at_kill}
    for p in files:
        try:
            with Session(p) as s:
                n = s.rows()
                idx = s.samples("sample_index", 0, n)
                assert np.array_equal(idx, np.arange(n, dtype=np.uint64)), "rows out of order"
                result["stored"] = n
            repair(p)
            with Session(p) as s:
                assert not s.swmr and s.rows() >= result["stored"]
        except (StorageError, OSError) as exc:
            result["unreadable"] += 1
            result["error"] = str(exc)
    result["lost_s"] = max(0, at_kill - result["stored"]) / RATE
    return result


def _burn() -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(BURNERS)]


def _report(label: str, results: list[dict]) -> str:
    lost = np.array([r["lost_s"] for r in results if r["files"]])
    q = np.percentile(lost, [50, 90, 99]) if lost.size else [np.nan] * 3
    return (f"{label:>10}: {len(results)} trials ({sum(r['early'] for r in results)} within 50 ms of creation, "
            f"{sum(not r['files'] for r in results)} killed before the file had its name), unreadable "
            f"{sum(r['unreadable'] for r in results)}; lost tail s: median {q[0]:.3f}, p90 {q[1]:.3f}, "
            f"p99 {q[2]:.3f}, max {lost.max() if lost.size else float('nan'):.3f}")


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_kill_9_trials_leave_no_unreadable_file_and_report_the_lost_tail(tmp_path: Path) -> None:
    results: dict[str, list[dict]] = {"idle": [], "loaded": []}
    for k in range(TRIALS):
        loaded = k % 2 == 1
        burners = _burn() if loaded else []
        try:
            out = tmp_path / f"t{k}"
            out.mkdir()
            results["loaded" if loaded else "idle"].append(_trial(out, k))
        finally:
            for b in burners:
                b.kill()
                b.wait()
    print()
    for label, rs in results.items():
        print(_report(label, rs))
    errors = [r.get("error") for rs in results.values() for r in rs if r["unreadable"]]
    assert not errors, errors
