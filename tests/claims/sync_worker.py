"""One claims sync in its own process, for the crash tests: the test kills it (SIGKILL) wherever it likes.

    python sync_worker.py OUTBOX RPC_URL CONTRACT PRIVATE_KEY_HEX [--crash-at POINT] [--poll S]
                          [--bump-after BLOCKS] [--max-fee-gwei G]

POINT makes the worker kill itself at a named place: `recorded` (the transaction is in the outbox, not
yet handed to the node), `sent` (the node has it; the receipt was never read), `bumped` (a fee bump of a
stuck transaction is in the outbox, not yet handed to the node). Prints "ready" once connected, then
the report as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from dataclasses import asdict

from eth_account import Account

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.deploy import connect
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class CrashingAdapter(EvmAdapter):
    crash_at = ""

    def submit_batch_recorded(self, claims, before_send):  # type: ignore[no-untyped-def]
        def hook(tx):  # type: ignore[no-untyped-def]
            before_send(tx)
            if self.crash_at == "recorded" or (self.crash_at == "bumped" and tx.replaces):
                _die()
        receipt = super().submit_batch_recorded(claims, hook)
        if self.crash_at == "sent":
            _die()
        return receipt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outbox")
    ap.add_argument("rpc")
    ap.add_argument("contract")
    ap.add_argument("key")
    ap.add_argument("--crash-at", default="")
    ap.add_argument("--poll", type=float, default=0.05)
    ap.add_argument("--bump-after", type=int, default=None)
    ap.add_argument("--max-fee-gwei", type=float, default=None)
    args = ap.parse_args()
    fees = {} if args.bump_after is None else {"bump_after_blocks": args.bump_after}
    if args.max_fee_gwei is not None:
        fees["max_fee_per_gas"] = int(args.max_fee_gwei * 10**9)
    adapter = CrashingAdapter(connect(args.rpc), args.contract, Account.from_key(args.key), poll_s=args.poll,
                              **fees)
    adapter.crash_at = args.crash_at
    print("ready", flush=True)  # imported and connected: a test timing a kill starts its clock here
    report = SyncEngine(ClaimsOutbox(args.outbox), adapter).sync_once()
    print(json.dumps(asdict(report)), flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
