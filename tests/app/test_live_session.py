"""The live session: one calibrated conversion per device everywhere, ledger findings in the file, claims queued."""

from __future__ import annotations

import time

import numpy as np
import pytest
from tests.app.session_helpers import noon_simulator, wait_until, write_record
from tests.energy.signing_device_stream import DeviceStream

from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.devices.sim_device import I_LSB, V_LSB
from carbon_smart_meter.energy.session_energy import integrate_session
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage.reader import Session

FAST_FLUSH = {"flush_interval_s": 0.2}


def _session(tmp_path, calibrations=None, **options) -> LiveSession:
    settings = Settings(data_dir=str(tmp_path / "data"), region="NZ")
    store = calibrations if calibrations is not None else CalibrationStore(tmp_path / "no-records")
    return LiveSession(settings, "logger", calibrations=store, recorder_options=FAST_FLUSH, **options)


@pytest.mark.timeout(60)
def test_a_record_with_twice_the_voltage_gain_doubles_live_power_ledger_energy_and_file(tmp_path):
    sim = noon_simulator(seed=5)
    write_record(tmp_path / "cal", sim.address, voltage_gain=2.0)
    session = _session(tmp_path, CalibrationStore(tmp_path / "cal"))
    buffers = session.live_buffers(window_s=60)
    session.start()
    try:
        source = session.connect(sim.port, record=True)  # recorded from its first block
        sim.start()
        wait_until(lambda: (r := buffers.ring(source)) is not None and r.total >= 2500, what="live samples")
        resolved = session.conversions.current(source)
        assert resolved is not None and resolved.conversion.status == "calibrated"
        assert session.snapshot().devices[source].calibration is resolved  # one object, shared
        sim.stop()
        time.sleep(0.3)
        e_live = session.energy.energy(source)
    finally:
        paths = session.stop()
        sim.close()
    [path] = paths
    trace = buffers.ring(source).view(max_points=None)
    with Session(path) as s:
        assert s.calibration["status"] == "calibrated"
        cols = s.read(["device_time_ns", "voltage_code", "current_code", "power"])
    # The same samples in the ring (live plots) and in the file, matched by device time.
    t_ring = np.round(trace.t * 1e6).astype(np.int64)  # µs: float64 seconds hold them exactly enough
    t_file = cols["device_time_ns"].astype(np.int64) // 1000
    in_ring = np.isin(t_file, t_ring)
    assert in_ring.sum() >= 2000
    factory_w = (cols["voltage_code"][in_ring] * V_LSB) * (cols["current_code"][in_ring] * I_LSB)
    shown_w = trace.p[np.isin(t_ring, t_file)]
    lit = factory_w > 0.5
    assert lit.sum() > 1000, "the simulated panel should produce at noon"
    np.testing.assert_allclose(shown_w[lit], 2.0 * factory_w[lit], rtol=1e-5)   # live power doubled
    np.testing.assert_allclose(cols["power"][in_ring], shown_w, rtol=1e-6)     # the file shows the same
    # The ledger integrates the calibrated power: its Wh are the file's Wh (recorded from the first block).
    file_kwh = integrate_session(path).energy_kwh
    assert e_live is not None and file_kwh > 0
    assert session.energy.energy(source).energy_wh / 1e3 == pytest.approx(file_kwh, rel=1e-3)


@pytest.mark.timeout(60)
def test_every_verified_checkpoint_is_in_the_claims_outbox_beside_the_recording(tmp_path):
    from carbon_smart_meter.claims.outbox import ClaimsOutbox
    from carbon_smart_meter.energy.findings import CheckpointFinding, CheckpointStatus
    from carbon_smart_meter.energy.session_verify import verify_session

    sim = noon_simulator(seed=6, checkpoint_interval_s=1)
    session = _session(tmp_path).start()
    try:
        source = session.connect(sim.port, record=True)
        sim.start()
        wait_until(lambda: session.acquisition.stats(source).checkpoints >= 3, what="three checkpoints")
        sim.stop()
        time.sleep(0.3)
    finally:
        [path] = session.stop()
        sim.close()
    assert session.energy.energy(source).verified_checkpoints >= 2
    _, findings = verify_session(path)
    verified = {f.seq for f in findings if isinstance(f, CheckpointFinding) and f.status == CheckpointStatus.VERIFIED}
    assert len(verified) >= 2
    outbox = ClaimsOutbox(tmp_path / "data" / "claims.sqlite")
    queued = {row.seq for row in outbox.all() if row.device == sim.address}
    assert verified <= queued, f"verified checkpoints {sorted(verified - queued)} are missing from the outbox"


def test_the_ledgers_findings_are_written_into_the_session_file(tmp_path):
    session = _session(tmp_path).start()
    dev = DeviceStream(source="dev0")
    session.start_recording(["dev0"])  # no reader: the records below arrive as a device's would
    hub = session.hub
    for env in (dev.hello(), dev.constant_block(), dev.checkpoint(), dev.constant_block(), dev.constant_block(),
                dev.checkpoint(energy_mwh=dev.energy_mwh() + 5_000)):  # signed, but 5 Wh more than measured
        hub.publish(env)
    wait_until(lambda: session.energy.findings.get("EnergyDivergence", 0) == 1, what="the divergence finding")
    [path] = session.stop()
    with Session(path) as s:
        kinds = [e["kind"] for e in s.events()]
        texts = [e["message"] for e in s.events() if e["kind"] == "divergence"]
    assert kinds.count("divergence") == 1 and "device counted" in texts[0]


def test_stopping_one_device_closes_its_file_while_the_other_carries_on_and_views_hear_of_it(tmp_path):
    a, b = noon_simulator(seed=7), noon_simulator(seed=8)
    session = _session(tmp_path).start()
    try:
        sa, sb = session.connect(a.port), session.connect(b.port)
        a.start()
        b.start()
        assert session.start_recording() == [sa, sb]
        wait_until(lambda: session.recorder is not None and {sa, sb} <= set(session.recorder.files),
                   what="both files open")
        [a_path] = session.stop_recording([sa])
        assert session.recording == {sb}
        closed = []
        wait_until(lambda: closed.extend(session.take_closed_recordings()) or closed, what="a's file closed")
        assert closed == [[a_path]] and sb in session.recorder.files
        with Session(a_path) as s:
            assert s.complete
    finally:
        session.stop()
        a.close()
        b.close()


def test_a_note_is_saved_only_while_something_is_recorded(tmp_path):
    session = _session(tmp_path).start()
    try:
        assert session.annotate("lens cleaned") is False
        session.start_recording(["dev0"])
        assert session.annotate("panel re-angled") is True
    finally:
        session.stop()
