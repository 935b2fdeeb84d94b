"""Every case of onchain/vectors/payout.json through the real binary: the config and device accounts
are preset to the case's state, the clock to its `now`, and one device-signed checkpoint is claimed
through the secp256k1 precompile and the SPL Token program."""

from __future__ import annotations

from dataclasses import replace

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import PAYOUT, configured

from carbon_smart_meter.chains.solana import accounts
from carbon_smart_meter.rewards.limits import U64_MAX
from carbon_smart_meter.rewards.network import NetworkState
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
    # Given the case's parameters, network state (the eras of a constant-length history; the cases
    # predate the mint window, so it is unlimited) and device state written into the accounts
    params = PayoutParams.from_json(case.get("params", PAYOUT["params"])).with_changes(window_limit_mwh=U64_MAX)
    network = NetworkState.at_energy(case["network_energy_mwh"], params.era_length_mwh)
    env.write_config(replace(env.config(), network=network, params=params))
    wallet = Keypair()
    ata = env.create_ata(wallet.pubkey())
    d = case["device"]
    state = accounts.DeviceAccount(d["bound"], True, env.device.address, bytes(20), d["rated_w"], 1, d["region"], 1,
                                   d["last_seq"], d["last_energy_mwh"], d["last_time"], bytes(32), wallet.pubkey(), 0)
    env.write_device(state)
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
        assert env.config().network.window_used_mwh == e["delta_mwh"]
        assert after is not None and after.last_seq == c["seq"]
    else:
        assert events[0].code == e["code"], e["error"]
        assert env.token_balance(ata) == 0
        assert after == state
        assert env.config().network_energy_mwh == case["network_energy_mwh"]

