"""Backends by name: which exist, which work here, what ``auto`` picks, and what is said when none works."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from player.core.errors import PlaybackUnavailableError
from player.playback import registry
from player.playback.fake import FakeBackend
from player.playback.registry import AUTO, BACKEND_ENV, BackendEntry


def _broken(entry: BackendEntry, reason: str) -> BackendEntry:
    return dataclasses.replace(entry, unavailable=lambda: reason)


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Replace the registered backends with the given entries."""
    def install(*entries: BackendEntry) -> None:
        monkeypatch.setattr(registry, "backends", lambda: entries)
    return install


def test_vlc_and_fake_are_registered_and_named() -> None:
    names = registry.names()
    assert names[0] == AUTO and {"vlc", "fake"} <= set(names)
    for entry in registry.backends():
        assert entry.summary and registry.entry_named(entry.name) is entry


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(PlaybackUnavailableError, match="no playback backend called “nope”; choose one of: auto, "):
        registry.choose("nope")


def test_fake_is_made_by_name_and_keeps_time_by_the_clock() -> None:
    backend = registry.choose("fake").create(embed=False)
    assert isinstance(backend, FakeBackend) and backend.name == "fake"
    backend.close()


def test_auto_never_picks_the_fake(only: Callable[..., None]) -> None:
    fake = registry.entry_named("fake")
    vlc = registry.entry_named("vlc")
    only(fake, _broken(vlc, "libVLC (VLC's engine) was not found. Install it."))
    assert registry.auto_choice() is None
    with pytest.raises(PlaybackUnavailableError) as caught:
        registry.choose(AUTO)
    assert caught.value.message == "libVLC (VLC's engine) was not found. Install it."
    assert registry.choose("fake") is fake  # asked for by name, it is fine


def test_auto_picks_the_first_real_backend_that_works(only: Callable[..., None]) -> None:
    vlc = registry.entry_named("vlc")
    other = dataclasses.replace(vlc, name="other", unavailable=lambda: None)
    only(registry.entry_named("fake"), _broken(vlc, "missing"), other)
    assert registry.choose(AUTO) is other
    only(registry.entry_named("fake"), dataclasses.replace(vlc, unavailable=lambda: None), other)
    assert registry.choose(AUTO).name == "vlc"


def test_a_named_backend_that_does_not_work_says_why(only: Callable[..., None]) -> None:
    only(_broken(registry.entry_named("vlc"), "libVLC is missing"))
    with pytest.raises(PlaybackUnavailableError, match="^libVLC is missing$"):
        registry.choose("vlc")


def test_option_beats_environment_beats_auto() -> None:
    assert registry.requested_name("fake", environ={BACKEND_ENV: "vlc"}) == "fake"
    assert registry.requested_name(None, environ={BACKEND_ENV: " vlc "}) == "vlc"
    assert registry.requested_name(None, environ={BACKEND_ENV: ""}) == AUTO
    assert registry.requested_name(None, environ={}) == AUTO


def test_vlc_embeds_only_on_native_window_platforms() -> None:
    from player.playback.vlc import EMBEDDING_PLATFORMS

    vlc = registry.entry_named("vlc")
    assert all(vlc.embeds_on(platform) for platform in EMBEDDING_PLATFORMS)
    assert not vlc.embeds_on("offscreen") and not vlc.embeds_on("wayland")
    assert registry.entry_named("fake").embeds_on("offscreen")


def test_listing_the_backends_does_not_load_libvlc() -> None:
    import subprocess
    import sys

    from tests.conftest import REPO

    code = ("import sys\nfrom player.playback import registry\nregistry.names()\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] in ('vlc', 'PySide6')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_auto_falls_back_when_the_first_real_backend_refuses_to_start(only: Callable[..., None]) -> None:
    def refuses(*, embed: bool) -> FakeBackend:
        raise PlaybackUnavailableError("libVLC would not start with these options.")

    made: list[bool] = []

    def starts(*, embed: bool) -> FakeBackend:
        made.append(embed)
        return FakeBackend()

    vlc = registry.entry_named("vlc")
    first = dataclasses.replace(vlc, unavailable=lambda: None, create=refuses)
    second = dataclasses.replace(vlc, name="second", unavailable=lambda: None, create=starts,
                                 embeds_on=lambda platform: platform == "xcb")
    only(first, second, registry.entry_named("fake"))
    backend = registry.create(first, requested=AUTO, platform="xcb")
    assert isinstance(backend, FakeBackend) and made == [True]
    with pytest.raises(PlaybackUnavailableError, match="would not start"):
        registry.create(first, requested="vlc", platform="xcb")  # asked for by name: no other instead
    only(first, registry.entry_named("fake"))
    with pytest.raises(PlaybackUnavailableError, match="would not start"):
        registry.create(first, requested=AUTO, platform="xcb")  # never the fake instead


def test_auto_checks_no_other_backend_when_the_first_starts(only: Callable[..., None]) -> None:
    asked: list[str] = []

    def checked(name: str) -> Callable[[], None]:
        return lambda: asked.append(name)

    vlc = registry.entry_named("vlc")
    first = dataclasses.replace(vlc, name="first", unavailable=checked("first"),
                                create=lambda *, embed: FakeBackend())
    second = dataclasses.replace(vlc, name="second", unavailable=checked("second"))
    only(first, second)
    assert isinstance(registry.create(first, requested=AUTO, platform="xcb"), FakeBackend)
    assert asked == []  # start-up does not load libVLC (or start an instance) just in case
