"""End to end in a real X11 window (Xvfb, QT_QPA_PLATFORM=xcb), once with each real backend drawing inside it:
libVLC (into a native child window) and Qt Multimedia (Qt draws the frames). A backend whose library is missing
is skipped, except in CI.

Run on their own: ``xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb pytest -m xvfb``.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from player.core.errors import PlaybackUnavailableError
from player.core.journal.resume import latest_resume_point
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import builtin_root, scan_library
from player.core.session.runner import Phase
from player.ui.app import App
from player.ui.bootstrap import make_backend
from player.ui.library.license_dialog import LicenseDialog
from player.ui.style import STYLESHEET
from tests.conftest import NO_COUNTDOWN, REPO

pytestmark = pytest.mark.xvfb

SESSION = "foot-spine-connections"


@pytest.fixture(autouse=True)
def _needs_x11() -> None:
    if QGuiApplication.platformName() != "xcb":
        pytest.fail("run the xvfb tests under xvfb-run with QT_QPA_PLATFORM=xcb (see .ci/setup)")


@pytest.fixture(params=["vlc", "qt"])
def backend_name(request: pytest.FixtureRequest) -> str:
    """Each real backend in turn; one whose library is missing here is skipped (never in CI)."""
    from player.playback.registry import entry_named

    reason = entry_named(request.param).unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the {request.param} backend must work in CI: {reason}")
        pytest.skip(f"the {request.param} backend does not work here: {reason}")
    return str(request.param)


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend_name: str) -> Iterator[App]:
    QGuiApplication.instance().setStyleSheet(STYLESHEET)  # type: ignore[union-attr]
    journal = Journal.open(tmp_path / "journal.db")
    try:
        backend = make_backend(backend_name, headless=False)
    except PlaybackUnavailableError as exc:
        pytest.fail(f"{backend_name} said it works here but would not start: {exc.message}")
    application = App(settings=NO_COUNTDOWN, entries=scan_library([builtin_root()]), journal=journal,
                      backend=backend, licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(application.window)
    application.window.resize(1200, 760)
    application.window.show()
    qtbot.waitExposed(application.window)
    application.window.activateWindow()  # no window manager under Xvfb: shortcuts need an active window
    qtbot.waitActive(application.window)
    application.window.player.video.show_video_of(application.backend)
    yield application
    application.shut_down()


def video_pixels(app: App) -> QImage:
    """A screenshot of the screen area where the video widget is (VLC draws in a child X window, Qt in its
    video widget): what a person would see there."""
    video = app.window.player.video
    origin = video.mapToGlobal(video.rect().topLeft())
    screen = app.window.screen().grabWindow(0, origin.x(), origin.y(), video.width(), video.height())
    return screen.toImage()


def lit_fraction(image: QImage) -> float:
    """Share of sampled pixels that are not near-black."""
    lit = total = 0
    for y in range(0, image.height(), 8):
        for x in range(0, image.width(), 8):
            colour = image.pixelColor(x, y)
            total += 1
            lit += colour.red() + colour.green() + colour.blue() > 60
    return lit / max(total, 1)


def press(qtbot: QtBot, app: App, key: Qt.Key) -> None:
    page = app.window.pages.currentWidget()
    qtbot.keyClick(page.focusWidget() or page, key)


def test_plays_video_inside_window_and_journals_keyboard_checkins(qtbot: QtBot, app: App,
                                                                  tmp_path: Path) -> None:
    shown: list[int] = []
    assert app.start_session(SESSION)
    assert app.controller is not None
    app.controller.first_frame_shown.connect(shown.append)
    for number in range(1, 5):
        qtbot.waitUntil(lambda n=number: len(shown) == n, timeout=8000)
        assert app.window.player.counter.text() == f"{number} of 4"
        qtbot.wait(700)
        image = video_pixels(app)
        image.save(str(tmp_path / f"snippet-{number}.png"))
        assert lit_fraction(image) > 0.5, f"no video pixels in the window for snippet {number}"
        if number == 1:
            press(qtbot, app, Qt.Key.Key_Right)
            qtbot.wait(400)
            assert app.controller.backend.position_ms() >= 5000
        press(qtbot, app, Qt.Key.Key_N)
        qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.checkin, timeout=3000)
        press(qtbot, app, getattr(Qt.Key, f"Key_{number}"))
        press(qtbot, app, Qt.Key.Key_Return)
        if app.controller.state.phase is Phase.BEFORE:  # the toe-touch test asks its "before" reach first
            press(qtbot, app, Qt.Key.Key_Return)  # Enter starts the snippet
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.summary, timeout=3000)
    with sqlite3.connect(tmp_path / "journal.db") as db:
        rows = db.execute("select snippet_id, discomfort, skipped from checkins order by id").fetchall()
        completed = db.execute("select completed from runs").fetchall()
    assert [r[1:] for r in rows] == [(1, 0), (2, 0), (3, 0), (4, 0)]
    assert len({r[0] for r in rows}) == 4 and completed == [(1,)]


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=10)


def test_real_app_killed_after_checkin_loses_nothing(tmp_path: Path, backend_name: str) -> None:
    if shutil.which("xdotool") is None:
        pytest.fail("xdotool is needed for this test (installed by .ci/setup)")
    data = tmp_path / "data"
    app = _real_app(data, "--backend", backend_name, "play", SESSION)
    try:
        # "play" skips the session page; Space skips each snippet's countdown
        for keys in (["space", "n"], ["7", "Return", "Return"], ["space", "n"], ["2", "Return"]):
            for key in keys:
                xdotool("key", key)
                time.sleep(0.6)
        time.sleep(0.5)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)
    with Journal.open(data / "journal.db") as journal:
        assert journal.integrity() == "ok"
        run = journal.runs()[0]
        assert [c.answers.discomfort for c in journal.checkins(run.id)] == [7, 2]


def _real_app(data: Path, *command: str, wait_for: str | None = "Movement Player") -> subprocess.Popen[bytes]:
    """``movement-player COMMAND`` as a user starts it, on this X display; focused once its window is up."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "MOVEMENT_PLAYER_DATA_DIR": str(data)}
    app = subprocess.Popen([sys.executable, "-m", "player.cli", *command], cwd=REPO, env=env)
    if wait_for is not None:
        try:
            window = _wait_for_window(wait_for)
            time.sleep(2.0)
            xdotool("windowfocus", "--sync", window)
        except BaseException:
            app.kill()  # a window left behind would take the next test's keys
            app.wait(timeout=10)
            raise
    return app


