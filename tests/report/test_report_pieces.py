"""The parts of a report that a recorded day cannot exercise: uncertainty arithmetic, the conservative
deduction, calibration coverage of a period, honest loss and failures mapped onto samples, periods and
plausibility flags. Session files are written by the real storage layer from the signing device model
(real keys, real hash chain), as in the `csm verify` tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scripts.example_session import calibration_record_text
from tests.energy.signing_device_stream import I_LSB, T0_US, V_LSB, DeviceStream
from tests.energy.test_verify_command import write_session

from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.calibration.record import parse_record
from carbon_smart_meter.carbon.resolve import CarbonSettings
from carbon_smart_meter.energy.trust import ManufacturerTrust
from carbon_smart_meter.report.analysis import analyse
from carbon_smart_meter.report.document import ReportOptions, _plausibility, build_document
from carbon_smart_meter.report.emissions import UNCALIBRATED_DEDUCTION, emissions_section
from carbon_smart_meter.report.inputs import scan
from carbon_smart_meter.report.period import Period, PeriodError, period_from
from carbon_smart_meter.report.uncertainty import RecordUncertainty, channel
from carbon_smart_meter.storage.session_file import SessionFile

DATA_DAY = dt.datetime.fromtimestamp(T0_US / 1e6, dt.UTC).date()  # the signing model's day (2023-11-14)


def test_relative_uncertainties_scale_the_energy_and_absolute_ones_the_charge_and_volt_seconds() -> None:
    rel = RecordUncertainty(channel("0.05 %", "voltage"), channel("1000 ppm", "current"))
    assert rel.energy_j(3600.0, 100.0, 1200.0) == pytest.approx(3600.0 * math.hypot(0.0005, 0.001), rel=1e-12)
    absolute = RecordUncertainty(channel("2 mV", "voltage"), channel("0.5 mA", "current"))
    # 2 mV on every generating sample moves energy by 2 mV x charge; 0.5 mA by 0.5 mA x volt-seconds
    assert absolute.energy_j(3600.0, 100.0, 1200.0) == pytest.approx(math.hypot(0.002 * 100.0, 0.0005 * 1200.0))
    with pytest.raises(Exception, match="uncertainty"):
        channel("2 ohm", "voltage")


def test_the_conservative_estimate_is_the_verified_energy_less_its_deduction() -> None:
    settings = CarbonSettings(region="DE")
    out = emissions_section(2.0, 0.05, "expanded calibration uncertainty (k = 2)", settings, "0x" + "11" * 20, "")
    assert out["conservative_kwh"] == pytest.approx(1.95)
    assert out["co2_kg"] == pytest.approx(1.95 * out["factor"]["factor"] / 1000)
    assert out["co2_kg_before_deduction"] > out["co2_kg"]
    assert "not an offset" in out["label"] and "not an offset" in out["not_a_credit"]
    never_negative = emissions_section(0.01, 5.0, "x", settings, "0x" + "11" * 20, "")
    assert never_negative["conservative_kwh"] == 0.0 and never_negative["co2_kg"] == 0.0


def _calibrated_session(path: Path, record_day: dt.date, valid_days: int, seed: bytes = b"ledger") -> Path:
    """The signing model's blocks and checkpoints, recorded through a calibration record made on `record_day`."""
    dev = DeviceStream(seed=seed)
    text = calibration_record_text(dev.key.address, V_LSB, I_LSB, record_id="T-1", date=record_day,
                                   valid_days=valid_days)
    rec = parse_record(text, "(test)", device="0x" + dev.key.address.hex(), today=record_day)
    f = SessionFile(path, source="dev0", hello=dev.hello().record,
                    conversion=Conversion.from_record(rec, factory_v_lsb=V_LSB, factory_i_lsb=I_LSB),
                    profile="logger", region="DE", compression="blosc-lz4", chunk_rows=4096)
    f.add_checkpoint(dev.checkpoint().record, 0, 0)
    for _ in range(5):
        for _ in range(3):
            f.add_block(dev.constant_block().record, 0, 0)
        f.add_checkpoint(dev.checkpoint().record, 0, 0)
    f.close()
    return path


def _document(path: Path, **options) -> dict:
    (item,) = scan([path])
    return build_document(item.device, [analyse(item, ManufacturerTrust())], ReportOptions(**options))


