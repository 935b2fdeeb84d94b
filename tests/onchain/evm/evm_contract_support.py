"""Builders for signed messages and device setups used by the CsmRewards contract tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.artifact import load_artifact
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    wallet_bytes,
)
from carbon_smart_meter.rewards.limits import U64_MAX
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams

REPO = Path(__file__).resolve().parents[3]
PAYOUT_VECTORS = json.loads((REPO / "onchain" / "vectors" / "payout.json").read_text())
MESSAGE_VECTORS = json.loads((REPO / "onchain" / "vectors" / "messages.json").read_text())
# payout.json predates the mint window and probes u64 limits: its cases run with the window wide open
# (guards.json tests the window).
VECTOR_PARAMS = PayoutParams.from_json(PAYOUT_VECTORS["params"]).with_changes(window_limit_mwh=U64_MAX)
GENESIS_TIMESTAMP = 1_600_000_000
HEAD = bytes(range(32))


def attestation(manufacturer: DeviceKey, device: DeviceKey, rated_w: int, hw_class: int = 1,
                serial: int = 1) -> SignedMessage:
    message = AttestationMessage(device.address, rated_w, hw_class, serial).encode()
    return SignedMessage(message, manufacturer.sign(message))


def bind_message(device: DeviceKey, wallet: str, deployment: bytes, seq: int, energy_mwh: int,
                 device_time: int, region: int = 0, signer: DeviceKey | None = None) -> SignedMessage:
    message = BindMessage(device.address, wallet_bytes(bytes.fromhex(wallet[2:])), deployment, seq,
                          energy_mwh, device_time, region).encode()
    return SignedMessage(message, (signer or device).sign(message))


def checkpoint(device: DeviceKey, deployment: bytes, seq: int, energy_mwh: int, device_time: int,
               head: bytes = HEAD, signer: DeviceKey | None = None) -> SignedMessage:
    message = CheckpointMessage(device.address, deployment, seq, energy_mwh, device_time, head).encode()
    return SignedMessage(message, (signer or device).sign(message))


@dataclass
class BoundDevice:
    key: DeviceKey
    wallet: EvmAdapter

    @property
    def cap_clock(self) -> int:
        """The time the device's cap accrues from (after a bind: the block time it landed at)."""
        state = self.wallet.device_state(self.key.address)
        assert state is not None
        return state.last_time

    def claim(self, deployment: bytes, seq: int, energy_mwh: int, device_time: int, **kw: object) -> SignedMessage:
        return checkpoint(self.key, deployment, seq, energy_mwh, device_time, **kw)  # type: ignore[arg-type]


def register_and_bind(d: LocalDeployment, key: DeviceKey, wallet: EvmAdapter, *, rated_w: int = 100,
                      seq: int = 1, energy_mwh: int = 0, device_time: int | None = None,
                      region: int = 0) -> BoundDevice:
    """Register `key` with the development manufacturer, register its site `region` (as the owner) and bind
    it to `wallet`'s account (the bind declares the same region)."""
    wallet.register_device(attestation(d.manufacturer, key, rated_w))
    if region:
        d.adapter_for(d.owner).set_device_region(key.address, region)
    t = d.chain.pending_timestamp() if device_time is None else device_time
    wallet.bind(bind_message(key, wallet.account.address, wallet.deployment_id, seq, energy_mwh, t, region))
    return BoundDevice(key, wallet)


def _slot(name: str) -> int:
    return int(load_artifact().storage_layout[name]["slot"])  # type: ignore[index]


def set_network_state(d: LocalDeployment, state: NetworkState) -> None:
    """Network state is only reachable through claims; tests write it the way a history would leave it."""
    address = bytes.fromhex(d.adapter.address[2:])
    d.chain.set_storage(address, _slot("_network_word"), state.energy_mwh | (state.era_left_mwh << 64)
                        | (state.window_used_mwh << 128) | (state.window_time << 192))
    limits = d.chain.get_storage(address, _slot("_limits_word"))
    d.chain.set_storage(address, _slot("_limits_word"), (limits & ~(255 << 128)) | (state.era << 128))


def set_network_energy(d: LocalDeployment, energy_mwh: int) -> None:
    """The network state a history at today's era length leaves at `energy_mwh` (mint window empty)."""
    set_network_state(d, NetworkState.at_energy(energy_mwh, d.adapter.params().era_length_mwh))


def set_device_progress(d: LocalDeployment, device: bytes, seq: int, energy_mwh: int, last_time: int) -> None:
    """A device's last seq, energy and cap clock as a history of binds and claims would leave them."""
    from eth_utils import keccak

    # Vyper places HashMap[k] at keccak256(slot || k) (Solidity uses k || slot).
    slot = int.from_bytes(keccak(_slot("_device_progress").to_bytes(32, "big") + bytes(12) + device), "big")
    value = (1 << 255) | seq | (energy_mwh << 32) | (last_time << 96)
    d.chain.set_storage(bytes.fromhex(d.adapter.address[2:]), slot, value)


def apply_after_delay(d: LocalDeployment, params: PayoutParams) -> None:
    """Schedule `params` as the owner, let the published delay pass, apply them (anyone may)."""
    owner = d.adapter_for(d.owner)
    at = owner.schedule_params(params)
    if at is not None:
        d.chain.travel_to(max(d.chain.pending_timestamp(), at))
        owner.apply_pending()
