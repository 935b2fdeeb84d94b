"""Fixtures for the Solana adapter tests: LiteSVM with a funded payer, the shared vectors, and the
rule that sbf-marked tests run only where the program binary exists (they are skipped, and not
counted, elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from solders.keypair import Keypair
from solders.litesvm import LiteSVM

from carbon_smart_meter.chains.solana.backend import LiteSvmBackend
from carbon_smart_meter.chains.solana.program_binary import find_program_binary, missing_binary_message

REPO = Path(__file__).resolve().parents[3]
VECTORS = REPO / "onchain" / "vectors"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if find_program_binary() is not None:
        return
    skip = pytest.mark.skip(reason="needs the SBF program binary: " + missing_binary_message().splitlines()[0])
    for item in items:
        if "sbf" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def svm() -> LiteSVM:
    return LiteSVM()


@pytest.fixture
def payer(svm: LiteSVM) -> Keypair:
    kp = Keypair()
    svm.airdrop(kp.pubkey(), 50 * 10**9)
    return kp


@pytest.fixture
def backend(svm: LiteSVM) -> LiteSvmBackend:
    return LiteSvmBackend(svm)


@pytest.fixture(scope="session")
def messages() -> dict:
    return json.loads((VECTORS / "messages.json").read_text())


@pytest.fixture(scope="session")
def solana_vectors() -> dict:
    return json.loads((VECTORS / "solana_instructions.json").read_text())
