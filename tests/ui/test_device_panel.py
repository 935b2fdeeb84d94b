"""Device panel: calibration status with expiry warnings, and every link problem in the log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from carbon_smart_meter.calibration.sources import resolve
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.protocol.messages import Hello
from carbon_smart_meter.ui.device_panel import calibration_status

EXAMPLE = Path(__file__).parents[2] / "calibration" / "examples" / "ina228-2mohm.toml"
DEVICE = "0x00112233445566778899aabbccddeeff00112233"


def _hello() -> Hello:
    return Hello(bytes.fromhex(DEVICE[2:]), (0, 1, 0), 0, 1, 1, 50, 1000, 195.3125e-6, 1.5625e-4, "", 0, 0, 60,
                 bytes(32), 0, bytes(47), bytes(65))


def _store(tmp_path, today):
    (tmp_path / DEVICE).mkdir(parents=True, exist_ok=True)
    (tmp_path / DEVICE / "rec.toml").write_text(EXAMPLE.read_text())
    return CalibrationStore(tmp_path, today=today)


def test_a_device_without_a_record_is_shown_uncalibrated_as_a_warning(tmp_path):
    status = calibration_status(resolve(CalibrationStore(tmp_path), _hello()))
    assert status.text == "uncalibrated" and status.severity == 1 and "factory scales" in status.tooltip


def test_a_valid_record_shows_its_expiry_date(tmp_path):
    today = dt.date(2027, 1, 1)
    status = calibration_status(resolve(_store(tmp_path, today), _hello()), today=today)
    assert status.text == "until 2036-11-02" and status.severity == 0 and "EX-2026-0001" in status.tooltip


def test_a_record_expiring_within_a_month_warns_with_the_days_left(tmp_path):
    today = dt.date(2036, 10, 20)
    status = calibration_status(resolve(_store(tmp_path, today), _hello()), today=today)
    assert status.text == "expires in 13 d" and status.severity == 1


def test_an_expired_record_is_refused_and_says_why(tmp_path):
    today = dt.date(2037, 1, 1)
    status = calibration_status(resolve(_store(tmp_path, today), _hello()), today=today)
    assert status.text == "refused" and status.severity == 2 and "expire" in status.tooltip.lower()


def test_corrupt_frames_and_gaps_appear_in_the_log_as_readable_lines(qtbot, window):
    source = window.add_simulator(rate=2000, faults="corrupt=0.05,drop=0.02")
    qtbot.waitUntil(lambda: window.session.acquisition.stats(source).corrupt_frames > 0, timeout=5000)
    qtbot.waitUntil(lambda: any(window.log.item(r, 3).text() in ("corrupt-frames", "sample-gap", "frame-loss")
                                for r in range(window.log.rowCount())), timeout=5000)
    qtbot.waitUntil(lambda: window.devices.table.item(0, 5).text() not in ("", "0"), timeout=3000)
    text = " ".join(window.log.messages())
    assert "Traceback" not in text
