"""The energy counter Home Assistant sees only goes up: across restarts, reconnects and devices."""

from __future__ import annotations

import json

import pytest

from carbon_smart_meter.mqtt.totals import EnergyTotals


def test_the_counter_continues_across_a_restart_and_a_reconnect(tmp_path):
    path = tmp_path / "totals.json"
    t = EnergyTotals(path)
    assert t.total_kwh("sim0", "0xaa", 0.0) == 0.0
    assert t.total_kwh("sim0", "0xaa", 1.5) == 1.5
    t.save()
    t = EnergyTotals(path)  # a restart: the session counts from zero again
    assert t.total_kwh("sim0", "0xaa", 0.0) == 1.5
    assert t.total_kwh("sim0", "0xaa", 0.25) == pytest.approx(1.75)
    # the session's count starts over (a reconnect): nothing lost, nothing counted twice
    assert t.total_kwh("sim0", "0xaa", 0.0) == pytest.approx(1.75)
    assert t.total_kwh("sim0", "0xaa", 0.5) == pytest.approx(2.25)
    # another device on the same port has its own counter
    assert t.total_kwh("sim0", "0xbb", 0.1) == pytest.approx(0.1)
    t.save()
    assert json.loads(path.read_text())["kwh"] == {"0xaa": pytest.approx(2.25), "0xbb": pytest.approx(0.1)}
    assert not list(tmp_path.glob("*.tmp"))


def test_a_damaged_counter_file_is_one_clear_message(tmp_path):
    path = tmp_path / "totals.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="move it aside"):
        EnergyTotals(path)
