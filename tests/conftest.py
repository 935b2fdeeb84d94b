"""Shared test setup: Qt runs offscreen everywhere (pytest-qt has no ini option for the platform)."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]

# CI machines are small and shared: a slow example is not a failure. Correctness, not speed, is
# what property tests check here (speed lives in tests/benchmarks).
settings.register_profile("csm", deadline=None)
settings.load_profile("csm")


BENCHMARKS = REPO / "tests" / "benchmarks"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/benchmarks is a benchmark, marked or not, so `make test-fast` leaves it out."""
    for item in items:
        if item.path.is_relative_to(BENCHMARKS):
            item.add_marker(pytest.mark.benchmark)
