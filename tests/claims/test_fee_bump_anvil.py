"""A claim transaction stuck in the node's pool is replaced at a higher fee, against a real node (anvil).

Defect these tests hold down (issue 16): a recorded transaction that stayed pending (its fee below what
blocks now cost) was only waited for, never replaced, so a ship's claims could wait behind it forever.
Now, as wallets do, one that has waited `bump_after_blocks` blocks unmined is signed again with the
same nonce and the same claims at +12.5 % (or the market's fee, up to the fee limit); the replacement
is recorded in the outbox before it is sent, and whichever of the two lands is settled, the other
closed as `replaced`. One nonce: never more than one can land.

The first transaction is kept from landing by blocks whose base fee is above its max fee (automine off,
`anvil_setNextBlockBaseFeePerGas`): the case of a fee that was right when signed and is too low now.
anvil then drops it from its pool (geth keeps it); either way it is not mined, and the replacement
takes its nonce.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tests.claims.anvil_world import DAY, HOUR, REPO, start_world

from carbon_smart_meter.claims.outbox import ClaimsOutbox, RecordedTransaction
from carbon_smart_meter.claims.sync import SyncEngine

GWEI = 10**9
LIMIT = 10 * GWEI  # the configured fee limit: the ceiling of every replacement
BLOCK_BASE_FEE = 10 * GWEI  # far above the first transaction's max fee (about 2 gwei), and below LIMIT after a block


@pytest.fixture
def world(tmp_path):
    w = start_world(tmp_path)
    yield w
    w.node.kill()


def _queue(world, path: Path, key, seq: int, energy_mwh: int) -> None:
    base = world.chain_time()
    ClaimsOutbox(path).add(*world.checkpoint(key, seq, energy_mwh, base + seq * HOUR))
    world.advance_to(base + DAY)


def _in_pool(world, tx_id: str) -> bool:
    found = world.node.rpc("eth_getTransactionByHash", [tx_id])
    return found is not None and found.get("blockNumber") is None


def _wait_in_pool(world, path: Path, count: int) -> RecordedTransaction:
    """The newest of `count` recorded transactions, once the node holds it unmined (a liveness bound only)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        txs = ClaimsOutbox(path).transactions()
        if len(txs) >= count and _in_pool(world, txs[count - 1].tx_id):
            return txs[count - 1]
        time.sleep(0.05)
    raise AssertionError(f"no transaction number {count} reached the node's pool: {ClaimsOutbox(path).transactions()}")


def _mine_without_it(world, tx_id: str, blocks: int) -> None:
    """Blocks whose base fee (10 gwei, then falling 12.5 % a block) is above the waiting transaction's max fee."""
    world.node.rpc("anvil_setNextBlockBaseFeePerGas", [hex(BLOCK_BASE_FEE)])
    world.node.mine(blocks)
    assert world.node.rpc("eth_getTransactionReceipt", [tx_id]) is None


