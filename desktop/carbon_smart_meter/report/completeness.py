"""How complete the record of a period is: recorded time, gaps, resets, link errors, time sync, clipping.

Everything is counted from what the recorder stored as it happened (docs/session-format.md: `/gaps`,
`/events`, block flags) and from the sample pass, never estimated. The conservative rule is stated
with the figures: a gap is energy that was not measured, and it is counted as zero; an interval that a
gap, a reset or a loss leaves unprovable is shown as unverifiable and not counted; nothing is filled in.
"""

from __future__ import annotations

import numpy as np

from carbon_smart_meter.report.sample_pass import SamplePass
from carbon_smart_meter.storage.reader import Session

GAP_RULE = ("Gaps are never filled: samples that were not received count as zero energy, no value is "
            "interpolated, and an interval that a gap, a device reset or a link loss leaves unprovable is "
            "reported as unverifiable and not counted. Only intervals proven by the device's signed "
            "checkpoints contribute energy.")
#: host event kinds that mean bytes or frames were lost or damaged on the link
LINK_KINDS = ("corrupt-frames", "frame-loss", "malformed", "unknown-type")
STORAGE_KINDS = ("storage", "storage-overflow", "pre-hello-overflow")


def _text(v: object) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def file_completeness(session: Session, sp: SamplePass) -> dict:
    gaps = session.table("gaps")
    missing = gaps["missing"].astype(np.int64) if len(gaps["missing"]) else np.zeros(0, np.int64)
    resets = int(np.count_nonzero(gaps["reset"])) if len(gaps["reset"]) else 0
    ev = session.table("events")
    kinds = [_text(k) for k in ev["kind"]]
    origins = [_text(o) for o in ev["origin"]]
    counts = ev["count"].astype(np.int64) if len(ev["count"]) else np.zeros(0, np.int64)
    host: dict[str, int] = {}
    device: dict[str, int] = {}
    sync_corrections_s: list[float] = []
    for j, (kind, origin) in enumerate(zip(kinds, origins, strict=True)):
        if origin == "host":
            host[kind] = host.get(kind, 0) + max(1, int(counts[j]))
        else:
            device[kind] = device.get(kind, 0) + 1
            if kind == "TIME_SYNCED" and int(ev["arg1"][j]):
                sync_corrections_s.append(abs(int(ev["device_time_us"][j]) - int(ev["arg1"][j])) / 1e6)
    attrs = session.attrs
    return {
        "file": session.path.name,
        "complete": session.complete,
        "stopped_because": str(attrs.get("stopped_because", "") or ""),
        "repaired": bool(attrs.get("repaired_utc", "")),
        "samples": sp.samples,
        "blocks": sp.blocks,
        "period_ns": sp.median_period_ns,
        "first_ns": sp.first_ns,
        "last_ns": sp.last_ns,
        "gaps": len(missing),
        "missing_samples": int(missing.sum()),
        "missing_s": float(missing.sum()) * sp.median_period_ns / 1e9,
        "counter_resets": resets,
        "device_resets": device.get("RESET", 0),
        "crc_errors": host.get("corrupt-frames", 0),
        "link_errors": {k: host[k] for k in LINK_KINDS if k in host},
        "storage_problems": {k: host[k] for k in STORAGE_KINDS if k in host},
        "device_events": dict(sorted(device.items())),
        "clipped_blocks": sp.clipped_blocks,
        "unsynced_blocks": sp.unsynced_blocks,
        "time_syncs": device.get("TIME_SYNCED", 0),
        "largest_clock_correction_s": max(sync_corrections_s) if sync_corrections_s else 0.0,
    }


def merge_completeness(files: list[dict], recorded_s: float, clipped_s: float, unsynced_s: float,
                       period_s: float) -> dict:
    """The period's figures over all files, with the per-file rows kept for the appendix."""
    total = {k: sum(f[k] for f in files) for k in ("samples", "gaps", "missing_samples", "missing_s",
                                                   "counter_resets", "device_resets", "crc_errors",
                                                   "clipped_blocks", "unsynced_blocks", "time_syncs")}
    link: dict[str, int] = {}
    storage: dict[str, int] = {}
    for f in files:
        for k, v in f["link_errors"].items():
            link[k] = link.get(k, 0) + v
        for k, v in f["storage_problems"].items():
            storage[k] = storage.get(k, 0) + v
    if unsynced_s <= 0:
        sync = "every block carries the device's unix time (time-synced)"
    else:
        sync = (f"{unsynced_s / 3600:.2f} h of samples were recorded before the device's clock was set: "
                "their times are the host's arrival times (good to the link delay)")
    return {
        **total,
        "period_s": period_s,
        "recorded_s": recorded_s,
        "recorded_fraction": recorded_s / period_s if period_s > 0 else 0.0,
        "clipped_s": clipped_s,
        "unsynced_s": unsynced_s,
        "time_sync": sync,
        "largest_clock_correction_s": max((f["largest_clock_correction_s"] for f in files), default=0.0),
        "link_errors": link,
        "storage_problems": storage,
        "incomplete_files": [f["file"] for f in files if not f["complete"]],
        "stopped_files": {f["file"]: f["stopped_because"] for f in files if f["stopped_because"]},
        "gap_rule": GAP_RULE,
        "files": files,
    }
