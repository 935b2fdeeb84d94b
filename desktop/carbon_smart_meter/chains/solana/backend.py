"""Where transactions go: the embedded LiteSVM or a JSON-RPC node.

Both answer the same questions (blockhash, send-and-confirm, account bytes, chain id, and which
transactions touched an account) so the adapter above them is one piece of code. `send_and_confirm`
returns only once the transaction is final (LiteSVM: at once; RPC: at the requested commitment), and
raises BlockhashExpired when it can no longer land, which is what makes a re-send safe.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from solders.address_lookup_table_account import AddressLookupTable
from solders.hash import Hash
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction
from solders.transaction_metadata import FailedTransactionMetadata
from solders.transaction_status import TransactionErrorFieldless, TransactionStatus

from carbon_smart_meter.chains.solana.errors import BlockhashExpired
from carbon_smart_meter.errors import ChainError

AnyTransaction = Transaction | VersionedTransaction

if TYPE_CHECKING:
    from solders.litesvm import LiteSVM

_T = TypeVar("_T")


@dataclass(frozen=True)
class SendResult:
    signature: str
    error: object | None
    logs: list[str] = field(default_factory=list)
    units: int = 0
    fee: int = 0
    slot: int = 0


class Backend(Protocol):
    def latest_blockhash(self) -> tuple[Hash, int]: ...

    def send_and_confirm(self, tx: AnyTransaction, last_valid_block_height: int) -> SendResult: ...

    def recent_slot(self) -> int:
        """A slot the runtime still knows (in SlotHashes), for address lookup table creation."""
        ...

    def wait_for_slot_after(self, slot: int) -> None:
        """Returns once the chain is past `slot` (lookup table entries added in `slot` are usable)."""
        ...

    def account_data(self, key: Pubkey) -> bytes | None: ...

    def chain_id(self) -> int: ...

    def unix_time(self) -> int:
        """The chain's clock now (what the program reads as `Clock::unix_timestamp`)."""
        ...

    def lamports_per_signature(self) -> int: ...

    def rent_exempt(self, size: int) -> int: ...

    def signatures_for_address(self, key: Pubkey, limit: int) -> list[str]:
        """Signatures of successful transactions that loaded `key` (lookup tables included), newest first."""
        ...

    def transaction_logs(self, signature: str) -> list[str] | None:
        """The logs of a final transaction, None when the node does not know it (any more)."""
        ...


def is_blockhash_not_found(err: object) -> bool:
    return err == TransactionErrorFieldless.BlockhashNotFound


