"""The ``movement-player`` command: parsing and dispatch only. Only the GUI commands import Qt.

Each console command lives in its own module of :mod:`player.cli`, imported when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from player import __version__
from player.core.paths import data_dir
from player.playback.registry import BACKEND_ENV, names

# Commands that open the app: their start-up skips importing the other commands' modules (~50 ms).
APP_COMMANDS = (None, "play")
# Global options that take a value (the command word comes after them).
VALUE_OPTIONS = ("--data-dir", "--backend")


def build_parser(*, app_only: bool = False) -> argparse.ArgumentParser:
    """The argument parser; every command has help text (a test checks).

    ``app_only`` leaves out the console-only commands, so opening the app imports none of them.
    """
    parser = argparse.ArgumentParser(
        prog="movement-player",
        description="Follow-along movement sessions with check-ins and a local journal. "
                    "With no command, opens the app on its library page.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="data directory (default: $MOVEMENT_PLAYER_DATA_DIR, else the platform's user data "
                             "directory); the journal is journal.db inside it")
    parser.add_argument("--backend", metavar="NAME",
                        help=f"what plays the video: {', '.join(names())} (default: ${BACKEND_ENV}, else auto: "
                             "the first real player that works here; 'fake' shows a test picture instead of video)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = commands.add_parser("play", help="open the app straight into a session")
    play.add_argument("session_id", metavar="SESSION_ID", help="the session's id (see: movement-player sessions)")
    if app_only:
        return parser
    from player.cli.desktop import add_desktop_parser
    from player.cli.install import add_install_parser
    from player.cli.journal import add_journal_parser
    from player.cli.license import add_license_parsers
    from player.cli.play_check import add_play_check_parser
    from player.cli.publish import add_publish_parser

    commands.add_parser("sessions", help="list sessions: id, title, snippets, total duration, status")
    check = commands.add_parser("check", help="validate session manifests and their media (exit 1 on any problem)")
    check.add_argument("paths", nargs="*", metavar="PATH", type=Path,
                       help="manifest files or folders of them (default: the built-in sessions); media paths "
                            "are relative to the media/ folder beside the manifest's folder")
    commands.add_parser("doctor", help="show the playback backends (which work here, which one plays), the Qt "
                                       "platform, the data directory and the journal's health")
    add_license_parsers(commands)
    add_install_parser(commands)
    add_journal_parser(commands)
    add_publish_parser(commands)
    add_desktop_parser(commands)
    add_play_check_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    app_only = _command_of(arguments) in APP_COMMANDS and not {"-h", "--help"} & set(arguments)
    args = build_parser(app_only=app_only).parse_args(arguments)
    directory = data_dir(override=args.data_dir)
    if args.command in APP_COMMANDS:
        return _open_app(directory, session_id=getattr(args, "session_id", None), backend=args.backend)
    if args.command == "sessions":
        from player.cli.sessions import run_sessions

        return run_sessions(directory)
    if args.command == "check":
        from player.cli.check import run_check

        return run_check(args.paths)
    if args.command == "license":
        from player.cli.license import run_license

        return run_license(args, directory)
    if args.command == "install":
        from player.cli.install import run_install

        return run_install(args, directory)
    if args.command == "publish":
        from player.cli.publish import run_publish

        return run_publish(args)
    if args.command == "desktop-entry":
        from player.cli.desktop import run_desktop

        return run_desktop(args)
    if args.command == "play-check":
        from player.cli.play_check import run_play_check

        return run_play_check(args, directory, backend_name=args.backend)
    if args.command == "journal":
        from player.cli.journal import run_journal

        return run_journal(args, directory)
    from player.cli.doctor import run_doctor

    return run_doctor(directory, backend=args.backend)


def open_app(argv: Sequence[str] | None = None) -> int:
    """GUI entry point (``movement-player-app``): the app, as ``movement-player`` with no command.

    It takes the app's options only (``--data-dir``, ``--backend``, ``play SESSION_ID``).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(app_only=True).parse_args(arguments)
    return _open_app(data_dir(override=args.data_dir), session_id=getattr(args, "session_id", None),
                     backend=args.backend)


def _command_of(arguments: list[str]) -> str | None:
    """The command word in ``arguments`` (skipping the global options and their values), or None."""
    words = iter(arguments)
    for word in words:
        if word in VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _open_app(directory: Path, *, session_id: str | None, backend: str | None) -> int:
    from player.ui.collector import freeze_imports, pause_collector

    pause_collector()  # for the start only (see player.ui.collector): the app resumes it once started
    from player.ui.bootstrap import run_app  # Qt: only the app's commands pay for it

    freeze_imports()

    return run_app(data_directory=directory, session_id=session_id, backend=backend)


if __name__ == "__main__":
    sys.exit(main())
