"""The sync engine: send the outbox's newest checkpoint per device to a chain, record what the chain did.

It is safe to run at any time and any number of times: it first asks the chain which seq each device
last had accepted and settles everything at or below it, so a crash between sending and the receipt,
or a link that died mid-way, can never lead to a second claim of the same energy (and the chain would
refuse a replay anyway). An unreachable chain changes nothing in the outbox.

Anyone may relay a device's checkpoint (claims pay the bound wallet, whoever sends them). A checkpoint
the chain accepted from someone else's transaction is recorded as paid, with that transaction when the
adapter can find it, never as rejected: its seq is the one the chain holds for the device.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carbon_smart_meter.chains.adapter import ChainAdapter, DeviceOnChain, PaidClaimLookup
from carbon_smart_meter.claims.outbox import ClaimsOutbox, QueuedCheckpoint
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import Code

# Refusals that a later checkpoint, a later day or a binding can cure: keep the claim for later.
DEFER = {Code.BELOW_THRESHOLD, Code.OVER_CAP, Code.FUTURE_DATED, Code.NOT_BOUND, Code.PAUSED, Code.WINDOW_FULL}
# Refusals that mean the chain already holds this seq or a newer one: someone else's transaction paid it
# (or a newer checkpoint of the device), so the row is paid or settled, never rejected.
ALREADY_ACCEPTED = {Code.REPLAY, Code.ENERGY_NOT_INCREASING, Code.TIME_NOT_INCREASING}
RELAYED_ELSEWHERE = "relayed by another transaction"


@dataclass
class SyncReport:
    submitted: int = 0
    paid: int = 0
    tokens: int = 0
    deferred: int = 0
    rejected: int = 0
    settled_by_chain: int = 0
    paid_elsewhere: int = 0
    transactions: list[str] = field(default_factory=list)
    error: str | None = None
    outcomes: list[tuple[str, int, int, int]] = field(default_factory=list)  # device hex, seq, code, tokens

    @property
    def ok(self) -> bool:
        return self.error is None


class SyncEngine:
    def __init__(self, outbox: ClaimsOutbox, chain: ChainAdapter) -> None:
        self.outbox = outbox
        self.chain = chain

    def reconcile(self, report: SyncReport) -> None:
        dep = self.chain.deployment_id
        devices = {r.device for r in self.outbox.with_status("pending", "submitted", "deferred")
                   if r.deployment_id == dep}
        for device in devices:
            state = self.chain.device_state(device)
            if state is None:
                continue
            self._record_paid_elsewhere(device, state, report, ("pending", "deferred", "submitted"))
            report.settled_by_chain += self.outbox.settle_up_to(device, dep, state.last_seq)
            self.outbox.requeue_submitted(device, dep)

    def _record_paid_elsewhere(self, device: bytes, state: DeviceOnChain, report: SyncReport,
                               statuses: tuple[str, ...]) -> bool:
        """The chain holds `state.last_seq`: if the outbox has that checkpoint unpaid, the chain paid it in a
        transaction we did not see the receipt of (another relayer's, or ours before a crash)."""
        dep = self.chain.deployment_id
        row = next((r for r in self.outbox.with_status(*statuses)
                    if r.device == device and r.deployment_id == dep and r.seq == state.last_seq), None)
        if row is None:
            return False
        found = self.chain.find_paid_claim(device, row.seq) if isinstance(self.chain, PaidClaimLookup) else None
        tx_id = found.tx_id if found is not None else RELAYED_ELSEWHERE
        tokens = found.tokens if found is not None else 0
        self.outbox.mark_paid(device, dep, row.seq, tx_id, tokens)
        report.paid_elsewhere += 1
        report.settled_by_chain += 1
        report.outcomes.append((device.hex(), row.seq, 0, tokens))
        return True

    def sync_once(self) -> SyncReport:
        report = SyncReport()
        try:
            self.reconcile(report)
            rows = self.outbox.newest_claimable(self.chain.deployment_id)
            size = max(1, self.chain.max_claims_per_batch)
            for k in range(0, len(rows), size):
                self._submit(rows[k:k + size], report)
        except ChainError as exc:
            report.error = str(exc)
        return report

    def _accepted_elsewhere(self, row: QueuedCheckpoint, report: SyncReport) -> bool:
        """A refusal because the chain already holds this seq or a newer one (another relayer was first)."""
        state = self.chain.device_state(row.device)
        if state is None or state.last_seq < row.seq:
            return False
        if state.last_seq == row.seq and self._record_paid_elsewhere(row.device, state, report, ("submitted",)):
            return True
        report.settled_by_chain += self.outbox.settle_up_to(row.device, row.deployment_id, state.last_seq)
        return True

    def _submit(self, rows: list[QueuedCheckpoint], report: SyncReport) -> None:
        dep = self.chain.deployment_id
        self.outbox.mark_submitted(rows, "sending")
        report.submitted += len(rows)
        receipt = self.chain.submit_batch([r.signed for r in rows])  # returns only once final
        report.transactions.append(receipt.tx_id)
        by_key = {(o.device, o.seq): o for o in receipt.outcomes}
        for row in rows:
            outcome = by_key.get((row.device, row.seq))
            if outcome is None:
                # The chain said nothing about it: leave it submitted; reconcile decides next time.
                continue
            if outcome.code in ALREADY_ACCEPTED and self._accepted_elsewhere(row, report):
                continue
            report.outcomes.append((row.device.hex(), row.seq, outcome.code, outcome.tokens))
            if outcome.paid:
                self.outbox.mark_paid(row.device, dep, row.seq, receipt.tx_id, outcome.tokens)
                report.paid += 1
                report.tokens += outcome.tokens
            elif outcome.code in DEFER:
                self.outbox.mark_outcome(row.device, dep, row.seq, "deferred", outcome.code, receipt.tx_id)
                report.deferred += 1
            else:
                self.outbox.mark_outcome(row.device, dep, row.seq, "rejected", outcome.code, receipt.tx_id)
                report.rejected += 1
