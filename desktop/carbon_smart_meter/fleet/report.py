"""`csm fleet report`: the fleet's figures and fraud checks, as SQL on DuckDB over the Parquet lake.

DuckDB runs in this process and reads the Hive-partitioned files in place (device and date come from the
paths), so a laptop can query a fleet's year without a server. Each check states its rule and threshold
in the output, and each is written so an honest device is not flagged by weather or by noise:

- energy per device per day, with verified energy and coverage (the share of the day with samples);
- over rating: more than `OVER_RATING_S` seconds in a day above `OVER_RATING_FACTOR` x the attested
  rating (a cloud edge can beat a rating for seconds, not for minutes);
- over the clear-sky ceiling: `energy.plausibility.check_day` (rated W x 16 h anywhere; with the site's
  place, 1.1 x the pvlib clear-sky energy of a 2-axis tracker), the rule `csm verify` users see;
- not following the neighbours: the correlation of a device's half-hourly power with the mean of the
  devices within `NEIGHBOUR_KM` (from the sites register) below `MIN_CORRELATION` (clouds differ between
  neighbours; the sun's course does not);
- cloned streams: two device ids sharing the fingerprints of their raw codes (`rollup.codes_fp`) in
  daylight seconds. Only seconds whose fingerprint is 0 modulo `CLONE_SAMPLE` are compared: the choice
  depends on the content alone, so both copies of a stream pick the same seconds even if one is shifted
  by whole seconds (a shift by a fraction of a second regroups the samples and is not caught);
- a jump after a calibration: the device's high-percentile power under a new calibration id (from the
  moment it applies, within a day or at a day's start) over the power under the one before, outside
  [1/`JUMP_FACTOR`, `JUMP_FACTOR`] (power, not energy: a cloudy day halves energy, not the power of the
  clear minutes).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from carbon_smart_meter.energy.plausibility import REVIEW_MARGIN, Plausibility, check_day, clear_sky_wh
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.fleet import lake as L
from carbon_smart_meter.fleet.ingest import SITES_FILE

OVER_RATING_FACTOR = 1.2
OVER_RATING_S = 300
NEIGHBOUR_KM = 50.0
MIN_NEIGHBOURS = 2
MIN_CORRELATION = 0.5
PROFILE_MINUTES = 30
CLONE_SAMPLE = 64
CLONE_MIN_MATCHES = 20
CLONE_MIN_SHARE = 0.5
LIT_W = 0.5
JUMP_FACTOR = 1.3
JUMP_QUANTILE = 0.95
JUMP_MIN_LIT_S = 1800  # half an hour of sun on each side of the change
EARTH_KM = 6371.0


@dataclass(frozen=True)
class Flag:
    device: str
    check: str
    detail: str
    day: str = ""
    other: str = ""      # the other device of a clone pair

    def to_json(self) -> dict[str, str]:
        return {"device": self.device, "check": self.check, "day": self.day, "other": self.other,
                "detail": self.detail}


@dataclass
class FleetReport:
    devices: int
    device_days: int
    per_day: list[dict[str, Any]]          # device, date, kwh, verified_kwh, coverage, peak_w, calibration
    flags: list[Flag]
    notes: list[str] = field(default_factory=list)  # checks that could not run, and why
    seconds: float = 0.0

    def flagged(self, check: str | None = None) -> set[str]:
        return {f.device for f in self.flags if check is None or f.check == check}

    def to_json(self) -> dict[str, object]:
        return {"devices": self.devices, "device_days": self.device_days, "seconds": self.seconds,
                "per_day": self.per_day, "flags": [f.to_json() for f in self.flags], "notes": self.notes,
                "rules": RULES}


RULES = {
    "over-rating": f"> {OVER_RATING_S} s in a day above {OVER_RATING_FACTOR} x the attested rating",
    "over-clear-sky": "day energy above rated W x 16 h, or (with a site) 1.1 x the pvlib clear-sky energy",
    "not-like-neighbours": f"half-hourly power correlates < {MIN_CORRELATION} with the mean of >= {MIN_NEIGHBOURS} "
                           f"devices within {NEIGHBOUR_KM:g} km",
    "cloned-stream": f">= {CLONE_MIN_MATCHES} sampled daylight seconds and >= {CLONE_MIN_SHARE:.0%} of them shared "
                     "with another device id",
    "calibration-jump": f"{JUMP_QUANTILE:.0%} power after a new calibration id outside "
                        f"x1/{JUMP_FACTOR}..x{JUMP_FACTOR} of the power under the calibration before",
    "verification-failed": "checkpoints whose signature or energy did not verify (csm verify)",
}


def read_sites(path: Path) -> dict[str, tuple[str, float, float]]:
    """device -> (site, latitude, longitude) from the operator's register (CSV with those headers)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        return {r["device"].lower(): (r.get("site", ""), float(r["latitude"]), float(r["longitude"])) for r in rows}
    except (KeyError, ValueError) as exc:
        raise CsmError(f"sites register {path}: needs columns device,site,latitude,longitude ({exc})") from None


