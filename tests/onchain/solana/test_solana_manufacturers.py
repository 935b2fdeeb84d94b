"""AddManufacturerV0 / RevokeManufacturerV0 on the real binary (RULES.md "Revocation"): a key gets the
next index, a revoked key never returns, at most 100 keys over a deployment's life."""

from __future__ import annotations

from dataclasses import replace

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import LIMITS, configured, key

from carbon_smart_meter.chains.solana import accounts, layout
from carbon_smart_meter.rewards.params import Code

pytestmark = pytest.mark.sbf


def test_the_authority_adds_manufacturers_with_consecutive_indices() -> None:
    env = configured()
    maker = key(7).address
    env.send([layout.add_manufacturer_ix(env.authority.pubkey(), maker, env.program_id)]).ok()
    assert env.manufacturer(maker) == accounts.ManufacturerAccount(revoked=False, address=maker, index=2)
    assert env.manufacturer(env.maker.address).index == 1 and env.config().manufacturer_count == 2
    # Adding an accepted key again changes nothing
    env.send([layout.add_manufacturer_ix(env.authority.pubkey(), maker, env.program_id)]).ok()
    assert env.manufacturer(maker).index == 2 and env.config().manufacturer_count == 2


def test_anyone_else_adding_a_manufacturer_is_unauthorized() -> None:
    env = configured()
    stranger = Keypair()
    env.fund(stranger.pubkey())
    add = layout.add_manufacturer_ix(stranger.pubkey(), key(8).address, env.program_id)
    assert env.send([add], [stranger]).custom() == (0, Code.UNAUTHORIZED)


def test_a_revoked_manufacturer_can_no_longer_attest_and_is_never_added_again() -> None:
    # Given the vector manufacturer, revoked
    env = configured()
    revoke = layout.revoke_manufacturer_ix(env.authority.pubkey(), env.maker.address, env.program_id)
    env.send([revoke]).ok()
    assert env.manufacturer(env.maker.address).revoked
    assert accounts.bitmap_bit(env.config().revoked_manufacturers, 1)
    # Then its attestations register nothing, and adding it again is REVOKED
    assert env.register(env.device).custom() == (1, Code.UNATTESTED)
    add = layout.add_manufacturer_ix(env.authority.pubkey(), env.maker.address, env.program_id)
    assert env.send([add]).custom() == (0, Code.REVOKED)
    assert env.manufacturer(env.maker.address).revoked


def test_anyone_else_revoking_a_manufacturer_is_unauthorized() -> None:
    env = configured()
    stranger = Keypair()
    revoke = layout.revoke_manufacturer_ix(stranger.pubkey(), env.maker.address, env.program_id)
    assert env.send([revoke], [stranger]).custom() == (0, Code.UNAUTHORIZED)
    assert not env.manufacturer(env.maker.address).revoked


def test_revoking_a_key_that_was_never_added_is_bad_parameter() -> None:
    env = configured()
    revoke = layout.revoke_manufacturer_ix(env.authority.pubkey(), key(9).address, env.program_id)
    assert env.send([revoke]).custom() == (0, Code.BAD_PARAMETER)


def test_a_deployment_accepts_at_most_the_tables_number_of_manufacturer_keys() -> None:
    # Given a deployment that has given out 99 manufacturer indices
    env = configured()
    most = LIMITS["limits"]["max_manufacturers"]
    env.write_config(replace(env.config(), manufacturer_count=most - 1))
    # When two more are added, Then the 100th is accepted and the 101st is BAD_PARAMETER
    env.send([layout.add_manufacturer_ix(env.authority.pubkey(), key(10).address, env.program_id)]).ok()
    assert env.manufacturer(key(10).address).index == most
    add = layout.add_manufacturer_ix(env.authority.pubkey(), key(11).address, env.program_id)
    assert env.send([add]).custom() == (0, Code.BAD_PARAMETER)
