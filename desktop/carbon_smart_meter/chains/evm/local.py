"""The embedded EVM: eth-tester on py-evm, in-process, for `csm demo --chain evm` and the tests.

It looks like a local Hardhat/Anvil node on purpose: chain id 31337 and the well-known development
accounts of the mnemonic "test test ... junk", so the first deployment lands at
0x5FbDB2315678afecb367f032d93F642f64180aa3 and its deployment id is the one in
onchain/vectors/messages.json. Those keys are public: never fund them on a real network.

Every transaction is mined at once and a mined block never reorganises, so receipts are final
immediately. A manual clock (block time = parent + 1 unless moved with `travel_to`) makes tests
deterministic; the demo uses the wall clock, so device checkpoints dated "now" are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.deploy import deploy_contract
from carbon_smart_meter.devices.identity import DEV_MANUFACTURER
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.limits import PARAMS_DELAY_S_DEFAULT
from carbon_smart_meter.rewards.params import PayoutParams

if TYPE_CHECKING:
    from eth.abc import BlockHeaderAPI

LOCAL_CHAIN_ID = 31337
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_HD_PATH = "m/44'/60'/0'/0"
DEV_ACCOUNTS = 10


def dev_manufacturer_key() -> DeviceKey:
    """The development manufacturer (devices.identity): a public seed, never trusted on a real deployment."""
    return DEV_MANUFACTURER


def _manual_clock_vm() -> type:
    """Prague with block time = parent + 1 unless set: blocks, gas estimates and calls agree on `now`.

    py-evm otherwise stamps every new header (including the one an estimate runs in) with the wall
    clock, which a test that moved time to 2023 would see as a jump back to today.
    """
    from eth.vm.forks import PragueVM

    prague_header = PragueVM.create_header_from_parent

    def create_header_from_parent(parent_header: BlockHeaderAPI | None, **header_params: Any) -> BlockHeaderAPI:
        if parent_header is not None:
            header_params.setdefault("timestamp", parent_header.timestamp + 1)
        return prague_header(parent_header, **header_params)

    return type("ManualClockPragueVM", (PragueVM,), {
        "create_header_from_parent": staticmethod(create_header_from_parent)})


class LocalEvm:
    """One in-process chain with snapshots, a settable clock and direct storage access for tests."""

    def __init__(self, *, genesis_timestamp: int | None = None, manual_clock: bool = False) -> None:
        from eth_tester import EthereumTester, PyEVMBackend
        from eth_tester.backends.pyevm.main import get_account_keys_from_mnemonic
        from web3 import EthereumTesterProvider, Web3
        from web3.providers.eth_tester.defaults import API_ENDPOINTS, static_return

        keys = get_account_keys_from_mnemonic(DEV_MNEMONIC, quantity=DEV_ACCOUNTS, hd_path=DEV_HD_PATH)
        genesis_state = PyEVMBackend.generate_genesis_state(
            mnemonic=DEV_MNEMONIC, num_accounts=DEV_ACCOUNTS, hd_path=DEV_HD_PATH)
        overrides = {"timestamp": genesis_timestamp} if genesis_timestamp is not None else None
        self.backend = PyEVMBackend(genesis_parameters=PyEVMBackend.generate_genesis_params(overrides),
                                    genesis_state=genesis_state, mnemonic=DEV_MNEMONIC, hd_path=DEV_HD_PATH,
                                    vm_configuration=((0, _manual_clock_vm()),) if manual_clock else None)
        self._set_chain_id()
        self.tester = EthereumTester(self.backend)
        endpoints = {name: dict(methods) for name, methods in API_ENDPOINTS.items()}
        endpoints["eth"]["chainId"] = static_return(LOCAL_CHAIN_ID)
        self._endpoints = endpoints
        self.w3 = Web3(EthereumTesterProvider(self.tester, api_endpoints=endpoints))
        self.accounts: list[LocalAccount] = [Account.from_key(k.to_bytes()) for k in keys]

    def _set_chain_id(self, chain_id: int = LOCAL_CHAIN_ID) -> None:
        """Give the py-evm chain chain id 31337 (CHAINID and EIP-155 signatures both use it)."""
        base = type(self.backend.chain)
        local_chain = type("LocalChain", (base,), {"chain_id": chain_id})
        chain = self.backend.chain
        self.backend.chain = local_chain(chain.chaindb.db, chain.header)

    def fork_to_chain_id(self, chain_id: int) -> None:
        """From the next block on the chain has another chain id, as after a contentious fork (tests)."""
        from web3.providers.eth_tester.defaults import static_return

        self._set_chain_id(chain_id)
        self._endpoints["eth"]["chainId"] = static_return(chain_id)

    # -- test helpers -------------------------------------------------------------------------------

    def snapshot(self) -> int:
        return int(self.tester.take_snapshot())

    def revert(self, snapshot: int) -> None:
        self.tester.revert_to_snapshot(snapshot)

    def pending_timestamp(self) -> int:
        return int(self.w3.eth.get_block("pending")["timestamp"])

    def travel_to(self, timestamp: int) -> None:
        """The next transaction is mined in a block with exactly this timestamp (manual clock)."""
        if timestamp < self.pending_timestamp():
            raise ChainError(f"cannot move the local chain back to {timestamp}: revert a snapshot first")
        if timestamp > self.pending_timestamp():
            # The backend directly: eth-tester's own check stops at the year 3017, and the payout
            # vectors probe u64 limits with device times near 2e17.
            self.backend.time_travel(timestamp)

    def set_storage(self, address: bytes, slot: int, value: int) -> None:
        """Write one storage word of the pending state (test setup for states no call can reach)."""
        chain = self.backend.chain
        state = chain.get_vm().state
        state.set_storage(address, slot, value)
        state.persist()
        chain.header = chain.header.copy(state_root=state.state_root)

    def get_storage(self, address: bytes, slot: int) -> int:
        return int(self.backend.chain.get_vm().state.get_storage(address, slot))


@dataclass
class LocalDeployment:
    chain: LocalEvm
    adapter: EvmAdapter
    owner: LocalAccount
    wallet: LocalAccount
    manufacturer: DeviceKey

    def adapter_for(self, account: LocalAccount) -> EvmAdapter:
        """Another signer (for example a second wallet) on the same deployment."""
        return EvmAdapter(self.chain.w3, self.adapter.address, account)

    def register_site(self, device: bytes, region: int) -> None:
        """As the owner, register the site region a device is paid at (RULES.md "Price region")."""
        self.adapter_for(self.owner).set_device_region(device, region)


def local_evm_deployment(*, wallet_index: int = 1, manual_clock: bool = False,
                         genesis_timestamp: int | None = None,
                         default_price_micro_usd: int | None = None,
                         params: PayoutParams | None = None,
                         params_delay_s: int = PARAMS_DELAY_S_DEFAULT) -> LocalDeployment:
    """Start the embedded chain, deploy CsmRewards, register the development manufacturer.

    The adapter returned signs as the funded wallet `accounts[wallet_index]` (the owner is
    `accounts[0]`, which deploys at nonce 0), ready for register/bind/claim in `csm demo --chain evm`.
    `params` (with its price table) replaces the RULES.md defaults from the start (a demo may lower
    `min_claim_mwh` so minutes of a simulated panel already pay); later changes wait `params_delay_s`.
    """
    chain = LocalEvm(genesis_timestamp=genesis_timestamp, manual_clock=manual_clock)
    owner = chain.accounts[0]
    address = deploy_contract(chain.w3, owner, default_price_micro_usd=default_price_micro_usd, params=params,
                              params_delay_s=params_delay_s).address
    owner_adapter = EvmAdapter(chain.w3, address, owner)
    manufacturer = dev_manufacturer_key()
    owner_adapter.set_manufacturer(manufacturer.address, True)
    wallet = chain.accounts[wallet_index]
    return LocalDeployment(chain, EvmAdapter(chain.w3, address, wallet), owner, wallet, manufacturer)
