"""A simulated fleet written fast: the simulator's device model driven without a clock into real session files.

`csm simulate --speed X` would need a pty, a reader thread and a recorder per device, and a day of a
device at 10 Hz still takes minutes of wall time. A fleet of a thousand device-days needs another way
that stays representative of what ingest meets. This module drives `devices.sim_device.SimulatedDevice`
(the same solar day, noise, sample codes, hash chain and secp256k1 checkpoints from the development
keys as `csm simulate`) block by block with no clock, and hands each record straight to the real
`storage.session_file.SessionFile` writer, as the recorder would: a file per device per UTC day that
starts with the previous day's last checkpoint as its anchor (daily rotation), a calibration record
embedded, and the device's signed checkpoints every `checkpoint_s`. What is skipped is only the link
(pty, framing, the hub), which ingest never sees; every byte ingest reads is what a recording holds.

Fraud cases are planted through the same path: a device whose attested rating is below what its panel
delivers, a device whose stream is another device's (same samples under its own key: a cloned device),
a device recalibrated with a record that doubles its power, and a device fed by a flat bench supply
(day and night: its output does not follow its neighbours' sun).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.calibration.record import parse_record
from carbon_smart_meter.devices.sim_device import I_LSB, V_LSB, SimulatedDevice, SimulatorStats
from carbon_smart_meter.devices.solar import SolarDay
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.storage.session_file import SessionFile

DAY_S = 86_400
HOST_DELAY_NS = 40_000_000  # a block reaches the host 40 ms after its last sample


@dataclass(frozen=True)
class Site:
    name: str
    latitude: float
    longitude: float
    region: str


@dataclass(frozen=True)
class Calibration:
    """A calibration record that applies from `from_day` (index into the device's days) on."""

    record_id: str
    gain_v: float = 1.0
    gain_i: float = 1.0
    from_day: int = 0


@dataclass(frozen=True)
class DeviceSpec:
    seed: int                       # the simulator's device key (development seed) and, by default, its sun
    site: Site
    rated_w: int = 50               # attested by the manufacturer, in every HELLO
    panel_w: float | None = None    # what the panel delivers (None: rated_w)
    stream_seed: int | None = None  # another device's seed: the same samples, signed by this key (a clone)
    calibrations: tuple[Calibration, ...] = ()
    bench_supply_w: float | None = None  # a flat supply day and night instead of the sun
    planted: str = ""               # what fraud this device carries ("" for an honest one)

    @property
    def address(self) -> str:
        from carbon_smart_meter.devices.identity import simulator_key

        return "0x" + simulator_key(self.seed).address.hex()


@dataclass(frozen=True)
class FleetPlan:
    devices: tuple[DeviceSpec, ...]
    start: dt.date
    days: int
    rate_hz: int = 10
    block_s: int = 60          # the accelerated simulator sends blocks of rate*speed/50 samples: large blocks
    checkpoint_s: int = 300
    compression: str = "blosc-lz4"
    sites: tuple[Site, ...] = field(default=())

    @property
    def device_days(self) -> int:
        return len(self.devices) * self.days


def calibration_text(address: str, cal: Calibration, day: dt.date) -> str:
    """A calibration record for a simulated adapter: its factory scales with the given gains."""
    return f'''schema = "csm-calibration/1"
id = "{cal.record_id}"
date = {day.isoformat()}
expires = {(day + dt.timedelta(days=365)).isoformat()}
operator = "Fleet test lab (simulated devices)"

[device]
address = "{address}"
sensor_model = "INA228"

[sensor]
shunt = "1 ohm"
shunt_lsb = "{I_LSB!r} V"
voltage_lsb = "{V_LSB!r} V"

[voltage]
gain = "{cal.gain_v!r}"
offset = "0 V"
uncertainty = "0.05 %"

[current]
gain = "{cal.gain_i!r}"
offset = "0 A"
uncertainty = "0.1 %"

[reference]
instrument = "Keysight 34465A 6.5-digit DMM"
certificate = "FLEET-SIM (illustrative)"
'''


def _conversion(spec: DeviceSpec, day_index: int, start: dt.date) -> Conversion:
    cals = [c for c in spec.calibrations if c.from_day <= day_index]
    if not cals:
        return Conversion.factory(V_LSB, I_LSB)
    cal = max(cals, key=lambda c: c.from_day)
    dated = start + dt.timedelta(days=cal.from_day) - dt.timedelta(days=1)
    rec = parse_record(calibration_text(spec.address, cal, dated), f"{cal.record_id}.toml", device=spec.address,
                       today=dated)
    return Conversion.from_record(rec, factory_v_lsb=V_LSB, factory_i_lsb=I_LSB)


class _FileTransmitter:
    """The device's transmitter writing into the session file of the day, as the recorder would."""

    def __init__(self) -> None:
        self.file: SessionFile | None = None
        self.utc_ns = 0
        self.mono_offset_ns = 0

    def send(self, message: m.Message) -> bool:
        f = self.file
        if f is not None:
            utc = self.utc_ns
            mono = utc - self.mono_offset_ns
            if isinstance(message, m.SampleBlock):
                f.add_block(message, mono, utc)
            elif isinstance(message, m.Checkpoint):
                f.add_checkpoint(message, mono, utc)
            elif isinstance(message, m.Hello):
                f.add_hello(message, mono, utc)
        return True

    def restart_sequence(self) -> None:
        pass


class _BenchSupply:
    """A lab supply standing in for the sun: the same power day and night (SolarDay's interface)."""

    def __init__(self, watts: float, seed: int) -> None:
        self.watts = watts
        self._rng = np.random.default_rng(seed)

    def voltage_current(self, seconds: np.ndarray, noise: float = 0.002) -> tuple[np.ndarray, np.ndarray]:
        n = len(seconds)
        v = 12.0 * (1.0 + noise * self._rng.standard_normal(n))
        return v, self.watts / v * (1.0 + noise * self._rng.standard_normal(n))


def write_device(spec: DeviceSpec, plan: FleetPlan, out_dir: Path) -> list[Path]:
    """Every day of one device as its own session file in `out_dir`; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    start_unix = dt.datetime.combine(plan.start, dt.time(), dt.UTC).timestamp()
    tx = _FileTransmitter()
    tx.mono_offset_ns = int(start_unix * 1e9) - 1_000_000_000
    dev = SimulatedDevice(tx, SimulatorStats(), rate=plan.rate_hz, seed=spec.seed, panel_watts=spec.rated_w,
                          checkpoint_interval_s=plan.checkpoint_s, start_unix=start_unix,
                          longitude=spec.site.longitude)
    if spec.bench_supply_w is not None:
        dev.solar = _BenchSupply(spec.bench_supply_w, spec.seed)  # type: ignore[assignment]
    else:
        dev.solar = SolarDay(spec.panel_w or spec.rated_w, spec.stream_seed if spec.stream_seed is not None
                             else spec.seed)
    block = plan.block_s * plan.rate_hz
    per_day = DAY_S * plan.rate_hz
    checkpoint_every = plan.checkpoint_s * plan.rate_hz
    if per_day % block or checkpoint_every % block or per_day % checkpoint_every:
        raise ValueError("block_s must divide checkpoint_s, and checkpoint_s a day")
    paths: list[Path] = []
    anchor: m.Checkpoint | None = None
    for day in range(plan.days):
        date = plan.start + dt.timedelta(days=day)
        day_unix = start_unix + day * DAY_S
        path = out_dir / f"{date:%Y%m%d}T000000Z_sim{spec.seed}_{spec.address[2:10]}.h5"
        tx.utc_ns = int(day_unix * 1e9)
        f = SessionFile(path, source=f"sim{spec.seed}", hello=dev.hello(),
                        conversion=_conversion(spec, day, plan.start), profile="kiosk", region=spec.site.region,
                        compression=plan.compression)
        tx.file = f
        if anchor is not None:
            tx.send(anchor)  # the previous file's last checkpoint, at row 0: this file verifies on its own
        for k in range(0, per_day, block):
            b = dev.make_block(block)
            tx.utc_ns = int((day_unix + (k + block) / plan.rate_hz) * 1e9) + HOST_DELAY_NS
            dev.send(b)
            if (k + block) % checkpoint_every == 0:
                anchor = dev.checkpoint(day_unix + (k + block) / plan.rate_hz)
                dev.send(anchor)
        f.close()
        tx.file = None
        paths.append(path)
    return paths


def write_fleet(plan: FleetPlan, out_dir: Path | str, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Every device of the plan, spread over `workers` processes (default: the CPUs); returns the paths."""
    out = Path(out_dir)
    workers = workers or os.cpu_count() or 1
    paths: list[Path] = []
    if workers == 1:
        for k, spec in enumerate(plan.devices):
            paths += write_device(spec, plan, out)
            if progress:
                progress(k + 1, len(plan.devices))
        return paths
    with ProcessPoolExecutor(workers) as pool:
        for k, done in enumerate(pool.map(write_device, plan.devices, [plan] * len(plan.devices),
                                          [out] * len(plan.devices), chunksize=4)):
            paths += done
            if progress:
                progress(k + 1, len(plan.devices))
    return paths


# ---- fleets ---------------------------------------------------------------------------------------------
SITE_CENTRES = (  # places where a pool-side kiosk or a campervan may stand (northern summer, low latitudes)
    ("Mombasa", -4.04, 39.67, "KE"), ("Goa", 15.50, 73.83, "IN"), ("Bali", -8.65, 115.22, "ID"),
    ("Mallorca", 39.57, 2.65, "ES"), ("Crete", 35.34, 25.13, "GR"), ("Cancun", 21.16, -86.85, "MX"),
    ("Lagos", 6.45, 3.39, "NG"), ("Darwin", -12.46, 130.84, "AU"), ("Canarias", 28.29, -16.63, "ES"),
    ("Phuket", 7.88, 98.39, "TH"), ("Algarve", 37.02, -7.93, "PT"), ("Hawaii", 20.80, -156.33, "US"),
)


def sites(count: int) -> tuple[Site, ...]:
    """`count` sites; beyond the named places, numbered copies a little apart."""
    out = []
    for k in range(count):
        name, lat, lon, region = SITE_CENTRES[k % len(SITE_CENTRES)]
        lap = k // len(SITE_CENTRES)
        out.append(Site(f"{name}-{lap}" if lap else name, round(lat + 0.31 * lap, 4), round(lon + 0.37 * lap, 4),
                        region))
    return tuple(out)


def honest_fleet(devices: int, *, devices_per_site: int = 10, first_seed: int = 1000,
                 ratings: Iterable[int] = (30, 50, 80, 100)) -> list[DeviceSpec]:
    """Honest devices: attested ratings that their panels deliver, calibrated with small gains near 1."""
    rng = np.random.default_rng(first_seed)
    ratings = tuple(ratings)
    places = sites(math.ceil(devices / devices_per_site))
    out = []
    for k in range(devices):
        seed = first_seed + k
        gains = 1.0 + rng.normal(0.0, 0.002, 2)
        cal = Calibration(f"F{seed}-A", round(float(gains[0]), 5), round(float(gains[1]), 5))
        out.append(DeviceSpec(seed, places[k // devices_per_site], rated_w=ratings[k % len(ratings)],
                              calibrations=(cal,)))
    return out


def plant_frauds(honest: list[DeviceSpec], days: int, first_seed: int = 900) -> list[DeviceSpec]:
    """The planted cases, at the sites of the honest fleet (needs at least 2 days for the recalibration).

    - over-rating: attested 5 W, a 50 W panel behind it (more than 5 W x 16 h a day);
    - clone: a new key replaying the first honest device's samples (same site, same sun, same codes);
    - doubled calibration: from the second day a record with both gains x sqrt(2), doubling the power;
    - uncorrelated: a flat 6 W bench supply day and night, beside neighbours who follow the sun.
    """
    if days < 2:
        raise ValueError("the doubled calibration needs at least two days")
    first, second, third = honest[0], honest[min(1, len(honest) - 1)], honest[min(2, len(honest) - 1)]
    r2 = round(math.sqrt(2.0), 6)
    return [
        DeviceSpec(first_seed, second.site, rated_w=5, panel_w=50, calibrations=(Calibration(f"F{first_seed}-A"),),
                   planted="over-rating"),
        DeviceSpec(first_seed + 1, first.site, rated_w=first.rated_w, stream_seed=first.seed,
                   calibrations=(Calibration(f"F{first_seed + 1}-A"),), planted="clone"),
        DeviceSpec(first_seed + 2, third.site, rated_w=50,
                   calibrations=(Calibration(f"F{first_seed + 2}-A"), Calibration(f"F{first_seed + 2}-B", r2, r2, 1)),
                   planted="doubled-calibration"),
        DeviceSpec(first_seed + 3, third.site, rated_w=50, bench_supply_w=6.0,
                   calibrations=(Calibration(f"F{first_seed + 3}-A"),), planted="uncorrelated"),
    ]


def fleet_plan(device_days: int, *, days: int = 2, start: dt.date = dt.date(2026, 6, 20), rate_hz: int = 10,
               planted: bool = False, devices_per_site: int = 10, **options: object) -> FleetPlan:
    """About `device_days` honest device-days (`days` per device), with the planted cases added if asked."""
    honest = honest_fleet(max(1, device_days // days), devices_per_site=devices_per_site)
    specs = honest + (plant_frauds(honest, days) if planted else [])
    all_sites = tuple(dict.fromkeys(s.site for s in specs))
    return replace(FleetPlan(tuple(specs), start, days, rate_hz, sites=all_sites), **options)  # type: ignore[arg-type]


def write_sites_csv(plan: FleetPlan, path: Path | str) -> Path:
    """The operator's register of where each device stands: device,site,latitude,longitude."""
    path = Path(path)
    lines = ["device,site,latitude,longitude"]
    lines += [f"{d.address},{d.site.name},{d.site.latitude},{d.site.longitude}" for d in plan.devices]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
