"""Playback backends by name: what each needs, whether it works here, and which one ``auto`` picks.

Start-up, ``doctor`` and the app choose a backend only through :func:`choose`. Each backend's package
describes itself with a :class:`BackendEntry` named ``BACKEND`` and imports its heavy library (libVLC,
Qt Multimedia) only inside the entry's functions, so listing the backends costs nothing.

Adding a backend is one line in :data:`BACKEND_MODULES` (see the README, "How to add a playback backend").
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from player.core.errors import PlaybackUnavailableError
from player.playback.base import PlaybackBackend

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The packages or modules that define a ``BACKEND``; ``auto`` tries the real ones in this order.
# The rule, measured (bench/first_frame.py, snippet_switch.py, paid_cpu.py; figures in the README): Qt
# Multimedia first, because on the 2-core Debian 12 test machine under Xvfb it showed the first picture
# sooner (median 603-665 ms vs 701-1104 ms from launch), switched snippets faster (pixels p95 90 ms vs 233 ms)
# and played a paid part for less CPU (0.143 s vs 0.151 s per 8 s), at ~20 MB more memory (97 vs 76 MB);
# it needs no system library either. libVLC is the fallback where Qt's FFmpeg plugin is missing.
BACKEND_MODULES = (
    "player.playback.qt",
    "player.playback.vlc",
    "player.playback.fake",
)
# The environment variable that picks a backend when ``--backend`` is not given.
BACKEND_ENV = "MOVEMENT_PLAYER_BACKEND"
AUTO = "auto"

_Backend = TypeVar("_Backend", bound=PlaybackBackend)


class BackendFactory(Protocol):
    """Makes a ready backend; raises PlaybackUnavailableError (with what to install) when it cannot."""

    def __call__(self, *, embed: bool) -> PlaybackBackend:
        """``embed``: the app's window can take the picture (else the backend plays headless)."""
        ...


@dataclass(frozen=True)
class BackendEntry:
    """One playback backend as the app chooses it.

    ``name`` is what ``--backend`` takes; ``label`` names it for people (``doctor``: "libVLC").
    ``real``: it shows the video itself (``auto`` picks only real backends; the fake draws a test picture).
    ``unavailable()``: None when it works on this machine, else why not, in words, with what to install.
    ``embeds_on(platform)``: it can draw into the app's window on that Qt platform (``xcb``, ``windows``...).
    ``picture_widget(backend)``: for a backend whose picture Qt draws, the widget that shows it inside the
    player page's video area (None: the backend draws into the native window given to ``attach_window``).
    ``about()``: a line for ``doctor``, e.g. the library's version (only called when available).
    """

    name: str
    label: str
    summary: str
    real: bool
    create: BackendFactory
    unavailable: Callable[[], str | None]
    embeds_on: Callable[[str], bool]
    about: Callable[[], str]
    picture_widget: Callable[[PlaybackBackend], QWidget] | None = None


def embeds_everywhere(_platform: str) -> bool:
    """``embeds_on`` for a backend whose picture Qt draws: inside the app's window on every platform."""
    return True


def picture_for(backend: PlaybackBackend, kind: type[_Backend], widget: Callable[[_Backend], QWidget]) -> QWidget:
    """``picture_widget`` for a backend of class ``kind``: ``widget(backend)``; TypeError for another backend."""
    if not isinstance(backend, kind):
        raise TypeError(f"{widget.__name__} shows a {kind.__name__}, not the {backend.name} backend")
    return widget(backend)


def backends() -> tuple[BackendEntry, ...]:
    """Every registered backend, real ones in ``auto``'s order of preference."""
    found: list[BackendEntry] = []
    for module_name in BACKEND_MODULES:
        entry = getattr(importlib.import_module(module_name), "BACKEND", None)
        if not isinstance(entry, BackendEntry):
            raise TypeError(f"{module_name}.BACKEND is not a BackendEntry")
        found.append(entry)
    return tuple(found)


def names() -> tuple[str, ...]:
    """The names ``--backend`` accepts: ``auto`` and every registered backend."""
    return (AUTO, *(entry.name for entry in backends()))


def entry_named(name: str) -> BackendEntry:
    """The backend called ``name``; raises PlaybackUnavailableError naming the choices when there is none."""
    for entry in backends():
        if entry.name == name:
            return entry
    raise PlaybackUnavailableError(f"There is no playback backend called “{name}”; choose one of: "
                                   f"{', '.join(names())}.")


def requested_name(option: str | None, *, environ: Mapping[str, str] = os.environ) -> str:
    """The backend asked for: the ``--backend`` option, else ``$MOVEMENT_PLAYER_BACKEND``, else ``auto``."""
    if option:
        return option
    return environ.get(BACKEND_ENV, "").strip() or AUTO


def auto_choice() -> BackendEntry | None:
    """The backend ``auto`` picks: the first real backend that works here; None when none does."""
    for entry in backends():
        if entry.real and entry.unavailable() is None:
            return entry
    return None


def forced_qt_platform(entry: BackendEntry, *, environ: Mapping[str, str] = os.environ) -> str | None:
    """The Qt platform to start Qt with for ``entry``: in a Wayland session, ``xcb`` (XWayland) when the backend
    can draw into X11 windows but not Wayland's; None to leave Qt's choice (or ``$QT_QPA_PLATFORM``) alone."""
    if environ.get("QT_QPA_PLATFORM") or not environ.get("WAYLAND_DISPLAY"):
        return None
    return "xcb" if entry.embeds_on("xcb") and not entry.embeds_on("wayland") else None


def choose(name: str = AUTO) -> BackendEntry:
    """The backend to play with: ``name``, or for ``auto`` the first real backend that works here.

    ``auto`` never picks the fake. Raises PlaybackUnavailableError when the named backend does not exist
    or does not work here, and for ``auto`` when no real backend works (the message says what to install).
    """
    if name == AUTO:
        chosen = auto_choice()
        if chosen is not None:
            return chosen
        reasons = [reason for entry in backends() if entry.real and (reason := entry.unavailable())]
        raise PlaybackUnavailableError("\n\n".join(reasons) or "No playback backend is registered.",
                                       detail="no real playback backend works on this machine")
    entry = entry_named(name)
    reason = entry.unavailable()
    if reason is not None:
        raise PlaybackUnavailableError(reason, detail=f"the {name} playback backend does not work here")
    return entry


def create(entry: BackendEntry, *, requested: str, platform: str) -> PlaybackBackend:
    """Make ``entry``'s backend for the Qt ``platform`` (drawing in the window where it can embed there).

    When ``requested`` is ``auto`` and it refuses to start (libVLC found but its plugins missing), the next real
    backend that works here is made instead. Raises the first PlaybackUnavailableError when none starts.
    """
    def candidates() -> Iterator[BackendEntry]:
        yield entry
        if requested == AUTO:  # the others are checked only when the first refuses (start-up stays light)
            yield from (other for other in backends()
                        if other.real and other.name != entry.name and other.unavailable() is None)

    problems: list[PlaybackUnavailableError] = []
    for candidate in candidates():
        try:
            return candidate.create(embed=candidate.embeds_on(platform))
        except PlaybackUnavailableError as exc:
            problems.append(exc)
    raise problems[0]
