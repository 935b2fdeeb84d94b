"""The security review's findings (issue 13), one property each, against the deployed CsmRewards.

Each test is an attack that worked on RULES.md version 1 and asserts the safe behaviour of version 2:
the cap clock, the self-declared region, revocation and the network mint window, the owner's powers,
a chain-id change, the zero device. docs/threat-model.md cites these tests by name.
"""

from __future__ import annotations

import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.onchain.evm.evm_contract_support import (
    VECTOR_PARAMS,
    apply_after_delay,
    attestation,
    bind_message,
    checkpoint,
    register_and_bind,
    set_network_state,
)

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.artifact import load_artifact
from carbon_smart_meter.chains.evm.codec import params_struct, prices_arg
from carbon_smart_meter.chains.evm.errors import TransactionRevertedError
from carbon_smart_meter.chains.evm.local import LocalDeployment, LocalEvm, local_evm_deployment
from carbon_smart_meter.chains.evm.transactions import TransactionSender
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import CHAIN_KIND_EVM, DeviceKey, deployment_id
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code

T0 = 1_700_000_000
DAY = 86_400
CAP_100W = 1_600_000          # mWh per day: 100 W x 16 peak-sun-hours
TOKENS_PER_KWH_DEFAULT = 30_000_000   # 0.15 USD/kWh x 20 % share x 1e9 tokens/USD, era 0


def claim_code(wallet: EvmAdapter, message) -> int:  # type: ignore[no-untyped-def]
    (outcome,) = wallet.submit_batch([message]).outcomes
    return outcome.code


def reverted(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(TransactionRevertedError) as err:
        call(*args)
    return err.value.reason


# -- 1. the cap clock -------------------------------------------------------------------------------

def test_a_rebind_dated_in_the_past_cannot_rewind_the_cap_clock(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    """The critical finding: TIME_SYNC the device to 2001, rebind, and claim 160 kWh a day later."""
    evm.chain.travel_to(T0)
    dev = register_and_bind(evm, DeviceKey.from_seed(b"rewinder"), wallet, device_time=T0)
    dep, t1 = wallet.deployment_id, dev.cap_clock + DAY
    evm.chain.travel_to(t1)
    assert claim_code(wallet, dev.claim(dep, 2, CAP_100W, t1)) == 0

    rewound = bind_message(dev.key, wallet.account.address, dep, 3, CAP_100W, 1_000_000_000)
    assert reverted(wallet.bind, rewound) == "TIME_NOT_INCREASING"
    evm.chain.travel_to(t1 + DAY)
    assert claim_code(wallet, dev.claim(dep, 4, CAP_100W + 160_000_000, t1 + DAY)) == Code.OVER_CAP

    assert dev.cap_clock == t1
    assert wallet.token_balance(wallet.account.address) == CAP_100W * TOKENS_PER_KWH_DEFAULT // 1_000_000


def test_a_first_bind_dated_at_boot_time_buys_no_cap(evm: LocalDeployment, wallet: EvmAdapter) -> None:
    """120 s since boot on an unsynced device: the claim a day later must not be paid 30 days of cap."""
    evm.chain.travel_to(T0)
    dev = register_and_bind(evm, DeviceKey.from_seed(b"booted"), wallet, device_time=120)
    state = wallet.device_state(dev.key.address)
    assert state is not None and state.last_time >= T0
    evm.chain.travel_to(state.last_time + DAY)
    t = state.last_time + DAY
    assert claim_code(wallet, dev.claim(wallet.deployment_id, 2, 30 * CAP_100W, t)) == Code.OVER_CAP
    assert claim_code(wallet, dev.claim(wallet.deployment_id, 3, CAP_100W, t)) == 0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(60, 6 * 3_600), st.booleans(), st.integers(0, 10**9)),
                      min_size=4, max_size=12))