def test_a_record_made_after_the_data_leaves_the_stretch_uncovered_and_one_before_covers_it(tmp_path: Path) -> None:
    late = _document(_calibrated_session(tmp_path / "late.h5", DATA_DAY + dt.timedelta(days=3), 365))
    (gap,) = late["calibration"]["uncovered"]
    assert gap["reason"] == f"before record T-1 was made ({DATA_DAY + dt.timedelta(days=3)})"
    assert gap["end_ns"] - gap["start_ns"] == pytest.approx(15 * 1e9, rel=0.01)  # 15 blocks of 1 s
    assert late["calibration"]["records"][0]["id"] == "T-1"
    expired = _document(_calibrated_session(tmp_path / "expired.h5", DATA_DAY - dt.timedelta(days=400), 365))
    assert "expired" in expired["calibration"]["uncovered"][0]["reason"]
    good = _document(_calibrated_session(tmp_path / "good.h5", DATA_DAY - dt.timedelta(days=10), 365))
    assert good["calibration"]["uncovered"] == []
    # 24 W for 15 s of verified intervals, through the record's gains (1.0008 x 0.9991) and offsets
    assert good["energy"]["verified_kwh"] == pytest.approx(24 * 15 / 3.6e6, rel=0.01)
    assert good["energy"]["uncertainty_kwh"] == pytest.approx(good["energy"]["verified_kwh"] * math.hypot(5e-4, 1e-3),
                                                              rel=1e-9)
    assert good["emissions"]["deduction_kwh"] == pytest.approx(good["energy"]["uncertainty_kwh"], rel=1e-12)


def test_the_session_details_of_the_files_are_in_the_identity_section(tmp_path: Path) -> None:
    from carbon_smart_meter.report.pdf import render_pdf
    from carbon_smart_meter.storage.metadata import SessionMetadata

    path = tmp_path / "site.h5"
    dev = DeviceStream(seed=b"site")
    f = SessionFile(path, source="dev0", hello=dev.hello().record, conversion=Conversion.factory(V_LSB, I_LSB),
                    profile="logger", region="DE", chunk_rows=4096,
                    metadata=SessionMetadata(site="Allotment 7", operator="Jo", panel_tilt_deg=20.0))
    f.add_checkpoint(dev.checkpoint().record, 0, 0)
    for _ in range(3):
        f.add_block(dev.constant_block().record, 0, 0)
    f.add_checkpoint(dev.checkpoint().record, 0, 0)
    f.close()
    doc = _document(path)
    assert doc["identity"]["sites"] == [{"site": "Allotment 7", "operator": "Jo", "panel_tilt": 20.0,
                                         "panel_tilt_units": "degree"}]
    assert render_pdf(doc)[:4] == b"%PDF"


def test_an_uncalibrated_device_gets_the_flat_deduction(tmp_path: Path) -> None:
    doc = _document(write_session(tmp_path / "factory.h5"))
    kwh = doc["energy"]["verified_kwh"]
    assert kwh > 0 and doc["energy"]["unstated_uncertainty_kwh"] == pytest.approx(kwh)
    assert doc["emissions"]["deduction_kwh"] == pytest.approx(UNCALIBRATED_DEDUCTION * kwh)
    assert "no calibration record" in doc["calibration"]["uncovered"][0]["reason"]


@pytest.mark.parametrize("kind", ["honest loss", "inflated behind a deleted block"])
def test_the_report_counts_exactly_what_csm_verify_counts_when_parts_are_lost_or_failed(tmp_path: Path,
                                                                                       kind: str) -> None:
    from carbon_smart_meter.energy.verified import verify_file

    path = write_session(tmp_path / "s.h5", **({"drop_before_checkpoint": 4} if kind == "honest loss"
                                               else {"inflate_behind_drop": 6}))
    v = verify_file(path)
    doc = _document(path)
    en = doc["energy"]
    assert en["verified_kwh"] == pytest.approx(v.verified_kwh, rel=1e-12)
    assert en["pass_verified_kwh"] == pytest.approx(v.verified_kwh, rel=1e-9)
    assert en["failed_kwh"] == pytest.approx(v.failed_kwh, rel=1e-9, abs=1e-15)
    statuses = {s["status"] for s in doc["verification"]["unverified_stretches"]}
    assert ("failed" in statuses) == (kind != "honest loss")
    assert doc["report"]["verified"] == (kind == "honest loss")
    covered = {s for _a, _b, s in doc["coverage"]["status"]}
    assert "verified" in covered and ("failed" in covered) == (kind != "honest loss")


