"""Every hand-worked case in onchain/vectors/payout.json passes the Python payout model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState, evaluate_claim

VECTORS = json.loads((Path(__file__).parents[2] / "onchain" / "vectors" / "payout.json").read_text())
CASES = VECTORS["cases"]


def params_for(case: dict) -> PayoutParams:
    merged = {**VECTORS["params"], **case.get("params", {})}
    return PayoutParams.from_json(merged)


def test_the_vector_file_covers_every_claim_rule():
    errors = {c["expect"].get("error") for c in CASES}
    assert {"OVER_CAP", "BELOW_THRESHOLD", "REPLAY", "ENERGY_NOT_INCREASING", "TIME_NOT_INCREASING",
            "FUTURE_DATED", "NOT_BOUND", "OVERFLOW"} <= errors
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_payout_vector(case: dict):
    params = params_for(case)
    device = DeviceState(**case["device"])
    ckpt = case["checkpoint"]
    expect = case["expect"]
    if expect["ok"]:
        payout = evaluate_claim(params, device, case["network_energy_mwh"], case["now"],
                                ckpt["seq"], ckpt["energy_mwh"], ckpt["device_time"])
        assert payout.tokens == expect["tokens"]
        assert payout.delta_mwh == expect["delta_mwh"]
        assert payout.network_energy_after == expect["network_energy_after"]
        assert [[p.era, p.energy_mwh, p.tokens] for p in payout.portions] == expect["portions"]
    else:
        with pytest.raises(RewardError) as info:
            evaluate_claim(params, device, case["network_energy_mwh"], case["now"],
                           ckpt["seq"], ckpt["energy_mwh"], ckpt["device_time"])
        assert (info.value.name, info.value.code) == (expect["error"], expect["code"])
        assert getattr(Code, expect["error"]) == expect["code"]


def test_vector_parameters_round_trip_through_json():
    params = PayoutParams.from_json(VECTORS["params"])
    assert PayoutParams.from_json(params.to_json()) == params
