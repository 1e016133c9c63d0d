"""Scan my slip: what a pickup slip's holder may know about it. Nothing is handed over.

A keyboard-wedge scanner types the QR code as a fast burst of keys ending
in Enter; the scan field has the focus while the page is up, and a burst is
told from a person typing by its speed (kiosk.scanner.KeyBurst) wherever it
lands. A slip whose scanner fails can be checked by its short code, typed
with the on-screen keys. Only `slips.status` is called: it changes nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.slips import CROCKFORD
from kiosk.ui import kiosk_jobs, labels
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.widgets import KeyPad, big_button
from kiosk.ui.widgets import ScanKeys, escape_text, set_kind


class SlipPage(KioskPage):
    key = "slip"

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.heading.setObjectName("title")
        self.explain = QLabel()
        self.explain.setObjectName("big")
        self.explain.setWordWrap(True)
        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.code_label = QLabel()
        self.code_label.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setMaxLength(20)
        self.check = big_button("primary")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setMinimumHeight(180)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.keypad = KeyPad([*CROCKFORD, "-"], 8, lambda: self.code)

        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.check)
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.explain)
        left.addWidget(self.scan)
        left.addSpacing(12)
        left.addWidget(self.code_label)
        left.addLayout(code_row)
        left.addSpacing(12)
        left.addWidget(self.verdict, 1)
        right = QVBoxLayout()
        right.addStretch(1)
        right.addWidget(self.keypad)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        layout.addLayout(left, 1)
        layout.addSpacing(24)
        layout.addLayout(right)

        self.scan_keys = ScanKeys(self.scan, self.code, self.lookup, self.submit_code, self)
        self.check.clicked.connect(self.submit_code)
        self.status: Any = None
        self.failure: Failure | None = None
        self.checking = False
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Scan my slip"))
        self.explain.setText(self.tr("Hold the square QR code on your pickup slip under the "
                                     "scanner."))
        self.scan.setPlaceholderText(self.tr("Waiting for the scanner…"))
        self.code_label.setText(self.tr("No scanner, or it does not read? Type the short code "
                                        "printed under the QR code:"))
        self.code.setPlaceholderText(self.tr("e.g. 1A3-K7M-4QX"))
        self.check.setText(self.tr("Check"))
        self._render()

    # -- focus and scanning -----------------------------------------------------------------

    def entered(self, argument: object = None) -> None:
        QTimer.singleShot(0, self.focus_scan)

    def focus_scan(self) -> None:
        if self.isVisible():
            self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        self.scan.clear()
        self.code.clear()
        self.scan_keys.burst.reset()
        self.status = None
        self.failure = None
        self.checking = False
        self._render()

    def submit_code(self) -> None:
        text = self.code.text().strip()
        if not text:
            self.code.setFocus()
            return
        self.lookup(text, "typed")

    def lookup(self, text: str, source: str) -> None:
        if self.checking:
            return
        self.checking = True
        self.status = None
        self.failure = None
        self._render()
        self.context.call(kiosk_jobs.slip_status, text, source, on_done=self._found,
                          on_error=self._refused)

    def _found(self, status: Any) -> None:
        self.checking = False
        self.status = status
        self.code.clear()
        self._render()
        self.focus_scan()

    def _refused(self, failure: Failure) -> None:
        self.checking = False
        self.failure = failure
        self._render()
        self.focus_scan()

    # -- the verdict ------------------------------------------------------------------------

    @property
    def verdict_text(self) -> str:
        return self.verdict.text()

    def _render(self) -> None:
        if self.checking:
            self.verdict.setText(self.tr("Checking…"))
            set_kind(self.verdict, "idle")
        elif self.status is not None:
            state = self.status.state
            heads = {
                "ready": ("✔ " + self.tr("Ready to collect"), "ok"),
                "collected": ("✔ " + self.tr("Already collected"), "warn"),
                "expired": ("✖ " + self.tr("The pickup time is over"), "no"),
                "cancelled": ("✖ " + self.tr("This slip was cancelled"), "no"),
                "see-desk": ("⚠ " + self.tr("Please ask at the desk"), "warn"),
            }
            head, kind = heads.get(state, heads["see-desk"])
            lines = [f"<b>{escape_text(head)}</b>", escape_text(self.status.message(language()))]
            if state == "ready":
                lines.append(escape_text(self.tr("Show the slip at the desk to collect it.")))
            self.verdict.setText("<br>".join(lines))
            set_kind(self.verdict, kind)
        elif self.failure is not None:
            reason = labels.refusal(str(getattr(self.failure.error, "reason", "")))
            lines = ["<b>✖ " + escape_text(self.tr("This slip cannot be read")) + "</b>"]
            lines.append(escape_text(reason or self.failure.message))
            lines.append(escape_text(self.tr("Try again, or ask at the desk.")))
            self.verdict.setText("<br>".join(lines))
            set_kind(self.verdict, "no")
        else:
            self.verdict.setText(self.tr("Your slip's status will show here. Nothing is handed "
                                         "over at this screen."))
            set_kind(self.verdict, "idle")
