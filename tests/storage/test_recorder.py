"""The HDF5 sink: every record of the hub lands in one self-describing session file per device."""

from __future__ import annotations

import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from session_records import ADDRESS, I_LSB, V_LSB, block, checkpoint, expected_codes, hello

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.calibration import CalibrationStore, load_record
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage.session_file import SessionFile

EXAMPLE = Path(__file__).parents[2] / "calibration" / "examples" / "ina228-2mohm.toml"
DEVICE = "0x" + ADDRESS.hex()


def record(hub: Hub, recorder: SessionRecorder, envs: list[Envelope], settle: float = 0.3) -> list[Path]:
    for env in envs:
        hub.publish(env)
    time.sleep(settle)
    return recorder.stop()


def test_every_sample_is_stored_as_raw_codes_and_si_with_units_on_every_dataset(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, profile="logger", region="DE").start()
    envs = [Envelope("dev", hello())] + [Envelope("dev", block(k * 700, 700)) for k in range(100)]
    (path,) = record(hub, rec, envs)
    with Session(path) as s:
        assert s.complete and not s.swmr
        assert s.rows() == 70_000
        v, i = expected_codes(0, 70_000)
        assert np.array_equal(s.h5["samples"]["voltage_code"][:], v)
        assert np.array_equal(s.h5["samples"]["current_code"][:], i)
        assert np.allclose(s.h5["samples"]["voltage"][:], v * V_LSB, rtol=1e-6)
        assert np.allclose(s.h5["samples"]["current"][:], i * I_LSB, rtol=1e-6)
        assert np.allclose(s.h5["samples"]["power"][:], (v * V_LSB) * (i * I_LSB), rtol=1e-5)
        t = s.h5["samples"]["device_time_ns"][:]
        assert np.all(np.diff(t) == 100_000)
        assert s.attrs["calibration_status"] == "uncalibrated"
        assert s.attrs["profile"] == "logger" and s.attrs["region"] == "DE"
        assert s.attrs["anchor_utc_ns"] > 0 and "app_version" in s.attrs
        assert s.device["address"] == DEVICE and s.device["v_lsb"] == V_LSB
        assert s.rows("blocks") == 100 and s.rows("hellos") == 1
    missing: list[str] = []
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: (
                missing.append(name) if isinstance(obj, h5py.Dataset) and "units" not in obj.attrs else None
            )
        )
    assert missing == []


def test_a_calibrated_session_embeds_the_full_record_and_its_hash(tmp_path: Path) -> None:
    store_dir = tmp_path / "cal" / DEVICE
    store_dir.mkdir(parents=True)
    (store_dir / "2026-11-02_EX.toml").write_text(EXAMPLE.read_text())
    expected = load_record(EXAMPLE)
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path / "out", CalibrationStore(tmp_path / "cal")).start()
    h = hello(v_lsb=195.3125e-6, i_lsb=312.5e-9 / 0.002)
    (path,) = record(hub, rec, [Envelope("dev", h), Envelope("dev", block(0, 1000))])
    with Session(path) as s:
        cal = s.calibration
        assert s.attrs["calibration_status"] == "calibrated"
        assert cal["record_toml"] == EXAMPLE.read_text() and cal["record_sha256"] == expected.sha256
        assert cal["voltage_scale"] == pytest.approx(expected.volts_per_code)
        v, i = expected_codes(0, 1000)
        assert np.allclose(s.h5["samples"]["voltage"][:], v * expected.volts_per_code + expected.offset_v, rtol=1e-6)
        assert np.allclose(
            s.h5["samples"]["current"][:], i * expected.amperes_per_code + expected.offset_i, rtol=1e-5, atol=1e-7
        )


def test_a_refused_calibration_records_on_factory_scales_and_says_why(tmp_path: Path) -> None:
    store_dir = tmp_path / "cal" / DEVICE
    store_dir.mkdir(parents=True)
    (store_dir / "bad.toml").write_text(EXAMPLE.read_text().replace('offset = "0.35 mA"', 'offset = "0.35 V"'))
    hub = Hub()
    seen = hub.subscribe([LinkEvent])
    rec = SessionRecorder(hub, tmp_path / "out", CalibrationStore(tmp_path / "cal")).start()
    (path,) = record(hub, rec, [Envelope("dev", hello()), Envelope("dev", block(0, 100))])
    with Session(path) as s:
        assert s.attrs["calibration_status"] == "uncalibrated"
        assert "current.offset" in s.calibration["note"]
        assert any(e["kind"] == "calibration" and e["severity"] == 2 for e in s.events())
    assert any(e.record.kind == "storage" and "current.offset" in e.record.message for e in seen.drain())


