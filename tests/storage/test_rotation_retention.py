"""Unattended profiles: daily files that each verify on their own, and a directory kept under a budget."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import numpy as np
from tests.energy.signing_device_stream import DeviceStream

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent
from carbon_smart_meter.energy.verified import VERIFIED, verify_file
from carbon_smart_meter.storage import Session, SessionRecorder
from carbon_smart_meter.storage.rotation import DailyRotation


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("condition not reached in time")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _interval(hub: Hub, dev: DeviceStream, blocks: int = 3) -> None:
    rng = np.random.default_rng(dev.next_sample)
    for _ in range(blocks):
        hub.publish(dev.block(rng.integers(11_000, 13_000, 1000), rng.integers(15_000, 25_000, 1000)))
    hub.publish(dev.checkpoint())


def test_a_new_day_starts_a_new_file_at_a_checkpoint_and_both_files_verify_on_their_own(tmp_path: Path) -> None:
    clock = Clock()
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05, rotate_daily=True)
    rec.rotation = DailyRotation("UTC", clock)
    rec.start()
    dev = DeviceStream()
    hub.publish(dev.hello())
    hub.publish(dev.checkpoint())
    for _ in range(3):
        _interval(hub, dev)
    time.sleep(0.3)
    clock.now += dt.timedelta(minutes=2)  # midnight has passed: the next checkpoint rotates
    for _ in range(3):
        _interval(hub, dev)
    time.sleep(0.3)
    paths = rec.stop()
    assert len(paths) == 2
    first, second = (verify_file(p) for p in paths)
    assert first.ok and second.ok, (first.problems, second.problems)
    # the first checkpoint after midnight still ends the first file ...
    assert [i.status for i in first.intervals if i.seq_to is not None] == [VERIFIED] * 4
    # ... and starts the second: its very first interval verifies
    assert [i.status for i in second.intervals if i.seq_to is not None] == [VERIFIED] * 2
    with Session(paths[0]) as a, Session(paths[1]) as b:
        assert a.complete and b.complete
        assert a.table("checkpoints")["seq"][-1] == b.table("checkpoints")["seq"][0]
        assert b.table("checkpoints")["row"][0] == 0
        assert any(e["kind"] == "rotation" and paths[0].name in e["message"] for e in b.events())
        assert a.rows() + b.rows() == 6 * 3000
        assert b.table("gaps")["missing"].tolist() == []


def test_a_device_without_checkpoints_is_rotated_after_the_grace_period(tmp_path: Path) -> None:
    clock = Clock()
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05, rotate_daily=True)
    rec.rotation = DailyRotation("UTC", clock, grace_s=0.2)
    rec.start()
    dev = DeviceStream()
    hub.publish(dev.hello())
    hub.publish(dev.constant_block())
    _wait(lambda: "dev0" in rec.files)
    clock.now += dt.timedelta(minutes=2)
    _wait(lambda: len(rec.paths) == 2, timeout=5)
    hub.publish(dev.constant_block())
    time.sleep(0.2)
    paths = rec.stop()
    with Session(paths[0]) as a, Session(paths[1]) as b:
        assert a.rows() == 1000 and b.rows() == 1000 and b.table("gaps")["missing"].tolist() == []


def _old_session(directory: Path, day: int, size: int) -> Path:
    p = directory / f"202601{day:02d}T000000Z_dev_00112233.h5"
    p.write_bytes(b"\0" * size)
    return p


def test_the_disk_budget_deletes_the_oldest_closed_files_and_says_so(tmp_path: Path) -> None:
    old = [_old_session(tmp_path, d, 1_000_000) for d in range(1, 6)]
    notes = tmp_path / "notes.h5"  # not a name the recorder writes: never touched
    notes.write_bytes(b"\0" * 2_000_000)
    hub = Hub()
    events = hub.subscribe([LinkEvent])
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05, disk_budget_bytes=3_500_000).start()
    dev = DeviceStream()
    hub.publish(dev.hello())
    hub.publish(dev.constant_block())
    _wait(lambda: not old[1].exists())
    (path,) = rec.stop()
    assert [p.exists() for p in old] == [False, False, True, True, True]
    assert notes.exists() and path.exists()
    deleted = [e.record.message for e in events.drain() if "retention deleted" in e.record.message]
    assert len(deleted) == 2 and old[0].name in deleted[0] and "disk budget" in deleted[0]
    with Session(path) as s:  # the deletions are in the file being written too
        assert sum("retention deleted" in e["message"] for e in s.events()) == 2


def test_files_older_than_keep_days_are_deleted(tmp_path: Path) -> None:
    stale, fresh = _old_session(tmp_path, 1, 1000), _old_session(tmp_path, 2, 1000)
    week_ago = time.time() - 8 * 86400
    os.utime(stale, (week_ago, week_ago))
    hub = Hub()
    rec = SessionRecorder(hub, tmp_path, flush_interval_s=0.05, keep_days=7).start()
    hub.publish(Envelope("dev", DeviceStream().hello().record))
    _wait(lambda: not stale.exists())
    rec.stop()
    assert fresh.exists()
