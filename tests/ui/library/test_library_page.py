"""The library of cards: poster, title, teacher, length, free and locked; arrows, Enter; reasons in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from player.core.errors import ManifestError
from player.core.session.library import LibraryEntry, LibraryRoot, builtin_root, read_entry, scan_library
from player.ui.library.cards import CARD_SIZE, POSTER_ROLE, PosterCache
from player.ui.library.library_page import LibraryPage
from player.ui.library.reasons import UNREADABLE, plain_reason
from tests.conftest import REPO

CLIP = REPO / "tests" / "data" / "clip-2s.mp4"


def manifest(session_id: str, title: str, *, extra: str = "", media: str = "clip.mp4") -> str:
    return (f'schema = 1\nid = "{session_id}"\ntitle = "{title}"\nteacher = "Teacher {title}"\n'
            f'summary = "About {title}."\n{extra}\n'
            f'[[preview]]\nid = "one"\ntitle = "One"\nmedia = "{media}"\nduration_s = 62.0\n')


@pytest.fixture
def library(tmp_path: Path) -> list[LibraryEntry]:
    sessions, media = tmp_path / "sessions", tmp_path / "media"
    sessions.mkdir()
    media.mkdir()
    shutil.copy(CLIP, media / "clip.mp4")
    poster = QImage(320, 180, QImage.Format.Format_RGB32)
    poster.fill(Qt.GlobalColor.darkCyan)
    assert poster.save(str(media / "card.png"))
    (sessions / "a.toml").write_text(manifest("alpha", "Alpha", extra='poster = "card.png"\nbadge = "DEMO"'))
    (sessions / "b.toml").write_text(manifest("beta", "Beta"))
    (sessions / "c.toml").write_text(manifest("gamma", "Gamma", media="gone.mp4"))
    (sessions / "z.toml").write_text('schema = 1\nid = "delta"\ntitle = 3\n')
    return scan_library([LibraryRoot(sessions, media)])


@pytest.fixture
def page(qtbot: QtBot, library: list[LibraryEntry]) -> LibraryPage:
    widget = LibraryPage(library)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    return widget


def test_the_builtin_session_is_a_card_with_its_poster_and_what_is_locked(qtbot: QtBot) -> None:
    page = LibraryPage(scan_library([builtin_root()]))
    qtbot.addWidget(page)
    card = page.card(0)
    assert (card.title, card.teacher, card.badge) == ("Foot-Spine Connections", "Demo teacher (rendered demo footage)",
                                                      "DEMO FOOTAGE")
    assert card.free == "Free: 4 snippets · 2 min 15 s"
    assert card.full == "Full session: 4 parts · 2 min 32 s" and card.full_state == "Locked · $20"
    assert not card.full_open
    qtbot.waitUntil(lambda: not page.posters_pending(), timeout=2000)
    assert page.list.item(0).data(POSTER_ROLE) is not None  # the first snippet's frame, from the manifest
    unlocked = LibraryPage(scan_library([builtin_root()]), licensed=frozenset({"foot-spine-connections"}))
    qtbot.addWidget(unlocked)
    assert unlocked.card(0).full_state == "Unlocked" and unlocked.card(0).full_open


def test_cards_in_a_grid_arrows_move_and_enter_opens(qtbot: QtBot, page: LibraryPage) -> None:
    assert [page.card(i).title for i in range(page.list.count())] == ["Alpha", "Beta", "Gamma", "z.toml"]
    assert page.list.currentRow() == 0 and page.list.hasFocus()
    rect0, rect1 = page.list.visualItemRect(page.list.item(0)), page.list.visualItemRect(page.list.item(1))
    assert rect1.left() > rect0.right() and rect1.top() == rect0.top()  # side by side, as cards
    assert rect0.width() >= CARD_SIZE.width()
    qtbot.keyClick(page.list, Qt.Key.Key_Right)
    assert page.list.currentRow() == 1 and page.status.text() == "About Beta."
    with qtbot.waitSignal(page.session_chosen) as chosen:
        qtbot.keyClick(page.list, Qt.Key.Key_Return)
    assert chosen.args == ["beta"]
    qtbot.keyClick(page.list, Qt.Key.Key_Left)
    assert page.list.currentRow() == 0


def test_poster_or_a_calm_stand_in(qtbot: QtBot, library: list[LibraryEntry]) -> None:
    page = LibraryPage(library)
    qtbot.addWidget(page)
    # The cards come at once; the picture is read after, one per turn of the event loop.
    assert page.list.item(0).data(POSTER_ROLE) is None and page.posters_pending()
    qtbot.waitUntil(lambda: not page.posters_pending(), timeout=2000)
    assert page.list.item(0).data(POSTER_ROLE) is not None and page.card(0).badge == "DEMO"
    page.show_entries(library)  # read once: a refresh shows it at once
    assert page.list.item(0).data(POSTER_ROLE) is not None and not page.posters_pending()
    assert page.list.item(1).data(POSTER_ROLE) is None  # no poster: the card paints the title's initial
    picture = page.list.grab().toImage()  # paints every card without an error
    assert not picture.isNull()


def test_unavailable_cards_say_why_in_plain_words_with_details_on_demand(qtbot: QtBot, page: LibraryPage) -> None:
    qtbot.keyClick(page.list, Qt.Key.Key_Right)
    qtbot.keyClick(page.list, Qt.Key.Key_Right)
    gamma = page.card(2)
    assert not gamma.available and gamma.reason == "A video of this session is missing from this computer."
    assert "preview[0]" not in page.status.text() and "A video of this session is missing" in page.status.text()
    assert not page.start_button.isEnabled() and page.details_button.isVisible() and page.details.isHidden()
    with qtbot.assertNotEmitted(page.session_chosen):
        qtbot.keyClick(page.list, Qt.Key.Key_Return)  # Enter on it: the details, not a session
    assert page.details.isVisible() and "preview[0].media: gone.mp4: file not found" in page.details.text()
    assert page.details_button.text() == "Hide details"
    qtbot.keyClick(page.list, Qt.Key.Key_Right)
    assert page.card(3).reason == UNREADABLE and page.details.isHidden()  # a new card starts without details
    page.details_button.click()
    assert "z.toml: title: must be a non-empty string" in page.details.text()


def test_plain_reasons() -> None:
    def reason(field: str, why: str, *, parsed: bool = True) -> str:
        return plain_reason(ManifestError("x.toml", field, why), parsed=parsed)

    assert reason("preview[1].media", "a.mp4: file not found") == (
        "A video of this session is missing from this computer.")
    assert reason("full.parts[0].media", "p.mpe: has 3 bytes, but size_bytes says 4").startswith(
        "A video of the full session is damaged")
    assert reason("preview[0].cues", "a.vtt: file not found") == "The cue text of a snippet is missing or damaged."
    assert reason("poster", "p.png: is not a PNG or JPEG picture") == "The session's picture is missing or damaged."
    assert reason("title", "missing", parsed=False) == UNREADABLE


def test_posters_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object) -> None:
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    path = tmp_path / "p.png"
    assert image.save(str(path))
    cache = PosterCache()
    first = cache.get(path, scale=1.0)
    reads: list[object] = []
    monkeypatch.setattr("player.ui.library.cards.QImageReader", lambda *a: reads.append(a))
    assert cache.get(path, scale=1.0) is first and reads == []
    assert cache.get(tmp_path / "missing.png", scale=1.0) is None and cache.get(None, scale=1.0) is None


def test_entry_reading_is_unchanged_for_a_broken_poster(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    shutil.copy(CLIP, tmp_path / "media" / "clip.mp4")
    (tmp_path / "media" / "card.png").write_text("not a picture")
    path = tmp_path / "s.toml"
    path.write_text(manifest("s", "S", extra='poster = "card.png"'))
    entry = read_entry(path, media_dir=tmp_path / "media")
    assert not entry.available and [p.field for p in entry.problems] == ["poster"]


def test_long_titles_take_two_lines_then_are_cut(qapp: object) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from player.ui.library.cards import title_lines

    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("Hip mobility for desk")
    assert title_lines("Short", metrics, width) == ["Short"]
    assert title_lines("Hip mobility for desk workers", metrics, width) == ["Hip mobility for desk", "workers"]
    cut = title_lines("Hip mobility for desk workers who sit all day long", metrics, width)
    assert len(cut) == 2 and cut[1].endswith("…") and metrics.horizontalAdvance(cut[1]) <= width


def test_a_refresh_keeps_the_chosen_card(qtbot: QtBot, page: LibraryPage, library: list[LibraryEntry]) -> None:
    qtbot.keyClick(page.list, Qt.Key.Key_Right)
    page.show_entries(library, licensed=frozenset({"beta"}))  # e.g. after a key was entered
    assert page.list.currentRow() == 1 and page.card(1).title == "Beta"
    page.show_entries([e for e in library if e.session_id != "beta"])  # gone: the first available
    assert page.card(page.list.currentRow()).title == "Alpha"
