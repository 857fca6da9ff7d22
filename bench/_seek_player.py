"""Child process of long_session.py: one real backend playing the long part in a window, seeking on command.

    python bench/_seek_player.py BACKEND PATH      (DISPLAY and QT_QPA_PLATFORM=xcb set by the parent)

PATH ending in ``.mpe`` is played as the paid part (decrypted on the fly through EncryptedPart, as the app
plays it), anything else as a plain file. The picture fills a 1280x720 top-level window. Prints
``window XID`` once the window is shown, ``playing T`` at the backend's first frame, then reads commands
from stdin: ``seek MS`` calls ``backend.seek(MS)`` and prints ``sought MS T`` (T: ``time.monotonic()``
just before the call); ``quit`` ends. Any failure is printed as ``failed MESSAGE``.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repository on sys.path first)
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from player.core.errors import PlaybackError
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.base import MediaSource
from player.playback.registry import entry_named
from player.ui.practice.player_parts import VideoSurface

KEY = bytes(range(16))
WIDTH, HEIGHT = 1280, 720
GIVE_UP_MS = 600_000


def say(*words: object) -> None:
    """One line to the parent, flushed at once."""
    print(*words, flush=True)


class Bridge(QObject):
    """Backend events and stdin commands, handed to the GUI thread (queued)."""

    first_frame = Signal()
    failed = Signal(str)
    command = Signal(str)

    def playback_first_frame(self) -> None:
        self.first_frame.emit()

    def playback_ended(self) -> None:
        self.failed.emit("the part ended")

    def playback_failed(self, error: PlaybackError) -> None:
        self.failed.emit(error.message)


def main(name: str, path: Path) -> int:
    qt_app = QApplication(sys.argv[:1])
    entry = entry_named(name)
    backend = entry.create(embed=True)
    window = QWidget()
    window.setWindowTitle("long session bench")
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    if entry.picture_widget is not None:
        layout.addWidget(entry.picture_widget(backend))
    else:
        surface = VideoSurface()
        layout.addWidget(surface)
    window.setFixedSize(WIDTH, HEIGHT)
    window.move(0, 0)
    window.show()
    if entry.picture_widget is None:
        backend.attach_window(surface.native_handle())
    qt_app.processEvents()
    bridge = Bridge()
    backend.set_listener(bridge)
    source: MediaSource = (EncryptedPart(path, session_id="bench", part_id="part", content_key=KEY)
                           if path.suffix == ".mpe" else path)

    def on_command(line: str) -> None:
        words = line.split()
        if words[:1] == ["seek"]:
            target_ms = int(words[1])
            say("sought", target_ms, time.monotonic())
            backend.seek(target_ms)
        elif words[:1] == ["quit"] or not words:
            qt_app.quit()

    def read_stdin() -> None:
        for line in sys.stdin:
            bridge.command.emit(line)
        bridge.command.emit("quit")

    queued = Qt.ConnectionType.QueuedConnection  # emitted on libVLC's or the reader's thread
    bridge.first_frame.connect(lambda: say("playing", time.monotonic()), queued)
    bridge.failed.connect(lambda message: (say("failed", message), qt_app.exit(3)), queued)
    bridge.command.connect(on_command, queued)
    say("window", int(window.winId()))
    backend.set_muted(True)
    backend.load(source)
    backend.play()
    threading.Thread(target=read_stdin, daemon=True).start()
    QTimer.singleShot(GIVE_UP_MS, qt_app.quit)
    code = qt_app.exec()
    backend.close()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
