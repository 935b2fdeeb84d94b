"""Child process of the kill -9 trials: a real-time device stream through the hub into the recorder.

Run as `python kill_trial_writer.py OUT_DIR RATE_HZ`. Prints `start` just before the HELLO that opens
the session file, then `published N` after every block (N samples published so far), flushing stdout,
until the parent kills it with SIGKILL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "storage"))
from session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.storage import SessionRecorder


def main() -> None:
    out, rate = Path(sys.argv[1]), int(sys.argv[2])
    period_ns = 10**9 // rate
    per_block = max(1, rate // 20)  # 50 ms blocks, as the firmware sends them
    hub = Hub()
    SessionRecorder(hub, out).start()  # the default flush interval: the bound under test
    print("start", flush=True)
    hub.publish(Envelope("dev", hello()))
    t0 = time.monotonic()
    first = 0
    while True:
        hub.publish(Envelope("dev", block(first, per_block, period_ns=period_ns)))
        first += per_block
        print(f"published {first}", flush=True)
        due = t0 + first / rate
        time.sleep(max(0.0, due - time.monotonic()))


if __name__ == "__main__":
    main()
