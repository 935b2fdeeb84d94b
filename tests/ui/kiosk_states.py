"""Station states shaped exactly as `csm serve` publishes them (app.station_figures), for the kiosk's tests."""

from __future__ import annotations

import time

FACTOR = {"dataset": "Ember yearly electricity data (via Our World in Data)", "factor": 380.95, "flagged": False,
          "label": "estimated avoided emissions", "level": "shipped-snapshot", "licence": "CC-BY-4.0",
          "method": "grid", "note": "Germany, lifecycle, production-based, 2023", "region": "DE",
          "unit": "gCO2e/kWh", "year": 2023}


def station(i: int, power_w: float = 1234.0, today_wh: float = 12345.6, reporting: bool = True,
            link: str = "connected", silent_s: float = 0.0) -> dict:
    device = "0x" + f"{i:02x}" * 20
    return {"source": f"station{i}", "port": f"/dev/ttyACM{i}", "device": device, "rated_w": 200, "link": link,
            "reporting": reporting, "silent_s": silent_s, "power_w": power_w if reporting else 0.0,
            "day": "2026-12-02", "today_wh": today_wh, "today_co2_kg": today_wh / 1000 * 0.38095,
            "today_reward": {"tokens": 123_456_789_012, "tokens_display": "123.456789012",
                             "value_micro_usd": 1000, "claimable": True, "source": "price-table"},
            "total_wh": today_wh * 40, "total_co2_kg": today_wh * 40 / 1000 * 0.38095,
            "installed_utc": time.time() - 86400 * 90, "paid_tokens": 0, "recording": True,
            "file": None, "storage_problem": None, "samples": 1000, "samples_lost": 0, "disconnects": 0,
            "reconnects": 0}


ERROR = "the device is not registered on this deployment: bind it with `csm bind`"


def claims(kind: str, now: float | None = None) -> dict:
    """A station's `claims` as app.station_claims sends them, in the state `kind` (the longest figures)."""
    now = time.time() if now is None else now
    return {"state": kind, "pending_wh": 0.0 if kind in ("paid", "unbound") else 8765.4,
            "paid_up_to_unix": now - 3600 if kind == "paid" else None, "paid_tokens": 123_456_789,
            "bind": "on chain", "deployment_id": "0x" + "ab" * 32,
            "error": {"error": ERROR, "offline": "ChainError: cannot reach the node at http://127.0.0.1:8545"}.get(kind)}


def state(n: int = 6, claims_state: str | None = None, **kw) -> dict:
    """A service's state; with `claims_state` it syncs claims and every station is in that claim state."""
    stations = [station(i, **kw) for i in range(n)]
    for s in stations:
        if claims_state is not None:
            s["claims"] = claims(claims_state)
    total = sum(s["total_wh"] for s in stations)
    return {"profile": "kiosk", "data_dir": "/var/lib/carbon-smart-meter/sessions",
            "service": {"pid": 1234, "started_utc": time.time() - 3600, "now_utc": time.time()},
            "region": "DE", "co2_factor": FACTOR, "stations": stations,
            "totals": {"since_utc": time.time() - 86400 * 90, "energy_wh": total, "co2_kg": total / 1000 * 0.38095,
                       "paid_tokens": 0, "stations": n},
            "claims": {"outbox": {}, "sync_note": "" if claims_state else "no deployment configured",
                       "sync": None if claims_state is None else {
                           "running": True, "attempts": 3, "failures": 2 if claims_state == "offline" else 0,
                           "last_attempt_utc": time.time() - 180, "last_success_utc": time.time() - 3600,
                           "next_attempt_utc": time.time() + 754,
                           "last_error": ERROR if claims_state == "offline" else None}},
            "storage_problems": {}, "totals_problem": None}