def test_gaps_checkpoints_events_annotations_and_provenance_are_kept(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    hub.publish(Envelope("dev", block(0, 500)))  # before HELLO: kept until the scales are known
    hub.publish(Envelope("dev", hello()))
    hub.publish(Envelope("dev", block(500, 500)))
    hub.publish(Envelope("dev", block(1500, 500)))  # 500 samples lost on the link
    hub.publish(Envelope("dev", block(10, 100)))  # counter went back: device reset
    hub.publish(Envelope("dev", checkpoint(7, 1234)))
    hub.publish(Envelope("dev", m.Event(3, 2, 99, 5, 123)))
    hub.publish_event("dev", "sample-gap", "500 samples missing", 500)
    time.sleep(0.3)
    rec.add_annotation("cloud over the panel", 1_800_000_000_000_000_000)
    rec.set_provenance({"energy": {"method": "trapezoid"}, "verified": True})
    time.sleep(0.3)
    (path,) = rec.stop()
    with Session(path) as s:
        assert s.rows() == 1600
        g = s.table("gaps")
        assert g["missing"].tolist() == [500, 10] and g["reset"].tolist() == [0, 1]  # the new boot began at 0
        ck = s.table("checkpoints")
        assert ck["seq"].tolist() == [7] and ck["energy_mwh"].tolist() == [1234]
        assert bytes(ck["message"][0]) == checkpoint(7, 1234).message_bytes
        kinds = {e["kind"]: e for e in s.events()}
        assert kinds["over-current"]["arg0"] == 99 and kinds["over-current"]["origin"] == "device"
        assert kinds["sample-gap"]["count"] == 500 and kinds["sample-gap"]["origin"] == "host"
        assert s.annotations() == [{"t_utc_ns": 1_800_000_000_000_000_000, "text": "cloud over the panel"}]
        assert s.provenance() == {"energy": {"method": "trapezoid"}, "verified": True}


def test_each_device_gets_its_own_file(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path).start()
    other = bytes(range(20))
    paths = record(
        hub,
        rec,
        [
            Envelope("a", hello()),
            Envelope("b", hello(other)),
            Envelope("a", block(0, 300)),
            Envelope("b", block(0, 200)),
        ],
    )
    assert len(paths) == 2
    rows = {}
    for p in paths:
        with Session(p) as s:
            rows[s.device["address"]] = s.rows()
    assert rows == {DEVICE: 300, "0x" + other.hex(): 200}


def _wait(cond, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_only_chosen_sources_are_recorded_and_one_can_stop_or_start_while_the_others_carry_on(tmp_path: Path) -> None:
    hub = Hub()
    other, third = bytes(range(20)), bytes(range(1, 21))
    rec = SessionRecorder(hub, tmp_path, sources=["a", "b"]).start()
    for env in (Envelope("a", hello()), Envelope("b", hello(other)), Envelope("c", hello(third)),
                Envelope("a", block(0, 100)), Envelope("b", block(0, 100)), Envelope("c", block(0, 100))):
        hub.publish(env)
    _wait(lambda: set(rec.files) == {"a", "b"} and rec.files["a"].rows_written == 100)
    rec.exclude("b")  # b's file is closed and complete; a carries on
    _wait(lambda: "b" not in rec.files)
    b_path = rec.paths_by_source["b"]
    with Session(b_path) as s:
        assert s.complete and s.rows() == 100
    rec.include("c")  # c's file opens at its next HELLO, with the samples after it
    hub.publish(Envelope("b", block(100, 50)))
    hub.publish(Envelope("a", block(100, 50)))
    _wait(lambda: rec.files["a"].rows_written == 150)
    hub.publish(Envelope("c", hello(third)))
    hub.publish(Envelope("c", block(100, 30)))
    paths = record(hub, rec, [])
    rows = {}
    for p in paths:
        with Session(p) as s:
            rows[s.attrs["source"]] = s.rows()
    assert rows == {"a": 150, "b": 100, "c": 30}


def test_a_full_writer_queue_is_stored_as_an_overflow_event(tmp_path: Path) -> None:
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, queue_size=3).start()
    hub.publish(Envelope("dev", hello()))
    time.sleep(0.2)
    for k in range(400):
        hub.publish(Envelope("dev", block(k * 2000, 2000)))
    time.sleep(0.5)
    (path,) = rec.stop()
    with Session(path) as s:
        lost = sum(e["count"] for e in s.events() if e["kind"] == "storage-overflow")
        assert lost > 0
        assert s.rows() + 2000 * lost == 400 * 2000
        trailing = 400 * 2000 - 1 - int(s.h5["samples"]["sample_index"][-1])  # lost after the last block
        assert int(np.sum(s.table("gaps")["missing"])) + trailing == 2000 * lost


def test_session_files_are_created_exclusively_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "s.h5"
    path.write_bytes(b"precious")
    h = hello()
    with pytest.raises(FileExistsError):
        SessionFile(path, source="x", hello=h, conversion=None, profile="", region="")  # type: ignore[arg-type]
    assert path.read_bytes() == b"precious"
