"""AddManufacturerV0 / RemoveManufacturerV0 on the real binary."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import configured, key

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.rewards.params import Code

pytestmark = pytest.mark.sbf


def test_the_authority_adds_an_active_manufacturer() -> None:
    env = configured()
    maker = key(7).address
    env.send([layout.add_manufacturer_ix(env.authority.pubkey(), maker, env.program_id)]).ok()
    m = env.manufacturer(maker)
    assert m.active and m.address == maker


def test_anyone_else_adding_a_manufacturer_is_unauthorized() -> None:
    env = configured()
    stranger = Keypair()
    env.fund(stranger.pubkey())
    add = layout.add_manufacturer_ix(stranger.pubkey(), key(8).address, env.program_id)
    assert env.send([add], [stranger]).custom() == (0, Code.UNAUTHORIZED)


def test_a_removed_manufacturer_can_no_longer_attest_devices_until_it_is_added_again() -> None:
    env = configured()
    remove = layout.remove_manufacturer_ix(env.authority.pubkey(), env.maker.address, env.program_id)
    env.send([remove]).ok()
    assert not env.manufacturer(env.maker.address).active
    assert env.register(env.device).custom() == (1, Code.UNATTESTED)
    env.send([layout.add_manufacturer_ix(env.authority.pubkey(), env.maker.address, env.program_id)]).ok()
    env.register(env.device).ok()


def test_anyone_else_removing_a_manufacturer_is_unauthorized() -> None:
    env = configured()
    stranger = Keypair()
    remove = layout.remove_manufacturer_ix(stranger.pubkey(), env.maker.address, env.program_id)
    assert env.send([remove], [stranger]).custom() == (0, Code.UNAUTHORIZED)
    assert env.manufacturer(env.maker.address).active
