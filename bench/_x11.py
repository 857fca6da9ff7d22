"""A small Xlib client (ctypes, no extra packages) that watches a window's area for video pixels.

A window "shows video" when, among the pixels sampled on three rows of its area on the screen, a
share LIT_SHARE is lit (not black) and differs from what that area showed while the window was not
mapped yet. The second half matters: a freshly mapped X window keeps the stale pixels of whatever
was there (e.g. the check-in page) until something draws into it.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_uint, c_ulong, c_void_p
from dataclasses import dataclass

ALL_PLANES = 0xFFFF_FFFF
Z_PIXMAP = 2
IS_VIEWABLE = 2
BYTES_PER_PIXEL = 4  # 24-bit TrueColor screens use 32 bits per pixel (BGRX)
DARK_LEVEL = 24  # a sample with any channel above this is lit (the black bars and widget are 0)
MIN_VIDEO_SIDE = 32  # smaller windows (1x1 helpers) never count as video
SAME_LEVEL = 24  # two samples whose channels all differ by at most this are the same colour
SAMPLE_STEP = 16  # every 16th pixel of a row: ~70 samples per row of a 1150-pixel surface, 0.3 ms a look
ROWS = (0.25, 0.5, 0.75)  # sampled rows, as fractions of the height: letterboxing leaves the middle one lit
LIT_SHARE = 0.2  # an area shows video once this share of its sampled pixels is lit


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", c_int), ("y", c_int), ("width", c_int), ("height", c_int), ("border_width", c_int),
        ("depth", c_int), ("visual", c_void_p), ("root", c_ulong), ("c_class", c_int), ("bit_gravity", c_int),
        ("win_gravity", c_int), ("backing_store", c_int), ("backing_planes", c_ulong), ("backing_pixel", c_ulong),
        ("save_under", c_int), ("colormap", c_ulong), ("map_installed", c_int), ("map_state", c_int),
        ("all_event_masks", c_long), ("your_event_mask", c_long), ("do_not_propagate_mask", c_long),
        ("override_redirect", c_int), ("screen", c_void_p),
    ]


class _XImage(ctypes.Structure):
    _fields_ = [("width", c_int), ("height", c_int), ("xoffset", c_int), ("format", c_int),
                ("data", c_void_p), ("byte_order", c_int), ("bitmap_unit", c_int), ("bitmap_bit_order", c_int),
                ("bitmap_pad", c_int), ("depth", c_int), ("bytes_per_line", c_int), ("bits_per_pixel", c_int)]


_ERROR_HANDLER = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p)


def _ignore_x_error(_display: int | None, _event: int | None) -> int:
    # A watched window may vanish between two requests (BadWindow, BadMatch): not fatal here.
    return 0


_IGNORE_X_ERROR = _ERROR_HANDLER(_ignore_x_error)  # kept referenced: Xlib calls it for the process's life


@dataclass(frozen=True)
class Rect:
    """A screen area in root-window coordinates."""

    x: int
    y: int
    width: int
    height: int


def _load_xlib() -> ctypes.CDLL:
    xlib = ctypes.CDLL("libX11.so.6")
    xlib.XOpenDisplay.restype = c_void_p
    xlib.XOpenDisplay.argtypes = [c_char_p]
    xlib.XDefaultRootWindow.restype = c_ulong
    xlib.XDefaultRootWindow.argtypes = [c_void_p]
    xlib.XQueryTree.argtypes = [c_void_p, c_ulong, POINTER(c_ulong), POINTER(c_ulong),
                                POINTER(POINTER(c_ulong)), POINTER(c_uint)]
    xlib.XGetWindowAttributes.argtypes = [c_void_p, c_ulong, POINTER(_XWindowAttributes)]
    xlib.XTranslateCoordinates.argtypes = [c_void_p, c_ulong, c_ulong, c_int, c_int, POINTER(c_int),
                                           POINTER(c_int), POINTER(c_ulong)]
    xlib.XGetImage.restype = POINTER(_XImage)
    xlib.XGetImage.argtypes = [c_void_p, c_ulong, c_int, c_int, c_uint, c_uint, c_ulong, c_int]
    xlib.XDestroyImage.argtypes = [POINTER(_XImage)]
    xlib.XFree.argtypes = [c_void_p]
    xlib.XCloseDisplay.argtypes = [c_void_p]
    xlib.XSetErrorHandler(_IGNORE_X_ERROR)
    return xlib


class XScreen:
    """One connection to the X server ``display`` (``":N"``)."""

    def __init__(self, display: str) -> None:
        self._xlib = _load_xlib()
        self._display = self._xlib.XOpenDisplay(display.encode())
        if not self._display:
            raise RuntimeError(f"cannot open X display {display}")
        self.root = int(self._xlib.XDefaultRootWindow(self._display))

    def close(self) -> None:
        """Disconnect."""
        self._xlib.XCloseDisplay(self._display)

    def top_windows(self) -> set[int]:
        """The root window's children (top-level windows, mapped or not)."""
        root, parent, count = c_ulong(), c_ulong(), c_uint()
        children = POINTER(c_ulong)()
        if not self._xlib.XQueryTree(self._display, self.root, byref(root), byref(parent), byref(children),
                                     byref(count)):
            return set()
        found = {int(children[i]) for i in range(count.value)}
        if children:
            self._xlib.XFree(children)
        return found

    def geometry(self, window: int) -> tuple[Rect, bool] | None:
        """Where ``window`` is on the screen and whether it is viewable; None when it is gone."""
        attributes = _XWindowAttributes()
        if not self._xlib.XGetWindowAttributes(self._display, window, byref(attributes)):
            return None
        x, y, child = c_int(), c_int(), c_ulong()
        if not self._xlib.XTranslateCoordinates(self._display, window, self.root, 0, 0, byref(x), byref(y),
                                                byref(child)):
            return None
        return Rect(x.value, y.value, attributes.width, attributes.height), attributes.map_state == IS_VIEWABLE

    def samples(self, rect: Rect) -> bytes:
        """The sampled pixels of ``rect`` as on the screen now: 3 bytes (B, G, R) each."""
        picked = bytearray()
        for fraction in ROWS:
            row = self._row(rect.x, rect.y + int(rect.height * fraction), rect.width)
            for offset in range(0, len(row) - 2, BYTES_PER_PIXEL * SAMPLE_STEP):
                picked += row[offset:offset + 3]
        return bytes(picked)

    def _row(self, x: int, y: int, width: int) -> bytes:
        image = self._xlib.XGetImage(self._display, self.root, x, y, width, 1, ALL_PLANES, Z_PIXMAP)
        if not image:
            return b""
        try:
            if image.contents.bits_per_pixel != BYTES_PER_PIXEL * 8:
                raise RuntimeError("the X screen must be 24-bit TrueColor (32 bits per pixel)")
            return ctypes.string_at(image.contents.data, width * BYTES_PER_PIXEL)
        finally:
            self._xlib.XDestroyImage(image)


