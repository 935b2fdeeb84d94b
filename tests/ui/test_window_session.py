"""The logger window is a view of a live session: its recordings queue claims, its figures are `csm offsets`'."""

from __future__ import annotations

import json

import pytest
from tests.ui.answers import answer_stop_question

from carbon_smart_meter.app.energy_report import carbon_settings_from, energy_from_kwh, energy_report
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.cli import main
from carbon_smart_meter.energy.findings import CheckpointFinding, CheckpointStatus
from carbon_smart_meter.energy.session_verify import verify_session
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.ui.energy_panel import figures


def _record(qtbot, window, seconds: float, checkpoints: int = 0) -> list:
    source = next(iter(window.states))
    assert window.start_recording()
    qtbot.waitUntil(lambda: window.recorder is not None and source in window.recorder.files, timeout=5000)
    for _ in range(checkpoints):  # the device signs one on request, as it does every interval
        qtbot.wait(int(seconds * 1000 / (checkpoints + 1)))
        window.session.send(source, m.RequestCheckpoint())
    qtbot.wait(int(seconds * 1000 / (checkpoints + 1)))
    with qtbot.waitSignal(window.recordingStopped, timeout=10_000) as blocker:
        answer_stop_question(window)
        window.devices.record_button.click()
    return blocker.args[0]


@pytest.mark.timeout(60)
def test_a_gui_recording_leaves_a_claims_outbox_holding_every_verified_checkpoint(qtbot, window):
    source = window.add_simulator(rate=1000)
    [path] = _record(qtbot, window, 3.0, checkpoints=3)
    _, findings = verify_session(path)
    verified = {f.seq for f in findings if isinstance(f, CheckpointFinding) and f.status == CheckpointStatus.VERIFIED}
    assert len(verified) >= 2
    outbox = ClaimsOutbox(window.session.outbox_path)
    assert window.session.outbox_path.parent == path.parent  # beside the recording
    device = window.simulators[source].address
    assert verified <= {row.seq for row in outbox.all() if row.device == device}


@pytest.mark.timeout(60)
def test_the_windows_energy_and_reward_for_a_recording_equal_csm_offsets_of_the_file(qtbot, window, capsys):
    import datetime as dt

    noon = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0).timestamp()
    window.add_simulator(rate=2000, start_unix=noon, panel_watts=60)
    [path] = _record(qtbot, window, 4.0, checkpoints=3)  # signed checkpoints make its energy verifiable
    qtbot.waitUntil(lambda: path.name in window.energy_panel.shown, timeout=10_000)
    shown = window.energy_panel.shown[path.name]
    assert main(["offsets", str(path), "--json"]) == 0
    offsets = json.loads(capsys.readouterr().out)
    assert offsets["energy"]["kwh"] > 0
    assert shown.kwh == pytest.approx(offsets["energy"]["kwh"], rel=1e-3)
    assert shown.tokens == offsets["reward"]["tokens"]
    with Session(path) as s:
        assert s.attrs["region"] == "NZ"


def test_the_window_previews_half_a_kwh_in_new_zealand_as_csm_offsets_does(settings):
    report = energy_report(energy_from_kwh(0.5), carbon_settings_from(settings), block=False)
    fig = figures(settings, report)
    assert fig.tokens == 30_000_000 and "30,000,000" in fig.reward  # it said 15,000,000 before


def test_a_kiosk_window_shows_the_claims_state_and_no_device_controls(qtbot, tmp_path):
    from carbon_smart_meter.ui.main_window import MainWindow

    session = LiveSession(Settings(data_dir=str(tmp_path / "data"), profile="kiosk"),
                          calibrations=CalibrationStore(tmp_path / "cal")).start()
    win = MainWindow(session.settings, settings_path=tmp_path / "s.toml", session=session)
    qtbot.addWidget(win)
    win.show()
    try:
        assert not win.devices.record_button.isVisible() and not win.devices.disconnect_button.isVisible()
        qtbot.waitUntil(lambda: "claims: 0 waiting, sync off" in win.status_sync.text(), timeout=3000)
        assert "no deployment configured" in win.status_sync.toolTip()
    finally:
        win.shutdown()
        session.stop()


@pytest.mark.timeout(60)
def test_closing_a_view_leaves_the_sessions_recording_running(qtbot, tmp_path):
    from carbon_smart_meter.devices.simulator import SimulatedAdapter
    from carbon_smart_meter.ui.main_window import MainWindow

    session = LiveSession(Settings(data_dir=str(tmp_path / "data"), profile="ship"),
                          calibrations=CalibrationStore(tmp_path / "cal"),
                          recorder_options={"flush_interval_s": 0.2}).start()
    sim = SimulatedAdapter(rate=1000, seed=41).open()
    source = session.connect(sim.port)  # the ship profile records it from the start
    sim.start()
    try:
        win = MainWindow(session.settings, settings_path=tmp_path / "s.toml", session=session)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: session.recorder is not None and source in session.recorder.files, timeout=5000)
        win.close()  # the view goes (a kiosk's watchdog restarting it, a user closing the window)
        rows = session.recorder.files[source].rows_written
        qtbot.wait(500)
        assert session.recording == {source} and session.recorder.files[source].rows_written > rows
    finally:
        [path] = session.stop()
        sim.close()
    with Session(path) as s:
        assert s.complete and s.rows() > rows
