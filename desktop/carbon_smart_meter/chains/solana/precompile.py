"""secp256k1 precompile instructions that carry device and manufacturer signatures.

The runtime verifies these before the program runs; the program then reads them back through the
Instructions sysvar and checks they name themselves (not another instruction) as the source of
signature, address and message. For device messages the address offset points at the message's own
`device` field (offset 11), so a checkpoint costs 65 + 115 bytes of payload and no separate address.
"""

from __future__ import annotations

import struct

from solders.instruction import Instruction

from carbon_smart_meter.chains.solana.layout import SECP256K1_PROGRAM
from carbon_smart_meter.errors import ChainError

HEADER_LEN = 12
SIGNATURE_LEN = 65
DEVICE_FIELD_OFFSET = 11
_OFFSETS = struct.Struct("<BHBHBHHB")


def _check(signature: bytes, own_index: int) -> None:
    if len(signature) != SIGNATURE_LEN:
        raise ChainError(f"a secp256k1 signature is r||s||v, 65 bytes; got {len(signature)}")
    if not 0 <= own_index <= 255:
        raise ChainError(f"instruction index {own_index} does not fit a transaction")


def device_message_data(message: bytes, signature: bytes, own_index: int) -> bytes:
    """Checkpoint or bind: the signer must be the message's own device address."""
    _check(signature, own_index)
    sig = HEADER_LEN
    msg = sig + SIGNATURE_LEN
    head = _OFFSETS.pack(1, sig, own_index, msg + DEVICE_FIELD_OFFSET, own_index, msg, len(message), own_index)
    return head + signature + message


def signer_message_data(signer: bytes, message: bytes, signature: bytes, own_index: int) -> bytes:
    """Attestation: the manufacturer's address travels explicitly."""
    _check(signature, own_index)
    eth = HEADER_LEN
    sig = eth + 20
    msg = sig + SIGNATURE_LEN
    head = _OFFSETS.pack(1, sig, own_index, eth, own_index, msg, len(message), own_index)
    return head + signer + signature + message


def device_message_ix(message: bytes, signature: bytes, own_index: int) -> Instruction:
    return Instruction(SECP256K1_PROGRAM, device_message_data(message, signature, own_index), [])


def signer_message_ix(signer: bytes, message: bytes, signature: bytes, own_index: int) -> Instruction:
    return Instruction(SECP256K1_PROGRAM, signer_message_data(signer, message, signature, own_index), [])
