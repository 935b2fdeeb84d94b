"""The settings dialog edits a copy, refuses unusable values and the window saves accepted ones."""

from __future__ import annotations

import dataclasses

from carbon_smart_meter.settings import read_settings
from carbon_smart_meter.ui.settings_dialog import SettingsDialog


def test_a_bad_latitude_keeps_the_dialog_open_with_a_reason(qtbot, settings):
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    dlg.latitude.setText("123")
    dlg.accept()
    assert dlg.result() == 0 and "latitude" in dlg.message.text()
    assert dlg.result_settings() == settings


def test_an_unknown_region_keeps_the_dialog_open_with_the_commands_reason(qtbot, settings):
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    dlg.region.setText("zz")
    dlg.accept()
    assert dlg.result() == 0 and "region 'ZZ' is not an ISO 3166-1 country code" in dlg.message.text()
    assert dlg.result_settings() == settings
    dlg.region.setText("deu")  # alpha-3 and numeric codes are countries too
    dlg.accept()
    assert dlg.result() == 1 and dlg.result_settings().region == "DEU"


def test_accepted_settings_are_saved_by_the_window(qtbot, window, tmp_path):
    dlg = window.open_settings_dialog()
    dlg.region.setText("ke")
    dlg.latitude.setText("-1.29")
    dlg.power_unit.setCurrentIndex(dlg.power_unit.findData("mW"))
    dlg.accept()
    saved = read_settings(tmp_path / "settings.toml")
    assert saved.region == "KE" and saved.latitude == -1.29 and saved.power_unit == "mW"
    assert window.settings == saved


def test_no_path_or_hint_is_cut_off(qtbot, settings):
    from carbon_smart_meter.ui.settings_dialog import SettingsDialog

    long = dataclasses.replace(settings, data_dir="/home/field/a-long-folder/for/the/field/campaign-2026/sessions")
    dlg = SettingsDialog(long)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    for edit in (dlg.data_dir, dlg.region, dlg.latitude):
        text = edit.text() or edit.placeholderText()
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(text), text


def test_placeholders_stay_readable_in_the_dark_theme(qapp):
    from PySide6 import QtGui

    from carbon_smart_meter.ui.style import apply_theme

    apply_theme(qapp, "dark")
    try:
        pal = qapp.palette()
        placeholder = pal.color(QtGui.QPalette.ColorRole.PlaceholderText).lightness()
        base = pal.color(QtGui.QPalette.ColorRole.Base).lightness()
        assert placeholder - base > 100
    finally:
        apply_theme(qapp, "light")
