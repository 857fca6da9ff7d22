"""``movement-player doctor``: the playback backends, the Qt platform, the data directory and the journal's health.

No Qt is imported: the Qt platform is told from the environment, as the app will choose it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from player.core.errors import JournalError, PlaybackUnavailableError
from player.core.journal.health import check_folder, inspect_journal
from player.core.paths import journal_path
from player.playback import registry

# Width of the label column, so the values line up.
LABEL_WIDTH = 17


def run_doctor(data_directory: Path, *, backend: str | None = None) -> int:
    """Print what the app will use here; returns 0 when the backend it would play with works, else 1."""
    print(f"Movement Player {_version('movement-player')}")
    requested = registry.requested_name(backend)
    try:
        chosen: registry.BackendEntry | None = registry.choose(requested)
        problem = ""
    except PlaybackUnavailableError as exc:
        chosen, problem = None, exc.message
    platform, why = _qt_platform(chosen)
    for entry in registry.backends():
        print(_line(entry.label, _backend_status(entry, platform)))
    auto = registry.auto_choice()
    if chosen is None:
        playing = f"NOTHING ({requested}): {problem}"
    elif requested == registry.AUTO:
        playing = f"{chosen.name} (auto's pick)"
    else:
        playing = f"{chosen.name} (asked for; auto would pick {auto.name if auto else 'nothing'})"
    print(_line("Plays with", playing))
    print(_line("Qt", f"PySide6 {_version('PySide6-Essentials')}, platform {platform}{why}"))
    print(_line("Data directory", str(data_directory)))
    path = journal_path(data_directory)
    print(_line("Journal", str(path)))
    health, journal_ok = _journal_health(path)
    print(_line("Journal health", health))
    return 0 if chosen is not None and journal_ok else 1


def _line(label: str, value: str) -> str:
    return f"{label + ':':<{LABEL_WIDTH}}{value}"


def _backend_status(entry: registry.BackendEntry, platform: str) -> str:
    reason = entry.unavailable()
    if reason is not None:
        return f"MISSING ({entry.name})\n{reason}"
    where = "draws in the window" if entry.embeds_on(platform) else f"plays without a picture on {platform}"
    pick = "" if entry.real else "; only when asked for by name, never by auto"
    return f"works ({entry.name}): {entry.about()}; {where}{pick}"


def _version(distribution: str) -> str:
    from importlib import metadata  # only doctor needs it; it costs ~20 ms at start-up

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _qt_platform(chosen: registry.BackendEntry | None) -> tuple[str, str]:
    """The Qt platform the app will start on, and why (as start-up decides it for the chosen backend)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return os.environ["QT_QPA_PLATFORM"], " (from QT_QPA_PLATFORM)"
    if os.environ.get("WAYLAND_DISPLAY"):
        if chosen is not None and registry.forced_qt_platform(chosen) == "xcb":
            return "xcb", f" (Wayland session: XWayland, so {chosen.label} can draw in the window)"
        return "wayland", " (Wayland session)"
    if os.environ.get("DISPLAY"):
        return "xcb", f" (X11 display {os.environ['DISPLAY']})"
    if sys.platform.startswith("linux"):
        return "none", ": no display (set DISPLAY, or run under xvfb-run)"
    return {"win32": "windows", "darwin": "cocoa"}.get(sys.platform, sys.platform), " (native)"


def _journal_health(path: Path) -> tuple[str, bool]:
    """The journal's full integrity check and counts, read without writing a byte; and whether it is healthy."""
    try:
        check_folder(path.parent)
        if not path.exists() and not path.with_name(path.name + "-wal").exists():
            return "not created yet (it is created when the app first opens)", True
        health = inspect_journal(path)
    except JournalError as exc:
        return f"PROBLEM: {exc.message}", False
    return f"{health.check} ({health.runs} runs, {health.checkins} check-ins)", health.check == "ok"
