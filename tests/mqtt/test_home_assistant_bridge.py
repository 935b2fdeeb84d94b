"""`csm mqtt` against a real mosquitto: discovery configs and values arrive, energy survives a restart."""

from __future__ import annotations

import json
import time
from functools import partial

import pytest
from tests.app.session_helpers import noon_simulator, wait_until
from tests.mqtt.broker_helpers import Reader

from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.cli import main
from carbon_smart_meter.mqtt.bridge import MqttBridge
from carbon_smart_meter.mqtt.broker import parse_broker
from carbon_smart_meter.mqtt.discovery import Topics, node_id
from carbon_smart_meter.mqtt.publisher import Publisher
from carbon_smart_meter.mqtt.totals import FILENAME, EnergyTotals
from carbon_smart_meter.settings import Settings

FAST = {"flush_interval_s": 0.2}


def _run_bridge(tmp_path, broker, seed: int, seconds: float) -> tuple[str, MqttBridge]:
    sim = noon_simulator(seed=seed, rate=200)
    settings = Settings(data_dir=str(tmp_path / "data"), region="DE")
    session = LiveSession(settings, "logger", calibrations=CalibrationStore(tmp_path / "none"), recorder_options=FAST)
    totals = EnergyTotals(tmp_path / "data" / FILENAME)
    bridge = MqttBridge(session, partial(Publisher, parse_broker(f"mqtt://127.0.0.1:{broker.port}")), totals,
                        interval_s=0.2)
    bridge.start()
    session.start()
    try:
        source = session.connect(sim.port, record=False)
        sim.start()
        wait_until(lambda: (e := session.energy.energy(source)) is not None and e.energy_wh > 0, what="energy")
        time.sleep(seconds)
        sim.stop()
    finally:
        session.stop()
        bridge.stop()
        sim.close()
    return "0x" + sim.address.hex(), bridge


@pytest.mark.timeout(90)
def test_discovery_configs_and_values_arrive_and_energy_keeps_rising_across_a_restart(tmp_path, broker):
    reader = Reader(broker.port, ["homeassistant/#", "csm/#"])
    try:
        address, _ = _run_bridge(tmp_path, broker, seed=11, seconds=1.5)
        topics = Topics()
        node = node_id(address)
        energy_cfg = json.loads(reader.on(f"homeassistant/sensor/{node}/energy_kwh/config")[-1])
        assert energy_cfg["device_class"] == "energy" and energy_cfg["state_class"] == "total_increasing"
        assert energy_cfg["unit_of_measurement"] == "kWh"
        assert energy_cfg["state_topic"] == topics.state(address)
        assert energy_cfg["device"]["identifiers"] == [node]
        assert energy_cfg["default_entity_id"] == f"sensor.{node}_energy_kwh"
        for key, unit in (("power_w", "W"), ("voltage_v", "V"), ("current_a", "A"), ("co2_kg", "kg")):
            cfg = json.loads(reader.on(f"homeassistant/sensor/{node}/{key}/config")[-1])
            assert cfg["unit_of_measurement"] == unit and cfg["unique_id"] == f"{node}_{key}"
        link_cfg = json.loads(reader.on(f"homeassistant/binary_sensor/{node}/link/config")[-1])
        assert link_cfg["device_class"] == "connectivity"
        states = reader.json_on(topics.state(address))
        live = [s for s in states if s["link"] == "connected"]
        assert len(live) >= 3
        # a panel at local noon: tens of watts at ~18 V
        assert max(s["power_w"] for s in live) > 5 and 5 < live[-1]["voltage_v"] < 30 and live[-1]["current_a"] > 0
        assert abs(live[-1]["power_w"] - live[-1]["voltage_v"] * live[-1]["current_a"]) < 0.2 * live[-1]["power_w"]
        energies = [s["energy_kwh"] for s in states]
        assert energies == sorted(energies) and energies[-1] > 0
        assert states[-1]["co2_kg"] > 0
        assert reader.on(topics.bridge_status)[-1] == b"offline"  # said on a clean stop
        first_run_total = energies[-1]
        stored = json.loads((tmp_path / "data" / FILENAME).read_text())["kwh"][address]
        assert stored == pytest.approx(first_run_total, rel=1e-6, abs=1e-9)

        # the same device after a restart (a new session from zero): the counter goes on from the old total
        n_before = len(states)
        _run_bridge(tmp_path, broker, seed=11, seconds=0.8)
        after = [s["energy_kwh"] for s in reader.json_on(topics.state(address))[n_before:]]
        assert after and min(after) >= first_run_total and after[-1] > first_run_total
    finally:
        reader.close()


@pytest.mark.timeout(90)
def test_csm_mqtt_command_publishes_a_simulated_device(no_records, tmp_path, broker, capsys):
    sim = noon_simulator(seed=12, rate=200)
    reader = Reader(broker.port, ["homeassistant/#", "csm/#"])
    try:
        sim.start()
        code = main(["mqtt", sim.port, "--broker", f"127.0.0.1:{broker.port}", "--interval", "0.3",
                     "--out", str(tmp_path / "data"), "--profile", "logger", "--duration", "3",
                     "--calibrations", str(no_records)])
    finally:
        sim.stop()
        sim.close()
        reader.close()
    out = capsys.readouterr()
    assert code == 0, out.err
    address = "0x" + sim.address.hex()
    assert reader.on(f"homeassistant/sensor/{node_id(address)}/energy_kwh/config")
    assert any(s["power_w"] > 0 for s in reader.json_on(Topics().state(address)))
    assert "messages sent" in out.err
    assert out.out.strip().endswith(".h5")  # it recorded, as `csm log` does


def test_a_bad_broker_url_is_one_clear_line(capsys):
    assert main(["mqtt", "loop://", "--broker", "http://example.org"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "mqtt://" in err[0]
