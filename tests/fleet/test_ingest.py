"""`csm fleet ingest`: verified roll-ups in a Hive-partitioned lake; the same file twice changes nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import h5py
import numpy as np
import pytest

from carbon_smart_meter.cli import main
from carbon_smart_meter.energy.verified import verify_file
from carbon_smart_meter.fleet import lake as L
from carbon_smart_meter.fleet.ingest import ingest
from carbon_smart_meter.fleet.rollup import rollup_file


def _tree(lake: Path) -> dict[str, str]:
    return {str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


def test_the_seconds_of_a_file_add_up_to_its_verified_energy_and_carry_its_calibration(small_fleet):
    path = small_fleet.paths[0]
    r = rollup_file(path)
    v = verify_file(path)
    assert v.ok
    t = r.rollups.to_pydict()
    assert len(t["t"]) == 86_400  # 1 Hz: every second of the day
    assert sum(t["verified_wh"]) / 1e3 == pytest.approx(v.verified_kwh, rel=1e-9)
    assert sum(t["energy_wh"]) / 1e3 == pytest.approx(v.verified_kwh + v.unverifiable_kwh + v.failed_kwh, rel=1e-9)
    assert set(t["calibration_id"]) == {"F1000-A"}
    assert set(t["status"]) <= {"verified", "unverifiable"}
    assert min(t["coverage"]) > 0.99
    p_mean = np.asarray(t["p_mean"])
    assert np.all(np.asarray(t["p_min"]) <= p_mean + 1e-4) and np.all(p_mean <= np.asarray(t["p_max"]) + 1e-4)


def test_a_tampered_interval_is_failed_in_the_lake_and_its_seconds_count_no_verified_energy(small_fleet, tmp_path):
    copy = tmp_path / "tampered.h5"
    shutil.copy(small_fleet.paths[0], copy)
    with h5py.File(copy, "r+") as f:
        codes = f["samples"]["current_code"]
        codes[43_200] = codes[43_200] + 1000  # a code at noon
    v = verify_file(copy)
    assert not v.ok and v.failed_kwh > 0
    r = rollup_file(copy)
    t = r.rollups.to_pydict()
    failed = [k for k, s in enumerate(t["status"]) if s == "failed"]
    assert failed and all(t["verified_wh"][k] == 0 for k in failed)
    # the hash chain breaks at the edited code, so verify_file fails every signed interval of the file; the
    # energy of the seconds marked failed is the failed energy verify_file reports
    assert sum(t["energy_wh"][k] for k in failed) / 1e3 == pytest.approx(v.failed_kwh, rel=1e-6)
    assert sum(t["verified_wh"]) / 1e3 == pytest.approx(v.verified_kwh, rel=1e-9)
    assert r.session.column("verified")[0].as_py() is False


def test_ingest_writes_hive_partitions_and_ingesting_again_changes_nothing(small_fleet, tmp_path):
    lake = tmp_path / "lake"
    files = small_fleet.paths[:4]
    first = ingest(files, lake)
    assert len(first.ingested) == 4 and not first.failed
    device = small_fleet.address_of_seed(1000)
    assert (lake / "rollups" / f"device={device}" / "date=2026-06-20").is_dir()
    before = _tree(lake)
    again = ingest([*files, small_fleet.sessions / files[0].name], lake)  # the same files, and one named twice
    assert len(again.skipped) == 4 and not again.ingested
    assert _tree(lake) == before

    # a copy of a file under another name is the same content: nothing new either
    copy = tmp_path / "renamed.h5"
    shutil.copy(files[0], copy)
    assert len(ingest([copy], lake).skipped) == 1 and _tree(lake) == before

    # an ingest that died before its marker is redone whole, to the same bytes
    sha = next(iter(first.ingested))["sha256"]
    L.marker_path(lake, sha).unlink()
    redo = ingest(files, lake)
    assert len(redo.ingested) == 1 and _tree(lake) == before

    con = duckdb.connect()
    rows = con.execute("SELECT device, CAST(date AS VARCHAR), count(*), count(DISTINCT calibration_id) FROM "
                       f"read_parquet('{L.glob(lake, 'rollups')}', hive_partitioning = true) GROUP BY ALL "
                       "ORDER BY 1, 2").fetchall()
    assert len(rows) == 4 and all(n == 86_400 and cals == 1 for _, _, n, cals in rows)
    ck = con.execute(f"SELECT count(*), count(DISTINCT status) FROM read_parquet('{L.glob(lake, 'checkpoints')}', "
                     "hive_partitioning = true)").fetchone()
    assert ck[0] >= 4 * 288


def test_a_broken_file_is_one_line_and_the_others_are_ingested(small_fleet, tmp_path, capsys):
    bad = tmp_path / "in" / "broken.h5"
    bad.parent.mkdir()
    bad.write_bytes(b"not an HDF5 file" * 100)
    shutil.copy(small_fleet.paths[0], tmp_path / "in" / small_fleet.paths[0].name)
    code = main(["fleet", "ingest", str(tmp_path / "in"), "--to", str(tmp_path / "lake"), "--quiet"])
    out = capsys.readouterr()
    assert code == 1
    [line] = [s for s in out.err.splitlines() if "broken.h5" in s]
    assert "not ingested" in line
    assert "1 ingested" in out.out and "1 failed" in out.out


def test_missing_input_is_one_clear_line(tmp_path, capsys):
    assert main(["fleet", "ingest", str(tmp_path / "nowhere"), "--to", str(tmp_path / "lake")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "neither a session file nor a directory" in err[0]
