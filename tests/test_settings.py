"""Settings round-trip through a TOML file and refuse values the app cannot use."""

from __future__ import annotations

import pytest

from carbon_smart_meter.settings import (
    Settings,
    SettingsError,
    default_settings_path,
    load_settings,
    read_settings,
    save_settings,
)


def test_saved_settings_read_back_identical(tmp_path):
    s = Settings(data_dir=str(tmp_path / "d"), region="KEN", co2_method="diesel", latitude=-1.29,
                 longitude=36.82, power_unit="mW", energy_unit="kWh", theme="dark", language="de",
                 profile="ship", time_zone="UTC", plot_window_s=600.0)
    path = save_settings(s, tmp_path / "settings.toml")
    assert read_settings(path) == s


def test_missing_file_gives_defaults(tmp_path):
    assert read_settings(tmp_path / "none.toml") == Settings()


def test_unknown_location_is_left_out_of_the_file_and_reads_back_as_none(tmp_path):
    path = save_settings(Settings(), tmp_path / "s.toml")
    assert "latitude" not in path.read_text()
    assert read_settings(path).latitude is None


def test_a_wrong_choice_is_refused_with_the_key_named(tmp_path):
    with pytest.raises(SettingsError, match="power_unit"):
        save_settings(Settings(power_unit="hp"), tmp_path / "s.toml")


def test_latitude_out_of_range_is_refused():
    with pytest.raises(SettingsError, match="latitude"):
        Settings(latitude=91.0).validate()


def test_a_text_where_a_number_belongs_names_file_and_key(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('latitude = "north"\n')
    with pytest.raises(SettingsError, match=r"s\.toml.*latitude"):
        read_settings(path)


def test_keys_from_a_newer_version_are_ignored(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('theme = "dark"\nhologram = true\n')
    assert read_settings(path).theme == "dark"


def test_a_broken_file_does_not_stop_the_app_but_is_reported(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("theme = [unterminated\n")
    settings, problem = load_settings(path)
    assert settings == Settings()
    assert problem is not None and "not valid TOML" in problem and "Traceback" not in problem


def test_environment_variable_moves_the_settings_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_SETTINGS", str(tmp_path / "x.toml"))
    assert default_settings_path() == tmp_path / "x.toml"


def test_units_display_follows_the_setting():
    assert Settings(power_unit="mW").format_power(1.5) == "1,500.0 mW"
    assert Settings(energy_unit="kWh").format_energy(1500.0) == "1.500000 kWh"
    assert Settings(energy_unit="Wh").format_energy(2.5) == "2.5000 Wh"


def test_session_details_are_remembered_and_checked_with_the_file_limits(tmp_path):
    s = Settings(data_dir=str(tmp_path / "d"), site="Roof B", operator="Ana", panel_tilt_deg=30.0,
                 panel_azimuth_deg=180.0, panel_rated_w=60.0, session_description="two panels\nin series")
    path = save_settings(s, tmp_path / "settings.toml")
    assert read_settings(path) == s
    path.write_text('panel_tilt_deg = 95\n')
    with pytest.raises(SettingsError, match="panel_tilt_deg = 95; use 0 to 90 degrees"):
        read_settings(path)
    path.write_text('panel_azimuth_deg = "south"\n')
    with pytest.raises(SettingsError, match="panel_azimuth_deg = 'south'; it must be a number"):
        read_settings(path)