def _wait_for_window(name: str) -> str:
    """The shown window called ``name`` (Qt also makes an unmapped 1x1 window with the app's title)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True,
                               text=True)
        if found.stdout.strip():
            return found.stdout.split()[0]
        time.sleep(0.3)
    pytest.fail(f"no window named {name!r} appeared")


DEMO_KEY = REPO / "tests" / "data" / "demo-publisher" / "demo-license.key"


def test_demo_key_unlocks_and_paid_part_plays_seeks_and_journals(qtbot: QtBot, app: App, tmp_path: Path) -> None:
    key_text = "".join(line for line in DEMO_KEY.read_text().splitlines() if not line.startswith("#"))
    window = app.window
    qtbot.keyClick(window.library.list, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.session and "Locked" in window.session.full_status.text()

    def type_key_in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LicenseDialog)
        qtbot.keyClicks(dialog.key_edit, key_text)
        qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Return)

    QTimer.singleShot(300, type_key_in_dialog)
    qtbot.keyClick(window.session, Qt.Key.Key_K)
    assert "Licensed to Demo practitioner" in window.session.full_status.text()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # X11 gives the focus back later
    shown: list[int] = []
    qtbot.keyClick(window.session, Qt.Key.Key_Return)
    assert app.controller is not None and app.controller.snippets is not app.controller.session.preview
    app.controller.first_frame_shown.connect(shown.append)
    qtbot.waitUntil(lambda: shown == [0], timeout=8000)
    qtbot.wait(700)
    image = video_pixels(app)
    image.save(str(tmp_path / "paid-part-1.png"))
    assert lit_fraction(image) > 0.5, "no video pixels for the decrypted paid part"
    press(qtbot, app, Qt.Key.Key_Right)
    press(qtbot, app, Qt.Key.Key_Right)
    qtbot.wait(600)
    assert app.controller.backend.position_ms() >= 9000
    press(qtbot, app, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.checkin, timeout=3000)
    press(qtbot, app, Qt.Key.Key_3)
    press(qtbot, app, Qt.Key.Key_Return)
    part_id = app.controller.session.full.parts[0].id  # type: ignore[union-attr]
    with sqlite3.connect(tmp_path / "journal.db") as db:
        rows = db.execute("select snippet_id, discomfort, skipped from checkins").fetchall()
    assert rows == [(part_id, 3, 0)]


def _play_first_snippet(qtbot: QtBot, app: App) -> None:
    shown: list[int] = []
    assert app.start_session(SESSION)
    assert app.controller is not None
    app.controller.first_frame_shown.connect(shown.append)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=8000)


def _frame_at(qtbot: QtBot, app: App, position_ms: int) -> QImage:
    """Play from ``position_ms``, pause there and grab the video area once the picture has settled."""
    controller = app.controller
    assert controller is not None
    controller.seek_to(position_ms)
    qtbot.waitUntil(lambda: controller.backend.position_ms() >= position_ms + 200, timeout=5000)
    controller.toggle_pause()
    qtbot.wait(600)
    return video_pixels(app)


def _mirror_and_resume(qtbot: QtBot, app: App) -> None:
    """M on the paused snippet (it stays paused where it was, reloaded mirrored), then Space."""
    controller = app.controller
    assert controller is not None and controller.state.paused
    controller.toggle_mirror()
    qtbot.wait(1_000)  # the reload shows its first frame and is paused back
    assert controller.state.paused
    controller.toggle_pause()


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference of sampled grey levels, 0-255."""
    total = count = 0
    for y in range(0, min(a.height(), b.height()), 6):
        for x in range(0, min(a.width(), b.width()), 6):
            total += abs(a.pixelColor(x, y).lightness() - b.pixelColor(x, y).lightness())
            count += 1
    return total / max(count, 1)