def test_an_extracted_key_gains_at_most_the_rated_power_cap_per_day(
        evm: LocalDeployment, base_snapshot: int, moves: list[tuple[int, bool, int]]) -> None:
    """With the device key an attacker signs anything. At random moments it rebinds with a device time
    anywhere from 2001 to the skew limit (a clock set with TIME_SYNC) and claims as much as the cap on
    chain allows, dated at the skew limit. Whatever it does, it is paid for at most the 100 W cap over
    the time the chain saw pass since the first bind, plus the skew once."""
    evm.chain.revert(base_snapshot)
    wallet = evm.adapter
    evm.chain.travel_to(T0)
    key = DeviceKey.from_seed(b"extracted")
    first = register_and_bind(evm, key, wallet, device_time=T0).cap_clock
    dep, skew, seq, energy = wallet.deployment_id, VECTOR_PARAMS.max_clock_skew_s, 1, 0
    for wait, rebind, back in moves:
        evm.chain.travel_to(evm.chain.pending_timestamp() + wait)
        if rebind:
            seq += 1
            bind_time = evm.chain.pending_timestamp() + skew - back
            try:
                wallet.bind(bind_message(key, wallet.account.address, dep, seq, energy, bind_time))
            except TransactionRevertedError as exc:
                assert exc.reason == "TIME_NOT_INCREASING"
        state = wallet.device_state(key.address)
        assert state is not None
        t = evm.chain.pending_timestamp() + skew
        allowed = CAP_100W * (t - state.last_time) // DAY if t > state.last_time else 0
        if allowed >= VECTOR_PARAMS.min_claim_mwh:
            seq += 1
            assert claim_code(wallet, checkpoint(key, dep, seq, energy + allowed, t)) == 0
            energy += allowed
    assert energy <= CAP_100W * (evm.chain.pending_timestamp() - first + skew) // DAY


# -- 3. the price region ----------------------------------------------------------------------------

def test_a_declared_region_never_raises_the_price(evm: LocalDeployment, owner: EvmAdapter,
                                                 wallet: EvmAdapter) -> None:
    """A host declaring Germany (0.40 USD/kWh) is paid the default 0.15 until the authority registers
    the device's site there."""
    apply_after_delay(evm, VECTOR_PARAMS)           # prices: 0 -> 150000, 554 -> 300000, 276 -> 400000
    evm.chain.travel_to(T0)
    key = DeviceKey.from_seed(b"declares germany")
    wallet.register_device(attestation(evm.manufacturer, key, 100))
    wallet.bind(bind_message(key, wallet.account.address, wallet.deployment_id, 1, 0, T0, region=276))
    evm.chain.travel_to(T0 + DAY)
    (paid,) = wallet.submit_batch([checkpoint(key, wallet.deployment_id, 2, 500_000, T0 + DAY)]).outcomes
    assert (paid.code, paid.tokens) == (0, 15_000_000)
    owner.set_device_region(key.address, 276)
    evm.chain.travel_to(T0 + 2 * DAY)
    (paid,) = wallet.submit_batch([checkpoint(key, wallet.deployment_id, 3, 1_000_000, T0 + 2 * DAY)]).outcomes
    assert (paid.code, paid.tokens) == (0, 40_000_000)


# -- 4. revocation and the network mint window ------------------------------------------------------

def test_a_revoked_device_stops_at_once_and_its_unclaimed_energy_is_never_paid(
        evm: LocalDeployment, owner: EvmAdapter, wallet: EvmAdapter) -> None:
    evm.chain.travel_to(T0)
    dev = register_and_bind(evm, DeviceKey.from_seed(b"revoked device"), wallet, device_time=T0)
    dep, t1 = wallet.deployment_id, dev.cap_clock + DAY
    evm.chain.travel_to(t1)
    owner.revoke_device(dev.key.address)
    assert claim_code(wallet, dev.claim(dep, 2, CAP_100W, t1)) == Code.REVOKED
    assert reverted(wallet.bind, bind_message(dev.key, wallet.account.address, dep, 3, CAP_100W, t1)) == "REVOKED"
    state = wallet.device_state(dev.key.address)
    assert state is not None and state.revoked and state.wallet is None

    owner.reinstate_device(dev.key.address)
    assert reverted(owner.reinstate_device, dev.key.address) == "BAD_PARAMETER"   # only a revoked device
    assert claim_code(wallet, dev.claim(dep, 4, CAP_100W, t1)) == Code.NOT_BOUND
    wallet.bind(bind_message(dev.key, wallet.account.address, dep, 5, CAP_100W, t1))
    t2 = dev.cap_clock + DAY
    evm.chain.travel_to(t2)
    (outcome,) = wallet.submit_batch([dev.claim(dep, 6, 2 * CAP_100W, t2)]).outcomes
    assert (outcome.code, outcome.delta_mwh) == (0, CAP_100W)   # the day before the revocation is gone


