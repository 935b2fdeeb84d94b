"""One station's claims in one word and a few figures, for a view with room for a single line (the kiosk).

The figures are `claims.status.status_rows` (what `csm claims status` prints and the Claims tab shows),
so the kiosk can never tell a guest something the outbox does not say; this module only picks the
station's entry and decides which of its facts matters most, so every view words the same state:

    unbound   only checkpoints made before the device was bound to a deployment: rewards not set up yet
    error     the newest checkpoint was refused or put back, with the reason in words (staff only)
    offline   energy waits and the last sync could not reach the chain: kept safe, sent when a link is back
    waiting   energy waits for the next sync
    paid      everything measured up to `paid_up_to_unix` has been paid
    none      no checkpoint yet

The reason of an error stays in English, as the core says it (the Claims tab does the same); a view
shows it to staff only.
"""

from __future__ import annotations

from typing import Any

from carbon_smart_meter.app.sync_service import SyncStatus
from carbon_smart_meter.claims.status import UNBOUND

STATES = ("none", "unbound", "error", "offline", "waiting", "paid")


def by_device(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """status_rows grouped by device (one device may hold checkpoints for several deployments)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["device"], []).append(r)
    return out


def station_claims(entries: list[dict[str, Any]], sync: SyncStatus | None) -> dict[str, Any]:
    """The compact claim state of one device from its status_rows entries and the service's sync status."""
    bound = [r for r in entries if r["deployment_id"] != UNBOUND]
    # The deployment with the newest checkpoint is the one the device is bound to now.
    row = max(bound, key=lambda r: r["newest_seq"]) if bound else None
    out: dict[str, Any] = {"state": "none", "pending_wh": 0.0, "paid_up_to_unix": None, "paid_tokens": 0,
                           "bind": None, "deployment_id": None, "error": None}
    if row is None:
        if entries:
            out["state"] = "unbound"
        return out
    out.update(pending_wh=row["pending_wh"], paid_up_to_unix=row["paid_up_to_unix"], paid_tokens=row["paid_tokens"],
               bind=row["bind"], deployment_id=row["deployment_id"])
    link_down = sync is not None and sync.consecutive_failures > 0
    if row["error"] and row["state"] in ("deferred", "rejected"):
        out["state"], out["error"] = "error", row["error"]
    elif row["pending_wh"] > 0 or row["bind"] == "waiting for a link":
        out["state"] = "offline" if link_down else "waiting"
        if link_down:
            out["error"] = sync.last_error if sync is not None else None
    elif row["paid_up_to_unix"] is not None:
        out["state"] = "paid"
    return out


def sync_json(sync: SyncStatus | None) -> dict[str, Any] | None:
    """The sync service's status as a view receives it (None: no chain configured, claims stay put)."""
    if sync is None:
        return None
    return {"running": sync.running, "attempts": sync.attempts, "failures": sync.consecutive_failures,
            "last_attempt_utc": sync.last_attempt_utc, "last_success_utc": sync.last_success_utc,
            "next_attempt_utc": sync.next_attempt_utc, "last_error": sync.last_error}
