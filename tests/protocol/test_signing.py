"""Device signatures: recover the signer, refuse forgeries and malleable signatures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_smart_meter.errors import SignatureError
from carbon_smart_meter.protocol.signing import (
    SECP256K1_N,
    CheckpointMessage,
    DeviceKey,
    keccak256,
    recover_address,
)

KEY = DeviceKey.from_seed(b"test")


def _ckpt(seq: int = 1, energy: int = 5) -> bytes:
    return CheckpointMessage(KEY.address, bytes(32), seq, energy, 1_700_000_000, keccak256(b"x")).encode()


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1))
def test_a_signed_checkpoint_recovers_to_its_device(seq, energy):
    msg = _ckpt(seq, energy)
    assert recover_address(msg, KEY.sign(msg)) == KEY.address
    assert CheckpointMessage.decode(msg).energy_mwh == energy


def test_a_tampered_message_recovers_to_another_address():
    msg = _ckpt()
    sig = KEY.sign(msg)
    assert recover_address(_ckpt(energy=6), sig) != KEY.address


def test_the_high_s_twin_of_a_signature_is_refused():
    msg = _ckpt()
    sig = KEY.sign(msg)
    s = int.from_bytes(sig[32:64], "big")
    twin = sig[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([sig[64] ^ 1])
    with pytest.raises(SignatureError, match="malleable"):
        recover_address(msg, twin)


@pytest.mark.parametrize("sig", [b"", bytes(65), bytes(64) + b"\x05"])
def test_malformed_signatures_raise_signature_error(sig):
    with pytest.raises(SignatureError):
        recover_address(_ckpt(), sig)


def test_a_message_with_the_wrong_tag_is_refused():
    bad = b"CSM-XXXX-v1" + _ckpt()[11:]
    with pytest.raises(SignatureError, match="tag"):
        CheckpointMessage.decode(bad)
