"""Pickup: scan the slip (or type its short code) and get a big, plain verdict.

The scan field keeps the keyboard focus while this screen is up, so a
keyboard-wedge scanner's burst of keys always lands there. A burst is told
from a person typing by its speed (kiosk.scanner.KeyBurst); either way the
code goes to `redeem`, which hands over in one transaction or refuses with
the reason. A camera view appears only where Qt Multimedia finds a camera.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import labels
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.screens.base import Screen
from kiosk.ui.services import Services
from kiosk.ui.widgets import ScanKeys, escape_text, heading, hint, set_kind


def find_cameras() -> tuple[list[Any], str]:
    """(cameras, why none): Qt Multimedia is loaded only here, when the screen first shows.

    Loading it probes for optional system libraries (PipeWire, VA-API) and
    logs a warning for each one missing, and names its FFmpeg; none of that
    is news to the desk, so those two logging categories are kept quiet.
    """
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules(
        "qt.multimedia.symbolsresolver.warning=false\nqt.multimedia.ffmpeg.info=false")
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as error:  # e.g. its system libraries are missing
        return [], str(error)
    return list(QMediaDevices.videoInputs()), ""


class CameraPanel(QGroupBox):
    """A live view that decodes slips with zxing-cpp, or a plain 'no camera' notice."""

    def __init__(self, on_code: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_code = on_code
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.notice)
        self.cameras: list[Any] | None = None
        self.why_none = ""
        self._session: Any = None
        self._last_decode = 0.0
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Camera"))
        if self.cameras is None:
            self.notice.setText(self.tr("Looking for a camera…"))
        elif not self.cameras:
            text = self.tr("✖ No camera found. Use the scanner or type the short code.")
            if self.why_none:
                text += "\n" + self.tr("(Camera support could not start: {why})").format(
                    why=self.why_none)
            self.notice.setText(text)
        else:
            self.notice.setText(self.tr("Hold the slip's QR code in front of the camera."))

    def detect(self) -> None:
        if self.cameras is not None:
            return
        self.cameras, self.why_none = find_cameras()
        if self.cameras:
            self._start(self.cameras[0])
        self.retranslate()

    def _start(self, device: Any) -> None:  # pragma: no cover - needs a camera
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        view = QVideoWidget()
        view.setMinimumHeight(240)
        camera = QCamera(device)
        session = QMediaCaptureSession()
        session.setCamera(camera)
        session.setVideoOutput(view)
        view.videoSink().videoFrameChanged.connect(self._frame)
        self.layout_.addWidget(view)
        camera.start()
        self._session = (session, camera, view)

    def _frame(self, frame: Any) -> None:  # pragma: no cover - needs a camera
        now = time.monotonic()
        if now - self._last_decode < 0.3:
            return
        self._last_decode = now
        from kiosk import scanner
        from kiosk.errors import SlipRefused

        try:
            found = scanner.scan_image(frame.toImage())
        except (SlipRefused, ValueError):
            return
        self.on_code(found.text, "camera")

    def stop(self) -> None:
        if self._session is not None:  # pragma: no cover - needs a camera
            self._session[1].stop()


class PickupScreen(Screen):
    key = "pickup"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.scan_label = QLabel()
        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.code_label = QLabel()
        self.code = QLineEdit()
        self.code.setMaxLength(20)
        self.hand_over = QPushButton()
        self.hand_over.setObjectName("primary")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setMinimumHeight(200)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.camera = CameraPanel(self.redeem)

        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.hand_over)
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.explain)
        left.addWidget(self.scan_label)
        left.addWidget(self.scan)
        left.addWidget(self.code_label)
        left.addLayout(code_row)
        left.addWidget(self.verdict, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.camera, 2)

        self.scan_keys = ScanKeys(self.scan, self.code, self.redeem, self.submit_code, self)
        self.hand_over.clicked.connect(self.submit_code)
        self.result: Any = None
        self.failure: Failure | None = None
        self._busy = False
        self._verdict_kind = "idle"
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Pickup")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Pickup: hand over against a slip"))
        self.explain.setText(self.tr(
            "Scan the QR code on the slip. If the scanner fails, type the short code printed "
            "under it."))
        self.scan_label.setText(self.tr("Scan here (this field keeps the focus)"))
        self.scan.setPlaceholderText(self.tr("Waiting for a scan…"))
        self.code_label.setText(self.tr("Short code"))
        self.code.setPlaceholderText(self.tr("e.g. 1A3-K7M-4QX"))
        self.hand_over.setText(self.tr("Check and hand over"))
        self.camera.retranslate()
        self._render()

    def focus_first(self) -> None:
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_first()
        QTimer.singleShot(0, self.camera.detect)

    def hideEvent(self, event: Any) -> None:
        self.camera.stop()
        super().hideEvent(event)

    # -- keeping the focus ------------------------------------------------------------------

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if not self.isVisible() or new is None or new in (self.scan, self.code, self.hand_over):
            return
        if self.isAncestorOf(new):
            QTimer.singleShot(0, self.focus_first)

    # -- redeeming --------------------------------------------------------------------------

    def submit_code(self) -> None:
        text = self.code.text().strip()
        if not text:
            self.focus_first()
            return
        self.code.clear()
        self.redeem(text, "typed")
        self.focus_first()

    def redeem(self, text: str, source: str = "scanner") -> None:
        if self._busy:
            return
        self._busy = True
        self.result = None
        self.failure = None
        self._verdict_kind = "checking"
        self._render()
        self.services.redeem(text, source, on_done=self._collected, on_error=self._refused)

    def _collected(self, result: Any) -> None:
        self._busy = False
        self.result = result
        self._verdict_kind = "ok"
        self._render()
        self.focus_first()

    def _refused(self, failure: Failure) -> None:
        self._busy = False
        self.failure = failure
        self._verdict_kind = "no"
        self._render()
        self.focus_first()

    @property
    def verdict_text(self) -> str:
        return self.verdict.text()

    def _render(self) -> None:
        kind = self._verdict_kind
        if kind == "ok" and self.result is not None:
            self.verdict.setText(self._handover_html(self.result))
        elif kind == "no" and self.failure is not None:
            reason = labels.refusal(str(getattr(self.failure.error, "reason", "")))
            refuse = self.tr("DO NOT HAND OVER")
            lines = [f"<b>✖ {refuse}</b>"]
            if reason:
                lines.append(escape_text(reason))
            lines.append(f"<small>{escape_text(self.failure.message)}</small>")
            self.verdict.setText("<br>".join(lines))
        elif kind == "checking":
            self.verdict.setText(self.tr("Checking the slip…"))
        else:
            self.verdict.setText(self.tr("Scan a slip to see what to hand over."))
        set_kind(self.verdict, {"ok": "ok", "no": "no"}.get(kind, "idle"))

    def _handover_html(self, result: Any) -> str:
        lang = language()
        name = result.item_name_zh if lang == "zh" else result.item_name_en
        units = labels.units_text(self.services.catalog, result.item_id, result.units)
        hand_over = self.tr("HAND OVER")
        lines = [
            f"<b>✔ {hand_over}</b>",
            escape_text(self.tr("{units} of {name}").format(units=units, name=name)),
        ]
        for lot in result.lots:
            lines.append("• " + escape_text(self.tr(
                "{units} from lot {lot} (expires {expiry})").format(
                units=lot.units, lot=lot.lot_number or f"#{lot.lot_id}",
                expiry=lot.expiry.isoformat())))
        lines.append("<small>" + escape_text(self.tr("Slip {slip}, request {request}").format(
            slip=result.slip_id, request=result.request_id)) + "</small>")
        return "<br>".join(lines)
