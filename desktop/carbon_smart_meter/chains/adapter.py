"""The `ChainAdapter` protocol shared by every chain, and the typed values that cross it.

The claims outbox and sync engine speak only this protocol; each chain turns it into transactions.
Values are chain-neutral: addresses are raw bytes (20-byte device addresses, 20-byte EVM or 32-byte
Solana wallets), amounts are integers in the units of onchain/RULES.md.
"""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(frozen=True)
class SignedTransaction:
    """A transaction signed and not yet known to be sent: what the outbox records before it goes out.

    `tx_id` is what the chain will know it by (the EVM transaction hash, the Solana signature), so after a
    crash anywhere between signing and the receipt the chain can be asked about exactly this transaction.
    `nonce` is the EVM sender's nonce (a second transaction with it can never land beside this one);
    `expires` the Solana blockhash's last valid block height; `raw` the signed bytes, which can be sent
    again unchanged (same id, so never a second payment). EVM only: `max_fee` and `priority_fee` (wei per
    gas; a legacy gas price is `max_fee` with no `priority_fee`), the chain head when it was signed
    (`sent_block`: how long it has waited is counted from there) and, for a fee bump, the transaction it
    `replaces` (same nonce: at most one of them can land).
    """

    tx_id: str
    sender: str
    raw: bytes
    nonce: int | None = None
    expires: int | None = None
    max_fee: int | None = None
    priority_fee: int | None = None
    sent_block: int | None = None
    replaces: str | None = None


BeforeSend = Callable[[SignedTransaction], None]


class TxState:
    FINAL = "final"        # mined and final: `receipt` holds the outcomes
    PENDING = "pending"    # known to the node, not (yet) final
    UNKNOWN = "unknown"    # the node does not know it, and it may still land (its nonce / blockhash is unused)
    DROPPED = "dropped"    # can never land: its nonce was used by another transaction, or its blockhash expired
    REVERTED = "reverted"  # mined, and the whole transaction failed: nothing in it was paid


@dataclass(frozen=True)
class TransactionLookup:
    state: str  # TxState
    receipt: BatchReceipt | None = None
    detail: str = ""


@runtime_checkable
class RecordedSubmit(Protocol):
    """Adapters that hand each signed transaction to the caller before sending it, and can be asked later
    what became of it (`csm claims sync` recovers from a crash between sending and the receipt this way)."""

    def submit_batch_recorded(self, claims: list[SignedMessage], before_send: BeforeSend) -> BatchReceipt: ...

    def lookup_transaction(self, tx: SignedTransaction, claims: list[SignedMessage]) -> TransactionLookup: ...

    def rebroadcast(self, tx: SignedTransaction, claims: list[SignedMessage]) -> BatchReceipt: ...


@runtime_checkable
class FeeBumping(Protocol):
    """Adapters whose stuck transactions can be replaced at a higher fee (EVM: same nonce, so at most one of
    a transaction and its replacements lands). `settle_recorded` waits until one of `candidates` is final,
    handing each replacement it signs to `before_send` before sending it."""

    def settle_recorded(self, candidates: list[SignedTransaction], claims: list[SignedMessage],
                        before_send: BeforeSend) -> BatchReceipt: ...


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
