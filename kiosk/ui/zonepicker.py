"""A time zone field: type or pick an IANA name (Asia/Shanghai); the core checks it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from kiosk.localtime import zone_names


class ZonePicker(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(zone_names())
        # inline: typing "Asia/Sh" completes in the field itself; a popup list
        # would take the keyboard from the form's Enter-to-next-field flow
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def zone(self) -> str:
        return self.currentText().strip()

    def set_zone(self, name: str) -> None:
        self.setEditText(name)
