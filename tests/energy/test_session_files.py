"""Energy and checkpoint verification from a real session file written by the storage layer."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
from tests.energy.signing_device_stream import I_LSB, V_LSB, DeviceStream

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.energy.findings import CheckpointFinding, CheckpointStatus
from carbon_smart_meter.energy.integrate import integrate_blocks
from carbon_smart_meter.energy.session_energy import integrate_session
from carbon_smart_meter.energy.session_verify import verify_session
from carbon_smart_meter.storage.session_file import SessionFile


def record(path, dev: DeviceStream, lose_block: bool = False) -> list:
    hello = dev.hello().record
    f = SessionFile(path, source="test", hello=hello, conversion=Conversion.factory(V_LSB, I_LSB),
                    profile="logger", region="NZ", compression="none", chunk_rows=4096)
    blocks = []
    rng = np.random.default_rng(7)
    for k in range(12):
        env = dev.block(rng.integers(10_000, 14_000, 1500), rng.integers(0, 30_000, 1500))
        if lose_block and k == 5:
            continue  # lost on the link: never reaches the file
        f.add_block(env.record, 0, 0)
        blocks.append(env.record)
        if k % 4 == 3:
            f.add_checkpoint(dev.checkpoint().record, 0, 0)
    f.close()
    return blocks


def test_session_energy_equals_the_live_integration_of_the_same_blocks(tmp_path):
    path = tmp_path / "s.h5"
    blocks = record(path, DeviceStream())
    live = integrate_blocks(blocks, Conversion.factory(V_LSB, I_LSB).to_si)
    energy = integrate_session(path)
    assert energy.energy_kwh == pytest.approx(live.energy_j / 3.6e6, rel=1e-6)  # float32 power in the file
    assert energy.gaps == () and energy.rated_w == 100 and energy.region == "NZ"
    assert sum(energy.totals.per_day().values()) == pytest.approx(energy.energy_kwh)


def test_a_recorded_session_reverifies_every_checkpoint_from_the_file_alone(tmp_path):
    path = tmp_path / "s.h5"
    record(path, DeviceStream())
    _, findings = verify_session(path)
    assert [f.status for f in findings if isinstance(f, CheckpointFinding)] == [CheckpointStatus.VERIFIED] * 3


def test_a_block_lost_before_recording_shows_as_a_gap_and_an_unverifiable_interval(tmp_path):
    path = tmp_path / "s.h5"
    record(path, DeviceStream(), lose_block=True)
    assert [g.missing for g in integrate_session(path).gaps] == [1500]
    _, findings = verify_session(path)
    statuses = [f.status for f in findings if isinstance(f, CheckpointFinding)]
    assert statuses == [CheckpointStatus.VERIFIED, CheckpointStatus.UNVERIFIABLE_GAP, CheckpointStatus.VERIFIED]


def test_codes_edited_in_the_file_are_caught_by_the_hash_chain(tmp_path):
    path = tmp_path / "s.h5"
    record(path, DeviceStream())
    with h5py.File(path, "r+") as f:
        f["samples"]["current_code"][7000] += 1  # one code in the second interval (rows 6000-11999)
    _, findings = verify_session(path)
    statuses = [f.status for f in findings if isinstance(f, CheckpointFinding)]
    assert statuses == [CheckpointStatus.VERIFIED, CheckpointStatus.CHAIN_MISMATCH, CheckpointStatus.VERIFIED]
