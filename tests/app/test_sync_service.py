"""The sync service against the embedded EVM: backs off while offline, pays when the link is back, stops at once."""

from __future__ import annotations

import random
import sqlite3
import time

import pytest
from tests.app.session_helpers import wait_until

from carbon_smart_meter.app.profiles import SyncPolicy
from carbon_smart_meter.app.sync_service import Backoff, SyncService
from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, wallet_bytes

T0 = 1_750_000_000
DAY = 86_400
QUICK = SyncPolicy(enabled=True, interval_s=30.0, backoff_initial_s=0.05, backoff_max_s=0.2, jitter=0.0)


@pytest.fixture
def deployment():
    return local_evm_deployment(manual_clock=True, genesis_timestamp=T0)


@pytest.fixture
def outbox(deployment, tmp_path):
    """One bound device with a claimable checkpoint a day after binding."""
    key = simulator_key(21)
    msg, sig = attest(key, 100, serial=21, manufacturer=deployment.manufacturer)
    deployment.adapter.register_device(SignedMessage(msg, sig))
    bind = BindMessage(key.address, wallet_bytes(bytes.fromhex(deployment.wallet.address[2:])),
                       deployment.adapter.deployment_id, 1, 0, T0, 554).encode()
    deployment.adapter.bind(SignedMessage(bind, key.sign(bind)))
    box = ClaimsOutbox(tmp_path / "claims.sqlite")
    ck = CheckpointMessage(key.address, deployment.adapter.deployment_id, 2, 300_000, T0 + DAY, bytes(32)).encode()
    box.add(ck, key.sign(ck))
    deployment.chain.travel_to(T0 + DAY)
    return box


def _offline(deployment):
    from web3 import Web3

    online = deployment.chain.w3.provider
    deployment.chain.w3.provider = Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2})
    return online


def test_the_wait_doubles_after_each_failure_up_to_the_cap_and_jitter_stays_within_its_fraction():
    plain = Backoff(SyncPolicy(enabled=True, interval_s=600, backoff_initial_s=30, backoff_max_s=3600))
    assert [plain.delay(n) for n in range(9)] == [600, 30, 60, 120, 240, 480, 960, 1920, 3600]
    jittered = Backoff(SyncPolicy(enabled=True, interval_s=600, backoff_initial_s=30, backoff_max_s=3600,
                                  jitter=0.1), random.Random(1))
    waits = [jittered.delay(3) for _ in range(200)]
    assert all(108 <= w <= 132 for w in waits) and len(set(waits)) > 100


@pytest.mark.timeout(60)
def test_an_offline_chain_is_retried_with_backoff_and_paid_once_the_link_is_back(deployment, outbox):
    online = _offline(deployment)
    sync = SyncService(outbox, deployment.adapter, QUICK).start()
    try:
        wait_until(lambda: sync.status().consecutive_failures >= 5, what="five failed attempts")
        assert outbox.counts()["pending"] == 1, "an unreachable chain changes nothing in the outbox"
        history = sync.status().history
        assert [a.next_delay_s for a in history[:5]] == [0.05, 0.1, 0.2, 0.2, 0.2]
        assert all(not a.ok and "unreachable" in (a.error or "") for a in history[:5])
        deployment.chain.w3.provider = online  # the ship's link comes back
        wait_until(lambda: sync.status().last_success_utc is not None, what="a good attempt")
        st = sync.status()
        assert st.consecutive_failures == 0 and st.history[-1].next_delay_s == QUICK.interval_s
        assert outbox.counts()["paid"] == 1
        assert deployment.adapter.token_balance(deployment.wallet.address) > 0
    finally:
        sync.stop()


@pytest.mark.timeout(60)
def test_stop_ends_a_long_wait_at_once_and_sync_now_does_not_wait_for_it(deployment, outbox):
    hourly = SyncPolicy(enabled=True, interval_s=3600, backoff_initial_s=3600, backoff_max_s=3600)
    online = _offline(deployment)
    sync = SyncService(outbox, deployment.adapter, hourly).start()
    wait_until(lambda: sync.status().attempts == 1, what="the first attempt")
    assert sync.status().next_attempt_utc > time.time() + 3000  # an hour away
    deployment.chain.w3.provider = online
    sync.sync_now()  # e.g. the user pressed "Sync now"
    wait_until(lambda: sync.status().attempts == 2, what="the attempt asked for")
    assert sync.status().last_error is None and outbox.counts()["paid"] == 1
    began = time.monotonic()
    sync.stop()
    assert not sync.alive and time.monotonic() - began < 5
    assert sync.status().running is False and sync.status().next_attempt_utc is None


@pytest.mark.timeout(60)
def test_a_failing_outbox_write_is_retried_and_never_stalls_the_service(deployment, outbox, tmp_path):
    db = sqlite3.connect(tmp_path / "claims.sqlite")
    db.execute("CREATE TRIGGER disk_full BEFORE UPDATE ON checkpoints WHEN NEW.status = 'submitted' "
               "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    db.commit()
    sync = SyncService(outbox, deployment.adapter, QUICK).start()
    try:
        wait_until(lambda: sync.status().consecutive_failures >= 2, what="failed writes")
        assert "disk is full" in sync.status().last_error
        db.execute("DROP TRIGGER disk_full")  # space freed
        db.commit()
        wait_until(lambda: outbox.counts()["paid"] == 1, what="the claim paid after the outbox recovered")
    finally:
        sync.stop()
        db.close()


@pytest.mark.timeout(60)
def test_a_chain_that_cannot_be_reached_at_start_is_made_again_at_the_next_attempt(deployment, outbox):
    calls = []

    def connect():
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise ChainError("node at http://ship-uplink:8545 is unreachable")
        return deployment.adapter

    sync = SyncService(outbox, connect, QUICK).start()
    try:
        # The outbox is written inside the attempt, its status right after it: wait for both.
        wait_until(lambda: outbox.counts()["paid"] == 1 and sync.status().attempts == 3,
                   what="paid after the third try")
        assert len(calls) == 3 and [a.ok for a in sync.status().history] == [False, False, True]
    finally:
        sync.stop()
