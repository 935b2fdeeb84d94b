"""Reward previews and the regional price table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState
from carbon_smart_meter.rewards.preview import preview_checkpoint, preview_energy
from carbon_smart_meter.rewards.prices import PriceTableError, load_table, shipped_table

VECTORS = json.loads((Path(__file__).parents[2] / "onchain" / "vectors" / "payout.json").read_text())


def test_half_a_kwh_previews_the_same_tokens_as_the_first_vector():
    params = PayoutParams.from_json(VECTORS["params"])
    preview = preview_energy(params, 500_000, region=0)
    assert preview.tokens == 15_000_000 and preview.value_micro_usd == 15_000
    assert preview.tokens_display == "0.015" and preview.claimable


def test_a_preview_below_the_threshold_says_it_stays_claimable():
    preview = preview_energy(PayoutParams(), 9_999)
    assert not preview.claimable and any("stays claimable" in n for n in preview.notes)


def test_a_checkpoint_preview_reports_the_rule_a_refused_claim_breaks():
    device = DeviceState(rated_w=100, last_seq=1, last_energy_mwh=0, last_time=1_700_000_000)
    refused = preview_checkpoint(PayoutParams(), device, 0, 1_700_086_400, 2, 1_600_001, 1_700_086_400)
    assert refused.tokens == 0 and "OVER_CAP (11)" in refused.notes[0]
    paid = preview_checkpoint(PayoutParams(), device, 0, 1_700_086_400, 2, 1_600_000, 1_700_086_400)
    assert paid.tokens == 48_000_000 and paid.claimable


def test_the_shipped_price_table_is_dated_and_labelled_illustrative():
    table = shipped_table()
    assert table.prices == {0: 150_000, 554: 300_000, 276: 400_000}  # the vectors' prices
    assert all(r.status == "illustrative" and r.as_of for r in table.rows.values())
    assert table.row_for(999).iso_numeric == 0
    assert table.apply_to(PayoutParams()).price_for(554) == 300_000


def test_a_deployment_table_overrides_and_units_are_converted(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("iso_numeric,price,unit,status,source\n0,120,USD/MWh,sourced,x\n404,21.5,cUSD/kWh,sourced,y\n")
    table = load_table(path)
    assert table.prices == {0: 120_000, 404: 215_000}


@pytest.mark.parametrize(("row", "complaint"), [
    ("404,0.2,EUR/kWh", "unit 'EUR/kWh'"),
    ("404,abc,USD/kWh", "not a number"),
    ("KE,0.2,USD/kWh", "not an ISO 3166-1 number"),
    ("404,2000,USD/kWh", "out of range"),
])
def test_a_bad_price_row_is_refused_naming_the_line(tmp_path, row: str, complaint: str):
    path = tmp_path / "p.csv"
    path.write_text(f"iso_numeric,price,unit\n0,0.15,USD/kWh\n{row}\n")
    with pytest.raises(PriceTableError, match=complaint) as info:
        load_table(path)
    assert f"{path}:3" in str(info.value)


def test_a_scheduled_change_is_a_warning_with_what_the_claim_would_pay_under_it():
    from carbon_smart_meter.rewards.preview import PendingChange

    device = DeviceState(rated_w=100, last_seq=1, last_time=1_700_000_000)
    pending = PendingChange(effective_at=1_700_604_800, params=PayoutParams(share_bps=1_000))
    preview = preview_checkpoint(PayoutParams(), device, 0, 1_700_086_400, 2, 1_600_000, 1_700_086_400,
                                 pending=pending)
    assert preview.tokens == 48_000_000 and preview.notes and len(preview.warnings) == 1
    assert "2023-11-21 22:13 UTC" in preview.warnings[0]
    assert "0.024 tokens" in preview.warnings[0]
    assert preview.to_json()["warnings"] == list(preview.warnings)
    assert preview_checkpoint(PayoutParams(), device, 0, 1_700_086_400, 2, 1_600_000, 1_700_086_400).warnings == ()
    bare = preview_energy(PayoutParams(), 500_000, pending=pending)
    assert "0.0075 tokens" in bare.warnings[0]