def test_a_revoked_manufacturer_stops_its_devices_for_good(evm: LocalDeployment, owner: EvmAdapter,
                                                           wallet: EvmAdapter) -> None:
    evm.chain.travel_to(T0)
    devices = [register_and_bind(evm, DeviceKey.from_seed(b"leaked-%d" % i), wallet, device_time=T0)
               for i in range(2)]
    dep, t1 = wallet.deployment_id, max(d.cap_clock for d in devices) + DAY
    evm.chain.travel_to(t1)
    owner.set_manufacturer(evm.manufacturer.address, False)

    outcomes = wallet.submit_batch([d.claim(dep, 2, CAP_100W, t1) for d in devices]).outcomes
    assert [o.code for o in outcomes] == [Code.REVOKED, Code.REVOKED]
    assert reverted(wallet.register_device, attestation(evm.manufacturer, DeviceKey.from_seed(b"new"),
                                                        100)) == "UNATTESTED"
    assert reverted(owner.set_manufacturer, evm.manufacturer.address, True) == "REVOKED"
    assert not wallet.contract.functions.is_manufacturer(evm.manufacturer.address).call()

    genuine = devices[0]
    owner.reinstate_device(genuine.key.address)
    wallet.bind(bind_message(genuine.key, wallet.account.address, dep, 3, CAP_100W, t1))
    t2 = genuine.cap_clock + DAY
    evm.chain.travel_to(t2)
    outcomes = wallet.submit_batch([d.claim(dep, 4, 2 * CAP_100W, t2) for d in devices]).outcomes
    assert [o.code for o in outcomes] == [0, Code.REVOKED]


def test_the_mint_window_bounds_what_a_leaked_manufacturer_key_mints(evm: LocalDeployment,
                                                                     wallet: EvmAdapter) -> None:
    """Each farmed device stays within its own cap; the network window stops the sum at its limit."""
    evm.chain.travel_to(T0 - evm.adapter.params_delay_s() - 100)
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(window_limit_mwh=3 * CAP_100W))
    evm.chain.travel_to(T0)
    farm = [register_and_bind(evm, DeviceKey.from_seed(b"farmed-%d" % i), wallet, device_time=T0)
            for i in range(5)]
    dep, t1 = wallet.deployment_id, max(d.cap_clock for d in farm) + DAY
    evm.chain.travel_to(t1)
    outcomes = wallet.submit_batch([d.claim(dep, 2, CAP_100W, t1) for d in farm]).outcomes
    assert [o.code for o in outcomes] == [0, 0, 0, Code.WINDOW_FULL, Code.WINDOW_FULL]
    assert wallet.network_energy_mwh() == 3 * CAP_100W
    next_window = (t1 // DAY + 1) * DAY        # windows are UTC days: the next one starts empty
    evm.chain.travel_to(next_window - 1)
    assert claim_code(wallet, farm[3].claim(dep, 3, CAP_100W, t1)) == Code.WINDOW_FULL
    evm.chain.travel_to(next_window)
    outcomes = wallet.submit_batch([d.claim(dep, 4, CAP_100W, t1) for d in farm[3:]]).outcomes
    assert [o.code for o in outcomes] == [0, 0]


# -- 5. the owner's powers --------------------------------------------------------------------------

def test_a_parameter_change_cannot_front_run_a_claim(evm: LocalDeployment, owner: EvmAdapter,
                                                    wallet: EvmAdapter) -> None:
    """A claim sent right after the owner raises the threshold is paid under the published parameters."""
    evm.chain.travel_to(T0)
    dev = register_and_bind(evm, DeviceKey.from_seed(b"front-run"), wallet, device_time=T0)
    t1 = dev.cap_clock + DAY
    evm.chain.travel_to(t1)
    at = owner.schedule_params(VECTOR_PARAMS.with_changes(min_claim_mwh=10**12))
    assert at is not None and at >= t1 + owner.params_delay_s()
    assert reverted(wallet._transact, "apply_params", [], "applying") == "TOO_EARLY"
    (outcome,) = wallet.submit_batch([dev.claim(wallet.deployment_id, 2, CAP_100W, t1)]).outcomes
    assert (outcome.code, outcome.tokens) == (0, 48_000_000)


def test_a_price_change_waits_the_published_delay_too(evm: LocalDeployment, owner: EvmAdapter) -> None:
    owner._transact("schedule_price", [0, 1], "scheduling a price")
    assert owner.params().prices[0] == 150_000
    assert reverted(owner._transact, "apply_price", [0], "applying") == "TOO_EARLY"
    evm.chain.travel_to(evm.chain.pending_timestamp() + owner.params_delay_s())
    owner.apply_pending()
    assert owner.params().prices[0] == 1


def test_the_halving_era_never_moves_back_when_the_era_length_changes(evm: LocalDeployment,
                                                                      wallet: EvmAdapter) -> None:
    """Era 3 of 1 GWh eras; the owner makes eras ten times longer: the next claim still pays era 3."""
    evm.chain.travel_to(T0 - evm.adapter.params_delay_s() - 100)
    set_network_state(evm, NetworkState.at_energy(3 * 10**12, 10**12))
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(era_length_mwh=10**13))
    evm.chain.travel_to(T0)
    dev = register_and_bind(evm, DeviceKey.from_seed(b"halving"), wallet, device_time=T0)
    evm.chain.travel_to(T0 + DAY)
    (outcome,) = wallet.submit_batch([dev.claim(wallet.deployment_id, 2, 500_000, T0 + DAY)]).outcomes
    assert (outcome.code, outcome.tokens) == (0, 15_000_000 >> 3)
    assert wallet.network_state().era == 3


