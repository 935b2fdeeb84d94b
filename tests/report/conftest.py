"""A recorded multi-hour simulated session, bound and partly claimed on a real EVM node (anvil).

The simulator runs in its own process at high speed from a morning in the past (6 device hours in
about 15 s); the desktop reads it over a pty with pyserial, records it with a calibration record,
binds it to a CsmRewards deployment on anvil and, after the recording, claims two of its checkpoints
there. Built once per test session: the report tests read it, never change it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scripts import example_session as ex

HOURS, SECONDS, RATE, WATTS = 6.0, 15.0, 50, 50
LATITUDE, LONGITUDE, REGION, REGION_NUMERIC, TZ = 12.97, 77.59, "IN", 356, "Asia/Kolkata"


@dataclass
class RecordedSession:
    path: Path
    device: str
    deployments: Path
    deployment: str
    claims: list          # BatchReceipt of each claim made after recording
    recording: ex.Recording


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordedSession]:
    from carbon_smart_meter.devices.identity import simulator_key
    from carbon_smart_meter.devices.sim_device import I_LSB, V_LSB

    root = tmp_path_factory.mktemp("recorded")
    device = simulator_key(0).address
    ex.write_calibration(root / "calibrations", device, V_LSB, I_LSB)
    start = ex.solar_morning(LONGITUDE, local_hour=8.0)
    with ex.anvil_chain(root / "deployments", int(start - 900)) as chain:
        with ex.simulator(start_unix=start, hours=HOURS, seconds=SECONDS, rate=RATE, panel_watts=WATTS,
                          longitude=LONGITUDE, checkpoint_interval_s=900) as port:
            rec = ex.record(port, root / "sessions", calibrations=root / "calibrations", region=REGION,
                            until_unix=start + HOURS * 3600, chain=chain, region_numeric=REGION_NUMERIC,
                            say=lambda _text: None)
        assert len(rec.files) == 1 and len(rec.checkpoints) >= 20, rec
        claims = [ex.claim(chain, rec.checkpoints[len(rec.checkpoints) // 2]), ex.claim(chain, rec.checkpoints[-1])]
        assert all(o.paid for c in claims for o in c.outcomes), claims
        yield RecordedSession(rec.files[0], "0x" + device.hex(), root / "deployments", chain.name, claims, rec)


@pytest.fixture
def deployments_env(recorded: RecordedSession) -> Iterator[dict[str, str]]:
    """The environment of a `csm` process that finds the test's deployment record."""
    env = dict(os.environ, CSM_DEPLOYMENTS=str(recorded.deployments), CSM_SETTINGS=str(recorded.path.parent / "none"))
    yield env
