"""The scanner service: keyboard-wedge bursts, typed short codes and camera frames."""

from __future__ import annotations

import math

import numpy as np
import pytest
import qrcode
import zxingcpp

from kiosk import scanner, slips
from kiosk.slips import Refusal

SECRET = b"k" * 32
NONCE = "00ff00ff00ff00ff"
TOKEN = slips.make_token("HX01", 1234, SECRET, NONCE)
SHORT = slips.make_short_code("HX01", 1234, SECRET, NONCE)


def camera_frame(text: str, *, angle_deg: float = 7.0, module_px: float = 5.0,
                 noise: float = 14.0, seed: int = 1, width: int = 640,
                 height: int = 480) -> np.ndarray:
    """A 640x480 greyscale frame like a cheap webcam's: a printed QR code, tilted, unevenly
    lit, a little blurred and noisy, on grey paper."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=4)
    code.add_data(text)
    code.make(fit=True)
    modules = np.array(code.get_matrix(), dtype=bool)
    size = modules.shape[0]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    centre_x, centre_y = width * 0.55, height * 0.48
    theta = math.radians(angle_deg)
    # inverse rotation: where in the code does each frame pixel look?
    u = (math.cos(theta) * (xs - centre_x) + math.sin(theta) * (ys - centre_y)) / module_px
    v = (-math.sin(theta) * (xs - centre_x) + math.cos(theta) * (ys - centre_y)) / module_px
    col = np.floor(u + size / 2).astype(int)
    row = np.floor(v + size / 2).astype(int)
    inside = (col >= 0) & (col < size) & (row >= 0) & (row < size)
    dark = np.zeros((height, width), dtype=bool)
    dark[inside] = modules[row[inside], col[inside]]
    lighting = 150 + 60 * (xs / width) + 20 * (ys / height)  # brighter on one side
    frame = np.where(dark, lighting * 0.25, lighting)
    blurred = (frame + np.roll(frame, 1, 0) + np.roll(frame, 1, 1)
               + np.roll(frame, -1, 0) + np.roll(frame, -1, 1)) / 5
    rng = np.random.default_rng(seed)
    noisy = blurred + rng.normal(0, noise, blurred.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


# -- keyboard wedge and typing -----------------------------------------------------------------


@pytest.mark.parametrize(
    "burst",
    [
        TOKEN.text + "\r",
        TOKEN.text + "\r\n",
        TOKEN.text.lower() + "\n",
        "\x02" + TOKEN.text + "\x03\r",
        "  " + TOKEN.text + "\t\n",
    ],
)
def test_a_keyboard_wedge_burst_gives_the_token(burst: str) -> None:
    result = scanner.scan_text(burst)
    assert result.text == TOKEN.text
    assert (result.kind, result.slip_id, result.source) == ("token", 1234, "scanner")


@pytest.mark.parametrize(
    "typed",
    [SHORT.text, SHORT.text.lower(), SHORT.compact, " ".join(SHORT.compact),
     SHORT.compact.replace("1", "I").replace("0", "O")],
)
def test_a_short_code_typed_by_hand_is_as_good_as_a_scan(typed: str) -> None:
    result = scanner.scan_text(typed, source="typed")
    assert (result.kind, result.text, result.slip_id) == ("short-code", SHORT.text, 1234)
    assert slips.verify(result.code, "HX01", SECRET, NONCE) == 1234


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("\r\n", "Nothing was scanned"),
        ("4006381333931\r", "product barcode"),
        ("WIFI:S:guest;T:WPA;P:secret;;\r", "not a MedShare pickup slip"),
        (TOKEN.text[:-3] + "\r", "incomplete or has been altered"),
    ],
)
def test_what_is_not_a_slip_is_refused_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(Refusal, match=words):
        scanner.scan_text(text)


def test_a_scanner_burst_is_told_apart_from_a_person_typing() -> None:
    burst = scanner.KeyBurst(max_gap=0.05)
    at = 100.0
    results = []
    for char in TOKEN.text:
        results.append(burst.feed(char, at))
        at += 0.004
    assert burst.feed("\r", at) == TOKEN.text and set(results) == {None}
    # a person: a key every 200 ms
    for char in "HELLO123":
        at += 0.2
        assert burst.feed(char, at) is None
    assert burst.feed("\r", at + 0.2) is None
    # a short fast burst (a key repeat) is not a scan
    for char in "aaa":
        at += 0.01
        burst.feed(char, at)
    assert burst.feed("\n", at + 0.01) is None


def test_a_slow_start_does_not_leak_into_the_scanned_code() -> None:
    burst = scanner.KeyBurst(max_gap=0.05)
    burst.feed("x", 0.0)
    at = 1.0
    for char in TOKEN.text:
        burst.feed(char, at)
        at += 0.003
    assert burst.feed("\r", at) == TOKEN.text


# -- camera frames -----------------------------------------------------------------------------


def test_a_noisy_tilted_camera_frame_decodes_to_the_token() -> None:
    frame = camera_frame(TOKEN.text)
    assert frame.shape == (480, 640)
    result = scanner.scan_image(frame)
    assert (result.text, result.source, result.kind) == (TOKEN.text, "camera", "token")


def test_colour_frames_and_raw_bytes_decode_too() -> None:
    grey = camera_frame(TOKEN.text, angle_deg=-12, seed=5)
    bgr = np.repeat(grey[:, :, None], 3, axis=2)
    bgra = np.concatenate([bgr, np.full((480, 640, 1), 255, np.uint8)], axis=2)
    assert scanner.scan_image(bgr).text == TOKEN.text
    assert scanner.scan_image(np.ascontiguousarray(bgra)).text == TOKEN.text
    assert scanner.scan_image(grey.tobytes(), 640, 480).text == TOKEN.text
    assert scanner.scan_image(bgr.tobytes(), 640, 480).text == TOKEN.text
    with pytest.raises(ValueError, match="width and height"):
        scanner.scan_image(grey.tobytes())


def test_a_slip_held_upside_down_still_decodes() -> None:
    frame = np.ascontiguousarray(np.rot90(camera_frame(TOKEN.text, seed=9), 2))
    assert scanner.scan_image(frame).text == TOKEN.text


def test_a_frame_without_a_code_says_so() -> None:
    rng = np.random.default_rng(0)
    blank = rng.normal(170, 10, (480, 640)).clip(0, 255).astype(np.uint8)
    with pytest.raises(Refusal, match="No code found in the picture") as refused:
        scanner.scan_image(blank)
    assert refused.value.reason == slips.NO_CODE


def test_a_qr_code_that_is_not_a_slip_is_refused_by_what_it_says() -> None:
    frame = camera_frame("https://example.com/offer")
    with pytest.raises(Refusal, match="not a MedShare pickup slip") as refused:
        scanner.scan_image(frame)
    assert refused.value.reason == slips.NOT_MEDSHARE


def test_a_medicine_box_barcode_in_the_camera_is_named_as_such() -> None:
    barcode = zxingcpp.create_barcode("6901234567892", zxingcpp.BarcodeFormat.EAN13)
    picture = np.array(barcode.to_image(scale=3, add_quiet_zones=True), dtype=np.uint8)
    frame = np.full((480, 640), 230, np.uint8)
    h, w = picture.shape[:2]
    frame[100:100 + h, 80:80 + w] = picture if picture.ndim == 2 else picture[:, :, 0]
    with pytest.raises(Refusal, match="product barcode"):
        scanner.scan_image(frame)
