"""The one place a desk shows a resident's full phone number: "Call" on a request.

The number is fetched only when staff press Call (the audit records who and
when, kiosk/db/contact.py), shown in this window-modal dialog and dropped
when it closes, so it never stays on a screen, in a table or in a
screenshot of the desk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import settle_top_level


class CallDialog(QDialog):
    def __init__(self, request_id: int, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.number = QLabel(number)
        self.number.setObjectName("callNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2)
        big.setBold(True)
        self.number.setFont(big)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(self.number)
        layout.addWidget(self.note, 1)
        layout.addLayout(buttons)
        self.setWindowTitle(self.tr("Call the resident"))
        self.what.setText(self.tr("Phone number of request {number}:").format(number=request_id))
        self.note.setText(self.tr(
            "Your name and the time were written into the audit. Do not write the number "
            "down; it is erased after the retention period."))
        self.close_button.setText(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        settle_top_level(self, 420, 200)

    def done(self, result: int) -> None:
        self.number.clear()  # nothing of the number outlives the dialog
        super().done(result)
