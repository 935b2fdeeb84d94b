"""The claims outbox's SQLite schema, and the migration of files written by earlier versions.

Version 3 (this one) adds to each recorded EVM transaction its fees, the block it was signed at and the
transaction it replaces (a fee bump: same nonce, higher fee, recorded before it is sent), and a table of
the devices this machine has talked to (`devices_seen`: device id, port, USB serial number), so
`csm devices` can name a plugged-in adapter's binding without opening its port.

Version 2 records every transaction before it is sent (`transactions`: its hash or
signature, the sender's nonce and the signed bytes), links each submitted checkpoint to it, keeps the
minted amount, the block and the last error of every checkpoint, and holds the device bindings made on
this machine (`bindings`), so a claim bundle can carry them.

Version 1 files (no `user_version`) stored the placeholder "sending" as the transaction of rows in
flight and 0 tokens for claims paid in a transaction it never saw. Migrating keeps every row: the
placeholder becomes "no transaction known" (recovery then asks the chain about the device instead), and
a zero amount of a claim paid elsewhere becomes "amount unknown", which the next sync looks up in the
chain's events.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3

CHECKPOINTS = """
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
    attempted_at  REAL,
    error         TEXT,
    block         INTEGER,
    PRIMARY KEY (device, deployment_id, seq)
);
CREATE INDEX IF NOT EXISTS by_status ON checkpoints (status, device);
"""

TRANSACTIONS = """
CREATE TABLE IF NOT EXISTS transactions (
    tx_id         TEXT PRIMARY KEY,
    deployment_id BLOB NOT NULL,
    chain         TEXT NOT NULL,
    sender        TEXT NOT NULL,
    nonce         INTEGER,
    expires       INTEGER,
    raw           BLOB,
    state         TEXT NOT NULL,
    created_at    REAL NOT NULL,
    updated_at    REAL NOT NULL,
    block         INTEGER,
    block_hash    TEXT,
    error         TEXT,
    max_fee       INTEGER,
    priority_fee  INTEGER,
    sent_block    INTEGER,
    replaces      TEXT
);
CREATE INDEX IF NOT EXISTS tx_by_state ON transactions (state, deployment_id);
"""

BINDINGS = """
CREATE TABLE IF NOT EXISTS bindings (
    device                BLOB NOT NULL,
    deployment_id         BLOB NOT NULL,
    seq                   INTEGER NOT NULL,
    wallet                BLOB NOT NULL,
    message               BLOB NOT NULL,
    signature             BLOB NOT NULL,
    attestation           BLOB,
    attestation_signature BLOB,
    deployment            TEXT NOT NULL DEFAULT '',
    tx_id                 TEXT,
    bound_at              REAL NOT NULL,
    PRIMARY KEY (device, deployment_id, seq)
);
"""

DEVICES_SEEN = """
CREATE TABLE IF NOT EXISTS devices_seen (
    device     BLOB PRIMARY KEY,
    port       TEXT NOT NULL,
    usb_serial TEXT,
    seen_at    REAL NOT NULL
);
"""

# Columns version 3 added to `transactions` (name, SQL type).
ADDED_TX_COLUMNS = (("max_fee", "INTEGER"), ("priority_fee", "INTEGER"), ("sent_block", "INTEGER"),
                    ("replaces", "TEXT"))
# Columns version 2 added to `checkpoints` (name, SQL type).
ADDED_COLUMNS = (("attempted_at", "REAL"), ("error", "TEXT"), ("block", "INTEGER"))
LEGACY_SENDING = "sending"
LEGACY_RELAYED = "relayed by another transaction"


def create_or_migrate(db: sqlite3.Connection) -> int:
    """Bring the file to SCHEMA_VERSION inside one transaction; returns the version it had (0: new)."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    had_rows = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='checkpoints'").fetchone()
    if version >= SCHEMA_VERSION:
        return version
    db.execute("BEGIN IMMEDIATE")
    try:
        # One statement at a time: executescript() would commit the open transaction first.
        for statement in (CHECKPOINTS + TRANSACTIONS + BINDINGS + DEVICES_SEEN).split(";"):
            if statement.strip():
                db.execute(statement)
        if had_rows and version < 2:
            _migrate_from_1(db)
        _add_columns(db, "transactions", ADDED_TX_COLUMNS)  # a version-2 file's table lacks them
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return (version or 1) if had_rows else 0  # a file without user_version is version 1


def _add_columns(db: sqlite3.Connection, table: str, columns: tuple[tuple[str, str], ...]) -> None:
    present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    for name, sql_type in columns:
        if name not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")


def _migrate_from_1(db: sqlite3.Connection) -> None:
    _add_columns(db, "checkpoints", ADDED_COLUMNS)
    # "sending" was never a transaction: the row is in flight with no transaction known. Recovery reads
    # the device's state on chain before anything is sent again.
    db.execute("UPDATE checkpoints SET tx_id=NULL, error=? WHERE tx_id=?",
               ("in flight when an earlier version stopped; the chain decides", LEGACY_SENDING))
    # Version 1 wrote 0 tokens for claims paid in a transaction it never saw: the amount is unknown, not 0.
    db.execute("UPDATE checkpoints SET tokens=NULL, tx_id=NULL WHERE status='paid' AND tx_id=? AND "
               "COALESCE(tokens, 0)=0", (LEGACY_RELAYED,))
    db.execute("UPDATE checkpoints SET tokens=NULL WHERE status='paid' AND tokens=0 AND tx_id IS NULL")
