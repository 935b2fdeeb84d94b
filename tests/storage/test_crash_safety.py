"""kill -9 of a real writer process at random moments never loses a flushed row, and repair is lossless."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from session_records import expected_codes

from carbon_smart_meter.storage import Session
from carbon_smart_meter.storage.repair import repair

WRITER = Path(__file__).with_name("crash_writer.py")
TRIALS = int(os.environ.get("CSM_CRASH_TRIALS", "25"))


def _kill_at_random(path: Path, seed: int, mode: str = "file") -> tuple[int, int, Path]:
    """Start the writer, SIGKILL it after a random delay; return the last flushed rows and checkpoints and
    the file's path."""
    proc = subprocess.Popen([sys.executable, str(WRITER), str(path), str(seed), mode], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    ready = proc.stdout.readline().split()
    assert ready[0] == "ready"
    if len(ready) > 1:
        path = Path(ready[1])
    last = [0, 0]

    def pump() -> None:
        for line in proc.stdout:
            if line.startswith("flushed"):
                _, rows, ckpts = line.split()
                last[:] = [int(rows), int(ckpts)]

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    time.sleep(random.Random(seed).uniform(0.05, 1.5))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    return last[0], last[1], path


def _check_content(s: Session, rows: int) -> None:
    idx = s.samples("sample_index", 0, rows)
    assert np.array_equal(idx, np.arange(rows, dtype=np.uint64)), "rows are not the samples written, in order"
    v, i = expected_codes(0, rows)
    assert np.array_equal(s.samples("voltage_code", 0, rows), v)
    assert np.array_equal(s.samples("current_code", 0, rows), i)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", range(TRIALS))
def test_a_killed_writer_leaves_a_file_holding_everything_it_flushed(tmp_path: Path, seed: int) -> None:
    flushed_rows, flushed_ckpts, path = _kill_at_random(tmp_path / "session.h5", seed)

    with pytest.raises(OSError):  # plain HDF5 refuses it: the superblock still says "open for write"
        h5py.File(path, "r").close()
    with Session(path) as s:  # our tools open it as is (SWMR read), no external program
        rows = s.rows()
        assert rows >= flushed_rows
        assert s.rows("checkpoints") >= flushed_ckpts
        _check_content(s, rows)

    report = repair(path)
    assert report.flags_before != 0
    with h5py.File(path, "r") as f:  # now a normal file for every HDF5 tool
        assert f.attrs["format"] == "csm-session"
    with Session(path) as s:
        assert not s.swmr
        assert s.rows() >= flushed_rows
        _check_content(s, s.rows())


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", range(max(3, TRIALS // 5)))
def test_killing_the_whole_recorder_pipeline_keeps_what_its_thread_flushed(tmp_path: Path, seed: int) -> None:
    flushed_rows, _, path = _kill_at_random(tmp_path / "unused.h5", seed, mode="recorder")
    with Session(path) as s:
        assert s.swmr and s.rows() >= flushed_rows
        _check_content(s, s.rows())
    repair(path)
    with Session(path) as s:
        assert not s.swmr and s.rows() >= flushed_rows
        _check_content(s, s.rows())
