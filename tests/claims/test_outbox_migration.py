"""Outbox files written by the previous version (schema 1) open without losing a row, and what that
version got wrong is undone: the placeholder "sending" was never a transaction, and 0 tokens on a claim
paid by someone else's transaction meant "unknown", which the next sync looks up on the chain."""

from __future__ import annotations

import sqlite3

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, wallet_bytes

T0 = 1_750_000_000
DAY = 86_400
SCHEMA_1 = """
CREATE TABLE checkpoints (
    device BLOB NOT NULL, deployment_id BLOB NOT NULL, seq INTEGER NOT NULL, energy_mwh INTEGER NOT NULL,
    device_time INTEGER NOT NULL, message BLOB NOT NULL, signature BLOB NOT NULL, received_at REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', tx_id TEXT, code INTEGER, tokens INTEGER, provenance TEXT,
    PRIMARY KEY (device, deployment_id, seq));
CREATE INDEX by_status ON checkpoints (status, device);
"""


def test_a_version_1_outbox_keeps_every_row_and_gets_its_amounts_from_the_chain(tmp_path):
    dep = local_evm_deployment(manual_clock=True, genesis_timestamp=T0)
    keys = [simulator_key(s) for s in (1, 2)]
    for k in keys:
        msg, sig = attest(k, 100, serial=1, manufacturer=dep.manufacturer)
        dep.adapter.register_device(SignedMessage(msg, sig))
        bind = BindMessage(k.address, wallet_bytes(bytes.fromhex(dep.wallet.address[2:])), dep.adapter.deployment_id,
                           1, 0, T0, 554).encode()
        dep.adapter.bind(SignedMessage(bind, k.sign(bind)))
    dep.chain.travel_to(T0 + DAY)
    signed = []
    for k in keys:
        msg = CheckpointMessage(k.address, dep.adapter.deployment_id, 2, 100_000, T0 + 6 * 3600, bytes(32)).encode()
        signed.append((k, msg, k.sign(msg)))
    # Both were paid on chain; version 1 saw neither receipt.
    receipt = dep.adapter.submit_batch([SignedMessage(m, s) for _, m, s in signed])
    assert all(o.paid and o.tokens > 0 for o in receipt.outcomes)
    path = tmp_path / "claims.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1)
    for (k, m, s), (status, tx, tokens) in zip(signed, [("submitted", "sending", None),
                                                        ("paid", "relayed by another transaction", 0)], strict=True):
        db.execute("INSERT INTO checkpoints (device, deployment_id, seq, energy_mwh, device_time, message, signature, "
                   "received_at, status, tx_id, tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   (k.address, dep.adapter.deployment_id, 2, 100_000, T0 + 6 * 3600, m, s, 0.0, status, tx, tokens))
    db.commit()
    db.close()

    outbox = ClaimsOutbox(path)
    assert outbox.migrated_from == 1 and len(outbox.all()) == 2
    assert {r.tx_id for r in outbox.all()} == {None}  # neither placeholder survives as a "transaction"
    report = SyncEngine(outbox, dep.adapter).sync_once()

    assert report.ok and report.submitted == 0
    rows = {r.device: r for r in outbox.all()}
    for outcome in receipt.outcomes:
        row = rows[outcome.device]
        assert (row.status, row.tx_id, row.tokens) == ("paid", receipt.tx_id, outcome.tokens)
