"""EVM chains: the CsmRewards Vyper contract through web3.py, and the embedded eth-tester chain.

`EvmAdapter` implements `carbon_smart_meter.chains.adapter.ChainAdapter`; `local_evm_deployment()`
starts the in-process chain used by `csm demo --chain evm`; `deploy.deploy_contract` backs
`csm chain deploy --chain NETWORK --rpc URL`. Modules import web3 lazily through these names only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carbon_smart_meter.chains.evm.adapter import EvmAdapter
    from carbon_smart_meter.chains.evm.local import LocalDeployment, local_evm_deployment

__all__ = ["EvmAdapter", "LocalDeployment", "local_evm_deployment"]


def __getattr__(name: str) -> Any:
    """Import web3/eth-tester only when the EVM chain is actually used (they take ~1 s to import)."""
    if name == "EvmAdapter":
        from carbon_smart_meter.chains.evm.adapter import EvmAdapter

        return EvmAdapter
    if name in ("LocalDeployment", "local_evm_deployment"):
        from carbon_smart_meter.chains.evm import local

        return getattr(local, name)
    raise AttributeError(name)
