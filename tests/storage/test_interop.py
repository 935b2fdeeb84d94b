"""Session files are plain HDF5: h5dump (HDF5 1.10 tools) reads them with the Blosc plugin path set."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import hdf5plugin
import pytest
from session_records import block, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.storage import SessionRecorder

H5DUMP = shutil.which("h5dump")
needs_h5dump = pytest.mark.skipif(H5DUMP is None, reason="h5dump missing: apt-get install hdf5-tools")


def _session(tmp_path: Path) -> Path:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    hub.publish(Envelope("dev", hello()))
    hub.publish(Envelope("dev", block(0, 1000)))
    time.sleep(0.3)
    rec.add_annotation("h5dump check")
    time.sleep(0.2)
    return rec.stop()[0]


@needs_h5dump
def test_h5dump_reads_the_layout_units_and_the_compressed_samples(tmp_path: Path) -> None:
    path = _session(tmp_path)
    env = {**os.environ, "HDF5_PLUGIN_PATH": hdf5plugin.PLUGINS_PATH}
    header = subprocess.run([H5DUMP, "-H", "-A", str(path)], capture_output=True, text=True, env=env, check=True)
    assert 'DATASET "voltage"' in header.stdout and 'ATTRIBUTE "units"' in header.stdout
    assert 'GROUP "calibration"' in header.stdout
    data = subprocess.run(
        [H5DUMP, "-d", "/samples/voltage_code", "-c", "3", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "61392, 61393, 61394" in data.stdout  # codes of samples 0..2 (see session_records.block)
