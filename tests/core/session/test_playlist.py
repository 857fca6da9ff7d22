"""Which snippets a part plays and how each opens, without Qt or a player."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from player.core.licensing.paid_parts import EncryptedPart
from player.core.session.playlist import playlist_for
from tests.conftest import DATA
from tests.paid_fixtures import make_paid_session, sessions_in

PLAIN = DATA / "clip-2s.mp4"


def test_the_preview_plays_its_files(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path)
    session = sessions_in(tmp_path)[0]
    playlist = playlist_for(session, part="preview", content_key=None)
    assert playlist is not None and playlist.part == "preview"
    assert [s.id for s in playlist.snippets] == ["free"]
    assert playlist.media_for(playlist.snippets[0]) == paid.root / "media" / "paid-demo" / "free.mp4"
    assert playlist_for(session, part="preview", content_key=paid.content_key) == playlist  # no key needed


def test_the_full_session_needs_a_key_and_opens_decrypted(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path)
    session = sessions_in(tmp_path)[0]
    assert playlist_for(session, part="full", content_key=None) is None
    playlist = playlist_for(session, part="full", content_key=paid.content_key)
    assert playlist is not None and [s.id for s in playlist.snippets] == ["part-one", "part-two"]
    media = playlist.media_for(playlist.snippets[1])
    assert isinstance(media, EncryptedPart)
    with media.open() as stream:
        assert stream.read() == PLAIN.read_bytes()  # decrypted on the fly, in memory


def test_a_session_without_paid_parts_has_no_full_playlist(tmp_path: Path) -> None:
    make_paid_session(tmp_path)
    session = sessions_in(tmp_path)[0]
    free_only = dataclasses.replace(session, full=None)
    assert playlist_for(free_only, part="full", content_key=bytes(16)) is None


def test_a_resume_index_past_the_end_plays_the_last_snippet(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path)
    playlist = playlist_for(sessions_in(tmp_path)[0], part="full", content_key=paid.content_key)
    assert playlist is not None
    assert [playlist.clamp(i) for i in (-1, 0, 1, 2, 9)] == [0, 0, 1, 1, 1]
