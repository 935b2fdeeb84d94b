"""The embedded chain as `csm demo --chain evm` starts it, shared by the adapter tests.

Like the demo's, its clock is a simulated one (started two hours ago) that tests move forward, so the
chain sees the time pass that the cap accrues over.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from carbon_smart_meter.chains.evm.local import LocalDeployment, local_evm_deployment


@pytest.fixture(scope="module")
def demo_chain() -> LocalDeployment:
    return local_evm_deployment(manual_clock=True, genesis_timestamp=int(time.time()) - 7_200)


@pytest.fixture
def demo(demo_chain: LocalDeployment) -> Iterator[LocalDeployment]:
    snapshot = demo_chain.chain.snapshot()
    yield demo_chain
    demo_chain.chain.revert(snapshot)
