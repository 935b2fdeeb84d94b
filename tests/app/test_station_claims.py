"""A station's claims in one word, read from a real outbox through claims.status (the `csm claims status` code)."""

from __future__ import annotations

from carbon_smart_meter.app.station_claims import by_device, station_claims
from carbon_smart_meter.app.sync_service import SyncStatus
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.status import status_rows
from carbon_smart_meter.devices.identity import simulator_key
from carbon_smart_meter.protocol.signing import CheckpointMessage

T0 = 1_750_000_000
DEPLOYMENT = bytes(range(1, 33))


def _add(box: ClaimsOutbox, seed: int, deployment: bytes, seq: int, mwh: int, at: int) -> str:
    key = simulator_key(seed)
    ck = CheckpointMessage(key.address, deployment, seq, mwh, at, bytes(32)).encode()
    box.add(ck, key.sign(ck))
    return "0x" + key.address.hex()


def test_a_device_with_only_checkpoints_from_before_its_binding_is_not_set_up_and_one_without_any_says_nothing(
        tmp_path):
    box = ClaimsOutbox(tmp_path / "claims.sqlite")
    loose = _add(box, 7, bytes(32), 2, 5_000, T0)
    rows = by_device(status_rows(box))
    assert station_claims(rows[loose], SyncStatus(running=True))["state"] == "unbound"
    assert station_claims(rows.get("0x" + "00" * 20, []), SyncStatus(running=True))["state"] == "none"


def test_the_bound_deployment_wins_over_older_unbound_checkpoints_and_a_failing_sync_makes_waiting_offline(
        tmp_path):
    box = ClaimsOutbox(tmp_path / "claims.sqlite")
    device = _add(box, 8, bytes(32), 2, 5_000, T0)
    _add(box, 8, DEPLOYMENT, 3, 120_000, T0 + 600)
    rows = by_device(status_rows(box))[device]
    waiting = station_claims(rows, SyncStatus(running=True))
    assert waiting["state"] == "waiting" and waiting["pending_wh"] == 120.0
    assert waiting["deployment_id"] == "0x" + DEPLOYMENT.hex()
    offline = station_claims(rows, SyncStatus(running=True, consecutive_failures=2, last_error="node down"))
    assert offline["state"] == "offline" and offline["error"] == "node down"


def test_paid_checkpoints_give_the_time_claimed_up_to_and_nothing_pending(tmp_path):
    box = ClaimsOutbox(tmp_path / "claims.sqlite")
    device = _add(box, 9, DEPLOYMENT, 2, 50_000, T0)
    _add(box, 9, DEPLOYMENT, 3, 80_000, T0 + 3600)
    box.mark_paid(simulator_key(9).address, DEPLOYMENT, 3, "0xbeef", 42)
    [row] = status_rows(box)
    assert row["paid_up_to_unix"] == T0 + 3600  # what `csm claims status --json` reports too
    claims = station_claims(by_device([row])[device], SyncStatus(running=True))
    assert claims["state"] == "paid" and claims["pending_wh"] == 0 and claims["paid_tokens"] == 42
