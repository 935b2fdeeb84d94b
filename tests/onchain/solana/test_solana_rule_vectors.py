"""Every case of the version-2 rule vectors (cap_clock.json, halving.json, guards.json) through the real
binary in LiteSVM, as test_evm_rule_vectors.py runs them through CsmRewards.

Given the case's parameters and network state written into the config, and the case's device state
into its account, when the case's bind (declaring another region) and claim are sent at their chain
times, then the program binds or refuses with the vector's code, leaves the vector's cap clock and
registered region, and pays exactly the vector's tokens (or skips the claim with its code), leaving
the vector's network state.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.onchain.solana.solana_program_support import ProgramEnv, configured
from tests.rewards.rule_vectors import CASES, RuleCase, network_from

from carbon_smart_meter.chains.solana import accounts

pytestmark = pytest.mark.sbf


def test_the_vector_files_have_the_cases_this_suite_expects() -> None:
    assert len(CASES) == 31
    assert {c.file for c in CASES} == {"cap_clock.json", "halving.json", "guards.json"}


@pytest.fixture(scope="module")
def env() -> ProgramEnv:
    e = configured()
    e.create_ata(e.wallet.pubkey())
    return e


def _given(env: ProgramEnv, case: RuleCase) -> accounts.DeviceAccount:
    env.write_config(replace(env.config(), params=case.params, network=case.network, paused=False))
    d = case.device
    state = accounts.DeviceAccount(d.bound, case.has_state, env.device.address, env.maker.address, d.rated_w, 1,
                                   d.region, 1, d.last_seq, d.last_energy_mwh, d.last_time, bytes(32),
                                   env.wallet.pubkey(), 0, revoked=d.revoked, manufacturer_index=1)
    env.write_device(state)
    return state


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_vector_on_the_program(env: ProgramEnv, case: RuleCase) -> None:
    before = _given(env, case)
    ata = env.ata(env.wallet.pubkey())
    if case.bind is not None:
        b, expect = case.bind, case.bind.expect
        env.set_time(b.now)
        message = env.bind_message(env.device, env.wallet.pubkey(), b.seq, b.energy_mwh, b.device_time, region=999)
        sent = env.bind(env.device, env.wallet, message)
        state = env.device_state(env.device.address)
        assert state is not None
        if expect["ok"]:
            sent.ok()
            after = expect["device_after"]
            assert (state.last_seq, state.last_energy_mwh, state.last_time, state.region, state.bound) == (
                after["last_seq"], after["last_energy_mwh"], after["last_time"], after["region"], after["bound"])
            assert state.wallet == env.wallet.pubkey()
        else:
            assert sent.custom() == (1, expect["code"]), expect["error"]
            assert state == before
    if case.claim is None:
        return
    c, expect = case.claim, case.claim.expect
    env.set_time(c.now)
    balance = env.token_balance(ata)
    device_before, network_before = env.device_state(env.device.address), env.config().network
    (event,) = env.claim([(env.device, env.checkpoint(env.device, c.seq, c.energy_mwh, c.device_time))], ata
                         ).ok().claim_events()
    if expect["ok"]:
        assert (event.code, event.tokens, event.delta_mwh) == (0, expect["tokens"], expect["delta_mwh"])
        assert env.token_balance(ata) - balance == expect["tokens"]
        if "network_after" in expect:
            assert env.config().network == network_from(expect["network_after"])
    else:
        assert event.code == expect["code"], expect["error"]
        assert env.token_balance(ata) == balance
        assert env.device_state(env.device.address) == device_before
        assert env.config().network == network_before
