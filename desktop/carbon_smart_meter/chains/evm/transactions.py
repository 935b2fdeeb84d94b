"""Signing, sending and finalising EVM transactions, with node failures turned into typed errors.

Keys never leave this process: transactions are signed locally (eth-account) and sent raw, so any
plain RPC endpoint works. Fees are EIP-1559 (max fee = 2 x base fee + tip, which survives six full
blocks of base-fee growth) with a legacy gas price for chains without a base fee. Nonces come from
the node's pending count (each send waits for its receipt), re-read once if another client of the
same account took the nonce meanwhile. A receipt is returned only once final: `finality`
blocks on top of it (or the node's "finalized" tag), with its block still canonical.

A recorded transaction (one handed to `before_send`) that still waits in the node's pool
`bump_after_blocks` blocks after it was signed is replaced, as wallets do: the same nonce and call at
+12.5 % on both the max fee and the tip (geth and anvil take a replacement only at +10 % on both),
or the market's fee if that is higher, never above the fee limit (`max_fee_per_gas`; without one, 4x
the first transaction's max fee). Each replacement goes to `before_send` before it is sent, and the
wait ends when any one of them is mined: one nonce, so at most one lands.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from typing import Any, cast

import requests
from eth_account._utils.legacy_transactions import Transaction as LegacyTransaction
from eth_account.signers.local import LocalAccount
from eth_account.typed_transactions import TypedTransaction
from eth_typing import Hash32
from eth_utils import to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    ProviderConnectionError,
    TimeExhausted,
    TransactionNotFound,
    Web3RPCError,
)
from web3.types import TxParams

from carbon_smart_meter.chains.adapter import BeforeSend, SignedTransaction, TxState
from carbon_smart_meter.chains.evm.errors import (
    FeeTooLowError,
    NotFinalError,
    ReorgError,
    RpcUnreachableError,
    TransactionRevertedError,
)
from carbon_smart_meter.errors import ChainError

GAS_MARGIN = 1.25
DEFAULT_BUMP_AFTER_BLOCKS = 3
UNCONFIGURED_CEILING = 4  # without a fee limit, a replacement pays at most this times the first max fee
_NONCE_WORDS = re.compile(r"nonce too low|invalid nonce", re.IGNORECASE)
_ALREADY_KNOWN = re.compile(r"already known|already imported|known transaction", re.IGNORECASE)
_FEE_WORDS = re.compile(r"underpriced|fee cap|base fee|feecap|max fee per gas|fee too low|tip", re.IGNORECASE)


def bumped(fee: int) -> int:
    """+12.5 % rounded up, and at least 1 wei more: above the +10 % a node requires of a replacement."""
    return max(-(-fee * 9 // 8), fee + 1)


def gwei(wei_per_gas: int) -> str:
    return f"{wei_per_gas / 1e9:.3g} gwei"


def revert_reason(exc: BaseException) -> str:
    """The contract's revert string (Vyper `assert ..., "REASON"`), or the node's message."""
    text = str(exc.message) if isinstance(exc, ContractLogicError) and exc.message else str(exc)
    return text.removeprefix("execution reverted: ").strip()


def _is_revert(exc: BaseException) -> bool:
    """A contract revert: web3's ContractLogicError, or eth-tester's TransactionFailed (embedded chain)."""
    return isinstance(exc, ContractLogicError | ContractCustomError) or type(exc).__name__ == "TransactionFailed"


@contextlib.contextmanager
def rpc_errors(what: str) -> Iterator[None]:
    """Translate node and contract failures into the ChainError tree, naming what was attempted."""
    try:
        yield
    except ChainError:
        raise
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, ProviderConnectionError,
            ConnectionError) as exc:
        raise RpcUnreachableError(f"{what}: the EVM node is unreachable ({exc}); check the RPC URL and "
                                  "the network link, nothing was sent") from exc
    except Exception as exc:
        if _is_revert(exc):
            reason = revert_reason(exc)
            raise TransactionRevertedError(reason, f"{what} was refused by the contract: {reason}") from exc
        # Nodes answer with JSON-RPC errors; eth-tester raises its ValidationError in-process.
        if not isinstance(exc, Web3RPCError | ValueError) and not type(exc).__name__.endswith("ValidationError"):
            raise
        if _FEE_WORDS.search(str(exc)):
            raise FeeTooLowError(f"{what}: the node refused the fee ({exc}); raise the fee limit or "
                                 "retry when the base fee falls") from exc
        raise ChainError(f"{what} failed: {exc}") from exc


class TransactionSender:
    """Send transactions from one local account to one chain and wait until they are final."""

    def __init__(self, w3: Web3, account: LocalAccount, *, finality: int | str = 0,
                 finality_timeout_s: float = 900.0, poll_s: float = 2.0,
                 max_fee_per_gas: int | None = None, priority_fee: int | None = None,
                 bump_after_blocks: int = DEFAULT_BUMP_AFTER_BLOCKS) -> None:
        self.w3 = w3
        self.account = account
        self.finality = finality
        self.finality_timeout_s = finality_timeout_s
        self.poll_s = poll_s
        self.max_fee_per_gas = max_fee_per_gas
        self.priority_fee = priority_fee
        self.bump_after_blocks = bump_after_blocks  # 0: never replace, only wait
        with rpc_errors("reading the chain id"):
            self.chain_id = int(w3.eth.chain_id)

    # -- fees and nonces -----------------------------------------------------------------------------

    def fee_fields(self) -> dict[str, int]:
        """EIP-1559 fields when the chain has a base fee, else a legacy gas price."""
        with rpc_errors("reading fees"):
            block = self.w3.eth.get_block("latest")
            base = block.get("baseFeePerGas")
            if base is None:
                return {"gasPrice": int(self.w3.eth.gas_price)}
            tip = self.priority_fee if self.priority_fee is not None else int(self.w3.eth.max_priority_fee)
        max_fee = 2 * int(base) + tip
        if self.max_fee_per_gas is not None:
            if self.max_fee_per_gas < int(base):
                raise FeeTooLowError(f"the fee limit {self.max_fee_per_gas} wei/gas is below the current "
                                     f"base fee {base}; raise it or wait for the base fee to fall")
            max_fee = min(max_fee, self.max_fee_per_gas)
            tip = min(tip, max_fee)
        return {"maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip}

    def gas_price_estimate(self) -> int:
        fields = self.fee_fields()
        return fields.get("maxFeePerGas", fields.get("gasPrice", 0))

    def _nonce(self) -> int:
        """The node's pending count: `send` waits for each receipt, so it is exact between sends."""
        with rpc_errors("reading the account nonce"):
            return int(self.w3.eth.get_transaction_count(self.account.address, "pending"))

    # -- sending -------------------------------------------------------------------------------------

    def send(self, tx: dict[str, Any], what: str, *, fee_fields: dict[str, int] | None = None,
             before_send: BeforeSend | None = None) -> dict[str, Any]:
        """Estimate, sign, send and wait for finality; returns the final receipt.

        `before_send` gets each signed transaction (hash, nonce, raw bytes) before it leaves this process,
        so a caller can record it first: whatever happens next (a crash, a dead link), the chain can be
        asked about exactly this transaction before anything is sent again.
        """
        tx = {**tx, "from": self.account.address, "chainId": self.chain_id}
        with rpc_errors(what):
            if "gas" not in tx:
                tx["gas"] = int(self.w3.eth.estimate_gas(cast(TxParams, tx)) * GAS_MARGIN)
        tx.update(fee_fields if fee_fields is not None else self.fee_fields())
        for attempt in range(2):
            tx["nonce"] = self._nonce()
            record = self._sign(tx, self._head(what))
            if before_send is not None:
                before_send(record)
            try:
                self.broadcast(record, what)
                break
            except ChainError as exc:
                # Another client used this account's nonce meanwhile: re-read it once and re-sign.
                if attempt == 1 or not _NONCE_WORDS.search(str(exc)):
                    raise
        if before_send is None:
            return self.finish(_hash_of(record), what)
        return self.settle([record], what, before_send)

    def _sign(self, tx: dict[str, Any], head: int, replaces: str | None = None) -> SignedTransaction:
        signed = self.account.sign_transaction(tx)
        return SignedTransaction(
            tx_id="0x" + bytes(signed.hash).hex(), sender=self.account.address, raw=bytes(signed.raw_transaction),
            nonce=int(tx["nonce"]), max_fee=int(tx.get("maxFeePerGas", tx.get("gasPrice", 0))),
            priority_fee=int(tx["maxPriorityFeePerGas"]) if "maxPriorityFeePerGas" in tx else None,
            sent_block=head, replaces=replaces)

    def _head(self, what: str) -> int:
        with rpc_errors(what):
            return int(self.w3.eth.block_number)

    # -- waiting, and replacing a transaction stuck in the pool -------------------------------------

    def settle(self, candidates: list[SignedTransaction], what: str,
               before_send: BeforeSend | None = None) -> dict[str, Any]:
        """Wait until one of `candidates` (one nonce: a transaction and its replacements) is mined and final.

        While the newest has waited `bump_after_blocks` blocks unmined, a replacement at a higher fee is
        signed, given to `before_send` (the outbox records it) and only then sent."""
        candidates = list(candidates)
        deadline = time.monotonic() + self.finality_timeout_s
        at_ceiling = ""
        while True:
            with rpc_errors(what):
                for c in candidates:
                    try:
                        receipt = dict(self.w3.eth.get_transaction_receipt(Hash32(_hash_of(c))))
                    except TransactionNotFound:
                        continue
                    return self._final(_hash_of(c), receipt, what)
                head = int(self.w3.eth.block_number)
            newest = candidates[-1]
            if before_send is not None and not at_ceiling and self._stuck(newest, head):
                replacement, at_ceiling = self.replacement(candidates, head, what)
                if replacement is not None:
                    before_send(replacement)
                    self.broadcast(replacement, what)
                    candidates.append(replacement)
            if time.monotonic() > deadline:
                raise NotFinalError(f"{what}: transaction {newest.tx_id} was not mined within "
                                    f"{self.finality_timeout_s:.0f} s; it stays pending, check it later"
                                    + (f" ({at_ceiling})" if at_ceiling else ""))
            time.sleep(self.poll_s)

    def mined(self, tx: SignedTransaction, what: str) -> bool:
        with rpc_errors(what):
            try:
                self.w3.eth.get_transaction_receipt(Hash32(_hash_of(tx)))
            except TransactionNotFound:
                return False
        return True

    def _stuck(self, tx: SignedTransaction, head: int) -> bool:
        return (self.bump_after_blocks > 0 and tx.nonce is not None and tx.sent_block is not None
                and tx.max_fee is not None and head - tx.sent_block >= self.bump_after_blocks)

    def replacement(self, candidates: list[SignedTransaction], head: int,
                    what: str) -> tuple[SignedTransaction | None, str]:
        """The newest candidate signed again at a bumped fee, or (None, why not) at the fee ceiling."""
        newest = candidates[-1]
        assert newest.max_fee is not None, "only transactions signed with their fees recorded are replaced"
        first_max = candidates[0].max_fee or newest.max_fee
        ceiling = self.max_fee_per_gas if self.max_fee_per_gas is not None else UNCONFIGURED_CEILING * first_max
        tx = _decode(newest.raw, self.chain_id)
        market = self._market_fees(what)
        if newest.priority_fee is None:  # a legacy gas price
            price = max(bumped(newest.max_fee), market.get("gasPrice", market.get("maxFeePerGas", 0)))
            if bumped(newest.max_fee) > ceiling:
                return None, f"the fee limit {gwei(ceiling)} is reached"
            tx["gasPrice"] = min(price, ceiling)
        else:
            tip = max(bumped(newest.priority_fee), market.get("maxPriorityFeePerGas", 0))
            max_fee = max(bumped(newest.max_fee), market.get("maxFeePerGas", 0), tip)
            if bumped(newest.max_fee) > ceiling or bumped(newest.priority_fee) > ceiling:
                return None, f"the fee limit {gwei(ceiling)} is reached"
            tx["maxFeePerGas"] = min(max_fee, ceiling)
            tx["maxPriorityFeePerGas"] = min(tip, tx["maxFeePerGas"])
        return self._sign(tx, head, replaces=newest.tx_id), ""

    def _market_fees(self, what: str) -> dict[str, int]:
        """Today's fee for a new transaction, without the fee limit (the ceiling is applied by the caller)."""
        with rpc_errors(what):
            base = self.w3.eth.get_block("latest").get("baseFeePerGas")
            if base is None:
                return {"gasPrice": int(self.w3.eth.gas_price)}
            tip = self.priority_fee if self.priority_fee is not None else int(self.w3.eth.max_priority_fee)
        return {"maxFeePerGas": 2 * int(base) + tip, "maxPriorityFeePerGas": tip}

    def broadcast(self, record: SignedTransaction, what: str) -> None:
        """Hand signed bytes to the node; the same bytes already in its pool count as sent."""
        try:
            with rpc_errors(what):
                self.w3.eth.send_raw_transaction(record.raw)
        except ChainError as exc:
            if not _ALREADY_KNOWN.search(str(exc)):
                raise

    def finish(self, tx_hash: bytes, what: str) -> dict[str, Any]:
        """Wait until a sent transaction is mined and final; a reverted one raises with its reason."""
        return self._final(tx_hash, self.wait_mined(tx_hash, what), what)

    def _final(self, tx_hash: bytes, receipt: dict[str, Any], what: str) -> dict[str, Any]:
        if receipt["status"] != 1:
            with rpc_errors(what):
                sent = dict(self.w3.eth.get_transaction(Hash32(tx_hash)))
            call = {"from": sent["from"], "to": sent.get("to"), "data": sent.get("input", b""),
                    "value": sent.get("value", 0)}
            raise self._reverted(call, receipt, what)
        return self.wait_final(tx_hash, receipt, what)

    def lookup(self, record: SignedTransaction, what: str) -> tuple[str, dict[str, Any] | None, str]:
        """What became of a recorded transaction: (TxState, the final receipt or None, words)."""
        tx_hash = Hash32(bytes.fromhex(record.tx_id.removeprefix("0x")))
        with rpc_errors(what):
            try:
                receipt: dict[str, Any] | None = dict(self.w3.eth.get_transaction_receipt(tx_hash))
            except TransactionNotFound:
                receipt = None
            if receipt is not None:
                canonical = self.w3.eth.get_block(int(receipt["blockNumber"]))
                if canonical["hash"] == receipt["blockHash"]:
                    if receipt["status"] != 1:
                        return TxState.REVERTED, receipt, f"transaction {record.tx_id} reverted"
                    if self._is_final(int(receipt["blockNumber"])):
                        return TxState.FINAL, receipt, ""
                    return TxState.PENDING, None, f"mined in block {receipt['blockNumber']}, not final yet"
            try:
                self.w3.eth.get_transaction(tx_hash)
                return TxState.PENDING, None, "waiting in the node's pool"
            except TransactionNotFound:
                pass
            used = int(self.w3.eth.get_transaction_count(to_checksum_address(record.sender), "latest"))
        if record.nonce is not None and used > record.nonce:
            return TxState.DROPPED, None, (f"nonce {record.nonce} of {record.sender} was used by another "
                                           "transaction: this one can never be mined")
        return TxState.UNKNOWN, None, "the node does not know it (never sent, or dropped from its pool)"

    def _reverted(self, tx: dict[str, Any], receipt: dict[str, Any], what: str) -> ChainError:
        """Replay the call at the receipt's block to learn the revert reason."""
        call = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
        try:
            self.w3.eth.call(cast(TxParams, call), receipt["blockNumber"] - 1)
        except Exception as exc:  # the reason is a courtesy; the revert itself is certain
            if _is_revert(exc):
                reason = revert_reason(exc)
                return TransactionRevertedError(reason, f"{what} reverted on chain: {reason}")
        return TransactionRevertedError("", f"{what} reverted on chain (transaction "
                                             f"{receipt['transactionHash'].hex()}, out of gas or no reason)")

    def wait_mined(self, tx_hash: bytes, what: str) -> dict[str, Any]:
        with rpc_errors(what):
            try:
                return dict(self.w3.eth.wait_for_transaction_receipt(
                    Hash32(tx_hash), timeout=self.finality_timeout_s, poll_latency=self.poll_s))
            except TimeExhausted as exc:
                raise NotFinalError(f"{what}: transaction {tx_hash.hex()} was not mined within "
                                    f"{self.finality_timeout_s:.0f} s; it stays pending, check it later") from exc

    def wait_final(self, tx_hash: bytes, receipt: dict[str, Any], what: str) -> dict[str, Any]:
        """Return the receipt once final; ReorgError if its block left the canonical chain."""
        deadline = time.monotonic() + self.finality_timeout_s
        while True:
            with rpc_errors(what):
                number = int(receipt["blockNumber"])
                canonical = self.w3.eth.get_block(number)
                if canonical["hash"] != receipt["blockHash"]:
                    try:
                        moved = self.w3.eth.get_transaction_receipt(Hash32(tx_hash))
                    except TransactionNotFound:
                        moved = None
                    if moved is None:
                        raise ReorgError(f"{what}: transaction {tx_hash.hex()} was mined in block {number} "
                                         "but that block was reorganised away; nothing was paid, resubmit")
                    receipt = dict(moved)
                    continue
                if self._is_final(number):
                    return receipt
            if time.monotonic() > deadline:
                raise NotFinalError(f"{what}: transaction {tx_hash.hex()} is mined in block {number} but "
                                    f"not final after {self.finality_timeout_s:.0f} s; nothing is marked paid yet")
            time.sleep(self.poll_s)

    def _is_final(self, number: int) -> bool:
        if self.finality == "finalized":
            return int(self.w3.eth.get_block("finalized")["number"]) >= number
        return int(self.w3.eth.block_number) >= number + int(self.finality)


def _hash_of(tx: SignedTransaction) -> bytes:
    return bytes.fromhex(tx.tx_id.removeprefix("0x"))


def _decode(raw: bytes, chain_id: int) -> dict[str, Any]:
    """The fields of a signed transaction, unsigned again: what a replacement is signed from."""
    if raw and raw[0] <= 0x7F:  # EIP-2718 typed (EIP-1559 here)
        fields = dict(TypedTransaction.from_bytes(HexBytes(raw)).as_dict())
    else:
        fields = dict(LegacyTransaction.from_bytes(HexBytes(raw)).as_dict())
        fields["chainId"] = chain_id
    for k in ("v", "r", "s", "type"):
        fields.pop(k, None)
    if fields.get("to"):
        fields["to"] = to_checksum_address(fields["to"])
    return fields