def test_ownership_cannot_be_renounced_while_paused(owner: EvmAdapter) -> None:
    owner.set_paused(True)
    assert reverted(owner._transact, "renounce_ownership", [], "renouncing") == "PAUSED"
    assert owner.contract.functions.owner().call() == owner.account.address
    owner.set_paused(False)
    owner._transact("renounce_ownership", [], "renouncing")
    assert int(owner.contract.functions.owner().call(), 16) == 0


def test_the_constructor_is_not_payable() -> None:
    chain = LocalEvm()
    artifact = load_artifact()
    factory = chain.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    data = factory.constructor(params_struct(VECTOR_PARAMS), prices_arg(VECTOR_PARAMS), 7 * DAY).data_in_transaction
    sender = TransactionSender(chain.w3, chain.accounts[0])
    with pytest.raises(ChainError):
        sender.send({"data": data, "value": 1, "gas": 8_000_000}, "deploying with ether")
    assert int(sender.send({"data": data, "gas": 8_000_000}, "deploying")["status"]) == 1


# -- 8. chain id, the zero device -------------------------------------------------------------------

def test_after_a_chain_id_change_no_checkpoint_pays_and_no_bind_lands() -> None:
    # A chain of its own: the fork is not undone by the shared chain's snapshots.
    evm = local_evm_deployment(manual_clock=True, genesis_timestamp=T0 - 100)
    wallet = evm.adapter
    evm.chain.travel_to(T0)
    dev = register_and_bind(evm, DeviceKey.from_seed(b"forked"), wallet, device_time=T0)
    old = wallet.deployment_id
    evm.chain.travel_to(T0 + DAY)
    evm.chain.fork_to_chain_id(31338)
    forked = EvmAdapter(evm.chain.w3, wallet.address, wallet.account)
    assert forked.deployment_id == deployment_id(CHAIN_KIND_EVM, 31338, bytes.fromhex(wallet.address[2:])) != old
    assert claim_code(forked, dev.claim(old, 2, CAP_100W, T0 + DAY)) == Code.WRONG_DEPLOYMENT
    assert claim_code(forked, dev.claim(forked.deployment_id, 3, CAP_100W, T0 + DAY)) == Code.WRONG_DEPLOYMENT
    assert reverted(forked.bind, bind_message(dev.key, wallet.account.address, forked.deployment_id, 4, 0,
                                              T0 + DAY)) == "WRONG_DEPLOYMENT"


def test_device_zero_can_neither_be_registered_nor_bound_with_a_zero_signature(
        evm: LocalDeployment, wallet: EvmAdapter) -> None:
    zero = bytes(20)
    attest = attestation(evm.manufacturer, DeviceKey.from_seed(b"any"), 100)
    args = ["0x" + "00" * 20, 100, 1, 1, attest.signature[64], attest.signature[:32], attest.signature[32:64]]
    assert reverted(wallet._transact, "register_device", args, "registering device 0x0") == "BAD_PARAMETER"
    # Even if a past deployment had registered it, an all-zero signature (ecrecover -> 0x0) binds nothing.
    slot = int.from_bytes(keccak(int(load_artifact().storage_layout["_device_info"]["slot"])  # type: ignore[index]
                                 .to_bytes(32, "big") + bytes(12) + zero), "big")
    evm.chain.set_storage(bytes.fromhex(wallet.address[2:]), slot, (1 << 255) | (1 << 224) | (100 << 160))
    evm.chain.tester.mine_blocks(1)
    state = wallet.device_state(zero)
    assert state is not None and state.rated_w == 100
    bind = ["0x" + "00" * 20, bytes(12) + bytes.fromhex(wallet.account.address[2:]), wallet.deployment_id, 1, 0,
            evm.chain.pending_timestamp(), 0, 0, bytes(32), bytes(32)]
    assert reverted(wallet._transact, "bind", bind, "binding device 0x0") == "BAD_SIGNATURE"
