"""Dialogs keep their own keys: Esc closes only the dialog, and only when the key is released.

A dialog that closed on the key press left the rest of the key (its release, or the auto-repeat of a held
key) to the page below, where Esc means something else (skip the check-in, go back). This filter, on the
application, holds Esc's press in any dialog and gives the dialog its Esc when the key is let go,
so the dialog's own handling (reject, a message box's escape button) runs as before, just later. A key held
down after that (auto-repeat, which X servers without detectable auto-repeat report as fresh presses) stays
quiet until Esc has been let go for ESC_QUIET_S: holding Esc to close the overlay never also skips a check-in.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

ESC_QUIET_S = 0.5  # after a dialog closed on Esc, Esc events within this many seconds of the last are dropped


def _dialog_of(watched: QObject) -> QDialog | None:
    if not isinstance(watched, QWidget) or QApplication.activePopupWidget() is not None:
        return None  # an open popup (a combo box's list) takes Esc itself
    window = watched.window()
    return window if isinstance(window, QDialog) and window.isVisible() else None


class DialogEscape(QObject):
    """Holds Esc in every dialog of the application from :meth:`start` until :meth:`stop`."""

    _delivering = False  # class-wide: with several windows (tests), no filter holds the Esc another gives

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: QDialog | None = None  # the dialog whose Esc is down
        self._quiet_until = 0.0  # time.monotonic() until which Esc is dropped (a dialog just closed on it)
        self._installed = False

    @property
    def watching(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._installed

    def start(self) -> None:
        """Filter the application's events from now on (a filter there sees every event of every object)."""
        app = QApplication.instance()
        if not self._installed and app is not None:
            app.installEventFilter(self)
            self._installed = True

    def stop(self) -> None:
        """No longer filter them."""
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._delivering or not isinstance(event, QKeyEvent) or event.key() != Qt.Key.Key_Escape:
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            return False
        dialog = _dialog_of(watched)
        if dialog is None:
            return self._after_close(event)
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no shortcut acts on Esc while a dialog has it
            return True
        if kind == QEvent.Type.KeyPress:
            if not event.isAutoRepeat():
                self._held = dialog
            return True
        if event.isAutoRepeat() or self._held is not dialog:
            return True  # a release whose press this dialog never had (it opened while Esc was down)
        self._held = None
        self._deliver(dialog)
        self._quiet_until = time.monotonic() + ESC_QUIET_S
        return True

    def _after_close(self, event: QKeyEvent) -> bool:
        """Esc outside a dialog: dropped while the key that closed a dialog is still held (or just let go)."""
        now = time.monotonic()
        if now >= self._quiet_until and not (event.isAutoRepeat() and self._quiet_until > 0):
            self._quiet_until = 0.0
            return False
        if event.type() != QEvent.Type.KeyRelease:
            self._quiet_until = now + ESC_QUIET_S  # still held: stay quiet a little longer
        event.accept()
        return True

    def _deliver(self, dialog: QDialog) -> None:
        # Straight to the dialog's own handler: sent as an event, a synthetic press would first be offered to
        # the shortcuts, where the page's Esc could still take it.
        press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
        DialogEscape._delivering = True
        try:
            dialog.keyPressEvent(press)
        finally:
            DialogEscape._delivering = False
