"""BindWalletV0 / UnbindWalletV0 on the real binary (RULES.md "Binding and the cap clock")."""

from __future__ import annotations

import base64

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import (
    DAY,
    EVM_DEPLOYMENT,
    T0,
    ProgramEnv,
    bound,
    configured,
    high_s,
    key,
)

from carbon_smart_meter.chains.solana import layout, precompile
from carbon_smart_meter.rewards.params import Code

pytestmark = pytest.mark.sbf


def registered() -> ProgramEnv:
    env = configured()
    env.register(env.device).ok()
    return env


def test_a_device_signed_bind_submitted_by_its_wallet_binds_and_records_the_starting_point() -> None:
    env = registered()
    message = env.bind_message(env.device, env.wallet.pubkey(), 6, 1_000_000, T0, 554)
    sent = env.bind(env.device, env.wallet, message).ok()
    s = env.device_state(env.device.address)
    assert s is not None and s.bound and s.has_state and s.wallet == env.wallet.pubkey()
    # The declared region (554) is logged, never priced: the registered site region stays 0
    assert (s.last_seq, s.last_energy_mwh, s.last_time, s.region) == (6, 1_000_000, T0, 0)
    bound_event = b"\x04\x00" + env.device.address + (554).to_bytes(2, "little") + (6).to_bytes(4, "little") + \
        T0.to_bytes(8, "little")
    assert any(base64.b64encode(bound_event).decode() in line for line in sent.logs)


def test_a_bind_starts_the_cap_clock_at_chain_time_when_the_device_clock_is_behind() -> None:
    # Given an unsynced device whose clock says 120 s since boot, bound a day after T0
    env = registered()
    env.set_time(T0 + DAY)
    env.bind(env.device, env.wallet, env.bind_message(env.device, env.wallet.pubkey(), 1, 0, 120)).ok()
    # Then the cap clock is the chain time the bind landed at, not the device's
    s = env.device_state(env.device.address)
    assert s is not None and s.last_time == T0 + DAY


def test_a_bind_ahead_within_the_skew_keeps_the_device_time() -> None:
    env = registered()
    env.bind(env.device, env.wallet, env.bind_message(env.device, env.wallet.pubkey(), 1, 0, T0 + 300)).ok()
    s = env.device_state(env.device.address)
    assert s is not None and s.last_time == T0 + 300


def test_a_rebind_dated_before_the_cap_clock_is_time_not_increasing() -> None:
    # Given a device bound at T0 (cap clock T0), a day later
    env, _ = bound()
    env.set_time(T0 + DAY)
    w = env.wallet.pubkey()
    # When it rebinds with its clock set back to 2001, Then TIME_NOT_INCREASING and nothing changes
    before = env.device_state(env.device.address)
    assert env.bind(env.device, env.wallet, env.bind_message(env.device, w, 2, 0, 1_000_000_000)).custom() == \
        (1, Code.TIME_NOT_INCREASING)
    assert env.device_state(env.device.address) == before
    # And at the cap clock itself it binds, with the clock moved up to chain time
    env.bind(env.device, env.wallet, env.bind_message(env.device, w, 2, 0, T0)).ok()
    after = env.device_state(env.device.address)
    assert after is not None and after.last_time == T0 + DAY


def test_a_bind_submitted_by_another_wallet_is_wrong_wallet() -> None:
    env = registered()
    named, submitter = Keypair(), Keypair()
    message = env.bind_message(env.device, named.pubkey(), 1, 0, T0)
    assert env.bind(env.device, submitter, message).custom() == (1, Code.WRONG_WALLET)


def test_a_bind_made_for_another_deployment_is_refused() -> None:
    env = registered()
    message = env.bind_message(env.device, env.wallet.pubkey(), 1, 0, T0, deployment=EVM_DEPLOYMENT)
    assert env.bind(env.device, env.wallet, message).custom() == (1, Code.WRONG_DEPLOYMENT)


def test_a_rebind_must_move_seq_and_energy_forward() -> None:
    env = registered()
    w = env.wallet.pubkey()
    env.bind(env.device, env.wallet, env.bind_message(env.device, w, 5, 2_000_000, T0)).ok()
    replay = env.bind_message(env.device, w, 5, 2_000_000, T0)
    assert env.bind(env.device, env.wallet, replay).custom() == (1, Code.REPLAY)
    backwards = env.bind_message(env.device, w, 6, 1_999_999, T0)
    assert env.bind(env.device, env.wallet, backwards).custom() == (1, Code.ENERGY_NOT_INCREASING)
    # Equal energy is allowed for a bind
    env.bind(env.device, env.wallet, env.bind_message(env.device, w, 6, 2_000_000, T0)).ok()


