"""`csm fleet export`: no address or exact place leaves, only verified seconds, flagged devices withheld."""

from __future__ import annotations

import duckdb
import pytest
from tests.fleet.fleet_helpers import expected_flags

from carbon_smart_meter.cli import main
from carbon_smart_meter.fleet.anonymise import export, pseudonym
from carbon_smart_meter.fleet.ingest import ingest


@pytest.fixture(scope="module")
def lake(small_fleet, tmp_path_factory):
    lake = tmp_path_factory.mktemp("export-lake")
    ingest([small_fleet.sessions], lake, sites=small_fleet.sites)
    return lake


def test_export_is_anonymous_verified_and_licensed(small_fleet, lake, tmp_path):
    r = export(lake, tmp_path / "out", grid_deg=1.0, min_devices_per_cell=3)
    flagged = set().union(*expected_flags(small_fleet).values())
    assert r.withheld_flagged == len(flagged) and r.devices == len(small_fleet.plan.devices) - len(flagged)
    blob = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    for d in small_fleet.plan.devices:
        assert d.address[2:].encode() not in blob and d.address[2:].upper().encode() not in blob
        assert f"{d.site.latitude}".encode() not in blob  # exact places stay home
    con = duckdb.connect()
    rows = con.execute(f"SELECT device_id, cell_lat, cell_lon, sum(energy_wh) FROM read_parquet('{tmp_path}/out/"
                       "generation/**/*.parquet', hive_partitioning = true) GROUP BY ALL").fetchall()
    salt = (lake / "_export_salt").read_bytes().strip()
    honest = {pseudonym(d.address, salt): d for d in small_fleet.plan.devices if d.address not in flagged}
    assert {row[0] for row in rows} == set(honest)
    for device_id, lat, lon, wh in rows:
        site = honest[device_id].site
        assert lat == (site.latitude // 1 + 0.5) and lon == (site.longitude // 1 + 0.5)
        assert wh > 0
    # only verified seconds: the lake's verified energy of the shared devices, to the rounding of Parquet
    shared = tuple(d.address for d in honest.values())
    verified = duckdb.connect().execute(
        f"SELECT sum(verified_wh) FROM read_parquet('{lake}/rollups/**/*.parquet', hive_partitioning = true) "
        f"WHERE device IN {shared}").fetchone()[0]
    assert r.kwh * 1000 == pytest.approx(verified, rel=1e-9)
    readme = (tmp_path / "out" / "README.txt").read_text()
    assert "Creative Commons Attribution 4.0" in readme and "1° x 1°" in readme

    # the same salt gives the same ids; a sparse-cell rule withholds whole cells
    again = export(lake, tmp_path / "again", min_devices_per_cell=100)
    assert again.devices == 0 and again.withheld_sparse == r.devices


def test_export_refuses_a_used_directory_and_a_lake_without_sites(small_fleet, tmp_path, capsys):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    lake = tmp_path / "lake"
    ingest(small_fleet.paths[:2], lake)
    assert main(["fleet", "export", str(lake), "--to", str(tmp_path / "used")]) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["fleet", "export", str(lake), "--to", str(tmp_path / "new")]) == 1
    assert "sites register" in capsys.readouterr().err