def test_mirror_flips_the_real_picture(qtbot: QtBot, app: App, tmp_path: Path) -> None:
    _play_first_snippet(qtbot, app)
    plain = _frame_at(qtbot, app, 12_000)
    _mirror_and_resume(qtbot, app)  # M while paused stays paused; Space plays on, mirrored
    qtbot.waitUntil(lambda: app.controller.backend.is_playing(), timeout=5000)  # type: ignore[union-attr]
    qtbot.wait(500)
    mirrored = _frame_at(qtbot, app, 12_000)
    plain.save(str(tmp_path / "plain.png"))
    mirrored.save(str(tmp_path / "mirrored.png"))
    flipped = plain.flipped(Qt.Orientation.Horizontal)
    assert _difference(mirrored, flipped) < _difference(mirrored, plain) / 2


def test_mirror_while_paused_stays_paused_where_it_was(qtbot: QtBot, app: App) -> None:
    """Seen three times with Qt Multimedia: M on a paused snippet played on (0:05 -> 0:08)."""
    _play_first_snippet(qtbot, app)
    controller = app.controller
    assert controller is not None
    qtbot.wait(1_500)
    press(qtbot, app, Qt.Key.Key_Space)
    qtbot.wait(300)
    paused_at_ms = controller.backend.position_ms()
    press(qtbot, app, Qt.Key.Key_M)
    qtbot.wait(2_500)
    assert controller.state.paused and app.window.player.paused_banner.isVisible()
    assert not controller.backend.is_playing()
    assert abs(controller.backend.position_ms() - paused_at_ms) <= 300
    assert getattr(controller.backend, "muted", False) is False  # Qt's: silent only until paused back


def test_rate_speeds_up_real_playback(qtbot: QtBot, app: App) -> None:
    _play_first_snippet(qtbot, app)
    controller = app.controller
    assert controller is not None
    for _ in range(3):
        controller.change_speed(faster=True)  # 1.0 -> 1.1 -> 1.25 -> 1.5
    assert controller.rate == 1.5
    qtbot.wait(600)
    start_ms, started = controller.backend.position_ms(), time.monotonic()
    qtbot.wait(3000)
    advanced_ms = controller.backend.position_ms() - start_ms
    assert advanced_ms / ((time.monotonic() - started) * 1000) > 1.3


def _bottom_band(image: QImage) -> QImage:
    """The lowest fifth of a picture, where cues are drawn."""
    return image.copy(0, image.height() * 4 // 5, image.width(), image.height() // 5)


def test_cue_file_is_loaded_as_subtitles(qtbot: QtBot, app: App) -> None:
    _play_first_snippet(qtbot, app)
    backend = app.controller.backend  # type: ignore[union-attr]
    if backend.name == "qt":  # the app reads the cue file and Qt's video widget draws the text
        qtbot.waitUntil(lambda: backend.cue_text() != "", timeout=5000)  # type: ignore[attr-defined]
        app.controller.toggle_pause()  # type: ignore[union-attr]  (a still picture: only the cue changes)
        qtbot.wait(500)
        with_cue = _bottom_band(video_pixels(app))
        app.controller.toggle_cues()  # type: ignore[union-attr]
        assert backend.cue_text() == ""  # type: ignore[attr-defined]
        qtbot.wait(500)
        assert _difference(with_cue, _bottom_band(video_pixels(app))) > 2, "the cue text is not on the picture"
        app.controller.toggle_cues()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: backend.cue_text() != "", timeout=3000)  # type: ignore[attr-defined]
        return
    qtbot.waitUntil(lambda: backend.cue_track_count() > 0, timeout=5000)  # type: ignore[attr-defined]
    # Cues are on by default: the footage holds no words of its own.
    qtbot.waitUntil(lambda: backend._player.video_get_spu() >= 0, timeout=3000)  # type: ignore[attr-defined]
    app.controller.toggle_cues()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: backend._player.video_get_spu() == -1, timeout=3000)  # type: ignore[attr-defined]
    app.controller.toggle_cues()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: backend._player.video_get_spu() >= 0, timeout=3000)  # type: ignore[attr-defined]


