"""The sync engine: send the outbox's newest checkpoint per device to a chain, record what the chain did.

It is safe to run at any time and any number of times: it first asks the chain which seq each device
last had accepted and settles everything at or below it, so a crash between sending and the receipt,
or a link that died mid-way, can never lead to a second claim of the same energy (and the chain would
refuse a replay anyway). An unreachable chain changes nothing in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carbon_smart_meter.chains.adapter import ChainAdapter
from carbon_smart_meter.claims.outbox import ClaimsOutbox, QueuedCheckpoint
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import Code

# Refusals that a later checkpoint, a later day or a binding can cure: keep the claim for later.
DEFER = {Code.BELOW_THRESHOLD, Code.OVER_CAP, Code.FUTURE_DATED, Code.NOT_BOUND, Code.PAUSED}


@dataclass
class SyncReport:
    submitted: int = 0
    paid: int = 0
    tokens: int = 0
    deferred: int = 0
    rejected: int = 0
    settled_by_chain: int = 0
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
            report.settled_by_chain += self.outbox.settle_up_to(device, dep, state.last_seq)
            self.outbox.requeue_submitted(device, dep)

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
