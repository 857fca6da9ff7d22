"""``movement-player play-check``: does video really play here? Headless, with the chosen backend.

It plays the first free snippet of a session and, with a licence, its first paid part (decrypted on the fly),
each for a moment, and says how long the first frame took, how many frames arrived (backends that hand
frames to Qt) and how far the position moved. Exit 1 when any of them shows no picture or does not move.
Used by CI on a freshly installed wheel; useful to anyone asking "why is the video black?".
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from player.core.errors import MovementPlayerError, PlaybackError
from player.core.session.library import find_entry, library_roots, scan_library
from player.core.session.manifest import Session
from player.playback.base import MediaSource, PlaybackBackend

# The built-in session, checked when none is named.
DEFAULT_SESSION = "foot-spine-connections"
# How long each media plays once its first frame is out (ms), and how far its position must have moved by then.
PLAY_MS = 1_500
MIN_ADVANCE_MS = 700
# How long the first frame may take (ms) before the check fails.
FIRST_FRAME_TIMEOUT_MS = 10_000


def add_play_check_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``play-check`` command's arguments."""
    parser = commands.add_parser("play-check", help="play a session's first snippet (and, with a licence, its first "
                                                    "paid part) headless and check that frames arrive (exit 1 if not)")
    parser.add_argument("session_id", nargs="?", default=DEFAULT_SESSION, metavar="SESSION_ID",
                        help=f"the session to play (default: {DEFAULT_SESSION})")
    parser.add_argument("--key", metavar="KEY_OR_FILE",
                        help="a licence key or licence file for the paid part (default: the stored licence, if any)")
    parser.add_argument("--paid", action="store_true", help="fail when no paid part can be played (no licence)")


@dataclass
class _Events:
    """A playback listener that records (from any thread) what happened, and when."""

    started_at: float = field(default_factory=time.monotonic)
    first_frame_ms: float | None = None
    ended: bool = False
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def playback_first_frame(self) -> None:
        with self.lock:
            self.first_frame_ms = (time.monotonic() - self.started_at) * 1000

    def playback_ended(self) -> None:
        self.ended = True

    def playback_failed(self, error: PlaybackError) -> None:
        with self.lock:
            self.failures.append(error.message)


def run_play_check(args: argparse.Namespace, data_directory: Path, *, backend_name: str | None) -> int:
    """Play and report; 0 when every media played, 1 otherwise (or when the session or backend is unusable)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from player.playback.registry import choose, requested_name

    qt_app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    try:
        entry = choose(requested_name(backend_name))
        backend = entry.create(embed=False)
    except MovementPlayerError as exc:
        print(f"play-check: no backend plays here: {exc.message}", file=sys.stderr)
        return 1
    session = _session(args.session_id, data_directory)
    if session is None:
        return 1
    print(f"backend: {entry.name} ({entry.about()})")
    frames = _frame_counter(backend)
    checks: list[tuple[str, MediaSource]] = []
    if session.preview:
        checks.append((f"free snippet {session.preview[0].id}", session.preview[0].media))
    paid = _first_paid_part(session, args.key, data_directory)
    if paid is not None:
        checks.append(paid)
    elif args.paid:
        print("paid part: no licence for this session (give --key)", file=sys.stderr)
        backend.close()
        return 1
    ok = bool(checks)
    for label, media in checks:
        ok = _play_one(qt_app, backend, label, media, frames) and ok
    backend.close()
    return 0 if ok else 1


def _session(session_id: str, data_directory: Path) -> Session | None:
    entry = find_entry(scan_library(library_roots(data_directory)), session_id)
    if entry is None or entry.session is None or not entry.available:
        problems = "; ".join(p.message for p in entry.problems) if entry else "not in the library"
        print(f"play-check: session {session_id!r} cannot play: {problems}", file=sys.stderr)
        return None
    return entry.session


def _first_paid_part(session: Session, key: str | None, data_directory: Path) -> tuple[str, MediaSource] | None:
    if session.full is None or not session.full.parts:
        return None
    from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore, key_or_license_file, verify_for_library
    from player.core.licensing.paid_parts import open_part

    try:
        if key is not None:
            content_key = verify_for_library(key_or_license_file(key), [session]).content_key
        else:
            licences, _problems = LicenseStore(data_directory / LICENSES_DIRNAME).verified([session])
            if session.id not in licences:
                return None
            content_key = licences[session.id].content_key
        part = session.full.parts[0]
        return f"paid part {part.id} (decrypted on the fly)", open_part(session, part, content_key)
    except MovementPlayerError as exc:
        print(f"play-check: the paid part cannot be opened: {exc.message}", file=sys.stderr)
        return None


class _Frames:
    """Counts the frames a backend hands to Qt (the Qt Multimedia backend); None when it draws elsewhere."""

    def __init__(self) -> None:
        self.count = 0

    def seen(self, _frame: object) -> None:
        self.count += 1


def _frame_counter(backend: PlaybackBackend) -> tuple[_Frames, object] | None:
    set_sink = getattr(backend, "set_video_sink", None)
    if set_sink is None:
        return None
    from PySide6.QtMultimedia import QVideoSink

    frames, sink = _Frames(), QVideoSink()
    sink.videoFrameChanged.connect(frames.seen)
    set_sink(sink)
    return frames, sink


def _play_one(qt_app: object, backend: PlaybackBackend, label: str, media: MediaSource,
              frames: tuple[_Frames, object] | None) -> bool:
    from PySide6.QtCore import QCoreApplication

    events = _Events()
    backend.set_listener(events)
    if frames is not None:
        frames[0].count = 0
    try:
        backend.load(media)
    except PlaybackError as exc:
        print(f"{label}: FAILED, cannot load: {exc.message}")
        return False
    backend.play()
    deadline = time.monotonic() + FIRST_FRAME_TIMEOUT_MS / 1000
    while events.first_frame_ms is None and not events.failures and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    start_ms = backend.position_ms()
    until = time.monotonic() + PLAY_MS / 1000
    while not events.failures and not events.ended and time.monotonic() < until:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    advanced_ms = backend.position_ms() - start_ms
    backend.stop()
    backend.set_listener(None)
    counted = frames[0].count if frames is not None else None
    problems = list(events.failures)
    if events.first_frame_ms is None and not problems:
        problems.append(f"no first frame within {FIRST_FRAME_TIMEOUT_MS / 1000:.0f} s")
    if advanced_ms < MIN_ADVANCE_MS and not events.ended:
        problems.append(f"the position moved {advanced_ms} ms in {PLAY_MS} ms")
    if counted is not None and counted < 10:
        problems.append(f"only {counted} frames reached the picture")
    frame_text = f", {counted} frames" if counted is not None else ""
    first = f"{events.first_frame_ms:.0f} ms" if events.first_frame_ms is not None else "never"
    status = "ok" if not problems else "FAILED: " + "; ".join(problems)
    print(f"{label}: first frame after {first}{frame_text}, played {advanced_ms} ms: {status}")
    return not problems
