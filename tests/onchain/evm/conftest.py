"""One embedded chain for all contract tests; every test starts from the same snapshot.

The chain uses a manual clock that starts in 2020, so vectors dated 2023 (and 2e17) can be reached
by moving time forward; each test reverts to the snapshot taken right after deployment.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.onchain.evm.evm_contract_support import GENESIS_TIMESTAMP, VECTOR_PARAMS

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.local import LocalDeployment, local_evm_deployment


@pytest.fixture(scope="session")
def deployment() -> LocalDeployment:
    return local_evm_deployment(manual_clock=True, genesis_timestamp=GENESIS_TIMESTAMP, params=VECTOR_PARAMS)


@pytest.fixture(scope="session")
def base_snapshot(deployment: LocalDeployment) -> int:
    return deployment.chain.snapshot()


@pytest.fixture
def evm(deployment: LocalDeployment, base_snapshot: int) -> Iterator[LocalDeployment]:
    """The deployment at its base snapshot (vector parameters, dev manufacturer registered)."""
    deployment.chain.revert(base_snapshot)
    yield deployment
    deployment.chain.revert(base_snapshot)


@pytest.fixture
def owner(evm: LocalDeployment) -> EvmAdapter:
    return evm.adapter_for(evm.owner)


@pytest.fixture
def wallet(evm: LocalDeployment) -> EvmAdapter:
    return evm.adapter


@pytest.fixture
def other_wallet(evm: LocalDeployment) -> EvmAdapter:
    return evm.adapter_for(evm.chain.accounts[2])
