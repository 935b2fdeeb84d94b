"""`csm report` on a session recorded from the real adapter firmware running in QEMU.

The firmware (`csm simulate --firmware`) signs its checkpoints with its own C code; the desktop asks for
one every few seconds while recording, so the report has verified intervals from the firmware itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scripts import example_session as ex
from tests.report.test_report_command import SECTIONS, flat, outputs, pdf_text

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


@pytest.fixture(scope="module")
def qemu_image() -> Path:
    """The QEMU image, built (or brought up to date) by the firmware's own Makefile, as tests/firmware do."""
    from carbon_smart_meter.devices.firmware_emulator import FIRMWARE_DIR

    result = subprocess.run(["make", "-C", str(FIRMWARE_DIR), "qemu"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("`make -C firmware qemu` failed (toolchain missing? run `make -C firmware deps` as root):\n"
                    + result.stdout[-2000:] + result.stderr[-2000:])
    return FIRMWARE_DIR / "build" / "csm-fw.elf"


@pytest.mark.qemu
def test_a_report_of_a_firmware_session_has_every_section_and_csm_verifys_energy(tmp_path: Path,
                                                                                qemu_image: Path) -> None:
    import os

    env = dict(os.environ, CSM_FIRMWARE_ELF=str(qemu_image), CSM_SETTINGS=str(tmp_path / "none.toml"))
    emu = subprocess.Popen([*CSM, "simulate", "--firmware", "--duration", "90"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
    try:
        port = emu.stdout.readline().strip() if emu.stdout else ""
        assert port.startswith("/dev/pts/"), emu.stderr.read() if emu.stderr else ""
        rec = ex.record(port, tmp_path / "sessions", calibrations=None, region="DE", seconds=20,
                        checkpoint_every_s=4, say=lambda _text: None)
    finally:
        emu.terminate()
        emu.wait(15)
    (session,) = rec.files
    assert len(rec.checkpoints) >= 4
    out = tmp_path / "report"
    r = subprocess.run([*CSM, "report", str(session), "--out", str(out), "--region", "DE"], capture_output=True,
                       text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    pdf, doc_path, _ = outputs(out)
    text = flat(pdf_text(pdf))
    for title in SECTIONS:
        assert title in text, title
    verify = json.loads(subprocess.run([*CSM, "verify", str(session), "--json"], capture_output=True, text=True,
                                       timeout=120, env=env).stdout)["files"][0]
    kwh = verify["energy"]["verified_kwh"]
    doc = json.loads(doc_path.read_text())
    assert verify["ok"] and doc["report"]["verified"]
    assert doc["energy"]["verified_kwh"] == pytest.approx(kwh, rel=1e-12) and kwh > 0
    assert f"Verified energy in the period: {doc['energy']['verified_kwh']:.6f} kWh" in text
    assert doc["identity"]["firmware"] and doc["identity"]["firmware"][0] in text
    # uncalibrated: no stated uncertainty, so the flat deduction applies and the report says so
    assert doc["calibration"]["records"] == [] and doc["calibration"]["uncovered"]
    assert "NOT covered by a valid calibration" in text
    assert doc["emissions"]["deduction_kwh"] == pytest.approx(0.10 * kwh, rel=1e-9)
