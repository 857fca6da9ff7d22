"""Help > About: the version, the licence, which playback backend plays, and the third-party notices.

The dialog is passive: the app gives it the backend's label and its one-line description. The notices say
what a redistributor must: Qt (through PySide6) and FFmpeg are LGPL and are used as shared libraries that
can be replaced; libVLC is LGPL and comes from the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from player import __version__

# The licence of Movement Player itself (SPDX), as in pyproject.toml and LICENSE.
LICENCE = "MIT"
ICON_FILE = "movement-player.svg"
# The desktop entry's id (player/assets/*.desktop, installed by ``movement-player desktop-entry``).
DESKTOP_APP_ID = "io.github.movementplayer.MovementPlayer"

NOTICES = """
<p><b>Qt</b> {qt} through <b>PySide6</b>: LGPL-3.0 (Qt for Python, The Qt Company). Qt's libraries
are loaded from the PySide6 package and can be replaced by another build of the same version.</p>
<p><b>FFmpeg</b> (Qt Multimedia's decoder, shipped inside the PySide6 wheels): LGPL-2.1-or-later,
built without GPL parts; its shared libraries sit beside Qt's and can be replaced.
Source: <a href="https://ffmpeg.org">ffmpeg.org</a>.</p>
<p><b>libVLC</b> (VideoLAN), used when installed on the system, and <b>python-vlc</b>:
LGPL-2.1-or-later. Source: <a href="https://www.videolan.org">videolan.org</a>.</p>
<p><b>sqlite-utils</b> (Apache-2.0), <b>SQLite</b> (public domain), <b>cryptography</b>
(Apache-2.0 or BSD-3-Clause), <b>platformdirs</b> (MIT).</p>
"""


@dataclass(frozen=True)
class PlayingBackend:
    """What the About box says about the backend that plays: its label and a line on its library."""

    label: str
    about: str


def application_icon() -> QIcon:
    """The app's icon (scalable), for the window and the About box."""
    return QIcon(str(resources.files("player") / "assets" / ICON_FILE))


class AboutDialog(QDialog):
    """Version, licence, the backend that plays, notices; one Close button."""

    def __init__(self, playing: PlayingBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Movement Player")
        self.setWindowIcon(application_icon())
        icon = QLabel()
        icon.setPixmap(application_icon().pixmap(96, 96))
        title = QLabel(f"<h2>Movement Player {__version__}</h2>")
        self.version_label = title
        summary = QLabel("Follow-along movement sessions with check-ins and a local journal, fully offline.")
        summary.setWordWrap(True)
        self.licence_label = QLabel(f"Licence: {LICENCE}. Your journal stays on this computer.")
        self.backend_label = QLabel(f"Video plays with: <b>{playing.label}</b> — {playing.about}")
        self.backend_label.setWordWrap(True)
        self.backend_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notices = QTextBrowser()
        self.notices.setOpenExternalLinks(True)
        self.notices.setHtml(NOTICES.format(qt=qVersion()))
        self.notices.setAccessibleName("Third-party notices")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (icon, title, summary, self.licence_label, self.backend_label):
            layout.addWidget(widget)
        layout.addWidget(QLabel("Third-party software:"))
        layout.addWidget(self.notices, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)


def about_dialog_for(backend_name: str, parent: QWidget | None = None) -> AboutDialog:
    """The About box for the app playing with the registered backend ``backend_name``."""
    from player.playback.registry import entry_named

    entry = entry_named(backend_name)
    return AboutDialog(PlayingBackend(label=entry.label, about=entry.about()), parent)
