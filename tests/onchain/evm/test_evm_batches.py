"""Batches: bad checkpoints are skipped without blocking the rest, and long random sequences of
claims pay exactly what the Python payout model (carbon_smart_meter.rewards.payout) previews."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.onchain.evm.evm_contract_support import (
    VECTOR_PARAMS,
    apply_after_delay,
    checkpoint,
    register_and_bind,
    set_network_state,
)

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState, apply_claim, evaluate_claim

T0 = 1_700_000_000
DAY = 86_400


def test_a_mixed_batch_pays_exactly_the_good_checkpoints(evm: LocalDeployment, wallet: EvmAdapter,
                                                         other_wallet: EvmAdapter) -> None:
    evm.chain.travel_to(T0)
    a = register_and_bind(evm, DeviceKey.from_seed(b"mixed-a"), wallet, device_time=T0)
    b = register_and_bind(evm, DeviceKey.from_seed(b"mixed-b"), other_wallet, device_time=T0, region=554)
    c = register_and_bind(evm, DeviceKey.from_seed(b"mixed-c"), wallet, device_time=T0)
    evm.chain.travel_to(T0 + DAY)
    dep = wallet.deployment_id
    good_a = a.claim(dep, 2, 500_000, T0 + DAY)
    batch = [
        good_a,                                                           # pays 15e6 to wallet
        b.claim(dep, 2, 500_000, T0 + DAY, signer=DeviceKey.from_seed(b"forger")),   # forged
        SignedMessage(b"\x00" * 40, b"\x01" * 65),                         # not a checkpoint at all
        c.claim(dep, 2, 1_600_001, T0 + DAY),                             # over cap
        b.claim(dep, 2, 500_000, T0 + DAY),                               # pays 30e6 to other wallet
        good_a,                                                           # replay inside the batch
        c.claim(bytes(32), 3, 100_000, T0 + DAY),                         # other deployment
        c.claim(dep, 4, 100_000, T0 + DAY),                               # pays 3e6 to wallet
    ]

    receipt = wallet.submit_batch(batch)

    assert [o.code for o in receipt.outcomes] == [0, Code.BAD_SIGNATURE, Code.BAD_SIGNATURE, Code.OVER_CAP, 0,
                                                  Code.REPLAY, Code.WRONG_DEPLOYMENT, 0]
    assert [o.tokens for o in receipt.outcomes if o.paid] == [15_000_000, 30_000_000, 3_000_000]
    assert wallet.token_balance(wallet.account.address) == 18_000_000
    assert wallet.token_balance(other_wallet.account.address) == 30_000_000
    assert wallet.network_energy_mwh() == 1_100_000
    assert receipt.extra["refused_locally"] == [2]


# -- property: random claim sequences against the Python model -------------------------------------

# Short eras and a tight mint window, so that random sequences cross eras and fill the window.
SEQ_PARAMS = VECTOR_PARAMS.with_changes(era_length_mwh=3_000_000, min_claim_mwh=5_000, window_s=DAY,
                                        window_limit_mwh=6_000_000)
DEVICES = [(DeviceKey.from_seed(b"seq-%d" % i), rated, region)
           for i, (rated, region) in enumerate([(100, 0), (20, 554), (1000, 276)])]

step = st.tuples(
    st.integers(0, len(DEVICES) - 1),          # which device
    st.sampled_from([1, 1, 1, 1, 2, 3, 0, -1]),  # seq step (<= 0 replays)
    st.integers(-5, 130),                      # energy step, % of the device's cap for the time step
    st.integers(-60, DAY),                     # device time step in s
    st.integers(0, 2 * DAY),                   # chain time advance before the batch
    st.booleans(),                             # end the batch after this claim
)


def model_batch(params: PayoutParams, states: dict[int, DeviceState], network: NetworkState, now: int,
                claims: list[tuple[int, int, int, int]]) -> tuple[list[tuple[int, int]], NetworkState]:
    results = []
    for device, seq, energy, t in claims:
        try:
            payout = evaluate_claim(params, states[device], network, now, seq, energy, t)
        except RewardError as exc:
            results.append((exc.code, 0))
            continue
        states[device] = apply_claim(states[device], seq, energy, t)
        assert payout.network_after is not None
        network = payout.network_after
        results.append((0, payout.tokens))
    return results, network


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=14))
def test_random_claim_sequences_match_the_python_model(evm: LocalDeployment, base_snapshot: int,
                                                       steps: list[tuple[int, int, int, int, int, bool]]) -> None:
    evm.chain.revert(base_snapshot)
    wallet = evm.adapter
    evm.chain.travel_to(T0 - wallet.params_delay_s() - 100)
    apply_after_delay(evm, SEQ_PARAMS)
    evm.chain.travel_to(T0)
    set_network_state(evm, NetworkState.at_energy(0, SEQ_PARAMS.era_length_mwh))
    for key, rated, region in DEVICES:
        register_and_bind(evm, key, wallet, rated_w=rated, device_time=T0, region=region)
    # The cap clock each bind left is the chain time it landed at (a few blocks after T0).
    states = {}
    for i, (key, rated, region) in enumerate(DEVICES):
        on_chain = wallet.device_state(key.address)
        assert on_chain is not None and on_chain.last_time >= T0
        states[i] = DeviceState(rated_w=rated, region=region, last_seq=1, last_time=on_chain.last_time)
    cursor = {i: (1, 0, T0) for i in states}   # what each device last signed (seq, energy, time)
    network, now, pending = wallet.network_state(), evm.chain.pending_timestamp(), []

    def flush() -> None:
        nonlocal network
        if not pending:
            return
        evm.chain.travel_to(now)
        receipt = wallet.submit_batch([checkpoint(DEVICES[d][0], wallet.deployment_id, s, e, t)
                                       for d, s, e, t in pending])
        expected, network = model_batch(SEQ_PARAMS, states, network, now, pending)
        assert [(o.code, o.tokens) for o in receipt.outcomes] == expected
        on_chain = wallet.network_state()
        # The chain stores the window only when a batch paid; the model's decayed value is the same then.
        assert (on_chain.energy_mwh, on_chain.era, on_chain.era_left_mwh) == (
            network.energy_mwh, network.era, network.era_left_mwh)
        if any(code == 0 for code, _ in expected):
            assert on_chain == network
        pending.clear()

    for device, dseq, denergy, dt, advance, end_batch in steps:
        seq, energy, t = cursor[device]
        rated = DEVICES[device][1]
        step_mwh = min(SEQ_PARAMS.cap_mwh_per_day, rated * 16_000) * max(dt, 0) // DAY * denergy // 100
        seq, energy, t = max(0, seq + dseq), max(0, energy + step_mwh), max(0, t + dt)
        cursor[device] = (seq, energy, t)
        if not pending:
            now = max(now + 1 + advance, evm.chain.pending_timestamp())
        pending.append((device, seq, energy, t))
        if end_batch:
            flush()
    flush()
    for i, (key, _, _) in enumerate(DEVICES):
        on_chain = wallet.device_state(key.address)
        assert on_chain is not None
        assert (on_chain.last_seq, on_chain.last_energy_mwh, on_chain.last_time) == (
            states[i].last_seq, states[i].last_energy_mwh, states[i].last_time)
