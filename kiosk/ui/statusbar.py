"""The status bar: sync state, the last backup, who is signed in, the station's clock.

The clock and the backup time are on the station's wall clock (its time zone,
shown beside the clock), which may differ from the computer's."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QEvent, QTimer, Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from kiosk.localtime import offset_text, zone
from kiosk.ui import labels, stationclock, style


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.sync = QLabel()
        self.backup = QLabel()
        self.staff = QLabel()
        self.clock = QLabel()
        self.training = QLabel()  # shown only on a training station
        self.training.setObjectName("training")
        self.training.setStyleSheet(f"font-weight: bold; color: {style.BAD_FG};")
        self.training.setContentsMargins(12, 0, 12, 0)
        self.training.hide()
        for label in (self.sync, self.backup, self.staff, self.clock):
            label.setMinimumHeight(32)
        self.backup.setContentsMargins(12, 0, 12, 0)
        self.addWidget(self.training)
        self.addWidget(self.sync, 1)
        self.addPermanentWidget(self.backup)
        self.addPermanentWidget(self.staff)
        self.addPermanentWidget(self.clock)
        self._sync: tuple[bool, str | None, int] | None = None  # None: not enrolled
        self._account: Any = None
        self._backup: datetime | None = None
        self._backup_known = False  # not read yet: show nothing rather than "never"
        self._zone_name = ""  # "" until a station is open: the computer's clock
        self._zone: tzinfo | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()
        self.retranslate()

    @Slot(bool, object, int)
    def set_sync_state(self, online: bool, last_sync: str | None, outbox: int) -> None:
        """For the sync client: online or not, when it last synced, how many changes wait."""
        self._sync = (online, last_sync, outbox)
        self._show_sync()

    def clear_sync_state(self) -> None:
        """The station is not enrolled (again, after restoring an older backup)."""
        self._sync = None
        self._show_sync()

    def set_last_backup(self, moment: datetime | None) -> None:
        """When the newest backup was taken (None: there is none yet)."""
        self._backup = moment
        self._backup_known = True
        self._show_backup()

    def set_training(self, training: bool) -> None:
        self.training.setVisible(training)

    def set_zone(self, name: str) -> None:
        """The station's time zone: the clock and times here follow it."""
        self._zone_name = name
        self._zone = zone(name) if name else None
        stationclock.set_zone(name)  # the desk's other times follow the same clock
        self._show_backup()
        self._tick()

    def set_account(self, account: Any) -> None:
        self._account = account
        self._show_account()

    def retranslate(self) -> None:
        self.training.setText(self.tr("TRAINING station: practice only; its slips are not "
                                      "valid at any real station"))
        self._show_sync()
        self._show_backup()
        self._show_account()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_sync(self) -> None:
        if self._sync is None:
            self.sync.setText(self.tr("Sync: not enrolled"))
            return
        online, last_sync, outbox = self._sync
        state = self.tr("● online") if online else self.tr("○ offline")
        last = last_sync or self.tr("never")
        self.sync.setText(self.tr("Sync: {state} · last sync {last} · {count} waiting to send")
                          .format(state=state, last=last, count=outbox))

    def _show_backup(self) -> None:
        if not self._backup_known:
            self.backup.setText("")
        elif self._backup is None:
            self.backup.setText(self.tr("Last backup: none yet"))
        else:
            self.backup.setText(self.tr("Last backup: {time}").format(
                time=self._backup.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")))

    def _show_account(self) -> None:
        if self._account is None:
            self.staff.setText(self.tr("Not signed in"))
        else:
            self.staff.setText(self.tr("Signed in: {name} ({role})").format(
                name=self._account.name, role=labels.role(self._account.role)))

    def _tick(self) -> None:
        now = datetime.now(UTC).astimezone(self._zone)
        text = now.strftime("%Y-%m-%d %H:%M")
        if self._zone is not None:
            text += f"  {self._zone_name} ({offset_text(now, self._zone)})"
        if self.clock.text() != text:
            self.clock.setText(text)
