"""The committed development identity of the emulated adapter is what its generator produces."""

from __future__ import annotations

import importlib.util
import re

from carbon_smart_meter.devices.firmware_emulator import FIRMWARE_DIR
from carbon_smart_meter.devices.identity import DEV_MANUFACTURER, FIRMWARE_DEVICE
from carbon_smart_meter.protocol.signing import AttestationMessage, recover_address


def _generator():
    spec = importlib.util.spec_from_file_location("gen_dev_identity", FIRMWARE_DIR / "tools/gen_dev_identity.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _array(text: str, name: str) -> bytes:
    body = re.search(rf"{name}\[\d+\] = \{{([^}}]*)\}}", text).group(1)
    return bytes(int(x, 16) for x in body.split(","))


def test_committed_header_matches_a_fresh_generation() -> None:
    committed = (FIRMWARE_DIR / "src/board/dev_identity.h").read_text()
    assert committed == _generator().render()


def test_header_holds_the_simulator_development_keys_and_a_valid_attestation() -> None:
    text = (FIRMWARE_DIR / "src/board/dev_identity.h").read_text()
    device, manufacturer = FIRMWARE_DEVICE, DEV_MANUFACTURER
    assert _array(text, "CSM_DEV_DEVICE_SECRET") == device.secret
    assert _array(text, "CSM_DEV_DEVICE_ADDRESS") == device.address
    blob = _array(text, "CSM_DEV_ATTESTATION")
    message, signature = blob[:47], blob[47:]
    assert AttestationMessage.decode(message) == AttestationMessage(device.address, 50, 1, 1)
    assert recover_address(message, signature) == manufacturer.address
    assert "DEVELOPMENT KEYS ONLY" in text
