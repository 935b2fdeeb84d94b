"""`csm verify`: every tamper of issue 15 (defect 8) fails the file; honest loss never does (defect 9);
reported energy comes from verified data only (defect 10); the exit code says which (defect 7).

Each tamper is made on a copy of one honest recording written by the real storage layer from a
signing device model of PROTOCOL.md (real keys, real hash chain, real HDF5).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from tests.energy.signing_device_stream import I_LSB, V_LSB, DeviceStream

from carbon_smart_meter.acquisition.records import LinkEventKind
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.energy.verified import FAILED, UNVERIFIABLE, VERIFIED, verify_file
from carbon_smart_meter.protocol.messages import SampleBlock
from carbon_smart_meter.storage.session_file import SessionFile

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]
INTERVALS, BLOCKS_PER_INTERVAL, N = 12, 3, 1000  # 3 s of 24 W between checkpoints: 20 mWh


def _codes(k: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(k)
    return rng.integers(11_000, 13_000, N), rng.integers(15_000, 25_000, N)


def write_session(path: Path, *, drop_before_checkpoint: int | None = None, inflate_behind_drop: int | None = None,
                  over_count: float = 0.0, loss_event_at_end: bool = False, drop_last: bool = False) -> Path:
    """One device's session: HELLO, INTERVALS x (3 blocks + a signed checkpoint), a tail block."""
    dev = DeviceStream()
    f = SessionFile(path, source="dev0", hello=dev.hello().record, conversion=Conversion.factory(V_LSB, I_LSB),
                    profile="logger", region="DE", compression="blosc-lz4", chunk_rows=4096)
    dev.checkpoint()  # the device's first checkpoint, before we listened: seq 1 is our anchor from the file
    start = dev.acc
    k = 0
    for interval in range(INTERVALS):
        for b in range(BLOCKS_PER_INTERVAL):
            env = dev.block(*_codes(k))
            k += 1
            block: SampleBlock = env.record  # type: ignore[assignment]
            last = b == BLOCKS_PER_INTERVAL - 1
            if last and (interval == drop_before_checkpoint or (drop_last and interval == INTERVALS - 1)):
                continue  # lost on the wire: hashed and counted by the device, never received
            if interval == inflate_behind_drop and b == 0:
                continue  # deleted from the file ...
            if interval == inflate_behind_drop and b == 1:  # ... and the energy moved into the next block
                block = SampleBlock.build(block.first_sample, block.t0_us, block.period_ns, block.flags,
                                          block.voltage_codes, block.current_codes * 3)
            f.add_block(block, 0, 0)
        energy = None
        if over_count:
            exact = (dev.acc - start) * V_LSB * I_LSB * dev.period_ns * 1e-9 / 3.6
            energy = int((start * V_LSB * I_LSB * dev.period_ns * 1e-9 / 3.6) + exact * (1 + over_count))
        f.add_checkpoint(dev.checkpoint(energy_mwh=energy).record, 0, 0)
        if loss_event_at_end and interval == INTERVALS - 1:
            f.add_event("host", LinkEventKind.FRAME_LOSS, "1 frame(s) missing from the sequence", count=1)
    if not drop_last:
        f.add_block(dev.block(*_codes(k)).record, 0, 0)
    f.close()
    return path


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> Path:
    return write_session(tmp_path_factory.mktemp("honest") / "honest.h5")


def verify_cli(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, dict]:
    r = subprocess.run([*CSM, "verify", *map(str, paths), "--json", *extra], capture_output=True, text=True,
                       timeout=120)
    return r.returncode, json.loads(r.stdout)


def test_an_honest_recording_verifies_and_its_energy_is_the_raw_codes_through_the_calibration(honest: Path) -> None:
    v = verify_file(honest)
    assert v.ok, v.to_json()
    statuses = [i.status for i in v.intervals if i.seq_to is not None]
    assert statuses == [UNVERIFIABLE] + [VERIFIED] * (INTERVALS - 1)  # the first has no earlier signed energy
    expected_j = 0.0
    for k in range(BLOCKS_PER_INTERVAL, INTERVALS * BLOCKS_PER_INTERVAL):
        vc, ic = _codes(k)
        volts, amps, _ = Conversion.factory(V_LSB, I_LSB).convert(vc, ic)
        expected_j += float(np.sum(np.maximum(volts.astype(np.float64) * amps, 0)) * 1e-3)
    assert v.verified_kwh == pytest.approx(expected_j / 3.6e6, rel=1e-9)
    assert abs(v.signed_verified_mwh - v.verified_kwh * 1e6) <= 1 + 1e-6
    code, out = verify_cli(honest)
    assert code == 0 and out["ok"] and out["files"][0]["energy"]["verified_kwh"] == pytest.approx(v.verified_kwh)


def _tampered(honest: Path, tmp_path: Path, edit) -> Path:
    copy = tmp_path / "tampered.h5"
    shutil.copy(honest, copy)
    with h5py.File(copy, "r+") as f:
        edit(f)
    return copy


def _flip_attestation_signature(f: h5py.File) -> None:
    payload = f["hellos"]["payload"][0].copy()
    payload[120 + 47 + 7] ^= 0x40  # a byte of the manufacturer's r
    f["hellos"]["payload"][0] = payload
    f["device"].attrs["attestation_signature"] = bytes(payload[167:232]).hex()  # a consistent forger


def _scale(name: str, factor: float):
    def edit(f: h5py.File) -> None:
        f["calibration"][name][()] = f["calibration"][name][()] * factor
    return edit


