"""User settings: one versioned JSON file in the data directory; defaults from player.core.defaults.

A missing, unreadable or damaged file gives the defaults (the damaged file is kept as ``.bad``);
unknown keys are dropped, wrong types fall back to the default for that key.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from player.core.bounded import UnreadableFileError, read_text_limited
from player.core.defaults import (
    DEFAULT_COUNTDOWN_S,
    DEFAULT_VOLUME_PERCENT,
    MAX_COUNTDOWN_S,
    MAX_SETTINGS_BYTES,
    SPEED_STEPS,
)

SETTINGS_FILENAME = "settings.json"
SETTINGS_VERSION = 2  # 2: cues on by default (version 1 files kept "off" only because the old demo footage
#                          burnt its cues into the picture; their cues_visible is not carried over)


@dataclass(frozen=True)
class Settings:
    """Everything the app remembers between starts (speed per session, the rest global)."""

    mirrored: bool = False
    volume_percent: int = DEFAULT_VOLUME_PERCENT
    muted: bool = False
    # On by default: a session's cue file is the only text over its video (the picture holds no words).
    cues_visible: bool = True
    countdown_enabled: bool = True
    countdown_s: int = DEFAULT_COUNTDOWN_S
    speeds: dict[str, float] = field(default_factory=dict)

    def speed_for(self, session_id: str) -> float:
        """The remembered speed of ``session_id`` (1.0 when none)."""
        return self.speeds.get(session_id, 1.0)

    def with_speed(self, session_id: str, rate: float) -> Settings:
        """A copy that remembers ``rate`` for ``session_id``."""
        return replace(self, speeds={**self.speeds, session_id: rate})


def load_settings(data_directory: Path) -> Settings:
    """Read the settings file; never raises for a bad file (see the module docstring)."""
    path = data_directory / SETTINGS_FILENAME
    if not path.exists():
        return Settings()
    try:  # a regular file of at most MAX_SETTINGS_BYTES, checked before reading; deep nesting is damage too
        raw = json.loads(read_text_limited(path, max_bytes=MAX_SETTINGS_BYTES))
    except (UnreadableFileError, ValueError, RecursionError):
        raw = None
    section = raw.get("settings") if isinstance(raw, dict) else None
    if not isinstance(section, dict):
        _keep_aside(path)
        return Settings()
    if raw.get("version") == 1:
        section = {k: v for k, v in section.items() if k != "cues_visible"}
    return _from_dict(section)


def _keep_aside(path: Path) -> None:
    """Move an unusable settings file to ``settings.bad`` (``settings.bad.2``, … when that exists, so an
    earlier bad file is never overwritten) so the next save does not destroy it."""
    target = path.with_suffix(".bad")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_suffix(f".bad.{counter}")
    try:
        path.rename(target)
    except OSError:
        pass  # unreadable and immovable: the defaults still apply, and the next save replaces it


def save_settings(data_directory: Path, settings: Settings) -> None:
    """Write the settings atomically (a crash leaves the old file or the new one, never half)."""
    data_directory.mkdir(parents=True, exist_ok=True)
    path = data_directory / SETTINGS_FILENAME
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump({"version": SETTINGS_VERSION, "settings": asdict(settings)}, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _from_dict(raw: dict[str, Any]) -> Settings:
    default = Settings()
    values: dict[str, Any] = {}
    for name, fallback in asdict(default).items():
        value = raw.get(name, fallback)
        values[name] = value if type(value) is type(fallback) else fallback  # bool is not an int here
    values["volume_percent"] = max(0, min(100, values["volume_percent"]))
    values["countdown_s"] = max(1, min(MAX_COUNTDOWN_S, values["countdown_s"]))
    values["speeds"] = {
        str(k): float(v) for k, v in values["speeds"].items()
        if isinstance(v, int | float) and not isinstance(v, bool) and v in SPEED_STEPS  # no float(): 10**400
    }
    return Settings(**values)
