"""Preferences: the countdown before each snippet (the rest is set with the player's keys and remembered)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from player.core.defaults import MAX_COUNTDOWN_S
from player.core.session.settings import Settings


class SettingsDialog(QDialog):
    """Edits a copy of ``settings``; ``result_settings()`` holds the choice once accepted."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.countdown = QCheckBox("Count down before each snippet")
        self.countdown.setChecked(settings.countdown_enabled)
        self.seconds = QSpinBox()
        self.seconds.setRange(1, MAX_COUNTDOWN_S)
        self.seconds.setSuffix(" s")
        self.seconds.setValue(settings.countdown_s)
        self.seconds.setAccessibleName("Countdown length in seconds")
        self.countdown.toggled.connect(self.seconds.setEnabled)
        self.seconds.setEnabled(settings.countdown_enabled)
        note = QLabel("Speed, mirror, cues and volume are set in the player ([ ] M C ↑ ↓ 0) and remembered.")
        note.setObjectName("hint")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.countdown)
        form.addRow("Countdown length", self.seconds)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        """The settings with the choices made here."""
        return replace(self._settings, countdown_enabled=self.countdown.isChecked(), countdown_s=self.seconds.value())
