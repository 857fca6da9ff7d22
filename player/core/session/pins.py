"""Publisher pinning: each installed session remembers the publisher key it came with.

``publishers.json`` in the data directory::

    {"format": 1, "sessions": {"<session id>": {"public_key": "<base64>", "publisher": "<name>",
                                                 "pinned_on": "2026-11-28"}}}

A session is pinned at its first install (and again when the user explicitly replaces it). A pack
bringing the same session id under another key, or without one, is refused unless the user confirms
(``install --replace``, or the app's confirmation): otherwise a stranger's pack could silently replace a
bought session, stop the buyer's key from working and let whoever holds a leaked content key mint keys.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.core.bounded import UnreadableFileError, read_text_limited
from player.core.session.manifest import Session

PINS_FILENAME = "publishers.json"
PINS_FORMAT = 1
_MAX_PINS_BYTES = 4 * 1024**2  # ~20,000 sessions


@dataclass(frozen=True)
class Pin:
    """The publisher a session was installed from."""

    public_key: str
    publisher: str


@dataclass(frozen=True)
class PublisherChange:
    """A session a pack would bring under a publisher key other than the pinned one."""

    session_id: str
    title: str
    pinned: Pin
    offered: Pin | None  # None: the pack's session has no publisher at all

    def describe(self) -> str:
        """One sentence for people: which session, which publishers, what it means."""
        was = f"{self.pinned.publisher or 'a publisher'} (key {self.pinned.public_key[:12]}…)"
        now = (f"{self.offered.publisher or 'another publisher'} (key {self.offered.public_key[:12]}…)"
               if self.offered is not None else "no publisher")
        return (f"'{self.title}' ({self.session_id}) was installed from {was}; this pack comes from {now}. "
                "Replacing it would stop license keys bought for it from working")


def pin_of(session: Session) -> Pin | None:
    """The pin a session would get (None without a publisher key)."""
    if session.publisher is None or not session.publisher.public_key:
        return None
    return Pin(public_key=session.publisher.public_key, publisher=session.publisher.name)


class PinStore:
    """The pins of one data directory. A damaged file counts as no pins, and is never overwritten
    silently: it is kept aside as ``publishers.json.bad`` on the next write."""

    def __init__(self, data_directory: Path) -> None:
        self.path = data_directory / PINS_FILENAME

    def load(self) -> dict[str, Pin]:
        """Session id -> pin (empty when there is no usable file)."""
        pins: dict[str, Pin] = {}
        for session_id, entry in self._raw_sessions().items():
            if isinstance(entry, dict) and isinstance(entry.get("public_key"), str):
                name = entry.get("publisher")
                pins[str(session_id)] = Pin(entry["public_key"], name if isinstance(name, str) else "")
        return pins

    def save(self, pins: dict[str, Pin], *, today: dt.date) -> None:
        """Write ``pins`` atomically. Raises OSError when the file cannot be written."""
        old = self._raw_sessions()
        sessions = {
            session_id: {"public_key": pin.public_key, "publisher": pin.publisher,
                         "pinned_on": old.get(session_id, {}).get("pinned_on", today.isoformat())
                         if old.get(session_id, {}).get("public_key") == pin.public_key else today.isoformat()}
            for session_id, pin in sorted(pins.items())
        }
        text = json.dumps({"format": PINS_FORMAT, "sessions": sessions}, indent=2, ensure_ascii=False) + "\n"
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if self.path.exists() and self._raw() is None:
            self.path.replace(self.path.with_name(self.path.name + ".bad"))  # damaged: kept, not lost
        temporary.replace(self.path)

    def _raw(self) -> dict[str, Any] | None:
        """The file's JSON when it is a pins file this version reads, else None."""
        try:
            raw = json.loads(read_text_limited(self.path, max_bytes=_MAX_PINS_BYTES))
        except (UnreadableFileError, ValueError, RecursionError):
            return None
        ok = isinstance(raw, dict) and raw.get("format") == PINS_FORMAT and isinstance(raw.get("sessions"), dict)
        return raw if ok else None

    def _raw_sessions(self) -> dict[str, dict[str, str]]:
        raw = self._raw()
        sessions = raw["sessions"] if raw is not None else {}
        return {k: v for k, v in sessions.items() if isinstance(v, dict)}