def test_periods_are_whole_local_days_and_refuse_an_end_before_the_start() -> None:
    p = Period(dt.date(2026, 6, 21), dt.date(2026, 6, 22), "Asia/Kolkata")
    assert p.days() == ["2026-06-21", "2026-06-22"]
    assert (p.end_ns - p.start_ns) == 2 * 86_400 * 10**9
    assert dt.datetime.fromtimestamp(p.start_ns / 1e9, dt.UTC).strftime("%H:%M") == "18:30"  # India is UTC+5:30
    with pytest.raises(PeriodError, match="after --to"):
        Period(dt.date(2026, 6, 22), dt.date(2026, 6, 21))
    with pytest.raises(PeriodError, match="IANA"):
        period_from(None, None, 0, 1, "Mars/Olympus")
    assert period_from("2026-06-21", None, None, None, "UTC").last_day == dt.date(2026, 6, 21)


def test_a_day_above_the_clear_sky_ceiling_is_flagged_and_one_above_the_rated_ceiling_rejected() -> None:
    days = [{"day": "2026-06-21", "verified_kwh": 0.2}, {"day": "2026-06-22", "verified_kwh": 0.7},
            {"day": "2026-06-23", "verified_kwh": 0.9}]
    out = _plausibility(days, 50, 12.97, 77.59, "Asia/Kolkata")
    assert [d["verdict"] for d in out["days"]] == ["ok", "review", "impossible"]
    assert out["flagged"] == ["2026-06-22", "2026-06-23"]
    unlocated = _plausibility(days, 50, None, None, "UTC")
    assert not unlocated["located"] and unlocated["flagged"] == ["2026-06-23"]
    assert np.isclose(out["days"][0]["ceiling_wh"], 800)


def test_the_example_report_in_the_docs_is_what_the_current_code_draws_from_its_json() -> None:
    """The README's example stays true: change the layout and `scripts/make_example_report.py` must run again."""
    from carbon_smart_meter.report.pdf import render_pdf

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "mrv-report"
    (pdf,) = example.glob("*.pdf")
    (manifest,) = example.glob("*.manifest.json")
    doc = json.loads(pdf.with_suffix(".json").read_text())
    assert render_pdf(doc) == pdf.read_bytes(), "run scripts/make_example_report.py to refresh the example"
    outputs_ = {o["file"]: o["sha256"] for o in json.loads(manifest.read_text())["outputs"]}
    assert outputs_[pdf.name] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    pages = sorted(p.name for p in example.glob("page-*.png"))
    assert pages == [f"page-{k}.png" for k in range(1, len(pages) + 1)] and len(pages) >= 3


def test_files_are_grouped_by_device_and_one_device_is_chosen_with_device(tmp_path: Path) -> None:
    from carbon_smart_meter.energy.verified import verify_file
    from carbon_smart_meter.report.build import make_reports
    from carbon_smart_meter.report.inputs import ReportInputError

    a = write_session(tmp_path / "a.h5")
    b = write_session(tmp_path / "b.h5", drop_before_checkpoint=4)  # the same device, another day's losses
    same = _calibrated_session(tmp_path / "same.h5", DATA_DAY - dt.timedelta(days=10), 365)
    other = _calibrated_session(tmp_path / "other.h5", DATA_DAY - dt.timedelta(days=10), 365, seed=b"second")
    with pytest.raises(ReportInputError, match="the same bytes as"):
        make_reports([a, tmp_path / "a.h5"], tmp_path / "dup", ReportOptions())
    reports = make_reports([a, b, same, other], tmp_path / "all", ReportOptions())
    assert [len(r.document["inputs"]) for r in reports] == [3, 1]  # two devices: a report each
    first = reports[0].document
    total = sum(verify_file(p).verified_kwh for p in (a, b, same))
    assert first["energy"]["verified_kwh"] == pytest.approx(total, rel=1e-12)
    # files without a stated uncertainty get the flat deduction, the calibrated one its uncertainty
    unstated = verify_file(a).verified_kwh + verify_file(b).verified_kwh
    assert first["energy"]["unstated_uncertainty_kwh"] == pytest.approx(unstated, rel=1e-12)
    assert reports[1].document["energy"]["unstated_uncertainty_kwh"] == 0.0
    device = reports[1].device
    with pytest.raises(ReportInputError, match="no session among the 4 file"):
        make_reports([a, b, same, other], tmp_path / "none", ReportOptions(), device="0x" + "00" * 20)
    chosen = make_reports([a, b, same, other], tmp_path / "one", ReportOptions(), device=device[:8])
    assert [r.device for r in chosen] == [device] and len(list((tmp_path / "one").iterdir())) == 3
