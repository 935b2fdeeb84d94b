"""The kiosk's words for a station's claims: one friendly line for guests, the details for staff.

The state comes decided from the service (app.station_claims, computed from the same outbox reading as
`csm claims status` and the Claims tab); this module only words it in the guest's language. Guests
never read a reason for a refusal or a failed sync (it is in English, for someone who can act on it),
only that their energy is kept safe; the staff panel adds the reason and the sync times.

A service without a chain (`claims.sync` is null) or of a revision before station claims (no
`claims` in a station) gives no line at all.
"""

from __future__ import annotations

from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.kiosk_text import Formatter


def claims_on(state: dict | None) -> bool:
    """Whether the service syncs claims at all (a chain is configured): only then has a guest a claim state."""
    claims = (state or {}).get("claims")
    return isinstance(claims, dict) and isinstance(claims.get("sync"), dict)


def guest_line(station: dict, state: dict | None, f: Formatter, now: float) -> tuple[str, str]:
    """(text, colour key) of the station's claims line; ("", "") when there is nothing to show."""
    claims = station.get("claims")
    if not claims_on(state) or not isinstance(claims, dict):
        return "", ""
    kind = claims.get("state")
    pending = f.energy(float(claims.get("pending_wh") or 0.0))
    if kind == "paid" and claims.get("paid_up_to_unix"):
        return translate("Kiosk", "Rewards claimed up to {time}").format(
            time=f.moment(float(claims["paid_up_to_unix"]), now)), "ok"
    if kind == "waiting":
        due = ((state or {}).get("claims") or {}).get("sync", {}).get("next_attempt_utc")
        if due and due > now:
            return translate("Kiosk", "{energy} to claim · next sync in {wait}").format(
                energy=pending, wait=f.ago(float(due) - now)), "muted"
        return translate("Kiosk", "{energy} to claim at the next sync").format(energy=pending), "muted"
    if kind == "offline":
        return translate("Kiosk", "{energy} waiting for a link — kept safe").format(energy=pending), "muted"
    if kind == "error":
        return translate("Kiosk", "Rewards paused — energy kept safe"), "muted"
    if kind == "unbound":
        return translate("Kiosk", "Rewards not set up yet"), "muted"
    return "", ""


def staff_lines(stations: list[tuple[str, dict]], state: dict | None, f: Formatter, now: float) -> list[str]:
    """The sync's times and, per station, its claims line with the reason of a refusal or failed sync."""
    claims = (state or {}).get("claims") or {}
    sync = claims.get("sync")
    if not isinstance(sync, dict):
        return []
    # an older service (revision 1) said only when the last good sync was
    last, due = sync.get("last_attempt_utc", sync.get("last_success_utc")), sync.get("next_attempt_utc")
    lines = [translate("Kiosk", "Claims sync: last {last}, next {next}").format(
        last=translate("Kiosk", "{ago} ago").format(ago=f.ago(now - float(last))) if last
        else translate("Kiosk", "never"),
        next=translate("Kiosk", "in {wait}").format(wait=f.ago(float(due) - now)) if due and due > now
        else translate("Kiosk", "now"))]
    if sync.get("last_error"):
        lines.append(translate("Kiosk", "Last sync failed: {error}").format(error=sync["last_error"]))
    for name, st in stations:
        text, _ = guest_line(st, state, f, now)
        found = st.get("claims")
        detail: dict = found if isinstance(found, dict) else {}
        if detail.get("state") == "error" and detail.get("error"):
            text = translate("Kiosk", "{line}: {error}").format(line=text, error=detail["error"])
        if text:
            lines.append(f"{name}: {text}")
    return lines
