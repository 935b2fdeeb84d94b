"""Every case of the version-2 rule vectors (bind and cap clock, stored halving era, revocation and the
mint window) passes the Python payout model."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.rewards.rule_vectors import CASES, RuleCase, network_from

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.params import Code
from carbon_smart_meter.rewards.payout import evaluate_bind, evaluate_claim


def test_the_vectors_cover_every_new_rule():
    errors = {step.expect.get("error") for c in CASES for step in (c.bind, c.claim) if step is not None}
    assert {"TIME_NOT_INCREASING", "REVOKED", "WINDOW_FULL", "OVER_CAP", "FUTURE_DATED"} <= errors
    files = {c.file for c in CASES}
    assert files == {"cap_clock.json", "halving.json", "guards.json"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_vector(case: RuleCase):
    device = case.device
    if case.bind is not None:
        b, expect = case.bind, case.bind.expect
        if expect["ok"]:
            device = evaluate_bind(case.params, device, b.now, b.seq, b.energy_mwh, b.device_time,
                                   first=not case.has_state)
            after = expect["device_after"]
            assert (device.last_seq, device.last_energy_mwh, device.last_time, device.region, device.bound) == (
                after["last_seq"], after["last_energy_mwh"], after["last_time"], after["region"], after["bound"])
        else:
            with pytest.raises(RewardError) as info:
                evaluate_bind(case.params, device, b.now, b.seq, b.energy_mwh, b.device_time, first=not case.has_state)
            assert (info.value.name, info.value.code) == (expect["error"], expect["code"])
            assert getattr(Code, expect["error"]) == expect["code"]
    if case.claim is None:
        return
    c, expect = case.claim, case.claim.expect
    if expect["ok"]:
        payout = evaluate_claim(case.params, device, case.network, c.now, c.seq, c.energy_mwh, c.device_time)
        assert (payout.tokens, payout.delta_mwh) == (expect["tokens"], expect["delta_mwh"])
        assert [[p.era, p.energy_mwh, p.tokens] for p in payout.portions] == expect["portions"]
        if "network_after" in expect:
            assert payout.network_after == network_from(expect["network_after"])
    else:
        with pytest.raises(RewardError) as info:
            evaluate_claim(case.params, device, case.network, c.now, c.seq, c.energy_mwh, c.device_time)
        assert (info.value.name, info.value.code) == (expect["error"], expect["code"])


def test_a_bare_network_energy_derives_the_eras_of_a_constant_length_history():
    case = next(c for c in CASES if c.name == "a claim crossing an era boundary is split at the stored end")
    c = case.claim
    assert c is not None
    from_state = evaluate_claim(case.params, case.device, case.network, c.now, c.seq, c.energy_mwh, c.device_time)
    bare = evaluate_claim(case.params, case.device, case.network.energy_mwh, c.now, c.seq, c.energy_mwh,
                          c.device_time)
    assert bare.portions == from_state.portions and bare.network_energy_after == from_state.network_energy_after


def test_a_bind_never_moves_the_cap_clock_backwards():
    case = next(c for c in CASES if c.name == "rebind at the cap clock is accepted and the clock moves to chain time")
    for device_time in (case.device.last_time, case.device.last_time + 1):
        for now in (device_time - 200, device_time, device_time + 10**6):
            after = evaluate_bind(case.params, case.device, now, case.device.last_seq + 1,
                                  case.device.last_energy_mwh, device_time)
            assert after.last_time >= case.device.last_time and after.last_time >= now
    with pytest.raises(RewardError):
        evaluate_bind(case.params, replace(case.device), 2_000_000_000, case.device.last_seq + 1,
                      case.device.last_energy_mwh, case.device.last_time - 1)
