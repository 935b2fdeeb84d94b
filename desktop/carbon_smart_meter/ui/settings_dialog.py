"""Settings dialog: edits a copy of Settings and refuses to close on a value the app cannot use."""

from __future__ import annotations

import dataclasses

from PySide6 import QtWidgets

from carbon_smart_meter.settings import (
    CO2_METHODS,
    ENERGY_UNITS,
    LANGUAGES,
    POWER_UNITS,
    PROFILES,
    THEMES,
    TIME_ZONES,
    Settings,
    SettingsError,
)

METHOD_LABELS = {"grid": "grid displacement (country average)", "cm": "combined margin (your OM/BM)",
                 "diesel": "off-grid diesel generator", "kerosene": "off-grid kerosene"}


class SettingsDialog(QtWidgets.QDialog):
    def __init__(self, settings: Settings, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._result = settings
        self.data_dir = QtWidgets.QLineEdit(settings.data_dir)
        browse = QtWidgets.QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.region = QtWidgets.QLineEdit(settings.region)
        self.region.setPlaceholderText("country code, e.g. DE, KE; empty = from location")
        self.method = self._combo(CO2_METHODS, settings.co2_method, METHOD_LABELS)
        self.latitude = QtWidgets.QLineEdit("" if settings.latitude is None else f"{settings.latitude:g}")
        self.longitude = QtWidgets.QLineEdit("" if settings.longitude is None else f"{settings.longitude:g}")
        for edit in (self.latitude, self.longitude):
            edit.setPlaceholderText("unknown (used for the clear-sky plausibility check)")
        self.power_unit = self._combo(POWER_UNITS, settings.power_unit)
        self.energy_unit = self._combo(ENERGY_UNITS, settings.energy_unit)
        self.time_zone = self._combo(TIME_ZONES, settings.time_zone)
        self.theme = self._combo(THEMES, settings.theme)
        self.language = self._combo(LANGUAGES, settings.language)
        self.profile = self._combo(PROFILES, settings.profile)
        self.message = QtWidgets.QLabel("Theme, language and time zone apply when the window is next opened.")
        self.message.setWordWrap(True)

        form = QtWidgets.QFormLayout()
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.data_dir, 1)
        row.addWidget(browse)
        form.addRow("Data directory", row)
        form.addRow("Region", self.region)
        form.addRow("CO₂ method", self.method)
        form.addRow("Latitude (°)", self.latitude)
        form.addRow("Longitude (°)", self.longitude)
        form.addRow("Power unit", self.power_unit)
        form.addRow("Energy unit", self.energy_unit)
        form.addRow("Time axis", self.time_zone)
        form.addRow("Theme", self.theme)
        form.addRow("Language", self.language)
        form.addRow("Profile", self.profile)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    @staticmethod
    def _combo(values: tuple[str, ...], current: str, labels: dict[str, str] | None = None) -> QtWidgets.QComboBox:
        box = QtWidgets.QComboBox()
        for v in values:
            box.addItem((labels or {}).get(v, v), v)
        box.setCurrentIndex(max(0, values.index(current) if current in values else 0))
        return box

    def _browse(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, "Data directory", self.data_dir.text())
        if path:
            self.data_dir.setText(path)

    def _collect(self) -> Settings:
        def number(edit: QtWidgets.QLineEdit, name: str) -> float | None:
            text = edit.text().strip().replace(",", ".")
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                raise SettingsError(f"{name} {text!r} is not a number") from None

        return dataclasses.replace(
            self._result, data_dir=self.data_dir.text().strip(), region=self.region.text().strip().upper(),
            co2_method=self.method.currentData(), latitude=number(self.latitude, "latitude"),
            longitude=number(self.longitude, "longitude"), power_unit=self.power_unit.currentData(),
            energy_unit=self.energy_unit.currentData(), time_zone=self.time_zone.currentData(),
            theme=self.theme.currentData(), language=self.language.currentData(),
            profile=self.profile.currentData(),
        ).validate()

    def accept(self) -> None:
        try:
            self._result = self._collect()
        except SettingsError as exc:
            self.message.setText(f"Not saved: {exc}")
            return
        super().accept()

    def result_settings(self) -> Settings:
        return self._result
