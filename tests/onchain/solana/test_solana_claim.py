"""ClaimV0 on the real binary: checkpoints verified by the secp256k1 precompile, paid by an SPL Token
MintTo signed by the program's PDA, every rejection of RULES.md reported per claim."""

from __future__ import annotations

import pytest
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from tests.onchain.solana.solana_program_support import (
    DAY,
    EVM_DEPLOYMENT,
    T0,
    ProgramEnv,
    bound,
    high_s,
    key,
)

from carbon_smart_meter.chains.solana import layout, precompile
from carbon_smart_meter.protocol.signing import CheckpointMessage
from carbon_smart_meter.rewards.params import Code

pytestmark = pytest.mark.sbf
WRONG_MINT = 102
WRONG_MINT_AUTHORITY = 103
INVALID_ACCOUNT = 101
FROZEN = 2
U64_MAX = 2**64 - 1


@pytest.mark.parametrize("features", ["default", "mainnet"])
def test_a_valid_checkpoint_mints_tokens_to_the_bound_wallets_token_account(features: str) -> None:
    # Given a 100 W device bound at 0 mWh, T0 (under LiteSVM's default and mainnet's feature sets)
    env = ProgramEnv(feature_set=None if features == "default" else LiteSVM.mainnet_feature_set()).configure()
    ata = env.bind_device(env.device)
    env.set_time(T0 + DAY)
    # When it claims half a kWh a day later
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    sent = env.claim([(env.device, message)], ata).ok()
    # Then 15e6 base units are minted (vector "one day, half a kWh"), state and network move on
    assert env.token_balance(ata) == 15_000_000
    ev = sent.claim_events()
    assert [(e.code, e.tokens, e.delta_mwh, e.seq, e.device) for e in ev] == \
        [(0, 15_000_000, 500_000, 2, env.device.address)]
    s = env.device_state(env.device.address)
    assert s is not None
    assert (s.last_seq, s.last_energy_mwh, s.last_time, s.total_tokens) == (2, 500_000, T0 + DAY, 15_000_000)
    assert s.chain_head == CheckpointMessage.decode(message).chain_head
    assert env.config().network_energy_mwh == 500_000


def _tampered(env: ProgramEnv, message: bytes, offset: int) -> Instruction:
    data = bytearray(precompile.device_message_data(message, env.device.sign(message), 0))
    data[offset] ^= 0x01
    return Instruction(layout.SECP256K1_PROGRAM, bytes(data), [])


@pytest.mark.parametrize("what, offset", [
    ("energy raised after signing", 12 + 65 + 67 + 7),
    ("device time moved", 12 + 65 + 75 + 7),
    ("signature bit flipped", 12 + 5),
    ("device address changed", 12 + 65 + 11),
])
def test_a_tampered_checkpoint_fails_the_whole_transaction_in_the_precompile(what: str, offset: int) -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    claim = layout.claim_ix(env.mint, [(env.device.address, ata, 0)], env.program_id)
    sent = env.send([_tampered(env, message, offset), claim])
    assert sent.custom() == (0, 2), what
    assert env.token_balance(ata) == 0


