"""The license key dialog: paste a key (any case, spaces or dashes) or open a license file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from player.core.errors import LicenseError
from player.core.licensing.keys import GROUP_DATA_CHARS, KEY_PREFIX, LicenseTypoError
from player.core.licensing.keystore import read_license_file

MISTYPED_BACKGROUND = QColor("#ffd7a8")  # a warm highlight that reads on light and dark text fields
MISTYPED_TEXT = QColor("#5a1d00")


def group_span(text: str, group: int) -> tuple[int, int] | None:
    """Where group ``group`` (1-based, as the key reader counts: after the ``MP1`` prefix) is in ``text``:
    (start, end) character positions, or None when the text has no such group.

    Only for text whose characters the reader accepted (a typo is reported after that): letters and
    digits count, anything else is a separator.
    """
    positions = [i for i, char in enumerate(text) if char.isascii() and char.isalnum()]
    head = "".join(text[i] for i in positions[:3]).upper().replace("I", "1").replace("L", "1")
    if head == KEY_PREFIX[:3]:
        positions = positions[3:]
    size = GROUP_DATA_CHARS + 1
    chosen = positions[(group - 1) * size: group * size] if group >= 1 else []
    return (chosen[0], chosen[-1] + 1) if chosen else None

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
        self.key_edit.textChanged.connect(lambda: self.key_edit.setExtraSelections([]))  # being mended
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was pasted
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
                self.key_edit.setPlainText(read_license_file(Path(name)))  # size checked before reading
            except LicenseError as exc:
                self.error.setText(exc.message)
                return
            self._try_unlock()

    def _try_unlock(self) -> None:
        try:
            self.license = self.unlock(self.key_edit.toPlainText())
        except LicenseError as exc:
            message = exc.message
            self.error.setText(message[0].upper() + message[1:] + ("" if message.endswith(".") else "."))
            if isinstance(exc, LicenseTypoError):
                self._mark_group(exc.group)
            return
        self.accept()

    def _mark_group(self, group: int) -> None:
        """Highlight the mistyped group in the key field and put the cursor at its start."""
        span = group_span(self.key_edit.toPlainText(), group)
        if span is None:
            return
        cursor = QTextCursor(self.key_edit.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        marked = QTextEdit.ExtraSelection()
        marked.cursor = cursor
        look = QTextCharFormat()
        look.setBackground(MISTYPED_BACKGROUND)
        look.setForeground(MISTYPED_TEXT)
        look.setFontUnderline(True)
        marked.format = look
        self.key_edit.setExtraSelections([marked])
        self.key_edit.setFocus()
        caret = QTextCursor(self.key_edit.document())
        caret.setPosition(span[0])
        self.key_edit.setTextCursor(caret)
        self.key_edit.ensureCursorVisible()
