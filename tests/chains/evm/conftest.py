"""The embedded chain as `csm demo --chain evm` starts it (wall clock), shared by the adapter tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carbon_smart_meter.chains.evm.local import LocalDeployment, local_evm_deployment


@pytest.fixture(scope="module")
def demo_chain() -> LocalDeployment:
    return local_evm_deployment()


@pytest.fixture
def demo(demo_chain: LocalDeployment) -> Iterator[LocalDeployment]:
    snapshot = demo_chain.chain.snapshot()
    yield demo_chain
    demo_chain.chain.revert(snapshot)
