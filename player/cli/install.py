"""``movement-player install PACK``: install a session pack after validating it. No Qt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from player.core.session.packs import PackError, PublisherChangedError, install_pack
from player.core.text import printable


def add_install_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``install`` command."""
    install = commands.add_parser("install", help="install a session pack (a folder or a .zip) after validating it")
    install.add_argument("pack", metavar="PACK", type=Path, help="the pack folder or .zip file")
    install.add_argument("--replace", action="store_true",
                         help="install even if the pack brings an installed session from another publisher (keys "
                              "bought for the installed one stop working)")


def run_install(args: argparse.Namespace, data_directory: Path) -> int:
    """Run ``install PACK``; returns the exit code (1 when the pack is refused, with why on stderr)."""
    try:
        installed = install_pack(args.pack, data_directory=data_directory, replace=args.replace)
    except PublisherChangedError as exc:
        for change in exc.changes:
            print(f"Not installed: {printable(change.describe())}.", file=sys.stderr)
        print("If you trust this pack, install it with --replace.", file=sys.stderr)
        return 1
    except PackError as exc:
        print(f"Not installed: {printable(exc.message)}", file=sys.stderr)
        return 1
    for change in installed.replaced:
        print(f"Replaced the publisher: {printable(change.describe())}.")
    for session in installed.sessions:
        print(f"Installed '{printable(session.title)}' ({session.id}) into {installed.directory}.")
    for session_id in installed.kept:
        print(f"Kept '{session_id}', installed with it earlier.")
    return 0
