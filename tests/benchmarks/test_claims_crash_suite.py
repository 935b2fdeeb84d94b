"""Crash suite of the claims sync (issue 16): the sync runs in its own process against a real node
(anvil) and is killed (SIGKILL) at a random moment; every few trials the node is stopped too and
restarted from its dumped state. After each kill a recovery sync runs, and then:

- 0 checkpoints lost: every checkpoint ever queued is in the outbox, none `rejected`;
- 0 double payments: the relayer sent exactly the transactions the outbox recorded, and each
  device's wallet holds exactly the amounts the outbox recorded as paid;
- outbox equal to chain state: each device's newest paid seq is the seq the chain holds, and nothing
  at or below it is still waiting.

`CSM_CRASH_TRIALS` sets the number of trials (default 12; the figure in README is from 60:
`CSM_CRASH_TRIALS=60 pytest -s tests/benchmarks/test_claims_crash_suite.py`).
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter

from tests.claims.anvil_world import HOUR, start_world

from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine

TRIALS = int(os.environ.get("CSM_CRASH_TRIALS", "12"))
WALLETS = (2, 3, 4)


def _kill_phase(path) -> str:
    """Where the kill landed, as the outbox tells it."""
    txs = ClaimsOutbox(path).transactions()
    if not txs:
        return "before any transaction"
    newest = txs[-1]
    return "transaction recorded, outcome unknown" if newest.state == "signed" else "after the receipt was written"


def test_the_sync_killed_at_random_points_never_loses_or_double_pays(tmp_path):
    rng = random.Random(int(os.environ.get("CSM_CRASH_SEED", "16")))
    world = start_world(tmp_path)
    try:
        keys = [world.bind(f"crash-{i}".encode(), wallet_index=w) for i, w in enumerate(WALLETS)]
        path = tmp_path / "claims.sqlite"
        queued: Counter[bytes] = Counter()
        seq = {k.address: 1 for k in keys}
        energy = {k.address: 0 for k in keys}
        t = world.chain_time()
        phases: Counter[str] = Counter()
        node_restarts = recovered = 0
        for trial in range(TRIALS):
            t += 4 * HOUR
            outbox = ClaimsOutbox(path)
            for k in keys:
                for _ in range(rng.randint(1, 3)):
                    seq[k.address] += 1
                    energy[k.address] += rng.randint(15_000, 60_000)  # within 100 W x 16 h/day over 4 h
                    assert outbox.add(*world.checkpoint(k, seq[k.address], energy[k.address], t))
                    queued[k.address] += 1
            outbox.close()
            world.advance_to(t + 60)
            mode = rng.choice(["timed", "timed", "recorded", "sent"])
            proc = world.worker(path, *(() if mode == "timed" else ("--crash-at", mode)))
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            if mode == "timed":
                time.sleep(rng.uniform(0.0, 0.4))  # anywhere in the sync (it takes a few hundred ms)
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            phases[_kill_phase(path) if proc.returncode == -signal.SIGKILL else "finished before the kill"] += 1
            if trial % 5 == 4:  # the node goes down too, and comes back from its dumped state
                world.node.stop()
                world.node.start()
                node_restarts += 1
            report = SyncEngine(ClaimsOutbox(path), world.adapter()).sync_once()
            assert report.ok, report.error
            recovered += report.recovered
            _assert_consistent(world, path, keys, queued)
        print(f"\nclaims crash suite: {TRIALS} trials, kills: {dict(phases)}, {node_restarts} node restarts from "
              f"dumped state, {recovered} recorded transactions recovered; 0 checkpoints lost, 0 double "
              f"payments, outbox equal to chain state after every recovery")
    finally:
        world.node.kill()


def _assert_consistent(world, path, keys, queued: Counter) -> None:
    outbox = ClaimsOutbox(path)
    rows = outbox.all()
    a = world.adapter()
    landed = [tx for tx in outbox.transactions() if tx.state in ("final", "reverted")]
    assert world.nonce(1) == len(landed), "the relayer sent a transaction the outbox did not record"
    for key, wallet in zip(keys, WALLETS, strict=True):
        mine = [r for r in rows if r.device == key.address]
        assert len(mine) == queued[key.address], "a checkpoint was lost"
        assert not [r for r in mine if r.status == "rejected"]
        state = a.device_state(key.address)
        paid = [r for r in mine if r.status == "paid"]
        assert max((r.seq for r in paid), default=1) == state.last_seq
        assert all(r.status in ("paid", "settled") for r in mine if r.seq <= state.last_seq)
        assert all(r.tokens is not None for r in paid)
        assert sum(r.tokens for r in paid) == world.balance(wallet), "paid amounts differ from the chain's"
