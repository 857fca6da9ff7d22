"""The libVLC backend (python-vlc), with the facts that are libVLC's alone.

Importing this package does not import python-vlc: :mod:`player.playback.vlc.loader` does, with every
way it fails caught (see its docstring), and only when the backend is made or checked.
"""

from __future__ import annotations

from player.playback.base import PlaybackBackend
from player.playback.registry import BackendEntry

# Qt platforms where libVLC can draw into the app's window (a native X11 window, HWND or NSView);
# anywhere else (Wayland without XWayland, offscreen) it must play headless.
EMBEDDING_PLATFORMS = ("xcb", "windows", "cocoa")


def _create(*, embed: bool) -> PlaybackBackend:
    from player.playback.vlc.backend import VlcBackend

    return VlcBackend(headless=not embed)


def _unavailable() -> str | None:
    from player.core.errors import PlaybackUnavailableError
    from player.playback.vlc.loader import INSTALL_HINT, load_vlc

    try:
        vlc = load_vlc()
    except PlaybackUnavailableError as exc:
        return exc.message
    # The library alone is not enough: without its plugins libVLC will not start (Instance() is None), and
    # without vlc-plugin-base it starts but decodes nothing. Its video filters (mirror's transform among
    # them) come with that package, so their presence tells. A headless instance costs ~6 ms.
    instance = vlc.Instance(["--quiet", "--vout=dummy", "--aout=dummy"])
    if instance is None:
        return "libVLC was found, but it would not start: its plugins seem to be missing.\n" + INSTALL_HINT
    try:
        filters = {entry[0] for entry in instance.video_filter_list_get() or ()}
    finally:
        instance.release()
    if b"transform" not in filters:
        return "libVLC was found, but its decoding plugins (vlc-plugin-base) are missing.\n" + INSTALL_HINT
    return None


def _about() -> str:
    from importlib import metadata

    from player.playback.vlc.loader import load_vlc

    try:
        binding = metadata.version("python-vlc")
    except metadata.PackageNotFoundError:
        binding = "not installed"
    return f"{load_vlc().libvlc_get_version().decode()} (python-vlc {binding})"


BACKEND = BackendEntry(
    name="vlc",
    label="libVLC",
    summary="libVLC, the engine of the VLC media player (installed with the system's packages)",
    real=True,
    create=_create,
    unavailable=_unavailable,
    embeds_on=lambda platform: platform in EMBEDDING_PLATFORMS,
    about=_about,
)
