"""Helpers for live-session tests: simulators at local noon (so power is not zero) and calibration records."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from carbon_smart_meter.devices.sim_device import I_LSB, V_LSB
from carbon_smart_meter.devices.simulator import SimulatedAdapter


def noon_unix() -> float:
    return dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0).timestamp()


def noon_simulator(seed: int = 5, rate: int = 1000, checkpoint_interval_s: int = 1, **options) -> SimulatedAdapter:
    return SimulatedAdapter(rate=rate, seed=seed, panel_watts=60, start_unix=noon_unix(),
                            checkpoint_interval_s=checkpoint_interval_s, **options).open()


def write_record(root: Path, address: bytes, voltage_gain: float = 2.0, record_id: str = "GAIN-2X") -> Path:
    """A valid record for a simulator: its factory scales, with the voltage gain given (offsets zero)."""
    device = "0x" + address.hex()
    folder = root / device
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"2026-11-01_{record_id}.toml"
    path.write_text(f'''schema = "csm-calibration/1"
id = "{record_id}"
date = 2026-11-01
expires = 2099-11-01
operator = "test"

[device]
address = "{device}"
sensor_model = "simulated INA228"

[sensor]
shunt = "1 ohm"
shunt_lsb = "{I_LSB!r} V"
voltage_lsb = "{V_LSB * 1e6!r} uV"

[voltage]
gain = "{voltage_gain!r}"
offset = "0 mV"
uncertainty = "0.05 %"

[current]
gain = "1"
offset = "0 mA"
uncertainty = "0.1 %"

[reference]
instrument = "test bench"
certificate = "none (test)"
''', encoding="utf-8")
    return path


def wait_until(condition, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
