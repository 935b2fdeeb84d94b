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
    """Everything under tests/benchmarks is a benchmark, marked or not, so `make test-fast` leaves it out.

    Tests marked `sbf` run the real Solana program binary (`make solana` builds it). `make test` sets
    CSM_REQUIRE_SOLANA_PROGRAM, and then a missing binary is an error, never a skip; a developer running
    pytest without the binary sees each of those tests skipped with the reason.
    """
    for item in items:
        if item.path.is_relative_to(BENCHMARKS):
            item.add_marker(pytest.mark.benchmark)
    from carbon_smart_meter.chains.solana.program_binary import find_program_binary, missing_binary_message

    if not any("sbf" in item.keywords for item in items) or find_program_binary() is not None:
        return
    if os.environ.get("CSM_REQUIRE_SOLANA_PROGRAM"):
        raise pytest.UsageError(missing_binary_message())
    skip = pytest.mark.skip(reason="needs the Solana program binary: run `make solana`")
    for item in items:
        if "sbf" in item.keywords:
            item.add_marker(skip)
