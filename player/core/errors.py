"""One hierarchy of errors for humans: a short ``message`` the UI shows, a ``detail`` for logs."""

from __future__ import annotations


class MovementPlayerError(Exception):
    """Base of every error the app reports to a person.

    ``message`` is one short sentence fit for the UI; ``detail`` is optional extra text for logs.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ManifestError(MovementPlayerError):
    """A session manifest (or its media) is invalid: names the file, the field path and the reason."""

    def __init__(self, file: str, field: str, reason: str) -> None:
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.field = field
        self.reason = reason


class JournalError(MovementPlayerError):
    """The journal file cannot be used as it is (damaged, or from a newer version)."""


class JournalImportError(JournalError):
    """A journal export cannot be imported; ``problems`` lists each one as ``path: reason``. Nothing was written."""

    def __init__(self, message: str, problems: tuple[str, ...] = (), *, more: int = 0) -> None:
        super().__init__(message, detail="\n".join(problems))
        self.problems = problems
        self.more = more


class JournalDamagedError(JournalError):
    """The journal file is not a readable SQLite database or fails its integrity check."""


class JournalTooNewError(JournalError):
    """The journal file was written by a newer Movement Player (it has migrations this one lacks)."""


class JournalOrphanWalError(JournalDamagedError):
    """The journal file is empty but its ``-wal`` holds data: refused, both kept, recovery offered."""


class JournalForeignError(JournalError):
    """The file is another program's SQLite database, not a Movement Player journal."""


class JournalBusyError(JournalError):
    """Another connection held the journal's write lock for longer than the busy timeout."""


class JournalReadOnlyError(JournalError):
    """The journal (or its folder) cannot be written."""


class JournalFullError(JournalError):
    """The disk holding the journal is full."""


class PlaybackError(MovementPlayerError):
    """A video could not be played, or the playback engine is unavailable."""


class PlaybackUnavailableError(PlaybackError):
    """libVLC is missing or could not start."""


class LicenseError(MovementPlayerError):
    """A license key is malformed, mistyped, not genuine, or for another session."""


class CryptoError(MovementPlayerError):
    """Encrypted media failed authentication or is malformed."""


class PublisherError(MovementPlayerError):
    """The publisher's tools cannot go on: a workspace, passphrase, source folder, video or pack problem."""
