"""The adapter's secp256k1 precompile instructions, run for real in LiteSVM: they verify, and a
tampered one is rejected by the runtime."""

from __future__ import annotations

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.transaction import Transaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata

from carbon_smart_meter.chains.solana import precompile
from carbon_smart_meter.protocol.signing import DeviceKey, recover_address


def _send(svm: LiteSVM, payer: Keypair, ixs: list) -> TransactionMetadata | FailedTransactionMetadata:
    blockhash = svm.latest_blockhash()
    tx = Transaction([payer], Message.new_with_blockhash(ixs, payer.pubkey(), blockhash), blockhash)
    result = svm.send_transaction(tx)
    svm.expire_blockhash()
    return result


def _vector_ixs(messages: dict, start: int = 0) -> list:
    maker = bytes.fromhex(messages["keys"]["manufacturer_address"])
    out = []
    for k, name in enumerate(("checkpoint", "bind", "attestation")):
        v = messages[name]
        msg, sig = bytes.fromhex(v["message"]), bytes.fromhex(v["signature"])
        if name == "attestation":
            out.append(precompile.signer_message_ix(maker, msg, sig, start + k))
        else:
            out.append(precompile.device_message_ix(msg, sig, start + k))
    return out


def test_checkpoint_bind_and_attestation_signatures_verify_in_the_precompile(svm, payer, messages) -> None:
    # Given the three signed vector messages as precompile instructions 0, 1, 2
    result = _send(svm, payer, _vector_ixs(messages))
    # Then the runtime verifies all of them
    assert isinstance(result, TransactionMetadata), result


def test_a_tampered_checkpoint_is_rejected_with_custom_2_at_its_instruction(svm, payer, messages) -> None:
    ixs = _vector_ixs(messages)
    data = bytearray(bytes(ixs[0].data))
    data[-1] ^= 0x01  # last byte of the chain head
    ixs[0] = Instruction(ixs[0].program_id, bytes(data), [])
    result = _send(svm, payer, ixs)
    assert isinstance(result, FailedTransactionMetadata)
    assert "InstructionError" in str(result.err()) and "Custom(2)" in str(result.err())
    assert result.err().index == 0


def test_offsets_naming_the_wrong_instruction_do_not_verify(svm, payer, messages) -> None:
    # Given a checkpoint precompile at index 1 whose offsets still say "instruction 0"
    ixs = _vector_ixs(messages)
    swapped = [ixs[1], ixs[0]]
    result = _send(svm, payer, swapped)
    # Then the runtime reads the other instruction's bytes and the signature fails
    assert isinstance(result, FailedTransactionMetadata)


def test_a_fresh_device_key_signature_made_by_the_protocol_layer_verifies(svm, payer) -> None:
    key = DeviceKey.from_seed(b"litesvm")
    message = b"CSM-CKPT-v1" + key.address + bytes(84)
    signature = key.sign(message)
    assert recover_address(message, signature) == key.address
    assert isinstance(_send(svm, payer, [precompile.device_message_ix(message, signature, 0)]), TransactionMetadata)


def test_the_signer_must_be_the_messages_own_device(svm, payer) -> None:
    # Given a checkpoint naming device A but signed by key B: the address offset points at A
    a, b = DeviceKey.from_seed(b"a"), DeviceKey.from_seed(b"b")
    message = b"CSM-CKPT-v1" + a.address + bytes(84)
    result = _send(svm, payer, [precompile.device_message_ix(message, b.sign(message), 0)])
    assert isinstance(result, FailedTransactionMetadata)
