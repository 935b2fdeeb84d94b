"""Issue 18: power now, today (kept across restarts) and this session per device, a total row, and the
figures in the user's language."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6 import QtCore, QtWidgets

from carbon_smart_meter.app.energy_report import carbon_settings_from, energy_from_kwh, energy_report
from carbon_smart_meter.app.reward_preview import PreviewReason, ReasonCode
from carbon_smart_meter.calibration.store import CalibrationStore
from carbon_smart_meter.ui import i18n
from carbon_smart_meter.ui.energy_panel import REASONS, SHORT_REASONS, TOTAL_KEY, figures, reason_text


def _noon() -> float:
    return dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0).timestamp()


def _window(qtbot, settings, tmp_path):
    from carbon_smart_meter.ui.main_window import MainWindow

    win = MainWindow(settings, settings_path=tmp_path / "settings.toml",
                     calibrations=CalibrationStore(tmp_path / "calibration"), buffer_window_s=60)
    qtbot.addWidget(win)
    win.show()
    return win


def _text(panel, key: str, col: int) -> str:
    return panel.table.item(panel.rows[key], col).text()


def test_each_device_shows_power_now_today_and_this_session_with_a_total_row(qtbot, window):
    assert "No device yet" in window.headline.text()
    a = window.add_simulator(rate=1000, start_unix=_noon(), panel_watts=60)
    b = window.add_simulator(rate=1000, start_unix=_noon(), panel_watts=60)
    panel = window.energy_panel
    qtbot.waitUntil(lambda: TOTAL_KEY in panel.rows and all(panel.live.get(s, (0, 0, 0))[2] > 0 for s in (a, b)),
                    timeout=8000)
    assert panel.rows[TOTAL_KEY] == panel.table.rowCount() - 1  # the total is the last row
    assert _text(panel, TOTAL_KEY, 0) == "Total"
    for source in (a, b):
        power = _text(panel, source, 1)
        assert power.endswith(" W") and float(power[:-2]) > 1  # one decimal, at noon
        assert _text(panel, source, 3).endswith(" Wh")
    qtbot.wait(300)
    p_total = sum(panel.live[s][0] for s in (a, b))
    shown_total = float(_text(panel, TOTAL_KEY, 1)[:-2].replace(",", ""))
    assert shown_total == pytest.approx(p_total, abs=0.06)
    assert window.headline.text().startswith("Now ") and "Today" in window.headline.text()
    for source in (a, b):  # connected today by this window: all of this session is today's
        assert panel.live[source][1] == pytest.approx(panel.live[source][2], rel=0.05)
    # two seconds of sun are below the minimum claim: the total previews nothing, not the sum of nothing
    assert not any(panel.shown[s].claimable for s in (a, b)) and _text(panel, TOTAL_KEY, 5) == "–"


def test_today_carries_on_after_a_restart(qtbot, settings, tmp_path):
    win = _window(qtbot, settings, tmp_path)
    source = win.add_simulator(rate=1000, start_unix=_noon(), panel_watts=60)
    qtbot.waitUntil(lambda: win.energy_panel.live.get(source, (0, 0, 0))[1] > 0.001, timeout=8000)
    win.shutdown()
    stored = json.loads((tmp_path / "sessions" / "energy-today.json").read_text())["wh"]
    [(device, wh)] = stored.items()
    assert device.startswith("0x") and wh > 0.001
    again = _window(qtbot, settings, tmp_path)  # the same simulated device (seed 0) the same day
    try:
        source = again.add_simulator(rate=1000, start_unix=_noon(), panel_watts=60)
        # today starts where the last run left it, once the device has said who it is
        qtbot.waitUntil(lambda: again.energy_panel.live.get(source, (0, 0, 0))[1] >= wh, timeout=8000)
        assert again.energy_panel.live[source][2] < wh + 0.01  # this session starts from zero
    finally:
        again.shutdown()


@pytest.fixture
def german(qapp):
    QtCore.QLocale.setDefault(QtCore.QLocale("de"))
    translators = i18n.install(qapp, "de")
    yield
    i18n.uninstall(qapp, translators)
    QtCore.QLocale.setDefault(QtCore.QLocale("en"))


def test_german_figures_use_german_numbers_and_words(german, settings):
    report = energy_report(energy_from_kwh(0.5), carbon_settings_from(settings), block=False)
    fig = figures(settings, report)
    assert fig.energy == "500,0000 Wh"
    assert "30.000.000" in fig.reward and "30,000,000" not in fig.tooltip
    small = figures(settings, energy_report(energy_from_kwh(0.000001), carbon_settings_from(settings), block=False))
    assert "unter der Schwelle" in small.reward
    assert "below" not in small.tooltip


def test_every_reason_a_preview_gives_has_words_in_german(german):
    for code, values in ((ReasonCode.CAP, {"cap_mwh": 12000, "elapsed_s": 3600}), (ReasonCode.OVER_CAP, {}),
                         (ReasonCode.PENDING_CHANGE, {"effective_at": 1}), ("future-dated", {}),
                         (ReasonCode.DEPLOYMENT_UNREADABLE, {"problem": "x"})):
        text = reason_text(PreviewReason(code, "english text", values=values))
        assert text != "english text", code
    for code, template in {**REASONS, **SHORT_REASONS}.items():
        assert i18n.translate("EnergyPanel", template) != template, code  # a German catalogue entry
    assert "12.000" in reason_text(PreviewReason(ReasonCode.CAP, "", values={"cap_mwh": 12000, "elapsed_s": 3600}))


def test_the_window_says_what_to_do_before_the_first_device(window):
    assert window.headline.isVisible() and "Add simulator" in window.headline.text()
    assert isinstance(window.headline, QtWidgets.QLabel)
