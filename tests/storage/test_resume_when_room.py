"""The rule for recording a device again after a full disk stopped it (storage/resume.py)."""

from __future__ import annotations

import time
from pathlib import Path

from carbon_smart_meter.storage.resume import ResumeWhenRoom

MB = 1 << 20


def test_a_source_waits_until_two_margins_are_free_and_is_resumed_once(tmp_path: Path):
    free = {"bytes": 1 * MB}
    r = ResumeWhenRoom(tmp_path, 4 * MB, check_s=0.0, free=lambda _p: free["bytes"])
    before = time.time()
    r.stopped("a")
    assert r.due() == {}
    free["bytes"] = 7 * MB  # more than the margin that stopped it, less than two: not yet (no stop-start)
    assert r.due() == {}
    free["bytes"] = 8 * MB
    ready = r.due()
    assert list(ready) == ["a"] and ready["a"] >= before
    assert r.due() == {}  # once


def test_a_file_stopped_by_the_file_size_limit_on_a_roomy_disk_is_not_resumed(tmp_path: Path):
    r = ResumeWhenRoom(tmp_path, 4 * MB, check_s=0.0, free=lambda _p: 500 * MB)
    r.stopped("a")
    assert r.waiting == {} and r.due() == {}


def test_the_disk_is_looked_at_no_more_often_than_asked_and_forget_drops_a_source(tmp_path: Path):
    looks = []
    r = ResumeWhenRoom(tmp_path, 4 * MB, check_s=3600, free=lambda _p: looks.append(1) or 0)
    r.stopped("a")
    r.stopped("b")
    assert r.due() == {} and len(looks) == 2  # the two stops looked; due() waits for check_s
    r.forget("a")
    assert set(r.waiting) == {"b"}


def test_without_a_space_guard_nothing_waits(tmp_path: Path):
    r = ResumeWhenRoom(tmp_path, None, check_s=0.0, free=lambda _p: 0)
    r.stopped("a")
    assert r.due() == {} and r.waiting == {}
