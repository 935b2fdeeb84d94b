"""The `ChainAdapter` protocol shared by every chain, and the typed values that cross it.

The claims outbox and sync engine speak only this protocol; each chain turns it into transactions.
Values are chain-neutral: addresses are raw bytes (20-byte device addresses, 20-byte EVM or 32-byte
Solana wallets), amounts are integers in the units of onchain/RULES.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from carbon_smart_meter.rewards.params import PayoutParams


@dataclass(frozen=True)
class SignedMessage:
    """A device- or manufacturer-signed message (PROTOCOL.md section 4) with its 65-byte signature."""

    message: bytes
    signature: bytes


@dataclass(frozen=True)
class DeviceOnChain:
    device: bytes
    rated_w: int
    hw_class: int
    wallet: bytes | None
    region: int
    last_seq: int
    last_energy_mwh: int
    last_time: int
    chain_head: bytes
    revoked: bool = False
    manufacturer: bytes = b""


@dataclass(frozen=True)
class ClaimOutcome:
    """What the chain did with one checkpoint of a batch. `code` is 0 on success, else RULES.md's code."""

    device: bytes
    seq: int
    code: int
    tokens: int = 0
    delta_mwh: int = 0

    @property
    def paid(self) -> bool:
        return self.code == 0


@dataclass(frozen=True)
class BatchReceipt:
    """A final (mined / confirmed) transaction and the per-claim outcomes decoded from its events/logs."""

    tx_id: str
    outcomes: tuple[ClaimOutcome, ...]
    fee_paid: int = 0
    gas_or_compute_units: int = 0
    block_or_slot: int = 0
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FeeEstimate:
    """Fee for a batch of `claims` claims, in the chain's smallest unit (wei, lamports)."""

    claims: int
    fee: int
    units: int
    unit_name: str


@dataclass(frozen=True)
class PaidClaim:
    """A claim the chain paid, found by device and seq: who relayed it is not known, only the transaction."""

    tx_id: str
    tokens: int
    delta_mwh: int


@runtime_checkable
class PaidClaimLookup(Protocol):
    """Adapters that can find the transaction that paid a claim (someone else may have relayed it)."""

    def find_paid_claim(self, device: bytes, seq: int) -> PaidClaim | None: ...


@runtime_checkable
class ChainAdapter(Protocol):
    """Register, bind, claim and read state on one deployment.

    Implementations raise carbon_smart_meter.errors.ChainError (or a subclass) for an unreachable
    node, a reverted or expired transaction and a malformed reply; they return only once a
    transaction is final, so nothing is marked paid on a receipt that may still disappear.
    """

    name: str

    @property
    def deployment_id(self) -> bytes: ...

    @property
    def max_claims_per_batch(self) -> int: ...

    def register_device(self, attestation: SignedMessage) -> str: ...

    def bind(self, bind: SignedMessage) -> str: ...

    def unbind(self, device: bytes) -> str: ...

    def submit_batch(self, claims: list[SignedMessage]) -> BatchReceipt: ...

    def device_state(self, device: bytes) -> DeviceOnChain | None: ...

    def network_energy_mwh(self) -> int: ...

    def params(self) -> PayoutParams: ...

    def estimate_fees(self, claims: int) -> FeeEstimate: ...
