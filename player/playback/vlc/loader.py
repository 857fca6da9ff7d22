"""Import python-vlc safely: every way it fails becomes a PlaybackUnavailableError with install advice."""

from __future__ import annotations

from types import ModuleType

INSTALL_HINT = (
    "Movement Player plays video with VLC. Install it and try again:\n"
    "  Debian/Ubuntu: sudo apt-get install libvlc5 vlc-plugin-base vlc-plugin-video-output\n"
    "  Fedora: sudo dnf install vlc-libs    macOS/Windows: install VLC from videolan.org"
)


def load_vlc() -> ModuleType:
    """Return the ``vlc`` module; raises PlaybackUnavailableError when libVLC is missing or broken."""
    from player.core.errors import PlaybackUnavailableError

    try:
        import vlc
    except (ImportError, OSError, NotImplementedError, SystemExit) as exc:
        # python-vlc raises NotImplementedError or OSError without libVLC, SystemExit on a bad lib path.
        raise PlaybackUnavailableError("libVLC (VLC's engine) was not found.\n" + INSTALL_HINT,
                                       detail=repr(exc)) from None
    return vlc  # type: ignore[no-any-return]