def test_a_bind_dated_beyond_the_clock_skew_is_future_dated() -> None:
    env = registered()
    w = env.wallet.pubkey()
    late = env.bind_message(env.device, w, 1, 0, T0 + 301)
    assert env.bind(env.device, env.wallet, late).custom() == (1, Code.FUTURE_DATED)
    env.bind(env.device, env.wallet, env.bind_message(env.device, w, 1, 0, T0 + 300)).ok()


def test_binding_an_unregistered_device_is_unknown_device() -> None:
    env = configured()
    stranger = key(20)
    message = env.bind_message(stranger, env.wallet.pubkey(), 1, 0, T0)
    assert env.bind(stranger, env.wallet, message).custom() == (1, Code.UNKNOWN_DEVICE)


def test_a_high_s_bind_signature_is_a_bad_signature_although_the_precompile_accepts_it() -> None:
    env = registered()
    message = env.bind_message(env.device, env.wallet.pubkey(), 1, 0, T0)
    sent = env.bind(env.device, env.wallet, message, signature=high_s(env.device.sign(message)))
    assert sent.custom() == (1, Code.BAD_SIGNATURE)
    s = env.device_state(env.device.address)
    assert s is not None and not s.bound


def test_a_revoked_device_cannot_bind() -> None:
    env = registered()
    env.device_admin(env.device.address, layout.revoke_device_data(env.device.address)).ok()
    message = env.bind_message(env.device, env.wallet.pubkey(), 1, 0, T0)
    assert env.bind(env.device, env.wallet, message).custom() == (1, Code.REVOKED)


def test_a_checkpoint_offered_as_a_bind_is_a_bad_signature() -> None:
    env = registered()
    ck = env.checkpoint(env.device, 2, 1, T0)
    ixs = [precompile.device_message_ix(ck, env.device.sign(ck), 0),
           layout.bind_wallet_ix(env.wallet.pubkey(), env.device.address, 0, env.program_id)]
    assert env.send(ixs, [env.wallet]).custom() == (1, Code.BAD_SIGNATURE)


def test_binding_is_refused_while_paused() -> None:
    env = registered()
    env.admin(layout.set_paused_data(True)).ok()
    message = env.bind_message(env.device, env.wallet.pubkey(), 1, 0, T0)
    assert env.bind(env.device, env.wallet, message).custom() == (1, Code.PAUSED)


def test_the_bound_wallet_unbinds_and_the_last_claimed_point_stays() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    env.claim([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata).ok()
    unbind = layout.unbind_wallet_ix(env.wallet.pubkey(), env.device.address, env.program_id)
    env.send([unbind], [env.wallet]).ok()
    s = env.device_state(env.device.address)
    assert s is not None and not s.bound and (s.last_seq, s.last_energy_mwh) == (2, 500_000)
    # An old bind cannot rewind it, and a claim now is NOT_BOUND
    old = env.bind_message(env.device, env.wallet.pubkey(), 2, 500_000, T0)
    assert env.bind(env.device, env.wallet, old).custom() == (1, Code.REPLAY)
    sent = env.claim([(env.device, env.checkpoint(env.device, 3, 600_000, T0 + DAY))], ata).ok()
    assert sent.claim_events()[0].code == Code.NOT_BOUND


def test_another_wallet_cannot_unbind() -> None:
    env, _ = bound()
    thief = Keypair()
    unbind = layout.unbind_wallet_ix(thief.pubkey(), env.device.address, env.program_id)
    assert env.send([unbind], [thief]).custom() == (0, Code.WRONG_WALLET)
    state = env.device_state(env.device.address)
    assert state is not None and state.bound


def test_unbinding_an_unbound_device_is_not_bound() -> None:
    env = registered()
    unbind = layout.unbind_wallet_ix(env.wallet.pubkey(), env.device.address, env.program_id)
    assert env.send([unbind], [env.wallet]).custom() == (0, Code.NOT_BOUND)
