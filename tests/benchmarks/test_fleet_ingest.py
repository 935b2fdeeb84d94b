"""Fleet ingest: device-days per minute in this process and on a 2-worker Dask cluster, and the report's time.

`make bench` runs it on the issue's 1,000 device-days (tens of minutes on 2 cores) and prints the
figures; `make test` on 100 (a few minutes). Alone:
    CSM_FLEET_DEVICE_DAYS=1000 pytest -q -s tests/benchmarks/test_fleet_ingest.py
The fleet is the simulator's, written fast (fleet.synthetic: 1 Hz, two days a device) with the planted
fraud cases among the honest devices; the report over the cluster's lake must find exactly them. The
ratio is the cluster's rate over this process's, measured in the same run on the same files.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from tests.fleet.fleet_helpers import assert_exactly_the_planted_cases, make_fleet

from carbon_smart_meter.fleet.ingest import ingest
from carbon_smart_meter.fleet.report import fleet_report

DEVICE_DAYS = int(os.environ.get("CSM_FLEET_DEVICE_DAYS", "100"))


def _contents(lake: Path) -> dict[str, str]:
    return {str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest() for p in lake.rglob("*.parquet")}


@pytest.mark.timeout(6 * 3600)
def test_fleet_ingest_here_and_on_two_dask_workers_and_the_report(tmp_path):
    from distributed import LocalCluster

    t0 = time.perf_counter()
    fleet = make_fleet(tmp_path, honest_devices=DEVICE_DAYS // 2, devices_per_site=10)
    n = len(fleet.paths)
    print(f"\nfleet: {n} simulated device-days ({len(fleet.plan.devices)} devices, 1 Hz) written in "
          f"{time.perf_counter() - t0:.0f} s")

    here = ingest([fleet.sessions], tmp_path / "lake-here", sites=fleet.sites)
    assert len(here.ingested) == n and not here.failed
    rate_here = n / here.wall_s * 60
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        there = ingest([fleet.sessions], tmp_path / "lake-dask", sites=fleet.sites,
                       scheduler=cluster.scheduler_address)
    assert len(there.ingested) == n and not there.failed
    rate_dask = n / there.wall_s * 60
    ratio = rate_dask / rate_here
    print(f"ingest in one process (DuckDB alone): {rate_here:.0f} device-days/min ({here.wall_s:.0f} s)")
    print(f"ingest on a 2-worker Dask LocalCluster: {rate_dask:.0f} device-days/min ({there.wall_s:.0f} s)")
    print(f"ratio Dask / one process: {ratio:.2f} (on {os.cpu_count()} CPUs)")
    assert _contents(tmp_path / "lake-here") == _contents(tmp_path / "lake-dask")

    t1 = time.perf_counter()
    report = fleet_report(tmp_path / "lake-dask")
    print(f"fleet report over {report.device_days} device-days: {time.perf_counter() - t1:.1f} s "
          f"({len(report.flags)} flags on {len(report.flagged())} devices)")
    assert_exactly_the_planted_cases(report, fleet)
    # two processes on two or more CPUs: the cluster is not slower than one process
    assert ratio > 1.0 or (os.cpu_count() or 1) < 2