TAMPERS = {
    "checkpoint energy column": lambda f: f["checkpoints"]["energy_mwh"].__setitem__(
        5, f["checkpoints"]["energy_mwh"][5] + 500),
    "power column x4 over an interval": lambda f: f["samples"]["power"].__setitem__(
        slice(6000, 9000), f["samples"]["power"][6000:9000] * 4),
    "calibration scale": _scale("current_scale", 1.01),
    "chain head column": lambda f: f["checkpoints"]["chain_head"].__setitem__(
        (3, 0), f["checkpoints"]["chain_head"][3, 0] ^ 1),
    "attestation signature": _flip_attestation_signature,
    "device time column": lambda f: f["checkpoints"]["device_time_s"].__setitem__(2, 7),
    "a raw code": lambda f: f["samples"]["current_code"].__setitem__(12_345, f["samples"]["current_code"][12_345] + 1),
}


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_every_tamper_fails_the_file_and_the_exit_code(honest: Path, tmp_path: Path, tamper: str) -> None:
    copy = _tampered(honest, tmp_path, TAMPERS[tamper])
    v = verify_file(copy)
    assert not v.ok, tamper
    assert v.verified_kwh <= verify_file(honest).verified_kwh + 1e-12  # tampering never adds verified energy
    code, out = verify_cli(honest, copy)
    assert code == 1 and not out["ok"]
    assert [f["ok"] for f in out["files"]] == [True, False]


def test_samples_inflated_behind_a_deleted_block_fail_although_the_chain_cannot_be_checked(tmp_path: Path) -> None:
    path = write_session(tmp_path / "inflated.h5", inflate_behind_drop=6)
    v = verify_file(path)
    assert not v.ok
    (bad,) = [i for i in v.intervals if i.status == FAILED]
    assert bad.received_mwh > bad.signed_delta_mwh and "inflated" in bad.why


def test_a_steady_over_count_re_signed_with_the_device_key_fails_over_the_stretch(tmp_path: Path) -> None:
    path = write_session(tmp_path / "over.h5", over_count=0.008)
    v = verify_file(path)
    assert not v.ok and any("gapless intervals" in p for p in v.problems)
    assert verify_cli(path)[0] == 1


def test_a_block_lost_on_the_wire_right_before_a_checkpoint_is_unverifiable_never_forged(tmp_path: Path) -> None:
    path = write_session(tmp_path / "lost.h5", drop_before_checkpoint=5)
    v = verify_file(path)
    assert v.ok, v.problems
    statuses = [i.status for i in v.intervals if i.seq_to is not None]
    assert statuses[5] == UNVERIFIABLE and statuses.count(FAILED) == 0
    assert statuses[6] == VERIFIED  # the next interval verifies from the signed head
    assert verify_cli(path)[0] == 0


def test_a_block_lost_before_the_last_checkpoint_is_unverifiable_when_the_link_reported_the_loss(tmp_path: Path):
    path = write_session(tmp_path / "lost_last.h5", drop_last=True, loss_event_at_end=True)
    v = verify_file(path)
    assert v.ok, v.problems
    assert [i.status for i in v.intervals if i.seq_to is not None][-1] == UNVERIFIABLE


def test_reported_energy_comes_from_verified_data_not_the_power_column(honest: Path, tmp_path: Path) -> None:
    copy = _tampered(honest, tmp_path, TAMPERS["power column x4 over an interval"])
    out = {}
    for name, path in (("honest", honest), ("tampered", copy)):
        r = subprocess.run([*CSM, "offsets", str(path), "--region", "DE", "--json"], capture_output=True, text=True,
                           timeout=120)
        out[name] = (r.returncode, json.loads(r.stdout))
    assert out["honest"][0] == 0 and out["tampered"][0] == 1  # the tampered file says it failed
    honest_kwh = out["honest"][1]["energy"]["kwh"]
    assert honest_kwh == pytest.approx(verify_file(honest).verified_kwh) and honest_kwh > 0
    assert out["tampered"][1]["energy"]["kwh"] == 0  # a tampered file proves nothing; it never reports more
    inspected = json.loads(subprocess.run([*CSM, "inspect", str(copy), "--json"], capture_output=True, text=True,
                                          timeout=120).stdout)
    assert inspected["energy_wh"] == 0 and not inspected["verification"]["ok"]
    inspected = json.loads(subprocess.run([*CSM, "inspect", str(honest), "--json"], capture_output=True, text=True,
                                          timeout=120).stdout)
    assert inspected["energy_wh"] == pytest.approx(honest_kwh * 1000) and inspected["verification"]["ok"]


def test_a_key_outside_the_trust_file_fails_and_the_development_key_can_be_refused(honest: Path,
                                                                                    tmp_path: Path) -> None:
    trust = tmp_path / "makers.toml"
    trust.write_text('manufacturers = ["0x' + "11" * 20 + '"]\n')
    assert verify_cli(honest, extra=("--manufacturers", str(trust)))[0] == 0  # development key still allowed
    code, out = verify_cli(honest, extra=("--manufacturers", str(trust), "--no-development-key"))
    assert code == 1 and any(c["name"] == "attestation" and c["result"] == "fail"
                             for c in out["files"][0]["checks"])


def test_a_file_that_is_not_a_session_fails_with_one_clear_line(tmp_path: Path, honest: Path) -> None:
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"not hdf5 at all")
    r = subprocess.run([*CSM, "verify", str(junk), str(honest)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "FAIL" in r.stdout and "PASS" in r.stdout
