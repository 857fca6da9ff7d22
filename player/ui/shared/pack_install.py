"""File > Install session pack… and a pack dropped on the window: the core install (checked whole, publisher
key pinned) with the user's consent where a pack would change a session's publisher, and every problem told
in words. The library is refreshed through ``installed``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from player.core.session.library import LibraryEntry, library_roots, scan_library
from player.ui.main_window import MainWindow

if TYPE_CHECKING:  # installing (zip reading, hashing) is loaded when a pack is installed
    from player.core.session.packs import InstalledPack, PublisherChangedError


def pack_of(path: Path) -> Path | None:
    """The pack ``path`` stands for: a ``.zip``, a pack folder (with ``sessions/``), or a manifest inside a
    pack folder's ``sessions/``; None when it is none of these (a license file, say)."""
    if path.is_dir():
        return path if (path / "sessions").is_dir() else None
    if path.suffix.lower() == ".zip":
        return path
    if path.suffix.lower() == ".toml" and path.parent.name == "sessions" and (path.parent.parent / "media").is_dir():
        return path.parent.parent
    return None


def replace_question(error: PublisherChangedError) -> str:
    """What the user is asked before a pack replaces sessions from another publisher."""
    changes = "\n\n".join(f"• {change.describe()}." for change in error.changes)
    return (f"{changes}\n\nInstall it anyway? Choose Yes only if you trust where this pack came from "
            "(for example, the teacher told you their publisher key changed).")


class PackInstaller:
    """Installs packs into ``data_directory`` for the window; after an install ``entries`` (the app's library,
    changed in place) holds the installed sessions and ``changed`` is called to show them."""

    def __init__(self, window: MainWindow, *, data_directory: Path, entries: list[LibraryEntry],
                 changed: Callable[[], None]) -> None:
        self.window = window
        self.data_directory = data_directory
        self.entries = entries
        self.changed = changed

    def take_drop(self, path: Path, *, otherwise: Callable[[Path], object]) -> None:
        """A file or folder dropped on the window: install it when it is a pack, else ``otherwise(path)`` (the
        license file's way)."""
        pack = pack_of(path)
        if pack is None:
            otherwise(path)
        else:
            self.install(pack)

    def _rescan(self) -> None:
        """The library again from the data directory; sessions from elsewhere (``--library``) stay."""
        fresh = scan_library(library_roots(self.data_directory))
        known = {e.session_id for e in fresh}
        self.entries[:] = [*fresh, *(e for e in self.entries if e.session_id not in known
                                     and not e.file.is_relative_to(self.data_directory))]
        self.changed()

    def choose(self) -> None:
        """File > Install session pack…: a .zip, or a pack folder's manifest (sessions/*.toml)."""
        name, _filter = QFileDialog.getOpenFileName(
            self.window, "Install a session pack (a .zip, or the .toml in a pack folder's sessions/)", "",
            "Session packs (*.zip *.toml);;All files (*)")
        self.window.take_keyboard_back()
        if not name:
            return
        pack = pack_of(Path(name))
        if pack is None:
            self.window.tell(f"{Path(name).name} is not a session pack: choose a .zip pack, or the .toml file "
                             "in the sessions folder of an unpacked pack.")
            return
        self.install(pack)

    def install(self, pack: Path) -> InstalledPack | None:
        """Install ``pack``; asks first (default No) when it would change a session's publisher. None when
        nothing was installed (the reason was told)."""
        from player.core.session.packs import PackError, PublisherChangedError, install_pack

        try:
            try:
                done = install_pack(pack, data_directory=self.data_directory)
            except PublisherChangedError as exc:
                if not self._confirm_replace(exc):
                    self.window.tell(f"{pack.name} was not installed; your sessions are as they were.")
                    return None
                done = install_pack(pack, data_directory=self.data_directory, replace=True)
        except PackError as exc:
            self.window.tell(f"The session pack could not be installed.\n\n{exc.message}")
            return None
        self._rescan()
        titles = ", ".join(f"“{s.title}”" for s in done.sessions)
        box = QMessageBox(QMessageBox.Icon.Information, "Movement Player",
                          f"Installed {titles}. It is in your library now.", QMessageBox.StandardButton.Ok,
                          self.window)
        self.window.modal(box)
        return done

    def _confirm_replace(self, error: PublisherChangedError) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Replace a session from another publisher?",
                          replace_question(error), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self.window)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return self.window.modal(box) == QMessageBox.StandardButton.Yes
