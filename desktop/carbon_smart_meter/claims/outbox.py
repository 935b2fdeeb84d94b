"""A SQLite (WAL) outbox of signed checkpoints, so a ship can queue claims for weeks and never double-claim.

Every verified checkpoint is stored once (device, deployment, seq). Claims are cumulative per device
(RULES.md): when a newer checkpoint is paid, the older ones are settled by it. A row moves
pending -> submitted (with the transaction id, before we learn the outcome) -> paid | rejected |
settled; a crash between sending and the receipt leaves it `submitted`, and the sync engine then asks
the chain which seq it last accepted instead of sending again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.errors import CsmError, SignatureError
from carbon_smart_meter.protocol.signing import CheckpointMessage, recover_address

SCHEMA = """
CREATE TABLE IF NOT EXISTS checkpoints (
    device        BLOB NOT NULL,
    deployment_id BLOB NOT NULL,
    seq           INTEGER NOT NULL,
    energy_mwh    INTEGER NOT NULL,
    device_time   INTEGER NOT NULL,
    message       BLOB NOT NULL,
    signature     BLOB NOT NULL,
    received_at   REAL NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    tx_id         TEXT,
    code          INTEGER,
    tokens        INTEGER,
    provenance    TEXT,
    PRIMARY KEY (device, deployment_id, seq)
);
CREATE INDEX IF NOT EXISTS by_status ON checkpoints (status, device);
"""
STATUSES = ("pending", "submitted", "paid", "rejected", "settled", "deferred")


class OutboxError(CsmError):
    """The outbox file cannot be opened or written."""


@dataclass(frozen=True)
class QueuedCheckpoint:
    device: bytes
    deployment_id: bytes
    seq: int
    energy_mwh: int
    device_time: int
    message: bytes
    signature: bytes
    status: str
    tx_id: str | None
    code: int | None
    tokens: int | None

    @property
    def signed(self) -> SignedMessage:
        return SignedMessage(self.message, self.signature)


class ClaimsOutbox:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise OutboxError(f"cannot open the claims outbox {self.path}: {exc}. Check the data directory "
                              "is writable and not on a network share") from exc
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    # ---- adding --------------------------------------------------------------------------------
    def add(self, message: bytes, signature: bytes, provenance: str = "") -> bool:
        """Store a checkpoint after checking its signature; False when it is already there."""
        msg = CheckpointMessage.decode(message)
        if recover_address(message, signature) != msg.device:
            raise SignatureError(f"checkpoint seq {msg.seq} is not signed by device 0x{msg.device.hex()}: "
                                 "refused, nothing queued")
        with self._transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO checkpoints (device, deployment_id, seq, energy_mwh, device_time, message,"
                " signature, received_at, provenance) VALUES (?,?,?,?,?,?,?,?,?)",
                (msg.device, msg.deployment_id, msg.seq, msg.energy_mwh, msg.device_time, message, signature,
                 time.time(), provenance))
            return cur.rowcount == 1

    # ---- reading -------------------------------------------------------------------------------
    def _rows(self, where: str, args: tuple = ()) -> list[QueuedCheckpoint]:
        with self._lock:
            rows = self._db.execute(
                "SELECT device, deployment_id, seq, energy_mwh, device_time, message, signature, status, tx_id,"
                f" code, tokens FROM checkpoints WHERE {where} ORDER BY device, seq", args).fetchall()
        return [QueuedCheckpoint(*r) for r in rows]

    def all(self) -> list[QueuedCheckpoint]:
        return self._rows("1=1")

    def with_status(self, *statuses: str) -> list[QueuedCheckpoint]:
        marks = ",".join("?" * len(statuses))
        return self._rows(f"status IN ({marks})", statuses)

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) FROM checkpoints GROUP BY status").fetchall()
        return {s: 0 for s in STATUSES} | dict(rows)

    def newest_claimable(self, deployment_id: bytes) -> list[QueuedCheckpoint]:
        """The newest pending checkpoint of each device for this deployment (claims are cumulative)."""
        rows = self._rows("status IN ('pending','deferred') AND deployment_id = ?", (deployment_id,))
        newest: dict[bytes, QueuedCheckpoint] = {}
        for row in rows:
            newest[row.device] = row
        # A deferred newest checkpoint waits for a newer one (or for the cap/threshold to allow it).
        return [row for row in newest.values() if row.status == "pending"]

    # ---- state changes -------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole and reported as OutboxError.

        Every state change goes through here. Without the rollback, one failed statement (disk full, I/O
        error, a locked file) left the connection inside its transaction, and every later write failed
        with "cannot start a transaction within a transaction" until the app restarted: on a ship that
        runs for weeks, a silent stall.
        """
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise OutboxError(f"cannot write the claims outbox {self.path}: {exc}. Nothing was changed; "
                                  "the next sync tries again") from exc
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise OutboxError(f"writing the claims outbox {self.path} failed: {exc}. The change was "
                                      "rolled back whole; the next sync tries again") from exc
                raise

    def mark_submitted(self, rows: list[QueuedCheckpoint], tx_id: str) -> None:
        with self._transaction() as db:
            for r in rows:
                db.execute("UPDATE checkpoints SET status='submitted', tx_id=? WHERE device=? AND "
                           "deployment_id=? AND seq=?", (tx_id, r.device, r.deployment_id, r.seq))

    def mark_paid(self, device: bytes, deployment_id: bytes, seq: int, tx_id: str, tokens: int) -> None:
        """Paid; every older unpaid checkpoint of the device is settled by it (cumulative claims)."""
        with self._transaction() as db:
            db.execute("UPDATE checkpoints SET status='paid', tx_id=?, tokens=?, code=0 WHERE device=? AND "
                       "deployment_id=? AND seq=?", (tx_id, tokens, device, deployment_id, seq))
            db.execute("UPDATE checkpoints SET status='settled' WHERE device=? AND deployment_id=? AND seq<? "
                       "AND status IN ('pending','deferred','submitted')", (device, deployment_id, seq))

    def mark_outcome(self, device: bytes, deployment_id: bytes, seq: int, status: str, code: int,
                     tx_id: str | None = None) -> None:
        with self._transaction() as db:
            db.execute("UPDATE checkpoints SET status=?, code=?, tx_id=COALESCE(?, tx_id) WHERE device=? AND "
                       "deployment_id=? AND seq=?", (status, code, tx_id, device, deployment_id, seq))

    def settle_up_to(self, device: bytes, deployment_id: bytes, last_seq: int) -> int:
        """The chain already accepted seq `last_seq`: nothing at or below it may be sent again."""
        with self._transaction() as db:
            cur = db.execute(
                "UPDATE checkpoints SET status=CASE WHEN seq=? AND status='submitted' THEN 'paid' ELSE 'settled' END"
                " WHERE device=? AND deployment_id=? AND seq<=? AND status IN ('pending','deferred','submitted')",
                (last_seq, device, deployment_id, last_seq))
            return cur.rowcount

    def requeue_submitted(self, device: bytes, deployment_id: bytes) -> None:
        """A submitted claim the chain never accepted (expired, reorged away) becomes pending again."""
        with self._transaction() as db:
            db.execute("UPDATE checkpoints SET status='pending', tx_id=NULL WHERE device=? AND deployment_id=? AND "
                       "status='submitted'", (device, deployment_id))
