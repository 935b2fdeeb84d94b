"""Device identity and the signed messages of PROTOCOL.md section 4.

Signed messages are big-endian and fixed-length so that the EVM contract can rebuild them with
`concat` and the Solana program can read them from the secp256k1 precompile's data; the digest is
keccak256 of the raw message with no Ethereum prefix (the domain tag does that job).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import coincurve
from Crypto.Hash import keccak

from carbon_smart_meter.errors import SignatureError

CHECKPOINT_TAG = b"CSM-CKPT-v1"
BIND_TAG = b"CSM-BIND-v1"
ATTEST_TAG = b"CSM-ATTEST-v1"
DEPLOY_TAG = b"CSM-DEPLOY-v1"
CHECKPOINT_MESSAGE_SIZE = 115
BIND_MESSAGE_SIZE = 117
ATTEST_MESSAGE_SIZE = 47
SIGNATURE_SIZE = 65
CHAIN_KIND_EVM = 1
CHAIN_KIND_SOLANA = 2

_CKPT = struct.Struct(">11s20s32sIQQ32s")
_BIND = struct.Struct(">11s20s32s32sIQQH")
_ATTEST = struct.Struct(">13s20sIHQ")
_DEPLOY = struct.Struct(">13sBQ32s")
assert _CKPT.size == CHECKPOINT_MESSAGE_SIZE and _BIND.size == BIND_MESSAGE_SIZE
assert _ATTEST.size == ATTEST_MESSAGE_SIZE

# secp256k1 group order; signatures with s above half of it are malleable and refused.
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def address_of_public_key(public_key: coincurve.PublicKey) -> bytes:
    """Ethereum-style address: the last 20 bytes of keccak256 of the uncompressed key without 0x04."""
    return keccak256(public_key.format(compressed=False)[1:])[12:]


@dataclass(frozen=True)
class DeviceKey:
    """A secp256k1 private key with its Ethereum-style address."""

    secret: bytes

    @classmethod
    def from_seed(cls, seed: bytes) -> DeviceKey:
        """Deterministic key for simulators and tests (never for real devices)."""
        return cls(keccak256(b"CSM-DEV-KEY" + seed))

    @property
    def address(self) -> bytes:
        return address_of_public_key(coincurve.PrivateKey(self.secret).public_key)

    def sign(self, message: bytes) -> bytes:
        """65-byte r||s||v (v = recovery id 0/1) over keccak256(message), low-s."""
        sig = coincurve.PrivateKey(self.secret).sign_recoverable(keccak256(message), hasher=None)
        return sig


def recover_address(message: bytes, signature: bytes) -> bytes:
    """Address whose key signed `message`; raises SignatureError for malformed or malleable input."""
    if len(signature) != SIGNATURE_SIZE:
        raise SignatureError(f"signature must be {SIGNATURE_SIZE} bytes, got {len(signature)}")
    if signature[64] not in (0, 1):
        raise SignatureError(f"recovery id must be 0 or 1, got {signature[64]}")
    s = int.from_bytes(signature[32:64], "big")
    if s == 0 or s > SECP256K1_N // 2:
        raise SignatureError("signature s is zero or in the upper half of the curve order (malleable)")
    try:
        key = coincurve.PublicKey.from_signature_and_message(signature, keccak256(message), hasher=None)
    except Exception as exc:  # coincurve raises plain Exception/ValueError for invalid points
        raise SignatureError(f"signature does not recover to a public key: {exc}") from exc
    return address_of_public_key(key)


@dataclass(frozen=True)
class CheckpointMessage:
    device: bytes
    deployment_id: bytes
    seq: int
    energy_mwh: int
    device_time: int
    chain_head: bytes

    def encode(self) -> bytes:
        return _CKPT.pack(CHECKPOINT_TAG, self.device, self.deployment_id, self.seq, self.energy_mwh,
                          self.device_time, self.chain_head)

    @classmethod
    def decode(cls, data: bytes) -> CheckpointMessage:
        if len(data) != CHECKPOINT_MESSAGE_SIZE:
            raise SignatureError(f"checkpoint message must be {CHECKPOINT_MESSAGE_SIZE} bytes, got {len(data)}")
        tag, device, dep, seq, energy, t, head = _CKPT.unpack(data)
        if tag != CHECKPOINT_TAG:
            raise SignatureError(f"checkpoint message has tag {tag!r}, expected {CHECKPOINT_TAG!r}")
        return cls(device, dep, seq, energy, t, head)


@dataclass(frozen=True)
class BindMessage:
    device: bytes
    wallet: bytes
    deployment_id: bytes
    seq: int
    energy_mwh: int
    device_time: int
    region: int

    def encode(self) -> bytes:
        return _BIND.pack(BIND_TAG, self.device, self.wallet, self.deployment_id, self.seq,
                          self.energy_mwh, self.device_time, self.region)

    @classmethod
    def decode(cls, data: bytes) -> BindMessage:
        if len(data) != BIND_MESSAGE_SIZE:
            raise SignatureError(f"bind message must be {BIND_MESSAGE_SIZE} bytes, got {len(data)}")
        tag, *fields = _BIND.unpack(data)
        if tag != BIND_TAG:
            raise SignatureError(f"bind message has tag {tag!r}, expected {BIND_TAG!r}")
        return cls(*fields)


@dataclass(frozen=True)
class AttestationMessage:
    device: bytes
    rated_power_w: int
    hw_class: int
    serial: int

    def encode(self) -> bytes:
        return _ATTEST.pack(ATTEST_TAG, self.device, self.rated_power_w, self.hw_class, self.serial)

    @classmethod
    def decode(cls, data: bytes) -> AttestationMessage:
        if len(data) != ATTEST_MESSAGE_SIZE:
            raise SignatureError(f"attestation must be {ATTEST_MESSAGE_SIZE} bytes, got {len(data)}")
        tag, *fields = _ATTEST.unpack(data)
        if tag != ATTEST_TAG:
            raise SignatureError(f"attestation has tag {tag!r}, expected {ATTEST_TAG!r}")
        return cls(*fields)


def wallet_bytes(wallet: bytes) -> bytes:
    """32-byte wallet field: EVM addresses are left-padded with 12 zero bytes, Solana keys as they are."""
    if len(wallet) == 20:
        return bytes(12) + wallet
    if len(wallet) == 32:
        return wallet
    raise SignatureError(f"a wallet is a 20-byte EVM address or a 32-byte Solana key, got {len(wallet)} bytes")


def deployment_id(chain_kind: int, chain_id: int, program: bytes) -> bytes:
    """32-byte id of one deployment (PROTOCOL.md 4.4): a checkpoint for one is refused by all others."""
    return keccak256(_DEPLOY.pack(DEPLOY_TAG, chain_kind, chain_id, wallet_bytes(program)))