def connect(lake: Path) -> duckdb.DuckDBPyConnection:
    if not L.has_table(lake, "rollups"):
        raise CsmError(f"{lake} holds no roll-ups; fill it with `csm fleet ingest SESSIONS --to {lake}`")
    con = duckdb.connect()
    for name in L.TABLES:
        if L.has_table(lake, name):
            pattern = L.glob(lake, name).replace("'", "''")  # a view cannot take parameters
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "
                        "union_by_name = true)")
    return con


def fleet_report(lake: Path | str, sites: Path | None = None) -> FleetReport:
    import time

    started = time.perf_counter()
    lake = Path(lake)
    con = connect(lake)
    sites = sites or (lake / SITES_FILE if (lake / SITES_FILE).is_file() else None)
    register = read_sites(sites) if sites else {}
    notes = [] if register else ["no sites register: neighbour checks skipped and the clear-sky check uses only "
                                 "rated W x 16 h (give --sites or ingest with --sites)"]
    rated = dict(con.execute("SELECT device, max(rated_w) FROM sessions GROUP BY device").fetchall())
    per_day = _per_day(con)
    flags: list[Flag] = []
    flags += _over_rating(con)
    flags += _over_clear_sky(per_day, rated, register)
    flags += _verification(con)
    flags += _clones(con)
    neighbours = _neighbours(register, sorted(rated)) if register else {}
    if register:
        flags += _not_like_neighbours(con, neighbours)
    flags += _calibration_jumps(con)
    devices = len({r["device"] for r in per_day})
    return FleetReport(devices, len(per_day), per_day, sorted(flags, key=lambda f: (f.check, f.device, f.day)),
                       notes, time.perf_counter() - started)


