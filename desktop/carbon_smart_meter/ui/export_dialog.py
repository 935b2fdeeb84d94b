"""Export dialog: CSV or Parquet, a time range, optional resampling, progress and cancel.

The export runs in a QThread and reports progress through queued signals, so the window keeps
painting. Cancel is cooperative: the progress callback of `storage.export` raises between chunks, the
export closes its sink, and the half-written output is deleted rather than left looking complete.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.storage.export import export
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.log_view import readable_error
from carbon_smart_meter.ui.numbers import integer

RESAMPLE_CHOICES = [(QT_TRANSLATE_NOOP("ExportDialog", "every sample"), None),
                    (QT_TRANSLATE_NOOP("ExportDialog", "1 s means"), "1s"),
                    (QT_TRANSLATE_NOOP("ExportDialog", "10 s means"), "10s"),
                    (QT_TRANSLATE_NOOP("ExportDialog", "1 min means"), "1min"),
                    (QT_TRANSLATE_NOOP("ExportDialog", "15 min means"), "15min")]


class ExportCancelled(CsmError):
    """The user cancelled an export; the partial output has been removed."""


class ExportWorker(QtCore.QThread):
    progressed = QtCore.Signal(int, int)  # rows done, rows total
    succeeded = QtCore.Signal(int, str)  # rows written, output path
    failed = QtCore.Signal(str)
    cancelled = QtCore.Signal()

    def __init__(self, session: Path, out: Path, fmt: str, start: str | None, stop: str | None,
                 resample: str | None, chunk_rows: int = 262_144) -> None:
        super().__init__()
        self.session, self.out, self.fmt = session, out, fmt
        self.start_text, self.stop_text, self.resample = start, stop, resample
        self.chunk_rows = chunk_rows
        self._cancel = False
        self._last_emit = 0.0

    def cancel(self) -> None:
        self._cancel = True

    def _progress(self, done: int, total: int) -> None:
        if self._cancel:
            raise ExportCancelled("export cancelled")
        now = time.monotonic()
        # At most ~20 updates a second: a progress bar needs no more, and a flood of queued
        # cross-thread signals only competes with painting.
        if now - self._last_emit >= 0.05 or done >= total:
            self._last_emit = now
            self.progressed.emit(done, total)
        time.sleep(0)  # hand the GIL to the UI thread between chunks, even on a saturated machine

    def run(self) -> None:
        try:
            rows = export(self.session, self.out, self.fmt, start=self.start_text, stop=self.stop_text,
                          resample=self.resample, progress=self._progress, chunk_rows=self.chunk_rows)
        except ExportCancelled:
            self.out.unlink(missing_ok=True)
            self.cancelled.emit()
        except Exception as exc:  # every failure becomes a sentence in the dialog, never a traceback
            self.out.unlink(missing_ok=True)
            self.failed.emit(readable_error(exc))
        else:
            self.succeeded.emit(rows, str(self.out))


class ExportDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None, session_path: Path | None = None,
                 start_dir: str = "", start: str | None = None, stop: str | None = None) -> None:
        super().__init__(parent)
        self.start_dir = start_dir
        self.worker: ExportWorker | None = None
        self.chunk_rows = 262_144
        self.session_edit = QtWidgets.QLineEdit(str(session_path or ""))
        self.browse_button = QtWidgets.QPushButton()
        self.browse_button.clicked.connect(self._browse)
        self.format_box = QtWidgets.QComboBox()
        self.format_box.addItem("", "csv")
        self.format_box.addItem("", "parquet")
        self.out_edit = QtWidgets.QLineEdit()
        self.save_as_button = QtWidgets.QPushButton()
        self.save_as_button.clicked.connect(self._browse_out)
        self.start_edit = QtWidgets.QLineEdit(start or "")
        self.stop_edit = QtWidgets.QLineEdit(stop or "")
        self.resample_box = QtWidgets.QComboBox()
        for _label, value in RESAMPLE_CHOICES:
            self.resample_box.addItem("", value)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.message = QtWidgets.QLabel("")
        self.message.setWordWrap(True)
        self.start_button = QtWidgets.QPushButton()
        self.cancel_button = QtWidgets.QPushButton()
        self.cancel_button.setEnabled(False)
        self.close_button = QtWidgets.QPushButton()
        self.start_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button.clicked.connect(self.close)
        self.format_box.currentIndexChanged.connect(lambda _i: self._suggest_out())
        self.session_edit.editingFinished.connect(self._suggest_out)

        form = QtWidgets.QFormLayout()
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.session_edit, 1)
        row.addWidget(self.browse_button)
        out_row = QtWidgets.QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(self.save_as_button)
        self.form_labels = [QtWidgets.QLabel() for _ in range(6)]
        fields: list[QtWidgets.QWidget | QtWidgets.QLayout] = [
            row, self.format_box, out_row, self.start_edit, self.stop_edit, self.resample_box]
        for name, field in zip(self.form_labels, fields, strict=True):
            if isinstance(field, QtWidgets.QLayout):
                form.addRow(name, field)
            else:
                form.addRow(name, field)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate()
        self.resize(620, 300)
        self._suggest_out()

    def retranslate(self) -> None:
        """Every fixed text in the current language (also while the dialog is open and the language switches)."""
        self.setWindowTitle(translate("ExportDialog", "Export session"))
        self.browse_button.setText(translate("ExportDialog", "Browse…"))
        self.save_as_button.setText(translate("ExportDialog", "Save as…"))
        self.format_box.setItemText(0, translate("ExportDialog", "CSV (spreadsheet)"))
        self.format_box.setItemText(1, translate("ExportDialog", "Parquet (pandas, R, Arrow)"))
        self.start_edit.setPlaceholderText(
            translate("ExportDialog", "from the start (ISO 8601 UTC or seconds after the first sample)"))
        self.stop_edit.setPlaceholderText(translate("ExportDialog", "to the end"))
        for k, (label, _value) in enumerate(RESAMPLE_CHOICES):
            self.resample_box.setItemText(k, translate("ExportDialog", label))
        self.start_button.setText(translate("ExportDialog", "Export"))
        self.cancel_button.setText(translate("ExportDialog", "Cancel"))
        self.close_button.setText(translate("ExportDialog", "Close"))
        for name, text in zip(self.form_labels, (
                translate("ExportDialog", "Session file"), translate("ExportDialog", "Format"),
                translate("ExportDialog", "Output file"), translate("ExportDialog", "From"),
                translate("ExportDialog", "To"), translate("ExportDialog", "Resample")), strict=True):
            name.setText(text)

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, translate("ExportDialog", "Session file"), self.start_dir,
            translate("ExportDialog", "Session files (*.h5 *.hdf5);;All files (*)"))
        if path:
            self.session_edit.setText(path)
            self._suggest_out()

    def _browse_out(self) -> None:
        fmt = self.format_box.currentData()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, translate("ExportDialog", "Output file"), self.out_edit.text() or self.start_dir,
            f"{fmt.upper()} (*.{fmt})")
        if path:
            self.out_edit.setText(path)

    def _suggest_out(self) -> None:
        src = self.session_edit.text().strip()
        if src:
            self.out_edit.setText(str(Path(src).with_suffix("." + self.format_box.currentData())))

    def start_export(self) -> ExportWorker | None:
        src_text, out_text = self.session_edit.text().strip(), self.out_edit.text().strip()
        src, out = Path(src_text), Path(out_text)
        if not src_text:
            self.message.setText(translate("ExportDialog", "Choose a session file to export (Browse…)."))
            return None
        if not src.is_file():
            self.message.setText(translate("ExportDialog", "Choose a session file to export ({path} does not exist).")
                                 .format(path=src))
            return None
        if not out_text:
            self.message.setText(translate("ExportDialog", "Choose where to write the export (Save as…)."))
            return None
        if not out.parent.is_dir():
            self.message.setText(translate("ExportDialog", "The folder {folder} does not exist; choose another output "
                                           "file.").format(folder=out.parent))
            return None
        if out.exists():
            self.message.setText(translate(
                "ExportDialog", "{path} already exists; choose another output file (nothing is overwritten).")
                .format(path=out))
            return None
        self.worker = ExportWorker(src, out, self.format_box.currentData(), self.start_edit.text().strip() or None,
                                   self.stop_edit.text().strip() or None, self.resample_box.currentData(),
                                   self.chunk_rows)
        self.worker.progressed.connect(self._progressed)
        self.worker.succeeded.connect(lambda rows, path: self._done(translate(
            "ExportDialog", "Exported {rows} rows to {path}.").format(rows=integer(rows), path=path), finished=True))
        self.worker.failed.connect(lambda text: self._done(translate("ExportDialog", "Export failed: {problem}")
                                                           .format(problem=text)))
        self.worker.cancelled.connect(lambda: self._done(translate(
            "ExportDialog", "Export cancelled; the partial file was removed.")))
        self.progress.setValue(0)
        self.message.setText(translate("ExportDialog", "Exporting…"))
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.worker.start()
        return self.worker

    def cancel_export(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.message.setText(translate("ExportDialog", "Cancelling…"))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 1000)

    def _done(self, text: str, finished: bool = False) -> None:
        self.message.setText(text)
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if finished:
            self.progress.setValue(1000)

    def closeEvent(self, ev) -> None:  # Qt override
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
            self.worker.wait(10_000)
        super().closeEvent(ev)
