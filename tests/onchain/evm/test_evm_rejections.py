"""Each rule the contract enforces, broken on its own: the claim is skipped with its RULES.md code
(or, for single-purpose calls, the transaction reverts with the code's name) and nothing is paid."""

from __future__ import annotations

import pytest
from tests.onchain.evm.evm_contract_support import (
    BoundDevice,
    attestation,
    bind_message,
    checkpoint,
    register_and_bind,
)

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.errors import TransactionRevertedError
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import SECP256K1_N, DeviceKey
from carbon_smart_meter.rewards.params import Code

T0 = 1_700_000_000
DAY = 86_400


@pytest.fixture
def device(evm: LocalDeployment, wallet: EvmAdapter) -> BoundDevice:
    """A 100 W device bound at T0 with 0 mWh, seq 1; the chain clock is one day later."""
    evm.chain.travel_to(T0)
    bound = register_and_bind(evm, DeviceKey.from_seed(b"rejections"), wallet, device_time=T0)
    evm.chain.travel_to(T0 + DAY)
    return bound


def claim_one(wallet: EvmAdapter, claim: SignedMessage) -> int:
    before = wallet.token_balance(wallet.account.address)
    (outcome,) = wallet.submit_batch([claim]).outcomes
    if outcome.code:
        assert wallet.token_balance(wallet.account.address) == before
    return outcome.code


def test_a_good_checkpoint_pays(wallet: EvmAdapter, device: BoundDevice) -> None:
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)) == 0
    assert wallet.token_balance(wallet.account.address) == 15_000_000


def test_a_checkpoint_signed_by_another_key_is_a_bad_signature(wallet: EvmAdapter, device: BoundDevice) -> None:
    forged = device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY, signer=DeviceKey.from_seed(b"forger"))
    assert claim_one(wallet, forged) == Code.BAD_SIGNATURE


def test_garbage_signature_bytes_are_a_bad_signature(wallet: EvmAdapter, device: BoundDevice) -> None:
    good = device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)
    assert claim_one(wallet, SignedMessage(good.message, bytes([0xAB]) * 64 + b"\x01")) == Code.BAD_SIGNATURE
    assert claim_one(wallet, SignedMessage(good.message, bytes(65))) == Code.BAD_SIGNATURE


def test_a_malleable_high_s_signature_is_refused(wallet: EvmAdapter, device: BoundDevice) -> None:
    good = device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)
    r, s, v = good.signature[:32], int.from_bytes(good.signature[32:64], "big"), good.signature[64]
    flipped = r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([v ^ 1])
    assert claim_one(wallet, SignedMessage(good.message, flipped)) == Code.BAD_SIGNATURE


def test_a_tampered_message_no_longer_matches_its_signature(wallet: EvmAdapter, device: BoundDevice) -> None:
    good = device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)
    tampered = device.claim(wallet.deployment_id, 2, 1_500_000, T0 + DAY)
    assert claim_one(wallet, SignedMessage(tampered.message, good.signature)) == Code.BAD_SIGNATURE


def test_a_device_never_registered_cannot_claim(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    stranger = DeviceKey.from_seed(b"never registered")
    assert claim_one(wallet, checkpoint(stranger, wallet.deployment_id, 2, 500_000, T0)) == Code.UNKNOWN_DEVICE


def test_an_attestation_from_an_unregistered_manufacturer_is_refused(wallet: EvmAdapter) -> None:
    rogue = DeviceKey.from_seed(b"rogue manufacturer")
    with pytest.raises(TransactionRevertedError) as err:
        wallet.register_device(attestation(rogue, DeviceKey.from_seed(b"farmed"), 100))
    assert err.value.code == Code.UNATTESTED


def test_a_device_cannot_be_registered_twice(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    key = DeviceKey.from_seed(b"twice")
    wallet.register_device(attestation(evm.manufacturer, key, 100))
    with pytest.raises(TransactionRevertedError) as err:
        wallet.register_device(attestation(evm.manufacturer, key, 9_000))
    assert err.value.code == Code.ALREADY_REGISTERED


def test_a_registered_but_unbound_device_cannot_claim(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    key = DeviceKey.from_seed(b"unbound")
    wallet.register_device(attestation(evm.manufacturer, key, 100))
    assert claim_one(wallet, checkpoint(key, wallet.deployment_id, 2, 500_000, T0)) == Code.NOT_BOUND


def test_a_checkpoint_for_another_deployment_is_refused(wallet: EvmAdapter, device: BoundDevice) -> None:
    other = bytes.fromhex("610a277c92019a005e29d58d5871c455e312c1e0d87b82ad86195fe2d9b4fafd")
    assert claim_one(wallet, device.claim(other, 2, 500_000, T0 + DAY)) == Code.WRONG_DEPLOYMENT


def test_a_bind_for_another_deployment_is_refused(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    key = DeviceKey.from_seed(b"other deployment bind")
    wallet.register_device(attestation(evm.manufacturer, key, 100))
    with pytest.raises(TransactionRevertedError) as err:
        wallet.bind(bind_message(key, wallet.account.address, bytes(32), 1, 0, evm.chain.pending_timestamp()))
    assert err.value.code == Code.WRONG_DEPLOYMENT


def test_a_replayed_checkpoint_pays_once(wallet: EvmAdapter, device: BoundDevice) -> None:
    claim = device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)
    assert claim_one(wallet, claim) == 0
    assert claim_one(wallet, claim) == Code.REPLAY


def test_decreasing_energy_is_refused(wallet: EvmAdapter, device: BoundDevice) -> None:
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY // 2)) == 0
    assert claim_one(wallet, device.claim(wallet.deployment_id, 3, 400_000, T0 + DAY)) == Code.ENERGY_NOT_INCREASING


def test_energy_from_before_the_binding_never_pays(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    evm.chain.travel_to(T0)
    bound = register_and_bind(evm, DeviceKey.from_seed(b"pre-bind energy"), wallet, energy_mwh=2_000_000,
                              device_time=T0)
    evm.chain.travel_to(T0 + DAY)
    assert claim_one(wallet, bound.claim(wallet.deployment_id, 2, 1_999_999, T0 + DAY)) == Code.ENERGY_NOT_INCREASING


def test_over_the_daily_cap_is_refused(wallet: EvmAdapter, device: BoundDevice) -> None:
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 1_600_001, T0 + DAY)) == Code.OVER_CAP


def test_a_checkpoint_dated_beyond_the_clock_skew_is_refused(wallet: EvmAdapter, device: BoundDevice) -> None:
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY + 301)) == Code.FUTURE_DATED


