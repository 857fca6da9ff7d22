"""Reads the time code band of long_session.py's video off the screen, in its own process (no CPU or GIL taken
from the player).

    python bench/_band_watch.py DISPLAY WINDOW

The generated video carries, in its top 96 of 1080 rows, 16 cells: cells 0-8 are the bits of the whole
second (modulo SEGMENT_S, most significant first; white = 1), cells 13 and 15 are white and 12 and 14
black (the marks that say the band is really there). Every POLL_S this reads the middle row of the band
(one pixel in the middle of each cell) and prints ``sec S T`` whenever the second shown changes, or
``sec - T`` when the band cannot be read (no picture yet, or a frame that is not this video). T is
``time.monotonic()``. Runs until stdin closes.
"""

from __future__ import annotations

import select
import sys
import time

from _x11 import BYTES_PER_PIXEL, XScreen

POLL_S = 0.002
CELLS = 16
BITS = 9
BAND_ROWS, VIDEO_ROWS = 96, 1080
WHITE, BLACK = (13, 15), (12, 14)
LEVEL = 128  # a bit cell reads 1 at or above this (green channel; the band is grey)


def read_second(row: bytes, width: int) -> int | None:
    """The second encoded in one screen row of the band (B, G, R, X per pixel); None when it is not the band."""
    levels = []
    for cell in range(CELLS):
        x = int((cell + 0.5) * width / CELLS)
        offset = x * BYTES_PER_PIXEL
        if offset + 3 > len(row):
            return None
        levels.append(row[offset + 1])  # green: the band is grey, so any channel will do
    if any(levels[c] < 200 for c in WHITE) or any(levels[c] > 55 for c in BLACK):
        return None
    if any(55 < level < 200 for level in levels[:BITS]):
        return None  # a cell half way: a blended or damaged frame
    value = 0
    for level in levels[:BITS]:
        value = value * 2 + (level >= LEVEL)
    return value


def main(display: str, window: int) -> int:
    screen = XScreen(display)
    shown: int | None | str = "start"
    while not select.select([sys.stdin], [], [], POLL_S)[0]:  # stdin readable: the parent closed it
        found = screen.geometry(window)
        second: int | None = None
        if found is not None and found[1]:
            rect = found[0]
            y = rect.y + rect.height * BAND_ROWS // (2 * VIDEO_ROWS)
            second = read_second(screen._row(rect.x, y, rect.width), rect.width)  # noqa: SLF001 - bench helper
        if second != shown:
            print("sec", "-" if second is None else second, time.monotonic(), flush=True)
            shown = second
    screen.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
