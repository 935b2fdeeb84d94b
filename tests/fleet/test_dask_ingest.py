"""The same ingest job on a Dask distributed cluster (worker processes, as HDF5 needs): the same lake."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from carbon_smart_meter.cli import main
from carbon_smart_meter.fleet.ingest import ingest


def _tree(lake: Path) -> dict[str, str]:
    return {str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*.parquet"))}


@pytest.mark.timeout(300)
def test_a_local_cluster_of_two_worker_processes_writes_the_lake_ingest_writes_here(small_fleet, tmp_path, capsys):
    from distributed import LocalCluster

    files = small_fleet.paths[:6]
    here = ingest(files, tmp_path / "here")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(["fleet", "ingest", *map(str, files), "--to", str(tmp_path / "there"), "--scheduler",
                     cluster.scheduler_address, "--quiet"])
        out = capsys.readouterr().out
        assert code == 0 and "6 ingested" in out and "Dask cluster" in out
        again = ingest(files, tmp_path / "there", scheduler=cluster.scheduler_address)
    assert len(here.ingested) == 6 and len(again.skipped) == 6
    assert _tree(tmp_path / "here") == _tree(tmp_path / "there")


def test_an_unreachable_scheduler_is_one_clear_line(small_fleet, tmp_path, capsys):
    code = main(["fleet", "ingest", str(small_fleet.paths[0]), "--to", str(tmp_path / "lake"),
                 "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "dask scheduler" in err[0].lower()
