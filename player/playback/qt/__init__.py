"""The Qt Multimedia backend (FFmpeg inside the PySide6 wheels): plays with no system media library.

Importing this package imports neither QtMultimedia nor FFmpeg: the entry's functions do, when the
backend is made or checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from player.playback.base import PlaybackBackend
from player.playback.registry import BackendEntry, embeds_everywhere, picture_for

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def _create(*, embed: bool) -> PlaybackBackend:  # noqa: ARG001 - Qt draws the picture on every platform
    from player.playback.qt.backend import QtBackend

    return QtBackend()


def _unavailable() -> str | None:
    from player.core.errors import PlaybackUnavailableError

    try:
        from player.playback.qt.backend import qt_multimedia_problem
    except PlaybackUnavailableError as exc:
        return exc.message
    problem = qt_multimedia_problem()
    if problem is None:
        return None
    return (f"Qt Multimedia cannot play video here: {problem}. Reinstall the app's PySide6 "
            "(pip install --force-reinstall PySide6-Essentials) or choose --backend vlc.")


def _about() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return f"Qt Multimedia {qVersion()} with its FFmpeg (PySide6 {pyside_version})"


def _picture_widget(backend: PlaybackBackend) -> QWidget:
    from player.playback.qt.backend import QtBackend
    from player.playback.qt.picture import QtPicture

    return picture_for(backend, QtBackend, QtPicture)


BACKEND = BackendEntry(
    name="qt",
    label="Qt Multimedia",
    summary="Qt Multimedia with the FFmpeg inside the PySide6 wheels (no system media library needed)",
    real=True,
    create=_create,
    unavailable=_unavailable,
    embeds_on=embeds_everywhere,
    about=_about,
    picture_widget=_picture_widget,
)
