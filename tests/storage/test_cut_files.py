"""A session file cut short (a failed copy, a full disk) gives a clear error, never a hang."""

import json
import subprocess
import sys

import numpy as np

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage import SessionRecorder

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


def _recorded(tmp_path):
    from carbon_smart_meter.devices.identity import attest, simulator_key

    key = simulator_key(1)
    att, sig = attest(key, 50)
    hello = m.Hello(key.address, (0, 1, 0), 1, 1, 1, 50, 1000, 195.3125e-6, 1e-5, "", 1, 0, 60, bytes(32), 0,
                    att, sig)
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path / "rec").start()
    hub.publish(Envelope("dev", hello))
    rng = np.random.default_rng(0)
    for k in range(200):
        hub.publish(Envelope("dev", m.SampleBlock.build(k * 1000, k * 1_000_000, 1_000_000, 0,
                                                        rng.integers(20000, 30000, 1000),
                                                        rng.integers(1000, 2000, 1000))))
    (path,) = rec.stop()
    return path


def test_inspecting_a_cut_copy_says_what_happened_and_what_to_do(tmp_path):
    path = _recorded(tmp_path)
    cut = tmp_path / "cut.h5"
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    out = subprocess.run([*CSM, "inspect", str(cut)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "cut short" in out.stderr and "csm repair" in out.stderr and "Traceback" not in out.stderr
    whole = json.loads(subprocess.run([*CSM, "inspect", str(path), "--json"], capture_output=True, text=True,
                                      timeout=60, check=True).stdout)
    assert whole["samples"] == 200_000


def test_exporting_a_cut_copy_is_refused_before_hdf5_reads_it(tmp_path):
    path = _recorded(tmp_path)
    cut = tmp_path / "cut.h5"
    cut.write_bytes(path.read_bytes()[:4096])
    out = subprocess.run([*CSM, "export", str(cut), "--format", "csv", "-o", str(tmp_path / "x.csv")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "cut short" in out.stderr
    assert not (tmp_path / "x.csv").exists()


# ---- issue 15 "Also": no command hangs, repair never changes a file it cannot fix, advice is right -------

def _crashed(tmp_path, name="crashed.h5"):
    """A file whose writer was killed (SWMR flags set), as a kill -9 leaves it."""
    import signal
    from pathlib import Path

    here = Path(__file__).parent
    code = f"""
import sys, os, signal
sys.path.insert(0, {str(here)!r})
from session_records import block, hello
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.storage.session_file import SessionFile
h = hello()
f = SessionFile(__import__("pathlib").Path(sys.argv[1]), source="c", hello=h,
                conversion=Conversion.factory(h.v_lsb, h.i_lsb), profile="", region="", chunk_rows=4096)
for k in range(30):
    f.add_block(block(k * 700, 700), 0, 0)
f.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""
    path = tmp_path / name
    r = subprocess.run([sys.executable, "-c", code, str(path)], timeout=60)
    assert r.returncode == -signal.SIGKILL
    return path


def test_offsets_and_verify_on_a_cut_file_say_so_instead_of_hanging(tmp_path):
    path = _recorded(tmp_path)
    cut = tmp_path / "cut.h5"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    for cmd in (["offsets", str(cut), "--region", "DE"], ["verify", str(cut)]):
        out = subprocess.run([*CSM, *cmd], capture_output=True, text=True, timeout=60)
        assert out.returncode == 1 and "cut short" in (out.stderr + out.stdout) and "Traceback" not in out.stderr


def test_a_flipped_superblock_byte_of_a_crashed_file_is_refused_at_once_by_every_reader(tmp_path):
    path = _crashed(tmp_path)
    data = bytearray(path.read_bytes())
    data[12] ^= 0x01  # inside the checksummed superblock: HDF5 would retry this read for ever
    path.write_bytes(bytes(data))
    for cmd in (["inspect", str(path)], ["export", str(path), "--format", "csv", "-o", str(tmp_path / "x.csv")],
                ["offsets", str(path), "--region", "DE"]):
        out = subprocess.run([*CSM, *cmd], capture_output=True, text=True, timeout=60)
        assert out.returncode == 1 and "damaged" in out.stderr, (cmd, out.stderr)
        assert "cannot fix" in out.stderr  # and it does not send the user to a repair that would fail


def test_repair_leaves_a_file_it_cannot_fix_exactly_as_it_was(tmp_path):
    path = _crashed(tmp_path)
    data = bytearray(path.read_bytes())
    data[12] ^= 0x01
    path.write_bytes(bytes(data))
    out = subprocess.run([*CSM, "repair", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "changed nothing" in out.stderr
    assert path.read_bytes() == bytes(data)
    cut = tmp_path / "cut.h5"  # a crashed file cut in the middle of its data: HDF5 cannot open it repaired
    good = _crashed(tmp_path, "second.h5")
    cut.write_bytes(good.read_bytes()[:6000])
    before = cut.read_bytes()
    out = subprocess.run([*CSM, "repair", str(cut)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "left it unchanged" in out.stderr, out.stderr
    assert cut.read_bytes() == before


def test_inspect_recommends_repair_only_where_repair_works(tmp_path):
    path = _recorded(tmp_path)  # closed normally, then cut by a bad copy: repair cannot help
    cut = tmp_path / "cut.h5"
    cut.write_bytes(path.read_bytes()[:8000])
    out = subprocess.run([*CSM, "inspect", str(cut)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "cannot fix" in out.stderr and "copy it again" in out.stderr
    crashed = _crashed(tmp_path)  # a killed writer: opens as is, and repair makes it a normal file
    out = subprocess.run([*CSM, "inspect", str(crashed)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