class LiteSvmBackend:
    """The embedded chain (solders.litesvm.LiteSVM); chain id 0 as PROTOCOL.md 4.4 says.

    With `follow_wall_clock` the chain's unix time is moved up to the machine's before every
    transaction (LiteSVM starts at 0), so device-signed times are judged as a real cluster would.

    LiteSVM keeps no index by address, so this backend indexes what is sent through it (the last
    HISTORY transactions), the way an RPC node answers getSignaturesForAddress: every adapter that
    shares this backend (the embedded chain) sees the others' transactions.
    """

    HISTORY = 10_000

    def __init__(self, svm: LiteSVM, *, follow_wall_clock: bool = False) -> None:
        self.svm = svm
        self.follow_wall_clock = follow_wall_clock
        self._logs: OrderedDict[str, list[str]] = OrderedDict()
        self._by_address: dict[Pubkey, list[str]] = {}

    def set_unix_time(self, unix: int) -> None:
        clock = self.svm.get_clock()
        clock.unix_timestamp = unix
        self.svm.set_clock(clock)

    def latest_blockhash(self) -> tuple[Hash, int]:
        return self.svm.latest_blockhash(), 0

    def send_and_confirm(self, tx: AnyTransaction, last_valid_block_height: int) -> SendResult:
        if self.follow_wall_clock:
            now = int(time.time())
            if self.svm.get_clock().unix_timestamp < now:
                self.set_unix_time(now)
        res = self.svm.send_transaction(tx)
        slot = self.svm.get_clock().slot
        self.svm.expire_blockhash()  # next transaction gets a fresh one
        if isinstance(res, FailedTransactionMetadata):
            err = res.err()
            if is_blockhash_not_found(err):
                raise BlockhashExpired("the blockhash expired before the transaction landed")
            meta = res.meta()
            return SendResult(str(tx.signatures[0]), err, list(meta.logs()), meta.compute_units_consumed(),
                              meta.fee(), slot)
        signature = str(res.signature())
        self._remember(tx, signature, list(res.logs()))
        return SendResult(signature, None, list(res.logs()), res.compute_units_consumed(), res.fee(), slot)

    def _remember(self, tx: AnyTransaction, signature: str, logs: list[str]) -> None:
        message = tx.message
        keys = list(message.account_keys)
        if isinstance(message, MessageV0):
            for lookup in message.address_table_lookups:
                table = self.svm.get_account(lookup.account_key)
                if table is None:
                    continue
                addresses = AddressLookupTable.deserialize(bytes(table.data)).addresses
                keys += [addresses[i] for i in [*lookup.writable_indexes, *lookup.readonly_indexes]]
        self._logs[signature] = logs
        for key in dict.fromkeys(keys):
            self._by_address.setdefault(key, []).append(signature)
        while len(self._logs) > self.HISTORY:
            self._logs.popitem(last=False)

    def signatures_for_address(self, key: Pubkey, limit: int) -> list[str]:
        known = [s for s in reversed(self._by_address.get(key, [])) if s in self._logs]
        return known[:limit]

    def transaction_logs(self, signature: str) -> list[str] | None:
        return self._logs.get(signature)

    def recent_slot(self) -> int:
        return max(slot for slot, _ in self.svm.get_slot_hashes())

    def wait_for_slot_after(self, slot: int) -> None:
        clock = self.svm.get_clock()
        if clock.slot <= slot:
            self.svm.warp_to_slot(slot + 1)

    def account_data(self, key: Pubkey) -> bytes | None:
        acc = self.svm.get_account(key)
        return None if acc is None or acc.lamports == 0 else bytes(acc.data)

    def chain_id(self) -> int:
        return 0

    def unix_time(self) -> int:
        now = self.svm.get_clock().unix_timestamp
        return max(now, int(time.time())) if self.follow_wall_clock else now

    def lamports_per_signature(self) -> int:
        return 5000

    def rent_exempt(self, size: int) -> int:
        return self.svm.minimum_balance_for_rent_exemption(size)


