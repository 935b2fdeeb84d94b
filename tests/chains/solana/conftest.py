"""Fixtures for the Solana adapter tests: LiteSVM with a funded payer and the shared vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from solders.keypair import Keypair
from solders.litesvm import LiteSVM

from carbon_smart_meter.chains.solana.backend import LiteSvmBackend

REPO = Path(__file__).resolve().parents[3]
VECTORS = REPO / "onchain" / "vectors"


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
