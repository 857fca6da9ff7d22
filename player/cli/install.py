"""``movement-player install PACK``: install a session pack after validating it. No Qt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from player.core.session.packs import PackError, install_pack


def add_install_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``install`` command."""
    install = commands.add_parser("install", help="install a session pack (a folder or a .zip) after validating it")
    install.add_argument("pack", metavar="PACK", type=Path, help="the pack folder or .zip file")


def run_install(args: argparse.Namespace, data_directory: Path) -> int:
    """Run ``install PACK``; returns the exit code (1 when the pack is refused, with why on stderr)."""
    try:
        installed = install_pack(args.pack, data_directory=data_directory)
    except PackError as exc:
        print(f"Not installed: {exc.message}", file=sys.stderr)
        return 1
    for session in installed.sessions:
        print(f"Installed '{session.title}' ({session.id}) into {installed.directory}.")
    return 0