class RpcBackend:
    """A JSON-RPC node through solana-py's AsyncClient (0.41 has no synchronous client), driven on a
    private event loop. `commitment` "finalized" (default) never reports a transaction that a fork
    could still drop."""

    def __init__(self, url: str, *, commitment: str = "finalized", poll_s: float = 0.5,
                 timeout_s: float = 10.0) -> None:
        import asyncio

        from solana.rpc.async_api import AsyncClient
        from solana.rpc.commitment import Commitment

        self.url = url
        self._loop = asyncio.new_event_loop()
        self.client = AsyncClient(url, timeout=timeout_s)
        self.commitment = Commitment(commitment)
        self.poll_s = poll_s

    def close(self) -> None:
        self._loop.run_until_complete(self.client.close())
        self._loop.close()

    def _run(self, coro: Coroutine[Any, Any, _T]) -> _T:
        return self._loop.run_until_complete(coro)

    def _call(self, what: str, fn: Callable[..., Coroutine[Any, Any, _T]], *args: Any, **kwargs: Any) -> _T:
        try:
            return self._run(fn(*args, **kwargs))
        except Exception as exc:  # solana-py raises httpx / RPC exceptions of several kinds
            raise ChainError(f"Solana RPC {self.url} failed to {what}: {exc}. Check the URL and the "
                             "network, then retry; queued claims stay queued.") from exc

    def latest_blockhash(self) -> tuple[Hash, int]:
        resp = self._call("return a blockhash", self.client.get_latest_blockhash, self.commitment)
        return resp.value.blockhash, resp.value.last_valid_block_height

    def send_and_confirm(self, tx: AnyTransaction, last_valid_block_height: int) -> SendResult:
        from solana.rpc.core import RPCException
        from solana.rpc.models import TxOpts  # solana-py 0.41 moved it here from solana.rpc.types

        try:
            opts = TxOpts(skip_preflight=False, preflight_commitment=self.commitment)
            self._run(self.client.send_raw_transaction(bytes(tx), opts))
        except RPCException as exc:
            data = getattr(exc.args[0], "data", None) if exc.args else None
            err = getattr(data, "err", None)
            if is_blockhash_not_found(err):
                raise BlockhashExpired("the node no longer knows the blockhash") from exc
            logs = list(getattr(data, "logs", None) or [])
            return SendResult(str(tx.signatures[0]), err if err is not None else str(exc), logs)
        except Exception as exc:
            raise ChainError(f"Solana RPC {self.url} refused the transaction: {exc}") from exc
        sig = tx.signatures[0]
        while True:
            status = self._call("report a signature status", self.client.get_signature_statuses, [sig]).value[0]
            if status is not None and self._final(status):
                return self._fetch(sig, status.slot)
            height = self._call("report the block height", self.client.get_block_height, self.commitment).value
            if height > last_valid_block_height:
                raise BlockhashExpired(f"block height {height} passed the transaction's last valid height "
                                       f"{last_valid_block_height} before it was confirmed")
            time.sleep(self.poll_s)

    def _final(self, status: TransactionStatus) -> bool:
        level = str(status.confirmation_status or "").lower()
        want = str(self.commitment).lower()
        order = ["processed", "confirmed", "finalized"]
        return any(name in level for name in order[order.index(want) if want in order else 2:])

    def _fetch(self, sig: Signature, slot: int) -> SendResult:
        resp = self._call("return the transaction", self.client.get_transaction, sig, "json", self.commitment, 0)
        meta = resp.value.transaction.meta if resp.value else None
        if meta is None:
            return SendResult(str(sig), None, [], 0, 0, slot)
        return SendResult(str(sig), meta.err, list(meta.log_messages or []), meta.compute_units_consumed or 0,
                          meta.fee, slot)

    def recent_slot(self) -> int:
        return self._call("report the slot", self.client.get_slot, self.commitment).value

    def wait_for_slot_after(self, slot: int) -> None:
        deadline = time.monotonic() + 60
        while self._call("report the slot", self.client.get_slot, self.commitment).value <= slot:
            if time.monotonic() > deadline:
                raise ChainError(f"Solana RPC {self.url} stayed at slot {slot} for a minute: is the node syncing?")
            time.sleep(self.poll_s)

    def account_data(self, key: Pubkey) -> bytes | None:
        resp = self._call("read an account", self.client.get_account_info, key, self.commitment)
        return None if resp.value is None else bytes(resp.value.data)

    def chain_id(self) -> int:
        """PROTOCOL.md 4.4: the first 8 bytes of the genesis hash, big-endian."""
        genesis = self._call("return the genesis hash", self.client.get_genesis_hash).value
        return int.from_bytes(bytes(genesis)[:8], "big")

    def block_height(self) -> int:
        """Compared with a transaction's last valid block height: past it, the transaction can never land."""
        return int(self._call("report the block height", self.client.get_block_height, self.commitment).value)

    def unix_time(self) -> int:
        slot = self._call("report the slot", self.client.get_slot, self.commitment).value
        when = self._call("report a block time", self.client.get_block_time, slot).value
        return int(when) if when is not None else int(time.time())

    def lamports_per_signature(self) -> int:
        return 5000

    def rent_exempt(self, size: int) -> int:
        return self._call("quote rent", self.client.get_minimum_balance_for_rent_exemption, size).value

    def signatures_for_address(self, key: Pubkey, limit: int) -> list[str]:
        resp = self._call("list an account's transactions", self.client.get_signatures_for_address, key,
                          None, None, limit, self.commitment)
        return [str(s.signature) for s in resp.value if s.err is None]

    def transaction_logs(self, signature: str) -> list[str] | None:
        resp = self._call("return a transaction", self.client.get_transaction, Signature.from_string(signature),
                          "json", self.commitment, 0)
        meta = resp.value.transaction.meta if resp.value else None
        return None if meta is None else list(meta.log_messages or [])
