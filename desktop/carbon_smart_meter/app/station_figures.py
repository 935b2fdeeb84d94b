"""The figures a view of a charging station shows, as one plain JSON-ready dict per moment.

Built from the live session (`snapshot()`, the ledger's `DeviceEnergy`), the installation totals and
the one CO₂ and reward provider, on the service's own figures thread, a few times a second: power now,
today's energy, avoided CO₂ today (an estimate, with the factor's provenance so a view can show the
source), the reward preview of today's energy, the link state, whether the station is still reporting,
its claims in one word and a few figures (app.station_claims, from the same outbox reading as
`csm claims status`), and the totals since installation. A view in another process receives exactly
this (view_protocol).

"Reporting" is judged on the host clock: a connected station whose sample counter has not moved for
`silent_after_s` is not reporting, whatever the link says (a hung adapter keeps its port open).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from carbon_smart_meter.app.installation_totals import InstallationTotals
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.app.station_claims import by_device, station_claims, sync_json
from carbon_smart_meter.app.status import DeviceStatus, LinkState
from carbon_smart_meter.app.sync_service import SyncStatus
from carbon_smart_meter.carbon.provenance import ESTIMATE_LABEL, FactorProvenance
from carbon_smart_meter.carbon.region import Region
from carbon_smart_meter.carbon.resolve import resolve_factor, resolve_region
from carbon_smart_meter.claims.status import status_rows
from carbon_smart_meter.errors import CsmError

SILENT_AFTER_S = 10.0
CLAIMS_REFRESH_S = 60.0  # paid rewards and claim states come from the outbox; they change at most once a sync


@dataclass
class _Progress:
    samples: int = -1
    since: float = 0.0  # monotonic time the sample counter last moved


def local_zone(name: str) -> dt.tzinfo:
    """`local` (the machine's zone), `UTC`, or an IANA name such as Europe/Berlin."""
    if name in ("", "local"):
        zone = dt.datetime.now().astimezone().tzinfo
        assert zone is not None
        return zone
    if name == "UTC":
        return dt.UTC
    return ZoneInfo(name)


class StationFigures:
    def __init__(self, session: LiveSession, totals: InstallationTotals, *, tz: str = "local",
                 silent_after_s: float = SILENT_AFTER_S, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.session = session
        self.totals = totals
        self.zone = local_zone(tz)
        self.silent_after_s = silent_after_s
        self.clock = clock
        self.monotonic = monotonic
        self.started_utc = clock()
        self._progress: dict[str, _Progress] = {}
        self._factors: dict[str, FactorProvenance | str] = {}  # device -> factor, or why there is none
        self._region: Region | None = None
        self._region_resolved = False
        self._claim_rows: dict[str, list[dict[str, object]]] = {}
        self._claims_at = -CLAIMS_REFRESH_S
        self._claims_attempts = 0

    # ---- pieces ------------------------------------------------------------------------------------
    def _region_code(self) -> str | None:
        if not self._region_resolved:  # the location lookup (reverse geocoder) is done once, off the UI
            try:
                self._region = resolve_region(self.session.carbon)
            except CsmError:
                self._region = None
            self._region_resolved = True
        return self._region.code if self._region is not None and self._region.code else None

    def _factor(self, device: str) -> FactorProvenance | str:
        found = self._factors.get(device)
        if found is None:
            self._region_code()
            try:
                found = resolve_factor(self.session.carbon, device or None, self._region)
            except CsmError as exc:
                found = str(exc)
            self._factors[device] = found
        return found

    def _co2(self, wh: float, device: str) -> float | None:
        factor = self._factor(device)
        return None if isinstance(factor, str) else wh / 1000.0 * factor.factor / 1000.0

    def _reward(self, wh: float) -> dict[str, object] | None:
        try:
            quote = self.session.previewer.preview_kwh(max(wh, 0.0) / 1000.0, self._region_code(), block=False)
        except CsmError:
            return None
        return {"tokens": quote.tokens, "tokens_display": quote.preview.tokens_display,
                "value_micro_usd": quote.preview.value_micro_usd, "claimable": quote.claimable,
                "source": quote.source}

    def _claims(self, sync: SyncStatus | None) -> dict[str, list[dict[str, object]]]:
        """The outbox per device (claims.status, as `csm claims status` and the Claims tab read it), re-read
        once a minute and at once after each sync attempt (the only other time it changes much)."""
        now = self.monotonic()
        outbox = self.session.outbox
        attempts = sync.attempts if sync is not None else 0
        if outbox is not None and (now - self._claims_at >= CLAIMS_REFRESH_S or attempts != self._claims_attempts):
            self._claims_at, self._claims_attempts = now, attempts
            # a busy outbox: the previous figures stay, the sync status says what is wrong
            with contextlib.suppress(CsmError, OSError, RuntimeError, sqlite3.Error):
                self._claim_rows = by_device(status_rows(outbox))
        return self._claim_rows

    def _reporting(self, st: DeviceStatus, now: float) -> tuple[bool, float]:
        p = self._progress.setdefault(st.source, _Progress(since=now))
        if st.stats.samples != p.samples:
            p.samples, p.since = st.stats.samples, now
        silent = now - p.since
        return st.link == LinkState.CONNECTED and silent < self.silent_after_s, silent

    def factor_json(self, device: str = "") -> dict[str, object]:
        factor = self._factor(device)
        if isinstance(factor, str):
            return {"problem": factor, "label": ESTIMATE_LABEL}
        return {**factor.to_attrs(), "label": ESTIMATE_LABEL}

    # ---- the whole picture -------------------------------------------------------------------------
    def state(self) -> dict[str, object]:
        snap = self.session.snapshot()
        now = self.monotonic()
        wall = self.clock()
        claim_rows = self._claims(snap.sync)
        paid = {device: sum(int(r["paid_tokens"]) for r in rows)  # type: ignore[call-overload]
                for device, rows in claim_rows.items()}
        stations = []
        for source, st in sorted(snap.devices.items()):
            e = st.energy
            device = e.device if e is not None and e.device else ("0x" + st.hello.device.hex() if st.hello else "")
            newest = e.last_sample_unix_s if e is not None and e.last_sample_unix_s > 0 else wall
            day = dt.datetime.fromtimestamp(newest, self.zone).date().isoformat()
            if e is not None:
                self.totals.add(source, device, e.energy_wh, day)
            total = self.totals.get(device) if device else None
            today_wh = total.days.get(day, 0.0) if total is not None else 0.0
            reporting, silent = self._reporting(st, now)
            stations.append({
                "source": source, "port": st.port, "device": device,
                "rated_w": e.rated_w if e is not None else (st.hello.rated_power_w if st.hello else 0),
                "link": st.link, "reporting": reporting, "silent_s": round(silent, 1),
                "power_w": e.last_power_w if e is not None and reporting else 0.0,
                "day": day, "today_wh": today_wh, "today_co2_kg": self._co2(today_wh, device),
                "today_reward": self._reward(today_wh),
                "total_wh": total.energy_wh if total is not None else 0.0,
                "total_co2_kg": self._co2(total.energy_wh, device) if total is not None else 0.0,
                "installed_utc": total.installed_utc if total is not None else None,
                "paid_tokens": paid.get(device, 0),
                "claims": station_claims(claim_rows.get(device, []), snap.sync),
                "recording": st.recording, "file": str(st.file) if st.file else None,
                "storage_problem": snap.storage_problems.get(source),
                "samples": st.stats.samples, "samples_lost": st.stats.samples_lost,
                "disconnects": st.stats.disconnects, "reconnects": st.stats.reconnects,
            })
        every = self.totals.all()
        sync = snap.sync
        return {
            "profile": snap.profile, "data_dir": str(snap.data_dir),
            "service": {"pid": os.getpid(), "started_utc": self.started_utc, "now_utc": wall},
            "region": self._region_code(),
            "co2_factor": self.factor_json(),
            "stations": stations,
            "totals": {
                "since_utc": min((s.installed_utc for s in every), default=None),
                "energy_wh": sum(s.energy_wh for s in every),
                "co2_kg": sum(self._co2(s.energy_wh, s.device) or 0.0 for s in every),
                "paid_tokens": sum(paid.values()),
                "stations": len(every),
            },
            "claims": {
                "outbox": snap.outbox, "sync_note": snap.sync_note,
                "sync": sync_json(sync),
            },
            "storage_problems": dict(snap.storage_problems),
            "totals_problem": self.totals.problem,
        }
