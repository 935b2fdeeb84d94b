"""Outbox writes are all-or-nothing, and a write that fails never blocks the ones after it."""

from __future__ import annotations

import sqlite3

import pytest

from carbon_smart_meter.claims.outbox import ClaimsOutbox, OutboxError
from carbon_smart_meter.devices.identity import simulator_key
from carbon_smart_meter.protocol.signing import CheckpointMessage

DEPLOYMENT = bytes(range(32))


def _fill(outbox: ClaimsOutbox, seqs: range) -> None:
    key = simulator_key(3)
    for seq in seqs:
        msg = CheckpointMessage(key.address, DEPLOYMENT, seq, 1000 * seq, 1_750_000_000 + seq, bytes(32)).encode()
        assert outbox.add(msg, key.sign(msg))


def _fail_when_seq_is_submitted(path, seq: int) -> None:
    """A real SQLite failure in the middle of a statement batch (as a full disk or an I/O error would be)."""
    db = sqlite3.connect(path)
    db.execute(f"CREATE TRIGGER fail_{seq} BEFORE UPDATE ON checkpoints WHEN NEW.seq = {seq} AND "
               "NEW.status = 'submitted' BEGIN SELECT RAISE(ABORT, 'simulated I/O error'); END")
    db.commit()
    db.close()


def test_a_batch_that_fails_in_the_middle_is_rolled_back_whole_and_the_next_write_works(tmp_path):
    path = tmp_path / "claims.sqlite"
    outbox = ClaimsOutbox(path)
    _fill(outbox, range(1, 6))
    _fail_when_seq_is_submitted(path, 3)
    rows = outbox.with_status("pending")
    with pytest.raises((OutboxError, sqlite3.Error)) as failed:
        outbox.mark_submitted(rows, "0xfeed")  # rows 1 and 2 are written, row 3 fails
    # The connection is usable again: the very next write goes through (it failed forever before).
    device = rows[0].device
    outbox.mark_paid(device, DEPLOYMENT, 5, "0xbeef", 42)
    assert outbox.counts()["paid"] == 1 and outbox.counts()["settled"] == 4
    assert outbox.counts()["submitted"] == 0, "half of the failed batch was left submitted"
    assert isinstance(failed.value, OutboxError) and "rolled back" in str(failed.value)
    _fill(outbox, range(6, 7))
    assert outbox.settle_up_to(device, DEPLOYMENT, 6) == 1


def test_a_busy_outbox_says_nothing_changed_and_the_next_write_works(tmp_path):
    path = tmp_path / "claims.sqlite"
    outbox = ClaimsOutbox(path)
    _fill(outbox, range(1, 3))
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    outbox._db.execute("PRAGMA busy_timeout=0")
    try:
        with pytest.raises((OutboxError, sqlite3.Error), match=r"Nothing was changed|locked"):
            outbox.mark_outcome(outbox.all()[0].device, DEPLOYMENT, 1, "deferred", 12)
    finally:
        other.execute("ROLLBACK")
        other.close()
    outbox.mark_outcome(outbox.all()[0].device, DEPLOYMENT, 1, "deferred", 12)
    assert outbox.counts()["deferred"] == 1


def test_an_outbox_where_no_directory_can_be_made_says_so_as_an_outbox_error(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(OutboxError, match="cannot open the claims outbox"):
        ClaimsOutbox(blocked / "data" / "claims.sqlite")
