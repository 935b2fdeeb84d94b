"""A SQLite (WAL) outbox of signed checkpoints, so a ship can queue claims for weeks and never double-claim.

Every verified checkpoint is stored once (device, deployment, seq) and is never deleted: it leaves the
queue only when the chain has settled it. Claims are cumulative per device (RULES.md): when a newer
checkpoint is paid, the older ones are settled by it. A row moves

    pending | deferred  ->  submitted (inside a recorded transaction)  ->  paid | deferred | rejected | settled

and every transaction is written here, with its hash (or signature), nonce and signed bytes, *before*
it is sent. A crash anywhere after that leaves the transaction recorded and its rows `submitted`; the
sync engine then asks the chain about exactly that transaction before anything is sent again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.chains.adapter import SignedMessage, SignedTransaction
from carbon_smart_meter.claims.outbox_schema import create_or_migrate
from carbon_smart_meter.errors import CsmError, SignatureError
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, recover_address

STATUSES = ("pending", "submitted", "paid", "rejected", "settled", "deferred")
UNSETTLED = ("pending", "deferred", "submitted")
OPEN_TX = "signed"  # recorded (maybe sent); the chain has not told us its fate yet
_ROW = ("device, deployment_id, seq, energy_mwh, device_time, message, signature, status, tx_id, code, tokens, "
        "attempted_at, error, block, received_at")
_TX = ("tx_id, deployment_id, chain, sender, nonce, expires, raw, state, created_at, updated_at, block, block_hash, "
       "error, max_fee, priority_fee, sent_block, replaces")


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
    tokens: int | None  # minted for this checkpoint; None for a paid one whose amount is still being looked up
    attempted_at: float | None = None
    error: str | None = None
    block: int | None = None
    received_at: float = 0.0

    @property
    def signed(self) -> SignedMessage:
        return SignedMessage(self.message, self.signature)

    @property
    def key(self) -> tuple[bytes, bytes, int]:
        return self.device, self.deployment_id, self.seq


@dataclass(frozen=True)
class RecordedTransaction:
    tx_id: str
    deployment_id: bytes
    chain: str
    sender: str
    nonce: int | None
    expires: int | None
    raw: bytes | None
    state: str  # "signed" (open), "final", "dropped", "reverted", "replaced", "reorged"
    created_at: float
    updated_at: float
    block: int | None
    block_hash: str | None
    error: str | None
    max_fee: int | None = None       # EVM: wei per gas (the gas price of a legacy transaction)
    priority_fee: int | None = None
    sent_block: int | None = None    # the chain head when it was signed: how long it has waited
    replaces: str | None = None      # a fee bump: the transaction (same nonce) this one replaces

    @property
    def signed(self) -> SignedTransaction:
        return SignedTransaction(self.tx_id, self.sender, self.raw or b"", self.nonce, self.expires,
                                 self.max_fee, self.priority_fee, self.sent_block, self.replaces)


@dataclass(frozen=True)
class Binding:
    """A bind the device signed on this machine (and the transaction that put it on chain, once sent)."""

    device: bytes
    deployment_id: bytes
    seq: int
    wallet: bytes
    message: bytes
    signature: bytes
    attestation: bytes | None
    attestation_signature: bytes | None
    deployment: str
    tx_id: str | None
    bound_at: float


@dataclass(frozen=True)
class RowUpdate:
    """What one receipt (or the chain's state) says about one checkpoint."""

    device: bytes
    seq: int
    status: str
    code: int | None = None
    tokens: int | None = None
    tx_id: str | None = None
    error: str | None = None


class ClaimsOutbox:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self.migrated_from = create_or_migrate(self._db)
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
                f"SELECT {_ROW} FROM checkpoints WHERE {where} ORDER BY device, deployment_id, seq", args).fetchall()
        return [QueuedCheckpoint(*r) for r in rows]

    def all(self) -> list[QueuedCheckpoint]:
        return self._rows("1=1")

    def with_status(self, *statuses: str) -> list[QueuedCheckpoint]:
        marks = ",".join("?" * len(statuses))
        return self._rows(f"status IN ({marks})", statuses)

    def of_device(self, device: bytes, deployment_id: bytes) -> list[QueuedCheckpoint]:
        return self._rows("device=? AND deployment_id=?", (device, deployment_id))

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) FROM checkpoints GROUP BY status").fetchall()
        return {s: 0 for s in STATUSES} | dict(rows)

    def claimable(self, deployment_id: bytes, devices: set[bytes] | None = None) -> dict[bytes, list[QueuedCheckpoint]]:
        """Pending and deferred checkpoints of this deployment per device, oldest first."""
        out: dict[bytes, list[QueuedCheckpoint]] = {}
        for row in self._rows("status IN ('pending','deferred') AND deployment_id = ?", (deployment_id,)):
            if devices is None or row.device in devices:
                out.setdefault(row.device, []).append(row)
        return out

    def newest_claimable(self, deployment_id: bytes) -> list[QueuedCheckpoint]:
        """The newest pending checkpoint of each device for this deployment (claims are cumulative); a device
        whose newest checkpoint was deferred waits for a newer one."""
        return [rows[-1] for rows in self.claimable(deployment_id).values() if rows[-1].status == "pending"]

    def unsettled_devices(self, deployment_id: bytes) -> set[bytes]:
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT device FROM checkpoints WHERE deployment_id=? AND status IN "
                                    "('pending','deferred','submitted')", (deployment_id,)).fetchall()
        return {bytes(r[0]) for r in rows}

    def newest_paid(self, deployment_id: bytes) -> dict[bytes, QueuedCheckpoint]:
        """Each device's newest paid checkpoint on this deployment (a reorganisation may take it back)."""
        out: dict[bytes, QueuedCheckpoint] = {}
        for row in self._rows("status='paid' AND deployment_id=?", (deployment_id,)):
            out[row.device] = row
        return out

    def missing_amounts(self, deployment_id: bytes) -> list[QueuedCheckpoint]:
        return self._rows("status='paid' AND tokens IS NULL AND deployment_id=?", (deployment_id,))

    # ---- transactions --------------------------------------------------------------------------
    def _tx_rows(self, where: str, args: tuple = ()) -> list[RecordedTransaction]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_TX} FROM transactions WHERE {where} ORDER BY created_at",
                                    args).fetchall()
        return [RecordedTransaction(*r) for r in rows]

    def transaction(self, tx_id: str) -> RecordedTransaction | None:
        found = self._tx_rows("tx_id=?", (tx_id,))
        return found[0] if found else None

    def transactions(self, deployment_id: bytes | None = None) -> list[RecordedTransaction]:
        if deployment_id is None:
            return self._tx_rows("1=1")
        return self._tx_rows("deployment_id=?", (deployment_id,))

    def open_transactions(self, deployment_id: bytes) -> list[tuple[RecordedTransaction, list[QueuedCheckpoint]]]:
        """Transactions recorded but not known final, with the checkpoints they carry (in batch order). A
        transaction an open fee bump replaces is not listed on its own: it comes with `replaced_open`."""
        open_txs = self._tx_rows("state=? AND deployment_id=?", (OPEN_TX, deployment_id))
        superseded = {t.replaces for t in open_txs if t.replaces}
        return [(tx, self._rows("tx_id=? AND status='submitted'", (tx.tx_id,)))
                for tx in open_txs if tx.tx_id not in superseded]

    def replaced_open(self, tx: RecordedTransaction) -> list[RecordedTransaction]:
        """The still-open transactions `tx` replaces (fee bumps, oldest first): any of them may still land."""
        out: list[RecordedTransaction] = []
        seen = {tx.tx_id}
        while tx.replaces and tx.replaces not in seen:
            older = self.transaction(tx.replaces)
            if older is None or older.state != OPEN_TX:
                break
            out.insert(0, older)
            seen.add(older.tx_id)
            tx = older
        return out

    def record_transaction(self, tx: SignedTransaction, rows: list[QueuedCheckpoint], *, chain: str,
                           deployment_id: bytes, note: str | None = None) -> None:
        """Before a transaction is sent: it, and the rows it carries as `submitted` with its id, in one write.

        A fee bump (`tx.replaces` set) leaves the transaction it replaces open, with `note` as its words:
        either may land, and the next lookup settles whichever did. Any other transaction signed again for
        the same rows (the node said the nonce was taken) closes the previous record: that one was
        refused, so it can never land."""
        now = time.time()
        with self._transaction() as db:
            if tx.replaces:
                db.execute("UPDATE transactions SET error=?, updated_at=? WHERE tx_id=?", (note, now, tx.replaces))
            else:
                for r in rows:
                    db.execute("UPDATE transactions SET state='replaced', updated_at=? WHERE state=? AND tx_id IN "
                               "(SELECT tx_id FROM checkpoints WHERE device=? AND deployment_id=? AND seq=?)",
                               (now, OPEN_TX, r.device, r.deployment_id, r.seq))
            db.execute(f"INSERT OR REPLACE INTO transactions ({_TX}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (tx.tx_id, deployment_id, chain, tx.sender, tx.nonce, tx.expires, tx.raw, OPEN_TX, now, now,
                        None, None, None, tx.max_fee, tx.priority_fee, tx.sent_block, tx.replaces))
            for r in rows:
                db.execute("UPDATE checkpoints SET status='submitted', tx_id=?, attempted_at=?, error=? WHERE "
                           "device=? AND deployment_id=? AND seq=?",
                           (tx.tx_id, now, note if tx.replaces else None, r.device, r.deployment_id, r.seq))

    def close_replaced(self, tx_ids: list[str], note: str) -> None:
        """Transactions another one of the same nonce took the place of: they can never land."""
        with self._transaction() as db:
            for tx_id in tx_ids:
                db.execute("UPDATE transactions SET state='replaced', error=?, updated_at=? WHERE tx_id=?",
                           (note, time.time(), tx_id))

    # ---- devices this machine has talked to (`csm devices` names their bindings) -----------------
    def saw_device(self, device: bytes, port: str, usb_serial: str | None) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO devices_seen (device, port, usb_serial, seen_at) VALUES (?,?,?,?) ON CONFLICT "
                       "(device) DO UPDATE SET port=excluded.port, usb_serial=COALESCE(excluded.usb_serial, "
                       "devices_seen.usb_serial), seen_at=excluded.seen_at", (device, port, usb_serial, time.time()))

    def devices_seen(self) -> list[tuple[bytes, str, str | None, float]]:
        """(device, port, USB serial number, when) of every device seen here, newest first."""
        with self._lock:
            rows = self._db.execute("SELECT device, port, usb_serial, seen_at FROM devices_seen "
                                    "ORDER BY seen_at DESC").fetchall()
        return [(bytes(r[0]), str(r[1]), r[2], float(r[3])) for r in rows]

    def apply_receipt(self, tx_id: str, deployment_id: bytes, updates: list[RowUpdate], *, block: int | None = None,
                      block_hash: str | None = None) -> None:
        """A final transaction: its state and what it did to each checkpoint, in one write. A paid checkpoint
        settles every older unsettled one of its device (cumulative claims)."""
        now = time.time()
        with self._transaction() as db:
            db.execute("UPDATE transactions SET state='final', block=?, block_hash=?, updated_at=?, error=NULL "
                       "WHERE tx_id=?", (block, block_hash, now, tx_id))
            for u in updates:
                self._apply(db, deployment_id, u, block, now)

    def apply_updates(self, deployment_id: bytes, updates: list[RowUpdate]) -> None:
        """What the chain's state says about checkpoints (paid by someone else, settled), in one write."""
        now = time.time()
        with self._transaction() as db:
            for u in updates:
                self._apply(db, deployment_id, u, None, now)

    @staticmethod
    def _apply(db: sqlite3.Connection, deployment_id: bytes, u: RowUpdate, block: int | None, now: float) -> None:
        db.execute("UPDATE checkpoints SET status=?, code=?, tokens=?, tx_id=COALESCE(?, tx_id), error=?, "
                   "block=COALESCE(?, block), attempted_at=COALESCE(attempted_at, ?) WHERE device=? AND "
                   "deployment_id=? AND seq=?",
                   (u.status, u.code, u.tokens, u.tx_id, u.error, block, now, u.device, deployment_id, u.seq))
        if u.status == "paid":
            db.execute("UPDATE checkpoints SET status='settled', error=NULL WHERE device=? AND deployment_id=? AND "
                       "seq<? AND status IN ('pending','deferred','submitted')", (u.device, deployment_id, u.seq))

    def close_transaction(self, tx_id: str, state: str, error: str) -> int:
        """A transaction that can never pay (dropped, reverted): it is closed and its rows wait again."""
        with self._transaction() as db:
            db.execute("UPDATE transactions SET state=?, error=?, updated_at=? WHERE tx_id=?",
                       (state, error, time.time(), tx_id))
            cur = db.execute("UPDATE checkpoints SET status='pending', error=? WHERE tx_id=? AND status='submitted'",
                             (error, tx_id))
            return cur.rowcount

    def note_error(self, tx_id: str, error: str) -> None:
        """The chain could not be asked (unreachable): the transaction stays open, with the reason."""
        with self._transaction() as db:
            db.execute("UPDATE transactions SET error=?, updated_at=? WHERE tx_id=?", (error, time.time(), tx_id))
            db.execute("UPDATE checkpoints SET error=? WHERE tx_id=? AND status='submitted'", (error, tx_id))

    def reopen_reorganised(self, device: bytes, deployment_id: bytes, chain_last_seq: int, note: str) -> int:
        """The chain no longer holds payments this outbox recorded (a reorganisation): every checkpoint of
        the device above the chain's seq waits again, and our transactions that carried them are reopened
        so the chain is asked about them before anything new is sent."""
        now = time.time()
        with self._transaction() as db:
            db.execute("UPDATE transactions SET state=?, updated_at=?, error=? WHERE state='final' AND tx_id IN "
                       "(SELECT tx_id FROM checkpoints WHERE device=? AND deployment_id=? AND seq>? AND "
                       "status='paid')", (OPEN_TX, now, note, device, deployment_id, chain_last_seq))
            ours = db.execute("UPDATE checkpoints SET status='submitted', tokens=NULL, code=NULL, error=? WHERE "
                              "device=? AND deployment_id=? AND seq>? AND status='paid' AND tx_id IN (SELECT tx_id "
                              "FROM transactions WHERE state=?)", (note, device, deployment_id, chain_last_seq,
                                                                   OPEN_TX)).rowcount
            rest = db.execute("UPDATE checkpoints SET status='pending', tokens=NULL, code=NULL, tx_id=NULL, error=? "
                              "WHERE device=? AND deployment_id=? AND seq>? AND status IN ('paid','settled')",
                              (note, device, deployment_id, chain_last_seq)).rowcount
            return ours + rest

    # ---- single-row changes (engine fallbacks, tools, tests) -------------------------------------
    def mark_submitted(self, rows: list[QueuedCheckpoint], tx_id: str | None) -> None:
        with self._transaction() as db:
            for r in rows:
                db.execute("UPDATE checkpoints SET status='submitted', tx_id=?, attempted_at=? WHERE device=? AND "
                           "deployment_id=? AND seq=?", (tx_id, time.time(), r.device, r.deployment_id, r.seq))

    def mark_paid(self, device: bytes, deployment_id: bytes, seq: int, tx_id: str | None, tokens: int | None,
                  error: str | None = None) -> None:
        """Paid; every older unpaid checkpoint of the device is settled by it (cumulative claims)."""
        self.apply_updates(deployment_id, [RowUpdate(device, seq, "paid", 0, tokens, tx_id, error)])

    def mark_outcome(self, device: bytes, deployment_id: bytes, seq: int, status: str, code: int | None,
                     tx_id: str | None = None, error: str | None = None) -> None:
        with self._transaction() as db:
            db.execute("UPDATE checkpoints SET status=?, code=?, tx_id=COALESCE(?, tx_id), error=?, "
                       "attempted_at=COALESCE(attempted_at, ?) WHERE device=? AND deployment_id=? AND seq=?",
                       (status, code, tx_id, error, time.time(), device, deployment_id, seq))

    def fill_amount(self, device: bytes, deployment_id: bytes, seq: int, tx_id: str, tokens: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE checkpoints SET tokens=?, tx_id=?, error=NULL WHERE device=? AND deployment_id=? "
                       "AND seq=? AND status='paid'", (tokens, tx_id, device, deployment_id, seq))

    def settle_up_to(self, device: bytes, deployment_id: bytes, last_seq: int) -> int:
        """The chain already accepted seq `last_seq`: nothing at or below it may be sent again. Rows that are
        part of an open transaction are left to that transaction's lookup."""
        with self._transaction() as db:
            cur = db.execute(
                "UPDATE checkpoints SET status='settled', error=NULL WHERE device=? AND deployment_id=? AND seq<=? "
                "AND (status IN ('pending','deferred') OR (status='submitted' AND (tx_id IS NULL OR tx_id NOT IN "
                "(SELECT tx_id FROM transactions WHERE state=?))))", (device, deployment_id, last_seq, OPEN_TX))
            return cur.rowcount

    def requeue_submitted(self, device: bytes, deployment_id: bytes) -> None:
        """Submitted rows with no open transaction (an earlier version's "sending") wait again."""
        with self._transaction() as db:
            db.execute("UPDATE checkpoints SET status='pending', tx_id=NULL WHERE device=? AND deployment_id=? AND "
                       "status='submitted' AND (tx_id IS NULL OR tx_id NOT IN (SELECT tx_id FROM transactions "
                       "WHERE state=?))", (device, deployment_id, OPEN_TX))

    # ---- bindings ------------------------------------------------------------------------------
    def add_binding(self, message: bytes, signature: bytes, *, attestation: SignedMessage | None = None,
                    deployment: str = "", tx_id: str | None = None) -> Binding:
        bind = BindMessage.decode(message)
        if recover_address(message, signature) != bind.device:
            raise SignatureError(f"bind seq {bind.seq} is not signed by device 0x{bind.device.hex()}: refused")
        with self._transaction() as db:
            # The same bind again (a bundle imported twice) keeps what is known about it already.
            db.execute("INSERT INTO bindings (device, deployment_id, seq, wallet, message, signature, "
                       "attestation, attestation_signature, deployment, tx_id, bound_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (device, deployment_id, seq) DO UPDATE SET "
                       "tx_id=COALESCE(bindings.tx_id, excluded.tx_id), "
                       "attestation=COALESCE(bindings.attestation, excluded.attestation), attestation_signature="
                       "COALESCE(bindings.attestation_signature, excluded.attestation_signature), deployment="
                       "CASE WHEN bindings.deployment='' THEN excluded.deployment ELSE bindings.deployment END",
                       (bind.device, bind.deployment_id, bind.seq, bind.wallet, message, signature,
                        attestation.message if attestation else None, attestation.signature if attestation else None,
                        deployment, tx_id, time.time()))
        return next(b for b in self.bindings(bind.device, bind.deployment_id) if b.seq == bind.seq)

    def binding_sent(self, binding: Binding, tx_id: str) -> None:
        """The bind is on chain (`tx_id`: our transaction, or "on chain" when the chain already held it)."""
        with self._transaction() as db:
            db.execute("UPDATE bindings SET tx_id=? WHERE device=? AND deployment_id=? AND seq=?",
                       (tx_id, binding.device, binding.deployment_id, binding.seq))

    def unsent_bindings(self, deployment_id: bytes) -> list[Binding]:
        """Each device's newest bind on this deployment that no transaction has put on chain yet."""
        newest: dict[bytes, Binding] = {}
        for b in self.bindings(deployment_id=deployment_id):
            newest[b.device] = b
        return [b for b in newest.values() if b.tx_id is None]

    def bindings(self, device: bytes | None = None, deployment_id: bytes | None = None) -> list[Binding]:
        where, args = ["1=1"], []
        if device is not None:
            where.append("device=?")
            args.append(device)
        if deployment_id is not None:
            where.append("deployment_id=?")
            args.append(deployment_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT device, deployment_id, seq, wallet, message, signature, attestation, attestation_signature, "
                f"deployment, tx_id, bound_at FROM bindings WHERE {' AND '.join(where)} ORDER BY device, seq",
                tuple(args)).fetchall()
        return [Binding(*r) for r in rows]

    # ---- the one way to write ------------------------------------------------------------------
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
