"""Backups: when the last one was taken, back up now, the schedule, and restore.

Backups are SQLite online backups of the live file (the desk keeps working
while one is taken) into the data folder's backups/, rotated to the newest
N. A restore checks the file first (the same check as `medshare db verify`, then
a trial open of a copy, kiosk.db.restoring); only a sound file replaces the
station, and the replaced file is kept beside it under a name of its own. A
backup of another station needs its own confirmation naming both stations.
The desk then opens the restored station and everyone signs in again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import manager_jobs
from kiosk.ui.background import Background
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager.common import fill, local_time, selected_key, table
from kiosk.ui.services import Services
from kiosk.ui.widgets import Form, Message, heading, hint, settle_top_level


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"


class BackupsScreen(Screen):
    key = "backups"
    topics = ("backups", "settings")

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.background = Background.of(services)
        self.heading = heading()
        self.last = QLabel()
        self.last.setObjectName("heading")
        self.explain = hint()
        self.back_up = QPushButton()
        self.back_up.setObjectName("primary")
        self.copy_to = QPushButton()
        self.message = Message()
        self.files = table(4, 2)
        self.check = QPushButton()
        self.restore_selected = QPushButton()
        self.restore_file = QPushButton()

        self.schedule_box = QGroupBox()
        self.interval = QLineEdit()
        self.keep = QLineEdit()
        for field in (self.interval, self.keep):
            field.setMaximumWidth(160)
        self.save_schedule = QPushButton()
        self.schedule_form = Form()
        for row in (self.interval, self.keep, self.save_schedule):
            self.schedule_form.add(row)
        self.schedule_message = Message()
        schedule = QVBoxLayout(self.schedule_box)
        schedule.addLayout(self.schedule_form)
        schedule.addWidget(self.schedule_message)

        top = QHBoxLayout()
        top.addWidget(self.last, 1)
        top.addWidget(self.back_up)
        top.addWidget(self.copy_to)
        actions = QHBoxLayout()
        actions.addWidget(self.check)
        actions.addWidget(self.restore_selected)
        actions.addStretch(1)
        actions.addWidget(self.restore_file)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.explain)
        layout.addWidget(self.message)
        layout.addWidget(self.files, 1)
        layout.addLayout(actions)
        layout.addWidget(self.schedule_box)

        self.back_up.clicked.connect(self.back_up_now)
        self.copy_to.clicked.connect(self.choose_copy)
        self.check.clicked.connect(self.check_selected)
        self.restore_selected.clicked.connect(self.ask_restore_selected)
        self.restore_file.clicked.connect(self.choose_restore_file)
        self.save_schedule.clicked.connect(self.submit_schedule)
        self.files.itemSelectionChanged.connect(self._update_actions)
        self.background.last_backup.connect(self._last_backup)
        self.page: manager_jobs.BackupsPage | None = None
        self.dialog: ConfirmRestore | None = None
        self.restoring = False
        self._update_actions()
        self.retranslate()

    def title(self) -> str:
        return self.tr("Backups")

    def focus_first(self) -> None:
        self.back_up.setFocus()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Backups"))
        self.back_up.setText(self.tr("Back up now"))
        self.copy_to.setText(self.tr("Save a copy to…"))
        self.check.setText(self.tr("Check the selected backup"))
        self.restore_selected.setText(self.tr("Restore the selected backup…"))
        self.restore_file.setText(self.tr("Restore from a file…"))
        self.files.setHorizontalHeaderLabels([self.tr("Taken"), self.tr("Size"),
                                              self.tr("File"), self.tr("Ledger head")])
        self.schedule_box.setTitle(self.tr("Automatic backups"))
        self.schedule_form.set_labels([self.tr("Every (hours)"), self.tr("Keep the newest"),
                                       ""])
        self.save_schedule.setText(self.tr("Save schedule"))
        self._show()

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.services.call(manager_jobs.backups, on_done=self._loaded,
                           on_error=self.message.failure)

    def _loaded(self, page: manager_jobs.BackupsPage) -> None:
        self.page = page
        self.interval.setText(str(page.interval_hours))
        self.keep.setText(str(page.keep))
        self._show()

    def _last_backup(self, _moment: Any) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.mark_stale()

    def _show(self) -> None:
        page = self.page
        if page is None:
            self.last.setText(self.tr("Last backup: …"))
            return
        if page.last is None:
            self.last.setText(self.tr("Last backup: none yet"))
        else:
            self.last.setText(self.tr("Last backup: {time}").format(time=local_time(page.last)))
        self.explain.setText(self.tr(
            "A backup is taken automatically every {hours} hours while the desk is open; the "
            "newest {keep} are kept in {folder}. Copy one to a USB stick now and then.").format(
            hours=page.interval_hours, keep=page.keep, folder=page.folder))
        heads = page.heads or ("",) * len(page.files)
        fill(self.files, [[local_time(f.taken_at), _size(f.size), f.path.name, head]
                          for f, head in zip(page.files, heads, strict=True)],
             keys=[str(f.path) for f in page.files],
             numeric=(1,))
        self._update_actions()

    def selected_path(self) -> Path | None:
        key = selected_key(self.files)
        return None if key is None else Path(str(key))

    def _update_actions(self) -> None:
        chosen = self.selected_path() is not None and not self.restoring
        self.check.setEnabled(chosen)
        self.restore_selected.setEnabled(chosen)
        self.restore_file.setEnabled(not self.restoring)

    # -- backing up ---------------------------------------------------------------------

    def back_up_now(self) -> None:
        self.back_up.setEnabled(False)
        self.services.call(manager_jobs.back_up_now, on_done=self._backed_up,
                           on_error=self._failed)

    def _backed_up(self, taken: Any) -> None:
        self.back_up.setEnabled(True)
        self.message.ok(self.tr("Backed up to {path}.").format(path=taken.path))
        self.background.set_last_backup(taken.taken_at)

    def _failed(self, failure: Failure) -> None:
        self.back_up.setEnabled(True)
        self.message.failure(failure)

    def choose_copy(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy of the station"),
                                              "medshare-station.db",
                                              self.tr("Station backups (*.db)"))
        if path:
            self.copy_to_file(Path(path))

    def copy_to_file(self, path: Path) -> None:
        self.services.call(manager_jobs.back_up_now, Path(path),
                           on_done=lambda taken: self.message.ok(
                               self.tr("Saved a copy to {path}.").format(path=taken.path)),
                           on_error=self.message.failure)

    def submit_schedule(self) -> None:
        changes = {"backup_interval_hours": self.interval.text(), "backup_keep": self.keep.text()}
        self.services.call(manager_jobs.save_settings, changes, changes=("settings",),
                           on_done=lambda _: self.schedule_message.ok(self.tr("Saved.")),
                           on_error=lambda failure: self.schedule_message.error(self.tr(
                               "Nothing was saved. {reason}").format(reason=failure.message)))

    # -- checking and restoring ---------------------------------------------------------

    def check_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.services.call(manager_jobs.check_backup, path,
                               on_done=lambda found: self._checked(path, found),
                               on_error=self.message.failure)

    def _checked(self, path: Path, found: list[str]) -> None:
        if found:
            self.message.error(self.tr("{name} cannot be restored: {problems}").format(
                name=path.name, problems="; ".join(found[:3])))
        else:
            self.message.ok(self.tr("{name} is sound: the file, the ledger's chain and "
                                    "every balance check out.").format(name=path.name))

    def ask_restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.ask_restore(path)

    def choose_restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from a backup file"), "",
                                              self.tr("Station backups (*.db)"))
        if path:
            self.ask_restore(Path(path))

    def ask_restore(self, path: Path) -> None:
        """Look whose backup it is (on the database thread), then ask first."""
        self.dialog = None
        self.services.call(manager_jobs.restore_preview, path,
                           on_done=lambda preview: self._confirm(path, preview),
                           on_error=self.message.failure)

    def _confirm(self, path: Path, preview: manager_jobs.RestorePreview) -> None:
        """A window-modal dialog that does not block the event loop."""
        dialog = ConfirmRestore(path, preview, self)
        dialog.confirm.clicked.connect(lambda: self.restore(path, other_station=preview.other))
        self.dialog = dialog
        dialog.open()

    def restore(self, path: Path, *, other_station: bool = False) -> None:
        self.restoring = True
        self._update_actions()
        self.message.info(self.tr("Checking {name}…").format(name=path.name))
        self.background.restore(path, on_done=lambda _: self._restored(path),
                                on_error=self._restore_failed, other_station=other_station)

    def _restored(self, path: Path) -> None:
        self.restoring = False
        self._update_actions()
        self.message.ok(self.tr("Restored {name}. Sign in again to go on.").format(
            name=path.name))
        self.mark_stale()

    def _restore_failed(self, failure: Failure) -> None:
        self.restoring = False
        self._update_actions()
        self.message.error(self.tr("Nothing was restored. {reason}").format(
            reason=failure.message))


class ConfirmRestore(QDialog):
    """"Replace the station's data with this backup?" with Restore and Cancel.

    Our own dialog rather than a QMessageBox, which fixes its own size and so
    cannot show on every platform plugin without a warning.
    """

    def __init__(self, path: Path, preview: manager_jobs.RestorePreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.confirm = QPushButton()
        self.confirm.setObjectName("primary")
        self.cancel = QPushButton()
        self.cancel.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.setWindowTitle(self.tr("Restore a backup"))
        if preview.other:
            self.setWindowTitle(self.tr("Restore another station's backup"))
            self.text.setText(self.tr(
                "{name} is a backup of another station. This station is {here}; the "
                "backup's station is {there}. Restoring it makes this computer {there}: it "
                "keeps the backup's own enrolment (or, if it had none, needs to be enrolled), "
                "and {here}'s data and enrolment stay in the replaced file kept beside it. "
                "Everyone signs in again.").format(
                name=path.name, here=preview.this_station, there=preview.backup_station))
            self.confirm.setText(self.tr("Restore {there} here").format(
                there=preview.backup_station))
        else:
            self.text.setText(self.tr(
                "Replace the station's data with {name}? Everything recorded since that "
                "backup is set aside (the current file is kept beside the restored one), and "
                "everyone signs in again.").format(name=path.name))
            self.confirm.setText(self.tr("Restore"))
        self.cancel.setText(self.tr("Cancel"))
        self.confirm.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        settle_top_level(self, 520, 200)