def video_share(pixels: bytes, before: bytes) -> float:
    """Share of the samples in ``pixels`` that are lit and differ from ``before`` (same samples, earlier)."""
    if len(before) != len(pixels):
        before = bytes(len(pixels))  # nothing known (or the area changed size): compare with black
    count = len(pixels) // 3
    video = 0
    for i in range(0, count * 3, 3):
        now, then = pixels[i:i + 3], before[i:i + 3]
        lit = max(now) > DARK_LEVEL
        video += lit and max(abs(a - b) for a, b in zip(now, then, strict=True)) > SAME_LEVEL
    return video / count if count else 0.0


class VideoWatch:
    """Watches one window: :meth:`shows_video` is True once its area shows a picture (see the module doc)."""

    def __init__(self, screen: XScreen, window: int, *, min_side: int = MIN_VIDEO_SIDE) -> None:
        self.screen = screen
        self.window = window
        self.min_side = min_side
        self._before = b""

    def shows_video(self) -> bool:
        """Sample the window's area now; True when it shows video."""
        found = self.screen.geometry(self.window)
        if found is None:
            return False
        rect, viewable = found
        if min(rect.width, rect.height) < self.min_side:
            return False
        pixels = self.screen.samples(rect)
        if not viewable:
            self._before = pixels  # what the area shows until the window is mapped and drawn into
            return False
        return video_share(pixels, self._before) >= LIT_SHARE
