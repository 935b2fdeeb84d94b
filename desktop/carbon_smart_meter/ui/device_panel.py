"""Device panel: connected adapters and simulators, their health counters, calibration, recording."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.acquisition.link_stats import LinkStats
from carbon_smart_meter.calibration.sources import ResolvedConversion
from carbon_smart_meter.protocol.messages import Hello
from carbon_smart_meter.ui.fit import ElidedLabel, compact_rows
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.numbers import integer, percent
from carbon_smart_meter.ui.style import cell

COLUMNS = [QT_TRANSLATE_NOOP("DevicePanel", "Device"), QT_TRANSLATE_NOOP("DevicePanel", "Record"),
           QT_TRANSLATE_NOOP("DevicePanel", "State"), QT_TRANSLATE_NOOP("DevicePanel", "Rate"),
           QT_TRANSLATE_NOOP("DevicePanel", "Samples"), QT_TRANSLATE_NOOP("DevicePanel", "Lost"),
           QT_TRANSLATE_NOOP("DevicePanel", "Corrupt"), QT_TRANSLATE_NOOP("DevicePanel", "Reconnects"),
           QT_TRANSLATE_NOOP("DevicePanel", "Calibration")]
# Link states as the window keeps them (English, also in tests) and as the table shows them.
STATE_LABELS = {
    "connecting": QT_TRANSLATE_NOOP("DevicePanel", "connecting"),
    "connected": QT_TRANSLATE_NOOP("DevicePanel", "connected"),
    "disconnected": QT_TRANSLATE_NOOP("DevicePanel", "disconnected"),
    "reconnecting": QT_TRANSLATE_NOOP("DevicePanel", "reconnecting"),
    "port missing": QT_TRANSLATE_NOOP("DevicePanel", "port missing"),
}
COL_RECORD, COL_STATE, COL_LOST, COL_CALIBRATION = 1, 2, 5, 8
EXPIRY_WARNING_DAYS = 30


@dataclass
class CalibrationStatus:
    text: str
    severity: int  # 0 fine, 1 warning (uncalibrated or expiring), 2 refused
    tooltip: str


def calibration_status(resolved: ResolvedConversion | None, today: dt.date | None = None) -> CalibrationStatus:
    """What the panel says about the conversion the session resolved for a device (the one its plots,
    energy and file use), with an expiry warning a month ahead."""
    if resolved is None:
        return CalibrationStatus(translate("DevicePanel", "waiting for device info"), 0,
                                 translate("DevicePanel", "the device has not introduced itself yet"))
    conv = resolved.conversion
    if resolved.refused:
        return CalibrationStatus(translate("DevicePanel", "refused"), 2, translate(
            "DevicePanel", "{problem}. Samples are recorded on factory scales, flagged.").format(problem=resolved.note))
    if conv.record is None:
        return CalibrationStatus(translate("DevicePanel", "uncalibrated"), 1, translate(
            "DevicePanel", "{description}. Figures are indicative.").format(description=conv.describe()))
    days = (conv.record.expires - (today or dt.date.today())).days
    if days <= EXPIRY_WARNING_DAYS:
        return CalibrationStatus(translate("DevicePanel", "expires in {days} d").format(days=days), 1,
                                 conv.describe())
    return CalibrationStatus(translate("DevicePanel", "until {date}").format(date=conv.record.expires), 0,
                             conv.describe())


LOSS_COLOURS = {0: "#3a7d44", 1: "#b26b00", 2: "#c0392b"}
LOSS_ERROR_FRACTION = 0.001  # more than 0.1 % of the samples lost: red, not orange


def loss_severity(stats: LinkStats) -> int:
    """0 nothing lost, 1 some samples lost, 2 more than 0.1 % lost."""
    if stats.samples_lost <= 0:
        return 0
    total = stats.samples + stats.samples_lost
    return 2 if stats.samples_lost > LOSS_ERROR_FRACTION * total else 1


def lost_text(stats: LinkStats) -> str:
    """The Lost counter in words: how many, what share, what it means."""
    if stats.samples_lost <= 0:
        return translate("DevicePanel", "no sample lost: every sample the device sent arrived")
    total = stats.samples + stats.samples_lost
    return translate("DevicePanel", "{lost} samples lost ({share} of {total}): the device sent them but they never "
                     "arrived (its buffer overflowed, the cable was pulled or frames were damaged); the Log says "
                     "when").format(lost=integer(stats.samples_lost), share=percent(stats.samples_lost / total, 2),
                                    total=integer(total))


def _record_text(on: bool) -> str:
    return translate("DevicePanel", "■ Stop recording") if on else translate("DevicePanel", "● Record")


class DevicePanel(QtWidgets.QWidget):
    simulatorRequested = QtCore.Signal()
    portRequested = QtCore.Signal(str)
    disconnectRequested = QtCore.Signal(str)
    recordToggled = QtCore.Signal(bool)  # the button: every connected device
    deviceRecordToggled = QtCore.Signal(str, bool)  # one device's Record tick box

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        compact_rows(self.table)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.rows: dict[str, int] = {}
        self._offered: list[tuple[str, str]] = []  # (port, description) in the port box
        self.table.itemChanged.connect(self._item_changed)

        self.port_box = QtWidgets.QComboBox()
        self.port_box.setEditable(True)
        self.port_box.setMinimumWidth(180)
        self.connect_button = QtWidgets.QPushButton()
        self.simulator_button = QtWidgets.QPushButton()
        self.disconnect_button = QtWidgets.QPushButton()
        self.record_button = QtWidgets.QPushButton()
        self.record_button.setCheckable(True)
        self.record_label = ElidedLabel(translate("DevicePanel", "not recording"))  # holds the data path
        self.retranslate()

        self.connect_button.clicked.connect(lambda: self.portRequested.emit(self.chosen_port()))
        self.simulator_button.clicked.connect(self.simulatorRequested)
        self.disconnect_button.clicked.connect(self._disconnect_selected)
        self.record_button.toggled.connect(self._record_toggled)

        controls = QtWidgets.QHBoxLayout()
        for w in (self.port_box, self.connect_button, self.simulator_button, self.disconnect_button):
            controls.addWidget(w)
        controls.addWidget(self.record_label, 1)
        controls.addWidget(self.record_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.table)

    def retranslate(self) -> None:
        """Every text of the panel in the current language; the window re-sends the counters and the
        recording line with its next update."""
        self.table.setHorizontalHeaderLabels([translate("DevicePanel", c) for c in COLUMNS])
        port_edit = self.port_box.lineEdit()
        assert port_edit is not None, "an editable combo box has a line edit"
        port_edit.setPlaceholderText(translate("DevicePanel", "/dev/ttyACM0 or COM3"))
        self.port_box.setToolTip(translate("DevicePanel", "Adapters and running `csm simulate` devices found on this "
                                           "computer; or type any serial port or URL"))
        self.connect_button.setText(translate("DevicePanel", "Connect port"))
        self.simulator_button.setText(translate("DevicePanel", "Add simulator"))
        self.disconnect_button.setText(translate("DevicePanel", "Disconnect"))
        self.record_button.setText(_record_text(self.record_button.isChecked()))
        self.record_button.setToolTip(translate("DevicePanel", "Record every connected device, each into its own "
                                                "session file; tick a device's Record box to record only some"))
        self.table.blockSignals(True)
        for row in self.rows.values():
            cell(self.table, row, COL_RECORD).setToolTip(translate("DevicePanel", "record this device into its own "
                                                                   "session file"))
            state = cell(self.table, row, COL_STATE)
            name = state.data(QtCore.Qt.ItemDataRole.UserRole)
            if name:
                state.setText(translate("DevicePanel", STATE_LABELS.get(name, name)))
        self.table.blockSignals(False)

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def set_ports(self, ports: list[tuple[str, str]]) -> None:
        """Offer (port, description) pairs in the port box; what the user is typing stays."""
        if ports == self._offered:
            return
        self._offered = list(ports)
        current = self.port_box.currentText()
        self.port_box.clear()
        for port, description in ports:
            self.port_box.addItem(f"{port} — {description}", port)
        self.port_box.setEditText(current)

    def ports(self) -> list[tuple[str, str]]:
        return list(self._offered)

    def chosen_port(self) -> str:
        """The port of the listed entry shown in the box, else the text the user typed."""
        text = self.port_box.currentText().strip()
        k = self.port_box.findText(text)
        return self.port_box.itemData(k) if k >= 0 else text

    def _record_toggled(self, on: bool) -> None:
        self.record_button.setText(_record_text(on))
        self.recordToggled.emit(on)

    def _item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        if item.column() != COL_RECORD:
            return
        for source, row in self.rows.items():
            if row == item.row():
                self.deviceRecordToggled.emit(source, item.checkState() == QtCore.Qt.CheckState.Checked)
                return

    def set_device_recording(self, source: str, on: bool) -> None:
        """Show whether a device is being recorded (without asking for it again)."""
        row = self.rows.get(source)
        if row is None:
            return
        item = cell(self.table, row, COL_RECORD)
        want = QtCore.Qt.CheckState.Checked if on else QtCore.Qt.CheckState.Unchecked
        if item.checkState() != want:
            self.table.blockSignals(True)
            item.setCheckState(want)
            self.table.blockSignals(False)

    def is_recording(self, source: str) -> bool:
        return cell(self.table, self.rows[source], COL_RECORD).checkState() == QtCore.Qt.CheckState.Checked

    def set_recording(self, on: bool, text: str) -> None:
        self.record_button.blockSignals(True)
        self.record_button.setChecked(on)
        self.record_button.setText(_record_text(on))
        self.record_button.blockSignals(False)
        self.record_label.setText(text)

    def _disconnect_selected(self) -> None:
        row = self.table.currentRow()
        for source, r in self.rows.items():
            if r == row:
                self.disconnectRequested.emit(source)
                return
        if len(self.rows) == 1:
            self.disconnectRequested.emit(next(iter(self.rows)))

    def add_device(self, source: str, colour: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.rows[source] = row
        self.table.blockSignals(True)
        for col in range(len(COLUMNS)):
            self.table.setItem(row, col, QtWidgets.QTableWidgetItem(""))
        rec = cell(self.table, row, COL_RECORD)
        rec.setFlags(QtCore.Qt.ItemFlag.ItemIsUserCheckable | QtCore.Qt.ItemFlag.ItemIsEnabled
                     | QtCore.Qt.ItemFlag.ItemIsSelectable)
        rec.setCheckState(QtCore.Qt.CheckState.Unchecked)
        rec.setToolTip(translate("DevicePanel", "record this device into its own session file"))
        self.table.blockSignals(False)
        item = cell(self.table, row, 0)
        item.setText(source)
        pix = QtGui.QPixmap(12, 12)
        pix.fill(QtGui.QColor(colour))
        item.setIcon(QtGui.QIcon(pix))
        self.table.selectRow(row)

    def remove_device(self, source: str) -> None:
        row = self.rows.pop(source, None)
        if row is None:
            return
        self.table.removeRow(row)
        self.rows = {s: (r - 1 if r > row else r) for s, r in self.rows.items()}

    def state_of(self, source: str) -> str:
        """The link state shown for a device, as the window names it (untranslated)."""
        return cell(self.table, self.rows[source], COL_STATE).data(QtCore.Qt.ItemDataRole.UserRole) or ""

    def update_device(self, source: str, stats: LinkStats, hello: Hello | None, state: str,
                      calibration: CalibrationStatus) -> None:
        row = self.rows.get(source)
        if row is None:
            return
        rate = f"{integer(hello.sample_rate_hz)} Hz" if hello else "–"
        values = [translate("DevicePanel", STATE_LABELS.get(state, state)), rate, integer(stats.samples),
                  integer(stats.samples_lost), integer(stats.corrupt_frames), integer(stats.reconnects),
                  calibration.text]
        self.table.blockSignals(True)  # counters are not user edits
        for col, text in enumerate(values, start=COL_STATE):
            item = cell(self.table, row, col)
            if item.text() != text:
                item.setText(text)
        state_colour = {"connected": "#3a7d44", "disconnected": "#c0392b"}.get(state, "#b26b00")
        cell(self.table, row, COL_STATE).setForeground(QtGui.QColor(state_colour))
        cell(self.table, row, COL_STATE).setData(QtCore.Qt.ItemDataRole.UserRole, state)
        cal = cell(self.table, row, COL_CALIBRATION)
        cal.setToolTip(calibration.tooltip)
        cal.setForeground(QtGui.QColor({0: "#3a7d44", 1: "#b26b00", 2: "#c0392b"}[calibration.severity]))
        lost = cell(self.table, row, COL_LOST)
        lost.setToolTip(lost_text(stats))
        lost.setForeground(QtGui.QColor(LOSS_COLOURS[loss_severity(stats)]))
        font = lost.font()
        if font.bold() != (stats.samples_lost > 0):
            font.setBold(stats.samples_lost > 0)
            lost.setFont(font)
        self.table.blockSignals(False)
