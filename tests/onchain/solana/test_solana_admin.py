"""The authority's instructions on the real binary (RULES.md "The authority and its delay"): parameters
and prices are scheduled and applied after the published delay, pausing is immediate, the authority
moves in two steps and cannot be renounced while paused; retired version-1 instructions are refused."""

from __future__ import annotations

import base64

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import (
    DAY,
    DELAY,
    LIMITS,
    SOLANA_VECTORS,
    T0,
    bound,
    configured,
    unchecked_params,
)

from carbon_smart_meter.chains.solana import accounts, layout
from carbon_smart_meter.rewards.params import Code, PayoutParams

pytestmark = pytest.mark.sbf
PRICE_TABLE_FULL = LIMITS["codes"]["PRICE_TABLE_FULL"]
INVALID_INSTRUCTION = LIMITS["solana_only_codes"]["INVALID_INSTRUCTION"]


# -- parameters -------------------------------------------------------------------------------------

def test_scheduled_parameters_change_nothing_until_the_delay_has_passed_then_anyone_applies_them() -> None:
    # Given a deployment with a one-hour delay
    env = configured()
    new = PayoutParams(share_bps=3_000, min_claim_mwh=0, window_s=3_600)
    # When the authority schedules new parameters
    sent = env.admin(layout.schedule_params_data(new)).ok()
    # Then they are published (config and log) but not in force, and applying them is TOO_EARLY
    cfg = env.config()
    assert cfg.params == PayoutParams() and cfg.pending_params == new and cfg.pending_params_at == T0 + DELAY
    announced = b"\x02\x00" + (T0 + DELAY).to_bytes(8, "little") + accounts.pack_params(new)
    assert any(base64.b64encode(announced).decode() in line for line in sent.logs)
    env.set_time(T0 + DELAY - 1)
    assert env.apply(layout.apply_params_data()).custom() == (0, Code.TOO_EARLY)
    # And once the delay has passed the wallet (not the authority) applies them
    env.set_time(T0 + DELAY)
    env.apply(layout.apply_params_data()).ok()
    cfg = env.config()
    assert cfg.params == new and cfg.pending_params is None
    assert env.apply(layout.apply_params_data()).custom() == (0, Code.TOO_EARLY)


def test_a_new_schedule_replaces_the_pending_one_and_restarts_the_delay() -> None:
    env = configured()
    env.admin(layout.schedule_params_data(PayoutParams(min_claim_mwh=1))).ok()
    env.set_time(T0 + DELAY - 10)
    env.admin(layout.schedule_params_data(PayoutParams(min_claim_mwh=2))).ok()
    env.set_time(T0 + DELAY)
    assert env.apply(layout.apply_params_data()).custom() == (0, Code.TOO_EARLY)
    env.set_time(T0 + 2 * DELAY - 10)
    env.apply(layout.apply_params_data()).ok()
    assert env.config().params.min_claim_mwh == 2


def test_parameters_outside_their_bounds_are_bad_parameter_and_schedule_nothing() -> None:
    env = configured()
    for bad in (unchecked_params(peak_sun_hours=0), unchecked_params(cap_mwh_per_day=9_000_001),
                unchecked_params(tokens_per_usd=1_000_000_000_001), unchecked_params(window_s=2_592_001)):
        assert env.admin(layout.schedule_params_data(bad)).custom() == (0, Code.BAD_PARAMETER), bad
    assert env.config().pending_params is None


def test_anyone_else_scheduling_parameters_is_unauthorized() -> None:
    env = configured()
    sent = env.admin(layout.schedule_params_data(PayoutParams()), Keypair())
    assert sent.custom() == (0, Code.UNAUTHORIZED)


# -- pause ------------------------------------------------------------------------------------------

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


# -- prices -----------------------------------------------------------------------------------------

def test_a_scheduled_price_is_applied_after_the_delay_and_a_cleared_one_falls_back_to_region_zero() -> None:
    env = configured()
    env.admin(layout.schedule_price_data(554, 300_000)).ok()
    assert env.config().params.price_for(554) == 150_000
    assert env.config().pending_prices == (accounts.PendingPrice(554, 300_000, T0 + DELAY),)
    assert env.apply(layout.apply_price_data(554)).custom() == (0, Code.TOO_EARLY)
    env.set_time(T0 + DELAY)
    env.apply(layout.apply_price_data(554)).ok()
    assert env.config().params.price_for(554) == 300_000 and env.config().pending_prices == ()
    env.after_delay(layout.schedule_price_data(554, None))
    assert env.config().params.price_for(554) == 150_000 and 554 not in env.config().params.prices


def test_applying_a_region_with_nothing_scheduled_is_too_early() -> None:
    env = configured()
    assert env.apply(layout.apply_price_data(554)).custom() == (0, Code.TOO_EARLY)


def test_a_price_above_a_thousand_dollars_per_kwh_is_bad_parameter() -> None:
    env = configured()
    sent = env.admin(layout.schedule_price_data(276, LIMITS["limits"]["max_price_micro_usd_per_kwh"] + 1))
    assert sent.custom() == (0, Code.BAD_PARAMETER)


