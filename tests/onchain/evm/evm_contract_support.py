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
from carbon_smart_meter.rewards.params import PayoutParams

REPO = Path(__file__).resolve().parents[3]
PAYOUT_VECTORS = json.loads((REPO / "onchain" / "vectors" / "payout.json").read_text())
MESSAGE_VECTORS = json.loads((REPO / "onchain" / "vectors" / "messages.json").read_text())
VECTOR_PARAMS = PayoutParams.from_json(PAYOUT_VECTORS["params"])
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

    def claim(self, deployment: bytes, seq: int, energy_mwh: int, device_time: int, **kw: object) -> SignedMessage:
        return checkpoint(self.key, deployment, seq, energy_mwh, device_time, **kw)  # type: ignore[arg-type]


def register_and_bind(d: LocalDeployment, key: DeviceKey, wallet: EvmAdapter, *, rated_w: int = 100,
                      seq: int = 1, energy_mwh: int = 0, device_time: int | None = None,
                      region: int = 0) -> BoundDevice:
    """Register `key` with the development manufacturer and bind it to `wallet`'s account."""
    wallet.register_device(attestation(d.manufacturer, key, rated_w))
    t = d.chain.pending_timestamp() if device_time is None else device_time
    wallet.bind(bind_message(key, wallet.account.address, wallet.deployment_id, seq, energy_mwh, t, region))
    return BoundDevice(key, wallet)


def set_network_energy(d: LocalDeployment, energy_mwh: int) -> None:
    """Network energy is only reachable through claims; tests write it the way a history would leave it."""
    slot = int(load_artifact().storage_layout["_network_word"]["slot"])  # type: ignore[index]
    address = bytes.fromhex(d.adapter.address[2:])
    word = d.chain.get_storage(address, slot)
    d.chain.set_storage(address, slot, (word & ~(2**64 - 1)) | energy_mwh)
