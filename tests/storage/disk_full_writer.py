"""Child process for the size-limited test: RLIMIT_FSIZE caps how large any file may grow (EFBIG).

Arguments: output directory, file-size limit in bytes, free-space margin of the recorder in bytes
(JSON: null turns the guard off).

Prints one JSON line: the session path, rows flushed before the failure, and the storage events seen.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.storage import SessionRecorder


def main() -> None:
    out, limit, margin = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    hub = Hub()
    events = hub.subscribe([LinkEvent], name="ui")
    rec = SessionRecorder(hub, out, flush_interval_s=0.1, space_margin=margin).start()
    hub.publish(Envelope("dev", hello()))
    k, published_after_failure = 0, 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and published_after_failure < 50:
        hub.publish(Envelope("dev", block(k * 2000, 2000, seed=k % 7)))  # varying codes compress less
        k += 1
        if rec.failed:
            published_after_failure += 1
        time.sleep(0.002)
    flushed = rec.flushed_rows.get("dev", 0)
    paths = rec.stop()
    storage = [
        e.record.message for e in events.drain() if isinstance(e.record, LinkEvent) and e.record.kind == "storage"
    ]
    print(
        json.dumps(
            {
                "path": str(paths[0]),
                "flushed": flushed,
                "published": k,
                "after_failure": published_after_failure,
                "storage_events": storage,
                "failed": rec.failed,
            }
        )
    )


if __name__ == "__main__":
    main()
