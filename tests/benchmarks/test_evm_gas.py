"""Gas per claim of CsmRewards.claim_batch in batches of 1, 10 and 50 devices.

Two layouts: every device bound to its own wallet (each mint touches a cold balance) and a resort
whose devices all pay one wallet. "first" is a device's first claim after binding (its hash-chain
slot goes from zero to non-zero, 20k gas); "steady" every later claim. The baseline measured in the
same run is a plain ERC-20 transfer on the same contract; the published reference is 62k-95k gas
for a Uniswap merkle-distributor claim. Run: .venv/bin/pytest tests/benchmarks/test_evm_gas.py -s
"""

from __future__ import annotations

import pytest
from eth_account import Account
from tests.onchain.evm.evm_contract_support import attestation, bind_message, checkpoint

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.local import LocalDeployment, local_evm_deployment
from carbon_smart_meter.protocol.signing import DeviceKey

pytestmark = pytest.mark.benchmark

T0 = 1_700_000_000
DAY = 86_400
SIZES = (1, 10, 50)
UNISWAP_MERKLE_CLAIM = (62_000, 95_000)
STEADY_CLAIM_BUDGET_AT_50 = 30_000   # README's performance target


def _setup(own_wallets: bool) -> tuple[LocalDeployment, list[tuple[DeviceKey, EvmAdapter]]]:
    d = local_evm_deployment(manual_clock=True, genesis_timestamp=T0 - 1_000)
    funder = d.chain.accounts[0]
    devices = []
    for i in range(max(SIZES)):
        if own_wallets:
            account = Account.from_key(DeviceKey.from_seed(b"bench-wallet-%d" % i).secret)
            d.chain.w3.eth.send_transaction({"from": funder.address, "to": account.address, "value": 10**18})
            wallet = d.adapter_for(account)
        else:
            wallet = d.adapter
        key = DeviceKey.from_seed(b"bench-device-%d" % i)
        wallet.register_device(attestation(d.manufacturer, key, 100))
        wallet.bind(bind_message(key, wallet.account.address, wallet.deployment_id, 1, 0, T0 - 1_000))
        devices.append((key, wallet))
    return d, devices


def _per_claim(d: LocalDeployment, devices: list[tuple[DeviceKey, EvmAdapter]], round_: int) -> int:
    claims = [
        checkpoint(key, d.adapter.deployment_id, 1 + round_, 100_000 * round_, T0 + DAY * round_) for key, _ in devices
    ]
    d.chain.travel_to(max(d.chain.pending_timestamp(), T0 + DAY * round_))
    receipt = d.adapter.submit_batch(claims)
    assert all(o.paid for o in receipt.outcomes)
    return receipt.gas_or_compute_units // len(devices)


@pytest.mark.parametrize("own_wallets", [True, False], ids=["wallet per device", "one resort wallet"])
def test_gas_per_claim_falls_with_batch_size(own_wallets: bool, benchmark) -> None:
    d, devices = _setup(own_wallets)
    ready = d.chain.snapshot()
    table: dict[int, tuple[int, int]] = {}
    for n in SIZES:
        d.chain.revert(ready)
        first = _per_claim(d, devices[:n], 1)
        steady = _per_claim(d, devices[:n], 2)
        table[n] = (first, steady)

    # Baseline in the same run: an ERC-20 transfer of the reward token on the same contract.
    sender = devices[0][1]
    data = sender.contract.encode_abi("transfer", args=[d.chain.accounts[5].address, 1])
    transfer_gas = int(sender.sender.send({"to": sender.address, "data": data}, "transfer")["gasUsed"])

    d.chain.revert(ready)
    _per_claim(d, devices, 1)
    after_first = d.chain.snapshot()

    def steady_batch_of_50() -> None:
        _per_claim(d, devices, 2)

    benchmark.pedantic(steady_batch_of_50, setup=lambda: d.chain.revert(after_first), rounds=1, iterations=1)

    layout = "wallet per device" if own_wallets else "one resort wallet"
    print(f"\nCsmRewards.claim_batch gas per claim ({layout}); ERC-20 transfer baseline {transfer_gas}")
    print("| batch | first claim | steady claim | steady / transfer |")
    print("|---:|---:|---:|---:|")
    for n, (first, steady) in table.items():
        print(f"| {n} | {first:,} | {steady:,} | {steady / transfer_gas:.2f} |")
    benchmark.extra_info.update({f"gas_per_claim_{n}": {"first": f, "steady": s} for n, (f, s) in table.items()})
    benchmark.extra_info["erc20_transfer_gas"] = transfer_gas

    assert table[50][1] < table[10][1] < table[1][1]
    assert table[50][1] < UNISWAP_MERKLE_CLAIM[0]
    assert table[50][1] <= STEADY_CLAIM_BUDGET_AT_50, f"steady claim at batch 50 costs {table[50][1]:,} gas"
