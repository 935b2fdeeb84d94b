"""`csm fleet report`: the planted cases are found, and no honest device is flagged."""

from __future__ import annotations

import json

import pytest
from tests.fleet.fleet_helpers import assert_exactly_the_planted_cases, expected_flags

from carbon_smart_meter.cli import main
from carbon_smart_meter.fleet.ingest import ingest
from carbon_smart_meter.fleet.report import fleet_report


@pytest.fixture(scope="module")
def lake(small_fleet, tmp_path_factory):
    lake = tmp_path_factory.mktemp("lake")
    r = ingest([small_fleet.sessions], lake, sites=small_fleet.sites)
    assert not r.failed and len(r.ingested) == len(small_fleet.paths)
    return lake


def test_the_planted_cases_and_nothing_else(small_fleet, lake):
    report = fleet_report(lake)
    assert report.devices == len(small_fleet.plan.devices) and report.device_days == len(small_fleet.paths)
    assert_exactly_the_planted_cases(report, small_fleet)
    # the honest recalibration (0.3 % off) on day 2 is not a jump
    recal = small_fleet.plan.devices[1]
    days = [r for r in report.per_day if r["device"] == recal.address]
    assert [r["calibration"] for r in days] == [f"F{recal.seed}-A", f"F{recal.seed}-B"]
    # all but the first five minutes of a device's first day (before its first checkpoint) are verified
    assert all(r["verified_kwh"] >= 0.98 * r["kwh"] and r["coverage"] > 0.99 for r in report.per_day)
    assert sum(r["verified_kwh"] == pytest.approx(r["kwh"]) for r in report.per_day) >= len(report.per_day) // 2


def test_without_a_sites_register_the_neighbour_check_says_it_did_not_run(small_fleet, tmp_path):
    lake = tmp_path / "lake"
    ingest(small_fleet.paths[:6], lake)
    report = fleet_report(lake)
    assert any("no sites register" in n for n in report.notes)
    assert not report.flagged("not-like-neighbours")


def test_report_command_text_and_json(small_fleet, lake, capsys):
    assert main(["fleet", "report", str(lake)]) == 0
    text = capsys.readouterr().out
    assert f"{len(small_fleet.plan.devices)} devices" in text and "cloned-stream" in text
    assert main(["fleet", "report", str(lake), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {f["check"] for f in data["flags"]} == set(expected_flags(small_fleet)) and "rules" in data


def test_report_on_an_empty_lake_is_one_clear_line(tmp_path, capsys):
    assert main(["fleet", "report", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "csm fleet ingest" in err[0]
