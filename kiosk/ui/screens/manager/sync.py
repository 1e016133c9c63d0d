"""Sync: the station's enrolment, how sync is going, the last error, and "sync now".

Enrolment takes the central endpoint's address and the one-time code the
operator made (`medshare-central stations add NAME`); scanning the operator's
enrolment QR code into the code field fills in both. The rounds themselves
run in the background (kiosk.ui.background); this page shows their state.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import InvalidInput
from kiosk.ui.background import Background
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager.common import local_time
from kiosk.ui.services import Services
from kiosk.ui.widgets import Form, Message, heading, hint


class SyncScreen(Screen):
    key = "sync"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.background = Background.of(services)
        self.heading = heading()
        self.state_box = QGroupBox()
        self.values = {key: QLabel() for key in (
            "enrolled", "server", "station", "online", "last_success", "last_attempt",
            "outbox")}
        for label in self.values.values():
            label.setWordWrap(True)
        self.error = Message()
        self.state_form = Form()
        for label in (*self.values.values(), self.error):
            self.state_form.add(label)
        self.sync_now = QPushButton()
        self.sync_now.setObjectName("primary")
        self.round_message = Message()
        state = QVBoxLayout(self.state_box)
        state.addLayout(self.state_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_now)
        buttons.addWidget(self.round_message, 1)
        state.addLayout(buttons)

        self.enrol_box = QGroupBox()
        self.enrol_hint = hint()
        self.url = QLineEdit()
        self.code = QLineEdit()
        self.code.setMaxLength(400)
        self.enrol = QPushButton()
        self.enrol_message = Message()
        self.enrol_form = Form()
        for field in (self.url, self.code, self.enrol):
            self.enrol_form.add(field)
        enrol = QVBoxLayout(self.enrol_box)
        enrol.addWidget(self.enrol_hint)
        enrol.addLayout(self.enrol_form)
        enrol.addWidget(self.enrol_message)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state_box)
        layout.addWidget(self.enrol_box)
        layout.addStretch(1)

        self.sync_now.clicked.connect(self.start_sync)
        self.enrol.clicked.connect(self.submit_enrol)
        self.code.returnPressed.connect(self.submit_enrol)
        self.background.sync_status.connect(self._status)
        self.background.round_finished.connect(self._round_finished)
        self.status: Any = self.background.status
        self.waiting_for_round = False
        self.retranslate()

    def title(self) -> str:
        return self.tr("Sync")

    def focus_first(self) -> None:
        (self.sync_now if self.status is not None and self.status.enrolled
         else self.url).setFocus()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sync with the central endpoint"))
        self.state_box.setTitle(self.tr("This station"))
        self.state_form.set_labels([
            self.tr("Enrolled"), self.tr("Central endpoint"), self.tr("Station id"),
            self.tr("Connection"), self.tr("Last sync"), self.tr("Last try"),
            self.tr("Waiting to send"), self.tr("Last error")])
        self.sync_now.setText(self.tr("Sync now"))
        self.enrol_hint.setText(self.tr(
            "Ask the central endpoint's operator for a one-time enrolment code (or its QR "
            "code). Type the address and the code, or scan the QR code into the code field."))
        self.enrol_form.set_labels([self.tr("Address"), self.tr("Enrolment code"), ""])
        self.url.setPlaceholderText("https://central.example.org")
        self.code.setPlaceholderText(self.tr("ABCD-EFGH-JKMN, or scan the QR code"))
        self._show()

    def refresh(self) -> None:
        self.background.refresh_status()

    # -- state --------------------------------------------------------------------------

    def _status(self, status: Any) -> None:
        self.status = status
        self._show()

    def _show(self) -> None:
        status = self.status
        enrolled = status is not None and status.enrolled
        self.enrol_box.setTitle(self.tr("Enrol again (a new code makes a new station id)")
                                if enrolled else self.tr("Enrol this station"))
        self.enrol.setText(self.tr("Enrol again") if enrolled else self.tr("Enrol"))
        self.sync_now.setEnabled(enrolled)
        v = self.values
        if status is None:
            for label in v.values():
                label.setText("…")
            self.error.info("")
            return
        v["enrolled"].setText(self.tr("Yes") if enrolled else self.tr(
            "No: this station works on its own until it is enrolled."))
        v["server"].setText(status.server_url or "—")
        v["station"].setText(status.station_id or "—")
        if not enrolled:
            v["online"].setText("—")
        else:
            v["online"].setText(self.tr("● online") if status.online else self.tr("○ offline"))
        v["last_success"].setText(local_time(status.last_success) if status.last_success
                                  else self.tr("never"))
        v["last_attempt"].setText(local_time(status.last_attempt) if status.last_attempt
                                  else self.tr("never"))
        v["outbox"].setText(self.tr("{count} changes").format(count=status.outbox_length))
        if status.last_error:
            self.error.error(status.last_error)
        else:
            self.error.info(self.tr("None"))

    # -- sync now -----------------------------------------------------------------------

    def start_sync(self) -> None:
        self.waiting_for_round = True
        self.sync_now.setEnabled(False)
        self.round_message.info(self.tr("Syncing…"))
        self.background.sync_now()

    def _round_finished(self, result: Any) -> None:
        if not self.waiting_for_round:
            return
        self.waiting_for_round = False
        self.sync_now.setEnabled(bool(result.status.enrolled))
        if result.ok:
            self.round_message.ok(self.tr("Synced."))
        else:
            self.round_message.error(self.tr("Could not sync; see the last error."))

    # -- enrolment ----------------------------------------------------------------------

    def _split_scan(self) -> None:
        """A scanned enrolment QR code types 'MEDSHARE-ENROL:CODE@URL' and Enter: split it.

        Only on Enter or the button, never while the scanner is still typing.
        """
        from kiosk.sync.protocol import ENROLMENT_QR_PREFIX, parse_enrolment_qr

        text = self.code.text().strip()
        if not text.upper().startswith(ENROLMENT_QR_PREFIX):
            return
        try:
            code, url = parse_enrolment_qr(text)
        except InvalidInput:  # the job says why, with the rest of the enrolment's checks
            return
        self.code.setText(code)
        if url:
            self.url.setText(url)

    def submit_enrol(self) -> None:
        self._split_scan()
        self.enrol.setEnabled(False)
        self.enrol_message.info(self.tr("Enrolling…"))
        self.background.enrol(self.url.text(), self.code.text(), on_done=self._enrolled,
                              on_error=self._refused)

    def _enrolled(self, status: Any) -> None:
        self.enrol.setEnabled(True)
        self.code.clear()
        self.enrol_message.ok(self.tr("Enrolled as {station}.").format(
            station=status.station_id))
        self.waiting_for_round = True  # the first round follows at once

    def _refused(self, failure: Failure) -> None:
        self.enrol.setEnabled(True)
        self.enrol_message.failure(failure)
