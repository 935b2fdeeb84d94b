"""What the service tells views about each station: power, today, totals, and silence noticed in seconds."""

from __future__ import annotations

import pytest
from tests.app.session_helpers import noon_simulator, wait_until

from carbon_smart_meter.app.installation_totals import InstallationTotals
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.app.station_figures import StationFigures
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.settings import Settings


@pytest.mark.timeout(60)
def test_a_connected_station_that_goes_silent_is_reported_as_not_reporting(tmp_path):
    sim = noon_simulator(seed=31)
    session = LiveSession(Settings(data_dir=str(tmp_path / "data"), region="DE"), "kiosk",
                          calibrations=CalibrationStore(tmp_path / "none"), recorder_options={"flush_interval_s": 0.2})
    figures = StationFigures(session, InstallationTotals(tmp_path / "totals.json"), tz="UTC", silent_after_s=1.0)
    session.start()
    try:
        source = session.connect(sim.port)
        sim.start()

        def station() -> dict:
            [st] = figures.state()["stations"]
            return st

        wait_until(lambda: station()["reporting"] and station()["power_w"] > 0 and station()["device"], 20,
                   "a live station with power")
        live = station()
        assert live["source"] == source and live["recording"]  # the kiosk profile records on connect
        assert live["today_co2_kg"] is not None and live["today_reward"] is not None
        wait_until(lambda: station()["today_wh"] > 0, 20, "today's energy")
        sim.stop()  # the port stays open, nothing more arrives: a hung adapter
        wait_until(lambda: not station()["reporting"], 10, "silence noticed")
        silent = station()
        assert silent["link"] == "connected" and silent["silent_s"] >= 1.0 and silent["power_w"] == 0.0
        state = figures.state()
        assert state["totals"]["energy_wh"] == pytest.approx(silent["total_wh"])
        assert state["co2_factor"]["region"] == "DE"
    finally:
        session.stop()
        sim.close()
