"""Issue 18: "today" is the energy since local midnight, kept across restarts, started afresh each day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from carbon_smart_meter.app.energy_today import SAVE_EVERY_S, TodayEnergy


class Clock:
    def __init__(self, when: dt.datetime) -> None:
        self.t = when.timestamp()

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock(dt.datetime(2026, 6, 1, 10, 0))  # local time


def test_today_adds_what_the_live_energy_grew_and_survives_a_restart(tmp_path, clock):
    path = tmp_path / "energy-today.json"
    today = TodayEnergy(path, clock)
    assert today.update("0xaa", 5.0) == 0.0  # energy made before the window saw the device is not counted
    assert today.update("0xaa", 7.5) == pytest.approx(2.5)
    assert today.update("0xaa", 1.0) == pytest.approx(3.5)  # reconnected: its counter started again
    assert today.save()
    again = TodayEnergy(path, clock)
    assert again.today_wh("0xaa") == pytest.approx(3.5)
    again.update("0xaa", 0.0)
    assert again.update("0xaa", 2.0) == pytest.approx(5.5)


def test_a_new_local_day_starts_from_zero(tmp_path, clock):
    path = tmp_path / "energy-today.json"
    today = TodayEnergy(path, clock)
    today.update("0xaa", 0.0)
    today.update("0xaa", 4.0)
    today.save()
    clock.t = dt.datetime(2026, 6, 2, 0, 0, 5).timestamp()
    assert TodayEnergy(path, clock).today_wh("0xaa") == 0.0  # yesterday's file is not today's
    assert today.update("0xaa", 5.0) == pytest.approx(1.0)  # a window running over midnight starts again


def test_it_saves_on_its_own_every_so_often(tmp_path, clock):
    path = tmp_path / "energy-today.json"
    today = TodayEnergy(path, clock)
    today.update("0xaa", 0.0)
    clock.t += SAVE_EVERY_S
    today.update("0xaa", 3.0)
    assert json.loads(path.read_text())["wh"] == {"0xaa": 3.0}


def test_a_damaged_file_is_said_and_counting_starts_from_now(tmp_path, clock):
    path = tmp_path / "energy-today.json"
    path.write_bytes(b"\x89HDF\r\n garbage")
    today = TodayEnergy(path, clock)
    assert "not read" in today.problem and today.today_wh("0xaa") == 0.0
    path.write_text(json.dumps({"day": "2026-06-01", "wh": {"0xaa": float("nan"), "0xbb": 2.0}}))
    assert TodayEnergy(path, clock).wh == {"0xbb": 2.0}


def test_an_unwritable_folder_is_a_problem_not_a_crash(tmp_path, clock):
    (tmp_path / "file").write_text("")
    today = TodayEnergy(tmp_path / "file" / "energy-today.json", clock)
    today.update("0xaa", 0.0)
    today.update("0xaa", 1.0)
    assert not today.save() and "not saved" in today.problem


def test_energy_counted_from_the_connection_today_is_all_today(tmp_path, clock):
    today = TodayEnergy(tmp_path / "energy-today.json", clock)
    assert today.update("0xaa", 0.4, from_zero=True) == pytest.approx(0.4)
    assert today.update("0xaa", 0.5, from_zero=True) == pytest.approx(0.5)
