"""Session details in the window: the dialog that sets them before recording, and their one-line summary.

The details live in the settings (so they are remembered between runs) and go into every session file
recorded after they are saved (/metadata, see storage/metadata.py); files already being written keep
what they were created with, because a file's attributes cannot change once it is being written.
"""

from __future__ import annotations

import dataclasses

from PySide6 import QtWidgets

from carbon_smart_meter.settings import SITE_LIMITS, SITE_TEXT_LIMITS, Settings, SettingsError
from carbon_smart_meter.storage.metadata import SessionMetadata
from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.numbers import decimal


def details_summary(meta: SessionMetadata | None) -> str:
    """One line for the review header: what is known, in the window's language."""
    if meta is None:
        return translate("SessionDetails", "No session details (recorded before they existed).")
    parts = []
    if meta.site:
        parts.append(translate("SessionDetails", "Site: {site}").format(site=meta.site))
    if meta.operator:
        parts.append(translate("SessionDetails", "Operator: {name}").format(name=meta.operator))
    if meta.latitude is not None and meta.longitude is not None:
        parts.append(translate("SessionDetails", "Location: {lat}°, {lon}°").format(
            lat=decimal(meta.latitude, 5), lon=decimal(meta.longitude, 5)))
    if meta.panel_tilt_deg is not None:
        parts.append(translate("SessionDetails", "Tilt: {deg}°").format(deg=decimal(meta.panel_tilt_deg, 1)))
    if meta.panel_azimuth_deg is not None:
        parts.append(translate("SessionDetails", "Azimuth: {deg}° from north").format(
            deg=decimal(meta.panel_azimuth_deg, 1)))
    if meta.panel_rated_w is not None:
        parts.append(translate("SessionDetails", "Panel: {watts} W").format(watts=decimal(meta.panel_rated_w, 0)))
    if meta.session_description:
        parts.append(meta.session_description)
    return " · ".join(parts) if parts else translate("SessionDetails", "No session details were entered.")


class SessionDetailsDialog(QtWidgets.QDialog):
    """Edits the session details of a copy of the settings; refuses to close on a value out of range."""

    def __init__(self, settings: Settings, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SessionDetails", "Session details"))
        self._result = settings
        self.site = QtWidgets.QLineEdit(settings.site)
        self.operator = QtWidgets.QLineEdit(settings.operator)
        for edit, key in ((self.site, "site"), (self.operator, "operator")):
            edit.setMaxLength(SITE_TEXT_LIMITS[key])
        self.latitude = self._number(settings.latitude)
        self.longitude = self._number(settings.longitude)
        self.tilt = self._number(settings.panel_tilt_deg)
        self.azimuth = self._number(settings.panel_azimuth_deg)
        self.rated = self._number(settings.panel_rated_w)
        self.description = QtWidgets.QPlainTextEdit(settings.session_description)
        self.description.setMaximumHeight(90)
        self.tilt.setPlaceholderText(translate("SessionDetails", "0 = flat, 90 = vertical"))
        self.azimuth.setPlaceholderText(translate("SessionDetails", "clockwise from north: 90 east, 180 south"))
        self.rated.setPlaceholderText(translate("SessionDetails", "if known"))
        for edit in (self.latitude, self.longitude):
            edit.setPlaceholderText(translate("SessionDetails", "unknown"))
        self.message = QtWidgets.QLabel(translate(
            "SessionDetails", "Stored in every session file recorded from now on; files being written keep "
                              "the details they started with."))
        self.message.setWordWrap(True)
        form = QtWidgets.QFormLayout()
        form.addRow(translate("SessionDetails", "Site"), self.site)
        form.addRow(translate("SessionDetails", "Operator"), self.operator)
        form.addRow(translate("SessionDetails", "Latitude (°)"), self.latitude)
        form.addRow(translate("SessionDetails", "Longitude (°)"), self.longitude)
        form.addRow(translate("SessionDetails", "Panel tilt (°)"), self.tilt)
        form.addRow(translate("SessionDetails", "Panel azimuth (°)"), self.azimuth)
        form.addRow(translate("SessionDetails", "Panel rating (W)"), self.rated)
        form.addRow(translate("SessionDetails", "Description"), self.description)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    @staticmethod
    def _number(value: float | None) -> QtWidgets.QLineEdit:
        return QtWidgets.QLineEdit("" if value is None else f"{value:g}")

    def _collect(self) -> Settings:
        names = {"latitude": translate("SessionDetails", "latitude"),
                 "longitude": translate("SessionDetails", "longitude"),
                 "panel_tilt_deg": translate("SessionDetails", "panel tilt"),
                 "panel_azimuth_deg": translate("SessionDetails", "panel azimuth"),
                 "panel_rated_w": translate("SessionDetails", "panel rating")}
        values: dict[str, float | None] = {}
        for key, edit in (("latitude", self.latitude), ("longitude", self.longitude), ("panel_tilt_deg", self.tilt),
                          ("panel_azimuth_deg", self.azimuth), ("panel_rated_w", self.rated)):
            text = edit.text().strip().replace(",", ".")
            if not text:
                values[key] = None
                continue
            try:
                value = float(text)
            except ValueError:
                raise SettingsError(translate("SessionDetails", "{name} {text} is not a number").format(
                    name=names[key], text=repr(text))) from None
            lo, hi, _unit = SITE_LIMITS[key]
            if not lo <= value <= hi:
                raise SettingsError(translate("SessionDetails", "{name} {value} is outside {lo} .. {hi}").format(
                    name=names[key], value=f"{value:g}", lo=f"{lo:g}", hi=f"{hi:g}"))
            values[key] = value
        return dataclasses.replace(self._result, site=self.site.text().strip(), operator=self.operator.text().strip(),
                                   session_description=self.description.toPlainText().strip(),
                                   latitude=values["latitude"], longitude=values["longitude"],
                                   panel_tilt_deg=values["panel_tilt_deg"],
                                   panel_azimuth_deg=values["panel_azimuth_deg"],
                                   panel_rated_w=values["panel_rated_w"]).validate()

    def accept(self) -> None:
        try:
            self._result = self._collect()
        except SettingsError as exc:
            self.message.setText(translate("SessionDetails", "Not saved: {problem}").format(problem=exc))
            return
        super().accept()

    def result_settings(self) -> Settings:
        return self._result
