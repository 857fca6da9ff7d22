"""The license key dialog: paste a key (any case, spaces or dashes) or open a license file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.core.errors import LicenseError

if TYPE_CHECKING:
    from player.core.licensing.keys import License


class LicenseDialog(QDialog):
    """Asks ``unlock(text)`` to verify and keep a key; shows its plain-words error until one works."""

    def __init__(self, unlock: Callable[[str], License], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Enter license key")
        self.setMinimumWidth(620)
        self.unlock = unlock
        self.license: License | None = None
        intro = QLabel("Paste the license key you received (spaces, dashes and letter case do not matter) "
                       "and press Enter, or open the license file.")
        intro.setWordWrap(True)
        self.key_edit = QPlainTextEdit()
        self.key_edit.setAccessibleName("License key")
        self.key_edit.setPlaceholderText("MP1-XXXXX-XXXXX-…")
        self.key_edit.setTabChangesFocus(True)
        self.key_edit.setFixedHeight(120)
        self.key_edit.installEventFilter(self)  # Enter unlocks; a pasted multi-line key still pastes
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        open_file = QPushButton("Open license file…")
        open_file.clicked.connect(self._open_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        unlock_button = buttons.addButton("Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        unlock_button.setObjectName("primary")
        unlock_button.setDefault(True)
        buttons.accepted.connect(self._try_unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_edit)
        layout.addWidget(open_file)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.key_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._try_unlock()
            return True
        return super().eventFilter(watched, event)

    def _open_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open license file", str(Path.home()),
                                              "License files (*.key *.txt);;All files (*)")
        if name:
            try:
                self.key_edit.setPlainText(Path(name).read_text(encoding="utf-8", errors="replace"))
            except OSError as exc:
                self.error.setText(f"{Path(name).name} cannot be read: {exc.strerror}")
                return
            self._try_unlock()

    def _try_unlock(self) -> None:
        try:
            self.license = self.unlock(self.key_edit.toPlainText())
        except LicenseError as exc:
            message = exc.message
            self.error.setText(message[0].upper() + message[1:] + ("" if message.endswith(".") else "."))
            return
        self.accept()
