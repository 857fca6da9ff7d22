"""The fake backend: a real, deterministic player without video (``--backend fake``), for tests, demos
and UI work. In the app it shows a test picture (:mod:`player.playback.fake.picture`) instead of video.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from player.playback.base import PlaybackBackend
from player.playback.fake.backend import DEFAULT_FAKE_DURATION_MS, FakeBackend
from player.playback.registry import BackendEntry, embeds_everywhere, picture_for

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

__all__ = ["BACKEND", "DEFAULT_FAKE_DURATION_MS", "FakeBackend"]


def _create(*, embed: bool) -> PlaybackBackend:  # noqa: ARG001 - the test picture is drawn by Qt anywhere
    return FakeBackend(clock=time.monotonic)


def _picture_widget(backend: PlaybackBackend) -> QWidget:
    from player.playback.fake.picture import TestPicture

    return picture_for(backend, FakeBackend, TestPicture)


BACKEND = BackendEntry(
    name="fake",
    label="Fake",
    summary="no video: a test picture that keeps time like a player (for demos and UI work)",
    real=False,
    create=_create,
    unavailable=lambda: None,
    embeds_on=embeds_everywhere,
    about=lambda: "a test picture with the media's name and position instead of video",
    picture_widget=_picture_widget,
)
