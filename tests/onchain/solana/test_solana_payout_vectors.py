"""Every case of onchain/vectors/payout.json through the real binary: the config and device accounts
are preset to the case's state, the clock to its `now`, and one device-signed checkpoint is claimed
through the secp256k1 precompile and the SPL Token program."""

from __future__ import annotations

import pytest
from solders.account import Account
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import PAYOUT, configured

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.rewards.params import PayoutParams

pytestmark = pytest.mark.sbf
CASES = PAYOUT["cases"]


def test_the_vector_file_has_the_cases_this_suite_expects() -> None:
    assert len(CASES) == 30


@pytest.fixture(scope="module")
def env():  # type: ignore[no-untyped-def]
    return configured()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_payout_vector_pays_or_refuses_exactly_as_written(env, case: dict) -> None:  # type: ignore[no-untyped-def]
    # Given the case's parameters, network energy and device state written into the accounts
    params = PayoutParams.from_json(case.get("params", PAYOUT["params"]))
    cfg = env.config()
    config_key = layout.config_address(env.program_id)
    config_bump = layout.config_address_and_bump(env.program_id)[1]
    authority_bump = layout.mint_authority_address_and_bump(env.program_id)[1]
    preset = layout.ConfigAccount(False, cfg.authority, env.mint, 0, env.deployment, case["network_energy_mwh"],
                                  params)
    _write(env, config_key, layout.encode_config(preset, bump=config_bump, mint_authority_bump=authority_bump))
    wallet = Keypair()
    ata = env.create_ata(wallet.pubkey())
    d = case["device"]
    device_key, device_bump = layout.device_address_and_bump(env.device.address, env.program_id)
    state = layout.DeviceAccount(d["bound"], True, env.device.address, bytes(20), d["rated_w"], 1, d["region"], 1,
                                 d["last_seq"], d["last_energy_mwh"], d["last_time"], bytes(32), wallet.pubkey(), 0)
    _write(env, device_key, layout.encode_device(state, bump=device_bump))
    env.set_time(case["now"])
    # When the case's checkpoint is claimed
    c = case["checkpoint"]
    sent = env.claim([(env.device, env.checkpoint(env.device, c["seq"], c["energy_mwh"], c["device_time"]))], ata)
    events = sent.ok().claim_events()
    assert len(events) == 1
    # Then the event, the minted amount, the device and the network total match the vector
    e = case["expect"]
    after = env.device_state(env.device.address)
    if e["ok"]:
        assert (events[0].code, events[0].tokens, events[0].delta_mwh) == (0, e["tokens"], e["delta_mwh"])
        assert env.token_balance(ata) == e["tokens"]
        assert env.config().network_energy_mwh == e["network_energy_after"]
        assert after is not None and after.last_seq == c["seq"]
    else:
        assert events[0].code == e["code"], e["error"]
        assert env.token_balance(ata) == 0
        assert after == state
        assert env.config().network_energy_mwh == case["network_energy_mwh"]


def _write(env, address, data: bytes) -> None:  # type: ignore[no-untyped-def]
    rent = env.svm.minimum_balance_for_rent_exemption(len(data))
    env.svm.set_account(address, Account(rent, data, env.program_id, False, 0))
