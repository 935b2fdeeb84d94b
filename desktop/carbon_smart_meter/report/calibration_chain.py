"""The calibration records that cover a monitoring period, and the stretches none covers.

Each session file embeds the full calibration record it was recorded with (docs/session-format.md,
`/calibration`), checked by `csm verify` against its hash and the scales the file used. Over a period
the records form a chain (one per recalibration); a recorded stretch is covered only when the file's
record was valid on that day (from its `date` to its `expires`, inclusive) and passed its check. An
uncalibrated file (factory scales) or a record dated after the data or expired before it is called out.
"""

from __future__ import annotations

import datetime as dt
import tomllib

from carbon_smart_meter.calibration.record import CalibrationRecord, parse_record
from carbon_smart_meter.energy.verified import FileVerification
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.storage.reader import Session

DAY_NS = 86_400 * 10**9


def embedded_record(session: Session, device: str) -> tuple[CalibrationRecord | None, str]:
    """The record stored in the file (checked as of its own date: expiring later does not unmake it)."""
    cal = session.calibration
    text = str(cal.get("record_toml", "") or "")
    if not text:
        return None, ""
    try:
        day = tomllib.loads(text).get("date")
        rec = parse_record(text, str(cal.get("record_path", "") or "(embedded)"), device=device,
                           today=day if isinstance(day, dt.date) else None)
    except (CsmError, tomllib.TOMLDecodeError) as exc:
        return None, f"the embedded record is not valid: {exc}"
    return rec, ""


def _day_ns(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()) * 10**9


def file_calibration(session: Session, verification: FileVerification, device: str,
                     spans: list[tuple[int, int]]) -> dict:
    """What one file says about calibration, and which of its recorded `spans` no valid record covers."""
    rec, problem = embedded_record(session, device)
    check = next((c for c in verification.checks if c.name == "calibration"), None)
    status = str(session.calibration.get("status", ""))
    out: dict = {"file": session.path.name, "status": status, "check": check.result if check else "",
                 "check_detail": check.detail if check else "", "record": None}
    uncovered: list[dict] = []
    if rec is not None:
        out["record"] = {
            "id": rec.id, "sha256": rec.sha256, "date": rec.date.isoformat(), "expires": rec.expires.isoformat(),
            "operator": rec.operator, "instrument": rec.instrument, "certificate": rec.certificate,
            "sensor_model": rec.sensor_model, "uncertainty": dict(rec.uncertainty),
        }
    if check is not None and check.result == "fail":
        reason = f"the file's calibration failed its check ({check.detail})"
        uncovered += [{"start_ns": a, "end_ns": b, "reason": reason} for a, b in spans]
    elif rec is None:
        reason = problem or "no calibration record: factory scales of the sensor (uncalibrated)"
        uncovered += [{"start_ns": a, "end_ns": b, "reason": reason} for a, b in spans]
    else:
        valid_from, valid_to = _day_ns(rec.date), _day_ns(rec.expires) + DAY_NS
        for a, b in spans:
            if a < valid_from:
                uncovered.append({"start_ns": a, "end_ns": min(b, valid_from),
                                  "reason": f"before record {rec.id} was made ({rec.date})"})
            if b > valid_to:
                uncovered.append({"start_ns": max(a, valid_to), "end_ns": b,
                                  "reason": f"after record {rec.id} expired ({rec.expires})"})
    out["uncovered"] = uncovered
    return out


def calibration_chain(files: list[dict], period_start_ns: int, period_end_ns: int) -> dict:
    """The distinct records in date order, the files that used each, and the uncovered stretches in the period."""
    records: dict[str, dict] = {}
    for f in files:
        r = f["record"]
        if r is None:
            continue
        entry = records.setdefault(r["sha256"], {**r, "files": []})
        entry["files"].append(f["file"])
    uncovered = []
    for f in files:
        for u in f["uncovered"]:
            a, b = max(u["start_ns"], period_start_ns), min(u["end_ns"], period_end_ns)
            if b > a:
                uncovered.append({"file": f["file"], "start_ns": a, "end_ns": b, "reason": u["reason"]})
    uncovered.sort(key=lambda u: (u["start_ns"], u["file"]))
    return {
        "records": sorted(records.values(), key=lambda r: (r["date"], r["id"])),
        "files": [{k: f[k] for k in ("file", "status", "check", "check_detail")} |
                  {"record_id": f["record"]["id"] if f["record"] else ""} for f in files],
        "uncovered": uncovered,
        "uncovered_s": sum((u["end_ns"] - u["start_ns"]) / 1e9 for u in uncovered),
    }
