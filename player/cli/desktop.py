"""``movement-player desktop-entry``: put the app in the Linux desktop's menu (freedesktop.org locations).

It copies the desktop entry, the icon (SVG and 256 px PNG) and the AppStream metainfo from the installed
package into ``$XDG_DATA_HOME`` (``~/.local/share``), with the entry's ``Exec`` pointing at this
installation's ``movement-player-app``. ``--remove`` takes them away again. No Qt is imported.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from importlib import resources
from pathlib import Path

APP_ID = "io.github.movementplayer.MovementPlayer"
ICON_NAME = "movement-player"


def data_home(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share``."""
    configured = environ.get("XDG_DATA_HOME", "").strip()
    return Path(configured) if configured else Path.home() / ".local" / "share"


def app_command() -> str:
    """The command line that opens this installation's app: its ``movement-player-app`` script when it sits
    beside this Python (a venv or pipx), else this Python running the package."""
    script = Path(sys.executable).with_name("movement-player-app")
    if script.is_file():
        return shlex.quote(str(script))
    found = shutil.which("movement-player-app")
    if found:
        return shlex.quote(found)
    return f"{shlex.quote(sys.executable)} -m player.cli"


def targets(home: Path) -> dict[str, Path]:
    """Where each packaged file goes under the data home ``home``."""
    return {
        f"{APP_ID}.desktop": home / "applications" / f"{APP_ID}.desktop",
        f"{ICON_NAME}.svg": home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        f"{ICON_NAME}.png": home / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png",
        f"{APP_ID}.metainfo.xml": home / "metainfo" / f"{APP_ID}.metainfo.xml",
    }


def install_desktop_files(home: Path, *, command: str) -> list[Path]:
    """Copy the packaged files into ``home`` (the entry's Exec set to ``command``); returns what was written.

    Raises OSError when a folder cannot be made or a file cannot be written.
    """
    assets = resources.files("player") / "assets"
    written: list[Path] = []
    for name, target in targets(home).items():
        content = (assets / name).read_bytes()
        if name.endswith(".desktop"):
            lines = content.decode("utf-8").splitlines()
            content = "\n".join(f"Exec={command}" if line.startswith("Exec=") else line for line in lines).encode()
            content += b"\n"
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(content)
        temporary.replace(target)
        written.append(target)
    return written


def remove_desktop_files(home: Path) -> list[Path]:
    """Delete the files :func:`install_desktop_files` wrote under ``home``; returns those that were there."""
    removed = []
    for target in targets(home).values():
        if target.is_file():
            target.unlink()
            removed.append(target)
    return removed


def add_desktop_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``desktop-entry`` command's arguments."""
    parser = commands.add_parser("desktop-entry", help="add Movement Player to the Linux desktop's app menu (a "
                                                       "desktop entry, its icon and AppStream metainfo in "
                                                       "~/.local/share)")
    parser.add_argument("--remove", action="store_true", help="take them away again")


def run_desktop(args: argparse.Namespace) -> int:
    """Install (or, with ``--remove``, remove) the desktop files; prints each path; 1 on a file error."""
    home = data_home()
    try:
        paths = remove_desktop_files(home) if args.remove else install_desktop_files(home, command=app_command())
    except OSError as exc:
        print(f"movement-player: cannot write the desktop files under {home}: {exc.strerror} "
              f"({exc.filename})", file=sys.stderr)
        return 1
    verb = "removed" if args.remove else "installed"
    for path in paths:
        print(f"{verb} {path}")
    if not args.remove:
        print("Movement Player is in the app menu now (some desktops show it after logging in again).")
    return 0
