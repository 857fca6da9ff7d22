"""Which snippets a practice run plays and how each one opens: a plain file, or a paid part decrypted on the fly.

Pure: no Qt, no player. The app asks :func:`playlist_for` when a run starts (from the session page or when
continuing an unfinished run) and hands :meth:`Playlist.media_for` to the session controller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from player.core.session.manifest import Session, Snippet

if TYPE_CHECKING:
    from player.core.licensing.paid_parts import EncryptedPart

# The free preview or the paid full session (the journal's resume points use the same two words).
PartName = Literal["preview", "full"]


@dataclass(frozen=True)
class Playlist:
    """The snippets of one part of ``session``, in order; ``content_key`` (16 bytes) opens the paid parts."""

    session: Session
    part: PartName
    snippets: tuple[Snippet, ...]
    content_key: bytes | None = None

    def media_for(self, snippet: Snippet) -> Path | EncryptedPart:
        """The media to play for ``snippet``: its file, or for a paid part a seekable stream that decrypts on the
        fly (plaintext never reaches the disk). Opening reads nothing yet; a wrong key or damaged file shows
        when the player reads (CryptoError)."""
        if self.content_key is None:
            return snippet.media
        from player.core.licensing.paid_parts import open_part  # cryptography: only when a paid part plays

        return open_part(self.session, snippet, self.content_key)

    def clamp(self, snippet_index: int) -> int:
        """``snippet_index`` within this playlist (a resume point saved past the last snippet plays the last)."""
        return max(0, min(snippet_index, len(self.snippets) - 1))


def playlist_for(session: Session, *, part: PartName, content_key: bytes | None) -> Playlist | None:
    """What ``part`` of ``session`` plays: the free preview, or the paid parts opened with ``content_key``.

    None when that part cannot play: it has no snippets, or it is the full session and the session has no paid
    parts or there is no key (no license).
    """
    if part == "full":
        if session.full is None or content_key is None or not session.full.parts:
            return None
        return Playlist(session, "full", session.full.parts, content_key)
    if not session.preview:
        return None
    return Playlist(session, "preview", session.preview)
