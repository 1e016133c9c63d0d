"""Languages: Qt translators for our strings (resources/i18n/*.qm) and Qt's own.

Switching installs or removes translators on the running application; Qt
then sends every widget a LanguageChange event and each screen re-reads its
texts (`retranslate`), so no restart is needed. Data in two languages (the
catalog's names and guidance) is picked with `language()`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kiosk.paths import resources_dir

LANGUAGES = ("en", "zh")
QT_LOCALES = {"en": "en_GB", "zh": "zh_CN"}
_current = "en"


def language() -> str:
    """The language of the interface now: 'en' or 'zh' (the catalog's codes)."""
    return _current


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def qm_path(code: str) -> Path:
    return i18n_dir() / f"medshare_{QT_LOCALES[code]}.qm"


class Translations:
    """Owns the installed translators; one per process (see `translations()`)."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []

    def set_language(self, code: str) -> bool:
        """Switch the whole interface; returns False if the translation file is missing."""
        global _current
        if code not in LANGUAGES:
            code = "en"
        app = QCoreApplication.instance()
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed = []
        ok = True
        if code != "en":
            ours = QTranslator(app)
            ok = ours.load(str(qm_path(code)))
            if ok:
                self._installed.append(ours)
            qt_own = QTranslator(app)
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt_own.load(f"qtbase_{QT_LOCALES[code]}", qt_dir):
                self._installed.append(qt_own)
        QLocale.setDefault(QLocale(QT_LOCALES[code]))
        _current = code
        # installing or removing a translator makes Qt send LanguageChange to every widget
        for translator in self._installed:
            QCoreApplication.installTranslator(translator)
        return ok


_translations: Translations | None = None


def translations() -> Translations:
    """The one Translations of this process, so a switch always removes the last one's files."""
    global _translations
    if _translations is None:
        _translations = Translations()
    return _translations
