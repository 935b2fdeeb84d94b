"""Records built by hand for storage tests (real HDF5 files, no devices)."""

from __future__ import annotations

import numpy as np

from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.signing import CheckpointMessage

ADDRESS = bytes.fromhex("00112233445566778899aabbccddeeff00112233")
V_LSB, I_LSB = 195.3125e-6, 156.25e-6


def hello(address: bytes = ADDRESS, v_lsb: float = V_LSB, i_lsb: float = I_LSB) -> m.Hello:
    return m.Hello(
        device=address,
        fw_version=(1, 0, 0),
        flags=m.HELLO_FLAG_SIMULATED,
        hw_version=1,
        hw_class=1,
        rated_power_w=50,
        sample_rate_hz=1000,
        v_lsb=v_lsb,
        i_lsb=i_lsb,
        calibration_id="",
        boot_count=1,
        checkpoint_seq=0,
        checkpoint_interval_s=60,
        deployment_id=bytes(32),
        uptime_us=0,
        attestation=bytes(47),
        attestation_signature=bytes(65),
    )


def block(
    first: int, n: int = 1000, period_ns: int = 100_000, t0_us: int = 1_700_000_000_000_000, seed: int = 0
) -> m.SampleBlock:
    """A block whose codes are a deterministic function of the sample index (easy to check)."""
    idx = np.arange(first, first + n, dtype=np.int64)
    v = 61440 + (idx % 97) - 48 + seed
    i = 3200 + (idx % 31) - 15
    return m.SampleBlock.build(first, t0_us + first * period_ns // 1000, period_ns, m.BLOCK_FLAG_TIME_SYNCED, v, i)


def expected_codes(first: int, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    idx = np.arange(first, first + n, dtype=np.int64)
    return (61440 + (idx % 97) - 48 + seed).astype(np.int32), (3200 + (idx % 31) - 15).astype(np.int32)


def checkpoint(seq: int, energy_mwh: int) -> m.Checkpoint:
    msg = CheckpointMessage(ADDRESS, bytes(32), seq, energy_mwh, 1_700_000_000 + seq, bytes([seq % 256]) * 32)
    return m.Checkpoint(msg, bytes(65))
