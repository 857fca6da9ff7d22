"""Watches one X window's area for video (see _x11.py), in its own process: no CPU time or GIL taken from the app.

    python bench/_pixel_watch.py DISPLAY WINDOW

Prints ``lit T`` or ``dark T`` each time the area starts or stops showing a picture (T is
``time.monotonic()``, comparable across processes on Linux), polling every POLL_S, until stdin closes.
"""

from __future__ import annotations

import select
import sys
import time

from _x11 import VideoWatch, XScreen

POLL_S = 0.002


def main(display: str, window: int) -> int:
    screen = XScreen(display)
    watch = VideoWatch(screen, window)
    shown: bool | None = None
    while not select.select([sys.stdin], [], [], POLL_S)[0]:  # stdin readable: the parent closed it
        now_shown = watch.shows_video()
        if now_shown != shown:
            print("lit" if now_shown else "dark", time.monotonic(), flush=True)
            shown = now_shown
    screen.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
