"""MQTT tests run a real mosquitto; they never read or write the user's settings file."""

from __future__ import annotations

import pytest
from tests.mqtt.broker_helpers import Broker, free_port


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_SETTINGS", str(tmp_path / "settings.toml"))


@pytest.fixture
def broker(tmp_path):
    b = Broker(tmp_path, free_port()).start()
    yield b
    b.stop()
