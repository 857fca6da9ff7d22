"""The user's settings in the running app: File > Preferences, and what a practice run changes (speed, mirror,
cues, volume), each saved the moment it changes; a save that fails is told, and the app goes on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from player.core.session.settings import Settings
from player.ui.main_window import MainWindow
from player.ui.shared.settings_dialog import SettingsDialog


class Preferences:
    """Holds the current ``settings``; ``save`` writes them; ``edited`` hears of a change made in the dialog."""

    def __init__(self, settings: Settings, *, save: Callable[[Settings], None], window: MainWindow,
                 edited: Callable[[Settings], None]) -> None:
        self.settings = settings
        self.save = save
        self.window = window
        self.edited = edited

    def edit(self) -> None:
        """File > Preferences: the countdown before each snippet (applies from the next snippet)."""
        dialog = SettingsDialog(self.settings, self.window)
        if self.window.modal(dialog) == QDialog.DialogCode.Accepted:
            self.keep(dialog.result_settings())
            self.edited(self.settings)

    def keep(self, settings: Settings) -> None:
        """Use ``settings`` from now on and save them (a failure is told: they still apply until closing)."""
        self.settings = settings
        try:
            self.save(settings)
        except OSError as exc:
            self.window.tell(f"Your settings could not be saved: {exc.strerror}.")
