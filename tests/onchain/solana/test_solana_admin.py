"""SetParamsV0, SetPausedV0 and SetRegionPriceV0 on the real binary."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import DAY, T0, bound, configured, unchecked_params

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.rewards.params import Code, PayoutParams

pytestmark = pytest.mark.sbf
PRICE_TABLE_FULL = 104


def test_the_authority_replaces_the_parameters() -> None:
    env = configured()
    new = PayoutParams(share_bps=3_000, min_claim_mwh=0)
    env.admin(layout.set_params_data(new)).ok()
    assert env.config().params == new


def test_parameters_outside_their_bounds_are_bad_parameter_and_change_nothing() -> None:
    env = configured()
    for bad in (unchecked_params(peak_sun_hours=0), unchecked_params(cap_mwh_per_day=9_000_001),
                unchecked_params(tokens_per_usd=1_000_000_000_001)):
        assert env.admin(layout.set_params_data(bad)).custom() == (0, Code.BAD_PARAMETER), bad
    assert env.config().params == PayoutParams()


def test_anyone_else_setting_parameters_is_unauthorized() -> None:
    env = configured()
    assert env.admin(layout.set_params_data(PayoutParams()), Keypair()).custom() == (0, Code.UNAUTHORIZED)


def test_pausing_stops_claims_and_unpausing_resumes_them() -> None:
    env, ata = bound()
    env.admin(layout.set_paused_data(True)).ok()
    assert env.config().paused
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    assert env.claim([(env.device, message)], ata).custom() == (1, Code.PAUSED)
    env.admin(layout.set_paused_data(False)).ok()
    env.claim([(env.device, message)], ata).ok()
    assert env.token_balance(ata) == 15_000_000


def test_anyone_else_pausing_is_unauthorized() -> None:
    env = configured()
    assert env.admin(layout.set_paused_data(True), Keypair()).custom() == (0, Code.UNAUTHORIZED)
    assert not env.config().paused


def test_a_region_price_is_set_used_by_claims_and_removed_back_to_the_default() -> None:
    env = configured()
    env.admin(layout.set_region_price_data(554, 300_000)).ok()
    assert env.config().params.price_for(554) == 300_000
    env.register(env.device).ok()
    ata = env.create_ata(env.wallet.pubkey())
    env.bind(env.device, env.wallet, env.bind_message(env.device, env.wallet.pubkey(), 1, 0, T0, 554)).ok()
    env.set_time(T0 + DAY)
    env.claim([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata).ok()
    assert env.token_balance(ata) == 30_000_000
    env.admin(layout.set_region_price_data(554, None)).ok()
    assert env.config().params.price_for(554) == 150_000


def test_a_price_above_a_thousand_dollars_per_kwh_is_bad_parameter() -> None:
    env = configured()
    assert env.admin(layout.set_region_price_data(276, 1_000_000_001)).custom() == (0, Code.BAD_PARAMETER)


def test_the_price_table_refuses_entries_beyond_its_capacity() -> None:
    env = configured()
    fill = [layout.admin_ix(env.authority.pubkey(), layout.set_region_price_data(r, r), env.program_id)
            for r in range(1, layout.MAX_PRICES)]
    for i in range(0, len(fill), 8):
        env.send(fill[i:i + 8]).ok()
    assert env.admin(layout.set_region_price_data(999, 1)).custom() == (0, PRICE_TABLE_FULL)
    env.admin(layout.set_region_price_data(5, 55)).ok()
    assert env.config().params.price_for(5) == 55
    # Removing an entry frees its slot; the table keeps every other entry
    env.admin(layout.set_region_price_data(7, None)).ok()
    env.admin(layout.set_region_price_data(999, 1)).ok()
    prices = env.config().params.prices
    assert len(prices) == layout.MAX_PRICES and 7 not in prices and prices[999] == 1 and prices[31] == 31


def test_anyone_else_setting_a_price_is_unauthorized() -> None:
    env = configured()
    assert env.admin(layout.set_region_price_data(0, 1), Keypair()).custom() == (0, Code.UNAUTHORIZED)
