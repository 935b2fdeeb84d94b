"""Profiles change behaviour: what is recorded and when, whether claims sync by themselves, what views show."""

from __future__ import annotations

import pytest
from tests.app.session_helpers import noon_simulator, wait_until

from carbon_smart_meter.app.profiles import KIOSK, LOGGER, PROFILES, SHIP, ProfileError, SyncPolicy, profile_named
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.settings import PROFILES as SETTINGS_CHOICES
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage.reader import Session


def _session(tmp_path, profile: str | None = None, chain=None) -> LiveSession:
    settings = Settings(data_dir=str(tmp_path / "data"), profile=profile or "logger")
    return LiveSession(settings, None, calibrations=CalibrationStore(tmp_path / "none"), chain=chain,
                       recorder_options={"flush_interval_s": 0.2})


def test_the_settings_offer_exactly_the_profiles_there_are():
    assert tuple(PROFILES) == SETTINGS_CHOICES == ("logger", "kiosk", "ship")
    with pytest.raises(ProfileError, match="choose one of logger, kiosk, ship"):
        profile_named("yacht")


def test_the_settings_choice_is_the_profile_a_session_runs():
    for name in SETTINGS_CHOICES:
        assert LiveSession(Settings(profile=name)).profile is profile_named(name)


@pytest.mark.parametrize("name", ["kiosk", "ship"])
@pytest.mark.timeout(60)
def test_kiosk_and_ship_record_every_device_from_the_moment_it_connects(tmp_path, name):
    sim = noon_simulator(seed=31)
    session = _session(tmp_path, name).start()
    try:
        source = session.connect(sim.port)  # nobody presses Record
        sim.start()
        wait_until(lambda: session.recorder is not None and source in session.recorder.files, what="its file")
        assert session.recording == {source}
        rec = session.recorder
        assert rec.rotation is not None, "a file per device per day"
        assert rec.retention is not None
        assert rec.retention.budget_bytes == profile_named(name).recording.disk_budget_bytes
    finally:
        [path] = session.stop()
        sim.close()
    with Session(path) as s:
        assert s.attrs["profile"] == name and s.table("blocks")["first_sample"][0] == 0  # from its first block


@pytest.mark.timeout(60)
def test_the_logger_records_only_when_asked(tmp_path):
    sim = noon_simulator(seed=32)
    session = _session(tmp_path, "logger").start()
    try:
        source = session.connect(sim.port)
        sim.start()
        wait_until(lambda: session.acquisition.stats(source).samples > 1000, what="samples")
        assert session.recorder is None and session.recording == frozenset()
        session.start_recording()
        assert session.recorder.rotation is None and session.recorder.retention is None  # every sample kept
    finally:
        assert session.stop() == []
        sim.close()


def test_claims_sync_by_themselves_in_kiosk_and_ship_with_a_deployment_and_never_in_the_logger(tmp_path):
    deployment = local_evm_deployment()
    for name, runs in (("logger", False), ("kiosk", True), ("ship", True)):
        session = _session(tmp_path / name, name, chain=deployment.adapter).start()
        try:
            snap = session.snapshot()
            assert (snap.sync is not None and snap.sync.running) is runs, name
            if runs:
                wait_until(lambda s=session: s.sync.status().attempts >= 1, what=f"{name}'s first sync")
                assert session.sync.status().last_error is None
                assert session.sync.policy == profile_named(name).sync
            else:
                assert "off in the logger profile" in snap.sync_note
        finally:
            session.stop()
    ship_offline = _session(tmp_path / "ship-no-chain", "ship").start()
    assert ship_offline.sync is None and "no deployment configured" in ship_offline.snapshot().sync_note
    ship_offline.stop()


def test_profiles_set_rotation_retention_sync_and_view_in_one_place():
    assert not LOGGER.recording.rotate_daily and LOGGER.recording.disk_budget_bytes is None  # every sample kept
    for p in (KIOSK, SHIP):
        assert p.recording.on_connect and p.recording.rotate_daily and p.recording.disk_budget_bytes
        assert p.sync.enabled and p.sync.backoff_max_s <= 3600 and p.view.sync_status
    assert KIOSK.view.fullscreen and not KIOSK.view.device_controls and LOGGER.view.device_controls
    with pytest.raises(ProfileError):
        SyncPolicy(enabled=True, backoff_initial_s=10, backoff_max_s=5)
