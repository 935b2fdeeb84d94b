"""Qt tests run offscreen (pytest-qt has no ini option for the platform, so it is set here)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc

import pytest

from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.settings import Settings


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """No test reads or writes the user's real settings file."""
    monkeypatch.setenv("CSM_SETTINGS", str(tmp_path / "settings.toml"))


@pytest.fixture(autouse=True)
def _qt_garbage_dies_on_the_gui_thread(qapp):
    """Windows sit in reference cycles (signal lambdas close over them), so the cyclic collector frees them,
    on whichever thread happens to trigger it. Freed on a worker thread (a reader, the ledger), a widget's
    destructor waits for the GIL while holding a Qt lock the GUI thread needs: a deadlock seen in a full run.
    Collecting before and after each test frees them here, on the GUI thread."""
    gc.collect()
    yield
    gc.collect()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=str(tmp_path / "sessions"), plot_window_s=10.0, time_zone="UTC", region="NZ")


@pytest.fixture
def window(qtbot, settings, tmp_path):
    from carbon_smart_meter.ui.main_window import MainWindow

    win = MainWindow(settings, settings_path=tmp_path / "settings.toml",
                     calibrations=CalibrationStore(tmp_path / "calibration"), buffer_window_s=120)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.shutdown()


def record_session(out_dir, seconds: float = 2.0, rate: int = 2000, note: str | None = None,
                   keep_open: bool = False, metadata=None):
    """A real session file from a simulator at local noon (so power is not zero), via the real recorder.

    With keep_open the recorder is still writing when this returns: (path, recorder, acquisition, sim).
    """
    import datetime as dt
    import time

    from carbon_smart_meter.acquisition.session import Acquisition
    from carbon_smart_meter.devices.simulator import SimulatedAdapter
    from carbon_smart_meter.storage.recorder import SessionRecorder

    noon = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0).timestamp()
    sim = SimulatedAdapter(rate=rate, seed=7, panel_watts=60, start_unix=noon).open()
    acq = Acquisition()
    rec = SessionRecorder(acq.hub, out_dir, flush_interval_s=0.2, metadata=metadata).start()
    acq.add_device(sim.port, name="field")
    sim.start()
    deadline = time.monotonic() + 5
    while not rec.files and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(seconds / 2)
    if note:
        rec.add_annotation(note)
    time.sleep(seconds / 2)
    if keep_open:
        time.sleep(0.5)  # at least one flush
        return rec.paths[0], rec, acq, sim
    sim.stop()
    time.sleep(0.2)
    paths = rec.stop()
    acq.stop()
    sim.close()
    return paths[0]


@pytest.fixture
def make_session():
    """`record_session` for tests that need their own (e.g. still growing) file."""
    return record_session


@pytest.fixture(scope="module")
def session_file(tmp_path_factory):
    return record_session(tmp_path_factory.mktemp("rec"), seconds=2.0, note="panel re-angled")



@pytest.fixture(autouse=True)
def _english_numbers():
    """Numbers in the window follow Qt's default locale (ui/numbers.py): English unless a test says otherwise."""
    from PySide6 import QtCore

    QtCore.QLocale.setDefault(QtCore.QLocale("en"))
    yield
    QtCore.QLocale.setDefault(QtCore.QLocale("en"))
from tests.app.served import served  # noqa: E402, F401  (the fixture: csm serve on a simulator)
