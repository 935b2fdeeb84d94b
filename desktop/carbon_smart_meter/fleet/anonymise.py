"""`csm fleet export`: an anonymised generation data set from the lake, fit to share or sell.

What leaves: per device and minute, verified energy and mean power, the device's rating and region, and
its place coarsened to the centre of a `grid_deg` x `grid_deg` cell (1° is about 111 km north-south).
What does not: device addresses (each replaced by HMAC-SHA-256 of the address under the operator's secret
salt, so the same device keeps the same id across exports and nobody without the salt can link it back),
exact places, file paths, calibration ids, seconds, and every second that is not verified. Devices the
fleet report flags (cloned, over rating, not like their neighbours...) are withheld, and so are devices
in a cell with fewer than `min_devices_per_cell` devices (one device in a cell would be one home).
The data set carries its licence and this description in README.txt next to the Parquet files.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.fleet.report import connect, fleet_report, read_sites

DEFAULT_LICENCE = "CC-BY-4.0"
LICENCE_TEXT = {
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International (https://creativecommons.org/licenses/by/4.0/)",
    "CC0-1.0": "Creative Commons Zero 1.0 Universal (https://creativecommons.org/publicdomain/zero/1.0/)",
    "ODbL-1.0": "Open Database License 1.0 (https://opendatacommons.org/licenses/odbl/1-0/)",
}
SALT_FILE = "_export_salt"  # in the lake, never in the export


@dataclass
class ExportResult:
    out: Path
    devices: int
    withheld_flagged: int
    withheld_sparse: int
    withheld_unplaced: int
    rows: int
    kwh: float


def load_or_make_salt(lake: Path, salt_file: Path | None) -> bytes:
    path = salt_file or lake / SALT_FILE
    if path.is_file():
        salt = path.read_bytes().strip()
        if len(salt) < 16:
            raise CsmError(f"the salt in {path} is shorter than 16 bytes; give a longer secret")
        return salt
    if salt_file is not None:
        raise CsmError(f"salt file {salt_file} does not exist")
    salt = secrets.token_hex(32).encode()
    path.write_bytes(salt + b"\n")
    path.chmod(0o600)
    return salt


def pseudonym(address: str, salt: bytes) -> str:
    return hmac.new(salt, address.lower().encode(), hashlib.sha256).hexdigest()[:20]


def cell_centre(value: float, grid_deg: float) -> float:
    return round((value // grid_deg + 0.5) * grid_deg, 6)


def export(lake: Path | str, out: Path | str, *, sites: Path | None = None, salt_file: Path | None = None,
           grid_deg: float = 1.0, min_devices_per_cell: int = 3, licence: str = DEFAULT_LICENCE,
           publisher: str = "the fleet operator") -> ExportResult:
    lake, out = Path(lake), Path(out)
    if grid_deg <= 0 or grid_deg > 90:
        raise CsmError("--grid must be between 0 and 90 degrees")
    if licence not in LICENCE_TEXT:
        raise CsmError(f"licence {licence!r} is not one of {', '.join(LICENCE_TEXT)}")
    if out.exists() and any(out.iterdir()):
        raise CsmError(f"{out} is not empty; export into a new directory")
    sites = sites or (lake / "sites.csv" if (lake / "sites.csv").is_file() else None)
    if sites is None:
        raise CsmError("an export needs the sites register (--sites, or ingest with --sites) to coarsen places")
    register = read_sites(sites)
    salt = load_or_make_salt(lake, salt_file)
    report = fleet_report(lake, sites)
    flagged = report.flagged()
    con = connect(lake)
    meta = con.execute("SELECT device, max(rated_w), any_value(region) FROM sessions GROUP BY device").fetchall()
    cells: dict[tuple[float, float], list[tuple[str, int, str]]] = {}
    unplaced = 0
    for device, rated, region in meta:
        if device in flagged:
            continue
        place = register.get(device.lower())
        if place is None:
            unplaced += 1
            continue
        cell = (cell_centre(place[1], grid_deg), cell_centre(place[2], grid_deg))
        cells.setdefault(cell, []).append((device, int(rated or 0), str(region or "")))
    rows, sparse = [], 0
    for (lat, lon), members in cells.items():
        if len(members) < min_devices_per_cell:
            sparse += len(members)
            continue
        rows += [(d, pseudonym(d, salt), rated, region, lat, lon) for d, rated, region in members]
    out.mkdir(parents=True, exist_ok=True)
    con.execute("CREATE TEMP TABLE shared (device VARCHAR, device_id VARCHAR, rated_w INTEGER, region VARCHAR, "
                "cell_lat DOUBLE, cell_lon DOUBLE)")
    if rows:
        con.executemany("INSERT INTO shared VALUES (?, ?, ?, ?, ?, ?)", rows)
    target = str(out / "generation").replace("'", "''")
    con.execute(f"""
        COPY (
            SELECT s.device_id, s.rated_w, s.region, s.cell_lat, s.cell_lon, r.date,
                   time_bucket(INTERVAL 1 MINUTE, r.t) AS minute,
                   sum(r.verified_wh) AS energy_wh, avg(r.p_mean) AS mean_power_w, count(*) AS verified_seconds
            FROM rollups r JOIN shared s USING (device)
            WHERE r.status = 'verified'
            GROUP BY ALL ORDER BY s.device_id, minute
        ) TO '{target}' (FORMAT parquet, PARTITION_BY (date), COMPRESSION zstd)""")
    n, kwh = 0, 0.0
    if rows:
        got = con.execute(f"SELECT count(*), coalesce(sum(energy_wh), 0) / 1000 FROM read_parquet("
                          f"'{target}/**/*.parquet')").fetchone()
        n, kwh = (got[0], got[1]) if got is not None else (0, 0.0)
    (out / "README.txt").write_text(_readme(licence, publisher, grid_deg, min_devices_per_cell, len(rows), flagged,
                                            sparse), encoding="utf-8")
    return ExportResult(out, len(rows), len(flagged), sparse, unplaced, int(n), float(kwh))


def _readme(licence: str, publisher: str, grid_deg: float, k: int, devices: int, flagged: set[str],
            sparse: int) -> str:
    return f"""Solar generation from portable panels, anonymised (Carbon Smart Meter fleet export)

Licence: {licence}, {LICENCE_TEXT[licence]}.
Licensor: {publisher}. Attribute as "{publisher}, Carbon Smart Meter fleet data".

Contents: generation/date=YYYY-MM-DD/*.parquet, one row per device and UTC minute:
  device_id         HMAC-SHA-256 of the device address under a secret salt (first 20 hex digits); stable
                    across exports with the same salt, not reversible without it
  rated_w, region   the panel rating attested by the device, the region code of its recordings
  cell_lat/cell_lon the centre of the {grid_deg:g}° x {grid_deg:g}° latitude/longitude cell the device stands in
  minute            UTC start of the minute
  energy_wh         energy of the verified seconds of that minute (signed checkpoints, `csm verify`)
  mean_power_w      mean power over those seconds
  verified_seconds  how many seconds of the minute are verified

Only seconds whose signed checkpoint interval verified are included. {devices} devices are included;
{len(flagged)} devices flagged by the fleet's fraud checks and {sparse} devices in cells with fewer than {k}
devices were withheld. No addresses, exact places, file names or calibration records are included.
Energy is as measured by each device's calibrated meter; it is not a certified meter reading.
"""
