"""The dialog that writes a note about one moment of a reviewed session (stored beside the file)."""

from __future__ import annotations

from PySide6 import QtWidgets

from carbon_smart_meter.storage.review_notes import MAX_NOTE_CHARS
from carbon_smart_meter.ui.i18n import translate


class NoteDialog(QtWidgets.QDialog):
    """Asks for the text of a note at a time chosen before (the first cursor); OK only with some text."""

    def __init__(self, when: str, file_name: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("NoteDialog", "Add a note"))
        self.edit = QtWidgets.QPlainTextEdit()
        self.edit.setPlaceholderText(translate("NoteDialog", "e.g. shade from the mast, panel cleaned"))
        where = QtWidgets.QLabel(translate(
            "NoteDialog", "Note at {time} (the orange cursor). It is saved beside {file} in {file}.notes.json; "
                          "the session file itself is not changed.").format(time=when, file=file_name))
        where.setWordWrap(True)
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._check)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.buttons)
        self._check()
        self.resize(480, 220)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def _check(self) -> None:
        save = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)
        save.setEnabled(0 < len(self.text()) <= MAX_NOTE_CHARS)
