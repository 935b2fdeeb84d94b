"""One reward-preview provider: deployment, else price table, else defaults; the same number everywhere."""

from __future__ import annotations

import json

import pytest

from carbon_smart_meter.app.energy_report import carbon_settings_from, energy_from_kwh, energy_report
from carbon_smart_meter.app.reward_preview import ParamsSource, ReasonCode, RewardPreviewer, kwh_to_mwh
from carbon_smart_meter.chains.evm import deploy as evm_deploy
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.cli import main
from carbon_smart_meter.rewards.limits import DEFAULT_PRICE_MICRO_USD_PER_KWH as DEFAULT_PRICE_MICRO_USD
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState
from carbon_smart_meter.rewards.prices import load_table, shipped_table
from carbon_smart_meter.settings import Settings


def test_half_a_kwh_in_new_zealand_previews_the_same_in_the_provider_the_report_and_csm_offsets(capsys):
    quote = RewardPreviewer().preview_kwh(0.5, "NZ")
    assert quote.tokens == 30_000_000 and quote.source == ParamsSource.PRICE_TABLE  # NZ is 0.30 USD/kWh
    report = energy_report(energy_from_kwh(0.5), carbon_settings_from(Settings(region="NZ")))
    assert report.reward.tokens == 30_000_000
    assert main(["offsets", "--kwh", "0.5", "--region", "NZ", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reward"]["tokens"] == 30_000_000


def test_a_configured_deployment_supplies_the_parameters_before_any_table():
    deployment = local_evm_deployment(default_price_micro_usd=400_000)
    quote = RewardPreviewer(deployment.adapter).preview_kwh(0.5, "NZ")
    assert quote.source == ParamsSource.DEPLOYMENT
    assert deployment.adapter.deployment_id.hex()[:16] in quote.source_detail
    assert quote.tokens == 40_000_000  # the chain prices NZ at its region-0 price, not the table's 0.30


def test_an_unreadable_deployment_falls_back_to_the_table_and_says_why():
    from web3 import Web3

    deployment = local_evm_deployment()
    deployment.chain.w3.provider = Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2})
    quote = RewardPreviewer(deployment.adapter).preview_kwh(0.5, "NZ")
    assert quote.source == ParamsSource.PRICE_TABLE and quote.tokens == 30_000_000
    assert quote.reasons[0].code == ReasonCode.DEPLOYMENT_UNREADABLE


def test_an_imported_table_replaces_the_shipped_one_and_without_any_table_the_defaults_apply(tmp_path):
    csv = tmp_path / "prices.csv"
    csv.write_text("iso_numeric,region,price,unit\n554,NZ,0.20,USD/kWh\n")
    assert RewardPreviewer(prices=load_table(csv)).preview_kwh(0.5, "NZ").tokens == 20_000_000
    bare = RewardPreviewer(shipped=False).preview_kwh(0.5, "NZ")
    assert bare.source == ParamsSource.DEFAULTS and bare.tokens == 15_000_000


def test_there_is_one_default_price():
    assert PayoutParams().price_for(0) == DEFAULT_PRICE_MICRO_USD
    assert shipped_table().rows[0].micro_usd_per_kwh == DEFAULT_PRICE_MICRO_USD
    assert local_evm_deployment().adapter.params().price_for(0) == DEFAULT_PRICE_MICRO_USD  # a fresh deployment
    assert evm_deploy.DEFAULT_PRICE_MICRO_USD == DEFAULT_PRICE_MICRO_USD


def test_reasons_carry_stable_codes_and_values_for_translation():
    small = RewardPreviewer().preview_kwh(0.005, "DE")
    below = [r for r in small.reasons if r.code == ReasonCode.BELOW_THRESHOLD]
    assert not small.claimable and below and below[0].rule == Code.BELOW_THRESHOLD
    assert below[0].values == {"energy_mwh": 5_000, "min_claim_mwh": PayoutParams().min_claim_mwh}
    era = [r for r in small.reasons if r.code == ReasonCode.ERA]
    assert era and era[0].values["era"] == 0
    greedy = RewardPreviewer().preview_checkpoint(DeviceState(rated_w=50, last_time=1_000), now=4_600, seq=1,
                                                  energy_mwh=9_000_000, device_time=4_600)
    assert greedy.tokens == 0 and [r.code for r in greedy.reasons] == [ReasonCode.OVER_CAP]
    assert greedy.reasons[0].rule == Code.OVER_CAP


@pytest.mark.parametrize("kwh, mwh", [(0.5, 500_000), (0.57, 570_000), (1e-6, 1), (0.0, 0)])
def test_energy_becomes_whole_mwh_without_binary_float_surprises(kwh, mwh):
    assert kwh_to_mwh(kwh) == mwh
