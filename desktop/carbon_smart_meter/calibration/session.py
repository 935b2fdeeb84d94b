"""A guided calibration: measure mean codes at each reference level, fit, and write a new record.

Kept apart from the device so it can be driven by anything that yields mean codes (`measure`) and
anything that answers prompts (`ask`): the CLI plugs in the live device and the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.calibration.fit import ChannelFit, fit_channel, record_text
from carbon_smart_meter.calibration.record import CalibrationRecord, parse_record
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.calibration.units import CalibrationFieldError, parse_quantity, to_si
from carbon_smart_meter.errors import CalibrationError


@dataclass(frozen=True)
class Measurement:
    v_code: float
    i_code: float
    samples: int
    v_std: float = 0.0
    i_std: float = 0.0


@dataclass
class CalibrationPlan:
    device: str
    factory_v_lsb: float
    factory_i_lsb: float
    operator: str
    instrument: str
    certificate: str
    sensor_model: str = "INA228"
    shunt: str | None = None
    shunt_lsb: str | None = None
    voltage_lsb: str | None = None
    uncertainty_voltage: str = "0.1 %"
    uncertainty_current: str = "0.2 %"
    valid_days: int = 365
    record_id: str | None = None
    references: list[str] = field(default_factory=list)
    today: dt.date | None = None


@dataclass(frozen=True)
class CalibrationResult:
    path: Path
    record: CalibrationRecord
    voltage: ChannelFit | None
    current: ChannelFit | None
    history: list[Path]


def parse_readings(text: str, where: str) -> dict[str, float]:
    """'12.003 V, 2.5 A' -> {'voltage': 12.003, 'current': 2.5} (SI), each unit checked by pint."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        for dim in ("voltage", "current"):
            try:
                q = parse_quantity(part, dim, file=where, field="reference")
            except CalibrationFieldError:
                continue
            if dim in out:
                raise CalibrationError(f"{where}: two {dim} readings in {text!r}; give one per point")
            out[dim] = to_si(q, dim)
            break
        else:
            raise CalibrationError(
                f"{where}: reading {part!r} is neither a voltage nor a current "
                "(write it with its unit, e.g. 12.003 V or 2.501 A)"
            )
    return out


def run(
    plan: CalibrationPlan,
    store: CalibrationStore,
    measure: Callable[[], Measurement],
    ask: Callable[[str], str],
    say: Callable[[str], None] = print,
) -> CalibrationResult:
    """Walk the operator through the points, fit each channel with >= 2 readings, store the record."""
    previous = _previous(store, plan.device, say)
    prev_data = previous.data if previous else {}
    sensor = prev_data.get("sensor", {})
    voltage_lsb = plan.voltage_lsb or sensor.get("voltage_lsb") or f"{plan.factory_v_lsb!r} V"
    shunt = plan.shunt or sensor.get("shunt") or "1 ohm"
    shunt_lsb = plan.shunt_lsb or sensor.get("shunt_lsb") or f"{plan.factory_i_lsb!r} V"
    nominal = not (plan.shunt or sensor.get("shunt"))
    lsb_v = to_si(parse_quantity(voltage_lsb, "voltage", file="--voltage-lsb", field="sensor.voltage_lsb"), "voltage")
    lsb_i = to_si(
        parse_quantity(shunt_lsb, "voltage", file="--shunt-lsb", field="sensor.shunt_lsb"), "voltage"
    ) / to_si(parse_quantity(shunt, "resistance", file="--shunt", field="sensor.shunt"), "resistance")

    points: list[tuple[Measurement, dict[str, float]]] = []
    k = 0
    while True:
        k += 1
        if k <= len(plan.references):
            readings = parse_readings(plan.references[k - 1], f"--reference #{k}")
            ask(f"Point {k}: apply {plan.references[k - 1]} and press Enter when the reading is stable ")
            meas = measure()
        elif plan.references:
            break
        else:
            answer = ask(f"Point {k}: set the source and press Enter to measure (or type 'done') ").strip()
            if answer.lower() in ("done", "q", "quit"):
                break
            meas = measure()
            readings = parse_readings(ask("  reference meter reading(s), e.g. '12.003 V, 2.501 A': "), f"point {k}")
        say(
            f"  point {k}: mean codes V {meas.v_code:.2f} (sd {meas.v_std:.2f}), I {meas.i_code:.2f} "
            f"(sd {meas.i_std:.2f}) over {meas.samples} samples"
        )
        points.append((meas, readings))

    fits: dict[str, ChannelFit | None] = {}
    for dim, lsb, attr in (("voltage", lsb_v, "v_code"), ("current", lsb_i, "i_code")):
        pts = [(getattr(mm, attr), r[dim]) for mm, r in points if dim in r]
        fits[dim] = fit_channel([c for c, _ in pts], [r for _, r in pts], lsb) if len(pts) >= 2 else None
        if len(pts) == 1:
            raise CalibrationError(f"only one {dim} reading: a fit needs at least two reference levels")
    if fits["voltage"] is None and fits["current"] is None:
        raise CalibrationError("no channel has two reference readings; nothing to calibrate")
    for dim, unit in (("voltage", "V"), ("current", "A")):
        fit = fits[dim]
        if fit is not None:
            say(
                f"{dim}: gain {fit.gain:.6f}, offset {fit.offset * 1e3:+.4f} m{unit}, residual rms "
                f"{fit.rms * 1e3:.4f} m{unit}"
            )
            for code, ref, res in zip(fit.codes, fit.references, fit.residuals, strict=True):
                say(f"    code {code:12.2f}  reference {ref:12.6f} {unit}  residual {res * 1e3:+10.4f} m{unit}")

    today = plan.today or dt.datetime.now(dt.UTC).date()
    record_id = plan.record_id or f"C{today:%y%m%d}-{len(store.history(plan.device)) + 1:03d}"
    notes = "current scale taken from the factory i_lsb as shunt_lsb / 1 ohm (shunt not given)" if nominal else ""
    text = record_text(
        record_id=record_id,
        device=plan.device,
        sensor_model=plan.sensor_model,
        shunt=shunt,
        shunt_lsb=shunt_lsb,
        voltage_lsb=voltage_lsb,
        voltage=fits["voltage"],
        current=fits["current"],
        previous=prev_data,
        instrument=plan.instrument,
        certificate=plan.certificate,
        operator=plan.operator,
        uncertainty_voltage=plan.uncertainty_voltage,
        uncertainty_current=plan.uncertainty_current,
        date=today,
        valid_days=plan.valid_days,
        notes=notes,
    )
    record = parse_record(text, "(new record)", device=plan.device, today=today)  # refuse before writing
    path = store.write(plan.device, text, today, record_id)
    return CalibrationResult(path, record, fits["voltage"], fits["current"], store.history(plan.device))


def _previous(store: CalibrationStore, device: str, say: Callable[[str], None]) -> CalibrationRecord | None:
    try:
        return store.current(device)
    except CalibrationError as exc:
        say(f"note: the current record is not usable ({exc}); starting from factory values")
        return None
