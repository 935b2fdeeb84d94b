"""Development identities shared by the simulator, the emulated firmware and the embedded chains.

These keys are derived from public seeds: anyone can sign with them. They exist so that `csm demo`
and the tests run end to end; a real deployment registers real manufacturer keys only.
"""

from __future__ import annotations

from carbon_smart_meter.protocol.signing import AttestationMessage, DeviceKey

# The one definition of each development seed: the embedded chains register DEV_MANUFACTURER, the
# Python simulator signs as simulator_key(seed), and firmware/tools/gen_dev_identity.py writes the
# emulated adapter's key and attestation from FIRMWARE_DEVICE_SEED into firmware/src/board/dev_identity.h.
DEV_MANUFACTURER_SEED = b"csm-dev-manufacturer"
FIRMWARE_DEVICE_SEED = b"csm-fw-device-0"
SIMULATOR_DEVICE_SEED = b"csm-sim-device-%d"
DEV_MANUFACTURER = DeviceKey.from_seed(DEV_MANUFACTURER_SEED)
FIRMWARE_DEVICE = DeviceKey.from_seed(FIRMWARE_DEVICE_SEED)

# USB ids of the adapter's CDC interface (pid.codes open-source VID; PID pending allocation).
USB_VID = 0x1209
USB_PID = 0xC5A0


def simulator_key(seed: int) -> DeviceKey:
    return DeviceKey.from_seed(SIMULATOR_DEVICE_SEED % seed)


def attest(device: DeviceKey, rated_power_w: int, hw_class: int = 1, serial: int = 0,
           manufacturer: DeviceKey = DEV_MANUFACTURER) -> tuple[bytes, bytes]:
    """Attestation message and manufacturer signature, as written into a device at production."""
    msg = AttestationMessage(device.address, rated_power_w, hw_class, serial).encode()
    return msg, manufacturer.sign(msg)
