"""The version-2 rule vectors (cap_clock.json, halving.json, guards.json) as typed cases.

One loader for every implementation under test: the Python model here, the Vyper contract in
tests/onchain/evm; the Solana program reads the same files. Each case is a device state, an optional
network state, an optional bind and an optional claim, each with its expected outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState

VECTORS = Path(__file__).resolve().parents[2] / "onchain" / "vectors"
FILES = ("cap_clock.json", "halving.json", "guards.json")


@dataclass(frozen=True)
class Step:
    seq: int
    energy_mwh: int
    device_time: int
    now: int
    expect: dict[str, Any]


@dataclass(frozen=True)
class RuleCase:
    file: str
    name: str
    params: PayoutParams
    device: DeviceState
    has_state: bool
    network: NetworkState
    bind: Step | None
    claim: Step | None

    @property
    def id(self) -> str:
        return f"{self.file.removesuffix('.json')}: {self.name}"


def _step(data: dict[str, Any] | None) -> Step | None:
    if data is None:
        return None
    return Step(data["seq"], data["energy_mwh"], data["device_time"], data["now"], data["expect"])


def network_from(data: dict[str, Any]) -> NetworkState:
    return NetworkState(data["energy_mwh"], data["era"], data["era_left_mwh"], data["window_used_mwh"],
                        data["window_time"])


def load_cases() -> list[RuleCase]:
    cases = []
    for name in FILES:
        doc = json.loads((VECTORS / name).read_text())
        for c in doc["cases"]:
            params = PayoutParams.from_json({**doc["params"], **c.get("params", {})})
            d = c["device"]
            device = DeviceState(d["rated_w"], d["region"], d["last_seq"], d["last_energy_mwh"], d["last_time"],
                                 d["bound"], d.get("revoked", False))
            network = (network_from(c["network"]) if "network" in c
                       else NetworkState.at_energy(0, params.era_length_mwh))
            cases.append(RuleCase(name, c["name"], params, device, d.get("has_state", True), network,
                                  _step(c.get("bind")), _step(c.get("claim"))))
    return cases


CASES = load_cases()
