"""Session manifests (TOML): parse, validate and check their media.

A manifest problem never raises out of :func:`read_session`; it comes back as a list of
:class:`ManifestError`, each naming the file, the field path (``preview[2].media``) and the reason.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from player.core.bounded import UnreadableFileError, read_bytes_limited, read_text_limited
from player.core.defaults import (
    MAX_CUE_FILE_BYTES,
    MAX_DURATION_S,
    MAX_ID_CHARS,
    MAX_MANIFEST_BYTES,
    MAX_MEDIA_PATH_BYTES,
    MAX_NAME_BYTES,
    MAX_PACK_BYTES,
    MAX_POSTER_BYTES,
)
from player.core.errors import ManifestError
from player.core.licensing.points import public_key_problem
from player.core.session.cues import read_cues
from player.core.session.question_kinds import parse_checkin
from player.core.session.questions import SLUG, Question, type_name

SCHEMA_VERSION = 1
TOP_FIELDS = {"schema", "id", "title", "summary", "teacher", "poster", "badge", "publisher", "preview", "full"}
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
    first_cue: str = ""  # the text of the cue file's first cue, read once with the manifest ("" without)

    @property
    def questions_before(self) -> tuple[Question, ...]:
        """The questions asked before the snippet plays (``when = "before"``), in manifest order."""
        return tuple(q for q in self.questions if q.when == "before")

    @property
    def questions_after(self) -> tuple[Question, ...]:
        """The questions of the check-in after the snippet (``when`` "after" or not given), in manifest order."""
        return tuple(q for q in self.questions if q.when != "before")


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
    poster: Path | None = None  # the library card's picture (PNG or JPEG), e.g. a frame of the first snippet
    badge: str = ""  # a short label the app shows beside the video, never on it, e.g. "DEMO FOOTAGE"

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


def read_session(
    path: Path, *, media_root: Path, verify_files: bool = False
) -> tuple[Session | None, list[ManifestError]]:
    """Read the manifest at ``path`` whose media paths are relative to ``media_root``.

    Returns the session (None when its structure is invalid) and every problem found, media
    problems included (missing, empty or non-video files, a cue file that is too large). With
    ``verify_files`` each paid part's size and SHA-256 are compared with ``size_bytes`` and ``sha256``
    (reads every part: for installing and checking, not at every start; a damaged part is caught
    when it is opened anyway). The first cue of each cue
    file is read here, once. Never raises for bad input: a file that is not a regular file or larger
    than MAX_MANIFEST_BYTES, TOML that is invalid or nests too deeply, numbers that are not finite or
    out of range all come back as problems.
    """
    name = str(path)
    try:
        data = tomllib.loads(read_text_limited(path, max_bytes=MAX_MANIFEST_BYTES))
    except UnreadableFileError as exc:
        return None, [ManifestError(name, "", exc.reason)]
    except tomllib.TOMLDecodeError as exc:
        return None, [ManifestError(name, "", f"is not valid TOML ({exc})")]
    except RecursionError:
        return None, [ManifestError(name, "", "is not valid TOML (arrays or tables nest too deeply)")]
    parser = _Parser(name, media_root)
    session = parser.session(data, path)
    if session is None:
        return None, parser.problems
    session, problems = _with_media(session, file=name, verify_files=verify_files)
    return session, parser.problems + problems


def _with_media(session: Session, *, file: str, verify_files: bool) -> tuple[Session, list[ManifestError]]:
    """The session with each snippet's first cue read, and the problems of the files it points at."""
    problems = media_problems(session, file=file, verify_files=verify_files)
    preview = tuple(_with_first_cue(s) for s in session.preview)
    full = session.full
    if full is not None:
        full = FullSession(price=full.price, parts=tuple(_with_first_cue(s) for s in full.parts))
    return replace(session, preview=preview, full=full), problems


def _with_first_cue(snippet: Snippet) -> Snippet:
    if snippet.cues is None or snippet.paid:
        return snippet
    cues = read_cues(snippet.cues)  # parsed once here, kept for the player (a bad file gives none)
    return replace(snippet, first_cue=cues[0].text if cues else "")


def media_problems(session: Session, *, file: str, verify_files: bool = False) -> list[ManifestError]:
    """Problems with the files a valid manifest points at: missing, empty, not a video, a cue file that
    is not a regular file or too large; with ``verify_files``, a paid part whose size or SHA-256 differs
    from the manifest's."""
    problems: list[ManifestError] = []
    if session.poster is not None:
        reason = _poster_problem(session.poster)
        if reason:
            problems.append(ManifestError(file, "poster", f"{session.poster.name}: {reason}"))
    for group, snippets in (("preview", session.preview), ("full.parts", session.full.parts if session.full else ())):
        for index, snippet in enumerate(snippets):
            where = f"{group}[{index}]"
            reason = _media_file_problem(snippet.media, encrypted=snippet.paid)
            if not reason and snippet.paid and verify_files:
                reason = _paid_file_problem(snippet)
            if reason:
                problems.append(ManifestError(file, f"{where}.media", f"{snippet.media.name}: {reason}"))
            reason = _cue_file_problem(snippet.cues) if snippet.cues is not None else ""
            if reason and snippet.cues is not None:
                problems.append(ManifestError(file, f"{where}.cues", f"{snippet.cues.name}: {reason}"))
    return problems