def _frame_with_cue(qtbot: QtBot, app: App) -> QImage:
    """Play across the start of the cue at 5 s ("Lift the big toe; ...") and grab it, paused: a cue entered
    by a seek is not drawn until the next one starts."""
    controller = app.controller
    assert controller is not None
    controller.seek_to(3_000)
    qtbot.waitUntil(lambda: controller.backend.position_ms() >= 5_800, timeout=6000)
    controller.toggle_pause()
    qtbot.wait(600)
    return video_pixels(app)


def test_mirror_never_flips_the_cue_text(qtbot: QtBot, app: App, tmp_path: Path) -> None:
    """The footage holds no words; the cues (on by default) are drawn by the player, unmirrored."""
    _play_first_snippet(qtbot, app)
    plain = _bottom_band(_frame_with_cue(qtbot, app))  # below the floor line: only the cue's words
    assert _difference(plain, plain.flipped(Qt.Orientation.Horizontal)) > 2, "no cue text under the picture"
    _mirror_and_resume(qtbot, app)  # M while paused stays paused; Space plays on, mirrored
    qtbot.waitUntil(lambda: app.controller.backend.is_playing(), timeout=5000)  # type: ignore[union-attr]
    qtbot.wait(500)
    mirrored = _bottom_band(_frame_with_cue(qtbot, app))
    plain.save(str(tmp_path / "cue-plain.png"))
    mirrored.save(str(tmp_path / "cue-mirrored.png"))
    assert _difference(mirrored, plain) < _difference(mirrored, plain.flipped(Qt.Orientation.Horizontal)) / 2


def test_killed_mid_snippet_offers_to_continue_there(tmp_path: Path, backend_name: str) -> None:
    data = tmp_path / "data"
    app = _real_app(data, "--backend", backend_name, "play", SESSION)
    try:
        xdotool("key", "space")  # skip the countdown
        time.sleep(5.0)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)
    with Journal.open(data / "journal.db") as journal:
        killed_at = latest_resume_point(journal)
    assert killed_at is not None and killed_at.snippet_index == 0 and killed_at.position_ms >= 2_000
    again = _real_app(data, "--backend", backend_name, wait_for=None)
    try:
        offer = _wait_for_window("Continue where you left off?")
        xdotool("windowfocus", "--sync", offer)
        xdotool("key", "Return")
        time.sleep(3.0)
    finally:
        again.send_signal(signal.SIGKILL)
        again.wait(timeout=10)
    with Journal.open(data / "journal.db") as journal:
        runs = journal.runs()
        continued = latest_resume_point(journal)
    assert len(runs) == 1 and continued is not None and continued.run_id == killed_at.run_id
    assert continued.snippet_index == 0 and continued.position_ms >= killed_at.position_ms


def test_leaving_a_playing_session_and_playing_it_again_shows_video(qtbot: QtBot, app: App, tmp_path: Path) -> None:
    """Issue 11's blocker, as a person does it: ← Library while a snippet plays, open the session again, Play;
    the player page comes to the front and the video's pixels are in the window (not behind the session
    page), and the run that was left is recorded as not completed."""
    shown: list[int] = []
    assert app.start_session(SESSION) and app.controller is not None
    app.controller.first_frame_shown.connect(shown.append)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=8000)
    library_button = next(b for b in app.window.player.findChildren(QPushButton) if b.accessibleName() == "← Library")
    qtbot.mouseClick(library_button, Qt.MouseButton.LeftButton)
    assert app.window.pages.currentWidget() is app.window.library
    press(qtbot, app, Qt.Key.Key_Return)  # the session's card has the keyboard: Enter opens it
    assert app.window.pages.currentWidget() is app.window.session
    press(qtbot, app, Qt.Key.Key_Return)  # Play
    assert app.controller is not None
    again: list[int] = []
    app.controller.first_frame_shown.connect(again.append)
    qtbot.waitUntil(lambda: len(again) == 1, timeout=8000)
    assert app.window.pages.currentWidget() is app.window.player
    qtbot.wait(700)
    image = video_pixels(app)
    image.save(str(tmp_path / "played-again.png"))
    assert lit_fraction(image) > 0.5, "no video pixels in the window after playing the session again"
    runs = app.journal.runs()
    assert len(runs) == 2 and sorted(r.completed for r in runs) == [False, False]
    assert sum(r.ended_at is not None for r in runs) == 1  # the left run ended, the new one plays
