"""Qt tests run offscreen (pytest-qt has no ini option for the platform, so it is set here)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from carbon_smart_meter.calibration.store import CalibrationStore  # noqa: E402
from carbon_smart_meter.settings import Settings  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """No test reads or writes the user's real settings file."""
    monkeypatch.setenv("CSM_SETTINGS", str(tmp_path / "settings.toml"))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=str(tmp_path / "sessions"), plot_window_s=10.0, time_zone="UTC")


@pytest.fixture
def window(qtbot, settings, tmp_path):
    from carbon_smart_meter.ui.main_window import MainWindow

    win = MainWindow(settings, settings_path=tmp_path / "settings.toml",
                     calibrations=CalibrationStore(tmp_path / "calibration"), buffer_window_s=120)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.shutdown()
