"""The desktop records a session from the emulated firmware, as a user would, with zero CRC errors.

`csm simulate --firmware` boots the real firmware in qemu-system-arm; `csm log` records it through
pyserial into HDF5; `csm inspect` reads the file back.
"""

import json
import subprocess
import sys

import pytest

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


@pytest.mark.qemu
def test_a_session_recorded_from_the_emulated_firmware_is_complete_and_clean(tmp_path, firmware_elf):
    emu = subprocess.Popen([*CSM, "simulate", "--firmware", "--duration", "30"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        port = emu.stdout.readline().strip()
        assert port.startswith("/dev/pts/"), emu.stderr.read()
        log = subprocess.run([*CSM, "log", port, "--out", str(tmp_path), "--duration", "4"],
                             capture_output=True, text=True, timeout=120)
        assert log.returncode == 0, log.stderr
    finally:
        emu.terminate()
        emu.wait(15)
    (path,) = tmp_path.glob("*.h5")
    info = json.loads(subprocess.run([*CSM, "inspect", str(path), "--json"], capture_output=True, text=True,
                                     timeout=60, check=True).stdout)
    assert info["firmware"] and info["samples"] > 1000
    assert info["gaps"] == 0 and info["samples_missing"] == 0
    assert not {"corrupt-frames", "frame-loss", "malformed", "unknown-type"} & set(info["events"])
    assert 2.0 < info["duration_s"] < 10.0
