"""Issue 10, findings 9 and 12: "Licensed to LABEL · #N" below the video while a paid part plays (never over
libVLC's surface, never on the free preview), and text from manifests and keys shown as plain text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keys import issue_license
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import LibraryRoot, scan_library
from player.core.session.runner import Phase
from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.conftest import NO_COUNTDOWN
from tests.paid_fixtures import PaidSession

RICH = "<b>Bold</b> <img src='x'> <a href='https://example.com'>link</a>"


@pytest.fixture
def paid(paid: PaidSession) -> PaidSession:
    """The shared paid session, its titles and summary rich text."""
    manifest = paid.root / "sessions" / "paid-demo.toml"
    text = manifest.read_text().replace('title = "Free one"', f'title = "{RICH}"')
    manifest.write_text(text.replace('title = "Paid demo paid-demo"', f'title = "{RICH}"\nsummary = "{RICH}"'))
    return paid


@pytest.fixture
def app(qtbot: QtBot, paid: PaidSession, tmp_path: Path) -> Iterator[App]:
    entries = scan_library([LibraryRoot(paid.root / "sessions", paid.root / "media")])
    assert all(e.available for e in entries), [p.message for e in entries for p in e.problems]
    backend = FakeBackend(durations_ms={"free.mp4": 2000, "part-one.mpe": 2000, "part-two.mpe": 2000})
    application = App(settings=NO_COUNTDOWN, entries=entries, journal=Journal.open(tmp_path / "journal.db"),
                      backend=backend, licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(application.window)
    application.window.show()
    yield application
    application.shut_down()


def playing(app: App) -> bool:
    return app.controller is not None and app.controller.state.phase is Phase.PLAYING


def test_the_licence_mark_shows_below_the_video_while_a_paid_part_plays(qtbot: QtBot, app: App,
                                                                       paid: PaidSession) -> None:
    app.keys.unlock(paid.key(licensee="Ada Lovelace", license_id=42))
    player = app.window.player
    assert app.start_session("paid-demo")  # the free preview: no mark
    qtbot.waitUntil(lambda: playing(app), timeout=2_000)
    assert not player.licence_mark.isVisible()
    assert app.start_session("paid-demo", full=True)
    qtbot.waitUntil(lambda: playing(app), timeout=2_000)
    mark = player.licence_mark
    assert mark.isVisible() and mark.text() == "Licensed to Ada Lovelace · #42"
    assert mark.textFormat() == Qt.TextFormat.PlainText
    # beside the video, not over it: below the video surface, at its right edge, inside the window
    video = player.video.mapTo(player, player.video.rect().bottomRight())
    corner = mark.mapTo(player, mark.rect().topRight())
    assert corner.y() > video.y() and abs(corner.x() - video.x()) <= 2
    assert not mark.geometry().intersects(player.stack.geometry())
    player.set_fullscreen_mode(True)  # the controls hide; the mark stays
    assert mark.isVisible()
    player.set_fullscreen_mode(False)
    assert app.start_session("paid-demo")  # back to the preview: the mark goes
    qtbot.waitUntil(lambda: playing(app), timeout=2_000)
    assert not mark.isVisible()


def test_a_label_with_escapes_is_shown_escaped_in_the_mark(qtbot: QtBot, app: App, paid: PaidSession) -> None:
    key = issue_license(private_key=paid.private_key, session_id=paid.session_id, license_id=3,
                        licensee="Eve\n\u202e<b>x</b>", issued_on=dt.date(2026, 11, 23), content_key=paid.content_key)
    app.keys.unlock(key)
    assert app.start_session("paid-demo", full=True)
    qtbot.waitUntil(lambda: playing(app), timeout=2_000)
    assert app.window.player.licence_mark.text() == "Licensed to Eve\\n\\u202e<b>x</b> · #3"


def test_manifest_text_is_never_rendered_as_rich_text(qtbot: QtBot, app: App, paid: PaidSession) -> None:
    app.keys.unlock(paid.key(licensee="<i>Ada</i>"))
    app.open_session("paid-demo")
    shown = [label for label in app.window.findChildren(QLabel) if "<b>Bold</b>" in label.text()
             or "<i>Ada</i>" in label.text()]
    assert shown, "the session page shows the manifest's title, summary and the licensee"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown), [
        (label.objectName(), label.text()) for label in shown if label.textFormat() != Qt.TextFormat.PlainText]
    assert app.start_session("paid-demo")
    qtbot.waitUntil(lambda: playing(app), timeout=2_000)
    shown = [label for label in app.window.player.findChildren(QLabel) if "<b>Bold</b>" in label.text()]
    assert shown and all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)
