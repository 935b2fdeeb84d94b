"""A signing device model for ledger tests: real keys, real block payloads, real hash chain.

Not a mock: it implements what PROTOCOL.md says the firmware does (blocks, chain head, checkpoints with
floor(sum max(0, p) dt / 3.6 J) energy), so the ledger is tested against the specification.
"""

from __future__ import annotations

import numpy as np

from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.protocol.messages import BLOCK_FLAG_TIME_SYNCED, Checkpoint, Hello, SampleBlock
from carbon_smart_meter.protocol.signing import CheckpointMessage, DeviceKey, keccak256

V_LSB = 1e-3   # 1 mV per code
I_LSB = 1e-4   # 0.1 mA per code
T0_US = 1_700_000_000 * 10**6
DEPLOYMENT = bytes(range(32))


def make_hello(key: DeviceKey, rated_w: int = 100) -> Hello:
    from carbon_smart_meter.devices.identity import attest

    attestation, signature = attest(key, rated_w, 1)  # by the public development manufacturer key
    return Hello(device=key.address, fw_version=(1, 0, 0), flags=1, hw_version=1, hw_class=1,
                 rated_power_w=rated_w, sample_rate_hz=1000, v_lsb=V_LSB, i_lsb=I_LSB, calibration_id="",
                 boot_count=1, checkpoint_seq=0, checkpoint_interval_s=60, deployment_id=DEPLOYMENT,
                 uptime_us=0, attestation=attestation, attestation_signature=signature)


class DeviceStream:
    """Emits Envelopes the way a device would: HELLO, SAMPLE_BLOCKs, signed CHECKPOINTs."""

    def __init__(self, seed: bytes = b"ledger", period_ns: int = 1_000_000, source: str = "dev0") -> None:
        self.key = DeviceKey.from_seed(seed)
        self.source = source
        self.period_ns = period_ns
        self.next_sample = 0
        self.head = bytes(32)
        self.acc = 0          # sum of max(0, v_code * i_code) over all samples
        self.seq = 0
        self.time_s = T0_US // 10**6

    def env(self, record: object) -> Envelope:
        return Envelope(self.source, record)

    def hello(self) -> Envelope:
        return self.env(make_hello(self.key))

    def block(self, v_codes: np.ndarray, i_codes: np.ndarray, skip: int = 0) -> Envelope:
        """One block; `skip` samples are lost before it (the device counted them, we never see them)."""
        self.next_sample += skip
        block = SampleBlock.build(self.next_sample, T0_US + self.next_sample * self.period_ns // 1000,
                                  self.period_ns, BLOCK_FLAG_TIME_SYNCED, v_codes, i_codes)
        self.next_sample += block.count
        self.head = keccak256(self.head + block.payload)
        self.acc += int(np.maximum(v_codes.astype(np.int64) * i_codes.astype(np.int64), 0).sum())
        return self.env(block)

    def energy_mwh(self) -> int:
        joules = self.acc * V_LSB * I_LSB * self.period_ns * 1e-9
        return int(joules / 3.6)

    def checkpoint(self, energy_mwh: int | None = None, key: DeviceKey | None = None,
                   seq: int | None = None) -> Envelope:
        self.seq = self.seq + 1 if seq is None else seq
        self.time_s += 60
        msg = CheckpointMessage(self.key.address, DEPLOYMENT, self.seq,
                                self.energy_mwh() if energy_mwh is None else energy_mwh, self.time_s,
                                self.head)
        signature = (key or self.key).sign(msg.encode())
        return self.env(Checkpoint(msg, signature))

    def constant_block(self, n: int = 1000, v_code: int = 12_000, i_code: int = 20_000,
                       skip: int = 0) -> Envelope:
        """12 V x 2 A = 24 W for n samples."""
        return self.block(np.full(n, v_code), np.full(n, i_code), skip)