def _per_day(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute("""
        SELECT device, CAST(date AS VARCHAR) AS date, sum(energy_wh) / 1000 AS kwh, sum(verified_wh) / 1000
               AS verified_kwh, sum(coverage) / 86400 AS coverage, max(p_max) AS peak_w,
               string_agg(DISTINCT calibration_id, ' ') AS calibration
        FROM rollups GROUP BY ALL ORDER BY device, date""").fetchall()
    keys = ("device", "date", "kwh", "verified_kwh", "coverage", "peak_w", "calibration")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _over_rating(con: duckdb.DuckDBPyConnection) -> list[Flag]:
    rows = con.execute("""
        WITH rated AS (SELECT device, max(rated_w) AS rated_w FROM sessions GROUP BY device)
        SELECT r.device, CAST(r.date AS VARCHAR), count(*) AS seconds, max(r.p_mean), any_value(s.rated_w)
        FROM rollups r JOIN rated s USING (device)
        WHERE s.rated_w > 0 AND r.p_mean > ? * s.rated_w
        GROUP BY ALL HAVING count(*) > ?""", [OVER_RATING_FACTOR, OVER_RATING_S]).fetchall()
    return [Flag(d, "over-rating", f"{n} s above {OVER_RATING_FACTOR} x its {rw} W rating (up to {p:.1f} W)", day)
            for d, day, n, p, rw in rows]


@lru_cache(maxsize=4096)
def _clear_sky_per_watt(lat: float, lon: float, day: str) -> float:
    return clear_sky_wh(1.0, lat, lon, dt.date.fromisoformat(day))


def _over_clear_sky(per_day: list[dict[str, Any]], rated: dict[str, int],
                    register: dict[str, tuple[str, float, float]]) -> list[Flag]:
    out = []
    for r in per_day:
        device, day, wh = str(r["device"]), str(r["date"]), float(r["kwh"]) * 1000
        rw = rated.get(device) or 0
        if rw <= 0:
            continue
        verdict = check_day(day, wh, rw)  # rated W x 16 h: impossible anywhere
        place = register.get(device.lower())
        if verdict.verdict != Plausibility.OK:
            out.append(Flag(device, "over-clear-sky", verdict.message, day))
        elif place is not None:  # the clear-sky energy scales with the rating: computed once per site and day
            sky = rw * _clear_sky_per_watt(round(place[1], 2), round(place[2], 2), day)
            if wh > sky * REVIEW_MARGIN:
                out.append(Flag(device, "over-clear-sky", f"{wh:.0f} Wh > {REVIEW_MARGIN} x the clear-sky {sky:.0f} "
                                f"Wh of {rw} W at {place[0] or 'its site'} (2-axis tracker)", day))
    return out


def _verification(con: duckdb.DuckDBPyConnection) -> list[Flag]:
    rows = con.execute("""SELECT device, CAST(date AS VARCHAR), sum(checkpoints_failed), sum(failed_kwh)
                          FROM sessions GROUP BY ALL HAVING sum(checkpoints_failed) > 0""").fetchall()
    return [Flag(d, "verification-failed", f"{n} checkpoints failed ({kwh:.4f} kWh)", day) for d, day, n, kwh in rows]


def _clones(con: duckdb.DuckDBPyConnection) -> list[Flag]:
    rows = con.execute(f"""
        WITH picked AS (
            SELECT DISTINCT device, codes_fp FROM rollups
            WHERE p_mean > {LIT_W} AND codes_fp <> 0 AND codes_fp % {CLONE_SAMPLE} = 0),
        n AS (SELECT device, count(*) AS picked FROM picked GROUP BY device)
        SELECT a.device, b.device, count(*) AS shared, least(na.picked, nb.picked) AS smaller
        FROM picked a JOIN picked b ON a.codes_fp = b.codes_fp AND a.device < b.device
        JOIN n na ON na.device = a.device JOIN n nb ON nb.device = b.device
        GROUP BY ALL HAVING count(*) >= {CLONE_MIN_MATCHES} AND count(*) >= {CLONE_MIN_SHARE} * smaller
    """).fetchall()
    out = []
    for a, b, shared, smaller in rows:
        text = f"{shared} of {smaller} sampled daylight seconds carry the same raw codes"
        out += [Flag(a, "cloned-stream", text, other=b), Flag(b, "cloned-stream", text, other=a)]
    return out


def _neighbours(register: dict[str, tuple[str, float, float]], devices: list[str]) -> dict[str, list[str]]:
    known = [d for d in devices if d.lower() in register]
    if len(known) < 2:
        return {}
    lat = np.radians([register[d.lower()][1] for d in known])
    lon = np.radians([register[d.lower()][2] for d in known])
    out: dict[str, list[str]] = {}
    for k, d in enumerate(known):  # haversine distance to every other device: O(n²) floats, fine for 10⁴
        h = np.sin((lat - lat[k]) / 2) ** 2 + np.cos(lat[k]) * np.cos(lat) * np.sin((lon - lon[k]) / 2) ** 2
        km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
        near = np.flatnonzero(km <= NEIGHBOUR_KM)
        out[d] = [known[j] for j in near if j != k]
    return out


def _not_like_neighbours(con: duckdb.DuckDBPyConnection, neighbours: dict[str, list[str]]) -> list[Flag]:
    pairs = [(d, n) for d, ns in neighbours.items() for n in ns]
    if not pairs:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE pairs (device VARCHAR, neighbour VARCHAR)")
    con.executemany("INSERT INTO pairs VALUES (?, ?)", pairs)
    rows = con.execute(f"""
        WITH prof AS (
            SELECT device, time_bucket(INTERVAL {PROFILE_MINUTES} MINUTE, t) AS b, avg(p_mean) AS p
            FROM rollups GROUP BY ALL),
        nmean AS (
            SELECT pairs.device, n.b, avg(n.p) AS p, count(*) AS k
            FROM pairs JOIN prof n ON n.device = pairs.neighbour GROUP BY ALL)
        SELECT a.device, corr(a.p, m.p) AS r, max(m.k) AS k, count(*) AS buckets
        FROM prof a JOIN nmean m ON m.device = a.device AND m.b = a.b
        GROUP BY a.device""").fetchall()
    out = []
    for device, r, k, buckets in rows:
        if k < MIN_NEIGHBOURS or buckets < 24:
            continue
        if r is None or math.isnan(r) or r < MIN_CORRELATION:
            shown = "undefined (its power does not vary)" if r is None or math.isnan(r) else f"{r:.2f}"
            out.append(Flag(device, "not-like-neighbours", f"correlation with {k} neighbours' mean power: {shown}"))
    return out


def _calibration_jumps(con: duckdb.DuckDBPyConnection) -> list[Flag]:
    """Runs of one calibration id per device and day, in time order; where the id changes, compare the
    run's high-percentile power with the run before (each with at least JUMP_MIN_LIT_S seconds of sun)."""
    rows = con.execute(f"""
        WITH seg AS (
            SELECT device, CAST(date AS VARCHAR) AS day, calibration_id AS cal, min(t) AS t0,
                   quantile_cont(p_mean, {JUMP_QUANTILE}) FILTER (WHERE p_mean > {LIT_W}) AS p_hi,
                   count(*) FILTER (WHERE p_mean > {LIT_W}) AS lit
            FROM rollups GROUP BY device, date, calibration_id),
        seq AS (
            SELECT *, lag(cal) OVER w AS prev_cal, lag(p_hi) OVER w AS prev_p, lag(lit) OVER w AS prev_lit
            FROM seg WINDOW w AS (PARTITION BY device ORDER BY t0))
        SELECT device, day, prev_cal, cal, prev_p, p_hi FROM seq
        WHERE prev_cal IS NOT NULL AND prev_cal <> cal AND prev_lit >= {JUMP_MIN_LIT_S} AND lit >= {JUMP_MIN_LIT_S}
          AND (p_hi / prev_p > {JUMP_FACTOR} OR p_hi / prev_p < 1.0 / {JUMP_FACTOR})""").fetchall()
    return [Flag(d, "calibration-jump", f"{JUMP_QUANTILE:.0%} power {b:.1f} W -> {a:.1f} W (x{a / b:.2f}) "
                 f"after calibration {c0} -> {c1}", day) for d, day, c0, c1, b, a in rows]
