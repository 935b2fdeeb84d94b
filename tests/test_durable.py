"""One way to replace a small file (durable.py): whole or not at all, whatever happens during the write."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from carbon_smart_meter.durable import publish, write_atomically

WRITER = """
import sys
from carbon_smart_meter.durable import write_atomically
path, k = sys.argv[1], 0
print("ready", flush=True)
while True:
    k += 1
    write_atomically(path, (str(k % 10) * 1_000_000))
"""


def test_a_file_is_replaced_whole_and_no_temporary_file_stays(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "settings.toml"  # a missing folder is made
    write_atomically(target, "a = 1\n")
    write_atomically(target, b"a = 2\n")
    assert target.read_text() == "a = 2\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["settings.toml"]


def test_a_secret_is_created_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "kiosk.toml"
    write_atomically(target, "pin_hash = 'x'\n", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_writer_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "part.parquet"
    write_atomically(target, b"old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        publish(target, broken)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["part.parquet"]


def test_a_writer_killed_at_any_moment_leaves_one_whole_version(tmp_path: Path) -> None:
    target = tmp_path / "totals.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "desktop")}
    for trial in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True,
                                env=env)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.05 + 0.037 * trial)  # somewhere in a write, a sync or a rename
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        if not target.exists():  # killed before its first rename
            continue
        data = target.read_text()
        assert len(data) == 1_000_000 and data == data[0] * 1_000_000
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(n.startswith(".totals.json.") and n.endswith(".tmp") for n in leftovers)
