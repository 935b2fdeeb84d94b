"""One session file -> its 1 s roll-ups, its checkpoints and its summary row, after `verify_file`.

Verification comes first and is the one in `energy.verified` (what `csm verify` runs), so every roll-up
row carries the status of the signed interval its samples belong to: a sample's row lies between two
checkpoint rows (docs/session-format.md: a checkpoint covers the blocks written before its `row`), and
that interval is verified, unverifiable or failed. Energy per second is the trapezoid rule of
`energy.integrate.integrate_power` (the rule every figure of the app uses) over the raw codes through
the file's recorded calibration, so the verified seconds of a file add up to its verified energy.

Each second also gets `codes_fp`, a fingerprint of its raw codes (independent of any calibration): two
device ids whose seconds carry the same fingerprints recorded one stream (a cloned device).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from carbon_smart_meter import __version__
from carbon_smart_meter.energy.file_checks import first_hello, recorded_conversion
from carbon_smart_meter.energy.integrate import PreviousSample, integrate_power
from carbon_smart_meter.energy.trust import ManufacturerTrust
from carbon_smart_meter.energy.verified import FAILED, UNVERIFIABLE, VERIFIED, FileVerification, verify_file
from carbon_smart_meter.protocol.messages import BLOCK_FLAG_TIME_SYNCED
from carbon_smart_meter.storage.reader import Session

STATUSES = (VERIFIED, UNVERIFIABLE, FAILED)  # index = severity: a second is as bad as its worst sample
BLOCKS_PER_SLICE = 4096
NS = 1_000_000_000
# Odd 64-bit multipliers (golden ratio and MurmurHash3 constants): a sample's codes mixed into one integer.
FP_V, FP_I = np.int64(0x9E3779B97F4A7C15 - (1 << 64)), np.int64(0xC2B2AE3D27D4EB4F - (1 << 64))

ROLLUP_SCHEMA = pa.schema([
    ("t", pa.timestamp("s", tz="UTC")),
    ("v_min", pa.float32()), ("v_mean", pa.float32()), ("v_max", pa.float32()),
    ("i_min", pa.float32()), ("i_mean", pa.float32()), ("i_max", pa.float32()),
    ("p_min", pa.float32()), ("p_mean", pa.float32()), ("p_max", pa.float32()),
    ("energy_wh", pa.float64()), ("verified_wh", pa.float64()),
    ("samples", pa.int32()), ("coverage", pa.float32()),
    ("status", pa.string()), ("codes_fp", pa.int64()),
    ("calibration_id", pa.string()), ("file_sha256", pa.string()),
])
CHECKPOINT_SCHEMA = pa.schema([
    ("seq", pa.int64()), ("energy_mwh", pa.int64()), ("device_time", pa.timestamp("s", tz="UTC")),
    ("status", pa.string()), ("why", pa.string()), ("signed_delta_mwh", pa.int64()),
    ("received_mwh", pa.float64()), ("energy_kwh", pa.float64()), ("samples", pa.int64()),
    ("missing_samples", pa.int64()), ("calibration_id", pa.string()), ("file_sha256", pa.string()),
])
SESSION_SCHEMA = pa.schema([
    ("file_sha256", pa.string()), ("path", pa.string()), ("device", pa.string()), ("source", pa.string()),
    ("rated_w", pa.int32()), ("region", pa.string()), ("rate_hz", pa.float64()),
    ("calibration_id", pa.string()), ("calibration_sha256", pa.string()), ("calibration_status", pa.string()),
    ("verified", pa.bool_()), ("attestation", pa.string()), ("verified_kwh", pa.float64()),
    ("unverifiable_kwh", pa.float64()), ("failed_kwh", pa.float64()), ("checkpoints_verified", pa.int32()),
    ("checkpoints_unverifiable", pa.int32()), ("checkpoints_failed", pa.int32()), ("gaps", pa.int32()),
    ("missing_samples", pa.int64()), ("samples", pa.int64()), ("first_t", pa.timestamp("s", tz="UTC")),
    ("last_t", pa.timestamp("s", tz="UTC")), ("problems", pa.string()), ("app_version", pa.string()),
])


@dataclass
class FileRollup:
    sha256: str
    device: str
    verification: FileVerification
    rollups: pa.Table       # ROLLUP_SCHEMA, sorted by t
    checkpoints: pa.Table   # CHECKPOINT_SCHEMA
    session: pa.Table       # SESSION_SCHEMA, one row


def file_sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def rollup_file(path: Path | str, trust: ManufacturerTrust | None = None, sha256: str | None = None) -> FileRollup:
    """Verify `path` and compute its tables (the caller decides where they go)."""
    path = Path(path)
    sha = sha256 or file_sha256(path)
    v = verify_file(path, trust)
    with Session(path) as s:
        hello = first_hello(s)
        conv, _check = recorded_conversion(s, hello)
        cal = s.calibration
        cal_id = str(cal.get("record_id", "") or "")
        attrs = s.attrs
        ck = s.table("checkpoints")
        cuts, states = _status_segments(ck, v)
        parts, rate = _seconds(s, conv, cuts, states)
        samples = s.rows()
    seconds = _combine(parts)
    n = len(seconds["t"])
    rollups = pa.table({
        "t": pa.array(seconds["t"], pa.timestamp("s", tz="UTC")),
        **{f"{q}_{a}": pa.array(seconds[f"{q}_{a}"].astype(np.float32)) for q in "vip" for a in ("min", "mean", "max")},
        "energy_wh": seconds["e"] / 3600.0, "verified_wh": seconds["ev"] / 3600.0,
        "samples": seconds["count"].astype(np.int32), "coverage": seconds["cover"].astype(np.float32),
        "status": pa.array(np.asarray(STATUSES, dtype=object)[seconds["status"]] if n else [], pa.string()),
        "codes_fp": seconds["fp"], "calibration_id": pa.array([cal_id] * n, pa.string()),
        "file_sha256": pa.array([sha] * n, pa.string()),
    }, schema=ROLLUP_SCHEMA)
    device = v.device
    check = {c.name: c for c in v.checks}
    counts = v.checkpoints
    session = pa.table({
        "file_sha256": [sha], "path": [str(path)], "device": [device], "source": [str(attrs.get("source", ""))],
        "rated_w": [v.rated_w], "region": [v.region], "rate_hz": [rate], "calibration_id": [cal_id],
        "calibration_sha256": [str(cal.get("record_sha256", "") or "")],
        "calibration_status": [v.calibration_status], "verified": [v.ok],
        "attestation": [check["attestation"].result if "attestation" in check else ""],
        "verified_kwh": [v.verified_kwh], "unverifiable_kwh": [v.unverifiable_kwh], "failed_kwh": [v.failed_kwh],
        "checkpoints_verified": [counts.get(VERIFIED, 0)], "checkpoints_unverifiable": [counts.get(UNVERIFIABLE, 0)],
        "checkpoints_failed": [counts.get(FAILED, 0)], "gaps": [v.gaps], "missing_samples": [v.missing_samples],
        "samples": [samples], "first_t": pa.array([int(seconds["t"][0]) if n else None], pa.timestamp("s", tz="UTC")),
        "last_t": pa.array([int(seconds["t"][-1]) if n else None], pa.timestamp("s", tz="UTC")),
        "problems": ["; ".join(v.problems[:20])], "app_version": [__version__],
    }, schema=SESSION_SCHEMA)
    return FileRollup(sha, device, v, rollups, _checkpoint_table(ck, v, cal_id, sha), session)


def _status_segments(ck: dict[str, np.ndarray], v: FileVerification) -> tuple[np.ndarray, np.ndarray]:
    """Checkpoint rows (cuts) and the status index of each row segment [cut_k-1, cut_k); rows after the
    last checkpoint are not signed for yet (unverifiable)."""
    by_seq = {i.seq_to: STATUSES.index(i.status) for i in v.intervals if i.seq_to is not None}
    rows = ck["row"].astype(np.int64)
    order = np.argsort(rows, kind="stable")
    cuts = rows[order]
    states = [by_seq.get(int(ck["seq"][j]), 1) for j in order] + [1]
    return cuts, np.asarray(states, np.int8)


def _seconds(s: Session, conv, cuts: np.ndarray, states: np.ndarray) -> tuple[list[dict[str, np.ndarray]], float]:
    """Per-second partial aggregates, slice by slice of blocks (constant memory on a day at 1 kHz)."""
    b = s.table("blocks")
    nb = len(b["row"])
    parts: list[dict[str, np.ndarray]] = []
    if nb == 0:
        return parts, 0.0
    counts = b["count"].astype(np.int64)
    periods = b["period_ns"].astype(np.int64)
    firsts = b["first_sample"].astype(np.int64)
    t0 = b["t0_us"].astype(np.int64) * 1000
    synced = (b["flags"].astype(np.int64) & BLOCK_FLAG_TIME_SYNCED) != 0
    # before TIME_SYNC the device counts from boot: anchor the block's end at its arrival (integrate.py)
    t0 = np.where(synced, t0, b["host_utc_ns"].astype(np.int64) - counts * periods)
    rows = b["row"].astype(np.int64)
    previous: PreviousSample | None = None
    prev_tail: tuple[int, int] | None = None  # (second, status) of the last sample of the previous slice
    for start in range(0, nb, BLOCKS_PER_SLICE):
        stop = min(nb, start + BLOCKS_PER_SLICE)
        lo, hi = int(rows[start]), int(rows[stop - 1] + counts[stop - 1])
        vc = s.samples("voltage_code", lo, hi)
        ic = s.samples("current_code", lo, hi)
        volts, amps, _ = conv.convert(vc, ic)
        power = volts.astype(np.float64) * amps.astype(np.float64)
        c, per = counts[start:stop], periods[start:stop]
        integ = integrate_power(power, c, per, firsts[start:stop], t0[start:stop], previous)
        block_of = np.repeat(np.arange(stop - start), c)
        within = np.arange(hi - lo) - np.repeat(np.cumsum(c) - c, c)
        t_ns = t0[start:stop][block_of] + within * per[block_of]
        sec = np.floor_divide(t_ns, NS)
        status = states[np.searchsorted(cuts, np.arange(lo, hi), side="right")]
        e = np.zeros(hi - lo)
        k = integ.interval_sample
        assert k is not None
        joined = k < 0
        e[k[~joined]] = integ.interval_energy_j[~joined]
        if joined.any() and prev_tail is not None:  # the trapezoid joining the previous slice's last sample
            ej = float(integ.interval_energy_j[joined][0])
            parts.append(_partial(np.array([prev_tail[0]]), *(np.zeros(1, np.float32),) * 3, np.array([ej]),
                                  np.array([ej if prev_tail[1] == 0 else 0.0]), np.zeros(1), np.zeros(1, np.int64),
                                  np.array([prev_tail[1]], np.int8), np.zeros(1, np.int64), weight=0))
        mix = vc.astype(np.int64) * FP_V + ic.astype(np.int64) * FP_I
        parts.append(_partial(sec, volts, amps, power, e, np.where(status == 0, e, 0.0), per[block_of] / NS,
                              np.ones(hi - lo, np.int64), status, mix))
        previous = PreviousSample(int(firsts[stop - 1] + counts[stop - 1]), int(per[-1]), float(integ.last_power_w))
        prev_tail = (int(sec[-1]), int(status[-1]))
    rate = float(NS / np.median(periods))
    return parts, rate


def _partial(sec: np.ndarray, v: np.ndarray, i: np.ndarray, p: np.ndarray, e: np.ndarray, ev: np.ndarray,
             cover: np.ndarray, count: np.ndarray, status: np.ndarray, fp: np.ndarray,
             weight: int = 1) -> dict[str, np.ndarray]:
    """Sums, minima and maxima per second of one slice (seconds in time order within a slice)."""
    order = np.argsort(sec, kind="stable")
    if not np.all(order == np.arange(len(sec))):
        sec, v, i, p, e, ev, cover, count, status, fp = (a[order] for a in (sec, v, i, p, e, ev, cover, count,
                                                                              status, fp))
    keys, first = np.unique(sec, return_index=True)
    out: dict[str, np.ndarray] = {"t": keys}
    for name, x in (("v", v), ("i", i), ("p", p)):
        x64 = x.astype(np.float64)
        if weight:
            out[f"{name}_min"] = np.minimum.reduceat(x64, first)
            out[f"{name}_max"] = np.maximum.reduceat(x64, first)
        else:  # a row of energy only: no sample of its own, so it must not pull the extremes
            out[f"{name}_min"] = np.full(len(keys), np.inf)
            out[f"{name}_max"] = np.full(len(keys), -np.inf)
        out[f"{name}_sum"] = np.add.reduceat(x64, first) if weight else np.zeros(len(keys))
    out["e"] = np.add.reduceat(e, first)
    out["ev"] = np.add.reduceat(ev, first)
    out["cover"] = np.add.reduceat(cover, first)
    out["count"] = np.add.reduceat(count, first)
    out["status"] = np.maximum.reduceat(status.astype(np.int8), first)
    out["fp"] = np.add.reduceat(fp, first)  # wraps modulo 2**64: a fingerprint, not a quantity
    return out


def _combine(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Partial aggregates of several slices (a second may straddle two) into one row per second."""
    if not parts:
        empty = {k: np.zeros(0) for k in ("t", "e", "ev", "cover", "count", "fp")}
        empty.update({f"{q}_{a}": np.zeros(0) for q in "vip" for a in ("min", "mean", "max")})
        empty["status"] = np.zeros(0, np.int8)
        empty["t"] = np.zeros(0, np.int64)
        empty["fp"] = np.zeros(0, np.int64)
        return empty
    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    p = _partial_reduce(cat) if len(parts) > 1 else cat
    count = np.maximum(p["count"], 1)
    out = {"t": p["t"].astype(np.int64), "e": p["e"], "ev": p["ev"], "cover": np.minimum(p["cover"], 1.0),
           "count": p["count"], "status": p["status"], "fp": p["fp"].astype(np.int64)}
    for q in "vip":
        out[f"{q}_min"], out[f"{q}_max"] = p[f"{q}_min"], p[f"{q}_max"]
        out[f"{q}_mean"] = p[f"{q}_sum"] / count
    return out


