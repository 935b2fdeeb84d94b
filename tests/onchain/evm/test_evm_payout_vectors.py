"""Every case of onchain/vectors/payout.json, claimed through the deployed CsmRewards contract.

Given the case's parameters and a device registered and bound so that its state is the case's
(the bind message carries last seq/energy; the cap clock a history of claims would have left is
written into the device's progress word, since a bind sets it to chain time), when the checkpoint
is claimed at block time `now`, then the contract pays exactly the vector's tokens, or skips the
claim with its code.
"""

from __future__ import annotations

import pytest
from tests.onchain.evm.evm_contract_support import (
    PAYOUT_VECTORS,
    VECTOR_PARAMS,
    apply_after_delay,
    checkpoint,
    register_and_bind,
    set_device_progress,
    set_network_energy,
)

from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.params import PayoutParams

CASES = PAYOUT_VECTORS["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_payout_vector_is_paid_exactly_by_the_contract(evm: LocalDeployment, case: dict) -> None:
    wallet = evm.adapter
    params = PayoutParams.from_json(case["params"]) if case.get("params") else VECTOR_PARAMS
    dev, ck, now = case["device"], case["checkpoint"], case["now"]
    if params != VECTOR_PARAMS:
        evm.chain.travel_to(now - 10 - evm.adapter.params_delay_s() - 100)
        apply_after_delay(evm, params.with_changes(window_limit_mwh=VECTOR_PARAMS.window_limit_mwh))
    key = DeviceKey.from_seed(b"payout-vector-device")
    evm.chain.travel_to(now - 10)
    register_and_bind(evm, key, wallet, rated_w=dev["rated_w"], seq=dev["last_seq"],
                      energy_mwh=dev["last_energy_mwh"], device_time=dev["last_time"], region=dev["region"])
    set_device_progress(evm, key.address, dev["last_seq"], dev["last_energy_mwh"], dev["last_time"])
    if not dev["bound"]:
        wallet.unbind(key.address)
    set_network_energy(evm, case["network_energy_mwh"])
    balance_before = wallet.token_balance(wallet.account.address)
    evm.chain.travel_to(now)

    receipt = wallet.submit_batch([checkpoint(key, wallet.deployment_id, ck["seq"], ck["energy_mwh"],
                                              ck["device_time"])])

    assert evm.chain.w3.eth.get_block(receipt.block_or_slot)["timestamp"] == now
    (outcome,) = receipt.outcomes
    expect = case["expect"]
    state = wallet.device_state(key.address)
    assert state is not None
    if expect["ok"]:
        assert (outcome.code, outcome.tokens, outcome.delta_mwh) == (0, expect["tokens"], expect["delta_mwh"])
        assert wallet.network_energy_mwh() == expect["network_energy_after"]
        assert wallet.token_balance(wallet.account.address) - balance_before == expect["tokens"]
        assert (state.last_seq, state.last_energy_mwh, state.last_time) == (
            ck["seq"], ck["energy_mwh"], ck["device_time"])
    else:
        assert outcome.code == expect["code"], expect["error"]
        assert outcome.tokens == 0
        assert wallet.network_energy_mwh() == case["network_energy_mwh"]
        assert wallet.token_balance(wallet.account.address) == balance_before
        assert (state.last_seq, state.last_energy_mwh, state.last_time) == (
            dev["last_seq"], dev["last_energy_mwh"], dev["last_time"])
