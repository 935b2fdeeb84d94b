"""The adapter's gas limit for a batch covers the worst claim the contract can meet.

The worst claim is a device's first claim (its hash-chain head slot goes from zero to non-zero) to a
wallet that holds no token yet, split over all 64 paying eras and into era 64 (so the stored era
moves: the limits word is written). The security review measured 172,570 gas for such a claim against
a per-claim floor of 90,000: a batch estimated while its claims were being refused could then run out
of gas once they were paid.
"""

from __future__ import annotations

from eth_account import Account
from tests.onchain.evm.evm_contract_support import (
    VECTOR_PARAMS,
    apply_after_delay,
    checkpoint,
    register_and_bind,
    set_network_state,
)

from carbon_smart_meter.chains.evm.adapter import BATCH_BASE_GAS, WORST_CLAIM_GAS
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.network import NetworkState

T0 = 1_700_000_000
DAY = 86_400
ERA = 100   # mWh: a claim of 10,000 mWh spans eras 0..63 and runs into era 64


def _worst_claims(evm: LocalDeployment, n: int) -> list:  # type: ignore[type-arg]
    evm.chain.travel_to(T0 - evm.adapter.params_delay_s() - 100)
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(era_length_mwh=ERA))
    evm.chain.travel_to(T0)
    claims = []
    for i in range(n):
        account = Account.from_key(DeviceKey.from_seed(b"worst-wallet-%d" % i).secret)
        evm.chain.w3.eth.send_transaction({"from": evm.owner.address, "to": account.address, "value": 10**18})
        wallet = evm.adapter_for(account)
        dev = register_and_bind(evm, DeviceKey.from_seed(b"worst-%d" % i), wallet, device_time=T0)
        claims.append((dev, wallet))
    return claims


def test_the_worst_claim_fits_the_adapters_per_claim_gas(evm: LocalDeployment) -> None:
    ((dev, wallet),) = _worst_claims(evm, 1)
    set_network_state(evm, NetworkState.at_energy(0, ERA))
    t = dev.cap_clock + DAY
    evm.chain.travel_to(t)
    receipt = evm.adapter.submit_batch([checkpoint(dev.key, evm.adapter.deployment_id, 2, 10_000, t)])
    (outcome,) = receipt.outcomes
    assert outcome.paid and outcome.tokens > 0 and evm.adapter.network_state().era == 64
    assert receipt.gas_or_compute_units <= BATCH_BASE_GAS + WORST_CLAIM_GAS
    assert wallet.token_balance(wallet.account.address) == outcome.tokens


def test_a_batch_of_worst_claims_gets_a_gas_limit_that_covers_them(evm: LocalDeployment) -> None:
    claims = _worst_claims(evm, 4)
    set_network_state(evm, NetworkState.at_energy(0, ERA))
    t = max(dev.cap_clock for dev, _ in claims) + DAY
    evm.chain.travel_to(t)
    # Each claim starts a new run of 64 eras: the network energy is put back to era 0 between them by
    # giving each device its own fresh era budget is not possible, so only the first one splits 65 ways;
    # the limit must still cover n worst claims, whatever the estimate said.
    receipt = evm.adapter.submit_batch([checkpoint(dev.key, evm.adapter.deployment_id, 2, 10_000, t)
                                        for dev, _ in claims])
    assert all(o.paid for o in receipt.outcomes)
    sent = evm.chain.w3.eth.get_transaction(receipt.tx_id)
    assert sent["gas"] >= BATCH_BASE_GAS + WORST_CLAIM_GAS * len(claims) >= receipt.gas_or_compute_units
