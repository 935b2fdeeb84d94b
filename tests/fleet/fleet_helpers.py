"""A simulated fleet with the planted cases (1 Hz, two days a device), and what the report must find in it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from carbon_smart_meter.fleet.synthetic import Calibration, FleetPlan, fleet_plan, write_fleet, write_sites_csv


@dataclasses.dataclass
class Fleet:
    plan: FleetPlan
    sessions: Path
    sites: Path
    paths: list[Path]

    def planted(self, kind: str) -> str:
        [d] = [d for d in self.plan.devices if d.planted == kind]
        return d.address

    def address_of_seed(self, seed: int) -> str:
        [d] = [d for d in self.plan.devices if d.seed == seed]
        return d.address


def with_honest_recalibration(plan: FleetPlan) -> FleetPlan:
    """The second honest device recalibrated on day 2 with a record 0.3 % off the first: not a jump."""
    devices = list(plan.devices)
    d = devices[1]
    devices[1] = dataclasses.replace(d, calibrations=(*d.calibrations, Calibration(f"F{d.seed}-B", 1.003, 0.998, 1)))
    return dataclasses.replace(plan, devices=tuple(devices))


def make_fleet(root: Path, honest_devices: int, devices_per_site: int = 8) -> Fleet:
    plan = with_honest_recalibration(fleet_plan(2 * honest_devices, days=2, rate_hz=1, planted=True,
                                                devices_per_site=devices_per_site))
    paths = write_fleet(plan, root / "sessions", workers=2)
    return Fleet(plan, root / "sessions", write_sites_csv(plan, root / "sites.csv"), paths)



def expected_flags(fleet) -> dict[str, set[str]]:
    clone = next(d for d in fleet.plan.devices if d.planted == "clone")
    return {
        "over-rating": {fleet.planted("over-rating")},
        "over-clear-sky": {fleet.planted("over-rating")},
        "cloned-stream": {clone.address, fleet.address_of_seed(clone.stream_seed)},  # a pair: which one copied?
        "not-like-neighbours": {fleet.planted("uncorrelated")},
        "calibration-jump": {fleet.planted("doubled-calibration")},
    }


def assert_exactly_the_planted_cases(report, fleet) -> None:
    expected = expected_flags(fleet)
    found = {check: report.flagged(check) for check in expected}
    assert found == expected
    others = report.flagged() - set().union(*expected.values())
    assert not others, [f for f in report.flags if f.device in others]
    honest = {d.address for d in fleet.plan.devices if not d.planted}
    assert report.flagged() & honest == {fleet.address_of_seed(next(
        d for d in fleet.plan.devices if d.planted == "clone").stream_seed)}
