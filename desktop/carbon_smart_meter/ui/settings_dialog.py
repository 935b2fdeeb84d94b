"""Settings dialog: edits a copy of Settings and refuses to close on a value the app cannot use."""

from __future__ import annotations

import dataclasses

from PySide6 import QtGui, QtWidgets

from carbon_smart_meter.carbon.region import from_settings
from carbon_smart_meter.errors import CarbonError
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
from carbon_smart_meter.ui.i18n import LANGUAGE_NAMES, QT_TRANSLATE_NOOP, translate

METHOD_LABELS = {"grid": QT_TRANSLATE_NOOP("SettingsDialog", "grid displacement (country average)"),
                 "cm": QT_TRANSLATE_NOOP("SettingsDialog", "combined margin (your OM/BM)"),
                 "diesel": QT_TRANSLATE_NOOP("SettingsDialog", "off-grid diesel generator"),
                 "kerosene": QT_TRANSLATE_NOOP("SettingsDialog", "off-grid kerosene")}
CHOICE_LABELS = {"local": QT_TRANSLATE_NOOP("SettingsDialog", "local time"),
                 "UTC": QT_TRANSLATE_NOOP("SettingsDialog", "UTC"),
                 "light": QT_TRANSLATE_NOOP("SettingsDialog", "light"),
                 "dark": QT_TRANSLATE_NOOP("SettingsDialog", "dark"),
                 "logger": QT_TRANSLATE_NOOP("SettingsDialog", "logger (field laptop)"),
                 "kiosk": QT_TRANSLATE_NOOP("SettingsDialog", "kiosk (public screen)"),
                 "ship": QT_TRANSLATE_NOOP("SettingsDialog", "ship (offline for weeks)")}


class SettingsDialog(QtWidgets.QDialog):
    def __init__(self, settings: Settings, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SettingsDialog", "Settings"))
        self._result = settings
        self.data_dir = QtWidgets.QLineEdit(settings.data_dir)
        browse = QtWidgets.QPushButton(translate("SettingsDialog", "Browse…"))
        browse.clicked.connect(self._browse)
        self.region = QtWidgets.QLineEdit(settings.region)
        self.region.setPlaceholderText(translate("SettingsDialog", "country code, e.g. DE, KE; empty = from location"))
        self.method = self._combo(CO2_METHODS, settings.co2_method, METHOD_LABELS)
        self.latitude = QtWidgets.QLineEdit("" if settings.latitude is None else f"{settings.latitude:g}")
        self.longitude = QtWidgets.QLineEdit("" if settings.longitude is None else f"{settings.longitude:g}")
        for edit in (self.latitude, self.longitude):
            edit.setPlaceholderText(translate("SettingsDialog", "unknown (used for the clear-sky plausibility check)"))
        self.power_unit = self._combo(POWER_UNITS, settings.power_unit)
        self.energy_unit = self._combo(ENERGY_UNITS, settings.energy_unit)
        self.time_zone = self._combo(TIME_ZONES, settings.time_zone, CHOICE_LABELS)
        self.theme = self._combo(THEMES, settings.theme, CHOICE_LABELS)
        self.language = self._combo(LANGUAGES, settings.language, LANGUAGE_NAMES, translated=False)
        self.profile = self._combo(PROFILES, settings.profile, CHOICE_LABELS)
        self.message = QtWidgets.QLabel(translate(
            "SettingsDialog", "Theme, language, units and time axis apply at once; recordings carry on. A new data "
            "directory or profile applies from the next start."))
        self.message.setWordWrap(True)

        form = QtWidgets.QFormLayout()
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.data_dir, 1)
        row.addWidget(browse)
        form.addRow(translate("SettingsDialog", "Data directory"), row)
        form.addRow(translate("SettingsDialog", "Region"), self.region)
        form.addRow(translate("SettingsDialog", "CO₂ method"), self.method)
        form.addRow(translate("SettingsDialog", "Latitude (°)"), self.latitude)
        form.addRow(translate("SettingsDialog", "Longitude (°)"), self.longitude)
        form.addRow(translate("SettingsDialog", "Power unit"), self.power_unit)
        form.addRow(translate("SettingsDialog", "Energy unit"), self.energy_unit)
        form.addRow(translate("SettingsDialog", "Time axis"), self.time_zone)
        form.addRow(translate("SettingsDialog", "Theme"), self.theme)
        form.addRow(translate("SettingsDialog", "Language"), self.language)
        form.addRow(translate("SettingsDialog", "Profile"), self.profile)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._wide_enough(browse)

    def _wide_enough(self, browse: QtWidgets.QPushButton) -> None:
        """Wide enough that no path or hint is cut (issue 18: the dialog clipped both), within the screen."""
        metrics = self.fontMetrics()
        edits = (self.data_dir, self.region, self.latitude, self.longitude)
        widest = max(metrics.horizontalAdvance(e.text() or e.placeholderText()) for e in edits)
        names = (translate("SettingsDialog", "Data directory"), translate("SettingsDialog", "CO₂ method"))
        labels = max(metrics.horizontalAdvance(t) for t in names)
        wanted = widest + labels + browse.sizeHint().width() + 80
        screen: QtGui.QScreen | None = self.screen()
        if screen is None:  # not yet on any screen
            screen = QtGui.QGuiApplication.primaryScreen()
        limit = screen.availableGeometry().width() - 40 if screen is not None else wanted
        self.setMinimumWidth(min(wanted, limit))

    @staticmethod
    def _combo(values: tuple[str, ...], current: str, labels: dict[str, str] | None = None,
               translated: bool = True) -> QtWidgets.QComboBox:
        box = QtWidgets.QComboBox()
        for v in values:
            label = (labels or {}).get(v, v)
            box.addItem(translate("SettingsDialog", label) if translated and v in (labels or {}) else label, v)
        box.setCurrentIndex(max(0, values.index(current) if current in values else 0))
        return box

    def _browse(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, translate("SettingsDialog", "Data directory"),
                                                          self.data_dir.text())
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
                raise SettingsError(translate("SettingsDialog", "{name} {text} is not a number").format(
                    name=name, text=repr(text))) from None

        settings = dataclasses.replace(
            self._result, data_dir=self.data_dir.text().strip(), region=self.region.text().strip().upper(),
            co2_method=self.method.currentData(),
            latitude=number(self.latitude, translate("SettingsDialog", "latitude")),
            longitude=number(self.longitude, translate("SettingsDialog", "longitude")),
            power_unit=self.power_unit.currentData(),
            energy_unit=self.energy_unit.currentData(), time_zone=self.time_zone.currentData(),
            theme=self.theme.currentData(), language=self.language.currentData(),
            profile=self.profile.currentData(),
        ).validate()
        if settings.region:
            try:
                from_settings(settings.region)  # the same check as the commands' --region
            except CarbonError as exc:
                raise SettingsError(str(exc)) from None
        return settings

    def accept(self) -> None:
        try:
            self._result = self._collect()
        except SettingsError as exc:
            self.message.setText(translate("SettingsDialog", "Not saved: {problem}").format(problem=exc))
            return
        super().accept()

    def result_settings(self) -> Settings:
        return self._result
