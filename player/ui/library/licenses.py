"""License keys in the running app: typed in the dialog, dropped as a file, removed after asking.

Each change is kept in the key store (verified first) and then ``changed()`` is called, so the library and the
session page show it. Problems are told in words, never raised into Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from player.core.errors import LicenseError
from player.core.licensing.keystore import LicenseStore, read_license_file
from player.core.session.manifest import Session
from player.ui.main_window import MainWindow

if TYPE_CHECKING:  # the key code (and cryptography) loads when a key is entered or verified, not at start-up
    from player.core.licensing.keys import License


class LicenseKeys:
    """The verified licenses by session id (``by_session``) and the actions that change them."""

    def __init__(self, store: LicenseStore, verified: dict[str, License], *, sessions: Callable[[], list[Session]],
                 window: MainWindow, changed: Callable[[], None]) -> None:
        self.store = store
        self.by_session = verified
        self.sessions = sessions
        self.window = window
        self.changed = changed

    def unlock(self, text: str) -> License:
        """Verify and keep a license key (or a license file's text); raises LicenseError saying what is wrong."""
        license_ = self.store.add(text, self.sessions())
        self.by_session[license_.session_id] = license_
        self.changed()
        return license_

    def enter_key(self) -> None:
        """The license dialog; then the session page, which shows who the session is licensed to."""
        from player.ui.library.license_dialog import LicenseDialog  # its key alphabet imports cryptography

        self.window.modal(LicenseDialog(self.unlock, self.window))
        self.window.show_page(self.window.session)

    def unlock_file(self, path: Path) -> License | None:
        """Try ``path`` as a license file; None (after telling why) when it unlocks nothing."""
        try:
            return self.unlock(read_license_file(path))  # a regular file, size checked before reading
        except LicenseError as exc:
            self.window.tell(f"{path.name} did not unlock anything: {exc.message}.")
            return None

    def remove(self, license_id: str) -> None:
        """Forget a stored key after asking (No is the default); the full session locks again."""
        answer = QMessageBox.question(self.window, "Remove license key",
                                      f"Remove license {license_id} from this computer? You can enter the key "
                                      "again later.",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)  # removing is the rare, costly answer
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.remove(license_id)
        except LicenseError as exc:
            self.window.tell(exc.message)
        self.by_session = {sid: lic for sid, lic in self.by_session.items() if lic.license_id != license_id}
        self.changed()
