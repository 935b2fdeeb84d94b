"""The rewards contract on a real node in its own process (anvil), shaped like the embedded deployment
(evm.local.LocalDeployment), so `csm demo --chain evm --node anvil` runs the same story over JSON-RPC.

Its clock follows the accelerated simulated device the same way: the next block is dated at the
device's time (anvil's evm_setNextBlockTimestamp), so the chain sees the simulated hours pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3 import Web3

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.anvil import AnvilNode, dev_accounts
from carbon_smart_meter.chains.evm.deploy import connect, deploy_contract
from carbon_smart_meter.chains.evm.local import dev_manufacturer_key
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.params import PayoutParams


@dataclass
class AnvilClock:
    node: AnvilNode
    w3: Web3

    def pending_timestamp(self) -> int:
        """The earliest time the next block can carry."""
        return int(self.w3.eth.get_block("latest")["timestamp"]) + 1

    def travel_to(self, timestamp: int) -> None:
        """An empty block dated `timestamp` is mined now, so gas estimates and the next transaction see that
        time (a real node answers estimates at its newest block, not at a timestamp set for the next one)."""
        if timestamp >= self.pending_timestamp():
            self.node.set_next_timestamp(timestamp)
            self.node.mine()


@dataclass
class AnvilDeployment:
    node: AnvilNode
    chain: AnvilClock
    adapter: EvmAdapter
    owner: LocalAccount
    wallet: LocalAccount
    manufacturer: DeviceKey

    def register_site(self, device: bytes, region: int) -> None:
        """As the owner, register the site region a device is paid at (RULES.md "Price region")."""
        EvmAdapter(self.chain.w3, self.adapter.address, self.owner, poll_s=0.05).set_device_region(device, region)

    def close(self) -> None:
        self.node.stop()


def anvil_deployment(*, params: PayoutParams | None = None, genesis_timestamp: int | None = None,
                     wallet_index: int = 1) -> AnvilDeployment:
    """Start anvil (`make tools` installs it), deploy CsmRewards, allow the development manufacturer."""
    node = AnvilNode(timestamp=genesis_timestamp).start()
    try:
        w3 = connect(node.url)
        accounts = dev_accounts(wallet_index + 1)
        owner, wallet = accounts[0], accounts[wallet_index]
        address = deploy_contract(w3, owner, params=params).address
        manufacturer = dev_manufacturer_key()
        EvmAdapter(w3, address, owner, poll_s=0.05).set_manufacturer(manufacturer.address, True)
        adapter = EvmAdapter(w3, address, wallet, poll_s=0.05)
    except BaseException:
        node.kill()
        raise
    return AnvilDeployment(node, AnvilClock(node, w3), adapter, owner, wallet, manufacturer)
