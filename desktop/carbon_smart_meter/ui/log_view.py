"""The event log: every LinkEvent, device EVENT and subscriber loss as one readable line.

Messages come from the core already worded for people; this view adds time, device and severity, and
never shows a traceback: anything unexpected is reduced to its type and message by `readable_error`.
"""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, Missed
from carbon_smart_meter.protocol.messages import Event
from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.style import SEVERITY_COLOURS, SEVERITY_NAMES, cell

MAX_ROWS = 5000


def readable_error(exc: BaseException) -> str:
    """One line for a person: the message, and the kind of problem only when the message is empty."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or translate("LogView", "unexpected {kind}").format(kind=type(exc).__name__)


def describe(env: Envelope) -> tuple[int, str, str] | None:
    """(severity, kind, message) for records worth a log line, else None."""
    rec = env.record
    if isinstance(rec, LinkEvent):
        return rec.severity, rec.kind, rec.message
    if isinstance(rec, Event):
        return rec.severity, rec.name, translate("LogView", "device reports {name} (arguments {arg0}, {arg1})").format(
            name=rec.name, arg0=rec.arg0, arg1=rec.arg1)
    if isinstance(rec, Missed):
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(rec.by_type.items()))
        text = translate("LogView", "the window fell behind and skipped {kinds} (display only; recording unaffected)")
        return 1, "ui-overflow", text.format(kinds=kinds)
    return None


class LogView(QtWidgets.QTableWidget):
    entryAdded = QtCore.Signal(int, str, str, str)  # severity, source, kind, message

    def __init__(self, utc: bool = False, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.utc = utc
        self.setHorizontalHeaderLabels([translate("LogView", "Time"), translate("LogView", "Device"),
                                        translate("LogView", "Severity"), translate("LogView", "Kind"),
                                        translate("LogView", "Message")])
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.counts = {0: 0, 1: 0, 2: 0}

    def add(self, severity: int, source: str, kind: str, message: str, when_ns: int | None = None) -> None:
        when = dt.datetime.fromtimestamp((when_ns or dt.datetime.now().timestamp() * 1e9) / 1e9, dt.UTC)
        stamp = when.strftime("%H:%M:%S UTC") if self.utc else when.astimezone().strftime("%H:%M:%S")
        if self.rowCount() >= MAX_ROWS:
            self.removeRow(0)
        row = self.rowCount()
        self.insertRow(row)
        colour = QtGui.QColor(SEVERITY_COLOURS.get(severity, "#000000"))
        severity_name = translate("LogView", SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else str(severity)
        for col, text in enumerate((stamp, source, severity_name, kind, message)):
            item = QtWidgets.QTableWidgetItem(text)
            if col == 2:
                item.setForeground(colour)
            item.setToolTip(message)
            self.setItem(row, col, item)
        self.counts[severity] = self.counts.get(severity, 0) + 1
        self.scrollToBottom()
        self.entryAdded.emit(severity, source, kind, message)

    def add_envelope(self, env: Envelope) -> bool:
        described = describe(env)
        if described is None:
            return False
        self.add(described[0], env.source, described[1], described[2], env.received_utc_ns)
        return True

    def messages(self) -> list[str]:
        return [cell(self, r, 4).text() for r in range(self.rowCount())]
