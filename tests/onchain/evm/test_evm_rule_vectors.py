"""Every case of the version-2 rule vectors (cap_clock.json, halving.json, guards.json) through CsmRewards.

Given the case's parameters (scheduled and applied after the published delay), a device registered,
bound and written to the case's state, and the case's network state, when the case's bind and claim
are sent at their block times, then the contract binds or refuses with the vector's code, leaves the
vector's cap clock, and pays exactly the vector's tokens (or skips the claim with its code), leaving
the vector's network state.
"""

from __future__ import annotations

import pytest
from tests.onchain.evm.evm_contract_support import (
    apply_after_delay,
    attestation,
    bind_message,
    checkpoint,
    register_and_bind,
    set_device_progress,
    set_network_state,
)
from tests.rewards.rule_vectors import CASES, RuleCase, network_from

from carbon_smart_meter.chains.evm.errors import TransactionRevertedError
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import DeviceKey


def _given(evm: LocalDeployment, case: RuleCase, key: DeviceKey) -> None:
    steps = [s for s in (case.bind, case.claim) if s is not None]
    setup = min(s.now for s in steps) - 1_000
    evm.chain.travel_to(setup - evm.adapter.params_delay_s() - 100)
    apply_after_delay(evm, case.params)
    evm.chain.travel_to(setup)
    d, wallet, owner = case.device, evm.adapter, evm.adapter_for(evm.owner)
    if case.has_state:
        register_and_bind(evm, key, wallet, rated_w=d.rated_w, seq=d.last_seq, energy_mwh=d.last_energy_mwh,
                          device_time=setup, region=d.region)
        set_device_progress(evm, key.address, d.last_seq, d.last_energy_mwh, d.last_time)
        if not d.bound:
            wallet.unbind(key.address)
    else:
        wallet.register_device(attestation(evm.manufacturer, key, d.rated_w))
        if d.region:
            owner.set_device_region(key.address, d.region)
    if d.revoked:
        owner.revoke_device(key.address)
    set_network_state(evm, case.network)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_vector_on_the_contract(evm: LocalDeployment, case: RuleCase) -> None:
    key = DeviceKey.from_seed(b"rule-vector-device")
    wallet = evm.adapter
    _given(evm, case, key)
    if case.bind is not None:
        b, expect = case.bind, case.bind.expect
        evm.chain.travel_to(b.now)
        message = bind_message(key, wallet.account.address, wallet.deployment_id, b.seq, b.energy_mwh,
                               b.device_time, region=999)
        before = wallet.device_state(key.address)
        if expect["ok"]:
            wallet.bind(message)
            state = wallet.device_state(key.address)
            after = expect["device_after"]
            assert state is not None
            assert (state.last_seq, state.last_energy_mwh, state.last_time, state.region) == (
                after["last_seq"], after["last_energy_mwh"], after["last_time"], after["region"])
            assert state.wallet == bytes.fromhex(wallet.account.address[2:])
        else:
            with pytest.raises(TransactionRevertedError) as err:
                wallet.bind(message)
            assert (err.value.reason, err.value.code) == (expect["error"], expect["code"])
            assert wallet.device_state(key.address) == before
    if case.claim is None:
        return
    c, expect = case.claim, case.claim.expect
    evm.chain.travel_to(c.now)
    balance = wallet.token_balance(wallet.account.address)
    network_before = wallet.network_state()
    (outcome,) = wallet.submit_batch([checkpoint(key, wallet.deployment_id, c.seq, c.energy_mwh,
                                                 c.device_time)]).outcomes
    if expect["ok"]:
        assert (outcome.code, outcome.tokens, outcome.delta_mwh) == (0, expect["tokens"], expect["delta_mwh"])
        assert wallet.token_balance(wallet.account.address) - balance == expect["tokens"]
        if "network_after" in expect:
            assert wallet.network_state() == network_from(expect["network_after"])
    else:
        assert outcome.code == expect["code"], expect["error"]
        assert wallet.token_balance(wallet.account.address) == balance
        assert wallet.network_state() == network_before
