"""Second-process reader for the SWMR test: prints the row count it sees, every 100 ms, for N seconds."""

from __future__ import annotations

import sys
import time

from carbon_smart_meter.storage import Session

path, seconds = sys.argv[1], float(sys.argv[2])
with Session(path) as s:
    print(f"swmr {int(s.swmr)}", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        s.refresh()
        n = s.rows()
        last = int(s.samples("sample_index", n - 1, n)[0]) if n else -1
        print(f"rows {n} {last}", flush=True)
        time.sleep(0.1)
