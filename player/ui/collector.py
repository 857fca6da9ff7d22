"""Python's cyclic garbage collector, held off while the app starts.

Opening the app makes a few hundred thousand objects that live as long as it does: modules, PySide6's
classes and enums, the window's widgets. None of them is garbage, yet Python's collector walks them again
and again while they are made: 80 collections, 10-16 ms of the start before the first picture (measured
with ``gc.callbacks`` on ``movement-player play``). So the app's commands pause the collector before they
import the app (:func:`pause_collector`) and freeze what the imports made once they are done
(:func:`freeze_imports`: later collections never walk the modules and classes again); the start resumes it
once it has settled (:func:`resume_collector`). Only the imports are frozen: the window, the session and
everything made after them are collected as usual (the first collection after the start takes ~5 ms;
without the freeze ~16 ms).
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


def freeze_imports() -> None:
    """The app's modules are imported: keep what they made out of later collections (while paused only)."""
    if _paused:
        gc.freeze()


def resume_collector() -> None:
    """The start has settled: collect as usual again. Does nothing unless :func:`pause_collector` paused it
    (tests and embedding programs keep their own)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