def _partial_reduce(cat: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    order = np.argsort(cat["t"], kind="stable")
    cat = {k: a[order] for k, a in cat.items()}
    keys, first = np.unique(cat["t"], return_index=True)
    out = {"t": keys}
    for k, a in cat.items():
        if k == "t":
            continue
        if k.endswith("_min"):
            out[k] = np.minimum.reduceat(a, first)
        elif k.endswith("_max") or k == "status":
            out[k] = np.maximum.reduceat(a, first)
        else:
            out[k] = np.add.reduceat(a, first)
    return out


def _checkpoint_table(ck: dict[str, np.ndarray], v: FileVerification, cal_id: str, sha: str) -> pa.Table:
    by_seq = {i.seq_to: i for i in v.intervals if i.seq_to is not None}
    rows = []
    for j in range(len(ck["seq"])):
        seq = int(ck["seq"][j])
        iv = by_seq.get(seq)
        rows.append({
            "seq": seq, "energy_mwh": int(ck["energy_mwh"][j]), "device_time": int(ck["device_time_s"][j]),
            "status": iv.status if iv is not None else "anchor",
            "why": iv.why if iv is not None else "the first checkpoint of the file: where its chain starts",
            "signed_delta_mwh": iv.signed_delta_mwh if iv is not None else None,
            "received_mwh": iv.received_mwh if iv is not None else 0.0,
            "energy_kwh": iv.energy_kwh if iv is not None else 0.0,
            "samples": iv.samples if iv is not None else 0,
            "missing_samples": iv.missing_samples if iv is not None else 0,
            "calibration_id": cal_id, "file_sha256": sha,
        })
    return pa.Table.from_pylist(rows, schema=CHECKPOINT_SCHEMA)
