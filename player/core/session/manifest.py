"""Session manifests (TOML): parse, validate and check their media.

A manifest problem never raises out of :func:`read_session`; it comes back as a list of
:class:`ManifestError`, each naming the file, the field path (``preview[2].media``) and the reason.
"""

from __future__ import annotations

import base64
import binascii
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from player.core.errors import ManifestError
from player.core.session.question_kinds import parse_checkin
from player.core.session.questions import SLUG, Question, type_name

SCHEMA_VERSION = 1
TOP_FIELDS = {"schema", "id", "title", "summary", "teacher", "publisher", "preview", "full"}
SNIPPET_FIELDS = {"id", "title", "media", "cues", "duration_s", "gentler", "checkin", "size_bytes", "sha256"}


@dataclass(frozen=True)
class Snippet:
    """One video snippet of a session: its media, cues, length and check-in questions."""

    id: str
    title: str
    media: Path
    duration_s: float
    questions: tuple[Question, ...]
    cues: Path | None = None
    gentler: str = ""
    paid: bool = False
    size_bytes: int | None = None
    sha256: str = ""


@dataclass(frozen=True)
class Publisher:
    """Who publishes a session and the Ed25519 public key (base64) their license keys verify against."""

    name: str
    public_key: str


@dataclass(frozen=True)
class FullSession:
    """The paid part of a session: encrypted parts unlocked by a license key."""

    price: str
    parts: tuple[Snippet, ...]


@dataclass(frozen=True)
class Session:
    """A parsed, valid session manifest."""

    id: str
    title: str
    summary: str
    teacher: str
    preview: tuple[Snippet, ...]
    file: Path
    publisher: Publisher | None = None
    full: FullSession | None = None

    @property
    def preview_duration_s(self) -> float:
        """Total length of the free snippets, in seconds."""
        return sum(s.duration_s for s in self.preview)

    @property
    def full_duration_s(self) -> float:
        """Total length of the paid parts, in seconds (0 without a full session)."""
        return sum(s.duration_s for s in self.full.parts) if self.full else 0.0

    def snippet(self, snippet_id: str) -> Snippet | None:
        """The preview snippet or paid part with this id, or None."""
        parts = self.full.parts if self.full else ()
        return next((s for s in (*self.preview, *parts) if s.id == snippet_id), None)


def read_session(path: Path, *, media_root: Path) -> tuple[Session | None, list[ManifestError]]:
    """Read the manifest at ``path`` whose media paths are relative to ``media_root``.

    Returns the session (None when its structure is invalid) and every problem found, media
    problems included (missing, empty or non-video files). Never raises for bad input.
    """
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [ManifestError(name, "", f"cannot be read ({exc.strerror or exc})")]
    except UnicodeDecodeError:
        return None, [ManifestError(name, "", "is not UTF-8 text")]
    except tomllib.TOMLDecodeError as exc:
        return None, [ManifestError(name, "", f"is not valid TOML ({exc})")]
    parser = _Parser(name, media_root)
    session = parser.session(data, path)
    if session is None:
        return None, parser.problems
    problems = parser.problems + media_problems(session, file=name)
    return session, problems


def media_problems(session: Session, *, file: str) -> list[ManifestError]:
    """Problems with the files a valid manifest points at: missing, empty, or not a video."""
    problems: list[ManifestError] = []
    for group, snippets in (("preview", session.preview), ("full.parts", session.full.parts if session.full else ())):
        for index, snippet in enumerate(snippets):
            where = f"{group}[{index}]"
            reason = _media_file_problem(snippet.media, encrypted=snippet.paid)
            if reason:
                problems.append(ManifestError(file, f"{where}.media", f"{snippet.media.name}: {reason}"))
            if snippet.cues is not None and not snippet.cues.is_file():
                problems.append(ManifestError(file, f"{where}.cues", f"{snippet.cues.name}: file not found"))
    return problems


VIDEO_SIGNATURES: tuple[Callable[[bytes], bool], ...] = (
    lambda head: head[4:8] == b"ftyp",  # MP4 / MOV / M4V
    lambda head: head[:4] == b"\x1a\x45\xdf\xa3",  # Matroska / WebM
    lambda head: head[:4] == b"OggS",  # Ogg (Theora)
)


def _media_file_problem(path: Path, *, encrypted: bool) -> str:
    if not path.exists():
        return "file not found"
    if not path.is_file():
        return "is not a file"
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not head:
        return "file is empty"
    if not encrypted and not any(sig(head) for sig in VIDEO_SIGNATURES):
        return "is not a video file this app can play (expected MP4, WebM/Matroska or Ogg)"
    return ""