def _status(data_dir: Path) -> str:
    r = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "claims", "status", "--data-dir",
                        str(data_dir)], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_claim_stuck_in_the_pool_is_replaced_at_a_higher_fee_recorded_first_and_paid_once(world, tmp_path):
    key = world.bind(b"bump-1", wallet_index=2)
    path = tmp_path / "claims.sqlite"
    _queue(world, path, key, 2, 100_000)
    nonce = world.nonce()
    world.node.rpc("evm_setAutomine", [False])
    engine = SyncEngine(ClaimsOutbox(path), world.adapter(bump_after_blocks=2, max_fee_per_gas=LIMIT,
                                                          finality_timeout_s=90))
    result: dict = {}
    sync = threading.Thread(target=lambda: result.update(report=engine.sync_once()), name="sync")
    sync.start()
    try:
        first = _wait_in_pool(world, path, 1)
        _mine_without_it(world, first.tx_id, 2)
        second = _wait_in_pool(world, path, 2)

        assert second.replaces == first.tx_id and second.nonce == first.nonce == nonce
        assert first.max_fee is not None and first.priority_fee is not None
        assert second.max_fee == LIMIT > first.max_fee * 1.1  # the market fee, capped by the fee limit
        assert second.priority_fee is not None and second.priority_fee >= first.priority_fee * 1.1
        status = _status(tmp_path)
        assert "pending 2 blocks" in status and "replaced with fee 10 gwei" in status, status

        world.node.mine()
    finally:
        sync.join(120)

    report = result["report"]
    assert report.ok and report.paid == 1 and report.submitted == 1, report
    assert world.nonce() == nonce + 1  # one nonce: one transaction landed
    txs = {t.tx_id: t for t in ClaimsOutbox(path).transactions()}
    assert txs[first.tx_id].state == "replaced" and second.tx_id in (txs[first.tx_id].error or "")
    assert txs[second.tx_id].state == "final"
    (row,) = ClaimsOutbox(path).all()
    assert (row.status, row.tx_id) == ("paid", second.tx_id) and row.tokens == world.balance(2) > 0
    assert world.adapter().device_state(key.address).last_seq == 2  # the outbox equals the chain
    again = SyncEngine(ClaimsOutbox(path), world.adapter()).sync_once()
    assert again.ok and again.submitted == 0 and world.nonce() == nonce + 1


def test_a_sync_killed_between_recording_a_fee_bump_and_sending_it_recovers_and_pays_once(world, tmp_path):
    key = world.bind(b"bump-crash", wallet_index=3)
    path = tmp_path / "claims.sqlite"
    _queue(world, path, key, 2, 120_000)
    nonce = world.nonce()
    world.node.rpc("evm_setAutomine", [False])
    proc = world.worker(path, "--crash-at", "bumped", "--bump-after", "2", "--max-fee-gwei", "10")
    try:
        first = _wait_in_pool(world, path, 1)
        _mine_without_it(world, first.tx_id, 2)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    (second,) = [t for t in ClaimsOutbox(path).transactions() if t.replaces]
    assert second.replaces == first.tx_id and second.nonce == first.nonce and second.max_fee == LIMIT
    assert world.node.rpc("eth_getTransactionByHash", [second.tx_id]) is None  # recorded, never sent
    assert world.node.rpc("eth_getTransactionReceipt", [first.tx_id]) is None

    world.node.rpc("evm_setAutomine", [True])
    report = SyncEngine(ClaimsOutbox(path), world.adapter(bump_after_blocks=2, max_fee_per_gas=LIMIT)).sync_once()

    assert report.ok and report.recovered == 1 and report.submitted == 0 and report.paid == 1, report
    assert world.nonce() == nonce + 1
    txs = {t.tx_id: t for t in ClaimsOutbox(path).transactions()}
    assert (txs[first.tx_id].state, txs[second.tx_id].state) == ("replaced", "final")
    (row,) = ClaimsOutbox(path).all()
    assert (row.status, row.tx_id) == ("paid", second.tx_id) and row.tokens == world.balance(3) > 0
    assert world.adapter().device_state(key.address).last_seq == 2


@pytest.mark.parametrize("option, value, words", [
    ("--max-fee-gwei", "0", ["--max-fee-gwei", "more than 0"]),
    ("--max-fee-gwei", "nan", ["--max-fee-gwei", "not a finite number"]),
    ("--bump-after-blocks", "-1", ["--bump-after-blocks", "outside 0"]),
])
def test_claims_sync_refuses_fee_options_that_make_no_sense(capsys, option, value, words):
    from carbon_smart_meter import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(["claims", "sync", "--chain", "x", "--wallet", "w", option, value])
    assert stop.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert all(w in line for w in words), line


def test_the_cli_default_wait_before_a_fee_bump_is_the_senders():
    from carbon_smart_meter.chains.evm.transactions import DEFAULT_BUMP_AFTER_BLOCKS
    from carbon_smart_meter.commands import arguments

    assert arguments.DEFAULT_BUMP_AFTER_BLOCKS == DEFAULT_BUMP_AFTER_BLOCKS
