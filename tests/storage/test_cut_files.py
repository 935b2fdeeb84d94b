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