def test_a_future_dated_bind_is_refused(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    key = DeviceKey.from_seed(b"future bind")
    wallet.register_device(attestation(evm.manufacturer, key, 100))
    with pytest.raises(TransactionRevertedError) as err:
        # Far ahead of both the chain clock and the wall clock eth-tester uses for gas estimates.
        wallet.bind(bind_message(key, wallet.account.address, wallet.deployment_id, 1, 0,
                                 evm.chain.pending_timestamp() + 10**10))
    assert err.value.code == Code.FUTURE_DATED


def test_time_must_move_forward(wallet: EvmAdapter, device: BoundDevice) -> None:
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 10_000, T0)) == Code.TIME_NOT_INCREASING


def test_below_the_threshold_stays_claimable(wallet: EvmAdapter, device: BoundDevice) -> None:
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 9_999, T0 + DAY)) == Code.BELOW_THRESHOLD
    assert claim_one(wallet, device.claim(wallet.deployment_id, 3, 10_000, T0 + DAY)) == 0


def test_a_bind_submitted_by_another_wallet_is_refused(evm: LocalDeployment, wallet: EvmAdapter,
                                                      other_wallet: EvmAdapter) -> None:
    key = DeviceKey.from_seed(b"wrong wallet")
    wallet.register_device(attestation(evm.manufacturer, key, 100))
    signed_for_wallet = bind_message(key, wallet.account.address, wallet.deployment_id, 1, 0,
                                     evm.chain.pending_timestamp())
    with pytest.raises(TransactionRevertedError) as err:
        other_wallet.bind(signed_for_wallet)
    assert err.value.code == Code.WRONG_WALLET


def test_only_the_bound_wallet_can_unbind(wallet: EvmAdapter, other_wallet: EvmAdapter, device: BoundDevice) -> None:
    with pytest.raises(TransactionRevertedError) as err:
        other_wallet.unbind(device.key.address)
    assert err.value.code == Code.WRONG_WALLET


def test_a_rebind_needs_a_fresh_device_signature(evm: LocalDeployment, wallet: EvmAdapter,
                                                 other_wallet: EvmAdapter, device: BoundDevice) -> None:
    stale = bind_message(device.key, other_wallet.account.address, wallet.deployment_id, 1, 0, T0)
    with pytest.raises(TransactionRevertedError) as err:
        other_wallet.bind(stale)
    assert err.value.code == Code.REPLAY
    other_wallet.bind(bind_message(device.key, other_wallet.account.address, wallet.deployment_id, 2, 0, T0 + DAY))
    state = wallet.device_state(device.key.address)
    assert state is not None and state.wallet == bytes.fromhex(other_wallet.account.address[2:])
    evm.chain.travel_to(T0 + 2 * DAY)
    assert claim_one(wallet, device.claim(wallet.deployment_id, 3, 500_000, T0 + 2 * DAY)) == 0
    assert other_wallet.token_balance(other_wallet.account.address) > 0
    assert wallet.token_balance(wallet.account.address) == 0


def test_a_paused_contract_refuses_claims_and_binds(evm: LocalDeployment, owner: EvmAdapter, wallet: EvmAdapter,
                                                   device: BoundDevice) -> None:
    owner.set_paused(True)
    with pytest.raises(TransactionRevertedError) as err:
        wallet.submit_batch([device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)])
    assert err.value.code == Code.PAUSED
    with pytest.raises(TransactionRevertedError):
        wallet.register_device(attestation(evm.manufacturer, DeviceKey.from_seed(b"paused"), 100))
    owner.set_paused(False)
    assert claim_one(wallet, device.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)) == 0
