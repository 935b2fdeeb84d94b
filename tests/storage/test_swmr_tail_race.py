"""A live reader never sees rows vanish while the writer moves whole chunks from the tail into /samples.

The writer grows /samples, then rewrites the tail and its state. A reader that refreshed the tail's
state but still holds the old length of /samples (or the reverse) sees a state naming another start;
it must look again instead of counting only the compressed rows (seen under load: the row count fell
and reading the last row returned nothing).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from session_records import block, hello

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.session_file import SessionFile

HERE = Path(__file__).parent

READER = """
import sys
sys.path.insert(0, {here!r})
import h5py, hdf5plugin
from carbon_smart_meter.storage.reader import Session, sample_rows, read_samples
from carbon_smart_meter.storage.layout import SAMPLES_TAIL
with Session(sys.argv[1]) as s:
    s.refresh()
    print(s.rows(), flush=True)
    sys.stdin.readline()  # the writer moved a chunk out of the tail meanwhile
    for group in s.h5:  # everything but /samples is refreshed: it still looks as short as before
        if group != "samples" and isinstance(s.h5[group], h5py.Group):
            for ds in s.h5[group].values():
                ds.refresh()
    n = sample_rows(s.h5)
    last = read_samples(s.h5, "sample_index", n - 1, n)
    print(n, int(last[0]) if len(last) else -1, flush=True)
"""


def test_a_reader_with_a_stale_view_of_samples_looks_again(tmp_path: Path) -> None:
    h = hello()
    path = tmp_path / "s.h5"
    f = SessionFile(path, source="dev", hello=h, conversion=Conversion.factory(h.v_lsb, h.i_lsb), profile="logger",
                    region="", chunk_rows=1000)
    f.add_block(block(0, 700), time.monotonic_ns(), time.time_ns())
    f.flush()  # 700 rows, all in the tail
    reader = subprocess.Popen([sys.executable, "-c", READER.format(here=str(HERE)), str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "700"
        for k in range(1, 6):  # 4,200 rows: four whole chunks move to /samples, 200 stay in the tail
            f.add_block(block(k * 700, 700), time.monotonic_ns(), time.time_ns())
        f.flush()
        reader.stdin.write("go\n")
        reader.stdin.flush()
        n, last = (int(x) for x in reader.stdout.readline().split())
    finally:
        reader.wait(30)
        f.close()
    assert (n, last) == (4200, 4199)
