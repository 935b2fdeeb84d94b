"""Issue 18: `csm simulate --firmware --link PATH` makes the emulated adapter reachable at a path known in
advance (`csm log $(csm simulate --firmware | head -1)` never returns), and removes the link at the end."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest


@pytest.mark.qemu
def test_the_firmware_simulator_answers_on_its_link_and_removes_it(firmware_elf, tmp_path):
    link = tmp_path / "fw"
    env = {**os.environ, "CSM_FIRMWARE_ELF": str(firmware_elf)}
    sim = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--firmware", "--link",
                            str(link), "--duration", "8"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env)
    try:
        assert sim.stdout.readline().strip() == str(link)  # the first line is the path to use
        assert link.is_symlink() and os.path.realpath(link).startswith("/dev/pts/")
        mon = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "monitor", str(link), "--json",
                              "--duration", "2"], capture_output=True, text=True, timeout=60)
        assert mon.returncode == 0 and '"connected": true' in mon.stdout
    finally:
        sim.wait(60)
    deadline = time.monotonic() + 5
    while link.is_symlink() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not link.is_symlink()
