"""A real writer process for the kill -9 tests: writes blocks, prints the row count after each flush.

Run as `python crash_writer.py OUT.h5 SEED`; the parent kills it with SIGKILL at a random moment and
checks that the file still holds at least the last row count printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from session_records import block, checkpoint, hello

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.session_file import SessionFile


def main() -> None:
    out, seed = Path(sys.argv[1]), int(sys.argv[2])
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
            print(f"flushed {f.rows_written} {f.tables['checkpoints'].rows}", flush=True)


if __name__ == "__main__":
    main()