def _regular_file(path: Path) -> tuple[os.stat_result | None, str]:
    """``path``'s status, or None and why it is missing, unreadable or not a regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, "file not found"
    except (OSError, ValueError) as exc:
        return None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not stat.S_ISREG(info.st_mode):
        return None, "is not a regular file"
    return info, ""


def _cue_file_problem(path: Path) -> str:
    info, reason = _regular_file(path)
    if info is None:
        return reason
    if info.st_size > MAX_CUE_FILE_BYTES:
        return f"is too large ({info.st_size} bytes; a cue file has at most {MAX_CUE_FILE_BYTES})"
    return ""


def _paid_file_problem(snippet: Snippet) -> str:
    try:
        size = snippet.media.stat().st_size
        if snippet.size_bytes is not None and size != snippet.size_bytes:
            return f"has {size} bytes, but size_bytes says {snippet.size_bytes} (a damaged or different file)"
        import hashlib  # only when files are verified (check, install): OpenSSL is not loaded at start-up

        with snippet.media.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        if digest != snippet.sha256:
            return "its SHA-256 differs from the manifest's sha256 (a damaged or different file)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return ""


VIDEO_SIGNATURES: tuple[Callable[[bytes], bool], ...] = (
    lambda head: head[4:8] == b"ftyp",  # MP4 / MOV / M4V
    lambda head: head[:4] == b"\x1a\x45\xdf\xa3",  # Matroska / WebM
    lambda head: head[:4] == b"OggS",  # Ogg (Theora)
)


IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


def _poster_problem(path: Path) -> str:
    try:
        head = read_bytes_limited(path, max_bytes=MAX_POSTER_BYTES)[:8]
    except UnreadableFileError as exc:
        return exc.reason
    if not head.startswith(IMAGE_SIGNATURES):
        return "is not a PNG or JPEG picture"
    return ""


def _media_file_problem(path: Path, *, encrypted: bool) -> str:
    info, reason = _regular_file(path)
    if info is None:
        return reason
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
        session_id = self.slug(data, "id", "")
        title = self.text(data, "title")
        summary = self.text(data, "summary", required=False)
        teacher = self.text(data, "teacher", required=False)
        poster = self.media_path(data.get("poster"), "poster", required=False)
        badge = self.text(data, "badge", required=False)
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
            file=path, publisher=publisher, full=full, poster=poster, badge=badge,
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
        snippet_id = self.slug(table, "id", where)
        title = self.text(table, "title", where)
        media = self.media_path(table.get("media"), f"{where}.media", required=True)
        cues = self.media_path(table.get("cues"), f"{where}.cues", required=False)
        duration_s = self.duration(table.get("duration_s"), f"{where}.duration_s")
        try:
            questions = parse_checkin(table.get("checkin", ["standard"]), file=self.file, field=f"{where}.checkin")
        except ManifestError as exc:
            self.problems.append(exc)
            questions = ()
        size_bytes = table.get("size_bytes")
        sha256 = self.text(table, "sha256", where, required=paid)
        if sha256 and not re.fullmatch(r"[0-9a-f]{64}", sha256):
            self.fail(f"{where}.sha256", "must be 64 lowercase hex digits (the SHA-256 of the encrypted file)")
        if paid and (isinstance(size_bytes, bool) or not isinstance(size_bytes, int)
                     or not 0 < size_bytes <= MAX_PACK_BYTES):
            self.fail(f"{where}.size_bytes", "must be the encrypted file's size in bytes "
                                             f"(1 to {MAX_PACK_BYTES}), got {_shown(size_bytes)}")
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
        elif public_key and (problem := public_key_problem(raw)):
            self.fail("publisher.public_key", f"is not a usable Ed25519 public key: it {problem}")
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
        if "\x00" in value:
            self.fail(where, "contains a NUL character")
            return None
        if len(value.encode("utf-8", "surrogatepass")) > MAX_MEDIA_PATH_BYTES:
            self.fail(where, f"is longer than {MAX_MEDIA_PATH_BYTES} bytes")
            return None
        posix = PurePosixPath(value.replace("\\", "/"))
        long_names = [part for part in posix.parts if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES]
        if long_names:
            self.fail(where, f"has a file or folder name longer than {MAX_NAME_BYTES} bytes "
                             f'("{long_names[0][:40]}...")')
            return None
        if posix.is_absolute() or value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":"):
            self.fail(where, f'"{value}" is absolute; media paths are relative to media/')
            return None
        if ".." in posix.parts:
            self.fail(where, f'"{value}" climbs out of media/ with ".."')
            return None
        return self.media_root.joinpath(*posix.parts)

    def slug(self, table: Mapping[str, Any], key: str, where: str) -> str:
        """A required id: lowercase letters, digits and single dashes, at most MAX_ID_CHARS."""
        value = self.text(table, key, where)
        path = f"{where}.{key}" if where else key
        if value and len(value) > MAX_ID_CHARS:
            self.fail(path, f"is longer than {MAX_ID_CHARS} characters")
            return ""
        if value and not SLUG.match(value):
            self.fail(path, "must be lowercase letters, digits and dashes")
        return value

    def duration(self, value: Any, where: str) -> float:
        """A length in seconds: a finite number above 0 and at most MAX_DURATION_S (0.0 after a problem)."""
        if value is None:
            self.fail(where, "missing")
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"must be a positive number of seconds, got {type_name(value)}")
            return 0.0
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(where, f"must be a finite number of seconds, got {value}")
            return 0.0
        if not 0 < value <= MAX_DURATION_S:
            self.fail(where, f"must be more than 0 and at most {MAX_DURATION_S} seconds, got {_shown(value)}")
            return 0.0
        return float(value)

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


def _shown(value: Any) -> str:
    """A value for an error message, cut short: an integer of 10,000 digits is shown as its size."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return f"an integer of {len(str(abs(value))) if abs(value) < 10**4000 else 'thousands of'} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
