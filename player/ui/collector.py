"""Python's cyclic garbage collector, held off while the app starts.

Opening the app makes a few hundred thousand objects that live as long as it does: modules, PySide6's
classes and enums, the window's widgets. None of them is garbage, yet Python's collector walks them again
and again while they are made: 80 collections, 10-16 ms of the start before the first picture (measured
with ``gc.callbacks`` on ``movement-player play``). So the app's commands pause the collector before they
import the app (:func:`pause_collector`), and the start resumes it once it has settled
(:func:`resume_collector`): what exists by then is frozen (``gc.freeze``: later collections never walk it
again) and the collector runs as usual from there on.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Stop automatic collection for the start (an app command does this before it imports the app)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """The start has settled: keep what exists out of later collections, and collect as usual again. Does
    nothing unless :func:`pause_collector` paused it (tests and embedding programs keep their own)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
