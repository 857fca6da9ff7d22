"""The ``movement-player`` command. Only the GUI commands import Qt."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from player.core.errors import JournalError, PlaybackUnavailableError
from player.core.journal.store import Journal
from player.core.paths import data_dir, journal_path
from player.core.session.library import LibraryEntry, builtin_root, library_roots, read_entry, scan_library
from player.core.session.manifest import Session

# Commands that open the app: their start-up skips importing the other commands' modules (~50 ms).
APP_COMMANDS = (None, "play")


def build_parser(*, app_only: bool = False) -> argparse.ArgumentParser:
    """The argument parser; every command has help text (a test checks).

    ``app_only`` leaves out the console-only commands, so opening the app imports none of them.
    """
    parser = argparse.ArgumentParser(
        prog="movement-player",
        description="Follow-along movement sessions with check-ins and a local journal. "
                    "With no command, opens the app on its library page.",
    )
    parser.add_argument("--data-dir", metavar="DIR",
                        help="data directory (default: $MOVEMENT_PLAYER_DATA_DIR, else the platform's user data "
                             "directory); the journal is journal.db inside it")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = commands.add_parser("play", help="open the app straight into a session")
    play.add_argument("session_id", metavar="SESSION_ID", help="the session's id (see: movement-player sessions)")
    if app_only:
        return parser
    from player.cli.journal import add_journal_parser
    from player.cli.license import add_license_parsers
    from player.cli.publish import add_publish_parser

    commands.add_parser("sessions", help="list sessions: id, title, snippets, total duration, status")
    check = commands.add_parser("check", help="validate session manifests and their media (exit 1 on any problem)")
    check.add_argument("paths", nargs="*", metavar="PATH", type=Path,
                       help="manifest files or folders of them (default: the built-in sessions); media paths "
                            "are relative to the media/ folder beside the manifest's folder")
    commands.add_parser("doctor", help="show libVLC, the Qt platform, the data directory and the journal's health")
    add_license_parsers(commands)
    add_journal_parser(commands)
    add_publish_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    app_only = _command_of(arguments) in APP_COMMANDS and not {"-h", "--help"} & set(arguments)
    args = build_parser(app_only=app_only).parse_args(arguments)
    directory = data_dir(override=args.data_dir)
    if args.command in (None, "play"):
        return _open_app(directory, getattr(args, "session_id", None))
    if args.command == "sessions":
        return _sessions(directory)
    if args.command == "check":
        return _check(args.paths)
    if args.command in ("license", "install"):
        from player.cli.license import run_install, run_license

        return run_license(args, directory) if args.command == "license" else run_install(args, directory)
    if args.command == "publish":
        from player.cli.publish import run_publish

        return run_publish(args)
    if args.command == "journal":
        from player.cli.journal import run_journal

        return run_journal(args, directory)
    return _doctor(directory)


def _command_of(arguments: list[str]) -> str | None:
    """The command word in ``arguments`` (skipping ``--data-dir DIR``), or None."""
    words = iter(arguments)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _open_app(directory: Path, session_id: str | None) -> int:
    try:
        from player.playback.vlc.loader import load_vlc

        load_vlc()
    except PlaybackUnavailableError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    from player.ui.bootstrap import run_app

    return run_app(data_directory=directory, session_id=session_id)


def _status(entry: LibraryEntry, licensed: set[str]) -> str:
    if entry.session is None:
        return "broken manifest"
    if not entry.available:
        return "unavailable"
    if entry.session.full is None:
        return "ready"
    return "ready, full session " + ("unlocked" if entry.session_id in licensed else "locked")


def _sessions(directory: Path) -> int:
    entries = scan_library(library_roots(directory))
    if not entries:
        print("No sessions found.")
        return 0
    from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore

    sessions = [e.session for e in entries if e.session is not None and e.available]
    licensed = set(LicenseStore(directory / LICENSES_DIRNAME).verified(sessions)[0])
    rows = [("ID", "TITLE", "SNIPPETS", "DURATION", "STATUS")]
    for entry in entries:
        session = entry.session
        count = _count(session) if session else "-"
        duration = _minutes(session.preview_duration_s + session.full_duration_s) if session else "-"
        rows.append((entry.session_id, entry.title, count, duration, _status(entry, licensed)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for entry in entries:
        for problem in entry.problems:
            print(f"  {entry.session_id}: {problem.message}")
    return 0


def _count(session: Session) -> str:
    paid = f" + {len(session.full.parts)} paid" if session.full else ""
    return f"{len(session.preview)}{paid}"


def _minutes(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _manifest_files(paths: list[Path]) -> list[Path]:
    if not paths:
        return sorted(builtin_root().sessions_dir.glob("*.toml"))
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def _check(paths: list[Path]) -> int:
    files = _manifest_files(paths)
    if not files:
        print("No manifests to check.", file=sys.stderr)
        return 1
    problems = 0
    for file in files:
        entry = read_entry(file, media_dir=file.resolve().parent.parent / "media")
        for problem in entry.problems:
            print(problem.message)
        problems += len(entry.problems)
        if entry.available and entry.session:
            print(f"ok: {file} ({entry.session.id}, {len(entry.session.preview)} snippets)")
    return 1 if problems else 0


def _doctor(directory: Path) -> int:
    print(f"Movement Player {_version('movement-player')}")
    try:
        from player.playback.vlc.loader import load_vlc

        vlc = load_vlc()
        print(f"libVLC:          {vlc.libvlc_get_version().decode()} (python-vlc {_version('python-vlc')})")
        vlc_ok = True
    except PlaybackUnavailableError as exc:
        print(f"libVLC:          MISSING\n{exc.message}")
        vlc_ok = False
    print(f"Qt:              PySide6 {_version('PySide6-Essentials')}, platform {_qt_platform()}")
    print(f"Data directory:  {directory}")
    path = journal_path(directory)
    print(f"Journal:         {path}")
    print(f"Journal health:  {_journal_health(path)}")
    return 0 if vlc_ok else 1


def _version(distribution: str) -> str:
    from importlib import metadata  # only doctor needs it; it costs ~20 ms at start-up

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _qt_platform() -> str:
    if os.environ.get("QT_QPA_PLATFORM"):
        return f"{os.environ['QT_QPA_PLATFORM']} (from QT_QPA_PLATFORM)"
    if os.environ.get("WAYLAND_DISPLAY"):
        return "xcb (Wayland session: XWayland, so libVLC can embed)"
    if os.environ.get("DISPLAY"):
        return f"xcb (X11 display {os.environ['DISPLAY']})"
    return "none: no display (set DISPLAY, or run under xvfb-run)" if sys.platform.startswith("linux") else "native"


def _journal_health(path: Path) -> str:
    if not path.exists():
        return "not created yet (it is created when the app first opens)"
    try:
        with Journal.open(path) as journal:
            runs, checkins = journal.db.table("runs").count, journal.db.table("checkins").count
            return f"{journal.integrity()} ({runs} runs, {checkins} check-ins)"
    except JournalError as exc:
        return f"PROBLEM: {exc.message}"


if __name__ == "__main__":
    sys.exit(main())
