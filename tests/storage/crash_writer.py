"""A real writer process for the kill -9 tests: writes blocks, prints the row count after each flush.

Run as `python crash_writer.py OUT.h5 SEED [file|recorder]`; the parent kills it with SIGKILL at a random
moment and checks that the file still holds at least the last row count printed. `recorder` runs the
whole hub -> SessionRecorder thread path (the file is then created in OUT.h5's directory).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from session_records import block, checkpoint, hello

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.session_file import SessionFile


def recorder_mode(out_dir: Path) -> None:
    import time

    from carbon_smart_meter.acquisition.hub import Hub
    from carbon_smart_meter.acquisition.records import Envelope
    from carbon_smart_meter.storage import SessionRecorder

    hub = Hub()
    rec = SessionRecorder(hub, out_dir, flush_interval_s=0.05).start()
    hub.publish(Envelope("crash", hello()))
    while "crash" not in rec.paths_by_source:
        time.sleep(0.01)
    print(f"ready {rec.paths_by_source['crash']}", flush=True)
    first = 0
    while True:
        hub.publish(Envelope("crash", block(first, 1000)))
        first += 1000
        time.sleep(0.001)
        print(f"flushed {rec.flushed_rows.get('crash', 0)} 0", flush=True)


def main() -> None:
    out, seed = Path(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[3] == "recorder":
        recorder_mode(out.parent)
        return
    h = hello()
    f = SessionFile(
        out,
        source="crash",
        hello=h,
        conversion=Conversion.factory(h.v_lsb, h.i_lsb),
        profile="logger",
        region="test",
        chunk_rows=4096,
    )
    first = 0
    k = 0
    print("ready", flush=True)
    while True:
        n = 200 + (seed * 7919 + k * 104729) % 1800
        f.add_block(block(first, n), 0, 0)
        first += n
        k += 1
        if k % 10 == 0:
            f.add_checkpoint(checkpoint(k // 10, k), 0, 0)
            f.add_event("host", "test", f"event {k}")
        if k % 5 == 0:
            f.flush()
            print(f"flushed {f.rows_flushed} {f.tables['checkpoints'].rows}", flush=True)


if __name__ == "__main__":
    main()
