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


def state(n: int = 6, **kw) -> dict:
    stations = [station(i, **kw) for i in range(n)]
    total = sum(s["total_wh"] for s in stations)
    return {"profile": "kiosk", "data_dir": "/var/lib/carbon-smart-meter/sessions",
            "service": {"pid": 1234, "started_utc": time.time() - 3600, "now_utc": time.time()},
            "region": "DE", "co2_factor": FACTOR, "stations": stations,
            "totals": {"since_utc": time.time() - 86400 * 90, "energy_wh": total, "co2_kg": total / 1000 * 0.38095,
                       "paid_tokens": 0, "stations": n},
            "claims": {"outbox": {}, "sync_note": "no deployment configured", "sync": None},
            "storage_problems": {}, "totals_problem": None}
