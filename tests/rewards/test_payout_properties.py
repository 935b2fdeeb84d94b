"""Properties of the payout model that must hold for all inputs, not just the vectors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.params import MAX_ERA, Code, PayoutParams
from carbon_smart_meter.rewards.payout import (
    DeviceState,
    cap_for,
    evaluate_claim,
    split_by_era,
    tokens_for_portion,
)
from carbon_smart_meter.rewards.preview import preview_energy

T0 = 1_700_000_000
params_st = st.builds(
    PayoutParams,
    share_bps=st.integers(1_000, 3_000),
    tokens_per_usd=st.integers(1, 10**12),
    era_length_mwh=st.integers(1, 10**13),
    min_claim_mwh=st.integers(0, 10**6),
    prices=st.dictionaries(st.integers(0, 999), st.integers(0, 10**9), min_size=1, max_size=4),
)
rated_st = st.integers(1, 100_000)
elapsed_st = st.integers(1, 30 * 86_400)
network_st = st.integers(0, 2**63)


def claim(params: PayoutParams, rated_w: int, elapsed: int, delta: int, network: int, region: int = 0):
    device = DeviceState(rated_w=rated_w, region=region, last_seq=1, last_energy_mwh=10, last_time=T0)
    return evaluate_claim(params, device, network, T0 + elapsed, 2, 10 + delta, T0 + elapsed)


@settings(max_examples=300)
@given(params_st, rated_st, elapsed_st, st.integers(1, 10**9), st.integers(1, 10**9), network_st)
def test_more_energy_never_pays_less(params, rated_w, elapsed, a, b, network):
    small, large = sorted((a, b))
    try:
        low = claim(params, rated_w, elapsed, small, network).tokens
        high = claim(params, rated_w, elapsed, large, network).tokens
    except RewardError:
        return  # one of them broke a rule (cap/threshold): monotonicity is about paid claims
    assert low <= high


@settings(max_examples=300)
@given(params_st, rated_st, elapsed_st, st.integers(1, 10**10), network_st)
def test_a_paid_claim_is_never_above_the_cap_and_every_claim_above_it_is_refused(params, rated_w, elapsed,
                                                                                delta, network):
    cap = cap_for(params, rated_w, elapsed)
    assert cap <= min(params.cap_mwh_per_day, rated_w * params.peak_sun_hours * 1000) * elapsed // 86_400
    try:
        payout = claim(params, rated_w, elapsed, delta, network)
    except RewardError as exc:
        assert delta <= cap or exc.code == Code.OVER_CAP
        return
    assert payout.delta_mwh == delta <= cap


@settings(max_examples=300)
@given(params_st, st.integers(0, MAX_ERA - 2), st.integers(0, 10**12), st.integers(0, 999))
def test_each_halving_halves_the_tokens_for_the_same_energy(params, era, energy, region):
    this = tokens_for_portion(params, region, energy, era)
    assert tokens_for_portion(params, region, energy, era + 1) == this // 2


@settings(max_examples=300)
@given(params_st, network_st, st.integers(0, 10**15))
def test_era_portions_add_up_to_the_claim_and_never_exceed_a_paying_era(params, network, delta):
    portions = split_by_era(params, 0, network, delta)
    assert sum(p.energy_mwh for p in portions) == delta
    assert all(p.energy_mwh <= params.era_length_mwh for p in portions if p.era < MAX_ERA)
    assert all(p.tokens == 0 for p in portions if p.era >= MAX_ERA)
    assert [p.era for p in portions] == sorted(p.era for p in portions)
    assert len(portions) <= MAX_ERA + 1


@settings(max_examples=200)
@given(params_st, st.integers(0, 10**12), st.integers(0, 10**12), network_st)
def test_the_preview_is_monotonic_in_energy(params, a, b, network):
    small, large = sorted((a, b))
    assert preview_energy(params, small, 0, network).tokens <= preview_energy(params, large, 0, network).tokens