def test_a_signature_by_another_key_over_the_devices_checkpoint_fails_in_the_precompile() -> None:
    # The precompile checks the signature against the address inside the message
    env, ata = bound()
    env.set_time(T0 + DAY)
    sent = env.claim([(key(33), env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata)
    assert sent.custom() == (0, 2)


def test_a_precompile_that_verifies_an_address_outside_the_message_is_a_bad_signature() -> None:
    # Given a checkpoint of the device signed by another key whose precompile instruction carries
    # the signer's own address (so the precompile accepts it): the program must see that the signer
    # is not the message's device
    env, ata = bound()
    env.set_time(T0 + DAY)
    other = key(34)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    secp = precompile.signer_message_ix(other.address, message, other.sign(message), 0)
    claim = layout.claim_ix(env.mint, [(env.device.address, ata, 0)], env.program_id)
    sent = env.send([secp, claim]).ok()
    assert sent.claim_events()[0].code == Code.BAD_SIGNATURE
    assert env.token_balance(ata) == 0


def test_a_reused_checkpoint_in_a_later_transaction_is_a_replay_and_pays_nothing() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    env.claim([(env.device, message)], ata).ok()
    sent = env.claim([(env.device, message)], ata).ok()
    assert sent.claim_events()[0].code == Code.REPLAY
    assert env.token_balance(ata) == 15_000_000


def test_the_same_checkpoint_twice_in_one_batch_pays_once() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    sent = env.claim([(env.device, message), (env.device, message)], ata).ok()
    assert [e.code for e in sent.claim_events()] == [0, Code.REPLAY]
    assert env.token_balance(ata) == 15_000_000


def test_both_claims_pointing_at_one_precompile_instruction_pay_once() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    secp = precompile.device_message_ix(message, env.device.sign(message), 0)
    claim = layout.claim_ix(env.mint, [(env.device.address, ata, 0), (env.device.address, ata, 0)], env.program_id)
    sent = env.send([secp, claim]).ok()
    assert [e.code for e in sent.claim_events()] == [0, Code.REPLAY]


def test_an_unregistered_device_is_unknown_device() -> None:
    env, ata = bound()
    stranger = key(40)
    env.set_time(T0 + DAY)
    sent = env.claim([(stranger, env.checkpoint(stranger, 2, 500_000, T0 + DAY))], ata).ok()
    assert sent.claim_events()[0].code == Code.UNKNOWN_DEVICE
    assert env.token_balance(ata) == 0


def test_another_devices_account_in_place_of_the_claimants_is_unknown_device() -> None:
    # Given two bound devices, When a's checkpoint names b's device account, Then UNKNOWN_DEVICE
    env, ata = bound()
    b = key(41)
    env.bind_device(b)
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    secp = precompile.device_message_ix(message, env.device.sign(message), 0)
    sent = env.send([secp, layout.claim_ix(env.mint, [(b.address, ata, 0)], env.program_id)]).ok()
    assert sent.claim_events()[0].code == Code.UNKNOWN_DEVICE


def test_a_checkpoint_made_for_another_deployment_is_refused() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY, deployment=EVM_DEPLOYMENT)
    assert env.claim([(env.device, message)], ata).ok().claim_events()[0].code == Code.WRONG_DEPLOYMENT


def test_paying_a_token_account_of_another_wallet_is_wrong_wallet() -> None:
    env, _ = bound()
    thief = Keypair()
    thief_ata = env.create_ata(thief.pubkey())
    env.set_time(T0 + DAY)
    sent = env.claim([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], thief_ata).ok()
    assert sent.claim_events()[0].code == Code.WRONG_WALLET
    assert env.token_balance(thief_ata) == 0


def _with_account(ix: Instruction, index: int, key_: Pubkey) -> Instruction:
    metas = list(ix.accounts)
    metas[index] = AccountMeta(key_, metas[index].is_signer, metas[index].is_writable)
    return Instruction(ix.program_id, bytes(ix.data), metas)


def test_a_mint_authority_account_that_is_not_the_pda_is_refused() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    ixs = env.claim_ixs([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata)
    ixs[-1] = _with_account(ixs[-1], 2, Keypair().pubkey())
    assert env.send(ixs).custom() == (1, WRONG_MINT_AUTHORITY)


def test_a_mint_other_than_the_reward_mint_is_refused() -> None:
    env, ata = bound()
    other = env.create_mint()
    ixs = env.claim_ixs([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata)
    ixs[-1] = _with_account(ixs[-1], 1, other)
    assert env.send(ixs).custom() == (1, WRONG_MINT)


def test_a_token_program_other_than_spl_token_is_refused() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    ixs = env.claim_ixs([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata)
    ixs[-1] = _with_account(ixs[-1], 3, layout.SYSTEM_PROGRAM)
    assert env.send(ixs).custom() == (1, 101)
    assert env.token_balance(ata) == 0


def test_a_claim_over_the_daily_cap_is_over_cap() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    sent = env.claim([(env.device, env.checkpoint(env.device, 2, 1_600_001, T0 + DAY))], ata).ok()
    assert sent.claim_events()[0].code == Code.OVER_CAP
    state = env.device_state(env.device.address)
    assert state is not None and state.last_seq == 1


def test_a_paused_deployment_refuses_the_whole_claim_call() -> None:
    env, ata = bound()
    env.admin(layout.set_paused_data(True)).ok()
    env.set_time(T0 + DAY)
    assert env.claim([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata).custom() == \
        (1, Code.PAUSED)


def test_a_batch_skips_the_failed_claim_and_pays_the_others_in_order() -> None:
    env, ata = bound()
    a, b = env.device, key(50)
    env.bind_device(b)
    env.set_time(T0 + 2 * DAY)
    sent = env.claim([(a, env.checkpoint(a, 2, 500_000, T0 + DAY)),
                      (b, env.checkpoint(b, 2, 9_000_000, T0 + DAY)),
                      (a, env.checkpoint(a, 3, 600_000, T0 + 2 * DAY))], ata).ok()
    assert [(e.claim_index, e.code) for e in sent.claim_events()] == [(0, 0), (1, Code.OVER_CAP), (2, 0)]
    assert env.token_balance(ata) == 15_000_000 + 3_000_000


def test_a_claim_naming_fewer_accounts_than_claims_is_refused_whole() -> None:
    env, ata = bound()
    env.set_time(T0 + DAY)
    ixs = env.claim_ixs([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata)
    short = Instruction(ixs[-1].program_id, bytes(ixs[-1].data), list(ixs[-1].accounts)[:-1])
    sent = env.send([ixs[0], short])
    assert sent.error is not None and "NotEnoughAccountKeys" in str(sent.error)
    assert env.token_balance(ata) == 0


def test_a_high_s_checkpoint_signature_is_refused_although_the_precompile_accepts_it() -> None:
    # Given the malleable twin (r, n - s, v ^ 1) of the device's signature over a valid checkpoint
    env, ata = bound()
    env.set_time(T0 + DAY)
    message = env.checkpoint(env.device, 2, 500_000, T0 + DAY)
    twin = high_s(env.device.sign(message))
    secp = precompile.device_message_ix(message, twin, 0)
    claim = layout.claim_ix(env.mint, [(env.device.address, ata, 0)], env.program_id)
    # When it is claimed, Then the precompile passes it but the program refuses it: nothing is paid
    sent = env.send([secp, claim]).ok()
    assert sent.claim_events()[0].code == Code.BAD_SIGNATURE
    assert env.token_balance(ata) == 0
    # And the low-s original still pays
    env.claim([(env.device, message)], ata).ok()
    assert env.token_balance(ata) == 15_000_000


def _three_wallets(env: ProgramEnv) -> tuple[list, list[Pubkey]]:  # type: ignore[type-arg]
    """Three devices bound at T0 to three wallets; the clock a day later; their checkpoints of 0.5 kWh."""
    devices = [env.device, key(60), key(61)]
    atas = [env.bind_device(d, Keypair()) for d in devices]
    env.set_time(T0 + DAY)
    return [(d, env.checkpoint(d, 2, 500_000, T0 + DAY)) for d in devices], atas


def _mint_supply(env: ProgramEnv, supply: int) -> None:
    acc = env.svm.get_account(env.mint)
    data = bytearray(bytes(acc.data))
    data[36:44] = supply.to_bytes(8, "little")
    env.write(env.mint, bytes(data), owner=acc.owner)


def test_a_frozen_token_account_in_the_middle_of_a_batch_skips_that_claim_and_the_others_are_paid() -> None:
    # Given three bound devices whose middle wallet's token account is frozen (MintTo would fail)
    env = ProgramEnv().configure()
    claims, atas = _three_wallets(env)
    env.write_token_account(atas[1], state=FROZEN)
    # When the three are claimed in one transaction
    sent = env.claim_ixs_per_destination(claims, atas)
    # Then the middle one is refused with INVALID_ACCOUNT and nothing moves for it; the others are paid
    assert [(e.claim_index, e.code) for e in sent.ok().claim_events()] == [(0, 0), (1, INVALID_ACCOUNT), (2, 0)]
    assert [env.token_balance(a) for a in atas] == [15_000_000, 0, 15_000_000]
    middle = env.device_state(claims[1][0].address)
    assert middle is not None and middle.last_seq == 1
    assert env.config().network_energy_mwh == 1_000_000


def test_a_token_account_whose_balance_would_overflow_is_overflow_and_the_others_are_paid() -> None:
    env = ProgramEnv().configure()
    claims, atas = _three_wallets(env)
    env.write_token_account(atas[1], amount=U64_MAX - 14_999_999)
    sent = env.claim_ixs_per_destination(claims, atas).ok()
    assert [e.code for e in sent.claim_events()] == [0, Code.OVERFLOW, 0]
    assert env.token_balance(atas[1]) == U64_MAX - 14_999_999


def test_the_mint_supply_bounds_the_batch_claim_by_claim() -> None:
    # Given a reward mint with room for exactly two claims of 15e6 before its supply overflows
    env = ProgramEnv().configure()
    claims, atas = _three_wallets(env)
    _mint_supply(env, U64_MAX - 30_000_000)
    # Then the first two are paid and the third is OVERFLOW (MintTo would have failed the transaction)
    sent = env.claim_ixs_per_destination(claims, atas).ok()
    assert [e.code for e in sent.claim_events()] == [0, 0, Code.OVERFLOW]
    assert [env.token_balance(a) for a in atas] == [15_000_000, 15_000_000, 0]


def test_an_uninitialised_or_read_only_token_account_is_invalid_account_and_skipped() -> None:
    env = ProgramEnv().configure()
    claims, atas = _three_wallets(env)
    env.write_token_account(atas[0], state=0)
    ixs = env.claim_ixs(claims[:2], atas[0])
    metas = list(ixs[-1].accounts)
    metas[6] = AccountMeta(atas[0], False, True)          # claim 0: its own (uninitialised) account
    metas[8] = AccountMeta(atas[1], False, False)         # claim 1: its account, but read-only
    ixs[-1] = Instruction(ixs[-1].program_id, bytes(ixs[-1].data), metas)
    sent = env.send(ixs).ok()
    assert [e.code for e in sent.claim_events()] == [INVALID_ACCOUNT, INVALID_ACCOUNT]
    assert env.token_balance(atas[1]) == 0


def test_a_revoked_device_cannot_claim() -> None:
    env, ata = bound()
    env.device_admin(env.device.address, layout.revoke_device_data(env.device.address)).ok()
    env.set_time(T0 + DAY)
    sent = env.claim([(env.device, env.checkpoint(env.device, 2, 500_000, T0 + DAY))], ata).ok()
    assert sent.claim_events()[0].code == Code.REVOKED
    assert env.token_balance(ata) == 0
