"""A small simulated fleet with the planted cases, written once per test run (1 Hz, two days a device)."""

from __future__ import annotations

import pytest
from tests.fleet.fleet_helpers import Fleet, make_fleet


@pytest.fixture(scope="session")
def small_fleet(tmp_path_factory) -> Fleet:
    return make_fleet(tmp_path_factory.mktemp("fleet"), honest_devices=16)
