"""Reading pickup slips: keyboard-wedge scanners, typed short codes, camera frames.

Pure Python plus zxing-cpp; no Qt. Every entry point returns a `ScanResult`
holding a parsed (not yet verified) slip code, or raises
`kiosk.slips.Refusal` (a `SlipRefused`) with a plain reason. Checking the
code against the station secret and the slip's state is the job of
`kiosk.db.slips.redeem` / `status`, which take `ScanResult.text`.

* A USB or Bluetooth scanner "types" the QR content as a fast burst of keys
  ending in Enter. `KeyBurst` tells such a burst from a person typing;
  `scan_text` strips the line end (and stray control characters some
  scanners add) and upper-cases a token sent in lower case.
* A short code typed by hand goes through `scan_text` too (case, spaces,
  dashes and O/0, I/1 mix-ups are forgiven).
* A camera frame or picture goes through `scan_image`: a greyscale or colour
  numpy array, a QImage, or raw bytes with their width and height.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from kiosk import slips
from kiosk.slips import Refusal, Token

SOURCES: Final = ("scanner", "typed", "camera")


@dataclass(frozen=True)
class ScanResult:
    code: slips.Code
    source: str  # scanner, typed or camera

    @property
    def text(self) -> str:
        """The code in its canonical printed form: what redeem() and status() take."""
        return self.code.text

    @property
    def kind(self) -> str:
        return "token" if isinstance(self.code, Token) else "short-code"

    @property
    def slip_id(self) -> int:
        return self.code.slip_id


def _clean(text: str) -> str:
    """Drop the Enter a scanner ends with, and control characters (STX/ETX, Tab, NUL)."""
    kept = "".join(char for char in text if char.isprintable() or char == " ")
    return kept.strip()


def scan_text(text: str, source: str = "scanner") -> ScanResult:
    """A token from a keyboard-wedge scanner, or a short code typed at the desk or kiosk."""
    if source not in SOURCES:
        raise ValueError(f"unknown scan source {source!r}")
    cleaned = _clean(text)
    if not cleaned:
        raise Refusal(slips.NO_CODE, "Nothing was scanned or typed.")
    return ScanResult(slips.read(cleaned), source)


def _as_image(pixels: object, width: int | None, height: int | None) -> object:
    """What zxing-cpp can read: arrays and QImages as they are; bytes shaped by width x height."""
    if isinstance(pixels, bytes | bytearray | memoryview):
        if not width or not height or width <= 0 or height <= 0:
            raise ValueError("raw pixel bytes need their width and height")
        size = len(pixels) if not isinstance(pixels, memoryview) else pixels.nbytes
        channels, remainder = divmod(size, width * height)
        if remainder or channels not in (1, 3, 4):
            raise ValueError(
                f"{size} bytes are not a {width}x{height} picture of 1, 3 or 4 bytes per pixel"
            )
        view = memoryview(pixels).cast("B")
        if channels == 1:
            return view.cast("B", (height, width))
        return view.cast("B", (height, width, channels))
    shape = getattr(pixels, "shape", None)
    if shape is not None and len(shape) == 3 and shape[2] == 4:
        import zxingcpp

        array: Any = pixels
        return zxingcpp.ImageView(array, int(shape[1]), int(shape[0]),
                                  zxingcpp.ImageFormat.BGRA)
    return pixels


def _decode(image: object) -> list[Any]:
    import zxingcpp

    found: list[Any] = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_rotate=True, try_downscale=True, try_invert=False,
    )
    if not found:
        # a second, cheap look for a medicine box's barcode, to say what was scanned
        retail = [zxingcpp.BarcodeFormat.EAN13, zxingcpp.BarcodeFormat.EAN8,
                  zxingcpp.BarcodeFormat.UPCA, zxingcpp.BarcodeFormat.UPCE]
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(retail),
                                       try_rotate=True, try_downscale=False, try_invert=False)
    return found


def scan_image(pixels: object, width: int | None = None, height: int | None = None
               ) -> ScanResult:
    """The slip code in a camera frame or picture.

    `pixels`: a numpy array (H x W greyscale, H x W x 3 BGR, H x W x 4 BGRA),
    a QImage, or bytes of 1, 3 or 4 bytes per pixel with `width` and `height`.
    """
    found = _decode(_as_image(pixels, width, height))
    first_refusal: Refusal | None = None
    for barcode in found:
        try:
            return ScanResult(slips.read(str(barcode.text)), "camera")
        except Refusal as refusal:
            first_refusal = first_refusal or refusal
    if first_refusal is not None:
        raise first_refusal
    raise Refusal(
        slips.NO_CODE,
        "No code found in the picture: hold the slip flat and still, with the square QR code "
        "filling a good part of the camera view, in good light.",
    )


class KeyBurst:
    """Tells a keyboard-wedge scanner's burst of keys from a person typing.

    Feed every key the window receives with its time in seconds (e.g.
    `time.monotonic()` or the key event's timestamp / 1000). A scanner types
    a whole code within milliseconds and ends with Enter; when that happens
    `feed` returns the code's text. Slower keys (a person) reset the burst,
    and `feed` returns None, so the key can go to the focused widget.
    """

    ENTER: Final = ("\r", "\n")

    def __init__(self, max_gap: float = 0.05, min_length: int = 8) -> None:
        self.max_gap = max_gap
        self.min_length = min_length
        self._chars: list[str] = []
        self._last: float | None = None

    def feed(self, key: str, at: float) -> str | None:
        fast = self._last is not None and at - self._last <= self.max_gap
        self._last = at
        if key in self.ENTER:
            burst = "".join(self._chars)
            self._chars = []
            self._last = None
            if fast and len(burst) >= self.min_length:
                return burst
            return None
        if not fast:
            self._chars = []
        self._chars.append(key)
        return None

    @property
    def pending(self) -> str:
        """The keys of the burst so far (a UI may swallow them once a burst is recognised)."""
        return "".join(self._chars)

    def reset(self) -> None:
        self._chars = []
        self._last = None
