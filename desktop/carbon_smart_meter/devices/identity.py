"""Development identities shared by the simulator, the emulated firmware and the embedded chains.

These keys are derived from public seeds: anyone can sign with them. They exist so that `csm demo`
and the tests run end to end; a real deployment registers real manufacturer keys only.
"""

from __future__ import annotations

from carbon_smart_meter.protocol.signing import AttestationMessage, DeviceKey

DEV_MANUFACTURER = DeviceKey.from_seed(b"csm-dev-manufacturer")
FIRMWARE_DEVICE_SEED = b"csm-fw-device-0"

# USB ids of the adapter's CDC interface (pid.codes open-source VID; PID pending allocation).
USB_VID = 0x1209
USB_PID = 0xC5A0


def simulator_key(seed: int) -> DeviceKey:
    return DeviceKey.from_seed(b"csm-sim-device-%d" % seed)


def attest(device: DeviceKey, rated_power_w: int, hw_class: int = 1, serial: int = 0,
           manufacturer: DeviceKey = DEV_MANUFACTURER) -> tuple[bytes, bytes]:
    """Attestation message and manufacturer signature, as written into a device at production."""
    msg = AttestationMessage(device.address, rated_power_w, hw_class, serial).encode()
    return msg, manufacturer.sign(msg)