class _Parser:
    """Collects every structural problem instead of stopping at the first."""

    def __init__(self, file: str, media_root: Path) -> None:
        self.file = file
        self.media_root = media_root
        self.problems: list[ManifestError] = []

    def fail(self, field_path: str, reason: str) -> None:
        self.problems.append(ManifestError(self.file, field_path, reason))

    def session(self, data: Mapping[str, Any], path: Path) -> Session | None:
        for key in data:
            if key not in TOP_FIELDS:
                self.fail(key, "unknown field")
        schema = data.get("schema")
        if schema != SCHEMA_VERSION:
            self.fail("schema", f"must be {SCHEMA_VERSION}, got {schema!r}")
        session_id = self.text(data, "id")
        if session_id and not SLUG.match(session_id):
            self.fail("id", "must be lowercase letters, digits and dashes")
        title = self.text(data, "title")
        summary = self.text(data, "summary", required=False)
        teacher = self.text(data, "teacher", required=False)
        preview = self.snippets(data.get("preview"), "preview", paid=False)
        publisher = self.publisher(data.get("publisher"))
        full = self.full(data.get("full"))
        if full is not None and publisher is None:
            self.fail("publisher", "a session with a [full] part needs a [publisher] with a public_key")
        ids = [s.id for s in (*preview, *(full.parts if full else ()))]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            self.fail("preview", f'snippet id "{duplicate}" appears twice')
        if self.problems:
            return None
        return Session(
            id=session_id, title=title, summary=summary, teacher=teacher, preview=tuple(preview),
            file=path, publisher=publisher, full=full,
        )

    def snippets(self, value: Any, where: str, *, paid: bool) -> list[Snippet]:
        if not isinstance(value, list) or not value:
            self.fail(where, f"must be a non-empty list of snippet tables, got {type_name(value)}"
                      if value is not None else "missing: a session needs at least one snippet")
            return []
        snippets = []
        for index, table in enumerate(value):
            before = len(self.problems)
            snippet = self.snippet(table, f"{where}[{index}]", paid=paid)
            if snippet is not None and len(self.problems) == before:
                snippets.append(snippet)
        return snippets

    def snippet(self, table: Any, where: str, *, paid: bool) -> Snippet | None:
        if not isinstance(table, Mapping):
            self.fail(where, f"must be a table, got {type_name(table)}")
            return None
        for key in table:
            if key not in SNIPPET_FIELDS:
                self.fail(f"{where}.{key}", "unknown field")
        snippet_id = self.text(table, "id", where)
        if snippet_id and not SLUG.match(snippet_id):
            self.fail(f"{where}.id", "must be lowercase letters, digits and dashes")
        title = self.text(table, "title", where)
        media = self.media_path(table.get("media"), f"{where}.media", required=True)
        cues = self.media_path(table.get("cues"), f"{where}.cues", required=False)
        duration_s = table.get("duration_s")
        if isinstance(duration_s, bool) or not isinstance(duration_s, int | float) or duration_s <= 0:
            self.fail(f"{where}.duration_s", f"must be a positive number of seconds, got {type_name(duration_s)}"
                      if duration_s is not None else "missing")
            duration_s = 0.0
        try:
            questions = parse_checkin(table.get("checkin", ["standard"]), file=self.file, field=f"{where}.checkin")
        except ManifestError as exc:
            self.problems.append(exc)
            questions = ()
        size_bytes = table.get("size_bytes")
        sha256 = self.text(table, "sha256", where, required=paid)
        if sha256 and not re.fullmatch(r"[0-9a-f]{64}", sha256):
            self.fail(f"{where}.sha256", "must be 64 lowercase hex digits (the SHA-256 of the encrypted file)")
        if paid and (isinstance(size_bytes, bool) or not isinstance(size_bytes, int) or size_bytes <= 0):
            self.fail(f"{where}.size_bytes", "must be the encrypted file's size in bytes")
        if media is None:
            return None
        return Snippet(
            id=snippet_id, title=title, media=media, duration_s=float(duration_s), questions=questions,
            cues=cues, gentler=self.text(table, "gentler", where, required=False), paid=paid,
            size_bytes=size_bytes if paid else None, sha256=sha256,
        )

    def publisher(self, value: Any) -> Publisher | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail("publisher", f"must be a table, got {type_name(value)}")
            return None
        self.unknown_fields(value, {"name", "public_key"}, "publisher")
        public_key = self.text(value, "public_key", "publisher")
        try:
            raw = base64.b64decode(public_key, validate=True) if public_key else b""
        except (binascii.Error, ValueError):
            raw = b""
        if public_key and len(raw) != 32:
            self.fail("publisher.public_key", "must be an Ed25519 public key: base64 of 32 bytes")
        return Publisher(name=self.text(value, "name", "publisher"), public_key=public_key)

    def full(self, value: Any) -> FullSession | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail("full", f"must be a table, got {type_name(value)}")
            return None
        self.unknown_fields(value, {"price", "parts"}, "full")
        price = self.text(value, "price", "full")
        parts = self.snippets(value.get("parts"), "full.parts", paid=True)
        return FullSession(price=price, parts=tuple(parts))

    def unknown_fields(self, table: Mapping[str, Any], known: set[str], where: str) -> None:
        for key in table:
            if key not in known:
                self.fail(f"{where}.{key}", "unknown field")

    def media_path(self, value: Any, where: str, *, required: bool) -> Path | None:
        if value is None:
            if required:
                self.fail(where, "missing")
            return None
        if not isinstance(value, str) or not value:
            self.fail(where, f"must be a relative path string, got {type_name(value)}")
            return None
        posix = PurePosixPath(value.replace("\\", "/"))
        if posix.is_absolute() or value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":"):
            self.fail(where, f'"{value}" is absolute; media paths are relative to media/')
            return None
        if ".." in posix.parts:
            self.fail(where, f'"{value}" climbs out of media/ with ".."')
            return None
        return self.media_root.joinpath(*posix.parts)

    def text(self, table: Mapping[str, Any], key: str, where: str = "", *, required: bool = True) -> str:
        path = f"{where}.{key}" if where else key
        value = table.get(key)
        if value is None:
            if required:
                self.fail(path, "missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(path, f"must be a non-empty string, got {type_name(value)}")
            return ""
        return value
