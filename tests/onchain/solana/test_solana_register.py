"""RegisterDeviceV0 on the real binary: the manufacturer's attestation is verified by the secp256k1
precompile and read back through the Instructions sysvar."""

from __future__ import annotations

import pytest
from solders.instruction import Instruction
from tests.onchain.solana.solana_program_support import configured, high_s, key

from carbon_smart_meter.chains.solana import accounts, layout, precompile
from carbon_smart_meter.protocol.signing import AttestationMessage
from carbon_smart_meter.rewards.params import Code

pytestmark = pytest.mark.sbf


def test_an_attested_device_is_registered_with_its_rated_power() -> None:
    env = configured()
    env.register(env.device, 100).ok()
    state = env.device_state(env.device.address)
    assert state is not None
    assert (state.rated_w, state.hw_class, state.serial) == (100, 1, 42)
    assert state.manufacturer == env.maker.address
    assert not state.bound and not state.has_state and not state.revoked
    assert state.manufacturer_index == env.manufacturer(env.maker.address).index == 1


def test_a_device_attested_by_an_unknown_key_is_unattested() -> None:
    env = configured()
    forger, device = key(9), key(10)
    assert env.register(device, maker=forger).custom() == (1, Code.UNATTESTED)
    assert env.device_state(device.address) is None


def test_a_forged_attestation_signature_fails_in_the_precompile() -> None:
    # Given an attestation whose rated power was raised after signing
    env = configured()
    device = key(11)
    att = AttestationMessage(device.address, 100, 1, 42).encode()
    data = bytearray(precompile.signer_message_data(env.maker.address, att, env.maker.sign(att), 0))
    data[len(data) - 16] ^= 0x01
    register = layout.register_device_ix(env.authority.pubkey(), env.maker.address, device.address, 0,
                                         env.program_id)
    sent = env.send([Instruction(layout.SECP256K1_PROGRAM, bytes(data), []), register])
    # Then the precompile refuses the whole transaction (Custom(2) at instruction 0)
    assert sent.custom() == (0, 2)
    assert env.device_state(device.address) is None


def test_registering_twice_is_already_registered() -> None:
    env = configured()
    env.register(env.device).ok()
    assert env.register(env.device).custom() == (1, Code.ALREADY_REGISTERED)


def test_an_attestation_index_that_is_not_a_secp256k1_instruction_is_a_bad_signature() -> None:
    env = configured()
    register = layout.register_device_ix(env.authority.pubkey(), env.maker.address, env.device.address, 0,
                                         env.program_id)
    assert env.send([register]).custom() == (0, Code.BAD_SIGNATURE)


def test_a_precompile_instruction_that_takes_its_message_from_another_instruction_is_a_bad_signature() -> None:
    # Given two identical precompile instructions at indices 0 and 1, both built for index 0: the
    # runtime verifies both, but the one at index 1 names another instruction as its source
    env = configured()
    att = AttestationMessage(env.device.address, 100, 1, 42).encode()
    at0 = precompile.signer_message_ix(env.maker.address, att, env.maker.sign(att), 0)
    register = layout.register_device_ix(env.authority.pubkey(), env.maker.address, env.device.address, 1,
                                         env.program_id)
    assert env.send([at0, at0, register]).custom() == (2, Code.BAD_SIGNATURE)


def test_registration_is_refused_while_paused() -> None:
    env = configured()
    env.admin(layout.set_paused_data(True)).ok()
    assert env.register(env.device).custom() == (1, Code.PAUSED)


def test_a_pre_funded_device_address_is_still_registered() -> None:
    # Given someone sent lamports to the device's PDA first (a plain create_account would then fail)
    env = configured()
    pda = layout.device_address(env.device.address, env.program_id)
    env.fund(pda, env.svm.minimum_balance_for_rent_exemption(0))
    # When the device registers, Then its account is created (transfer + allocate + assign) and rent-exempt
    env.register(env.device).ok()
    account = env.svm.get_account(pda)
    assert account.owner == env.program_id and len(account.data) == accounts.DEVICE_LEN
    assert account.lamports >= env.svm.minimum_balance_for_rent_exemption(accounts.DEVICE_LEN)


def test_device_zero_cannot_be_registered() -> None:
    # Given the manufacturer's valid signature over an attestation of the zero address
    env = configured()
    att = AttestationMessage(bytes(20), 100, 1, 42).encode()
    ixs = [precompile.signer_message_ix(env.maker.address, att, env.maker.sign(att), 0),
           layout.register_device_ix(env.authority.pubkey(), env.maker.address, bytes(20), 0, env.program_id)]
    # When it is submitted, Then BAD_PARAMETER and no account exists
    assert env.send(ixs).custom() == (1, Code.BAD_PARAMETER)
    assert env.device_state(bytes(20)) is None


def test_a_high_s_attestation_signature_is_a_bad_signature() -> None:
    # Given the malleable twin of the manufacturer's signature (the precompile accepts it)
    env = configured()
    att = AttestationMessage(env.device.address, 100, 1, 42).encode()
    twin = high_s(env.maker.sign(att))
    ixs = [precompile.signer_message_ix(env.maker.address, att, twin, 0),
           layout.register_device_ix(env.authority.pubkey(), env.maker.address, env.device.address, 0,
                                     env.program_id)]
    # Then the program refuses it
    assert env.send(ixs).custom() == (1, Code.BAD_SIGNATURE)
    assert env.device_state(env.device.address) is None