def test_the_price_table_holds_its_capacity_checked_when_scheduled_and_when_applied() -> None:
    # Given a table filled to its capacity (region 0 and 31 more)
    env = configured()
    capacity = LIMITS["limits"]["price_table_capacity"]
    fill = [layout.admin_ix(env.authority.pubkey(), layout.schedule_price_data(r, r), env.program_id)
            for r in range(1, capacity)]
    for i in range(0, len(fill), 8):
        env.send(fill[i:i + 8]).ok()
    env.set_time(T0 + DELAY)
    for r in range(1, capacity):
        env.apply(layout.apply_price_data(r)).ok()
    assert len(env.config().params.prices) == capacity
    # Then a new region is PRICE_TABLE_FULL when scheduled, a known one can change
    assert env.admin(layout.schedule_price_data(999, 1)).custom() == (0, PRICE_TABLE_FULL)
    env.after_delay(layout.schedule_price_data(5, 55))
    assert env.config().params.price_for(5) == 55
    # And a new region scheduled while a removal frees a slot is refused at apply until the removal applies
    env.after_delay(layout.schedule_price_data(7, None))
    env.admin(layout.schedule_price_data(999, 1)).ok()
    env.admin(layout.schedule_price_data(998, 1)).ok()
    env.set_time(env.now() + DELAY)
    env.apply(layout.apply_price_data(999)).ok()
    assert env.apply(layout.apply_price_data(998)).custom() == (0, PRICE_TABLE_FULL)
    prices = env.config().params.prices
    assert len(prices) == capacity and 7 not in prices and prices[999] == 1 and prices[31] == 31
    assert [p.region for p in env.config().pending_prices] == [998]


def test_at_most_twice_the_capacity_of_price_changes_wait_at_once() -> None:
    env = configured()
    most = 2 * LIMITS["limits"]["price_table_capacity"]
    clears = [layout.admin_ix(env.authority.pubkey(), layout.schedule_price_data(r, None), env.program_id)
              for r in range(most)]
    for i in range(0, len(clears), 8):
        env.send(clears[i:i + 8]).ok()
    assert len(env.config().pending_prices) == most
    assert env.admin(layout.schedule_price_data(most, None)).custom() == (0, PRICE_TABLE_FULL)
    env.admin(layout.schedule_price_data(3, 7)).ok()   # a region already waiting is replaced, not added


def test_anyone_else_scheduling_a_price_is_unauthorized() -> None:
    env = configured()
    assert env.admin(layout.schedule_price_data(0, 1), Keypair()).custom() == (0, Code.UNAUTHORIZED)


# -- the authority ----------------------------------------------------------------------------------

def test_the_authority_moves_in_two_steps_and_keeps_its_powers_until_the_new_one_accepts() -> None:
    # Given a proposed successor
    env = configured()
    successor, stranger = Keypair(), Keypair()
    env.fund(successor.pubkey())
    env.admin(layout.propose_authority_data(successor.pubkey())).ok()
    assert env.config().pending_authority == successor.pubkey()
    # Then until it accepts, the old authority keeps every power and the successor has none
    env.admin(layout.set_paused_data(True)).ok()
    assert env.admin(layout.set_paused_data(False), successor).custom() == (0, Code.UNAUTHORIZED)
    # And nobody else can accept for it
    assert env.admin(layout.accept_authority_data(), stranger).custom() == (0, Code.UNAUTHORIZED)
    # When it accepts, Then it is the authority and the old one has no power left
    env.admin(layout.accept_authority_data(), successor).ok()
    cfg = env.config()
    assert cfg.authority == successor.pubkey() and cfg.pending_authority == layout.Pubkey.default()
    env.admin(layout.set_paused_data(False), successor).ok()
    assert env.admin(layout.set_paused_data(True)).custom() == (0, Code.UNAUTHORIZED)


def test_only_the_authority_proposes_a_successor() -> None:
    env = configured()
    stranger = Keypair()
    assert env.admin(layout.propose_authority_data(stranger.pubkey()), stranger).custom() == (0, Code.UNAUTHORIZED)


def test_the_authority_cannot_be_renounced_while_paused_so_a_paused_deployment_is_never_orphaned() -> None:
    env = configured()
    env.admin(layout.set_paused_data(True)).ok()
    assert env.admin(layout.renounce_authority_data()).custom() == (0, Code.PAUSED)
    assert env.config().authority == env.authority.pubkey()
    env.admin(layout.set_paused_data(False)).ok()
    env.admin(layout.renounce_authority_data()).ok()
    assert env.config().renounced
    assert env.admin(layout.set_paused_data(True)).custom() == (0, Code.UNAUTHORIZED)


# -- retired instructions ---------------------------------------------------------------------------

def test_the_retired_version_1_instructions_are_invalid_instructions() -> None:
    env = configured()
    retired = [bytes.fromhex(c["data"]) for c in SOLANA_VECTORS["invalid_instructions"]
               if c["data"] and bytes.fromhex(c["data"])[0] in layout.RETIRED_TAGS]
    assert len(retired) == len(layout.RETIRED_TAGS)
    for data in retired:
        assert env.admin(data).custom() == (0, INVALID_INSTRUCTION), data[0]
    assert env.config().params == PayoutParams()
