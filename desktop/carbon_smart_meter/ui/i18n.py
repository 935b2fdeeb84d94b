"""Languages of the window: Qt translators for our own text and for Qt's standard dialogs.

Every user-visible string of the UI goes through `translate("Context", "text")` (Qt's own function, so
`pyside6-lupdate` finds it); strings with values use named `{placeholders}` filled after translation.
The catalogues are `translations/csm_<lang>.ts` (edited by people, e.g. in Qt Linguist) compiled to
`.qm` by `pyside6-lrelease` (`make translations`); tests keep both in step with the code.

What the core reports (log messages, errors from the storage or the chain, file contents) stays in
English: it is also what `csm` prints and what a bug report should quote.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore

TRANSLATIONS = Path(__file__).with_name("translations")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español", "fr": "Français"}

translate = QtCore.QCoreApplication.translate


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for `pyside6-lupdate` (which finds this name) and translate it later, where it is shown.

    Qt's own `QtCore.QT_TRANSLATE_NOOP` does the same but is typed as returning `object`, so every
    label table built with it would need a cast before `translate` accepts it.
    """
    return text


def catalogue(language: str) -> Path:
    return TRANSLATIONS / f"csm_{language}.qm"


def install(app: QtCore.QCoreApplication, language: str) -> list[QtCore.QTranslator]:
    """Load our catalogue and Qt's own (buttons of file dialogs...) for `language`; English needs none.

    Returns the translators, which must stay referenced for as long as they are installed. A missing
    catalogue is not an error the user can act on here: the window stays in English.
    """
    installed: list[QtCore.QTranslator] = []
    QtCore.QLocale.setDefault(QtCore.QLocale(language))  # numbers as the language writes them (numbers.py)
    if language == "en":
        return installed
    qt_dir = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)
    for name, directory in ((f"csm_{language}", str(TRANSLATIONS)), (f"qtbase_{language}", qt_dir)):
        tr = QtCore.QTranslator(app)
        if tr.load(name, directory) and app.installTranslator(tr):
            installed.append(tr)
    return installed


_in_use: list[QtCore.QTranslator] = []  # what use_language installed last


def use_language(app: QtCore.QCoreApplication, language: str) -> None:
    """Switch the running application to `language`: catalogues, Qt's own texts and number formats.

    Installing or removing a translator makes Qt send every widget a LanguageChange event; our widgets
    retranslate in `changeEvent` and redraw their figures then. The default locale is set before the old
    catalogues go, so figures redrawn on the first of those events already use the new number format.
    """
    QtCore.QLocale.setDefault(QtCore.QLocale(language))
    uninstall(app, _in_use)
    _in_use[:] = install(app, language)
    # Qt posts LanguageChange; delivered now, every open window is retranslated before this returns.
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LanguageChange)


def uninstall(app: QtCore.QCoreApplication, translators: list[QtCore.QTranslator]) -> None:
    for tr in translators:
        app.removeTranslator(tr)
