"""Answering the window's modal questions from a test, as a user would."""

from __future__ import annotations


def answer_stop_question(window, stop: bool = True, seen: list | None = None) -> None:
    """Answer the window's "stop recording?" question as a user would, once it is asked (it is modal, so
    the answer is scheduled before the click that asks). `seen` collects the question's text."""
    from PySide6 import QtCore, QtWidgets

    tries = [500]  # 5 s at most: a question never asked must not leave a timer answering a later test

    def click():
        box = window.question
        if box is None:
            tries[0] -= 1
            if tries[0] > 0:
                QtCore.QTimer.singleShot(10, click)
            return
        if seen is not None:
            seen.append(box.text())
        for button in box.buttons():
            destructive = box.buttonRole(button) == QtWidgets.QMessageBox.ButtonRole.DestructiveRole
            if destructive == stop:
                button.click()
                return

    QtCore.QTimer.singleShot(0, click)
