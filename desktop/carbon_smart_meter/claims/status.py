"""What a person wants to know about the claims outbox, per device and deployment: shared by
`csm claims status` and the window's Claims tab (one computation, one set of words)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.selection import words

UNBOUND = "0x" + "00" * 32


def status_rows(outbox: ClaimsOutbox) -> list[dict[str, Any]]:
    """One entry per (device, deployment): what a person (or the window's Claims tab) wants to know."""

    by_key: dict[tuple[bytes, bytes], list[Any]] = {}
    for row in outbox.all():
        by_key.setdefault((row.device, row.deployment_id), []).append(row)
    binds = {(b.device, b.deployment_id): b for b in outbox.bindings()}
    out = []
    for (device, dep), rows in sorted(by_key.items()):
        newest = rows[-1]
        paid = [r for r in rows if r.status == "paid"]
        settled = [r for r in rows if r.status in ("paid", "settled")]
        settled_energy = max((r.energy_mwh for r in settled), default=0)
        unsettled = [r for r in rows if r.status in ("pending", "deferred", "submitted")]
        pending_mwh = max(0, max((r.energy_mwh for r in unsettled), default=settled_energy) - settled_energy)
        attempts = [r.attempted_at for r in rows if r.attempted_at]
        last_error = next((r.error or words(r.code) for r in reversed(rows) if r.error or
                           (r.code and r.status in ("deferred", "rejected"))), "")
        bind = binds.get((device, dep))
        out.append({
            "device": "0x" + device.hex(), "deployment_id": "0x" + dep.hex(),
            "bind": None if bind is None else ("waiting for a link" if bind.tx_id is None else "on chain"),
            "bind_tx": bind.tx_id if bind else None,
            "newest_seq": newest.seq, "newest_energy_wh": newest.energy_mwh / 1e3, "state": newest.status,
            "pending_wh": pending_mwh / 1e3, "unsettled": len(unsettled), "checkpoints": len(rows),
            "paid_tokens": sum(r.tokens or 0 for r in paid),
            "paid_amount_unknown": sum(1 for r in paid if r.tokens is None),
            "last_attempt_utc": _utc(max(attempts)) if attempts else None,
            # the device time of the newest checkpoint the chain has paid (or settled): "claimed up to 14:05"
            "paid_up_to_unix": max((r.device_time for r in settled), default=None),
            "last_tx": next((r.tx_id for r in reversed(rows) if r.tx_id), None),
            "error": last_error or None,
        })
    return out


def _utc(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


