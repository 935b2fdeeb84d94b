"""Signed messages (PROTOCOL.md section 4) to CsmRewards call arguments, and contract views back.

The contract takes message fields, not message bytes: it rebuilds the fixed big-endian layout
itself, so calldata carries no length words and the contract cannot be fed a message whose fields
differ from what it checks.
"""

from __future__ import annotations

from typing import Any

from eth_utils import to_checksum_address

from carbon_smart_meter.chains.adapter import DeviceOnChain, SignedMessage
from carbon_smart_meter.errors import SignatureError
from carbon_smart_meter.protocol.signing import (
    SIGNATURE_SIZE,
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
)
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams

ZERO_ADDRESS = "0x" + "00" * 20


def split_signature(signature: bytes) -> tuple[int, bytes, bytes]:
    """(v, r, s) of a 65-byte r||s||v signature; v stays the 0/1 recovery id, the contract adds 27."""
    if len(signature) != SIGNATURE_SIZE:
        raise SignatureError(f"signature must be {SIGNATURE_SIZE} bytes, got {len(signature)}")
    return signature[64], signature[:32], signature[32:64]


def checkpoint_args(claim: SignedMessage) -> tuple[Any, ...]:
    """The contract's Checkpoint struct; raises SignatureError for bytes that are no checkpoint."""
    m = CheckpointMessage.decode(claim.message)
    v, r, s = split_signature(claim.signature)
    return (to_checksum_address(m.device), m.deployment_id, m.seq, m.energy_mwh, m.device_time,
            m.chain_head, v, r, s)


def bind_args(bind: SignedMessage) -> list[Any]:
    m = BindMessage.decode(bind.message)
    v, r, s = split_signature(bind.signature)
    return [to_checksum_address(m.device), m.wallet, m.deployment_id, m.seq, m.energy_mwh, m.device_time,
            m.region, v, r, s]


def attestation_args(attestation: SignedMessage) -> list[Any]:
    m = AttestationMessage.decode(attestation.message)
    v, r, s = split_signature(attestation.signature)
    return [to_checksum_address(m.device), m.rated_power_w, m.hw_class, m.serial, v, r, s]


def device_from_view(device: bytes, view: Any) -> DeviceOnChain | None:
    """The contract's DeviceState tuple as a DeviceOnChain; None for a device never registered."""
    registered, rated_w, hw_class, region, wallet, last_seq, last_energy, last_time, head, revoked, maker = view
    if not registered:
        return None
    wallet_bytes = None if wallet == ZERO_ADDRESS or int(wallet, 16) == 0 else bytes.fromhex(wallet[2:])
    return DeviceOnChain(device=device, rated_w=rated_w, hw_class=hw_class, wallet=wallet_bytes,
                         region=region, last_seq=last_seq, last_energy_mwh=last_energy,
                         last_time=last_time, chain_head=bytes(head), revoked=bool(revoked),
                         manufacturer=bytes.fromhex(maker[2:]))


PARAM_FIELDS = ("cap_mwh_per_day", "peak_sun_hours", "min_claim_mwh", "max_clock_skew_s", "share_bps",
                "tokens_per_usd", "era_length_mwh", "window_s", "window_limit_mwh")


def params_struct(params: PayoutParams) -> tuple[int, ...]:
    return tuple(getattr(params, name) for name in PARAM_FIELDS)


def params_from_view(view: Any, prices: dict[int, int]) -> PayoutParams:
    return PayoutParams(**dict(zip(PARAM_FIELDS, view, strict=True)), prices=prices)


def prices_arg(params: PayoutParams) -> list[tuple[int, int]]:
    """The constructor's price table: (region, micro-USD per kWh), region 0 first."""
    return sorted(params.prices.items())


def network_from_view(view: Any) -> NetworkState:
    energy, era, era_left, used, window_time = view
    return NetworkState(energy, era, era_left, used, window_time)
