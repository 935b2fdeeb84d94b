"""The Claims tab: the outbox per device (binding, newest checkpoint, state, pending energy, paid amount,
last attempt, the problem in words), the last and next sync, and "Sync now".

The rows are `claims.status.status_rows`, the same computation `csm claims status` prints, read from the
session's outbox on a slow timer only while the tab is shown (a read of a small SQLite file; the sync
itself runs on the session's own thread). Problems come from the core in English, like the Log's.
"""

from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets

from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.claims.status import UNBOUND, status_rows
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.numbers import decimal, integer
from carbon_smart_meter.ui.style import cell, format_time

COLUMNS = (
    QT_TRANSLATE_NOOP("ClaimsPanel", "Device"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "Binding"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "Newest checkpoint"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "State"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "Pending Wh"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "Paid (base units)"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "Last attempt"),
    QT_TRANSLATE_NOOP("ClaimsPanel", "Problem"),
)
BINDINGS = {
    "on chain": QT_TRANSLATE_NOOP("ClaimsPanel", "bound on chain"),
    "waiting for a link": QT_TRANSLATE_NOOP("ClaimsPanel", "signed, waits for a link"),
    None: QT_TRANSLATE_NOOP("ClaimsPanel", "bound elsewhere"),
}
STATES = {
    "pending": QT_TRANSLATE_NOOP("ClaimsPanel", "waiting"),
    "deferred": QT_TRANSLATE_NOOP("ClaimsPanel", "waiting (refused for now)"),
    "submitted": QT_TRANSLATE_NOOP("ClaimsPanel", "sent"),
    "paid": QT_TRANSLATE_NOOP("ClaimsPanel", "paid"),
    "settled": QT_TRANSLATE_NOOP("ClaimsPanel", "settled"),
    "rejected": QT_TRANSLATE_NOOP("ClaimsPanel", "refused"),
}


class ClaimsPanel(QtWidgets.QWidget):
    def __init__(self, session: LiveSession, utc: bool = False, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.utc = utc
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        self.sync_button = QtWidgets.QPushButton(translate("ClaimsPanel", "Sync now"))
        self.sync_button.clicked.connect(self.sync_now)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([translate("ClaimsPanel", c) for c in COLUMNS])
        self._shown = False  # refreshed at least once: there are rows and a summary to redo in a new language
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sync_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def sync_now(self) -> None:
        """Ask the session's sync service to try at once (it runs on its own thread)."""
        if self.session.sync is not None:
            self.session.sync.sync_now()
        self.refresh()

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        self.sync_button.setText(translate("ClaimsPanel", "Sync now"))
        self.table.setHorizontalHeaderLabels([translate("ClaimsPanel", c) for c in COLUMNS])
        if self._shown:
            self.refresh()

    def refresh(self) -> None:
        self._shown = True
        self._show_summary()
        outbox = self.session.outbox
        try:
            rows = status_rows(outbox) if outbox is not None else []
        except Exception as exc:  # a busy or damaged outbox must not break the window; say so instead
            self.summary.setText(translate("ClaimsPanel", "cannot read the claims outbox: {error}").format(error=exc))
            return
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            unbound = r["deployment_id"] == UNBOUND
            binding = (translate("ClaimsPanel", "not bound: use csm bind") if unbound
                       else translate("ClaimsPanel", BINDINGS.get(r["bind"], BINDINGS[None])))
            values = (r["device"][:12] + "…", binding, str(r["newest_seq"]),
                      translate("ClaimsPanel", STATES.get(r["state"], r["state"])), decimal(r["pending_wh"], 3),
                      integer(r["paid_tokens"]), r["last_attempt_utc"] or "", r["error"] or "")
            for col, text in enumerate(values):
                if self.table.item(i, col) is None:
                    self.table.setItem(i, col, QtWidgets.QTableWidgetItem(""))
                cell(self.table, i, col).setText(text)
            cell(self.table, i, 0).setToolTip(r["device"])

    def _show_summary(self) -> None:
        sync = self.session.sync
        self.sync_button.setEnabled(sync is not None)
        if sync is None:
            self.summary.setText(translate("ClaimsPanel", "Claims sync is off: {why}").format(
                why=self.session.sync_note or "-"))
            return
        st = sync.status()
        last = (format_time(st.last_attempt_utc, self.utc) if st.last_attempt_utc
                else translate("ClaimsPanel", "never"))
        parts = [translate("ClaimsPanel", "Last sync: {when}").format(when=last)]
        if st.last_error:
            parts.append(translate("ClaimsPanel", "no link or refused: {error}").format(error=st.last_error))
        if st.next_attempt_utc:
            parts.append(translate("ClaimsPanel", "next attempt in {seconds} s").format(
                seconds=max(0, int(st.next_attempt_utc - time.time()))))
        self.summary.setText(" — ".join(parts))
