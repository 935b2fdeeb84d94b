"""The event log: every LinkEvent, device EVENT and subscriber loss as one readable line.

Messages come from the core already worded for people; this view adds time, device and severity, and
never shows a traceback: anything unexpected is reduced to its type and message by `readable_error`.
"""

from __future__ import annotations

import datetime as dt
import time

from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, Missed
from carbon_smart_meter.protocol.messages import Event, EventCode
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.numbers import integer
from carbon_smart_meter.ui.style import SEVERITY_COLOURS, SEVERITY_NAMES, cell

MAX_ROWS = 5000


def readable_error(exc: BaseException) -> str:
    """One line for a person: the message, and the kind of problem only when the message is empty."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or translate("LogView", "unexpected {kind}").format(kind=type(exc).__name__)


# What each device event means, in words (PROTOCOL.md 3.4 gives the arguments); unknown codes keep
# their number and arguments.
EVENT_TEXTS = {
    EventCode.RESET: QT_TRANSLATE_NOOP("LogView", "the device restarted ({reason}; boot {boot}): counters start again"),
    EventCode.BROWN_OUT: QT_TRANSLATE_NOOP("LogView", "the device's supply dropped to {arg0} mV"),
    EventCode.OVER_CURRENT: QT_TRANSLATE_NOOP("LogView", "over-current at sample {arg1}: check the wiring"),
    EventCode.TAMPER: QT_TRANSLATE_NOOP("LogView", "the device's case was opened (switch {arg0})"),
    EventCode.TX_OVERFLOW: QT_TRANSLATE_NOOP(
        "LogView", "the device dropped {arg0} frames ({arg1} bytes) because this computer did not read them in "
        "time: those samples are lost"),
    EventCode.TIME_SYNCED: QT_TRANSLATE_NOOP("LogView", "the device set its clock from this computer's time"),
    EventCode.RATE_CHANGED: QT_TRANSLATE_NOOP("LogView", "the sample rate changed from {arg1} Hz to {arg0} Hz"),
    EventCode.SENSOR_FAULT: QT_TRANSLATE_NOOP("LogView", "the device reports a sensor fault (code {arg0})"),
    EventCode.ENERGY_MISMATCH: QT_TRANSLATE_NOOP(
        "LogView", "the device's two energy counters disagree: sensor {arg0} mWh, firmware {arg1} mWh"),
}
RESET_REASONS = {0: QT_TRANSLATE_NOOP("LogView", "power on"), 1: QT_TRANSLATE_NOOP("LogView", "watchdog"),
                 2: QT_TRANSLATE_NOOP("LogView", "brown-out"), 3: QT_TRANSLATE_NOOP("LogView", "software"),
                 4: QT_TRANSLATE_NOOP("LogView", "reset pin")}


def event_text(rec: Event) -> str:
    """A device event in words, numbers in the user's locale."""
    template = EVENT_TEXTS.get(rec.code)
    if template is None:
        return translate("LogView", "device reports {name} (arguments {arg0}, {arg1})").format(
            name=rec.name, arg0=rec.arg0, arg1=rec.arg1)
    reason = RESET_REASONS.get(rec.arg0)
    return translate("LogView", template).format(
        arg0=integer(rec.arg0), arg1=integer(rec.arg1), boot=integer(rec.arg1),
        reason=translate("LogView", reason) if reason else str(rec.arg0))


def describe(env: Envelope) -> tuple[int, str, str] | None:
    """(severity, kind, message) for records worth a log line, else None."""
    rec = env.record
    if isinstance(rec, LinkEvent):
        return rec.severity, rec.kind, rec.message
    if isinstance(rec, Event):
        severity = max(rec.severity, 1) if rec.code == EventCode.TX_OVERFLOW else rec.severity  # data lost
        return severity, rec.name, event_text(rec)
    if isinstance(rec, Missed):
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(rec.by_type.items()))
        text = translate("LogView", "the window fell behind and skipped {kinds} (display only; recording unaffected)")
        return 1, "ui-overflow", text.format(kinds=kinds)
    return None


def _severity_name(severity: int) -> str:
    return translate("LogView", SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else str(severity)


class LogView(QtWidgets.QTableWidget):
    entryAdded = QtCore.Signal(int, str, str, str)  # severity, source, kind, message

    def __init__(self, utc: bool = False, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.utc = utc
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.counts = {0: 0, 1: 0, 2: 0}
        self._set_headers()

    def _set_headers(self) -> None:
        self.setHorizontalHeaderLabels([translate("LogView", "Time"), translate("LogView", "Device"),
                                        translate("LogView", "Severity"), translate("LogView", "Kind"),
                                        translate("LogView", "Message")])

    def _stamp(self, when_ns: int) -> str:
        when = dt.datetime.fromtimestamp(when_ns / 1e9, dt.UTC)
        return when.strftime("%H:%M:%S UTC") if self.utc else when.astimezone().strftime("%H:%M:%S")

    def add(self, severity: int, source: str, kind: str, message: str, when_ns: int | None = None,
            envelope: Envelope | None = None) -> None:
        """One line; `envelope` is the record it describes, so a language switch can word it again."""
        when_ns = when_ns or time.time_ns()
        if self.rowCount() >= MAX_ROWS:
            self.removeRow(0)
        row = self.rowCount()
        self.insertRow(row)
        colour = QtGui.QColor(SEVERITY_COLOURS.get(severity, "#000000"))
        for col, text in enumerate((self._stamp(when_ns), source, _severity_name(severity), kind, message)):
            item = QtWidgets.QTableWidgetItem(text)
            if col == 2:
                item.setForeground(colour)
            item.setToolTip(message)
            self.setItem(row, col, item)
        cell(self, row, 0).setData(QtCore.Qt.ItemDataRole.UserRole, (when_ns, severity, envelope))
        self.counts[severity] = self.counts.get(severity, 0) + 1
        self.scrollToBottom()
        self.entryAdded.emit(severity, source, kind, message)

    def add_envelope(self, env: Envelope) -> bool:
        described = describe(env)
        if described is None:
            return False
        self.add(described[0], env.source, described[1], described[2], env.received_utc_ns, envelope=env)
        return True

    def set_utc(self, utc: bool) -> None:
        """Show every line's time in UTC or local time (the settings' time zone)."""
        self.utc = utc
        for row in range(self.rowCount()):
            when_ns, _severity, _env = cell(self, row, 0).data(QtCore.Qt.ItemDataRole.UserRole)
            cell(self, row, 0).setText(self._stamp(when_ns))

    def retranslate(self) -> None:
        """Headers, severities and what devices reported in the current language. Lines the window wrote
        (settings saved, recording stopped...) stay as they were written: a log records what was said."""
        self._set_headers()
        for row in range(self.rowCount()):
            _when, severity, env = cell(self, row, 0).data(QtCore.Qt.ItemDataRole.UserRole)
            cell(self, row, 2).setText(_severity_name(severity))
            described = describe(env) if env is not None else None
            if described is not None:
                for col in range(5):
                    cell(self, row, col).setToolTip(described[2])
                cell(self, row, 4).setText(described[2])

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def messages(self) -> list[str]:
        return [cell(self, r, 4).text() for r in range(self.rowCount())]
