"""onchain/vectors/messages.json: encoding, digest and signer of every signed message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    deployment_id,
    keccak256,
    recover_address,
)

VECTORS = json.loads((Path(__file__).parents[2] / "onchain" / "vectors" / "messages.json").read_text())
KEYS = VECTORS["keys"]
CLASSES = {"checkpoint": CheckpointMessage, "bind": BindMessage, "attestation": AttestationMessage}


def decoded_fields(kind: str) -> dict:
    out = {}
    for name, value in VECTORS[kind]["fields"].items():
        out[name] = bytes.fromhex(value) if isinstance(value, str) else value
    return out


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_message_encodes_to_the_vector_bytes_and_digest(kind: str):
    vector = VECTORS[kind]
    message = CLASSES[kind](**decoded_fields(kind)).encode()
    assert message.hex() == vector["message"]
    assert keccak256(message).hex() == vector["digest"]
    assert CLASSES[kind].decode(message) == CLASSES[kind](**decoded_fields(kind))


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_signature_recovers_to_the_named_signer(kind: str):
    vector = VECTORS[kind]
    signer = KEYS[f"{vector['signer']}_address"]
    assert recover_address(bytes.fromhex(vector["message"]), bytes.fromhex(vector["signature"])).hex() == signer


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_signing_the_vector_message_reproduces_the_signature(kind: str):
    vector = VECTORS[kind]
    key = DeviceKey(bytes.fromhex(KEYS[f"{vector['signer']}_secret"]))
    assert key.address.hex() == KEYS[f"{vector['signer']}_address"]
    assert key.sign(bytes.fromhex(vector["message"])).hex() == vector["signature"]  # RFC 6979: deterministic


def test_a_one_bit_change_no_longer_recovers_to_the_signer():
    vector = VECTORS["checkpoint"]
    message = bytearray(bytes.fromhex(vector["message"]))
    message[70] ^= 1  # inside energy_mwh
    recovered = recover_address(bytes(message), bytes.fromhex(vector["signature"]))
    assert recovered.hex() != KEYS["device_address"]


@pytest.mark.parametrize("dep", VECTORS["deployments"], ids=lambda d: f"kind{d['chain_kind']}")
def test_deployment_id_matches_the_vector(dep: dict):
    assert deployment_id(dep["chain_kind"], dep["chain_id"], bytes.fromhex(dep["program"])).hex() \
        == dep["deployment_id"]
