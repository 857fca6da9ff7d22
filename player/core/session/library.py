"""The session library: every manifest found in the library folders, valid or not."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from player.core.errors import ManifestError
from player.core.session.manifest import Session, read_session


@dataclass(frozen=True)
class LibraryRoot:
    """A folder of manifests (``sessions/``) and the folder their media paths are relative to."""

    sessions_dir: Path
    media_dir: Path


@dataclass(frozen=True)
class LibraryEntry:
    """One manifest file: its session when it parsed, and every problem found with it."""

    file: Path
    session: Session | None
    problems: tuple[ManifestError, ...]

    @property
    def available(self) -> bool:
        """True when the session parsed and all its media is present."""
        return self.session is not None and not self.problems

    @property
    def session_id(self) -> str:
        """The session id, or the file's stem when the manifest did not parse."""
        return self.session.id if self.session else self.file.stem

    @property
    def title(self) -> str:
        """The session title, or the file name when the manifest did not parse."""
        return self.session.title if self.session else self.file.name


def builtin_root() -> LibraryRoot:
    """The built-in sessions and media: inside the installed package (``player/builtin/``, where the wheel
    maps them), else the checkout's top-level ``sessions/`` and ``media/``."""
    packaged = resources.files("player.builtin")
    if isinstance(packaged, Path) and (packaged / "sessions").is_dir():
        return LibraryRoot(sessions_dir=packaged / "sessions", media_dir=packaged / "media")
    top = Path(__file__).resolve().parents[3]
    return LibraryRoot(sessions_dir=top / "sessions", media_dir=top / "media")


PACKS_DIRNAME = "packs"


def library_roots(data_directory: Path) -> list[LibraryRoot]:
    """The built-in sessions, then every installed pack in ``data_directory/packs/``."""
    packs = data_directory / PACKS_DIRNAME
    found = packs.iterdir() if packs.is_dir() else iter(())
    installed = sorted(p for p in found if p.is_dir() and not p.name.startswith("."))  # ".installing-*" is partial
    return [builtin_root(), *(LibraryRoot(p / "sessions", p / "media") for p in installed)]


def read_entry(file: Path, *, media_dir: Path, verify_files: bool = False) -> LibraryEntry:
    """Read one manifest into a library entry (never raises for bad input; ``verify_files`` as read_session).

    Whatever is installed, the library loads: an unexpected error reading one manifest makes that
    session unavailable, with the error as its problem, instead of stopping the app.
    """
    try:
        session, problems = read_session(file, media_root=media_dir, verify_files=verify_files)
    except Exception as exc:  # noqa: BLE001 - the last guard that keeps one bad file from bricking the app
        problems, session = [ManifestError(str(file), "", f"could not be read ({type(exc).__name__}: {exc})")], None
    return LibraryEntry(file=file, session=session, problems=tuple(problems))


def scan_library(roots: list[LibraryRoot], *, verify_files: bool = False) -> list[LibraryEntry]:
    """Every ``*.toml`` manifest in ``roots``, sorted by title; a missing folder is skipped."""
    entries = [
        read_entry(file, media_dir=root.media_dir, verify_files=verify_files)
        for root in roots
        if root.sessions_dir.is_dir()
        for file in sorted(root.sessions_dir.glob("*.toml"))
    ]
    return sorted(entries, key=lambda e: e.title.casefold())


def find_entry(entries: list[LibraryEntry], session_id: str) -> LibraryEntry | None:
    """The entry whose session id (or file stem) is ``session_id``."""
    return next((e for e in entries if e.session_id == session_id), None)
