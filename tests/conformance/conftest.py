"""Each conformance scenario runs once per device model; the firmware one needs QEMU (marker `qemu`)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conformance.device_under_test import DeviceUnderTest, FirmwareDevice, PythonDevice

from carbon_smart_meter.devices.firmware_emulator import FIRMWARE_DIR

CONFORMANCE_ELF = FIRMWARE_DIR / "build" / "csm-fw-conformance.elf"


@pytest.fixture(scope="session")
def conformance_elf() -> Path:
    """The firmware's conformance build, made (or brought up to date) by the firmware's own Makefile."""
    result = subprocess.run(["make", "-C", str(FIRMWARE_DIR), "qemu"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("`make -C firmware qemu` failed (toolchain missing? run `make -C firmware deps` as root):\n"
                    + result.stdout[-2000:] + result.stderr[-2000:])
    return CONFORMANCE_ELF


@pytest.fixture(params=["python", pytest.param("firmware", marks=pytest.mark.qemu)])
def device(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DeviceUnderTest]:
    dut: DeviceUnderTest
    if request.param == "python":
        dut = PythonDevice(tmp_path)
    else:
        dut = FirmwareDevice(tmp_path, request.getfixturevalue("conformance_elf"))
    try:
        yield dut
    finally:
        dut.close()
