"""The sync engine: send the outbox's newest payable checkpoint per device to a chain, record what it did.

It is safe to run at any time, any number of times, and after a crash at any point:

1. **Recover.** Every transaction is recorded in the outbox (hash or signature, nonce, signed bytes)
   *before* it is sent. A sync first asks the chain about each recorded transaction whose fate it does
   not know: final -> its receipt is applied (the minted amount per checkpoint); still waiting -> it is
   waited for (the same signed bytes are handed to the node again, so it can land at most once) and,
   on EVM, replaced at a higher fee when it has waited in the pool too long (same nonce; the
   replacement is recorded before it is sent, and whichever of the two lands is settled, the other
   closed as `replaced`); dropped or reverted -> its checkpoints wait again. Nothing of a device with
   an open transaction is sent before that transaction is settled.
2. **Reconcile.** It reads each device's state on chain: a checkpoint the chain holds that the outbox
   has unpaid was paid by someone else's transaction (or ours before an earlier version crashed) and is
   recorded `paid` with that transaction and amount, never `rejected`; everything older is `settled`.
   A paid checkpoint the chain no longer holds (a reorganisation) waits again.
3. **Send** the newest checkpoint per device the chain will pay now (claims.selection), in batches.

An unreachable chain changes nothing in the outbox except the recorded error words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.chains.adapter import (
    BatchReceipt,
    BeforeSend,
    ChainAdapter,
    ClaimOutcome,
    DeviceOnChain,
    FeeBumping,
    PaidClaimLookup,
    RecordedSubmit,
    SignedTransaction,
    TransactionLookup,
    TxState,
)
from carbon_smart_meter.claims.outbox import ClaimsOutbox, QueuedCheckpoint, RecordedTransaction, RowUpdate
from carbon_smart_meter.claims.selection import DEFER, ClaimPlanner, words
from carbon_smart_meter.claims.sync_lock import SyncLock
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import Code

# Refusals that mean the chain already holds this seq or a newer one: someone else's transaction paid it
# (or a newer checkpoint of the device), so the row is paid or settled, never rejected.
ALREADY_ACCEPTED = {Code.REPLAY, Code.ENERGY_NOT_INCREASING, Code.TIME_NOT_INCREASING}
AMOUNT_UNKNOWN = "paid by a transaction this outbox did not send; its amount is looked up at the next sync"
__all__ = ["ALREADY_ACCEPTED", "DEFER", "SyncEngine", "SyncReport"]


@dataclass
class SyncReport:
    submitted: int = 0
    paid: int = 0
    tokens: int = 0
    deferred: int = 0
    rejected: int = 0
    settled_by_chain: int = 0
    paid_elsewhere: int = 0
    recovered: int = 0      # recorded transactions whose fate this sync learnt (after a crash or a lost link)
    reorganised: int = 0    # paid checkpoints the chain no longer held: waiting again
    waiting: int = 0        # checkpoints inside a transaction that is not final yet
    bound: int = 0          # binds made on a device while offline (or carried by a bundle), put on chain now
    bind_errors: list[str] = field(default_factory=list)
    transactions: list[str] = field(default_factory=list)
    error: str | None = None
    outcomes: list[tuple[str, int, int, int]] = field(default_factory=list)  # device hex, seq, code, tokens

    @property
    def ok(self) -> bool:
        return self.error is None


class SyncEngine:
    def __init__(self, outbox: ClaimsOutbox, chain: ChainAdapter, *, chain_name: str = "") -> None:
        self.outbox = outbox
        self.chain = chain
        self.chain_name = chain_name or type(chain).__name__

    @property
    def _dep(self) -> bytes:
        return self.chain.deployment_id

    # ---- the whole pass ----------------------------------------------------------------------------
    def sync_once(self) -> SyncReport:
        report = SyncReport()
        try:
            with SyncLock(Path(self.outbox.path)):
                self.probe()
                blocked = self.recover(report)
                self.push_bindings(report)
                states = self.reconcile(report, skip=blocked)
                self._send(states, blocked, report)
        except ChainError as exc:
            report.error = str(exc)
        return report

    def probe(self) -> None:
        """One cheap read, so an attempt with nothing to send still tells whether the chain can be reached
        (the ship's status shows "no link" rather than a success that never spoke to the node)."""
        chain_time = getattr(self.chain, "chain_time", None)
        if chain_time is not None:
            chain_time()
        else:
            self.chain.network_energy_mwh()

    # ---- 1. recorded transactions ------------------------------------------------------------------
    def recover(self, report: SyncReport) -> set[bytes]:
        """Settle every recorded transaction whose fate is not known; returns the devices still waiting."""
        blocked: set[bytes] = set()
        if not isinstance(self.chain, RecordedSubmit):
            return blocked
        for tx, rows in self.outbox.open_transactions(self._dep):
            try:
                self._recover_one(tx, rows, report)
            except ChainError as exc:
                self.outbox.note_error(tx.tx_id, str(exc))
                raise
            still = [r for r in rows if self._has_open(r.device)]
            blocked |= {r.device for r in still}
            report.waiting += len(still)
        return blocked

    def _recover_one(self, tx: RecordedTransaction, rows: list[QueuedCheckpoint], report: SyncReport) -> None:
        """Ask the chain about `tx` and the open transactions it replaced (fee bumps of one nonce: at most
        one of them lands), then settle whichever landed, or wait for them (bumping the fee again)."""
        assert isinstance(self.chain, RecordedSubmit)
        candidates = [*self.outbox.replaced_open(tx), tx]
        if not rows:  # its checkpoints were settled some other way: nothing depends on it any more
            self.outbox.close_replaced([c.tx_id for c in candidates], "no checkpoint waits on it")
            return
        claims = [r.signed for r in rows]
        found = [(c, self.chain.lookup_transaction(c.signed, claims)) for c in candidates]
        if self._settle_found(found, tx, rows, report):
            return
        live = [c for c, f in found if f.state in (TxState.UNKNOWN, TxState.PENDING)]
        try:
            if isinstance(self.chain, FeeBumping) and tx.nonce is not None:
                receipt = self.chain.settle_recorded([c.signed for c in live], claims, self._recorder(rows))
            else:
                # Hand the same signed bytes to the node and wait: same hash and nonce, so it lands at most once.
                receipt = self.chain.rebroadcast(tx.signed, claims)
        except ChainError as exc:
            tip = self._tip(tx)
            everyone = [*self.outbox.replaced_open(tip), tip]  # with any fee bump recorded meanwhile
            again = [(c, self.chain.lookup_transaction(c.signed, claims)) for c in everyone]
            if self._settle_found(again, tip, rows, report):
                return
            if any(f.state == TxState.PENDING for _, f in again):  # in the node's pool: the next sync asks again
                detail = next(f.detail for _, f in again if f.state == TxState.PENDING)
                self.outbox.note_error(tip.tx_id, f"{detail}: {exc}")
                return
            # The node refuses the recorded bytes (e.g. their fee is now too low) and never had them: a new
            # transaction takes their nonce, so at most one can ever land.
            report.recovered += 1
            self._close_all_but(everyone, None, tip, f"could not be sent again ({exc}); its checkpoints go into "
                                "a new transaction with the same nonce")
            return
        report.recovered += 1
        tip = self._tip(tx)
        family = [*self.outbox.replaced_open(tip), tip]  # read while all are open: the receipt closes one
        self._apply_receipt(receipt, rows, report)
        self._close_all_but(family, receipt.tx_id, tip, f"its nonce was used by {receipt.tx_id}, which landed")

    def _settle_found(self, found: list[tuple[RecordedTransaction, TransactionLookup]], tip: RecordedTransaction,
                      rows: list[QueuedCheckpoint], report: SyncReport) -> bool:
        """Apply what the chain said when it settles the nonce: one candidate final or reverted, or all
        dropped. False when one may still land (waiting in the pool, or unknown with its nonce unused)."""
        candidates = [c for c, _ in found]
        landed = next(((c, f) for c, f in found if f.state == TxState.FINAL and f.receipt is not None), None)
        if landed is not None:
            report.recovered += 1
            assert landed[1].receipt is not None
            self._apply_receipt(landed[1].receipt, rows, report)
            self._close_all_but(candidates, landed[0].tx_id, tip, f"its nonce was used by {landed[0].tx_id}, "
                                "which landed")
            return True
        reverted = next(((c, f) for c, f in found if f.state == TxState.REVERTED), None)
        if reverted is not None:
            report.recovered += 1
            self.outbox.close_transaction(reverted[0].tx_id, TxState.REVERTED, reverted[1].detail or "reverted")
            self._close_all_but(candidates, reverted[0].tx_id, tip, f"its nonce was used by {reverted[0].tx_id}")
            return True
        if all(f.state == TxState.DROPPED for _, f in found):
            report.recovered += 1
            self.outbox.close_replaced([c.tx_id for c in candidates if c.tx_id != tip.tx_id], found[-1][1].detail)
            self.outbox.close_transaction(tip.tx_id, TxState.DROPPED, found[-1][1].detail or TxState.DROPPED)
            return True
        return False

    def _close_all_but(self, candidates: list[RecordedTransaction], keep: str | None, tip: RecordedTransaction,
                       note: str) -> None:
        """Close the candidates that did not land; the tip's rows (the checkpoints) wait again unless paid."""
        self.outbox.close_replaced([c.tx_id for c in candidates if c.tx_id not in (keep, tip.tx_id)], note)
        if tip.tx_id != keep:
            self.outbox.close_transaction(tip.tx_id, "replaced", note)

    def _tip(self, tx: RecordedTransaction) -> RecordedTransaction:
        """The newest recorded fee bump of `tx` (itself when there is none)."""
        newer = {t.replaces: t for t in self.outbox.transactions(self._dep) if t.replaces}
        while tx.tx_id in newer:
            tx = newer[tx.tx_id]
        return tx

    def _recorder(self, rows: list[QueuedCheckpoint], recorded: list[str] | None = None) -> BeforeSend:
        """The outbox write that must happen before a signed transaction (or its fee bump) is sent."""
        def record(tx: SignedTransaction) -> None:
            note = self._bump_words(tx) if tx.replaces else None
            self.outbox.record_transaction(tx, rows, chain=self.chain_name, deployment_id=self._dep, note=note)
            if recorded is not None:
                recorded.append(tx.tx_id)
        return record

    def _bump_words(self, tx: SignedTransaction) -> str:
        old = self.outbox.transaction(tx.replaces or "")
        waited = ""
        if old is not None and old.sent_block is not None and tx.sent_block is not None:
            waited = f"pending {tx.sent_block - old.sent_block} blocks"
            if old.max_fee is not None:
                waited += f" at fee {_gwei(old.max_fee)}"
            waited += "; "
        return f"{waited}replaced with fee {_gwei(tx.max_fee or 0)} by {tx.tx_id}"

    # ---- binds signed while offline ----------------------------------------------------------------
    def push_bindings(self, report: SyncReport) -> None:
        """Register (manufacturer attestation) and bind every device whose bind this outbox holds and the chain
        does not: a ship binds its adapters at sea, and the binds go on chain with the first link."""
        from carbon_smart_meter.chains.adapter import SignedMessage
        from carbon_smart_meter.chains.evm.errors import RpcUnreachableError
        from carbon_smart_meter.protocol.signing import wallet_bytes

        me = _signer_wallet(self.chain)
        for b in self.outbox.unsent_bindings(self._dep):
            state = self.chain.device_state(b.device)
            if state is not None and state.wallet is not None and wallet_bytes(state.wallet) == b.wallet:
                self.outbox.binding_sent(b, "on chain")
                continue
            if me is not None and wallet_bytes(me) != b.wallet:
                # The chain takes a bind only from the wallet it names (RULES.md): a relayer cannot send it.
                report.bind_errors.append(f"0x{b.device.hex()}: its bind names wallet 0x{b.wallet[-20:].hex()}; only "
                                          "that wallet can put it on chain (sync or submit with --wallet of it)")
                continue
            try:
                if state is None:
                    if b.attestation is None or b.attestation_signature is None:
                        report.bind_errors.append(f"0x{b.device.hex()}: not registered on chain and no manufacturer "
                                                  "attestation was kept with its bind: bind it again with `csm bind`")
                        continue
                    self.chain.register_device(SignedMessage(b.attestation, b.attestation_signature))
                tx = self.chain.bind(SignedMessage(b.message, b.signature))
            except RpcUnreachableError:
                raise
            except ChainError as exc:
                report.bind_errors.append(f"0x{b.device.hex()}: {exc}")
                continue
            self.outbox.binding_sent(b, tx)
            report.bound += 1

    # ---- 2. the chain's state ----------------------------------------------------------------------
    def reconcile(self, report: SyncReport, skip: set[bytes] | None = None) -> dict[bytes, DeviceOnChain | None]:
        """Read the chain's state of every device with unsettled or paid checkpoints and align the outbox."""
        dep = self._dep
        skip = skip or set()
        paid = self.outbox.newest_paid(dep)
        devices = (self.outbox.unsettled_devices(dep) | set(paid)) - skip
        states: dict[bytes, DeviceOnChain | None] = {}
        for device in sorted(devices):
            state = self.chain.device_state(device)
            states[device] = state
            last_seq = state.last_seq if state is not None else 0
            mine = paid.get(device)
            if mine is not None and mine.seq > last_seq:
                report.reorganised += self.outbox.reopen_reorganised(
                    device, dep, last_seq, f"the chain no longer holds seq {mine.seq} (reorganised): it waits again")
                if self._has_open(device):
                    # Our transaction is open again: ask the chain about it before anything else is sent.
                    blocked = self.recover(report)
                    if device in blocked:
                        continue
            if state is None:
                continue
            self._record_paid_elsewhere(device, state, report)
            report.settled_by_chain += self.outbox.settle_up_to(device, dep, state.last_seq)
            self.outbox.requeue_submitted(device, dep)
        self._fill_amounts(report)
        return states

    def _has_open(self, device: bytes) -> bool:
        return any(r.device == device for _, rows in self.outbox.open_transactions(self._dep) for r in rows)

    def _record_paid_elsewhere(self, device: bytes, state: DeviceOnChain, report: SyncReport) -> bool:
        """The chain holds `state.last_seq`: if the outbox has that checkpoint unpaid (and in no open
        transaction of ours), the chain paid it in a transaction we hold no receipt of."""
        dep = self._dep
        row = next((r for r in self.outbox.of_device(device, dep)
                    if r.seq == state.last_seq and r.status in ("pending", "deferred", "submitted", "rejected")),
                   None)
        if row is None:
            return False
        if row.status == "submitted" and row.tx_id and self._tx_open(row.tx_id):
            return False
        found = self.chain.find_paid_claim(device, row.seq) if isinstance(self.chain, PaidClaimLookup) else None
        if found is not None:
            update = RowUpdate(device, row.seq, "paid", 0, found.tokens, found.tx_id)
        else:
            update = RowUpdate(device, row.seq, "paid", 0, None, None, AMOUNT_UNKNOWN)
        self.outbox.apply_updates(dep, [update])
        report.paid_elsewhere += 1
        report.settled_by_chain += 1
        report.outcomes.append((device.hex(), row.seq, 0, found.tokens if found else 0))
        return True

    def _tx_open(self, tx_id: str) -> bool:
        tx = self.outbox.transaction(tx_id)
        return tx is not None and tx.state == "signed"

    def _fill_amounts(self, report: SyncReport) -> None:
        """Paid rows without their amount (paid elsewhere, found later; files of an earlier version)."""
        if not isinstance(self.chain, PaidClaimLookup):
            return
        for row in self.outbox.missing_amounts(self._dep):
            found = self.chain.find_paid_claim(row.device, row.seq)
            if found is not None:
                self.outbox.fill_amount(row.device, self._dep, row.seq, found.tx_id, found.tokens)

    # ---- 3. sending ----------------------------------------------------------------------------------
    def _send(self, states: dict[bytes, DeviceOnChain | None], blocked: set[bytes], report: SyncReport) -> None:
        planner = ClaimPlanner(self.chain)
        batch: list[QueuedCheckpoint] = []
        for device, rows in sorted(self.outbox.claimable(self._dep).items()):
            if device in blocked:
                continue
            state = states[device] if device in states else self.chain.device_state(device)
            choice = planner.choose(rows, state)
            if choice.row is not None:
                batch.append(choice.row)
            elif choice.code in DEFER and rows[-1].status == "pending":
                # The chain would refuse it now: no fee is spent; it stays in the queue with the reason.
                newest = rows[-1]
                self.outbox.mark_outcome(device, self._dep, newest.seq, "deferred", choice.code, None,
                                         words(choice.code))
                report.deferred += 1
        size = max(1, self.chain.max_claims_per_batch)
        for k in range(0, len(batch), size):
            self._submit(batch[k:k + size], report)

    def _submit(self, rows: list[QueuedCheckpoint], report: SyncReport) -> None:
        claims = [r.signed for r in rows]
        report.submitted += len(rows)
        if isinstance(self.chain, RecordedSubmit):
            recorded: list[str] = []
            receipt = self.chain.submit_batch_recorded(claims, self._recorder(rows, recorded))
            self._apply_receipt(receipt, rows, report)
            others = [t for t in recorded if t != receipt.tx_id]
            if receipt.tx_id and others:  # fee bumps of one nonce: the one that landed settles the others
                self.outbox.close_replaced(others, f"its nonce was used by {receipt.tx_id}, which landed")
            return
        # An adapter that cannot be asked about a transaction: reconcile by device state only.
        self.outbox.mark_submitted(rows, None)
        self._apply_receipt(self.chain.submit_batch(claims), rows, report)

    def _apply_receipt(self, receipt: BatchReceipt, rows: list[QueuedCheckpoint], report: SyncReport) -> None:
        """What one final transaction did to each checkpoint it carried, written in one outbox transaction."""
        if receipt.tx_id:
            report.transactions.append(receipt.tx_id)
        by_key = {(o.device, o.seq): o for o in receipt.outcomes}
        updates = []
        for row in rows:
            outcome = by_key.get((row.device, row.seq))
            if outcome is None:
                continue  # the chain said nothing about it: reconcile decides next time
            updates.append(self._update_for(row, outcome, receipt.tx_id, report))
        if receipt.tx_id and self.outbox.transaction(receipt.tx_id) is not None:
            self.outbox.apply_receipt(receipt.tx_id, self._dep, updates, block=receipt.block_or_slot or None)
        else:
            self.outbox.apply_updates(self._dep, updates)

    def _update_for(self, row: QueuedCheckpoint, outcome: ClaimOutcome, tx_id: str, report: SyncReport) -> RowUpdate:
        if outcome.paid:
            report.paid += 1
            report.tokens += outcome.tokens
            report.outcomes.append((row.device.hex(), row.seq, 0, outcome.tokens))
            return RowUpdate(row.device, row.seq, "paid", 0, outcome.tokens, tx_id)
        if outcome.code in ALREADY_ACCEPTED:
            # Someone else's transaction got there first: the chain holds this seq or a newer one.
            state = self.chain.device_state(row.device)
            if state is not None and state.last_seq >= row.seq:
                if state.last_seq == row.seq:
                    found = (self.chain.find_paid_claim(row.device, row.seq)
                             if isinstance(self.chain, PaidClaimLookup) else None)
                    report.paid_elsewhere += 1
                    report.outcomes.append((row.device.hex(), row.seq, 0, found.tokens if found else 0))
                    if found is not None:
                        return RowUpdate(row.device, row.seq, "paid", 0, found.tokens, found.tx_id)
                    return RowUpdate(row.device, row.seq, "paid", 0, None, None, AMOUNT_UNKNOWN)
                report.settled_by_chain += 1
                return RowUpdate(row.device, row.seq, "settled", outcome.code, None, tx_id,
                                 f"the chain holds seq {state.last_seq}, newer than this one")
        report.outcomes.append((row.device.hex(), row.seq, outcome.code, outcome.tokens))
        if outcome.code in DEFER:
            report.deferred += 1
            return RowUpdate(row.device, row.seq, "deferred", outcome.code, None, tx_id, words(outcome.code))
        report.rejected += 1
        return RowUpdate(row.device, row.seq, "rejected", outcome.code, None, tx_id, words(outcome.code))


def _gwei(wei_per_gas: int) -> str:
    return f"{wei_per_gas / 1e9:.3g} gwei"


def _signer_wallet(chain: ChainAdapter) -> bytes | None:
    """The wallet that signs this adapter's transactions, as raw bytes (None when the adapter does not say)."""
    account = getattr(chain, "account", None)
    if account is not None:
        return bytes.fromhex(str(account.address).removeprefix("0x"))
    payer = getattr(chain, "payer", None)
    if payer is not None:
        return bytes(payer.pubkey())
    return None
