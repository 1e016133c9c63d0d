"""The idle timeout: no touch, click or key for a while, and the kiosk starts over.

The watch filters the application's events (it sees every input before any
widget does, including the on-screen keys) and restarts one timer on each;
it never consumes an event.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseMove,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
})


class IdleWatch(QObject):
    timed_out = Signal()

    def __init__(self, seconds: float = 60, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.timed_out.emit)
        self.set_seconds(seconds)
        self._installed = False

    @property
    def seconds(self) -> float:
        return self.timer.interval() / 1000

    def set_seconds(self, seconds: float) -> None:
        self.timer.setInterval(max(1, round(seconds * 1000)))
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def poke(self) -> None:
        """Someone is here: start counting again."""
        if self._installed:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.poke()
        return False
