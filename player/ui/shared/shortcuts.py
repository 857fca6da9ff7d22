"""Every keyboard shortcut, once: the overlay (? on the player, F1 anywhere) shows this table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Library and session page", (
        ("↑ / ↓, Enter", "choose a session, open it"),
        ("Enter", "play the full session when unlocked, else the free preview"),
        ("K", "enter a license key"),
        ("Backspace", "back to the library"),
    )),
    ("Player", (
        ("Space", "pause / resume; skip the countdown"),
        ("N", "end the snippet now: its check-in appears"),
        ("R", "replay the snippet from the start"),
        ("← / →", "back / forward 5 seconds"),
        ("[ / ]", "slower / faster (0.5× to 1.5×, pitch kept)"),
        ("M", "mirror the video left-right"),
        ("L", "loop: mark the start, then the end; again to stop"),
        ("C", "cues on / off"),
        ("↑ / ↓, 0", "volume up / down, mute"),
        ("F, Esc", "fullscreen on / off, leave fullscreen"),
        ("P", "the practice drawer (the other controls)"),
        ("?", "this list (pauses the snippet)"),
    )),
    ("Everywhere", (
        ("Ctrl+J, J", "the journal (J on the library, session and summary pages)"),
        ("Ctrl+L", "the library"),
        ("F1", "this list"),
        ("Ctrl+Q", "quit"),
    )),
    ("Journal", (
        ("Alt+1 / 2 / 3", "history, trends, body map"),
        ("Ctrl+F", "search your notes"),
        ("↑ / ↓, Enter", "choose a run, open it"),
        ("E or Enter, Delete", "in a run: edit, delete the selected check-in"),
        ("Esc, Backspace", "back: from a run to the list, then to where you were"),
    )),
    ("Check-in", (
        ("0–9 (1 0: ten), + / −", "set discomfort, step it"),
        ("Alt+1 … Alt+5", "set ease"),
        ("Tab, ↑ / ↓", "next / previous answer"),
        ("← / →, Space", "change the answer with the ring; choose an area"),
        ("R", "repeat this snippet"),
        ("Enter", "save and go on"),
        ("Esc", "skip this check-in"),
    )),
)


def _section_rows(heading: str, keys: tuple[tuple[str, str], ...]) -> str:
    rows = [f"<tr><td colspan=2><h3>{heading}</h3></td></tr>"]
    rows.extend(f"<tr><td style='padding-right:24px'><b>{key}</b></td><td>{what}</td></tr>" for key, what in keys)
    return "".join(rows)


def shortcuts_html() -> str:
    """The table as HTML, large enough to read from a few steps away, in two columns to fit a small screen:
    the library and the player, then everything else."""
    columns = (SHORTCUTS[:2], SHORTCUTS[2:])
    cells = "".join(f"<td style='vertical-align:top; padding-right:40px'><table style='font-size:16px'>"
                    f"{''.join(_section_rows(heading, keys) for heading, keys in column)}</table></td>"
                    for column in columns)
    return f"<table><tr>{cells}</tr></table>"


class ShortcutsDialog(QDialog):
    """The shortcuts overlay; Esc, Enter or ? closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        screen = self.screen().availableGeometry()
        label = QLabel(shortcuts_html())
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)  # long descriptions wrap, so the two columns fit the screen
        width = min(1000, int(screen.width() * 0.9))
        label.setMinimumWidth(width - 40)
        label.setMinimumHeight(label.heightForWidth(label.minimumWidth()) + 48)  # nested tables measure short
        scroll = QScrollArea()  # a short screen (1024x600, 200 % scaling) scrolls the list; Close stays on screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(width, min(label.minimumHeight() + buttons.sizeHint().height() + 40, int(screen.height() * 0.9)))
