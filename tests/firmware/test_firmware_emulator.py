"""The emulator says exactly what to install or build when something is missing."""

from __future__ import annotations

import pytest

from carbon_smart_meter.devices.firmware_emulator import EmulatedAdapter, EmulatorError, start_emulated_adapter
from carbon_smart_meter.errors import CsmError, DeviceError


def test_a_missing_firmware_image_names_the_build_command(tmp_path) -> None:
    with pytest.raises(EmulatorError) as err:
        start_emulated_adapter(tmp_path / "nope.elf", state_dir=tmp_path)
    assert "make -C firmware" in str(err.value) and "nope.elf" in str(err.value)
    assert isinstance(err.value, DeviceError) and isinstance(err.value, CsmError)


def test_a_missing_qemu_names_the_package_to_install(tmp_path) -> None:
    elf = tmp_path / "fw.elf"
    elf.write_bytes(b"\x7fELF")
    with pytest.raises(EmulatorError, match="apt-get install --no-install-recommends qemu-system-arm"):
        EmulatedAdapter(elf, state_dir=tmp_path, qemu="qemu-system-arm-not-installed").start()


def test_the_command_line_uses_a_pty_semihosting_and_optional_icount(tmp_path) -> None:
    emu = EmulatedAdapter(tmp_path / "fw.elf", icount=4, state_dir=tmp_path)
    cmd = emu.command()
    assert cmd[:3] == ["qemu-system-arm", "-M", "lm3s6965evb"]
    assert "pty" in cmd and "enable=on,target=native" in cmd
    assert cmd[cmd.index("-icount") + 1] == "shift=4"
    assert str((tmp_path / "fw.elf").resolve()) in cmd
