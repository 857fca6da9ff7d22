"""Issue 10, finding 1: whatever is installed, the app starts and lists the bad sessions as unavailable."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import library_roots, scan_library
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.library.library_page import ID_ROLE, UNAVAILABLE_ROLE
from tests.conftest import DATA, NO_COUNTDOWN

MANIFEST = 'schema = 1\nid = "{id}"\ntitle = "{id}"\n[[preview]]\nid = "a"\ntitle = "A"\nmedia = "a.mp4"\n'


def broken_pack(data: Path, name: str, text: str | None) -> Path:
    folder = data / "packs" / name
    (folder / "sessions").mkdir(parents=True)
    (folder / "media").mkdir()
    shutil.copy(DATA / "clip-2s.mp4", folder / "media" / "a.mp4")
    manifest = folder / "sessions" / f"{name}.toml"
    if text is None:
        os.mkfifo(manifest)
    else:
        manifest.write_text(text)
    return manifest


def test_the_app_starts_with_nan_huge_deep_and_fifo_manifests_installed(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    broken_pack(data, "nan", MANIFEST.format(id="nan") + "duration_s = nan\n")
    broken_pack(data, "huge", MANIFEST.format(id="huge") + f"duration_s = {10**400}\n")
    broken_pack(data, "deep", MANIFEST.format(id="deep") + "duration_s = 1\nx = " + "[" * 3000 + "]" * 3000 + "\n")
    broken_pack(data, "fifo", None)
    entries = scan_library(library_roots(data))
    app = App(settings=NO_COUNTDOWN, entries=entries, journal=Journal.open(tmp_path / "journal.db"),
              backend=FakeBackend(), licenses=LicenseStore(data / "licenses"))
    qtbot.addWidget(app.window)
    app.window.show()
    try:
        cards = app.window.library.list
        shown = {cards.item(i).data(ID_ROLE): cards.item(i).data(UNAVAILABLE_ROLE) for i in range(cards.count())}
        assert {"nan", "huge", "deep", "fifo"} <= set(shown)
        assert all(shown[name] == "unavailable" for name in ("nan", "huge", "deep", "fifo"))
        assert not app.start_session("nan")
    finally:
        app.shut_down()

